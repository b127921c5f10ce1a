#!/bin/sh
# The recovery file in the editor, where it can go wrong (savefail.sh plays
# the plain kill -9 / restore / discard cases through):
# - the file changed on disk after the lost session loaded it: the editor
#   says so, and restores over it, writes the changes beside it
#   (FILE.recovered, never over an existing file) or discards them;
# - every editor in a fresh PID namespace (a container) has the same pid:
#   the dead one's recovery file must still be offered, never taken over;
# - no HOME, no XDG_STATE_HOME, or a state directory that cannot be made:
#   the editor says at start that unsaved changes are not kept.
. "$top_srcdir/tests/tap.sh"
export XDG_STATE_HOME="$TMP/state"
REC="$XDG_STATE_HOME/pcitopo/recover"
EXAMPLE="$top_srcdir/core/example-q35.xml"
CHANGE='add virtio-net'

if ! command -v tmux >/dev/null 2>&1; then
    tap_skip "the editor's recovery tests: tmux is not installed"
    tap_done
fi
. "$top_srcdir/tests/tmux-lib.sh"
trap 'tt_cleanup; rm -rf "$TMP"' EXIT

# the document the change makes, as save would write it
"$PCITOPO" -c "$CHANGE; save -" "$EXAMPLE" >"$TMP/new.xml" 2>/dev/null
intact() { cmp -s "$1" "$2" || { echo "$1 differs from $2"; diff "$2" "$1" | head; return 1; }; }
no_recovery_left() { left=$(ls -A "$REC"); [ -z "$left" ] || { echo "left: $left"; return 1; }; }
unmodified() { ! tt_screen | grep -q 'guest.xml \[+\]'; }
fresh() {
    rm -rf "${TMP:?}/$1"
    mkdir -p "$TMP/$1"
    cp "$EXAMPLE" "$TMP/$1/guest.xml"
    F="$TMP/$1/guest.xml"
}
# lost NAME [WRAPPER...]: an editor (under WRAPPER) on a fresh copy made
# the change and was killed with -9
lost() {
    fresh "$1"
    shift
    TT_COLS=200 tt_start "$@" "$PCITOPO" "$F"
    tt_wait_for "spare hotplug" >/dev/null
    tt_send : ; tt_send -l "$CHANGE"; tt_send Enter
    tt_wait_for "added interface virtio" >/dev/null
    pkill -9 -f "pcitopo $F"
    tt_wait_exit
}
# someone else edits the file on disk
edit_on_disk() {
    printf '<!-- edited by someone else -->\n' >>"$F"
    cp "$F" "$TMP/theirs.xml"
}
# the question for a file that changed on disk (wide: it carries details)
start_changed() {
    TT_COLS=400 tt_start "$PCITOPO" "$F"
    tt_wait_for "but the file changed since! r restores them over it, w writes them beside it" >/dev/null
}

# --- the file changed on disk since: w writes the changes beside it
lost aside
edit_on_disk
TT_COLS=400 tt_start "$PCITOPO" "$F"
t "changed on disk since: the editor says so before restoring" \
    tt_wait_for "Unsaved changes from [0-9-]+ [0-9:]+, but the file changed since! r restores them over it, w writes them beside it \(.recovered\), d discards them"
t "which file, and how it changed" \
    tt_wait_for "guest.xml changed on disk since that session loaded it: it was [0-9]+ bytes of [0-9-]+ [0-9:]+, it is [0-9]+ bytes of [0-9-]+ [0-9:]+; 1 line only on disk, [0-9]+ only in the recovery"
tt_send w
t "w writes the changes beside the file" tt_wait_for "wrote the unsaved changes to $F.recovered, to merge by hand"
t "FILE.recovered holds the lost changes (and no record)" intact "$F.recovered" "$TMP/new.xml"
t "the file on disk is untouched" intact "$F" "$TMP/theirs.xml"
t "the editor has the file as it is on disk" unmodified
t "no recovery file is left" no_recovery_left
tt_send q; tt_wait_exit

# again: FILE.recovered exists now, and is never overwritten
cp "$F.recovered" "$TMP/first.recovered"
lost_again() {
    TT_COLS=200 tt_start "$PCITOPO" "$F"
    tt_wait_for "spare hotplug" >/dev/null
    tt_send : ; tt_send -l "$CHANGE"; tt_send Enter
    tt_wait_for "added interface virtio" >/dev/null
    pkill -9 -f "pcitopo $F"
    tt_wait_exit
}
lost_again
edit_on_disk
start_changed
tt_send w
t "FILE.recovered exists: the changes go to FILE.recovered.1" \
    tt_wait_for "wrote the unsaved changes to $F.recovered.1"
t "and FILE.recovered is intact" intact "$F.recovered" "$TMP/first.recovered"
tt_send q; tt_wait_exit

# --- r restores over the newer file, as one undo step
lost over
edit_on_disk
start_changed
tt_send r
t "r restores over the newer file" \
    tt_wait_for "restored the unsaved changes over the newer file on disk; u undoes that"
t "the document shows them, unsaved" tt_wait_for "guest.xml \[\+\]"
tt_send u
t "u goes back to the newer file" tt_wait_for "undid: restore unsaved changes"
t "unmodified" unmodified
t "the file on disk is untouched" intact "$F" "$TMP/theirs.xml"
tt_send q; tt_wait_exit
t "quit: no recovery file is left" no_recovery_left

# --- d keeps the disk version, and an unchanged file still asks as before
lost keep
edit_on_disk
start_changed
tt_send d
t "d keeps the file on disk, and discards the changes" tt_wait_for "discarded the unsaved changes"
t "the file on disk is untouched" intact "$F" "$TMP/theirs.xml"
t "no recovery file is left" no_recovery_left
tt_send q; tt_wait_exit
lost plain
TT_COLS=200 tt_start "$PCITOPO" "$F"
t "an unchanged file: the plain question" \
    tt_wait_for "Restore unsaved changes from [0-9-]+ [0-9:]+\? r restores, d discards"
tt_send d; tt_send q; tt_wait_exit

# --- every editor in a fresh PID namespace has the same pid
if unshare --pid --fork --mount-proc true 2>/dev/null; then
    NS="unshare --pid --fork --mount-proc"
elif unshare --user --map-root-user --pid --fork --mount-proc true 2>/dev/null; then
    NS="unshare --user --map-root-user --pid --fork --mount-proc"
else
    NS=
fi
if [ -n "$NS" ]; then
    # shellcheck disable=SC2086
    lost pidns $NS
    kept=$(ls "$REC"/guest.xml-*.xml)
    cp "$kept" "$TMP/pidns.kept"
    # shellcheck disable=SC2086
    TT_COLS=200 tt_start $NS "$PCITOPO" "$F"
    t "a new editor with the dead one's pid offers its changes" \
        tt_wait_for "Restore unsaved changes from [0-9-]+ [0-9:]+\? r restores, d discards"
    t "and has not touched its recovery file" intact "$kept" "$TMP/pidns.kept"
    tt_send x
    tt_wait_for "kept the recovery file" >/dev/null
    tt_send : ; tt_send -l "add e1000"; tt_send Enter
    tt_wait_for "added interface e1000" >/dev/null
    t "its own change does not overwrite the dead one's file" intact "$kept" "$TMP/pidns.kept"
    tt_send q; tt_send d; tt_wait_exit
    t "nor does quitting remove it" intact "$kept" "$TMP/pidns.kept"
    # shellcheck disable=SC2086
    TT_COLS=200 tt_start $NS "$PCITOPO" "$F"
    tt_wait_for "Restore unsaved changes" >/dev/null
    tt_send r
    t "r restores the dead one's changes" tt_wait_for "restored the unsaved changes; u undoes that"
    tt_send w
    tt_wait_for "saved " >/dev/null
    t "and w saves them" intact "$F" "$TMP/new.xml"
    tt_send q; tt_wait_exit
    t "no recovery file is left" no_recovery_left
else
    for what in "offered" "untouched" "not overwritten" "not removed" "restored" "saved" "none left"; do
        tap_skip "PID namespace ($what): unshare --pid is not allowed here"
    done
fi

# --- no state directory: said at start
fresh nostate
TT_COLS=200 tt_start env -u HOME -u XDG_STATE_HOME "$PCITOPO" "$F"
t "no HOME and no XDG_STATE_HOME: the editor says changes are not kept" \
    tt_wait_for "unsaved changes are not kept for recovery: no HOME or XDG_STATE_HOME"
tt_send q; tt_wait_exit

: >"$TMP/a-file"
TT_COLS=200 tt_start env XDG_STATE_HOME="$TMP/a-file" "$PCITOPO" "$F"
t "a state directory that cannot be made: the editor says which, and why" \
    tt_wait_for "unsaved changes are not kept for recovery: cannot make $TMP/a-file/pcitopo: Not a directory"
tt_send q; tt_wait_exit

TT_COLS=200 tt_start "$PCITOPO"
t "the built-in example has no file: nothing is said" tt_wait_for "spare hotplug"
t "(no warning)" sh -c "! tmux -S '$TT_DIR/sock' capture-pane -p -t t | grep -q 'not kept for recovery'"
tt_send q; tt_wait_exit

t "--help says when changes are not kept" sh -c "'$PCITOPO' --help | grep -q 'says so when it starts'"
tap_done
