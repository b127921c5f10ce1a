# Shared by gen.sh and tests/group.sh.  Needs $PCITOPO.

# group_name CASE: the first name the case's group command takes
group_name() {
    tr ';' '\n' < "$1.cmds" | sed -n 's/^ *group  *\([^ ]*\).*/\1/p' | tail -1
}

# group_outputs CASE DIR: runs the case's commands; writes into DIR
# grouped.xml (the saved result), hotplug.hmp (the monitor script with
# virtio-net-pci stand-ins) and empty.xml (the grouped domain without the
# group: the guest it is hot-plugged into).  Sets $slot.
group_outputs() {
    "$PCITOPO" -c "$(cat "$1.cmds"); save -" "$1.xml" > "$2/grouped.xml" 2> "$2/err" \
        || { echo "$1: pcitopo failed: $(cat "$2/err")" >&2; return 1; }
    g=$(group_name "$1")
    rm -rf "$2/hx"
    "$PCITOPO" -c "hotplug-xml '$g' --stand-in virtio-net-pci -o '$2/hx'" "$2/grouped.xml" \
        > "$2/plan" 2> "$2/err" || { echo "$1: hotplug-xml failed: $(cat "$2/err")" >&2; return 1; }
    cp "$2/hx/hotplug.hmp" "$2/hotplug.hmp"
    slot=$(sed -n 's/^Group at \([0-9a-f]*:[0-9a-f]*\) .*/\1/p' "$2/hx/plan.txt")
    "$PCITOPO" -c "delete $slot; save -" "$2/grouped.xml" > "$2/empty.xml" 2> "$2/err" \
        || { echo "$1: delete $slot failed: $(cat "$2/err")" >&2; return 1; }
}

# in_one_slot HMP INFO_PCI: every device_add of HMP shows in QEMU's `info
# pci` (INFO_PCI) with its id, at the slot and function it asked for, and
# all on one bus
in_one_slot() {
    awk '
        function hex(s,   v, i) {
            sub(/^0x/, "", s); v = 0
            for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
            return v
        }
        { sub(/\r$/, "") }
        FNR == NR {
            if (match($0, /id=[^,]*/)) id = substr($0, RSTART + 3, RLENGTH - 3); else next
            match($0, /addr=0x[0-9a-f]+(\.0x[0-9a-f]+)?/)
            a = substr($0, RSTART + 5, RLENGTH - 5); split(a, p, ".")
            want[id] = sprintf("%d %d", hex(p[1]), p[2] == "" ? 0 : hex(p[2])); n++
            next
        }
        /^  Bus / { gsub(/[,:]/, ""); bus = $2; dev = $4; fn = $6 }
        /^      id "/ { gsub(/"/, "", $2); if ($2 in want) { got[$2] = dev " " fn; busof[$2] = bus } }
        END {
            bad = 0; first = ""
            for (id in want) {
                if (!(id in got)) { print "no function " id " in info pci"; bad = 1; continue }
                if (got[id] != want[id]) { print id " at device/function " got[id] ", wanted " want[id]; bad = 1 }
                if (first == "") first = busof[id]
                else if (busof[id] != first) { print id " on bus " busof[id] ", others on " first; bad = 1 }
            }
            if (n < 2) { print "fewer than 2 functions in the script"; bad = 1 }
            exit bad
        }' "$1" "$2"
}
