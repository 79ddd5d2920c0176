import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import type { CredentialCtx } from './service';

/** What the credential services need from a request: the service context and the key provider. */
export const credentialCtx = (c: { var: ApiEnv['Variables'] }): CredentialCtx => ({
  ...serviceCtx(c),
  keys: c.var.deps.keys,
});
