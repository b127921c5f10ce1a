#!/usr/bin/env bash
# gen.sh: boot the lint cases and keep what QEMU and SeaBIOS make of them.
#
#   ./gen.sh [-s SECONDS] DIR [CASE...]    DIR: cases; CASE = file stem
#
# For each input DIR/NN-name.xml:
#   NN-name.placed.xml    libvirt-oracle place NN-name.xml: what libvirt stores
#   NN-name.err.txt       ... or libvirt's refusal, when it refuses the domain
#   NN-name.qemu-pci.txt  libvirt-oracle qemu-pci NN-name.placed.xml SECONDS:
#                         QEMU's `info pci` once SeaBIOS has numbered the buses
#   NN-name.start.txt     ... or the error, when the guest does not start
#   NN-name.firmware.txt  whether SeaBIOS finished: libvirt-oracle monitor with
#                         SAMPLES x `info registers` (about 10 s), counted:
#                         "samples N", "real-mode N" (CR0's PE bit clear),
#                         "halted N" (HLT=1); a guest with neither never left
#                         the firmware's 32-bit code
# One oracle call at a time: each boots a TCG guest.  SECONDS is 6 unless
# given (SeaBIOS has numbered every bus well before that under TCG).
set -uo pipefail
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
SECONDS_WAIT=6
if [ "${1:-}" = -s ]; then SECONDS_WAIT=$2; shift 2; fi
[ $# -ge 1 ] || { sed -n '2,14p' "$0"; exit 2; }
cd "$(dirname "$0")/$1" || exit 2
shift
if [ $# -gt 0 ]; then cases=("$@"); else
    cases=(); for f in [0-9][0-9]-*.xml; do
        case $f in *.placed.xml) continue ;; esac
        cases+=("${f%.xml}")
    done
fi
SAMPLES=${SAMPLES:-100}
# firmware STEM: samples the vCPU's registers while the guest runs
firmware() {
    local cmds out
    cmds=$(mktemp); out=$(mktemp)
    for _ in $(seq "$SAMPLES"); do echo "info registers"; done > "$cmds"
    "$ORACLE" monitor "$1.placed.xml" "$cmds" > "$out" 2>/dev/null
    awk '/^CR0=/ { n++; if (substr($1, 12, 1) ~ /[02468ace]/) real++ }
         / HLT=1/ { halted++ }
         END { printf "samples %d\nreal-mode %d\nhalted %d\n", n, real, halted }' "$out" > "$1.firmware.txt"
    rm -f "$cmds" "$out"
}
bad=0
for c in "${cases[@]}"; do
    echo "== $c" >&2
    rm -f "$c.placed.xml" "$c.err.txt" "$c.qemu-pci.txt" "$c.start.txt" "$c.firmware.txt"
    if ! "$ORACLE" place "$c.xml" > "$c.placed.xml" 2> "$c.err"; then
        rm -f "$c.placed.xml"
        sed 's|/tmp/tmp\.[A-Za-z0-9]*/|/tmp/TMP/|' "$c.err" > "$c.err.txt"
        echo "   libvirt refuses: $(tail -1 "$c.err.txt")" >&2
        rm -f "$c.err"; continue
    fi
    if ! "$ORACLE" qemu-pci "$c.placed.xml" "$SECONDS_WAIT" > "$c.qemu-pci.txt" 2> "$c.err"; then
        rm -f "$c.qemu-pci.txt"
        cp "$c.err" "$c.start.txt"
        echo "   the guest did not start: $(tail -1 "$c.err")" >&2; bad=1
    else
        firmware "$c"
    fi
    rm -f "$c.err"
done
exit $bad
