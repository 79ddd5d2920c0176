# shellcheck shell=sh
# Shared by the bundle's entry points. Every path created or replaced under the prefix is written
# to the installed-list before it changes, so uninstall can undo exactly this install, even one
# that stopped half-way:
#   dir PATH     created by us (removed at uninstall when empty)
#   tree PATH    a directory a daemon fills (removed with its content)
#   file PATH    created by us
#   backup PATH  replaced by us; the original waits under the state directory
set -eu
set -f

km_die() {
  echo "error: $*" >&2
  exit 1
}

km_args() {
  KM_PREFIX=/
  KM_BUNDLE=""
  KM_PHASE=files
  KM_ROLE=control-plane
  KM_STOP=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --prefix) KM_PREFIX=${2:?}; shift 2 ;;
      --bundle) KM_BUNDLE=${2:?}; shift 2 ;;
      --phase) KM_PHASE=${2:?}; shift 2 ;;
      --role) KM_ROLE=${2:?}; shift 2 ;;
      --stop) KM_STOP=1; shift ;;
      *) km_die "unknown argument: $1" ;;
    esac
  done
  case "$KM_PREFIX" in /*) ;; *) km_die "--prefix must be an absolute path" ;; esac
  # Paths go into templates through sed and into word lists: only the characters the platform allows.
  case "$KM_PREFIX$KM_BUNDLE" in *[!A-Za-z0-9._/-]*) km_die "unsupported characters in a path" ;; esac
  [ -d "$KM_BUNDLE" ] || km_die "no bundle at $KM_BUNDLE"
  KM_ROOT=${KM_PREFIX%/}
  KM_NAME=$(basename "$KM_BUNDLE")
  KM_STATE=$KM_ROOT/var/lib/k8s-manage/install/$KM_NAME
  KM_LIST=$KM_STATE/installed.list
  KM_RUN=$KM_ROOT/run/k8s-manage
  KM_LOGS=$KM_ROOT/var/log/k8s-manage
  KM_BIN=$KM_ROOT/usr/local/bin
  export KM_PHASE KM_ROLE KM_STOP KM_PREFIX KM_BUNDLE KM_ROOT KM_NAME KM_STATE KM_LIST KM_RUN KM_LOGS KM_BIN
}

km_recorded() {
  [ -f "$KM_LIST" ] && grep -qxF -- "$1" "$KM_LIST"
}

km_record() {
  km_recorded "$1" || printf '%s\n' "$1" >>"$KM_LIST"
}

km_mkdir() {
  _chain=""
  _p=$1
  while [ ! -d "$_p" ]; do
    _chain="$_p $_chain"
    _p=$(dirname "$_p")
  done
  for _c in $_chain; do
    km_record "dir $_c"
    mkdir "$_c"
  done
}

# A directory a daemon writes into: ours to remove whole only when it did not exist before.
km_own() {
  if [ ! -d "$1" ]; then
    km_mkdir "$(dirname "$1")"
    km_record "tree $1"
    mkdir "$1"
  fi
}

km_put() {
  km_mkdir "$(dirname "$2")"
  if ! km_recorded "file $2" && ! km_recorded "backup $2"; then
    if [ -e "$2" ] || [ -L "$2" ]; then
      mkdir -p "$KM_STATE/backup$(dirname "$2")"
      cp -a "$2" "$KM_STATE/backup$2"
      km_record "backup $2"
    else
      km_record "file $2"
    fi
  fi
  cp "$1" "$2.k8sm-tmp"
  chmod "$3" "$2.k8sm-tmp"
  mv -f "$2.k8sm-tmp" "$2"
}

km_render() {
  sed -e "s|@ROOT@|$KM_ROOT|g" -e "s|@PREFIX@|$KM_PREFIX|g" -e "s|@BUNDLE@|$KM_BUNDLE|g" \
    -e "s|@NAME@|$KM_NAME|g" "$1" >"$KM_STATE/rendered.tmp"
  km_put "$KM_STATE/rendered.tmp" "$2" "$3"
  rm -f "$KM_STATE/rendered.tmp"
}

# systemd only manages the real root; a prefix install runs beside whatever the host already has.
km_systemd() {
  [ "$KM_PREFIX" = / ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
}

km_running() {
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Starts a daemon in its own session, detached from the SSH session's output, pid in $1.
km_spawn() {
  _pidfile=$1
  _log=$2
  shift 2
  setsid "$@" </dev/null >>"$_log" 2>&1 &
  echo $! >"$_pidfile"
}

km_wait_file() {
  _i=0
  while [ ! -s "$1" ]; do
    _i=$((_i + 1))
    [ "$_i" -le "$2" ] || return 1
    sleep 0.2
  done
}

km_stop_pidfile() {
  [ -f "$1" ] || return 0
  _pid=$(cat "$1")
  if [ -n "$_pid" ] && kill -0 "$_pid" 2>/dev/null; then
    kill -TERM "$_pid" 2>/dev/null || true
    _i=0
    while kill -0 "$_pid" 2>/dev/null && [ "$_i" -lt 100 ]; do
      sleep 0.2
      _i=$((_i + 1))
    done
    kill -KILL "$_pid" 2>/dev/null || true
  fi
  rm -f "$1"
}
