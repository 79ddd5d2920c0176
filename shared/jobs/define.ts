import type { z } from 'zod';

/**
 * A job kind's contract, shared by the platform that creates and hands out its jobs and the
 * runner that executes them: its name and version, the plain payload stored on the job row, the
 * work order sealed to the runner at claim, and two pure readings of them. Handlers live apart,
 * one per side (the platform's in the owning domain, the runner's in `runner/jobs/`).
 */
export type JobKindDefinition<
  K extends string = string,
  P extends z.ZodType = z.ZodType,
  W extends z.ZodType<{ kind: K }> = z.ZodType<{ kind: K }>,
> = {
  kind: K;
  version: number;
  /** Never holds a secret: it is stored on the job row and returned in the plain part of a claim. */
  payload: P;
  /** What the runner needs, secrets included; it travels only sealed to the runner's key. */
  work: W;
  /** The hosts a job runs on when its payload names them (a step may pin only their keys). */
  hostsOf?(payload: z.infer<P>): string[];
  /** Every secret value in a work order: the runner removes them from all it sends and logs. */
  secretsOf(work: z.infer<W>): (string | undefined)[];
};

export function defineJobKind<K extends string, P extends z.ZodType, W extends z.ZodType<{ kind: K }>>(
  d: JobKindDefinition<K, P, W>,
): JobKindDefinition<K, P, W> {
  return d;
}

type SecretFields = {
  private_key?: string;
  passphrase?: string;
  password?: string;
  token?: string;
  key?: string;
};
/** The secret parts of an access (a host's login, a cluster's token or client key; EKS access has none). */
export const authSecrets = (a: { auth: object; jump?: { auth: object } }): (string | undefined)[] => {
  const s = a.auth as SecretFields;
  // A host reached through a jump host carries the jump host's login too.
  return [s.private_key, s.passphrase, s.password, s.token, s.key, ...(a.jump ? authSecrets(a.jump) : [])];
};
