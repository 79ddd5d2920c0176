#!/bin/sh
# The optional control-plane VIP, the install's last step on a control plane (off by default):
#   vip.sh --prefix P --bundle DIR --vip ADDR/LEN --interface IF --real-servers A,B,…
#          [--router-id N] [--render-only FILE]
#   vip.sh --prefix P --bundle DIR --stop
# Renders keepalived.conf (health check on :6443, 3 retries), checks it with
# `keepalived --config-test` (--render-only stops there), installs it, starts keepalived and waits
# until ipvsadm shows the virtual service keepalived programs. Exit 3: the kernel has no IPVS
# (retrying cannot help). keepalived and ipvsadm are the bundle's, installed with the cluster
# beside these hooks with the libraries they load; the host's are never used.
. "$(dirname "$0")/../lib.sh"
vip=""
iface=""
router=51
servers=""
out=""
rest=""
while [ $# -gt 0 ]; do
  case "$1" in
    --vip) vip=${2:?}; shift 2 ;;
    --interface) iface=${2:?}; shift 2 ;;
    --router-id) router=${2:?}; shift 2 ;;
    --real-servers) servers=${2:?}; shift 2 ;;
    --render-only) out=${2:?}; shift 2 ;;
    *) rest="$rest $1"; shift ;;
  esac
done
# shellcheck disable=SC2086
km_args $rest
pidfile=$KM_RUN/keepalived.pid
if [ "$KM_STOP" = 1 ]; then
  # keepalived takes the VIP and its IPVS service down itself when it stops.
  km_stop_pidfile "$pidfile"
  rm -f "$KM_RUN/keepalived-vrrp.pid" "$KM_RUN/keepalived-checkers.pid"
  echo "keepalived stopped"
  exit 0
fi
case "$vip" in
  */*) ;;
  *) km_die "--vip wants ADDRESS/PREFIXLEN" ;;
esac
case "$vip$iface$router$servers" in *[!A-Za-z0-9.:/,_-]*) km_die "unsupported characters in --vip, --interface, --router-id or --real-servers" ;; esac
[ -n "$iface" ] || km_die "--interface is required"
[ -n "$servers" ] || km_die "--real-servers is required"
template=$KM_BUNDLE/templates/k8s/keepalived.conf.in
tools=$KM_ROOT/usr/local/lib/k8s-manage/$KM_NAME/vip
tool() {
  _tool=$1
  shift
  LD_LIBRARY_PATH=$tools/lib "$tools/sbin/$_tool" "$@"
}
need_tools() {
  for _tool in keepalived ipvsadm; do
    [ -x "$tools/sbin/$_tool" ] || km_die "$_tool is not in this host's install of $KM_NAME ($tools/sbin): build the VIP tools where the runner is (npm run bundle:build -- --runtime ${KM_NAME%%-*} --version ${KM_NAME#*-}), then uninstall and install the cluster again"
  done
}
config_test() {
  tool keepalived --config-test -f "$1"
  echo "keepalived --config-test passed: $tools/sbin/keepalived, $(tool keepalived --version 2>&1 | head -n 1)"
}
check=$KM_ROOT/usr/local/lib/k8s-manage/$KM_NAME/hooks/k8s/check-apiserver.sh
render() {
  sed -e "s|@VIP@|$vip|g" -e "s|@INTERFACE@|$iface|g" -e "s|@ROUTER_ID@|$router|g" \
    -e "s|@CHECK@|$check|g" -e "s|@ROOT@|$KM_ROOT|g" "$template" >"$1"
  {
    printf 'virtual_server %s 6443 {\n    delay_loop 5\n    lb_algo rr\n    lb_kind DR\n    protocol TCP\n' "${vip%/*}"
    for s in $(echo "$servers" | tr ',' ' '); do
      printf '    real_server %s 6443 {\n        weight 1\n        TCP_CHECK {\n' "$s"
      printf '            connect_timeout 3\n            retry 3\n            delay_before_retry 2\n        }\n    }\n'
    done
    printf '}\n'
  } >>"$1"
}
if [ -n "$out" ]; then
  render "$out"
  need_tools
  config_test "$out"
  exit 0
fi
if [ ! -e /proc/net/ip_vs ]; then
  echo "error: IPVS is not available in this kernel (no /proc/net/ip_vs)" >&2
  exit 3
fi
need_tools
render "$KM_STATE/keepalived.conf"
config_test "$KM_STATE/keepalived.conf"
km_put "$KM_STATE/keepalived.conf" "$KM_ROOT/etc/keepalived/keepalived.conf" 0644
rm -f "$KM_STATE/keepalived.conf"
km_own "$KM_RUN"
# A retry or a changed VIP: the running keepalived has the old configuration.
km_stop_pidfile "$pidfile"
tool keepalived -f "$KM_ROOT/etc/keepalived/keepalived.conf" -p "$pidfile" \
  -r "$KM_RUN/keepalived-vrrp.pid" -c "$KM_RUN/keepalived-checkers.pid"
addr=${vip%/*}
case "$addr" in
  *:*) service="[$addr]:6443" ;;
  *) service="$addr:6443" ;;
esac
i=0
until tool ipvsadm -Ln -t "$service" >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -gt 50 ]; then
    # Nothing half-done stays running: a retry starts from a clean host.
    km_stop_pidfile "$pidfile"
    km_die "keepalived did not program the IPVS service $service within 10 s"
  fi
  sleep 0.2
done
tool ipvsadm -Ln -t "$service"
echo "keepalived started for $vip on $iface"
