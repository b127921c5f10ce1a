#!/usr/bin/env bash
# gen.sh: regenerate the libvirt outputs of the relocate golden cases.
#
#   PCITOPO=path/to/pcitopo ./gen.sh [CASE...]    CASE = file stem; default: all
#
# Each case is a domain NN-name.xml and pcitopo commands NN-name.cmds whose
# last one is `relocate WHAT WHERE`.  When pcitopo relocates:
#   NN-name.relocated.xml     pcitopo -c 'CMDS; save -' NN-name.xml
#   NN-name.libvirt.xml       what libvirt stores when the relocated file is
#                             defined (libvirt-oracle place)
#   NN-name.hand-libvirt.xml  (WHERE an address) what libvirt stores for
#                             NN-name.xml with only that address changed by
#                             hand (handedit.py): the controllers libvirt
#                             adds for it, to compare with pcitopo's
# When pcitopo refuses:
#   NN-name.err.txt           libvirt's refusal of the address written by
#                             hand (the oracle's stderr; its last line is
#                             the message pcitopo must give)
# A case where libvirt and pcitopo disagree (libvirt refuses what pcitopo
# made, or accepts what it refused) is reported and its outputs are not
# written.
set -uo pipefail
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
PCITOPO=${PCITOPO:-$(dirname "$0")/../../../build/pcitopo}
PCITOPO=$(realpath "$PCITOPO")
cd "$(dirname "$0")"
. ./relocate-lib.sh
if [ $# -gt 0 ]; then cases=("$@"); else
    cases=(); for f in [0-9][0-9]-*.cmds; do cases+=("${f%.cmds}"); done
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad=0
for c in "${cases[@]}"; do
    echo "== $c" >&2
    read -r what where <<< "$(relocation "$c")"
    rm -f "$c.relocated.xml" "$c.libvirt.xml" "$c.hand-libvirt.xml" "$c.err.txt"
    if [ "$where" != auto ]; then
        python3 handedit.py "$c.xml" "$what" "$where" > "$tmp/hand.xml" || { bad=1; continue; }
    fi
    if ! relocate_case "$c" "$tmp/relocated.xml" "$tmp/why"; then
        if "$ORACLE" place "$tmp/hand.xml" > /dev/null 2> "$tmp/err"; then
            echo "gen.sh: $c: pcitopo refuses, libvirt accepts: $(tail -1 "$tmp/why")" >&2; bad=1; continue
        fi
        cp "$tmp/err" "$c.err.txt"
        continue
    fi
    cp "$tmp/relocated.xml" "$c.relocated.xml"
    if ! "$ORACLE" place "$c.relocated.xml" > "$c.libvirt.xml" 2> "$tmp/err"; then
        echo "gen.sh: $c: libvirt refused the relocated file: $(tail -1 "$tmp/err")" >&2
        rm -f "$c.libvirt.xml"; bad=1; continue
    fi
    if [ "$where" != auto ] && ! "$ORACLE" place "$tmp/hand.xml" > "$c.hand-libvirt.xml" 2> "$tmp/err"; then
        echo "gen.sh: $c: libvirt refused the address written by hand: $(tail -1 "$tmp/err")" >&2
        rm -f "$c.hand-libvirt.xml"; bad=1
    fi
done
exit $bad
