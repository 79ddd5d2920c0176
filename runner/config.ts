import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The runner's own settings, from its command line. `--api` is the platform's origin: https, or
 * plain http on loopback only (a token must never cross a network in the clear).
 */
const isLoopback = (host: string) =>
  host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9_./-]{0,62}$/;

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
  /** How the runner shows in the platform; defaults to the host name. */
  name: z.string().trim().min(1).max(100).optional(),
  /** `k=v,k=v`: what a runner pool's jobs may be matched against. */
  labels: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const out: Record<string, string> = {};
      for (const pair of (v ?? '').split(',').filter((p) => p.trim() !== '')) {
        const eq = pair.indexOf('=');
        const key = pair.slice(0, eq).trim();
        if (eq < 1 || !LABEL_KEY.test(key) || key in out) {
          ctx.addIssue({ code: 'custom', message: `expected unique k=v pairs, got "${pair.trim()}"` });
          return z.NEVER;
        }
        out[key] = pair.slice(eq + 1).trim();
      }
      return out;
    }),
  graceSeconds: z.coerce.number().int().min(0).max(3600).default(60),
  /**
   * The install bundles (`script/`: manifests, binaries, hooks), relative to the working directory.
   * Unset: a `script/` beside the runner's file, else the checkout's, else `./script`.
   */
  bundleDir: z
    .string()
    .min(1)
    .optional()
    .transform((v) => (v === undefined ? undefined : resolve(v))),
});
export type RunnerArgs = z.infer<typeof RunnerArgs>;

export function parseRunnerArgs(argv: string[]): RunnerArgs {
  const raw: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    // The stray value may be a token pasted in the wrong place, so it is not echoed.
    if (!a.startsWith('--'))
      throw new Error(`unexpected argument at position ${i + 1}: options start with --`);
    const key = a.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const [flag, inline] = a.split('=', 2);
    if (inline !== undefined) throw new Error(`write ${flag} <value>, not ${flag}=<value>`);
    if (!Object.hasOwn(RunnerArgs.shape, key)) throw new Error(`unknown option ${a}`);
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
