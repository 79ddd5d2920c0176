#!/bin/sh
# keepalived's track script for the control-plane VIP: the local API server answers /healthz,
# and, with the VIP on this node, IPVS has its virtual service.
set -eu
# keepalived runs with its own libraries first on the path; curl and ip are the host's.
unset LD_LIBRARY_PATH
tools=$(dirname "$0")/../../vip
vip=${1:-}
port=${2:-6443}
code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 3 "https://127.0.0.1:$port/healthz" || true)
[ "$code" = 200 ] || exit 1
if [ -n "$vip" ] && ip -o addr show | grep -qF " ${vip%/*}/"; then
  LD_LIBRARY_PATH=$tools/lib "$tools/sbin/ipvsadm" -Ln | grep -qF "${vip%/*}:$port" || exit 1
fi
exit 0
