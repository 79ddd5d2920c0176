import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateHandler } from './migrate';

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

describe('the migration Lambda', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-migrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const handler = migrateHandler(MIGRATIONS, { K8SM_DATA_DIR: dir });

  it('applies every migration on deploy, then nothing, and reverts the newest N on request', async () => {
    const up = await handler({});
    expect(up.applied?.length).toBeGreaterThanOrEqual(3);
    expect((await handler({})).applied).toEqual([]);
    const down = await handler({ direction: 'down', steps: 1 });
    expect(down.reverted).toHaveLength(1);
    expect((await handler({})).applied).toEqual(down.reverted);
  }, 60_000);
});
