import { z } from 'zod';

/**
 * The runner's own settings, from its command line. `--api` is the platform's origin: https, or
 * plain http on loopback only (a token must never cross a network in the clear).
 */
const isLoopback = (host: string) =>
  host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

export const RunnerArgs = z.object({
  api: z
    .string()
    .url()
    .refine((v) => {
      const u = new URL(v);
      return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname));
    }, 'must be https, or http on a loopback address')
    .refine((v) => ['/', ''].includes(new URL(v).pathname), 'give the origin only, without a path'),
  registrationToken: z.string().min(16).optional(),
  stateDir: z.string().min(1),
  concurrency: z.coerce.number().int().min(1).max(64).default(4),
  once: z.boolean().default(false),
});
export type RunnerArgs = z.infer<typeof RunnerArgs>;

export function parseRunnerArgs(argv: string[]): RunnerArgs {
  const raw: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    const key = a.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (key === 'once') raw.once = true;
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`--${a.slice(2)} needs a value`);
      raw[key] = v;
      i += 1;
    }
  }
  const parsed = RunnerArgs.safeParse(raw);
  if (!parsed.success)
    throw new Error(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('\n'));
  return parsed.data;
}
