#!/bin/sh
# The editor under tmux, as a person uses it: open, move, collapse, add
# with preview (commit and cancel), delete, undo and redo, save (and the
# file equals what batch mode makes), quit with and without unsaved
# changes, help, the ':' prompt with completion and history kept across
# runs, resizing and a tiny terminal.
. "$top_srcdir/tests/tap.sh"
if ! command -v tmux >/dev/null 2>&1; then
    echo "1..0 # SKIP tmux is not installed"
    exit 0
fi
. "$top_srcdir/tests/tmux-lib.sh"
export XDG_STATE_HOME="$TT_DIR/state"
EXAMPLE_SPARE='spare hotplug: PCIe 1 · PCI 0'
# absent REGEX: the screen does not show REGEX
absent() { ! tt_screen | grep -Eq -- "$1"; }

# --- the built-in example: looking around
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO"
t "the built-in example opens on the tree" tt_wait_for "^pcie-root  bus 00"
t "with UTF-8 connectors" tt_wait_for "├─ 00:02.0  pcie-root-port  bus 01"
t "the status line shows file, machine and spare slots" \
    tt_wait_for "<built-in example>  q35 \(pc-q35-7.2\)  $EXAMPLE_SPARE  2/24"
t "the message line shows the keys from the keymap" tt_wait_for "\? help  a add  d delete  u undo"
t "the details pane describes the selection" tt_wait_for "│root bus +pcie-root"
t "and whether it hot-plugs" tt_wait_for "│hotplug +no: devices here are integrated"
tt_send j j
t "j moves the selection" tt_wait_for "$EXAMPLE_SPARE  4/24"
t "and the details follow it (video qxl)" tt_wait_for "│model +qxl"
t "with the reasons from explain" tt_wait_for "│Why it is here"
tt_send j
t "a controller's details say what its bus accepts" tt_wait_for "│accepts +bus 01: PCIe endpoint"
tt_send Enter
t "Enter collapses a controller" tt_wait_for "├─ ▸ 00:02.0  pcie-root-port"
t "and hides its device" absent '01:00.0  interface virtio'
tt_send Enter
t "Enter expands it again" tt_wait_for "01:00.0  interface virtio"
tt_send End
t "End goes to the last line" tt_wait_for "$EXAMPLE_SPARE  24/24"
tt_send k k k
t "an empty run is selectable" tt_wait_for "│empty +00:1c-1e on pcie-root"
tt_send Enter
t "Enter lists its slots one by one" tt_wait_for "├─ slot 1c: empty"
t "all the empty slots of the bus" tt_wait_for "$EXAMPLE_SPARE  [0-9]+/49"
tt_send Home
t "Home goes to the first line" tt_wait_for "$EXAMPLE_SPARE  1/49"
t "which is not a device: the details show its text" tt_wait_for "│domain example-q35"

# --- add: preview, cancel, commit
tt_send a
t "a opens the add dialog" tt_wait_for "│Add a device"
t "the preview says where the device goes" tt_wait_for "│goes to 07:00.0, hot-pluggable"
t "and what the spare count becomes" tt_wait_for "│spare hotplug: PCIe 1 -> 0, PCI 0 -> 0"
t "the tree shows the new device in place" tt_wait_for "└─ 07:00.0  interface virtio  \[hotplug\]"
tt_send Down Down
t "a legacy PCI card previews the controllers it brings" \
    tt_wait_for "│adds pcie-to-pci-bridge index 9 at 07:00.0"
t "and they show in the tree, with the guest's bus number" tt_wait_for "09:01.0 \(guest 08:01.0\)  interface e1000"
tt_send Escape
t "Esc cancels" tt_wait_for "^add cancelled"
t "and the document is unchanged" absent 'e1000|\[\+\]'
tt_send a Enter
t "Enter commits the add" tt_wait_for "^added interface virtio at 07:00.0 \[hotplug\]"
t "the status line shows the change and the new spare count" \
    tt_wait_for "<built-in example> \[\+\]  q35 \(pc-q35-7.2\)  spare hotplug: PCIe 0 · PCI 0"
tt_send u
t "u undoes it" tt_wait_for "^undid: add virtio-net"
t "and the document is unmodified again" tt_wait_for "<built-in example>  q35 .*$EXAMPLE_SPARE"
tt_send C-r
t "Ctrl-R redoes it" tt_wait_for "^redid: add virtio-net"
t "and the new device is back" tt_wait_for "07:00.0  interface virtio"

# --- delete, with the question first
tt_send j
tt_send k
tt_send d
t "d asks before deleting the selection" tt_wait_for "Delete interface virtio 07:00.0\? y deletes"
tt_send n
t "n keeps it" tt_wait_for "^nothing deleted"
tt_send d y
t "y deletes it" tt_wait_for "^deleted interface virtio"

# --- help and the prompt
tt_send '?'
t "? shows help generated from the keymap" tt_wait_for "^  a +add +Add a device and place it as libvirt would"
t "it starts with the tree's keys" tt_wait_for "Keys in the tree \(from the keymap"
tt_send Space
t "then the add dialog's, from the keymap too" tt_wait_for "^  Enter +commit +Add the device where the add dialog's preview shows it"
tt_send q
t "q closes the help" tt_wait_for "spare hotplug"
tt_send : a d
tt_send Tab
t "Tab completes a command name" tt_wait_for "^:add$"
tt_send -l virtio-n
tt_send Tab
t "and a device kind" tt_wait_for "^:add virtio-net$"
tt_send -l 'alias=ua-nic2'
tt_send Enter
t "Enter runs the command" tt_wait_for "^added interface virtio ua-nic2 at 07:00.0"
tt_send :
tt_send -l bogus
tt_send Enter
t "an error shows in the message line" tt_wait_for "^unknown command 'bogus'"
tt_send : Up Up
t "Up recalls the history" tt_wait_for "^:add virtio-net alias=ua-nic2"
tt_send Escape
t "Esc leaves the prompt" tt_wait_for "spare hotplug"

# --- resize
tt resize-window -t t -x 40 -y 10
t "below 60x15 a notice replaces the screen" tt_wait_for "terminal too small"
tt resize-window -t t -x 80 -y 24
t "a narrow terminal puts the details below the tree" tt_wait_for "^alias +ua-nic2"
tt resize-window -t t -x 120 -y 40

# --- quitting with unsaved changes
tt_send q
t "q asks when there are unsaved changes, each answer saying what it does" \
    tt_wait_for "has unsaved changes: s saves and quits, d discards them and quits, c or Esc cancels"
tt_send n
t "n stays" tt_wait_for "^not quitting"
tt_send q y
t "y is no answer: it stays rather than lose the changes" tt_wait_for "^not quitting"
tt_send q Escape
t "Esc stays" tt_wait_for "^not quitting"
tt_send q d
tt_wait_exit
t "d quits without saving, status 0" [ "$TT_RC" = 0 ]
[ "$TT_RC" = 0 ] || sed 's/^/# stderr: /' "$TT_DIR/stderr"
t "the history was written" grep -q 'alias=ua-nic2' "$XDG_STATE_HOME/pcitopo/history"

# --- a file: save, and compare with batch mode
cp "$top_srcdir/core/example-q35.xml" "$TMP/guest.xml"
cp "$top_srcdir/core/example-q35.xml" "$TMP/batch.xml"
tt_start "$PCITOPO" "$TMP/guest.xml"
t "a file opens" tt_wait_for "guest.xml  q35"
tt_send : Up Up
t "the history survives a restart" tt_wait_for "^:add virtio-net alias=ua-nic2"
tt_send Escape
tt_send a Down Down Enter
t "add e1000 from the dialog" tt_wait_for "^added interface e1000 at 09:01.0"
tt_send a Tab
tt_send -l ua-n1
tt_send Enter
t "add virtio-net with an alias typed in the dialog" tt_wait_for "^added interface virtio ua-n1 at 08:00.0"
tt_send w
t "w saves" tt_wait_for "^saved .*guest.xml"
t "and the status line is clean" tt_wait_for "guest.xml  q35"
"$PCITOPO" -c 'add e1000; add virtio-net alias=ua-n1; save' "$TMP/batch.xml" 2>/dev/null
t "the saved file is what batch mode writes for the same commands" cmp "$TMP/guest.xml" "$TMP/batch.xml"
tt_send q
tt_wait_exit
t "q quits at once when everything is saved" [ "$TT_RC" = 0 ]

# --- preferences: the dialog's fields, set-pref's key, the policy in the status line
cp "$top_srcdir/core/example-q35.xml" "$TMP/prefs.xml"
cp "$top_srcdir/core/example-q35.xml" "$TMP/prefs-batch.xml"
tt_start "$PCITOPO" "$TMP/prefs.xml"
t "another file opens" tt_wait_for "prefs.xml  q35"
tt_send a Tab Tab
t "Tab skips host for a NIC and reaches hotplug" tt_wait_for "hotplug: \[default"
tt_send Space Space
t "Space turns it to no" tt_wait_for "hotplug: \[no"
t "and the preview puts the NIC on the root bus" tt_wait_for "goes to 00:03.0, not hot-pluggable"
tt_send Enter
t "Enter adds it there, with an alias for the preference" tt_wait_for "^added interface virtio ua-net0 at 00:03.0"
tt_send :
tt_send -l 'policy minimal'
tt_send Enter
t "policy minimal shows in the status line, the counts whole" \
    tt_wait_for "prefs.xml \[\+\]  q35( \(pc-q35-7.2\))?  minimal  spare hotplug: PCIe [0-9]+ · PCI [0-9]+  [0-9]+/[0-9]+ *$"
tt_send Home j j j s
t "s opens the prompt with set-pref and the selected device" tt_wait_for "^:set-pref 00:01.0"
tt_send Escape
tt_send w
t "w saves" tt_wait_for "^saved .*prefs.xml"
"$PCITOPO" -c 'add virtio-net hotplug=no; policy minimal; save' "$TMP/prefs-batch.xml" 2>/dev/null
t "the file is what batch mode writes" cmp "$TMP/prefs.xml" "$TMP/prefs-batch.xml"
tt_send q
tt_wait_exit
t "and q quits" [ "$TT_RC" = 0 ]

# --- groups: mark with Space, g groups, the group's details, X, G, d
cp "$top_srcdir/tests/golden/group/02-q35-nic-ports-placed.xml" "$TMP/group.xml"
cp "$TMP/group.xml" "$TMP/group-batch.xml"
TT_COLS=160 TT_LINES=40 tt_start "$PCITOPO" "$TMP/group.xml"
t "a file with host devices opens" tt_wait_for "group.xml  q35"
tt_send j j j j j j j
t "the selection is on the disk" tt_wait_for "│element +<disk>"
tt_send Space
t "Space on a disk says only host devices are grouped" \
    tt_wait_for "^mark: disk virtio is not a PCI host device"
tt_send j j Space
t "Space marks a host device" tt_wait_for "^1 marked$"
t "and moves on to the next line" tt_wait_for "PCI 0  1 marked  12/[0-9]+"
t "the marked line shows a star" tt_wait_for "└─ \* 04:00.0  hostdev pci"
tt_send g
t "g with one mark says what is missing" tt_wait_for "^group: mark two or more host devices with Space first \(1 marked\)"
tt_send j Space
t "a second mark: the message says g groups them" tt_wait_for "^2 marked: g groups them into one slot"
t "the status line counts the marks" tt_wait_for "PCI 0  2 marked"
tt_send g
t "g groups the marked devices" tt_wait_for "^group at 04:00 \[hotplug\]: .0 ua-hostdev0 .1 ua-hostdev1"
t "the tree shows the group as one slot" tt_wait_for "└─ 04:00  group of 2 host functions  \[hotplug\]"
t "with its functions beneath it" tt_wait_for "│     └─ 04:00.1  hostdev pci  host 0000:3b:00.1  ua-hostdev1"
t "the marks are gone" absent "2 marked"
tt_send Home j j j j j j j j j j
t "the group's line is selectable" tt_wait_for "│group +04:00 on pcie-root-port, 2 functions"
t "its details name the functions" tt_wait_for "│functions +ua-hostdev0 \(.0\), ua-hostdev1 \(.1\)"
t "and say it plugs as a whole" tt_wait_for "│hotplug +as a whole"
tt_send j j
t "a function says it is part of the group" tt_wait_for "│group +function 1 of 2 at 04:00"
t "and cannot be hot-unplugged alone" tt_wait_for "│hotplug +only with its group"
tt_send d
t "d on a function says a group is deleted as one unit" \
    tt_wait_for "a group is deleted as one unit: 'delete 04:00'"
tt_send X
t "X shows the hot-plug sequences" tt_wait_for "==> devices.xml <=="
tt_send q G
t "G ungroups" tt_wait_for "^ungrouped 04:00: ua-hostdev1 to 05:00.0"
t "and the group's line is gone" absent "group of 2"
tt_send u
t "u brings the group back" tt_wait_for "04:00  group of 2 host functions"
tt_send k k d
t "d on the group's line asks about the whole group" \
    tt_wait_for "Delete the group at 04:00: ua-hostdev0 \(.0\), ua-hostdev1 \(.1\)\? y deletes all 2 functions"
tt_send y
t "y deletes it" tt_wait_for "^deleted the group at 04:00"
tt_send w
t "w saves" tt_wait_for "^saved .*group.xml"
"$PCITOPO" -c "group '04:00.0' '05:00.0'; ungroup 04:00; undo; delete 04:00; save" "$TMP/group-batch.xml" 2>/dev/null
t "the file is what batch mode writes" cmp "$TMP/group.xml" "$TMP/group-batch.xml"
tt_send q
tt_wait_exit
t "and q quits" [ "$TT_RC" = 0 ]

# --- a vi user and an emacs user: add, preview, commit, save, no arrow keys
cp "$top_srcdir/core/example-q35.xml" "$TMP/vi.xml"
cp "$top_srcdir/core/example-q35.xml" "$TMP/vi-batch.xml"
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" --keymap vi "$TMP/vi.xml"
t "vi: the file opens with --keymap vi" tt_wait_for "vi.xml  q35"
tt_send G
t "vi: G goes to the last line" tt_wait_for "$EXAMPLE_SPARE  24/24"
tt_send g g
t "vi: gg to the first" tt_wait_for "$EXAMPLE_SPARE  1/24"
tt_send i
t "vi: i opens the add dialog" tt_wait_for "│Add a device"
tt_send j j
t "vi: j moves down the kinds, and the preview follows" tt_wait_for "│adds pcie-to-pci-bridge index 9 at 07:00.0"
tt_send Enter
t "vi: Enter commits" tt_wait_for "^added interface e1000 at 09:01.0"
tt_send w
t "vi: w writes" tt_wait_for "^saved .*vi.xml"
"$PCITOPO" -c 'add e1000; save' "$TMP/vi-batch.xml" 2>/dev/null
t "vi: the file is what batch mode writes" cmp "$TMP/vi.xml" "$TMP/vi-batch.xml"
tt_send q
tt_wait_exit
t "vi: q quits" [ "$TT_RC" = 0 ]

cp "$top_srcdir/core/example-q35.xml" "$TMP/emacs.xml"
cp "$top_srcdir/core/example-q35.xml" "$TMP/emacs-batch.xml"
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" --keymap emacs "$TMP/emacs.xml"
t "emacs: the file opens with --keymap emacs" tt_wait_for "emacs.xml  q35"
tt_send 'M->'
t "emacs: M-> goes to the last line" tt_wait_for "$EXAMPLE_SPARE  24/24"
tt_send 'M-<'
t "emacs: M-< to the first" tt_wait_for "$EXAMPLE_SPARE  1/24"
tt_send C-n C-n
t "emacs: C-n moves down" tt_wait_for "$EXAMPLE_SPARE  3/24"
tt_send C-o
t "emacs: C-o opens the add dialog" tt_wait_for "│Add a device"
tt_send C-n C-n C-n C-p
t "emacs: C-n and C-p choose the kind" tt_wait_for "│adds pcie-to-pci-bridge index 9 at 07:00.0"
tt_send C-g
t "emacs: C-g leaves the dialog" tt_wait_for "^add cancelled"
tt_send C-o C-n C-n C-m
t "emacs: C-m commits" tt_wait_for "^added interface e1000 at 09:01.0"
tt_send M-x
t "emacs: M-x opens the prompt" tt_wait_for "^:$"
tt_send C-g
t "emacs: C-g leaves it" absent "^:$"
tt_send C-x C-s
t "emacs: C-x C-s saves" tt_wait_for "^saved .*emacs.xml"
"$PCITOPO" -c 'add e1000; save' "$TMP/emacs-batch.xml" 2>/dev/null
t "emacs: the file is what batch mode writes" cmp "$TMP/emacs.xml" "$TMP/emacs-batch.xml"
tt_send C-x C-c
tt_wait_exit
t "emacs: C-x C-c quits" [ "$TT_RC" = 0 ]

# --- a user keymap with a bad line: reported, the rest applies
mkdir -p "$TMP/config/pcitopo"
printf 'bind tree Z quit\nbind tree nonsense-key quit\n' >"$TMP/config/pcitopo/keys"
XDG_CONFIG_HOME="$TMP/config" tt_start "$PCITOPO"
t "a bad line of the user's keymap shows at start" \
    tt_wait_for "config/pcitopo/keys:2: unknown key name"
tt_send Z
tt_wait_exit
t "and the user's good binding works" [ "$TT_RC" = 0 ]

# --- d and e act on the selected device, whatever its alias: with aliases
# past 64 characters a cut name used to name another device (the third
# one's alias is the first 63 characters of the others')
A=$(printf '%070d' 0 | tr 0 a)
P=$(printf '%060d' 0 | tr 0 a)
{
    printf "<domain type='kvm'>\n  <name>long</name>\n  <memory>1</memory>\n"
    printf "  <os><type machine='pc'>hvm</type></os>\n  <devices>\n"
    printf "    <controller type='pci' index='0' model='pci-root'/>\n"
    for n in 3:ua-${A}1 4:ua-${A}2 5:ua-$P; do
        printf "    <interface type='user'><model type='e1000'/><alias name='%s'/>" "${n#*:}"
        printf "<address type='pci' domain='0' bus='0' slot='%s' function='0'/></interface>\n" "${n%%:*}"
    done
    printf "  </devices>\n</domain>\n"
} >"$TMP/long.xml"
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" "$TMP/long.xml"
t "a domain with 70-character aliases opens" tt_wait_for "00:05.0  interface e1000  ua-a"
tt_send j j j j j j e
t "e explains the selected device (00:04.0), not one with a prefix of its alias" \
    tt_wait_for "^00:04.0  interface e1000"
tt_send q d
t "d asks about the selected device" tt_wait_for "Delete interface e1000 ua-${A}2\?"
tt_send y w
t "y deletes it, w saves" tt_wait_for "saved "
tt_send q
tt_wait_exit
t "the file lost exactly that device" sh -c "! grep -q 'ua-${A}2' '$TMP/long.xml' && grep -q 'ua-${A}1' '$TMP/long.xml' && grep -q \"ua-$P'\" '$TMP/long.xml'"

# --- g groups the marked devices themselves, whatever their aliases
{
    printf "<domain type='kvm'>\n  <name>longg</name>\n  <memory>1</memory>\n"
    printf "  <os><type machine='pc'>hvm</type></os>\n  <devices>\n"
    printf "    <controller type='pci' index='0' model='pci-root'/>\n"
    for n in 3:1:ua-${A}1 4:2:ua-${A}2 5:3:ua-$P; do
        a=${n#*:}
        printf "    <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='0x6%s' slot='0' function='0'/></source>" "${a%%:*}"
        printf "<alias name='%s'/><address type='pci' domain='0' bus='0' slot='%s' function='0'/></hostdev>\n" "${a#*:}" "${n%%:*}"
    done
    printf "  </devices>\n</domain>\n"
} >"$TMP/longg.xml"
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" "$TMP/longg.xml"
t "a domain with 70-character host device aliases opens" tt_wait_for "00:05.0  hostdev"
tt_send j j j j j Space Space g
t "g groups the two marked devices" tt_wait_for "^group at 00:03"
tt_send w q
tt_wait_exit
t "the two marked devices share a slot, the third keeps its own" sh -c "
    grep -A3 'ua-${A}1' '$TMP/longg.xml' | grep -q \"slot='0x03' function='0x0'\" &&
    grep -A3 'ua-${A}2' '$TMP/longg.xml' | grep -q \"slot='0x03' function='0x1'\" &&
    grep -A3 \"ua-$P'\" '$TMP/longg.xml' | grep -q \"slot='5'\""

# --- signals: the terminal is restored whatever ends the editor: TERM,
# HUP (the terminal closed), INT (kill -INT; ^C itself is a key), SEGV (a
# crash) and ABRT (how pcitopo stops on an error it cannot go on from,
# such as running out of memory), and every other signal whose default is
# to end the process, the real-time ones (34 = RTMIN, 64 = RTMAX) too:
# the tty modes are back, the alternate screen is left, the mouse is off
# and the cursor shows
for sig in TERM HUP INT SEGV ABRT USR1 USR2 ALRM PIPE XCPU VTALRM PROF SYS TRAP QUIT 34 64; do
    cat >"$TT_DIR/sig.sh" <<EOS
stty -g >"$TT_DIR/stty.before"
"$PCITOPO" "$top_srcdir/core/example-q35.xml"
rc=\$?
stty -g >"$TT_DIR/stty.after"
echo \$rc >"$TT_DIR/sig.rc"
sleep 30
EOS
    rm -f "$TT_DIR/sig.rc"
    tt new-session -d -x 100 -y 30 -s "sig$sig" "sh $TT_DIR/sig.sh"
    tt_deadline=$(( $(tt_now) + 5000 ))
    until tt capture-pane -p -t "sig$sig" 2>/dev/null | grep -q "spare hotplug" \
        || [ "$(tt_now)" -gt "$tt_deadline" ]; do sleep 0.05; done
    pkill -"$sig" -f "pcitopo $top_srcdir/core/example-q35.xml"
    tt_deadline=$(( $(tt_now) + 5000 ))
    until [ -s "$TT_DIR/sig.rc" ] || [ "$(tt_now)" -gt "$tt_deadline" ]; do sleep 0.05; done
    case $sig in [0-9]*) num=$sig ;; *) num=$(kill -l "$sig") ;; esac
    # (a sanitizer build reports a SEGV itself and exits 1)
    want=$((128 + num))
    [ "$sig" = SEGV ] && want="$want 1"
    t "SIG$sig ends the editor with a failure status" \
        sh -c "for w in $want; do [ \"\$(cat '$TT_DIR/sig.rc' 2>/dev/null)\" = \$w ] && exit 0; done; exit 1"
    t "SIG$sig: the terminal is as the shell left it" cmp "$TT_DIR/stty.before" "$TT_DIR/stty.after"
    t "SIG$sig: no alternate screen, no mouse, the cursor shows" \
        sh -c "[ \"\$(tmux -S '$TT_DIR/sock' display -p -t 'sig$sig' '#{alternate_on}#{mouse_any_flag}#{cursor_flag}')\" = 001 ]"
    tt kill-session -t "sig$sig" 2>/dev/null
done

# --- issue 20: a collision is drawn and explained as one
cat >"$TT_DIR/collision.xml" <<'EOF'
<domain type='kvm'>
  <name>collision</name>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
  </os>
  <devices>
    <interface type='network'>
      <model type='virtio'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
    </interface>
    <interface type='network'>
      <model type='e1000'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
    </interface>
  </devices>
</domain>
EOF
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" "$TT_DIR/collision.xml"
t "two devices at one address are no multifunction slot" \
    tt_wait_for "00:03.0  interface virtio  collides with another device: XML error"
t "the second says libvirt's message too" tt_wait_for "00:03.0  interface e1000  collides with another device"
in_error_colour() { tt capture-pane -p -e -t t | grep -F "interface e1000  collides" | grep -q "$(printf '\033')\[31m"; }
t "in the error colour" in_error_colour
tt_send j j j j
t "the second is selected" tt_wait_for "│model +e1000"
t "its details explain it, not the first" tt_wait_for "│Collision: interface virtio \(line"
tt_send e
t "e explains the device selected" tt_wait_for "^00:03.0  interface e1000  \(line"
t "and says it collides" tt_wait_for "^Collision: interface virtio \(line [0-9]+\) has this address too; libvirt refuses"
tt_send q
tt_send q
tt_wait_exit || tt kill-session -t t 2>/dev/null

# --- issue 20: no message or number is cut at the screen's width
cat >"$TT_DIR/a-rather-long-guest-file-name-for-the-status-line.xml" <<'EOF'
<domain type='kvm'>
  <name>long</name>
  <os>
    <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
  </os>
  <features><acpi/></features>
  <devices>
    <interface type='network'>
      <source network='default'/>
      <model type='virtio'/>
    </interface>
    <video>
      <model type='qxl'/>
    </video>
  </devices>
</domain>
EOF
TT_COLS=64 TT_LINES=20 tt_start "$PCITOPO" "$TT_DIR/a-rather-long-guest-file-name-for-the-status-line.xml"
t "a long file name gives way to the spare count on a narrow screen" \
    tt_wait_for "^ …[a-z-]*status-line.xml  pc  spare hotplug: PCIe 0 · PCI 27  2/"
tt_send a
t "the add dialog opens" tt_wait_for "Add a device"
tt_send Enter
t "the status line keeps the new count whole" tt_wait_for "spare hotplug: PCIe 0 · PCI 26  [0-9]+/"
t "the add note wraps, whole, to its last number" tt_wait_for "PCI 26$"
t "from its start" tt_wait_for "^added interface virtio at 00:04.0 \[hotplug\]"
tt_send :
tt_send -l "add virtio-net alias=ua-$(printf 'n%.0s' $(seq 1 600))"
tt_send Enter
t "a note longer than half the screen opens in the pager" tt_wait_for "^message  \(q or Esc closes\)"
t "wrapped, whole, to its last number" tt_wait_for "PCI 25$"
tt_send q
tt_send q
t "q asks about the unsaved changes" tt_wait_for "unsaved changes"
tt_send y
tt_wait_exit || tt kill-session -t t 2>/dev/null

# --- a storm of resizes leaves a whole screen
TT_COLS=100 TT_LINES=30 tt_start "$PCITOPO"
t "the example opens" tt_wait_for "spare hotplug"
i=0
while [ $i -lt 40 ]; do
    tt resize-window -t t -x $((61 + i % 50)) -y $((16 + i % 20)) 2>/dev/null
    i=$((i + 1))
done
tt resize-window -t t -x 100 -y 30
t "after 40 resizes the tree is whole" tt_wait_for "^pcie-root  bus 00"
status_on_29() {
    tt_deadline=$(( $(tt_now) + 5000 ))
    until tt_screen | sed -n 29p | grep -q 'spare hotplug'; do
        [ "$(tt_now)" -lt "$tt_deadline" ] || { tt_screen | sed 's/^/#   |/'; return 1; }
        sleep 0.05
    done
}
t "and the status line is in its place" status_on_29
tt_send q
tt_wait_exit
t "and q quits" [ "$TT_RC" = 0 ]

# --- a pc domain
tt_start "$PCITOPO" "$top_srcdir/tests/data/experiments/100-pc-typical-virt-install.out.xml"
t "a pc file opens" tt_wait_for "^pci-root  bus 00"
t "and says its root cannot hot-plug without ACPI" tt_wait_for "│hotplug +no: without ACPI"
tt_send q
tt_wait_exit
t "and quits" [ "$TT_RC" = 0 ]

# --- a pseries domain: its own roots, and only the kinds it can take
cat > "$TT_DIR/ppc.xml" <<'XML'
<domain type='kvm'>
  <name>ppc</name>
  <os><type arch='ppc64' machine='pseries'>hvm</type></os>
  <devices>
    <controller type='pci' index='1' model='pci-root'/>
  </devices>
</domain>
XML
TT_COLS=120 TT_LINES=60 tt_start "$PCITOPO" "$TT_DIR/ppc.xml"
t "a pseries file opens with PHB 0 as its root" tt_wait_for "^pci-root  bus 00  PHB 0  \[hotplug\]"
t "and its second PHB as a root of its own" tt_wait_for "^pci-root  bus 01  PHB \(target index: libvirt's choice\)  \[hotplug\]"
t "the status line names the machine" tt_wait_for "ppc.xml  pseries"
tt_send a
t "the add dialog offers a PHB" tt_wait_for "  pci-root +PCI host bridge \("
t "and no PCI Express controller" absent "pcie-root-port|pcie-to-pci-bridge|pcie-switch"
tt_send Escape
tt_send q
tt_wait_exit
t "and quits" [ "$TT_RC" = 0 ]

# --- the guest's numbers: b puts them first; the details have both
cp "$top_srcdir/tests/golden/guest/seen/02-q35-switch.xml" "$TMP/switch.xml"
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" "$TMP/switch.xml"
t "the tree shows the guest's number where it differs" tt_wait_for "04:00.0 \(guest 03:00.0\)  interface virtio  ua-virtio-net1"
t "and a controller's bus both ways" tt_wait_for "02:00.0  pcie-switch-downstream-port  bus 04 \(guest 03\)"
tt_send b
t "b puts the guest's first" tt_wait_for "03:00.0 \(xml 04:00.0\)  interface virtio  ua-virtio-net1"
t "for the bus too" tt_wait_for "02:00.0  pcie-switch-downstream-port  guest bus 03 \(xml 04\)"
t "and says so" tt_wait_for "^numbers: the guest's first"
tt_send /
tt_send -l ua-virtio-net1
tt_send Enter
t "the details give the guest's address" tt_wait_for "guest +0000:03:00.0, as the guest's lspci"
tt_send b
t "b again: the XML's first" tt_wait_for "04:00.0 \(guest 03:00.0\)  interface virtio  ua-virtio-net1"
tt_send q
tt_wait_exit
t "and quits" [ "$TT_RC" = 0 ]

# --- a tiny terminal from the start
TT_COLS=30 TT_LINES=8 tt_start "$PCITOPO"
t "a tiny terminal gets the notice, not garbage" tt_wait_for "terminal too small"
tt_send q
tt_wait_exit
t "and q still quits" [ "$TT_RC" = 0 ]
tap_done
