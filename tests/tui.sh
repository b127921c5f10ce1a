#!/bin/sh
# The full-screen view under tmux: it draws the tree, scrolls, survives
# resizing below its minimum size and quits cleanly.
. "$top_srcdir/tests/tap.sh"
if ! command -v tmux >/dev/null 2>&1; then
    echo "1..0 # SKIP tmux is not installed"
    exit 0
fi
. "$top_srcdir/tests/tmux-lib.sh"

TT_LINES=20 tt_start ${TUI_WRAPPER:-} "$PCITOPO"
t "the built-in example opens on the tree" tt_wait_for "^pcie-root  bus 00"
t "with UTF-8 connectors" tt_wait_for "├─ 00:02.0  pcie-root-port  bus 01"
t "and a status line" tt_wait_for "<built-in example>  q35  1-19 of 24"
tt_send G
t "End (G) scrolls to the last line" tt_wait_for "└─ 00:1f.3  ICH9 SMBus \(chipset\)"
tt_send g
t "Home (g) scrolls back" tt_wait_for "^domain example-q35: q35 machine"
tt_send j
t "j scrolls one line" tt_wait_for "^pcie-root  bus 00"
tt resize-window -t t -x 40 -y 10
t "a terminal below 60x15 gets a notice" tt_wait_for "terminal too small"
tt resize-window -t t -x 100 -y 30
t "and the tree comes back when it grows" tt_wait_for "00:02.0  pcie-root-port"
tt_send q
tt_wait_exit 5
t "q quits with status 0" [ "$TT_RC" = 0 ]
[ "$TT_RC" = 0 ] || sed 's/^/# stderr: /' "$TT_DIR/stderr"
tt_cleanup

TT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pcitopo-tt.XXXXXX")
tt_start "$PCITOPO" "$top_srcdir/tests/data/experiments/100-pc-typical-virt-install.out.xml"
t "a pc file opens" tt_wait_for "^pci-root  bus 00"
t "and says its root cannot hot-plug without ACPI" tt_wait_for "no ACPI"
tt_send q
tt_wait_exit 5
t "and quits" [ "$TT_RC" = 0 ]
tap_done
