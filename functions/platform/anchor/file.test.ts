import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileAnchor } from './file';
import type { AnchoredCheckpoint } from './types';

const dir = mkdtempSync(join(tmpdir(), 'k8sm-anchor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const checkpoint = (seq: number): AnchoredCheckpoint => ({
  id: `ckp_${seq}`,
  last_event_id: `evt_${seq}`,
  last_seq: seq,
  count: seq,
  hash: 'b'.repeat(64),
  mac: 'bWFj',
  prev_mac: seq > 1 ? 'cHJldg==' : 'genesis',
  mac_from: 1,
  created_at: new Date(0).toISOString(),
});

describe('file audit anchor', () => {
  const path = join(dir, 'elsewhere', 'anchor.jsonl');

  it('appends one line per checkpoint, creating the file, and reads back the newest', async () => {
    const a = createFileAnchor(path);
    expect(await a.latest()).toBeUndefined();
    await a.append(checkpoint(5));
    await a.append(checkpoint(9));
    await a.append(checkpoint(7));
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
    // Appended, never rewritten: the earlier records are still there as written.
    expect(JSON.parse(readFileSync(path, 'utf8').trim().split('\n')[0]!)).toEqual(checkpoint(5));
    expect(await a.latest()).toEqual(checkpoint(9));
  });

  it('skips a line torn by a crash mid-write', async () => {
    appendFileSync(path, '\n{"id":"ckp_12","last_se');
    const a = createFileAnchor(path);
    expect((await a.latest())?.last_seq).toBe(9);
    await a.append(checkpoint(12));
    expect(await a.latest()).toEqual(checkpoint(12));
  });
});
