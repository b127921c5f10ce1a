# capacity-lib.sh: live hot-plug capacity with the oracle, for the gen.sh
# scripts of capacity/, capacity-unseen/ and prefs/ (source it after cd
# into the case directory; ORACLE names the oracle).

# measure_capacity STEM FILE: for MODEL in virtio and e1000, writes
# STEM.MODEL.txt: the count `capacity FILE MODEL` printed, then
# "refusal: " and libvirt's last error; "START FAILED" when the guest did
# not start (returns 1 then).
measure_capacity() {
    mc_bad=0
    for m in virtio e1000; do
        out=$("$ORACLE" capacity "$2" "$m" 2> "$1.$m.err"); rc=$?
        last=$(grep -v '^$' "$1.$m.err" | tail -1)
        if [ $rc -ne 0 ] || ! [[ $out =~ ^[0-9]+$ ]]; then
            printf 'START FAILED (rc=%s)\nrefusal: %s\n' "$rc" "$last" > "$1.$m.txt"
            echo "gen.sh: $1 $m: guest did not start: $last" >&2; mc_bad=1
        else
            printf '%s\nrefusal: %s\n' "$out" "$last" > "$1.$m.txt"
            echo "   $m: $out ($last)" >&2
        fi
        rm -f "$1.$m.err"
    done
    return $mc_bad
}

# write_expected: expected.tsv, one row (case, virtio, e1000) per case
# with two numeric counts.
write_expected() {
    {
        printf 'case\tpcie\tpci\n'
        for v in [0-9][0-9]-*.virtio.txt; do
            c=${v%.virtio.txt}
            a=$(head -1 "$v"); b=$(head -1 "$c.e1000.txt" 2>/dev/null)
            [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]] || continue
            printf '%s\t%s\t%s\n' "$c" "$a" "$b"
        done
    } > expected.tsv
}
