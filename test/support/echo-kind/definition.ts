import { z } from 'zod';
import { defineJobKind } from '../../../shared/jobs/define';

/**
 * A job kind that exists only in tests, to show what adding a kind takes: this contract, the
 * platform's handler (`platform.ts`) and the runner's (`runner.ts`), each registered in its list.
 */
export const EchoPayload = z.object({ note_id: z.string(), host_id: z.string() });
export const EchoWork = z.object({ kind: z.literal('test_echo'), note: z.string(), secret: z.string() });

export const echoKind = defineJobKind({
  kind: 'test_echo',
  version: 3,
  payload: EchoPayload,
  work: EchoWork,
  hostsOf: (p) => [p.host_id],
  secretsOf: (w) => [w.secret],
});
