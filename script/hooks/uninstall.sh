#!/bin/sh
# Uninstall entry: --prefix P --bundle DIR. Undoes what the installed-list says, newest first:
# removes what install created, puts back what it replaced, then drops the bundle, the step
# markers and the fingerprint's state. The runtime must be stopped first (start entry --stop).
. "$(dirname "$0")/lib.sh"
km_args "$@"
if [ ! -f "$KM_LIST" ]; then
  echo "nothing recorded for $KM_NAME under $KM_PREFIX"
  exit 0
fi
reverse=$(awk '{ l[NR] = $0 } END { for (i = NR; i > 0; i--) print l[i] }' "$KM_LIST")
dirs=""
while read -r kind path; do
  case "$kind" in
    file) rm -f "$path" ;;
    tree) rm -rf "$path" ;;
    backup)
      rm -rf "$path"
      mv -f "$KM_STATE/backup$path" "$path"
      echo "restored $path"
      ;;
    dir) dirs="$dirs $path" ;;
    "") ;;
    *) echo "warning: unknown entry $kind" >&2 ;;
  esac
done <<LIST
$reverse
LIST
rm -rf "$KM_STATE" "$KM_BUNDLE"
for d in $dirs; do
  if [ -d "$d" ] && ! rmdir "$d" 2>/dev/null; then echo "kept $d: not empty"; fi
done
echo "uninstalled $KM_NAME from $KM_PREFIX"
