import type { ConnectionResult, HostAccess } from '../../shared/jobs/claim';
import type { CompleteReport } from '../../shared/jobs/kinds';
import { versionProbe } from '../compose/commands';
import { type RunContext, runStep, StepError } from '../jobs/steps';
import { connectHost, type SshShell } from './executor';

const PROBE_TIMEOUT_MS = 30_000;
const UNREACHABLE: ConnectionResult = { reachable: false, version: null, latency_ms: null };

type Hop = NonNullable<ConnectionResult['hops']>[number];
/** Both hops of a connection through a jump host, as far as they got; none for a direct one. */
function hopsOf(host: HostAccess, err?: StepError): Hop[] | undefined {
  if (!host.jump) return undefined;
  // A failure after the connection (the probe, say) leaves both hops good.
  const failed = err?.extra.detail?.hop;
  const code = err?.code ?? null;
  return [
    { host_id: host.jump.id, ok: failed !== 'jump', error_code: failed === 'jump' ? code : null },
    {
      host_id: host.id,
      ok: failed === 'jump' ? null : failed !== 'target',
      error_code: failed === 'target' ? code : null,
    },
  ];
}

/**
 * A host test: connect (reporting the host key seen, which the platform pins on first contact)
 * and ask the kernel for its name, release and machine. A changed host key fails the test like
 * any other refusal, with its own code.
 */
export async function testHost(host: HostAccess, ctx: RunContext): Promise<CompleteReport> {
  let shell: SshShell | undefined;
  try {
    const connected = await runStep(
      ctx,
      'ssh.connect',
      async () => {
        const started = performance.now();
        const c = await connectHost(host, { signal: ctx.signal });
        return { ...c, latencyMs: Math.round(performance.now() - started) };
      },
      {
        hostId: host.id,
        result: (c) => ({
          observedHostKey: c.observedHostKey,
          detail: { latency_ms: c.latencyMs, ...(host.jump ? { hops: hopsOf(host) } : {}) },
        }),
      },
    );
    shell = connected.shell;
    const probe = shell;
    const version = await runStep(
      ctx,
      'ssh.probe',
      async () => {
        const r = await probe.exec(['uname', '-srm'], { timeoutMs: PROBE_TIMEOUT_MS, signal: ctx.signal });
        if (r.code !== 0) {
          throw new StepError('COMMAND_FAILED', `uname exited with ${r.code ?? r.signal}`, {
            output: r.stderr,
          });
        }
        return r.stdout.trim().slice(0, 200);
      },
      { hostId: host.id, result: (v) => ({ output: v }) },
    );
    // Which compose answers, for the preview's checks: no compose is no failure of the host test.
    const compose = await runStep(
      ctx,
      'compose.detect',
      async () => {
        for (const dialect of ['v2', 'v1'] as const) {
          const r = await probe.exec(versionProbe(dialect), {
            timeoutMs: PROBE_TIMEOUT_MS,
            signal: ctx.signal,
          });
          const line = r.stdout.trim().split('\n')[0]?.trim() ?? '';
          if (r.code === 0) return { dialect, version: line.slice(0, 200) || null };
        }
        return { dialect: null, version: null };
      },
      {
        hostId: host.id,
        result: (c) => ({
          output: c.dialect ? `${c.dialect} ${c.version ?? ''}`.trim() : 'no compose found',
          detail: { compose: c.dialect, version: c.version },
        }),
      },
    );
    const hops = hopsOf(host);
    const result: ConnectionResult = {
      reachable: true,
      version,
      latency_ms: connected.latencyMs,
      compose,
      ...(hops ? { hops } : {}),
    };
    return { status: 'succeeded', result };
  } catch (e) {
    // runStep reported the failed step and always re-throws a StepError.
    const err = e instanceof StepError ? e : new StepError('APPLY_FAILED', (e as Error).message);
    return {
      status: 'failed',
      error_code: err.code,
      diagnostics: { message: err.message },
      result: { ...UNREACHABLE, ...(host.jump ? { hops: hopsOf(host, err) } : {}) },
    };
  } finally {
    await shell?.close();
  }
}
