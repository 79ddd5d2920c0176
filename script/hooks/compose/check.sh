#!/bin/sh
# Check entry of the compose bundle: the engine answers `docker info` on its socket.
. "$(dirname "$0")/../lib.sh"
km_args "$@"
host=unix://$KM_ROOT/run/docker.sock
i=0
until "$KM_BIN/docker" -H "$host" info >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -gt 150 ]; then
    "$KM_BIN/docker" -H "$host" info >&2 || true
    km_die "the engine did not answer on $host within 30 s"
  fi
  sleep 0.2
done
"$KM_BIN/docker" -H "$host" version
echo "K8SM_ENDPOINT=$host"
