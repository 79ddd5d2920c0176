/**
 * Types the install modules share. They live apart from the modules that use them so that host.ts,
 * preflight.ts, uninstall.ts and installer.ts import them without importing one another in a circle.
 */
import type { HostAccess } from '../../shared/jobs/claim';
import type { RemoteShell } from '../ssh/types';

/** Opens an SSH shell to a host, with the host key it presented (for the platform to pin). */
export type InstallConnect = (host: HostAccess) => Promise<{ shell: RemoteShell; observedHostKey: string }>;

/** What preflight reads from a host before anything on it changes. */
export type Facts = {
  arch: string;
  distribution: string;
  /** The host has this exact runtime and version's fingerprint. */
  already: boolean;
  compose: 'v1' | 'v2' | null;
  disk_free_mb: number | null;
  /** From the fingerprint, when the host already has this version. */
  endpoint: string | null;
};
