import { runnerJob } from '../../../runner/jobs/kind';
import { echoKind } from './definition';

/** Echoes its note back, after a step whose output would carry the secret were it not redacted. */
export const echoRunnerJob = runnerJob(echoKind, async (work, ctx) => {
  ctx.steps.report({
    name: 'echo',
    attempt: ctx.attempt,
    status: 'succeeded',
    output: `said ${work.secret}`,
  });
  return { status: 'succeeded', result: { echoed: work.note } };
});
