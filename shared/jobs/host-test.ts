import { z } from 'zod';
import { HostAccess } from './access';
import { authSecrets, defineJobKind } from './define';

/** Can the runner reach a host over SSH, and whose key does it present? */
export const HostTestPayload = z.object({ host_id: z.string() });
export const HostTestWork = z.object({ kind: z.literal('host_test'), host: HostAccess });

export const hostTestKind = defineJobKind({
  kind: 'host_test',
  version: 1,
  payload: HostTestPayload,
  work: HostTestWork,
  hostsOf: (p) => [p.host_id],
  secretsOf: (w) => authSecrets(w.host),
});
