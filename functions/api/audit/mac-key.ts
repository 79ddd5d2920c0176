import { createHmac } from 'node:crypto';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import type { EncryptionContext, KeyProvider } from '../../platform/keys/types';
import { insertMacKey } from './mac-repo';

/**
 * Every event carries an HMAC of its hash under an `audit_checkpoint` data key, so rewriting and
 * re-hashing the chain needs the key provider, not only the database. To keep an append cheap a
 * process makes one data key (an epoch) on its first append, keeps it in memory and stores only
 * its wrapped copy (`audit_mac_keys`), which verify unwraps and key rotation re-wraps.
 */
export const macKeyContext = (id: string): EncryptionContext => ({
  purpose: 'audit_checkpoint',
  mac_key_id: id,
});

export const eventMac = (key: Buffer, hash: string) =>
  createHmac('sha256', key).update(hash).digest('base64');

export type Epoch = { id: string; key: Buffer; wrappedKey: string; keyId: string };
/** The provider is read on each append, so the epoch follows a provider swapped in later. */
type Binding = { keys: () => KeyProvider; epochs: WeakMap<KeyProvider, Promise<Epoch>> };

/**
 * Keyed by drizzle's dialect object: a transaction handle shares it with the database it came
 * from, so `recordEvent(tx, …)` finds its database's key provider without every caller passing it.
 * A handle opened outside buildDeps (a second connection to the same database) gets the binding
 * made last: a process has one set of dependencies.
 */
const bindings = new WeakMap<object, Binding>();
let lastBound: Binding | undefined;
const handleOf = (db: Db) => (db as unknown as { dialect: object }).dialect;

/** Called once per database handle when the process's dependencies are built. */
export function bindAuditKeys(db: Db, keys: () => KeyProvider): void {
  lastBound = { keys, epochs: new WeakMap() };
  bindings.set(handleOf(db), lastBound);
}

async function newEpoch(keys: KeyProvider): Promise<Epoch> {
  const id = newId('amk');
  const dk = await keys.generateDataKey(macKeyContext(id));
  return { id, key: dk.plaintext, wrappedKey: dk.wrapped.toString('base64'), keyId: dk.keyId };
}

/**
 * This process's epoch key for the database `tx` belongs to, made on first use. Called before the
 * chain lock is taken, so the one key provider call of a process never runs under it.
 */
export async function epochFor(tx: Db): Promise<Epoch> {
  const binding = bindings.get(handleOf(tx)) ?? lastBound;
  if (!binding)
    throw new Error('audit events need a key provider: bindAuditKeys was not called for this database');
  const keys = binding.keys();
  let epoch = binding.epochs.get(keys);
  if (!epoch) {
    const made = newEpoch(keys);
    epoch = made;
    binding.epochs.set(keys, made);
    made.catch(() => {
      if (binding.epochs.get(keys) === made) binding.epochs.delete(keys);
    });
  }
  return epoch;
}

/**
 * The MAC of one event about to be appended. Runs under the chain lock. Unless the newest event
 * already names this epoch's key (`headKeyId`; then its row is committed), the key row is written
 * in the same transaction, idempotently: a rolled-back first append cannot leave later events
 * naming a key that was never stored, in this database or any other the process writes to.
 */
export async function signEvent(
  tx: Db,
  clock: Clock,
  epoch: Epoch,
  hash: string,
  headKeyId: string | null | undefined,
): Promise<{ macKeyId: string; mac: string }> {
  if (headKeyId !== epoch.id)
    await insertMacKey(tx, {
      id: epoch.id,
      wrappedKey: epoch.wrappedKey,
      keyId: epoch.keyId,
      createdAt: clock.now(),
    });
  return { macKeyId: epoch.id, mac: eventMac(epoch.key, hash) };
}
