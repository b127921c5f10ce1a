#!/bin/sh
# The ':' prompt and its history file against hostile input, under tmux:
# a line longer than 1,023 bytes runs whole (it used to be cut, and what
# was left ran), a line over the prompt's 64 KiB is refused with nothing
# run, pastes of 60 and 100 KB take seconds, not minutes; a history file
# that is a fifo, a link to /dev/zero or a link to another file, or that
# holds a 4 MB line, neither blocks, exhausts memory nor hangs the editor,
# and saving the history never writes through a planted link.  Large
# inputs are made here, on the fly.
. "$top_srcdir/tests/tap.sh"
if ! command -v tmux >/dev/null 2>&1; then
    echo "1..0 # SKIP tmux is not installed"
    exit 0
fi
. "$top_srcdir/tests/tmux-lib.sh"
export XDG_STATE_HOME="$TT_DIR/state"
HIST="$XDG_STATE_HOME/pcitopo/history"
mkdir -p "$XDG_STATE_HOME/pcitopo"
absent() { ! tt_screen | grep -Eq -- "$1"; }
# spaces N: N spaces
spaces() { head -c "$1" /dev/zero | tr '\0' ' '; }
# quit_editor: leave without saving and wait for the end
# (a session that hangs is killed, so that the next case starts clean)
quit_editor() {
    tt_send Escape; tt_send q; sleep 0.2; tt_send d 2>/dev/null
    tt_wait_exit 10 || tt kill-session -t t 2>/dev/null
}
# paste TEXT: types TEXT into the pane as a terminal paste does (send-keys
# takes no argument this long)
paste() { printf '%s' "$1" >"$TT_DIR/paste"; tt load-buffer "$TT_DIR/paste"; tt paste-buffer -t t; }
# the editor under a memory limit, so a history read without bound fails
# here instead of taking the machine's memory
# (not under the sanitizers, which reserve more address space than that)
if sh -c 'ulimit -v 2000000; exec "$0" --version' "$PCITOPO" >/dev/null 2>&1; then
    start_limited() { tt_start sh -c 'ulimit -v 2000000; exec "$0" "$@"' "$PCITOPO" "$@"; }
else
    start_limited() { tt_start "$PCITOPO" "$@"; }
fi

# --- a 2 KB line runs whole
start_limited
t "the editor starts" tt_wait_for "^pcie-root  bus 00"
tt_send :
paste "$(spaces 2000)add e1000 alias=ua-long"
tt_send Enter
t "a 2 KB line runs whole (it was cut at 1,023 bytes)" \
    tt_wait_for "^added interface e1000 ua-long at"
quit_editor

# --- over 64 KiB: refused, nothing runs; the paste takes seconds
rm -f "$HIST"
start_limited
tt_wait_for "^pcie-root  bus 00" >/dev/null
tt_send :
paste "add e1000 $(spaces 100000)alias=ua-cut"
tt_send Enter
# quadratic, the paste took over a minute and so misses the wait; linear,
# about 15 s under tmux on a loaded machine, most of it tmux (its speed is
# not a goal of this test)
t "a 100 KB line is refused, saying why" \
    tt_wait_for "the prompt runs lines up to 65536 bytes: nothing of it was run" 60
t "and nothing of it ran" absent "added interface|\[\+\]"
tt_send :
paste "add e1000 $(spaces 60000)alias=ua-sixty"
tt_send Enter
t "a 60 KB line runs" tt_wait_for "^added interface e1000 ua-sixty at" 60
quit_editor
t "the history holds the 60 KB line" grep -q 'alias=ua-sixty' "$HIST"
t "and not the refused one" sh -c "! grep -q 'alias=ua-cut' '$HIST'"
t "the history is a regular file in libedit's format" sh -c "[ -f '$HIST' ] && head -1 '$HIST' | grep -qx _HiStOrY_V2_"

# --- the history file: a fifo
rm -f "$HIST"
mkfifo "$HIST"
start_limited
t "a fifo as the history file does not block startup" tt_wait_for "^pcie-root  bus 00"
t "  it is refused, saying why" tt_wait_for "^prompt history not read or written \(not a regular file\)"
quit_editor
t "  and left as it was" [ -p "$HIST" ]

# --- a link to /dev/zero
rm -f "$HIST"
ln -s /dev/zero "$HIST"
start_limited
t "a link to /dev/zero as the history file: the editor starts" tt_wait_for "^pcie-root  bus 00"
t "  it is refused, saying why" tt_wait_for "^prompt history not read or written \(a symbolic link\)"
quit_editor
t "  the editor did not die (status 0)" [ "$TT_RC" = 0 ]

# --- a link to another file: neither read nor written through
rm -f "$HIST"
printf '_HiStOrY_V2_\nprecious\n' >"$TT_DIR/victim"
ln -s "$TT_DIR/victim" "$HIST"
start_limited
tt_wait_for "^pcie-root  bus 00" >/dev/null
tt_send :
tt_send -l spare
tt_send Enter
t "a command runs with a linked history" tt_wait_for "^spare hotplug"
quit_editor
t "saving the history did not write through the link" \
    sh -c "[ \"\$(cat '$TT_DIR/victim')\" = \"\$(printf '_HiStOrY_V2_\nprecious')\" ]"
t "  which is still a link" [ -L "$HIST" ]

# --- a 4 MB line
rm -f "$HIST"
{
    printf '_HiStOrY_V2_\nspare\n'
    head -c 4000000 /dev/zero | tr '\0' 'x'
    printf '\n'
} >"$HIST"
start_limited
t "a history file with a 4 MB line: the editor starts" tt_wait_for "^pcie-root  bus 00"
t "  says it read only the newest part" tt_wait_for "^prompt history: only its newest 1 MiB read"
tt_send : Up
sleep 1
tt_send C-u
tt_send -l spare
tt_send Enter
t "  the prompt still answers" tt_wait_for "^spare hotplug" 10
quit_editor
t "  the history written back is bounded (1 MiB)" [ "$(wc -c <"$HIST")" -le 1048576 ]

# a long line inside the newest part is skipped, and said so
{
    printf '_HiStOrY_V2_\nhelp\\040add\n'
    head -c 300000 /dev/zero | tr '\0' 'x'
    printf '\nspare\n'
} >"$HIST"
start_limited
t "a 300 KB history line is skipped, and said so" \
    tt_wait_for "^prompt history: 1 line longer than 65536 bytes skipped"
tt_send : Up Up
t "  the lines around it are recalled" tt_wait_for "^:help add$"
quit_editor

tap_done
