import { readFile, writeFile } from 'node:fs/promises';

const PREAMBLE = `# Benchmarks

Each section is rewritten by the bench that owns it; every number in a section comes from one run,
and ratios compare against a baseline measured in that same run, on the same machine.
Reproduce with \`npm run bench\` (all) or \`npm run bench -- <name>\` (one).
`;

const open = (name: string) => `<!-- bench:${name} -->`;
const close = (name: string) => `<!-- /bench:${name} -->`;

/** Replaces one bench's section of the results file, keeping the other benches' last results. */
export async function writeSection(file: string, name: string, markdown: string): Promise<void> {
  let text = await readFile(file, 'utf8').catch(() => PREAMBLE);
  const block = `${open(name)}\n${markdown.trim()}\n${close(name)}`;
  const start = text.indexOf(open(name));
  const end = text.indexOf(close(name));
  if (start >= 0 && end > start) text = text.slice(0, start) + block + text.slice(end + close(name).length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(file, text.endsWith('\n') ? text : `${text}\n`);
}
