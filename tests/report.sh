#!/bin/sh
# report FILE...: a row per file, text and --json (doc/json.md), agreeing
# with spare and check run on each file; unreadable and broken files are
# error rows, never the end of the report.
. "$top_srcdir/tests/tap.sh"
EX="$DATA/experiments"
ARCH="$top_srcdir/tests/golden/arch"
if ! command -v python3 >/dev/null 2>&1; then
    tap_skip "python3 is not installed: the JSON cannot be read"
    tap_done
fi
same() { [ "$1" = "$2" ] || { echo "want '$1', got '$2'"; return 1; }; }
jq_() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

GOOD="$EX/14-q35-e1000-and-virtio.in.xml $EX/99-q35-typical-virt-install.out.xml
$EX/100-pc-typical-virt-install.out.xml $EX/02-pc-bare.in.xml
$ARCH/aarch64/capacity/03-aarch64-auto-3virtio.xml $ARCH/aarch64/capacity/03-aarch64-auto-3virtio.placed.xml
$ARCH/ppc64/capacity/03-ppc64-29nic.xml $EX/101-err-q35-rootport-chassis256.in.xml
$top_srcdir/tests/golden/problems/place/002-pc-slot-0x20.in.xml"
printf '<domain type="kvm"><name>x</name>\n<devices>\n' >"$TMP/broken.xml"
printf '\377\376<\0d\0' >"$TMP/utf16.xml"
# shellcheck disable=SC2086
run --json report $GOOD "$TMP/broken.xml" "$TMP/missing.xml" "$TMP/utf16.xml"
cp "$TMP/out" "$TMP/report.json"
t "report --json over 12 files is valid JSON" sh -c "python3 -m json.tool '$TMP/report.json' >/dev/null"
t "its schema comes first" sh -c "grep -q '^{\"schema\":\"pcitopo/1\",\"command\":\"report\"' '$TMP/report.json'"
t "a row per file, in order" same "12" "$(jq_ "$TMP/report.json" 'len(d["domains"])')"
t "report exits 1 when files are in error or domains have problems" expect_rc 1
t "and says how many" err_has "report: 2 of 12 domains with problems, 3 that could not be read"
t "the counts say so too" same "12 3 2" "$(jq_ "$TMP/report.json" '"%d %d %d" % (d["counts"]["domains"], d["counts"]["errors"], d["counts"]["with_problems"])')"

i=0
for f in $GOOD; do
    n=$(basename "$f" .xml)
    row="d[\"domains\"][$i]"
    run spare "$f"
    t "$n: report's spare counts are spare's" same \
        "$(sed -n 's/^spare hotplug slots: pcie=\([0-9]*\) pci=\([0-9]*\)$/\1 \2/p' "$TMP/out")" \
        "$(jq_ "$TMP/report.json" "'%d %d' % ($row['spare']['pcie'], $row['spare']['pci'])")"
    run check "$f"
    total=$(sed -n 's/^pcitopo: check: .*: \([0-9]*\) problems*; .*/\1/p' "$TMP/err")
    listed=$(grep -vc -e '^  hint: ' -e ': no PCI problems: ' "$TMP/out")
    t "$n: report's problems are check's (${total:-0} problems, $listed listed)" same "${total:-0} $listed" \
        "$(jq_ "$TMP/report.json" "'%d %d' % ($row['problems']['total'], $row['problems']['total'] + $row['problems']['notes'])")"
    t "$n: named, a file, its machine" same "$f file $(grep -o "machine=.[^'\"]*" "$f" | head -1 | cut -c10-)" \
        "$(jq_ "$TMP/report.json" "'%s %s %s' % ($row['name'], $row['state'], $row['machine'] or '')")"
    # what placement adds: the PCI controllers of place's output that the
    # file has not, but for the root (index 0), which is no new bus
    run place "$f"
    if [ "$rc" = 0 ]; then
        added=$(( $(grep "<controller type=.pci." "$TMP/out" | grep -vc "index=.0.") - $(grep "<controller type=.pci." "$f" | grep -vc "index=.0.") ))
    else
        added=None
    fi
    t "$n: adds is what place adds ($added)" same "$added" "$(jq_ "$TMP/report.json" "$row['adds']['controllers']")"
    i=$((i + 1))
done
t "a placed domain adds nothing" same "0" "$(jq_ "$TMP/report.json" 'd["domains"][1]["adds"]["controllers"]')"
t "the models add up to the count" python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["domains"]:
    if r["adds"] and r["adds"]["controllers"] is not None:
        assert sum(m["count"] for m in r["adds"]["models"]) == r["adds"]["controllers"], r["name"]' "$TMP/report.json"
t "broken XML is an error row naming the file and line" same "True" \
    "$(jq_ "$TMP/report.json" 'd["domains"][9]["error"].startswith("'"$TMP"'/broken.xml:") and d["domains"][9]["spare"] is None')"
t "a missing file is an error row" same "True" \
    "$(jq_ "$TMP/report.json" '"cannot open" in d["domains"][10]["error"] and d["domains"][10]["problems"] is None')"
t "a UTF-16 file is an error row" same "True" "$(jq_ "$TMP/report.json" 'd["domains"][11]["error"] is not None')"

# text: an aligned table, the same figures
# shellcheck disable=SC2086
run report $GOOD "$TMP/broken.xml"
cp "$TMP/out" "$TMP/table"
t "report prints a heading" out_has "NAME"
t "and a line per file" same "11" "$(grep -vc '^\* counted' "$TMP/table")"
t "its columns line up" python3 -c '
import sys
lines = [l for l in open(sys.argv[1]) if not l.startswith("* ")]
head = lines[0]
for col in ("STATE", "MACHINE"):
    at = head.index(col)
    for l in lines[1:]:
        assert l[at - 2:at] == "  " and l[at] != " ", (col, l)
for col in ("PCIE", "PCI ", "PROBLEMS", "NOTES", "ADDS"):
    end = head.index(col) + len(col.strip())
    for l in lines[1:]:
        if "error:" not in l:
            assert l[end - 1] != " " and l[end] in " \n", (col, l)' "$TMP/table"
t "the error row says why" sh -c "grep -q 'broken.xml  *file  *error: .*broken.xml:' '$TMP/table'"
t "a count of a refused placement is marked" sh -c "grep -q '^\* counted on the document as written' '$TMP/table'"
pcie=$(jq_ "$TMP/report.json" 'd["domains"][0]["spare"]["pcie"]')
t "the table has the JSON's figures" sh -c "grep '14-q35-e1000-and-virtio.in.xml' '$TMP/table' | grep -Eq 'q35 +$pcie +'"

# exit status
run report "$EX/99-q35-typical-virt-install.out.xml" "$EX/100-pc-typical-virt-install.out.xml"
t "report exits 0 when every domain is fine" expect_rc 0
run --json report "$EX/99-q35-typical-virt-install.out.xml"
t "--json report is report --json" sh -c "[ $rc = 0 ] && grep -q '\"command\":\"report\"' '$TMP/out'"
run report
t "report without files is refused" sh -c "[ $rc != 0 ]"
t "with its usage" err_has "report [--json] FILE..."
run -c "report '$EX/99-q35-typical-virt-install.out.xml'" "$EX/01-q35-bare.out.xml"
t "report runs in a -c script" sh -c "[ $rc = 0 ] && grep -q '^NAME' '$TMP/out'"

# a file name that is no UTF-8 reads back with U+FFFD
bad=$(printf '%s/n\377me.xml' "$TMP")
command cp "$EX/99-q35-typical-virt-install.out.xml" "$bad"
run --json report "$bad"
t "a file name that is not UTF-8 still makes valid JSON" sh -c "python3 -m json.tool '$TMP/out' >/dev/null"
t "with U+FFFD for the byte" out_has 'n\ufffdme.xml'
tap_done
