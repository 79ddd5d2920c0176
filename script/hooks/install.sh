#!/bin/sh
# Install entry: --prefix P --bundle DIR [--phase files|configure|fingerprint].
#   files        copies every bundle file except templates (*.tmpl) to <prefix>/<install_to>
#   configure    renders the templates with the prefix to their install_to
#   fingerprint  puts the runner's fingerprint.json in place
# files.tsv (path, install_to, mode) is written beside the bundle by the runner from the manifest.
. "$(dirname "$0")/lib.sh"
km_args "$@"
[ -d "$KM_STATE" ] || km_die "no state directory $KM_STATE: the upload step has not run"
tsv=$KM_BUNDLE/files.tsv
[ -f "$tsv" ] || km_die "no file list at $tsv"

case "$KM_PHASE" in
  files | configure)
    tab=$(printf '\t')
    while IFS=$tab read -r path dest mode; do
      [ -n "$path" ] || continue
      case "$path:$KM_PHASE" in
        *.tmpl:configure) km_render "$KM_BUNDLE/$path" "$KM_ROOT/$dest" "$mode" && echo "rendered $dest" ;;
        *.tmpl:files | *:configure) ;;
        *) km_put "$KM_BUNDLE/$path" "$KM_ROOT/$dest" "$mode" && echo "installed $dest" ;;
      esac
    done <"$tsv"
    ;;
  fingerprint)
    km_put "$KM_STATE/fingerprint.json.new" "$KM_ROOT/etc/k8s-manage/fingerprint.json" 0644
    rm -f "$KM_STATE/fingerprint.json.new"
    echo "fingerprint written"
    ;;
  *) km_die "unknown phase $KM_PHASE" ;;
esac
