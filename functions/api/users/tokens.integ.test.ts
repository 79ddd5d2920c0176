import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { registerSecret } from '../../../test/support/leak-guard';
import { createTestPlatform, PASSWORD, type TestPlatform } from '../../../test/support/platform';

const NEW_PASSWORD = 'another long enough password';
registerSecret(NEW_PASSWORD);

const epochOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).ep as number;

describe.each(await backends())('token epochs on %s', (backend) => {
  let p: TestPlatform;
  let admin: string;
  beforeAll(async () => {
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
  }, 180_000);
  afterAll(() => p.close());

  const me = (token: string) => p.request('GET', '/me', { token });

  it('ends every token issued before a password change, the changing one included', async () => {
    const u = await p.userWithRole('viewer');
    const other = await p.login(u.username, PASSWORD);
    const changed = await p.request('POST', '/me/password', {
      token: u.token,
      body: { current_password: PASSWORD, new_password: NEW_PASSWORD },
    });
    expect(changed.status).toBe(204);
    expect((await me(u.token)).status).toBe(401);
    expect((await me(other)).status).toBe(401);

    const fresh = await p.login(u.username, NEW_PASSWORD);
    expect(epochOf(fresh)).toBe(epochOf(u.token) + 1);
    expect((await me(fresh)).status).toBe(200);
  }, 60_000);

  it('ends a disabled user’s tokens for good: re-enabling does not bring them back', async () => {
    const u = await p.userWithRole('viewer');
    const patch = (disabled: boolean) =>
      p.request('PATCH', `/users/${u.id}`, { token: admin, body: { disabled } });
    expect((await patch(true)).status).toBe(200);
    expect((await patch(false)).status).toBe(200);
    expect((await me(u.token)).status).toBe(401);
    expect((await me(await p.login(u.username, PASSWORD))).status).toBe(200);
  }, 60_000);

  it('leaves other users’ tokens alone', async () => {
    const a = await p.userWithRole('viewer');
    const b = await p.userWithRole('viewer');
    expect(
      (await p.request('PATCH', `/users/${a.id}`, { token: admin, body: { disabled: true } })).status,
    ).toBe(200);
    expect((await me(b.token)).status).toBe(200);
    expect((await me(admin)).status).toBe(200);
  }, 60_000);
});
