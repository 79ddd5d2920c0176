import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type AnchoredCheckpoint, type AuditAnchor, parseAnchored } from './types';

/**
 * The local anchor: one JSON line per checkpoint, only ever appended (opened with O_APPEND). It
 * guards against someone who can reach the database but not this file; beside the data on the same
 * volume it guards against nothing more, so `K8SM_AUDIT_ANCHOR_PATH` can put it elsewhere.
 */
export function createFileAnchor(path: string): AuditAnchor {
  return {
    kind: 'file',
    async append(c) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // The newline goes first: a line torn by a crash is ended by the next record, not merged into it.
      await appendFile(path, `\n${JSON.stringify(c)}`, { flag: 'a', mode: 0o600 });
    },
    async latest() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      let newest: AnchoredCheckpoint | undefined;
      // A line torn by a crash mid-write is skipped: the sweep writes that checkpoint again.
      for (const line of text.split('\n')) {
        const c = line ? parseAnchored(line) : undefined;
        if (c && (!newest || c.last_seq > newest.last_seq)) newest = c;
      }
      return newest;
    },
  };
}
