#!/bin/sh
# Start entry of the k8s bundle: --prefix P --bundle DIR [--role control-plane|worker] [--stop].
# Prefix `/` on a systemd host: containerd.service and kubelet.service. Any other prefix: both in
# the background with pidfiles under the prefix. The control plane then runs `kubeadm init`
# (with --rootfs for a prefix), once: a retried start finds admin.conf and leaves it.
. "$(dirname "$0")/../lib.sh"
km_args "$@"
conf=$KM_ROOT/etc/kubernetes/admin.conf
rootfs=""
[ "$KM_PREFIX" = / ] || rootfs="--rootfs=$KM_PREFIX"

if [ "$KM_STOP" = 1 ]; then
  if km_systemd; then
    systemctl disable --now kubelet.service containerd.service || true
  else
    km_stop_pidfile "$KM_RUN/kubelet.pid"
    km_stop_pidfile "$KM_RUN/containerd.pid"
  fi
  # A control plane has admin.conf; a node that joined has kubelet.conf.
  if [ -x "$KM_BIN/kubeadm" ] && { [ -e "$conf" ] || [ -e "$KM_ROOT/etc/kubernetes/kubelet.conf" ]; }; then
    # shellcheck disable=SC2086
    "$KM_BIN/kubeadm" reset -f $rootfs || true
  fi
  echo "kubelet and containerd stopped"
  exit 0
fi

for d in "$KM_ROOT/etc/kubernetes" "$KM_ROOT/var/lib/kubelet" "$KM_ROOT/var/lib/containerd" \
  "$KM_ROOT/run/containerd" "$KM_RUN" "$KM_LOGS"; do
  km_own "$d"
done
if km_systemd; then
  systemctl daemon-reload
  systemctl enable --now containerd.service kubelet.service
else
  PATH=$KM_BIN:$PATH
  export PATH
  km_running "$KM_RUN/containerd.pid" || km_spawn "$KM_RUN/containerd.pid" "$KM_LOGS/containerd.log" \
    "$KM_BIN/containerd" --config "$KM_ROOT/etc/containerd/config.toml" \
    --address "$KM_ROOT/run/containerd/containerd.sock"
  km_running "$KM_RUN/kubelet.pid" || km_spawn "$KM_RUN/kubelet.pid" "$KM_LOGS/kubelet.log" \
    "$KM_BIN/kubelet" --config "$KM_ROOT/var/lib/kubelet/config.yaml" \
    --kubeconfig "$KM_ROOT/etc/kubernetes/kubelet.conf" --root-dir "$KM_ROOT/var/lib/kubelet"
fi
if [ "$KM_ROLE" = control-plane ] && [ ! -e "$conf" ]; then
  # shellcheck disable=SC2086
  "$KM_BIN/kubeadm" init --config "$KM_ROOT/etc/k8s-manage/kubeadm.yaml" $rootfs
fi
echo "containerd and kubelet started ($KM_ROLE)"
