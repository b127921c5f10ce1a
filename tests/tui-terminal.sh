#!/bin/sh
# Habits of terminals and of the people at them (issue 22): colours from a
# theme, none under NO_COLOR or on a terminal without them (problems still
# stand out), Ctrl-Z and fg, Ctrl-L, Ctrl-S reaching the keymap, the mouse
# (clicks and the wheel, never motion; --no-mouse, `mouse`), the editor on
# a document from a pipe (`cat f | pcitopo -`), and pcitopo's options
# after FILE.
. "$top_srcdir/tests/tap.sh"
EX="$DATA/experiments"
GUEST="$EX/99-q35-typical-virt-install.out.xml"

# --- options after FILE, as GNU tools take them (no terminal needed)
run -c tree "$GUEST"
cp "$TMP/out" "$TMP/tree.want"
run "$GUEST" -c tree
t "pcitopo FILE -c tree is pcitopo -c tree FILE" sh -c "[ $rc = 0 ] && cmp '$TMP/tree.want' '$TMP/out'"
run "$GUEST" --command=tree --keymap vi --theme mono --no-mouse
t "long options after FILE too" sh -c "[ $rc = 0 ] && cmp '$TMP/tree.want' '$TMP/out'"
run "$GUEST" -V
t "-V after FILE prints the version" sh -c "[ $rc = 0 ] && grep -qx 'pcitopo [0-9.]*' '$TMP/out'"
run "$GUEST" --frobnicate
t "an unknown option after FILE exits 2" expect_rc 2
run "$GUEST" -c tree "$EX/01-q35-bare.out.xml"
t "two files around an option still exit 2" sh -c "[ $rc = 2 ] && grep -q 'one FILE at most' '$TMP/err'"
mkdir "$TMP/dash" && cp "$GUEST" "$TMP/dash/-c"
(cd "$TMP/dash" && "$PCITOPO" -c tree -- -c >"$TMP/out" 2>"$TMP/err")
t "'--' ends the options: a file named -c" cmp "$TMP/tree.want" "$TMP/out"
run tree "$GUEST" --ascii
t "a subcommand still takes its own options after FILE" out_has "|- 00:02.0  pcie-root-port"
run place "$EX/04-q35-none-1virtio.in.xml" -f -o "$TMP/placed.xml"
t "and its options' values (place FILE -f -o OUT)" sh -c "[ $rc = 0 ] && grep -q pcie-root-port '$TMP/placed.xml'"
run "$GUEST" --theme nosuch
t "--theme with an unknown name exits 2" expect_rc 2
t "naming the shipped themes" err_has "no theme 'nosuch' (shipped: default, mono, light"
run --help
t "--help lists --theme" out_has "--theme=NAME|PATH"
t "--help lists --no-mouse" out_has "--no-mouse"
t "--help says '-' works with the editor" out_has "virsh dumpxml guest | pcitopo -         (the editor on it)"

if ! command -v tmux >/dev/null 2>&1; then
    tap_skip "tmux is not installed: the editor's tests"
    tap_done
fi
. "$top_srcdir/tests/tmux-lib.sh"
export XDG_STATE_HOME="$TT_DIR/state" XDG_CONFIG_HOME="$TT_DIR/config"
mkdir -p "$XDG_CONFIG_HOME/pcitopo"
absent() { ! tt_screen | grep -Eq -- "$1"; }
# gone REGEX: the screen comes not to show REGEX
gone() {
    tt_deadline=$(( $(tt_now) + 5000 ))
    while tt_screen | grep -Eq -- "$1"; do
        [ "$(tt_now)" -lt "$tt_deadline" ] || { tt_screen | sed 's/^/#   |/'; return 1; }
        sleep 0.05
    done
}
ESC=$(printf '\033')

# The SGR parameters the pane's line matching REGEX is drawn with, one a
# line (1 bold, 4 underline, 7 reverse, 31 red, 38;5;N...).
sgr_of() {
    tt capture-pane -p -e -t t | grep -E -- "$1" | head -1 \
        | grep -o "$ESC\[[0-9;]*m" | sed "s/^$ESC\[//; s/m\$//" | tr ';' '\n'
}
# colour_escapes: every colour the screen is drawn with (30-37, 38;5;N,
# 40-47, 90-107...), but not 39 and 49, which only say "the default"
colour_escapes() {
    tt capture-pane -p -e -t t | grep -o "$ESC\[[0-9;]*m" | sed "s/^$ESC\[//; s/m\$//" \
        | tr ';' '\n' | grep -Ex '3[0-8]|4[0-8]|9[0-7]|10[0-7]'
}
no_colour() { [ -z "$(colour_escapes)" ] || { echo "colour escapes:"; colour_escapes | sort -u; }; }
has_sgr() { sgr_of "$1" | grep -qx "$2" || { echo "SGR of /$1/:"; sgr_of "$1" | tr '\n' ' '; }; }
flag() { tt display -p -t t "#{$1}"; }
quit_editor() { tt_send q; tt_wait_exit || tt kill-session -t t 2>/dev/null; }

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
PROBLEM="interface e1000  collides"

# --- colours: the default theme, NO_COLOR, terminals without colours
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" "$TT_DIR/collision.xml"
t "the default theme draws a problem in red" tt_wait_for "$PROBLEM"
t "(its escape is 31)" has_sgr "$PROBLEM" 31
quit_editor

TT_COLS=120 TT_LINES=40 tt_start env NO_COLOR=1 "$PCITOPO" "$TT_DIR/collision.xml"
t "NO_COLOR: the editor opens" tt_wait_for "$PROBLEM"
t "NO_COLOR: not one colour escape on the screen" no_colour
t "NO_COLOR: a problem is bold" has_sgr "$PROBLEM" 1
t "NO_COLOR: and underlined" has_sgr "$PROBLEM" 4
t "NO_COLOR: the selected line is reversed" has_sgr "pcie-root  bus 00" 7
t "NO_COLOR: the status line is reversed" has_sgr "spare hotplug" 7
quit_editor

TT_COLS=120 TT_LINES=40 tt_start env NO_COLOR= "$PCITOPO" "$TT_DIR/collision.xml"
t "an empty NO_COLOR keeps the colours (no-color.org)" tt_wait_for "$PROBLEM"
t "(the problem is red)" has_sgr "$PROBLEM" 31
quit_editor

for term in vt100 xterm-mono; do
    TT_COLS=120 TT_LINES=40 tt_start env TERM=$term "$PCITOPO" "$TT_DIR/collision.xml"
    t "TERM=$term: the editor opens" tt_wait_for "$PROBLEM"
    t "TERM=$term: no colour" no_colour
    t "TERM=$term: a problem is bold" has_sgr "$PROBLEM" 1
    t "TERM=$term: and underlined" has_sgr "$PROBLEM" 4
    quit_editor
done

TT_COLS=120 TT_LINES=40 tt_start env TERM=linux "$PCITOPO" "$TT_DIR/collision.xml"
t "TERM=linux (eight colours): the editor opens" tt_wait_for "$PROBLEM"
t "TERM=linux: a problem is red" has_sgr "$PROBLEM" 31
quit_editor

# a console that cannot keep its own colours (no op, no oc in terminfo):
# use_default_colors fails there, and the roles still get their colours
if command -v tic >/dev/null 2>&1 && command -v infocmp >/dev/null 2>&1; then
    mkdir -p "$TT_DIR/terminfo"
    infocmp -x linux | sed -e 's/^linux|/linux-nodefault|/' -e 's/\<op=[^,]*,//' -e 's/\<oc=[^,]*,//' \
        | tic -x -o "$TT_DIR/terminfo" - 2>/dev/null
    TT_COLS=120 TT_LINES=40 tt_start env TERMINFO="$TT_DIR/terminfo" TERM=linux-nodefault \
        "$PCITOPO" "$TT_DIR/collision.xml"
    t "no default colours: the editor opens" tt_wait_for "$PROBLEM"
    t "no default colours: a problem is still red" has_sgr "$PROBLEM" 31
    quit_editor
else
    tap_skip "tic is not installed"
    tap_skip "tic is not installed"
fi

# --- themes: the user's file, --theme NAME and PATH, bad lines
printf 'problem 196 default bold\nproblem nonsense default\nstatus white blue\n' \
    >"$XDG_CONFIG_HOME/pcitopo/theme"
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" "$TT_DIR/collision.xml"
t "a theme file's bad line is reported at start, with file and line" \
    tt_wait_for "config/pcitopo/theme:2: unknown colour 'nonsense'"
t "its good lines apply: the problem in palette colour 196" has_sgr "$PROBLEM" 196
t "and bold" has_sgr "$PROBLEM" 1
t "the status line in white on blue" has_sgr "spare hotplug" 44
quit_editor
TT_COLS=120 TT_LINES=40 tt_start env NO_COLOR=1 "$PCITOPO" "$TT_DIR/collision.xml"
t "NO_COLOR wins over a theme file with colours" tt_wait_for "$PROBLEM"
t "(no colour escape)" no_colour
quit_editor
rm "$XDG_CONFIG_HOME/pcitopo/theme"

TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" --theme mono "$TT_DIR/collision.xml"
t "--theme mono: the editor opens" tt_wait_for "$PROBLEM"
t "--theme mono: no colour on a colour terminal" no_colour
t "--theme mono: a problem is underlined" has_sgr "$PROBLEM" 4
quit_editor
printf 'include light\nproblem green default\n' >"$TT_DIR/mine.theme"
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" "$TT_DIR/collision.xml" --theme "$TT_DIR/mine.theme"
t "--theme PATH (after FILE): the editor opens" tt_wait_for "$PROBLEM"
t "the file's colour for problems (green)" has_sgr "$PROBLEM" 32
t "the rest from the theme it includes (light: a blue status line)" has_sgr "spare hotplug" 44
quit_editor

# --- Ctrl-S reaches the keymap: no flow control while the editor runs
printf 'bind tree C-s prompt "flow control is off"\n' >"$XDG_CONFIG_HOME/pcitopo/keys"
tt_start "$PCITOPO"
t "the editor opens with a keymap binding C-s" tt_wait_for "spare hotplug"
PTY=$(flag pane_tty)
t "IXON is off while it runs" sh -c "stty -F '$PTY' -a | grep -q -- '-ixon'"
tt_send C-s
t "C-s runs its command" tt_wait_for "^:flow control is off"
tt_send Escape
tt_send C-q
t "and C-q is a key too, not 'resume output'" tt_wait_for "^C-q: no command on this key"
quit_editor
rm "$XDG_CONFIG_HOME/pcitopo/keys"

# --- Ctrl-L: the screen again after another program wrote over it
tt_start "$PCITOPO"
t "the editor opens" tt_wait_for "spare hotplug"
PTY=$(flag pane_tty)
printf '\033[5;1H\033[2KGARBAGE FROM ANOTHER PROGRAM\033[1;1H\033[2K' >"$PTY"
t "another program wrote over the screen" tt_wait_for "GARBAGE FROM ANOTHER"
tt_send C-l
t "C-l draws it again: the garbage is gone" gone GARBAGE
t "and the lines it hid are back" tt_wait_for "^pcie-root  bus 00"
t "with the device on the garbage's row" tt_wait_for "00:02.0  pcie-root-port"
tt_send :
printf '\033[10;1HMORE GARBAGE' >"$PTY"
tt_wait_for "MORE GARBAGE" >/dev/null
tt_send C-l
t "C-l redraws at the prompt too, which stays open" tt_wait_for "^:$"
t "(no garbage)" gone "MORE GARBAGE"
tt_send Escape
# C-z where no shell can bring pcitopo back (it is the session's own
# process group here): it says so instead of stopping for good
tt_send C-z
t "C-z outside job control says why it does nothing" tt_wait_for "^suspend: no shell to come back to"
quit_editor

# --- Ctrl-Z and fg, from an interactive shell with job control
SHELL_I="sh -i"
command -v bash >/dev/null 2>&1 && SHELL_I="bash --norc --noprofile -i"
tt new-session -d -x 100 -y 30 -s t "env PS1='prompt\$ ' $SHELL_I"
t "an interactive shell starts" tt_wait_for 'prompt\$'
tt_send -l "stty -g >'$TT_DIR/stty.shell'; '$PCITOPO'"
tt_send Enter
t "pcitopo runs in it" tt_wait_for "spare hotplug"
tt_send j j
t "j j moves" tt_wait_for "spare hotplug: PCIe 1 · PCI 0  4/24"
tt_send C-z
t "C-z stops it: the shell says so" tt_wait_for "Stopped"
t "the alternate screen is left" [ "$(flag alternate_on)" = 0 ]
t "the mouse is off and the cursor shows" [ "$(flag mouse_any_flag)$(flag cursor_flag)" = 01 ]
tt_send -l "stty -g >'$TT_DIR/stty.stopped'"
tt_send Enter
sleep 0.3
t "the terminal is as the shell had it (flow control back)" cmp "$TT_DIR/stty.shell" "$TT_DIR/stty.stopped"
tt resize-window -t t -x 80 -y 26
tt_send -l "echo SHELL WAS HERE; fg"
tt_send Enter
t "fg brings the editor back" tt_wait_for "spare hotplug: PCIe 1 · PCI 0  4/24"
t "drawn again whole: the tree's first line" tt_wait_for "^pcie-root  bus 00"
t "nothing of the shell's output is left" gone "SHELL WAS HERE"
status_on_row() {
    tt_screen | sed -n "${1}p" | grep -q 'spare hotplug' || { tt_screen | sed 's/^/#   |/'; return 1; }
}
t "at the size the terminal took while it was stopped (status on row 25 of 26)" status_on_row 25
t "in the alternate screen, with the mouse" [ "$(flag alternate_on)$(flag mouse_any_flag)" = 11 ]
tt_send j
t "and keys work" tt_wait_for "5/"
tt_send q
t "q quits to the shell" tt_wait_for '^prompt\$ ?$'
tt_send -l "stty -g >'$TT_DIR/stty.after'"
tt_send Enter
sleep 0.3
t "which has its terminal as before" cmp "$TT_DIR/stty.shell" "$TT_DIR/stty.after"
tt kill-session -t t 2>/dev/null

# --- the mouse: clicks and the wheel, never motion
TT_COLS=100 TT_LINES=30 tt_start "$PCITOPO"
t "the editor opens" tt_wait_for "spare hotplug: PCIe 1 · PCI 0  2/24"
t "the mouse reports clicks (mode 1000)" [ "$(flag mouse_standard_flag)" = 1 ]
t "not drags (1002) or motion (1003): the terminal keeps them" \
    [ "$(flag mouse_button_flag)$(flag mouse_all_flag)" = 00 ]
# xterm's encoding of mode 1000 (tmux-256color has no SGR mouse): ESC [ M,
# then 32 + the button (64 wheel up, 65 down), 33 + column, 33 + row
wheel() { tt send-keys -t t -H 1b 5b 4d "$1" 2b 26; }
wheel 61
t "the wheel down moves the selection 3 lines" tt_wait_for "PCI 0  5/24"
wheel 61
t "again" tt_wait_for "PCI 0  8/24"
wheel 60
t "the wheel up moves it back" tt_wait_for "PCI 0  5/24"
tt send-keys -t t -H 1b 5b 4d 20 23 29 1b 5b 4d 23 23 29
t "a click selects the line under it" tt_wait_for "PCI 0  9/24"
tt_send '?'
t "help opens" tt_wait_for "^pcitopo help"
TOP=$(tt_screen | sed -n 2p)
FIFTH=$(tt_screen | sed -n 5p)
# row_is N TEXT: row N of the screen comes to read TEXT
row_is() {
    tt_deadline=$(( $(tt_now) + 5000 ))
    until [ "$(tt_screen | sed -n "${1}p")" = "$2" ]; do
        [ "$(tt_now)" -lt "$tt_deadline" ] || { echo "row $1: $(tt_screen | sed -n "${1}p")"; return 1; }
        sleep 0.05
    done
}
wheel 61
t "the wheel scrolls the pager 3 lines" row_is 2 "$FIFTH"
wheel 60
t "and back" row_is 2 "$TOP"
tt_send q
t "q closes the help" tt_wait_for "spare hotplug"
# below 100 columns the details pane is the bottom rows, fewer than the
# details of a device: rows 16-22 of 24
tt resize-window -t t -x 80 -y 24
tt_send Home j j j
t "on the video device" tt_wait_for "PCI 0  4/24"
sleep 0.3
DETAILS=$(tt_screen | sed -n 16p)
# row_differs N TEXT: row N of the screen comes to read other than TEXT
row_differs() {
    tt_deadline=$(( $(tt_now) + 5000 ))
    while [ "$(tt_screen | sed -n "${1}p")" = "$2" ]; do
        [ "$(tt_now)" -lt "$tt_deadline" ] || { tt_screen | sed 's/^/#   |/'; return 1; }
        sleep 0.05
    done
}
tt send-keys -t t -H 1b 5b 4d 61 2b 33
t "the wheel over the details pane scrolls it" row_differs 16 "$DETAILS"
t "not the tree: the selection stays" tt_wait_for "PCI 0  4/24"
tt send-keys -t t -H 1b 5b 4d 60 2b 33
t "and back" row_is 16 "$DETAILS"
tt resize-window -t t -x 100 -y 30
tt_send M
t "M turns the mouse off" tt_wait_for "^mouse off: the terminal selects text"
t "(no mouse mode at all)" [ "$(flag mouse_any_flag)" = 0 ]
tt_send M
t "M again turns it on" tt_wait_for "^mouse on: a click selects"
t "(mode 1000 again)" [ "$(flag mouse_standard_flag)$(flag mouse_button_flag)$(flag mouse_all_flag)" = 100 ]
quit_editor
tt_start "$PCITOPO" --no-mouse
t "--no-mouse: the editor opens" tt_wait_for "spare hotplug"
t "--no-mouse: the terminal keeps the mouse" [ "$(flag mouse_any_flag)" = 0 ]
quit_editor

# --- cat f | pcitopo -: the document from the pipe, the keys from the terminal
cp "$GUEST" "$TT_DIR/piped.xml"
TT_COLS=120 TT_LINES=40 tt_start sh -c "cat '$TT_DIR/piped.xml' | '$PCITOPO' -"
t "cat f | pcitopo - opens the editor on the document" tt_wait_for "<stdin>  q35"
t "with its tree" tt_wait_for "00:02.0  pcie-root-port"
tt_send End
t "keys come from the terminal" tt_wait_for "<stdin>  q35.*  ([0-9]+)/\\1 *$"
tt_send a Enter
t "an add" tt_wait_for "^added "
tt_send w
t "saving asks for a file name: the document has none" tt_wait_for "^:save-as ?$"
tt_send -l "$TT_DIR/saved.xml"
tt_send Enter
t "and saves there" tt_wait_for "^saved .*saved.xml"
t "which is then the document's file" tt_wait_for "saved.xml  q35"
tt_send a Enter
tt_wait_for "^added " >/dev/null
tt_send q
t "q with a later change asks" tt_wait_for "saved.xml has unsaved changes"
tt_send d
tt_wait_exit
t "d quits, status 0" [ "$TT_RC" = 0 ]
"$PCITOPO" -c 'add virtio-net; save -' - <"$TT_DIR/piped.xml" >"$TT_DIR/batch.xml" 2>/dev/null
t "the file is what batch mode writes" cmp "$TT_DIR/saved.xml" "$TT_DIR/batch.xml"
TT_COLS=120 TT_LINES=40 tt_start sh -c "'$PCITOPO' '$TT_DIR/piped.xml' </dev/null"
t "a FILE with stdin not a terminal reads keys from the terminal too" tt_wait_for "piped.xml  q35"
quit_editor
t "and quits" [ "$TT_RC" = 0 ]

# --- the editor's options after FILE
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO" "$TT_DIR/piped.xml" --keymap vi
t "pcitopo FILE --keymap vi: the file opens" tt_wait_for "piped.xml  q35"
tt_send G
t "with vi's keys (G: the last line)" tt_wait_for "piped.xml  q35.*  ([0-9]+)/\\1 *$"
quit_editor
tap_done
