#!/bin/sh
# --json of spare, check, tree, explain and lspci (doc/json.md): every document
# is valid JSON (python3 -m json.tool), follows the schema, and says what
# the text output says on the same file, on q35, pc, aarch64 virt and
# pseries domains, placed, unplaced and broken.
. "$top_srcdir/tests/tap.sh"
EX="$DATA/experiments"
ARCH="$top_srcdir/tests/golden/arch"
PROB="$top_srcdir/tests/golden/problems/place"
if ! command -v python3 >/dev/null 2>&1; then
    tap_skip "python3 is not installed: the JSON cannot be validated"
    tap_done
fi

# valid FILE: each line of FILE is one JSON document that json.tool reads,
# with the schema version first (the key order is the promise of doc/json.md)
valid() {
    [ -s "$1" ] || { echo "no output"; return 1; }
    while IFS= read -r line; do
        printf '%s\n' "$line" | python3 -m json.tool >/dev/null || { echo "not JSON: $line" | head -c 400; return 1; }
        case $line in '{"schema":"pcitopo/1","command":'*) ;; *) echo "no schema first: $line" | head -c 300; return 1;; esac
    done <"$1"
}
# jq_ FILE EXPR: the Python expression EXPR on the document d in FILE
jq_() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
# same WANT GOT: a comparison that says what differs
same() { [ "$1" = "$2" ] || { echo "want '$1', got '$2'"; return 1; }; }

FILES="$EX/14-q35-e1000-and-virtio.in.xml $EX/99-q35-typical-virt-install.out.xml
$EX/100-pc-typical-virt-install.out.xml $EX/02-pc-bare.in.xml
$ARCH/aarch64/capacity/01-aarch64-minimal.xml $ARCH/aarch64/capacity/03-aarch64-auto-3virtio.xml
$ARCH/ppc64/capacity/01-ppc64-minimal.xml $ARCH/ppc64/capacity/03-ppc64-29nic.xml
$EX/101-err-q35-rootport-chassis256.in.xml $PROB/001-q35-slot-0x20.in.xml $PROB/002-pc-slot-0x20.in.xml"

for f in $FILES; do
    n=$(basename "$f" .xml)
    # spare: the two counts of the text line, and how they were counted
    run spare "$f"
    cp "$TMP/out" "$TMP/spare.txt"
    run --json spare "$f"
    t "$n: spare --json is valid JSON" valid "$TMP/out"
    t "$n: spare --json has spare's counts" same "$(sed -n 's/^spare hotplug slots: pcie=\([0-9]*\) pci=\([0-9]*\)$/\1 \2/p' "$TMP/spare.txt")" \
        "$(jq_ "$TMP/out" '"%d %d" % (d["spare"]["pcie"], d["spare"]["pci"])')"
    t "$n: and says when they are of the document as written" same \
        "$(grep -q 'counted on the document as written' "$TMP/spare.txt" && echo as_written || echo placed)" \
        "$(jq_ "$TMP/out" 'd["counted_on"]')"

    # check: the same list, the same exit status
    run check "$f"
    text_rc=$rc
    cp "$TMP/out" "$TMP/check.txt"
    cp "$TMP/err" "$TMP/check.err"
    run check --json "$f"
    t "$n: check --json is valid JSON" valid "$TMP/out"
    t "$n: check --json exits as check does ($text_rc)" expect_rc "$text_rc"
    python3 -c '
import json, sys
for p in json.load(open(sys.argv[1]))["problems"]:
    print(p["text"])
    if p["hint"]:
        print("  hint: " + p["hint"])' "$TMP/out" >"$TMP/rebuilt"
    grep -v ': no PCI problems: ' "$TMP/check.txt" >"$TMP/check.list" || true
    t "$n: check --json lists check's problems, in order, with their hints" diff -u "$TMP/check.list" "$TMP/rebuilt"
    want_total=$(sed -n 's/^pcitopo: check: .*: \([0-9]*\) problems*; .*/\1/p' "$TMP/check.err")
    t "$n: counts.total is what check counts" same "${want_total:-0}" "$(jq_ "$TMP/out" 'd["counts"]["total"]')"
    t "$n: accepted is check's verdict" same "$([ "$text_rc" = 0 ] && echo True || echo False)" \
        "$(jq_ "$TMP/out" 'd["accepted"]')"
    t "$n: counts add up to the list" same "$(jq_ "$TMP/out" 'len(d["problems"])')" \
        "$(jq_ "$TMP/out" 'd["counts"]["refusals"] + d["counts"]["at_start"] + d["counts"]["notes"]')"

    # tree: the lines of tree --ascii, nested as drawn, every empty slot a node
    run tree --ascii "$f"
    sed -E 's/^((\|  |   |\|- |`- ))*//' "$TMP/out" | grep -Ev '^slots? [0-9a-f]{2}(-[0-9a-f]{2})?: empty' >"$TMP/tree.lines"
    empties=$(sed -E 's/^((\|  |   |\|- |`- ))*//' "$TMP/out" | python3 -c '
import re, sys
n = 0
for l in sys.stdin:
    m = re.match(r"slots? ([0-9a-f]{2})(?:-([0-9a-f]{2}))?: empty", l)
    if m:
        n += int(m.group(2) or m.group(1), 16) - int(m.group(1), 16) + 1
print(n)')
    run --json tree "$f"
    t "$n: tree --json is valid JSON" valid "$TMP/out"
    python3 - "$TMP/out" >"$TMP/json.lines" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def walk(nodes):
    for n in nodes:
        if n["role"] != "empty":
            print(n["text"])
        walk(n["children"])
walk(d["tree"])
PY
    t "$n: tree --json has tree's lines in tree's order" diff -u "$TMP/tree.lines" "$TMP/json.lines"
    t "$n: and each empty slot of the tree's runs" same "$empties" "$(python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def count(nodes):
    return sum((n["role"] == "empty") + count(n["children"]) for n in nodes)
print(count(d["tree"]))
PY
)"
    t "$n: below a controller, everything is on the bus it provides" python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = []
def check(nodes):
    for n in nodes:
        if n["role"] in ("root", "controller") and n["provides_bus"] is not None:
            for c in n["children"]:
                if c["role"] != "slot" and c["bus"] != n["provides_bus"]:
                    bad.append((n["text"], c["text"]))
        dev = n["device"]
        if dev and dev["address"] and n["role"] != "root" and n["bus"] is not None and dev["address"]["bus"] != n["bus"]:
            bad.append(("address", n["text"]))
        check(n["children"])
check(d["tree"])
print(bad)
sys.exit(1 if bad else 0)
PY
done

# lspci: the text's lines, the guest's addresses, the reasons of what is
# not seen; machines whose buses pcitopo does not number yet refuse it
for f in $FILES; do
    n=$(basename "$f" .xml)
    run lspci "$f"
    text_rc=$rc
    cp "$TMP/out" "$TMP/lspci.txt"
    run lspci --json "$f"
    if [ "$text_rc" != 0 ]; then
        t "$n: lspci --json fails as lspci does" expect_rc "$text_rc"
        t "$n: and prints no document" sh -c "[ ! -s '$TMP/out' ]"
        continue
    fi
    t "$n: lspci --json is valid JSON" valid "$TMP/out"
    python3 - "$TMP/out" >"$TMP/lspci.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = d["functions"]
seen = [r for r in rows if r["state"] == "seen"]
for r in seen:
    print(r["text"])
if len(seen) < len(rows):
    if seen:
        print()
    print("not seen by the guest:")
    for r in rows[len(seen):]:
        print("  " + r["text"])
PY
    t "$n: lspci --json has lspci's lines, in its order" diff -u "$TMP/lspci.txt" "$TMP/lspci.json"
    t "$n: each seen function's guest address starts its line" python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = [r["text"] for r in d["functions"] if r["state"] == "seen" and not r["text"].startswith(r["guest_address"]["bdf"] + " ")]
bad += [r["text"] for r in d["functions"] if (r["state"] == "seen") != (r["why"] is None)]
bad += ["counts"] if d["counts"]["seen"] != sum(r["state"] == "seen" for r in d["functions"]) else []
print(bad)
sys.exit(1 if bad else 0)
PY
done

# explain: the same words, by topic, and the address it names
f=$EX/14-q35-e1000-and-virtio.in.xml
run explain "$f" 02:01.0
cp "$TMP/out" "$TMP/explain.txt"
run --json explain "$f" 02:01.0
t "explain --json is valid JSON" valid "$TMP/out"
jq_ "$TMP/out" 'd["text"]' | sed '$d' >"$TMP/explain.json"
t "explain --json's text is explain's" diff -u "$TMP/explain.txt" "$TMP/explain.json"
jq_ "$TMP/out" '"\n".join(s["text"] for s in d["sections"])' >"$TMP/explain.sections"
t "its sections are that text cut by topic" diff -u "$TMP/explain.txt" "$TMP/explain.sections"
t "the topics are named" same "device what why-here bus hotplug" "$(jq_ "$TMP/out" '" ".join(s["topic"] for s in d["sections"])')"
t "the address is the one placement gives" same "02:01.0 True" "$(jq_ "$TMP/out" 'd["address"]["bdf"] + " " + str(d["hotplug"])')"
t "the device has no address as written" same "none None 9" \
    "$(jq_ "$TMP/out" '"%s %s %s" % (d["device"]["address_state"], d["device"]["address"], d["device"]["line"])')"
run --json explain "$f" 01:00.0
t "explain --json of a controller placement adds" same "True pcie-to-pci-bridge None" \
    "$(jq_ "$TMP/out" '"%s %s %s" % (d["added"], d["model"], d["device"])')"
run --json explain "$f" ua-nothing
t "explain --json of no device exits 1" expect_rc 1
t "and prints no document" sh -c "[ ! -s '$TMP/out' ]"
t "and says why on stderr" err_has "no device with alias or address 'ua-nothing'"

# the command flag, the global option, -c and JSON Lines
f=$EX/101-err-q35-rootport-chassis256.in.xml
run --json -c 'spare; tree --ascii; check' "$f"
t "--json -c: each command that can print JSON prints one line" same "3" "$(wc -l <"$TMP/out" | tr -d ' ')"
t "and they are JSON Lines" valid "$TMP/out"
t "in the script's order" same "spare tree check" "$(python3 -c '
import json, sys
print(" ".join(json.loads(l)["command"] for l in open(sys.argv[1])))' "$TMP/out")"
t "check still fails the script" expect_rc 1
run -c 'spare --json; spare' "$f"
t "-c 'spare --json; spare': the flag is per command" sh -c "head -1 '$TMP/out' | python3 -m json.tool >/dev/null && sed -n 2p '$TMP/out' | grep -q '^spare hotplug slots:'"
run -c 'spare --json --json' "$f"
t "--json twice is refused" err_has "spare: --json is given twice"
run --json place "$f"
t "--json with a command that has no JSON exits 2" expect_rc 2
t "and names the commands that have" err_has "place prints no JSON (check, explain, lspci, report, spare and tree do)"
run --json "$f" </dev/null
t "--json without a command exits 2" expect_rc 2
t "and says it is for commands" err_has "--json is for commands"
run --json -c 'spare --json' "$f"
t "--json and spare --json together are one --json" valid "$TMP/out"

# strings: a name with a quote, a backslash, a tab and non-ASCII text
sed "s|<name>[^<]*</name>|<name>a\"b\\\\c\tdé</name>|" "$EX/01-q35-bare.out.xml" >"$TMP/odd.xml"
run --json spare "$TMP/odd.xml"
t "a name with quote, backslash, tab and é is valid JSON" valid "$TMP/out"
t "and reads back as written" same "$(printf 'a"b\\c\tdé')" "$(jq_ "$TMP/out" 'd["domain"]["name"]')"
t "the tab is escaped, é is UTF-8" out_has '"name":"a\"b\\c\tdé"'
tap_done
