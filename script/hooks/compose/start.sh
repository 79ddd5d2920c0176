#!/bin/sh
# Start entry of the compose bundle: --prefix P --bundle DIR [--stop].
# Prefix `/` on a systemd host: the docker.service unit. Any other prefix: dockerd in the
# background with its own socket, data root and pidfile under the prefix, and no bridge or
# iptables rules, so it runs beside any engine the host already has.
. "$(dirname "$0")/../lib.sh"
km_args "$@"
sock=$KM_ROOT/run/docker.sock
pidfile=$KM_ROOT/run/docker.pid

if [ "$KM_STOP" = 1 ]; then
  if km_systemd; then
    systemctl disable --now docker.service || true
  else
    km_stop_pidfile "$pidfile"
    rm -f "$sock"
  fi
  echo "dockerd stopped"
  exit 0
fi

if km_systemd; then
  systemctl daemon-reload
  systemctl enable --now docker.service
  echo "docker.service started"
  exit 0
fi
if km_running "$pidfile"; then
  echo "dockerd already runs (pid $(cat "$pidfile"))"
  exit 0
fi
km_mkdir "$KM_ROOT/run"
km_own "$KM_ROOT/run/docker"
km_own "$KM_ROOT/var/lib/docker"
km_own "$KM_LOGS"
# dockerd finds containerd, runc and docker-init on PATH.
PATH=$KM_BIN:$PATH
export PATH
setsid "$KM_BIN/dockerd" --config-file "$KM_ROOT/etc/docker/daemon.json" \
  --bridge=none --iptables=false --ip-masq=false --storage-driver=vfs \
  </dev/null >>"$KM_LOGS/dockerd.log" 2>&1 &
if ! km_wait_file "$pidfile" 150; then
  tail -n 20 "$KM_LOGS/dockerd.log" >&2 || true
  km_die "dockerd wrote no pidfile within 30 s"
fi
echo "dockerd started (pid $(cat "$pidfile")), socket $sock"
