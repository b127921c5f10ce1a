#!/bin/sh
# The editor as a design tool (issue 22): finding a device among many
# (/, n, N, goto, explain NAME), folding the tree, the add dialog whole
# at 80x24, unplaced devices acted on, relocating a device, and the list
# of problems of a file libvirt would refuse.
. "$top_srcdir/tests/tap.sh"
if ! command -v tmux >/dev/null 2>&1; then
    echo "1..0 # SKIP tmux is not installed"
    exit 0
fi
. "$top_srcdir/tests/tmux-lib.sh"
export XDG_STATE_HOME="$TT_DIR/state"
absent() { ! tt_screen | grep -Eq -- "$1"; }
# highlighted LINE-REGEX: that line of the screen is drawn in the match colour (yellow background)
highlighted() { tt capture-pane -p -e -t t | grep -E -- "$1" | grep -q "$(printf '\033')\[[0-9;]*43m"; }
# type TEXT at the ':' prompt and run it
colon() { tt_send :; tt_send -l "$1"; tt_send Enter; }

# --- finding: search by kind, model, address; n and N go round
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO"
tt_wait_for "^pcie-root  bus 00" >/dev/null
colon "search root-port"
t "search finds the first match after the selection" tt_wait_for "/root-port: match 1 of 7"
t "and selects it" tt_wait_for "│address +00:02.0"
t "every match is highlighted" highlighted "00:02.6  pcie-root-port"
t "a line that does not match is not" sh -c '! { tt capture-pane -p -e -t t | grep -F "04:00.0  disk" | grep -q "$(printf "\033")\[[0-9;]*43m"; }'
colon "search-next"
t "search-next goes on" tt_wait_for "/root-port: match 2 of 7"
t "to the next port" tt_wait_for "│address +00:02.1"
colon "search-prev"; colon "search-prev"
t "search-prev goes back, and round the top" tt_wait_for "match 7 of 7 \(went round to the bottom\)"
colon "search 04:00"
t "an XML address finds the device" tt_wait_for "│model +virtio" && tt_wait_for "│address +04:00.0"
colon "search qemu-xhci"
t "a model finds it" tt_wait_for "│address +02:00.0"
colon "search no-such-device"
t "a pattern that finds nothing says so" tt_wait_for "^not found: no-such-device"
colon "goto 06:00.0"
t "goto an address selects its device" tt_wait_for "│model +virtio" && tt_wait_for "│address +06:00.0"
colon "goto 00:05"
t "goto an empty slot selects its run" tt_wait_for "│empty +00:03-1a on pcie-root"
colon "goto ua-nothing"
t "goto a name that is nowhere says so" tt_wait_for "^goto: no device with alias or address 'ua-nothing'"

# --- folding: collapse all, and a search reveals what a fold hides
colon "collapse-all"
t "collapse-all folds every controller" tt_wait_for "├─ ▸ 00:02.0  pcie-root-port"
t "and hides what is below them" absent "01:00.0  interface virtio"
t "the roots stay open" tt_wait_for "└─ 00:1f.3  ICH9 SMBus"
colon "search vda"
t "a search finds a device under a folded port" tt_wait_for "│address +04:00.0"
t "and unfolds its port" tt_wait_for "04:00.0  disk virtio vda"
t "the other ports stay folded" absent "01:00.0  interface virtio"
colon "expand-all"
t "expand-all unfolds them all" tt_wait_for "01:00.0  interface virtio"
colon "goto 01:00.0"
colon "collapse"
t "collapse on a device folds the controller above it" tt_wait_for "├─ ▸ 00:02.0  pcie-root-port"
t "and selects the controller" tt_wait_for "│address +00:02.0"
colon "expand"
t "expand unfolds it" tt_wait_for "└─ 01:00.0  interface virtio"
tt_send q
tt_wait_exit

# --- explain NAME selects the device too
cat >"$TT_DIR/named.xml" <<'XML'
<domain type='kvm'>
  <name>named</name>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
  <devices>
    <interface type='network'>
      <source network='default'/>
      <model type='virtio'/>
      <alias name='ua-front'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
    </interface>
    <interface type='network'>
      <source network='default'/>
      <model type='e1000e'/>
      <alias name='ua-back'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>
    </interface>
    <watchdog model='i6300esb'/>
  </devices>
</domain>
XML
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" "$TT_DIR/named.xml"
tt_wait_for "^pcie-root  bus 00" >/dev/null
colon "explain ua-back"
t "explain NAME shows the explanation" tt_wait_for "^00:04.0  interface e1000e  ua-back"
tt_send q
t "and, closed, leaves that device selected" tt_wait_for "│alias +ua-back"
colon "goto ua-front"
t "goto an alias selects it" tt_wait_for "│alias +ua-front"

# --- an unplaced device: its details, Enter and d act on it
colon "search watchdog"
t "an unplaced device is found" tt_wait_for "│element +<watchdog>"
t "its details do not claim it cannot hot-plug" tt_wait_for "│hotplug +not placed yet"
tt_send Enter
t "Enter explains it, where placement would put it" tt_wait_for "^04:01.0  watchdog i6300esb  \(line 17\)"
tt_send q
tt_send d
t "d asks about it, naming it by its line" tt_wait_for "Delete watchdog i6300esb line:17\? y deletes"
tt_send y
t "y deletes it" tt_wait_for "^deleted watchdog"
tt_send q d
tt_wait_exit

# --- the add dialog at 80x24: every field and the preview show
TT_COLS=80 TT_LINES=24 tt_start "$PCITOPO"
tt_wait_for "^pcie-root  bus 00" >/dev/null
tt_send a
t "80x24: the dialog shows its title" tt_wait_for "^Add a device"
t "its fields" tt_wait_for "^numa: +\[" && tt_wait_for "^alias: +\["
t "and the preview" tt_wait_for "^goes to 07:00.0, hot-pluggable"
t "with the spare count" tt_wait_for "^spare hotplug: PCIe 1 -> 0, PCI 0 -> 0"
tt_send Down Down
t "a kind that brings controllers shows them too" tt_wait_for "^adds pcie-to-pci-bridge index 9 at 07:00.0"
t "and the key hints" tt_wait_for "Enter adds  Tab next field"
tt_send Escape
tt_send q
tt_wait_exit
TT_COLS=60 TT_LINES=15 tt_start "$PCITOPO"
tt_wait_for "^pcie-root  bus 00" >/dev/null
tt_send a
t "60x15: the dialog still shows the kind chosen" tt_wait_for "^> virtio-net"
tt_send Tab Tab Tab Tab
t "and scrolls to the field being edited" tt_wait_for "^numa: +\["
tt_send Escape
tt_send q
tt_wait_exit

# --- relocate with the keys: m, the free slots highlighted, the move previewed, Enter
# target LINE-REGEX: that line is drawn in the relocation target colour (green background)
target() { tt capture-pane -p -e -t t | grep -E -- "$1" | grep -q "$(printf '\033')\[[0-9;]*42m"; }
cp "$top_srcdir/core/example-q35.xml" "$TT_DIR/move.xml"
TT_COLS=140 TT_LINES=50 tt_start "$PCITOPO" "$TT_DIR/move.xml"
tt_wait_for "^pcie-root  bus 00" >/dev/null
colon "goto 01:00.0"
tt_send m
t "m says how many free slots can take the device" tt_wait_for "^relocate 01:00.0: [0-9]+ free slots can take it"
t "the details pane becomes the move's preview" tt_wait_for "│Relocate interface virtio 01:00.0"
t "every free slot shows on its own line" tt_wait_for "├─ slot 03: empty"
t "the free slots are highlighted" target "slot 04: empty"
t "the device being moved is marked" tt_wait_for "⇢ 01:00.0  interface virtio"
t "the selection starts on the next free slot: the empty port's" tt_wait_for "│moved interface virtio from 01:00.0 to 07:00.0"
t "the preview warns the guest sees a new address" tt_wait_for "│.*the guest will see it at a"
t "and gives the spare count after" tt_wait_for "│spare hotplug: PCIe 1 -> 1, PCI 0 -> 0"
tt_send Down
t "Down goes to the next free slot" tt_wait_for "│moved interface virtio from 01:00.0 to 00:03.0"
t "a root-complex slot cannot hot-plug: the spare count says the port's slot comes free" \
    tt_wait_for "│spare hotplug: PCIe 1 -> 2, PCI 0 -> 0"
tt_send Escape
t "Esc cancels" tt_wait_for "^relocate cancelled: nothing moved"
t "the tree folds its slots back" tt_wait_for "├─ slots 03-1a: empty"
t "and nothing changed" absent "\[\+\]"
tt_send m Down Enter
t "Enter moves it there" tt_wait_for "^moved interface virtio from 01:00.0 to 00:03.0"
t "the tree shows it at its new slot, selected" tt_wait_for "│address +00:03.0"
t "the document is modified" tt_wait_for "move.xml \[\+\]"
tt_send u
t "u undoes the move" tt_wait_for "^undid: relocate 01:00.0 00:03.0"
colon "goto 00:1f.2"
tt_send m
t "a controller libvirt pins is refused, in libvirt's words" tt_wait_for "^relocate: .*sata"
tt_send q d
tt_wait_exit

# --- a file libvirt refuses opens: the problems drawn, listed (c), fixed with relocate
cat >"$TT_DIR/bad.xml" <<'XML'
<domain type='kvm'>
  <name>bad</name>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
  <devices>
    <interface type='network'>
      <source network='default'/>
      <model type='virtio'/>
      <alias name='ua-far'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x20' function='0x0'/>
    </interface>
    <interface type='network'>
      <source network='default'/>
      <model type='virtio'/>
      <alias name='ua-near'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
    </interface>
  </devices>
</domain>
XML
TT_COLS=170 TT_LINES=40 tt_start "$PCITOPO" "$TT_DIR/bad.xml"
t "a file with an out-of-range slot opens" tt_wait_for "^pcie-root  bus 00"
t "the opening message says it has a problem and how to list it" \
    tt_wait_for "^.*bad.xml has 1 problem libvirt or QEMU would refuse .*: c lists them"
t "the status line counts it" tt_wait_for "bad.xml  q35 .* 1 problem \(c\)"
t "the device is drawn with its problem" tt_wait_for "interface virtio  ua-far .*slot='0x20'"
in_error_colour() { tt capture-pane -p -e -t t | grep -F "ua-far" | grep -q "$(printf '\033')\[31m"; }
t "in the error colour" in_error_colour
tt_send c
t "c lists the problems" tt_wait_for "^1 problem in .*bad.xml"
t "each in libvirt's words, with file and line" \
    tt_wait_for "^refused: .*bad.xml:5: <interface> ua-far: XML error: Invalid PCI address slot='0x20', must be <= 0x1F"
tt_send Enter
t "Enter selects the device" tt_wait_for "│alias +ua-far"
t "whose details give libvirt's message" tt_wait_for "│problem +XML error: Invalid PCI address slot='0x20'"
t "and the address as written" tt_wait_for "│address +.*slot='0x20'"
tt_send m
t "relocate offers it the free slots" tt_wait_for "^relocate ua-far: [0-9]+ free slots"
tt_send Enter
t "Enter gives it a valid address" tt_wait_for "^gave interface virtio ua-far the address 00:0[0-9a-f].0"
t "and the problem is gone" absent "1 problem \(c\)"
tt_send c
t "c then says there is none" tt_wait_for "^no problems: libvirt 9.0 accepts this domain"
tt_send w
t "the fixed file saves" tt_wait_for "^saved "
t "and libvirt's checks pass in batch mode" "$PCITOPO" check "$TT_DIR/bad.xml"
tt_send q
tt_wait_exit

# --- the keys of each keymap for finding, folding and files
for km in default vi emacs; do
    cp "$top_srcdir/core/example-q35.xml" "$TT_DIR/keys-$km.xml"
    TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" --keymap "$km" "$TT_DIR/keys-$km.xml"
    tt_wait_for "^pcie-root  bus 00" >/dev/null
    case $km in emacs) tt_send C-s ;; *) tt_send / ;; esac
    t "$km: the search key opens the / line" tt_wait_for "^/"
    tt_send -l "rng"; tt_send Enter
    t "$km: and finds the device" tt_wait_for "│model +virtio" && tt_wait_for "│address +06:00.0"
    case $km in emacs) tt_send C-s Enter ;; *) tt_send n ;; esac
    t "$km: the next match (the only one) is itself again, said once round" tt_wait_for "match 1 of 1 \(went round"
    case $km in vi) tt_send h ;; *) tt_send Left ;; esac
    t "$km: collapse folds the port above" tt_wait_for "├─ ▸ 00:02.5  pcie-root-port"
    case $km in vi) tt_send l ;; *) tt_send Right ;; esac
    t "$km: expand unfolds it" tt_wait_for "│  └─ 06:00.0  rng virtio"
    case $km in vi) tt_send G ;; emacs) tt_send 'M->' ;; *) tt_send End ;; esac
    t "$km: to the last line" tt_wait_for "│00:1f.3  ICH9 SMBus"
    case $km in vi) tt_send g g ;; emacs) tt_send 'M-<' ;; *) tt_send Home ;; esac
    t "$km: to the first" tt_wait_for "│domain example-q35"
    tt_send a Enter
    t "$km: add" tt_wait_for "^added interface virtio at 07:00.0"
    case $km in
    vi) tt_send : ; tt_send -l "wq"; tt_send Enter ;;
    emacs) tt_send C-x C-s ;;
    *) tt_send w ;;
    esac
    case $km in
    vi) tt_wait_exit; t "vi: :wq saves and quits" [ "$TT_RC" = 0 ] ;;
    *) t "$km: saves" tt_wait_for "^saved " ;;
    esac
    t "$km: the file has the new device" grep -q "bus='0x07'" "$TT_DIR/keys-$km.xml"
    case $km in
    emacs)
        tt_send C-x
        t "emacs: C-x waits for the next key, and says so" tt_wait_for "^C-x-"
        t "emacs: C-x alone does not quit" tt_wait_for "^pcie-root  bus 00"
        tt_send C-g
        tt_send C-x C-c
        tt_wait_exit; t "emacs: C-x C-c quits" [ "$TT_RC" = 0 ] ;;
    default)
        tt_send C-c
        t "C-c asks even with nothing to save" tt_wait_for "^Quit pcitopo\? y quits, n stays"
        tt_send n
        t "n stays" tt_wait_for "^not quitting"
        tt_send C-c y
        tt_wait_exit; t "y then quits" [ "$TT_RC" = 0 ] ;;
    esac
done

# --- vi's ':' commands
cp "$top_srcdir/core/example-q35.xml" "$TT_DIR/vi.xml"
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" --keymap vi "$TT_DIR/vi.xml"
tt_wait_for "^pcie-root  bus 00" >/dev/null
tt_send i Enter
tt_wait_for "^added" >/dev/null
colon "q"
t "vi: :q with unsaved changes asks" tt_wait_for "has unsaved changes: s saves and quits"
tt_send c
colon "w"
t "vi: :w writes" tt_wait_for "^saved "
tt_send i Enter
colon "q!"
tt_wait_exit
t "vi: :q! quits without saving" [ "$TT_RC" = 0 ]
t "vi: the second add was not saved" sh -c "[ \$(grep -c \"<interface\" '$TT_DIR/vi.xml') = 2 ]"

# --- W is save-as: later saves go to the new file; save-copy leaves the document's file
cp "$top_srcdir/core/example-q35.xml" "$TT_DIR/orig.xml"
cp "$TT_DIR/orig.xml" "$TT_DIR/orig.before"
mkdir -p "$TT_DIR/home"
HOME="$TT_DIR/home" TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" "$TT_DIR/orig.xml"
tt_wait_for "^pcie-root  bus 00" >/dev/null
tt_send a Enter
tt_wait_for "^added" >/dev/null
tt_send W
t "W opens the prompt with save-as" tt_wait_for "^:save-as"
tt_send -l "~/new.xml"; tt_send Enter
t "save-as writes the file, ~ being the home directory" tt_wait_for "^saved .*new.xml"
t "the status line shows the new file, saved" tt_wait_for "^ [^ ]*home/new.xml  q35"
t "the first file is untouched" cmp "$TT_DIR/orig.xml" "$TT_DIR/orig.before"
tt_send a Down Enter
tt_wait_for "^added interface e1000e" >/dev/null
tt_send w
t "w then saves to the new file" tt_wait_for "^saved .*new.xml"
t "which has both devices" sh -c "grep -q e1000e '$TT_DIR/home/new.xml'"
t "and the first file still has neither" sh -c "! grep -q e1000e '$TT_DIR/orig.xml'"
colon "save-copy ~/copy.xml"
t "save-copy writes a copy" tt_wait_for "^saved .*copy.xml"
t "the copy is the document" cmp "$TT_DIR/home/copy.xml" "$TT_DIR/home/new.xml"
t "and the document's file stays the new one" tt_wait_for "^ [^ ]*home/new.xml  q35"
tt_send q
tt_wait_exit

# --- the built-in example has no file: w asks for one, :wq too, and the rest waits
HOME="$TT_DIR/home" TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO"
tt_wait_for "^pcie-root  bus 00" >/dev/null
tt_send a Enter
tt_wait_for "^added" >/dev/null
colon "wq"
t ":wq on a document without a file asks for its name first" tt_wait_for "^:save-as"
t "and does not quit or ask to quit meanwhile" absent "unsaved changes"
tt_send -l "~/example.xml"; tt_send Enter
t "the name given, it is saved" tt_wait_for "^saved .*example.xml"
t "under that name" tt_wait_for "^ [^ ]*home/example.xml  q35"
tt_send q
tt_wait_exit
t "then q quits at once" [ "$TT_RC" = 0 ]

tap_done
