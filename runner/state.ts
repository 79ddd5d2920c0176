import { createPrivateKey, createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { generateSealingKeyPair, rawPublicKey } from '../shared/crypto/sealed-box';
import type { RegisterBody, Registered } from './client';
import type { Logger } from './log';

/**
 * The runner's identity on disk: who it is to the platform (identity.json) and the private key
 * work orders are sealed to (sealing-key.pem). Either file read by someone else is a stolen runner,
 * so the directory must be the owner's alone; the runner refuses to start otherwise rather than
 * "fixing" permissions someone chose.
 */
export const IDENTITY_FILE = 'identity.json';
export const KEY_FILE = 'sealing-key.pem';

export class StateError extends Error {
  override name = 'StateError';
}

const Identity = z.object({
  runner_id: z.string().min(1),
  runner_token: z.string().min(1),
  runner_pool_id: z.string().min(1),
  api: z.string().url(),
});
export type Identity = z.infer<typeof Identity>;

export type RunnerState = { identity: Identity; privateKey: KeyObject; publicKey: string };

const exists = async (p: string) => {
  try {
    return await lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
};

function assertPrivate(path: string, st: { mode: number; uid: number }, what: string, fix: string): void {
  if ((st.mode & 0o077) !== 0)
    throw new StateError(
      `${what} ${path} is open to group or others (mode ${(st.mode & 0o777).toString(8)}); ${fix}`,
    );
  if (typeof process.getuid === 'function' && st.uid !== process.getuid())
    throw new StateError(`${what} ${path} belongs to another user; run the runner as its owner`);
}

/** Creates the directory 0700, or checks that an existing one is private. */
export async function prepareStateDir(dir: string): Promise<void> {
  const st = await exists(dir);
  if (!st) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // mkdir applies the umask, which can only take bits away; set it exactly anyway.
    await chmod(dir, 0o700);
    return;
  }
  if (!st.isDirectory()) throw new StateError(`state directory ${dir} is not a directory`);
  assertPrivate(dir, st, 'state directory', `run: chmod 700 ${dir}`);
}

/** Write to a temporary file, sync, rename: a crash leaves the old file or the new, never half of one. */
async function writeAtomic(dir: string, name: string, content: string): Promise<void> {
  const tmp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(content, 'utf8');
    await fh.chmod(0o600);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, join(dir, name));
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

async function readPrivate(dir: string, name: string): Promise<string | null> {
  const path = join(dir, name);
  const st = await exists(path);
  if (!st) return null;
  if (!st.isFile()) throw new StateError(`${path} is not a regular file`);
  assertPrivate(path, st, 'file', `run: chmod 600 ${path}`);
  return readFile(path, 'utf8');
}

async function loadKey(dir: string): Promise<{ privateKey: KeyObject; publicKey: string } | null> {
  const pem = await readPrivate(dir, KEY_FILE);
  if (pem === null) return null;
  try {
    const privateKey = createPrivateKey({ key: pem, format: 'pem' });
    return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
  } catch {
    throw new StateError(`${join(dir, KEY_FILE)} does not hold an X25519 private key`);
  }
}

async function loadIdentity(dir: string): Promise<Identity | null> {
  const text = await readPrivate(dir, IDENTITY_FILE);
  if (text === null) return null;
  try {
    return Identity.parse(JSON.parse(text));
  } catch {
    throw new StateError(`${join(dir, IDENTITY_FILE)} is not a runner identity`);
  }
}

export type EnsureOptions = {
  dir: string;
  api: string;
  registrationToken?: string | undefined;
  name: string;
  labels: Record<string, string>;
  version: string;
  register: (body: RegisterBody) => Promise<Registered>;
  log: Logger;
};

/**
 * Loads the identity, or registers with the registration token and saves one. The key is saved
 * before registering, so a crash between the two re-registers the same key instead of leaving a
 * registered runner whose key is gone.
 */
export async function ensureIdentity(o: EnsureOptions): Promise<RunnerState> {
  const origin = new URL(o.api).origin;
  await prepareStateDir(o.dir);
  const identity = await loadIdentity(o.dir);
  let key = await loadKey(o.dir);
  if (identity) {
    if (new URL(identity.api).origin !== origin)
      throw new StateError(
        `the state directory belongs to a runner registered with ${new URL(identity.api).origin}, not ${origin}; use another --state-dir`,
      );
    if (!key) throw new StateError(`${join(o.dir, KEY_FILE)} is missing; register this runner again`);
    o.log.redactor.add(identity.runner_token);
    if (o.registrationToken) o.log.info('already registered; ignoring --registration-token');
    return { identity, ...key };
  }
  if (!o.registrationToken)
    throw new StateError('this runner is not registered yet: start it once with --registration-token');
  if (!key) {
    const pair = generateSealingKeyPair();
    await writeAtomic(o.dir, KEY_FILE, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    key = pair;
  }
  const registered = await o.register({
    registration_token: o.registrationToken,
    name: o.name,
    labels: o.labels,
    public_key: key.publicKey,
    version: o.version,
  });
  o.log.redactor.add(registered.runner_token);
  const saved: Identity = { ...registered, api: origin };
  await writeAtomic(o.dir, IDENTITY_FILE, `${JSON.stringify(saved, null, 2)}\n`);
  o.log.info('registered', { runner_id: saved.runner_id, runner_pool_id: saved.runner_pool_id });
  return { identity: saved, ...key };
}
