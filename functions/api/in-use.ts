import type { InstallTaskStatus } from '../../shared/contracts/installs';
import type { LifecycleState } from '../../shared/releases/lifecycle';

/**
 * What "in use" means for a DELETE (SPEC §7.0): a release in one of these states still runs (or will
 * run) against what it names, and so does an install task in one of these.
 */
export const RELEASE_IN_FLIGHT: LifecycleState[] = ['pending_approval', 'approved', 'applying'];
export const INSTALL_UNFINISHED: InstallTaskStatus[] = ['queued', 'running', 'pending_approval'];

/** How many users an IN_USE message lists by name at most (it says how many there are). */
export const NAMED_USERS = 20;
