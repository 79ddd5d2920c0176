import { InstallPayload, InstallWork } from '../install/work';
import { authSecrets, defineJobKind } from './define';

/** A runtime bundle installed on, or removed from, an environment's hosts. */
export const environmentInstallKind = defineJobKind({
  kind: 'environment_install',
  version: 1,
  payload: InstallPayload,
  work: InstallWork,
  // An install is most hosts' first contact: their keys are pinned from its steps.
  hostsOf: (p) => p.host_ids,
  secretsOf: (w) => w.hosts.flatMap(authSecrets),
});
