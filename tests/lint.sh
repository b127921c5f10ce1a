#!/bin/sh
# check's guest lint against booted guests: for every case of
# tests/golden/lint and tests/golden/guest, the lint codes check gives
# (check --json) are exactly those the boot shows (gen/verdict.py reads
# QEMU's start error, info pci and the firmware's samples), each with a
# hint; warnings leave check's exit status alone, acpi-index refusals
# make it 1; and the text output says "warning:" with a hint.
. "$top_srcdir/tests/tap.sh"
GOLD="$top_srcdir/tests/golden"
if ! command -v python3 >/dev/null 2>&1; then
    tap_skip "python3 is not installed: the boots cannot be read"
    tap_done
fi

# lint_case STEM: one booted case
lint_case() {
    stem=$1
    want=$(python3 "$GOLD/lint/gen/verdict.py" "$stem" | cut -d' ' -f2)
    [ "$want" = skip ] && return 0
    "$PCITOPO" --json check "$stem.xml" > "$TMP/json" 2>/dev/null
    rc=$?
    "$PCITOPO" check "$stem.xml" > "$TMP/text" 2>&1
    python3 - "$TMP/json" "$want" "$rc" <<'PY' || return 1
import json, sys
doc = json.loads(open(sys.argv[1]).readline())
want = set() if sys.argv[2] == "-" else set(sys.argv[2].split(","))
rc = int(sys.argv[3])
lint = [p for p in doc["problems"] if p.get("code")]
got = {p["code"] for p in lint}
bad = []
if got != want:
    bad.append("the boot shows %s, check says %s" % (sorted(want) or "nothing", sorted(got) or "nothing"))
for p in lint:
    at_start = p["code"].startswith("acpi_")
    if p["severity"] != ("at_start" if at_start else "warning"):
        bad.append("%s: severity %s" % (p["code"], p["severity"]))
    if not p.get("hint"):
        bad.append("%s: no hint" % p["code"])
    if not at_start and not p["message"].startswith("warning: "):
        bad.append("%s: message %r" % (p["code"], p["message"]))
if doc["counts"]["warnings"] != sum(p["severity"] == "warning" for p in doc["problems"]):
    bad.append("counts.warnings %d" % doc["counts"]["warnings"])
if rc != (1 if doc["counts"]["total"] else 0):
    bad.append("exit status %d with %d problems" % (rc, doc["counts"]["total"]))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
    # the text: each warning has its line and a hint below it
    n=$(grep -c ': warning: ' "$TMP/text")
    h=$(grep -A1 ': warning: ' "$TMP/text" | grep -c '^  hint: ')
    [ "$n" = "$h" ] || { echo "$n warnings, $h hints"; cat "$TMP/text"; return 1; }
}

for set in lint/cases guest/seen guest/unseen; do
    for f in "$GOLD/$set"/[0-9]*.xml; do
        case $f in *.placed.xml) continue ;; esac
        stem=${f%.xml}
        t "$set/$(basename "$stem"): check's lint is what the boot shows" lint_case "$stem"
    done
done

# every rule has a boot of the lint set that shows it (the cases beside
# it, just inside the limit, show it pass), and its code is documented
stems=
for f in "$GOLD"/lint/cases/[0-9]*.xml; do
    case $f in *.placed.xml) ;; *) stems="$stems ${f%.xml}" ;; esac
done
python3 "$GOLD/lint/gen/verdict.py" $stems > "$TMP/verdicts"
for code in bus_numbers_run_out bus_number_clash io_space_exhausted acpi_index_range acpi_index_duplicate; do
    t "$code: a boot of the lint set shows it" grep -q "$code" "$TMP/verdicts"
    t "$code: documented in doc/json.md and doc/guest.md" sh -c \
        "grep -q '$code' '$top_srcdir/doc/json.md' && grep -q '$code' '$top_srcdir/doc/guest.md'"
done
tap_done
