#!/usr/bin/env bash
# run.sh PCITOPO -- place every in/*.in.xml with pcitopo in four variants, ask the oracle, compare.
set -u
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
PT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$HERE/out"
one() {
    local in=$1 v=$2 cmd=$3 b; b=$(basename "$in" .in.xml)
    local out="$HERE/out/$b.$v.xml"
    if ! "$PT" -c "$cmd; place -o $out" "$in" >"$HERE/out/$b.$v.pcitopo.log" 2>&1 || [ ! -s "$out" ]; then
        echo "$b $v: PCITOPO REFUSED: $(tail -2 "$HERE/out/$b.$v.pcitopo.log" | tr '\n' ' ')"; return; fi
    if ! "$ORACLE" place "$out" >"$out.oracle" 2>"$out.oracle.err"; then
        echo "$b $v: ORACLE REFUSED: $(tail -1 "$out.oracle.err")"; return; fi
    local d; d=$(python3 "$HERE/compare.py" "$out" "$out.oracle") && echo "$b $v: same" || echo "$b $v: DIFF $d"
}
export -f one; export ORACLE PT HERE
for f in "$HERE"/in/*.in.xml; do
    m=$(basename "$f" | cut -d- -f2)
    if [ "$m" = q35 ]; then prefs='add e1000 bus=pci hotplug=no; add virtio-net hotplug=no; add virtio-blk bus=pci; add e1000e bus=pcie hotplug=no; add rtl8139 bus=pci'
    else prefs='add e1000 bus=pci hotplug=no; add virtio-net hotplug=no; add virtio-blk bus=pci; add rtl8139 hotplug=yes'; fi
    printf '%s\t%s\t%s\n' "$f" minimal "policy minimal" "$f" spare3 "spare-ports 3" "$f" prefs "$prefs" "$f" minprefs "policy minimal; $prefs"
done | xargs -P 6 -d '\n' -I{} bash -c 'IFS=$'"'"'\t'"'"' read -r a b c <<< "$1"; one "$a" "$b" "$c"' _ {}
