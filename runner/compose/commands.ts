/**
 * Command lines of the compose adapter, as argument vectors. Production hosts mostly have the v2
 * plugin (`docker compose`); older ones only the v1 Python tool (`docker-compose`). Both take the
 * project name verbatim with `-p`, so every command acts on exactly that project's containers.
 */
export type ComposeDialect = 'v1' | 'v2';

export type ComposeTarget = { dialect: ComposeDialect; project: string; file: string };

/** Relative to the login user's home directory, where the shell starts. */
export const composeDir = (project: string) => `.k8s-manage/compose/${project}`;
export const composeFile = (project: string) => `${composeDir(project)}/docker-compose.yml`;

const base = ({ dialect, project, file }: ComposeTarget) =>
  dialect === 'v2'
    ? ['docker', 'compose', '-p', project, '-f', file]
    : ['docker-compose', '-p', project, '-f', file];

export const versionProbe = (dialect: ComposeDialect) =>
  dialect === 'v2' ? ['docker', 'compose', 'version'] : ['docker-compose', 'version'];

export const makeDir = (project: string) => ['mkdir', '-p', composeDir(project)];

export const configCheck = (t: ComposeTarget) => [...base(t), 'config', '-q'];

export const pull = (t: ComposeTarget) => [...base(t), 'pull'];

export const up = (t: ComposeTarget) => [...base(t), 'up', '-d', '--remove-orphans'];

/**
 * `strategy: recreate`: the project's old containers go before the new ones start. `down` (not
 * `stop`) so `up` cannot restart an old container whose configuration did not change, with
 * `--remove-orphans` for services the new file dropped; never `-v`: the volumes hold the data.
 */
export const down = (t: ComposeTarget) => [...base(t), 'down', '--remove-orphans'];

/**
 * v2 lists its containers as JSON itself (`--all`: an exited container is what we look for);
 * v1 has no JSON output, so it lists ids and `inspect` (below) reads their state.
 */
export const ps = (t: ComposeTarget) =>
  t.dialect === 'v2' ? [...base(t), 'ps', '--all', '--format', 'json'] : [...base(t), 'ps', '-q'];

/**
 * Only the fields the diagnostics show, one JSON object per line. Never `{{json .}}`: the full
 * record holds `Config.Env`, where the release's secret values are.
 */
export const INSPECT_TEMPLATE =
  '{"name":{{json .Name}},"image":{{json .Config.Image}},"status":{{json .State.Status}},' +
  '"health":{{if .State.Health}}{{json .State.Health.Status}}{{else}}null{{end}},' +
  '"exit_code":{{json .State.ExitCode}},' +
  '"service":{{json (index .Config.Labels "com.docker.compose.service")}}}';

export const inspect = (ids: string[]) => [
  'docker',
  'inspect',
  '--type',
  'container',
  '--format',
  INSPECT_TEMPLATE,
  ...ids,
];

export const logs = (t: ComposeTarget, lines: number) => [
  ...base(t),
  'logs',
  '--no-color',
  '--tail',
  String(lines),
];

/**
 * The project's containers with the adapter's inspect template, in one command and without
 * compose: the docker CLI starts in milliseconds where docker-compose v1 starts a Python
 * interpreter (about a second), and a wait polls this many times. Compose labels every container
 * with the project name it was given (names are already lowercase, so v1 keeps them as they are);
 * one-off `run` containers are left out, as `compose ps` leaves them out. No containers: no output.
 */
export const CONTAINERS_SCRIPT =
  'ids=$(docker ps -aq --no-trunc --filter "label=com.docker.compose.project=$1" ' +
  '--filter label=com.docker.compose.oneoff=False) || exit $?; ' +
  '[ -z "$ids" ] || exec docker inspect --type container --format "$2" $ids';

export const containers = (project: string) => [
  'sh',
  '-c',
  CONTAINERS_SCRIPT,
  'sh',
  project,
  INSPECT_TEMPLATE,
];

/**
 * The last `lines` of each named container's output (stdout and stderr), each line prefixed with
 * the container's name as `compose logs` does; one command for every container, through the
 * docker CLI for the same reason as `containers`.
 */
export const CONTAINER_LOGS_SCRIPT =
  'n=$1; shift; for c; do docker logs --tail "$n" "$c" 2>&1 | ' +
  'while IFS= read -r l; do printf "%s | %s\\n" "$c" "$l"; done; done';

export const containerLogs = (names: string[], lines: number) => [
  'sh',
  '-c',
  CONTAINER_LOGS_SCRIPT,
  'sh',
  String(lines),
  ...names,
];

/** A pull of one image by the docker CLI; `-q`: only the reference on success. */
export const pullImage = (image: string) => ['docker', 'pull', '-q', image];

/** Exits 0 when the engine has the image; used for references pinned by digest, which cannot move. */
export const hasImage = (image: string) => ['docker', 'image', 'inspect', '--format', '{{.Id}}', image];
