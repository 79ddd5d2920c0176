/**
 * A compose target's status: on each host, connect, find which compose runs there and list the
 * project's containers (through the docker CLI for either dialect: the same listing a release
 * waits on). Hosts are read one after another; one that cannot be read is reported as
 * unreachable with its error code and the others are still read, since a status is about all of them.
 */
import { ComposeProject } from '../../shared/contracts/deploy';
import { authSecrets } from '../../shared/jobs/define';
import type { CompleteReport } from '../../shared/jobs/kinds';
import type { HostStatus, TargetStatusWork } from '../../shared/jobs/target-status';
import { type ComposeConnect, connectStep } from '../compose/adapter';
import { HostRun } from '../compose/host-run';
import { describeService } from '../compose/status';
import { redactDeep, redactingSink } from '../jobs/redact';
import { type RunContext, StepError } from '../jobs/steps';

const MESSAGE_MAX = 600;

export async function readComposeStatus(
  work: TargetStatusWork,
  ctx: RunContext,
  connect: ComposeConnect,
): Promise<CompleteReport> {
  const project = ComposeProject.safeParse(work.target.compose_project);
  if (work.target.runtime_type !== 'compose' || !project.success)
    throw new Error('the work order names no compose target with a valid project');
  const secrets = work.hosts.flatMap((h) => authSecrets(h).filter((s): s is string => Boolean(s)));
  const run: RunContext = { ...ctx, steps: redactingSink(ctx.steps, secrets) };
  const hosts: HostStatus[] = [];
  for (const host of work.hosts) {
    if (ctx.signal.aborted) break;
    hosts.push(await readHost(new HostRun(host, project.data, run, secrets), connect));
  }
  return { status: 'succeeded', result: redactDeep({ hosts }, secrets) };
}

async function readHost(h: HostRun, connect: ComposeConnect): Promise<HostStatus> {
  try {
    h.shell = (await connectStep(h, connect)).shell;
    const { dialect } = await h.step(
      'compose.detect',
      () => h.detect(),
      (v) => ({ output: v.version, detail: { compose: v.dialect } }),
    );
    h.useDialect(dialect);
    const services = await h.step(
      'compose.ps',
      () => h.services(true),
      (list) => ({ output: list.map(describeService).join('\n') || 'no containers' }),
    );
    return {
      host_id: h.host.id,
      reachable: true,
      compose: dialect,
      error_code: null,
      message: null,
      containers: services.map((s) => ({
        service: s.name,
        container: s.container,
        image: s.image,
        state: s.state,
        health: s.health,
        exit_code: s.exit_code,
      })),
    };
  } catch (e) {
    if (!(e instanceof StepError)) throw e;
    return {
      host_id: h.host.id,
      reachable: false,
      compose: h.diag.compose,
      error_code: e.code,
      message: h.redact(e.message).slice(0, MESSAGE_MAX),
      containers: [],
    };
  } finally {
    await h.shell?.close().catch(() => undefined);
  }
}
