import type { JobKindHandler } from '../../../functions/api/jobs/kind';
import type { CompleteReport } from '../../../shared/jobs/kinds';
import { registerSecret } from '../leak-guard';
import { EchoPayload, echoKind } from './definition';

/** The secret the work order carries: the runner must never send it back. */
export const ECHO_SECRET = registerSecret(`echo-secret-${Math.random().toString(36).slice(2)}`);

/** What the platform side saw, for the test to look at. */
export const echoSeen: { claimed: string[]; completed: { job: string; report: CompleteReport }[] } = {
  claimed: [],
  completed: [],
};

export const echoJob: JobKindHandler = {
  definition: echoKind,
  async onClaimed(_tx, job) {
    echoSeen.claimed.push(job.id);
    return true;
  },
  async workOrder(job) {
    const { note_id } = EchoPayload.parse(job.payload);
    return { kind: 'test_echo', note: `note ${note_id}`, secret: ECHO_SECRET };
  },
  async onCompleted(_tx, job, report) {
    echoSeen.completed.push({ job: job.id, report });
  },
};
