#!/bin/sh
# The stability guard (issue 24): every change says which devices it
# leaves at their XML address but moves in the guest, and how.  Each case
# is checked against the guest numbering lspci shows before and after
# (itself proven on booted guests: tests/test_guestbus), so the note can
# neither miss a move nor name one that does not happen.
. "$top_srcdir/tests/tap.sh"
G="$DATA/guard"

# guest_moves BEFORE AFTER: "alias OLD->NEW" for each device both list at
# the same XML address and another guest address, sorted
guest_moves() {
    "$PCITOPO" lspci "$1" 2>/dev/null | sed -n 's/^0000:\([0-9a-f:.]*\) .*\[\(ua-[^]]*\)\] (xml \([0-9a-f:.]*\)).*/\2 \1 \3/p' | sort >"$TMP/gm1"
    "$PCITOPO" lspci "$2" 2>/dev/null | sed -n 's/^0000:\([0-9a-f:.]*\) .*\[\(ua-[^]]*\)\] (xml \([0-9a-f:.]*\)).*/\2 \1 \3/p' | sort >"$TMP/gm2"
    join "$TMP/gm1" "$TMP/gm2" | awk '$3 == $5 && $2 != $4 { print $1 " " $2 "->" $4 }' | sort
}

# guard_list: the moves the last run's guard note names, one per line, sorted
guard_list() {
    grep -o 'guard: [^;]*' "$TMP/err" | sed 's/^guard: [0-9]* devices\{0,1\} moves\{0,1\} in the guest: //' |
        tr ',' '\n' | sed 's/^ *//; s/ and [0-9]* more$//' | grep . | sort
}

# same_as_lspci BEFORE AFTER: the note names exactly lspci's moves
same_as_lspci() {
    guest_moves "$1" "$2" >"$TMP/want"
    guard_list >"$TMP/got"
    diff -u "$TMP/want" "$TMP/got"
}

no_guard() { ! grep -q 'guard:' "$TMP/err" || { cat "$TMP/err"; return 1; }; }

# change NAME FILE COMMANDS: runs COMMANDS on a copy of FILE in batch, the
# result saved to $TMP/NAME.after.xml
change() {
    cp "$2" "$TMP/$1.before.xml"
    run "$TMP/$1.before.xml" -c "$3; save-copy $TMP/$1.after.xml"
}

# add: libvirt puts new root ports in slot 1, before the document's ports
change add-gap "$G/q35-gap.xml" "add virtio-net alias=ua-new"
t "add: exits 0" expect_rc 0
t "add: the guard counts the devices that move" err_has "guard: 3 devices move in the guest:"
t "add: and names each, with its guest address before and after" \
    err_has "ua-disk0 05:00.0->06:00.0, ua-net1 03:00.0->04:00.0, ua-net3 04:00.0->05:00.0"
t "add: the moves are lspci's" same_as_lspci "$TMP/add-gap.before.xml" "$TMP/add-gap.after.xml"
"$PCITOPO" diff "$TMP/add-gap.before.xml" "$TMP/add-gap.after.xml" >"$TMP/diff" 2>&1
t "add: diff OLD NEW lists the same three as moving with the same XML address" sh -c \
    "sed -n '/^guest address changed/,/^\$/p' '$TMP/diff' | grep -c 'ua-' | grep -qx 3"
t "add: it says libvirt's placement is the cause, and that stable-guest would move nothing" \
    err_has "libvirt's placement renumbers 3 devices; with stable-guest yes nothing moves"
change add-stable "$G/q35-gap.xml" "stable-guest yes; add virtio-net alias=ua-new"
t "stable-guest yes: the new ports go after the others" err_has "stable-guest yes: libvirt's placement would renumber 3 devices; nothing moves"
t "stable-guest yes: the add moves nothing" sh -c "! tail -1 '$TMP/err' | grep -q 'guard:'"
"$PCITOPO" lspci "$TMP/add-stable.after.xml" >"$TMP/lspci" 2>&1
t "stable-guest yes: the guest keeps the numbers the document gives" sh -c \
    "grep -q '^0000:01:00.0 .*\[ua-net1\]' '$TMP/lspci' && grep -q '^0000:02:00.0 .*\[ua-net3\]' '$TMP/lspci' && grep -q '^0000:03:00.0 .*\[ua-disk0\]' '$TMP/lspci'"
change add-end "$G/q35-ordered.xml" "add virtio-net alias=ua-new"
t "add into an empty port at the end: nothing moves, the guard says nothing" no_guard
t "nor does it speak of renumbering" sh -c "! grep -q renumber '$TMP/err'"
t "and lspci agrees" same_as_lspci "$TMP/add-end.before.xml" "$TMP/add-end.after.xml"
change add-bridge "$G/pc-bridges.xml" "add pci-bridge"
t "pc: a pci-bridge added before the others moves what is behind them" err_has "guard: 3 devices move in the guest: ua-net1 01:01.0->02:01.0"
t "pc: the moves are lspci's" same_as_lspci "$TMP/add-bridge.before.xml" "$TMP/add-bridge.after.xml"

# delete: the port with the highest index in the lowest slot
change delete "$G/q35-delete.xml" "delete 00:02.0"
t "delete: the ports after it get lower numbers" err_has "guard: 2 devices move in the guest: ua-net1 02:00.0->01:00.0, ua-net2 03:00.0->02:00.0"
t "delete: the moves are lspci's" same_as_lspci "$TMP/delete.before.xml" "$TMP/delete.after.xml"

# relocate: a bridge moved to a lower slot takes the first number
change relocate "$G/pc-bridges.xml" "relocate 00:09.0 00:03.0"
t "relocate: devices behind the others move, and the bridge's own device too" \
    err_has "guard: 3 devices move in the guest:"
t "relocate: the moves are lspci's" same_as_lspci "$TMP/relocate.before.xml" "$TMP/relocate.after.xml"
change relocate-ep "$G/q35-delete.xml" "relocate ua-h0 auto"
t "relocate of an endpoint: the device itself moves, no other; no guard" no_guard

# undo and redo move the guest back and forth, and say so
cp "$G/pc-bridges.xml" "$TMP/undo.xml"
run "$TMP/undo.xml" -c "relocate 00:09.0 00:03.0; undo; redo"
t "undo says what it moves back" sh -c "grep -c 'guard: 3 devices move in the guest' '$TMP/err' | grep -qx 3"
t "undo's note names ua-net3 going back" err_has "ua-net3 01:01.0->03:01.0"

# group and place: endpoints and what libvirt would add anyway move nothing
change group "$G/q35-delete.xml" "group ua-h0 ua-h1"
t "group: exits 0" expect_rc 0
t "group: endpoints never renumber; no guard" no_guard
change place "$G/q35-gap.xml" "place"
t "place: what placement adds the guest had already; no guard" no_guard
t "place: lspci agrees" same_as_lspci "$TMP/place.before.xml" "$TMP/place.after.xml"

# spare-ports: ports added after the others move nothing
change spare "$G/q35-ordered.xml" "spare-ports 3"
t "spare-ports: exits 0" expect_rc 0
t "spare-ports after the last port: no guard" no_guard

# many moves: the note names eight and counts the rest
change many "$G/q35-many.xml" "add pcie-root-port"
t "a port before twelve others moves all twelve" err_has "guard: 12 devices move in the guest:"
t "a long list names eight devices and counts the rest" sh -c \
    "grep -o 'guard: [^;]*' '$TMP/err' | grep -Eq ', [^,]* and 4 more$'"

# a machine pcitopo does not number: no guard, no failure
A="$top_srcdir/tests/golden/arch/aarch64/capacity/01-aarch64-minimal.placed.xml"
cp "$A" "$TMP/arm.xml"
run "$TMP/arm.xml" -c "add pcie-root-port"
t "aarch64: the change works" expect_rc 0
t "aarch64: no guard where pcitopo does not number the buses" no_guard

# --- the editor: the preview and the questions show it before the change
if command -v tmux >/dev/null 2>&1; then
    . "$top_srcdir/tests/tmux-lib.sh"
    export XDG_STATE_HOME="$TT_DIR/state"
    absent() { ! tt_screen | grep -Eq -- "$1"; }
    cp "$G/q35-gap.xml" "$TMP/tui-gap.xml"
    TT_COLS=140 TT_LINES=45 tt_start "$PCITOPO" "$TMP/tui-gap.xml"
    t "editor: opens" tt_wait_for "^pcie-root  bus 00"
    tt_send a
    t "editor: the add preview warns that devices move in the guest" \
        tt_wait_for "│3 devices move in the guest: ua-disk0"
    t "editor: and that stable-guest would keep them" tt_wait_for "│libvirt's placement renumbers 3 devices; with"
    tt_send Escape
    t "editor: Esc leaves the document as it was" absent '\[\+\]'
    tt_send ':add virtio-net' Enter
    t "editor: a change from the prompt that moves devices asks first" \
        tt_wait_for "add virtio-net: 3 devices move in the guest: .*y goes ahead"
    tt_send n
    t "editor: n changes nothing" tt_wait_for "^not changed"
    t "editor: and the document is unmodified" absent '\[\+\]'
    tt_send ':set-pref ua-net1 hotplug=yes' Enter
    t "editor: a change that moves nothing does not ask" tt_wait_for "ua-net1: hotplug=yes"
    t "editor: (no question)" absent 'y goes ahead'
    tt_send ':add virtio-net' Enter
    tt_wait_for "y goes ahead" >/dev/null
    tt_send y
    t "editor: y makes it, and the message says what moved" tt_wait_for "guard: 3 devices move in the guest"
    tt_send q
    tt_wait_for "y saves" >/dev/null 2>&1
    tt_send n
    tt kill-server >/dev/null 2>&1

    cp "$G/q35-delete.xml" "$TMP/tui-delete.xml"
    TT_COLS=140 TT_LINES=45 tt_start "$PCITOPO" "$TMP/tui-delete.xml"
    t "editor: opens the delete case" tt_wait_for "^pcie-root  bus 00"
    tt_send ':goto 00:02.0' Enter
    tt_send d
    t "editor: the delete question names the devices that move" \
        tt_wait_for "Delete pcie-root-port 00:02.0\? 2 devices move in the guest: ua-net1 02:00.0->01:00.0"
    tt_send y
    t "editor: y deletes it without asking again" tt_wait_for "^deleted pcie-root-port"
    tt kill-server >/dev/null 2>&1

    cp "$G/pc-bridges.xml" "$TMP/tui-bridges.xml"
    TT_COLS=140 TT_LINES=45 tt_start "$PCITOPO" "$TMP/tui-bridges.xml"
    t "editor: opens the pc case" tt_wait_for "^pci-root  bus 00"
    tt_send ':goto 00:09.0' Enter
    tt_send m
    t "editor: m starts choosing where the bridge goes" tt_wait_for "^relocate 00:09.0: [0-9]+ free slots"
    t "editor: a slot behind another bridge: the preview names the two devices that swap" \
        tt_wait_for "│2 devices move in the guest: ua-net2 02:01.0->03:01.0"
    tt_send Up Up Up Up Up Up
    t "editor: a slot on bus 0 before the others: all three move" \
        tt_wait_for "│3 devices move in the guest: ua-net1 01:01.0->02:01.0"
    tt_send Enter
    t "editor: Enter moves it without asking again" tt_wait_for "^moved pci-bridge from 00:09.0 to 00:04.0"
else
    tap_skip "tmux is not installed: the editor's guard is not tried"
fi

tap_done
