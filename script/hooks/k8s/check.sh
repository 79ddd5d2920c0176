#!/bin/sh
# Check entry of the k8s bundle: versions, then the node Ready (control plane) or kubelet
# running (worker).
. "$(dirname "$0")/../lib.sh"
km_args "$@"
conf=$KM_ROOT/etc/kubernetes/admin.conf
"$KM_BIN/kubeadm" version
"$KM_BIN/kubelet" --version
"$KM_BIN/containerd" --version
if [ "$KM_ROLE" != control-plane ]; then
  km_running "$KM_RUN/kubelet.pid" || km_systemd || km_die "kubelet is not running"
  exit 0
fi
i=0
until "$KM_BIN/kubectl" --kubeconfig "$conf" get nodes --no-headers 2>/dev/null | grep -q '[[:space:]]Ready[[:space:]]'; do
  i=$((i + 1))
  if [ "$i" -gt 300 ]; then
    "$KM_BIN/kubectl" --kubeconfig "$conf" get nodes >&2 || true
    km_die "the node was not Ready within 60 s"
  fi
  sleep 0.2
done
"$KM_BIN/kubectl" --kubeconfig "$conf" get nodes
echo "K8SM_ENDPOINT=$(sed -n 's/^ *server: *//p' "$conf" | head -n 1)"
