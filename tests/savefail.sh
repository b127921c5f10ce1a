#!/bin/sh
# Saving when things go wrong, as a user meets it: a read-only directory,
# a full disk (a file size limit, and a real full tmpfs where this machine
# lets us mount one), the file edited or replaced on disk while the editor
# had it open, a symlinked target, and kill -9 in the middle of a save.
# Each time the original file must be intact (or, after the rename, the
# whole new one), and pcitopo must say what happened.  Then the recovery
# file: the editor killed with unsaved changes, and the next `pcitopo FILE`
# offering them back.
. "$top_srcdir/tests/tap.sh"
export XDG_STATE_HOME="$TMP/state"
EXAMPLE="$top_srcdir/core/example-q35.xml"
CHANGE='add virtio-net'

# fresh NAME: a copy of the example at $TMP/NAME/guest.xml, and its
# original bytes at $TMP/NAME.orig
fresh() {
    rm -rf "${TMP:?}/$1"
    mkdir -p "$TMP/$1"
    cp "$EXAMPLE" "$TMP/$1/guest.xml"
    cp "$EXAMPLE" "$TMP/$1.orig"
    F="$TMP/$1/guest.xml"
}
# the document the change makes, as save would write it
"$PCITOPO" -c "$CHANGE; save -" "$EXAMPLE" >"$TMP/new.xml" 2>/dev/null
intact() { cmp -s "$1" "$2" || { echo "$1 differs from $2"; diff "$2" "$1" | head; return 1; }; }
no_temp_left() {
    left=$(ls -A "$(dirname "$1")" | grep '\.pcitopo-' || true)
    [ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

# --- a read-only directory
fresh rodir
if [ "$(id -u)" = 0 ]; then
    # root writes anywhere: run pcitopo as nobody, for whom it is read-only
    if command -v setpriv >/dev/null && chmod 755 "$TMP" "$TMP/rodir" && chmod 644 "$F"; then
        setpriv --reuid=65534 --regid=65534 --clear-groups \
            "$PCITOPO" -c "$CHANGE; save" "$F" >"$TMP/out" 2>"$TMP/err"
        rc=$?
        ro=yes
    else
        ro=
    fi
else
    chmod 555 "$TMP/rodir"
    run -c "$CHANGE; save" "$F"
    ro=yes
fi
if [ -n "$ro" ]; then
    t "read-only directory: save fails (exit 1)" expect_rc 1
    t "and says it could not create its temporary file" \
        err_has "cannot save: create a temporary file failed: Permission denied (the file on disk is unchanged)"
    t "and the original is intact" intact "$F" "$TMP/rodir.orig"
else
    tap_skip "read-only directory: running as root without setpriv"
    tap_skip "read-only directory: message"
    tap_skip "read-only directory: original intact"
fi
chmod 755 "$TMP/rodir"

# --- a full disk, as a file size limit: write() fails half-way
fresh fsize
sh -c "ulimit -f 2 && exec \"\$0\" -c '$CHANGE; save' \"\$1\"" "$PCITOPO" "$F" >"$TMP/out" 2>"$TMP/err"
rc=$?
t "file size limit: save fails (exit 1)" expect_rc 1
t "and says the write failed" err_has "cannot save: write failed: File too large (the file on disk is unchanged)"
t "and the original is intact" intact "$F" "$TMP/fsize.orig"
t "and no temporary file is left" no_temp_left "$F"

# --- a real full disk: a 64 KiB tmpfs, filled up
fresh tmpfs
cat >"$TMP/fill.sh" <<'EOS'
set -e
mount -t tmpfs -o size=64k pcitopo-test "$1"
cp "$2" "$1/guest.xml"
dd if=/dev/zero of="$1/filler" bs=1k count=64 2>/dev/null || true
"$3" -c "$4; save" "$1/guest.xml" >"$5/out" 2>"$5/err" && echo 0 >"$5/rc" || echo $? >"$5/rc"
cp "$1/guest.xml" "$5/tmpfs-after.xml"
ls -A "$1" >"$5/tmpfs-ls"
umount "$1"
EOS
mkdir -p "$TMP/mnt"
if unshare -m sh "$TMP/fill.sh" "$TMP/mnt" "$EXAMPLE" "$PCITOPO" "$CHANGE" "$TMP" 2>/dev/null; then
    rc=$(cat "$TMP/rc")
    t "full tmpfs: save fails (exit 1)" expect_rc 1
    t "and says the disk is full" err_has "No space left on device (the file on disk is unchanged)"
    t "and the original is intact" intact "$TMP/tmpfs-after.xml" "$TMP/tmpfs.orig"
    t "and no temporary file is left" sh -c "! grep -q pcitopo- '$TMP/tmpfs-ls'"
else
    for what in "fails" "message" "original intact" "no temporary file"; do
        tap_skip "full tmpfs ($what): cannot mount a tmpfs here (needs root and mount rights)"
    done
fi

# --- a symlinked target: the link stays, its target gets the document
fresh link
mkdir -p "$TMP/link/real"
mv "$F" "$TMP/link/real/guest.xml"
ln -s real/guest.xml "$F"
run -c "$CHANGE; save" "$F"
t "symlink: save succeeds" expect_rc 0
t "and says it wrote the linked file" \
    err_has "saved $F (the link stays; its file $TMP/link/real/guest.xml has the new document)"
t "the link is still a link" test -L "$F"
t "and its target holds the new document" intact "$TMP/link/real/guest.xml" "$TMP/new.xml"
t "and no temporary file is left beside the target" no_temp_left "$TMP/link/real/guest.xml"

# --- kill -9 in the middle of a save
# strace holds the save at a chosen system call, so the kill lands exactly
# there: before the rename the old file must be whole, after it the new.
kill_at() {  # kill_at NAME INJECT: save under strace, kill -9 pcitopo there
    fresh "$1"
    strace -f -qq -o /dev/null -e trace="${2%%:*}" -e inject="$2" \
        "$PCITOPO" -c "$CHANGE; save" "$F" >/dev/null 2>&1 &
    deadline=$(($(date +%s) + 10))
    until [ -n "$(ls -A "$TMP/$1" | grep '\.pcitopo-')" ] || [ "$(date +%s)" -gt $deadline ]; do
        sleep 0.05
    done
    [ "$2" = "${2#rename}" ] || sleep 0.3   # past the rename itself
    pkill -9 -f "^$PCITOPO -c $CHANGE; save $F"   # pcitopo, not strace
    wait
}
if command -v strace >/dev/null && strace -qq -o /dev/null true 2>/dev/null; then
    kill_at killfsync "fsync:delay_enter=3000000"
    t "kill -9 before the rename: the original is intact" intact "$F" "$TMP/killfsync.orig"
    run tree "$F"
    t "and the next run names the temporary file the save left" \
        err_has "an interrupted save left $TMP/killfsync/.guest.xml.pcitopo-"
    t "and says the file itself is whole" err_has "guest.xml itself is whole"
    kill_at killrename "rename:delay_exit=3000000"
    t "kill -9 after the rename: the file is the whole new document" intact "$F" "$TMP/new.xml"
else
    for what in "before the rename" "left-over named" "file whole" "after the rename"; do
        tap_skip "kill -9 during save ($what): strace cannot trace here"
    done
fi
# and without strace: kills at random moments of many saves of a big
# document; each leaves the old file or the new one, never a mix or a
# truncation
fresh random
"$PCITOPO" -c "spare-ports 64; save -f" "$F" >/dev/null 2>&1
cp "$F" "$TMP/random.orig"
"$PCITOPO" -c "$CHANGE; save -" "$F" >"$TMP/random.new" 2>/dev/null
bad=0 i=0
while [ $i -lt 25 ]; do
    cp "$TMP/random.orig" "$F"
    "$PCITOPO" -c "$CHANGE; save -f" "$F" >/dev/null 2>&1 &
    pid=$!
    sleep "0.0$((i % 10))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    cmp -s "$F" "$TMP/random.orig" || cmp -s "$F" "$TMP/random.new" || bad=$((bad + 1))
    rm -f "$TMP/random/".guest.xml.pcitopo-*
    i=$((i + 1))
done
t "25 saves killed at random moments: each left the old or the new file" [ $bad = 0 ]

# --- the editor: the file edited or replaced on disk while it is open
if command -v tmux >/dev/null 2>&1; then
    . "$top_srcdir/tests/tmux-lib.sh"
    trap 'tt_cleanup; rm -rf "$TMP"' EXIT
    # open NAME: the editor on a fresh copy, with one change made
    open_changed() {
        fresh "$1"
        TT_COLS=200 tt_start "$PCITOPO" "$F"
        tt_wait_for "spare hotplug" >/dev/null
        tt_send : ; tt_send -l "$CHANGE"; tt_send Enter
        tt_wait_for "added interface virtio" >/dev/null
    }
    open_changed edited
    printf '<!-- edited by someone else -->\n' >>"$F"
    cp "$F" "$TMP/edited.theirs"
    tt_send w
    t "edited on disk: the editor refuses to save over it" \
        tt_wait_for "the file changed on disk since it was loaded; save -f overwrites it"
    t "and the other edit is intact" intact "$F" "$TMP/edited.theirs"
    tt_send q; tt_send y; tt_wait_exit

    open_changed replaced
    cp "$EXAMPLE" "$TMP/other.xml"
    sed -i 's/<name>[^<]*</<name>replaced</' "$TMP/other.xml"
    mv "$TMP/other.xml" "$F"
    cp "$F" "$TMP/replaced.theirs"
    tt_send w
    t "replaced on disk: the editor refuses to save over it" \
        tt_wait_for "the file changed on disk since it was loaded"
    t "and the new file is intact" intact "$F" "$TMP/replaced.theirs"
    tt_send : ; tt_send -l "save -f"; tt_send Enter
    t "save -f then writes the editor's document" tt_wait_for "saved "
    t "which is the change on the file as it was loaded" intact "$F" "$TMP/new.xml"
    tt_send q; tt_wait_exit

    # --- the recovery file
    REC="$XDG_STATE_HOME/pcitopo/recover"
    open_changed recover
    t "unsaved changes: a recovery file is kept" sh -c "ls '$REC' | grep -q '^guest.xml-.*\.xml$'"
    pkill -9 -f "pcitopo $F"
    tt_wait_exit
    t "kill -9: the file is untouched" intact "$F" "$TMP/recover.orig"
    t "and the recovery file holds the changes" intact "$(ls "$REC"/guest.xml-* | head -1)" "$TMP/new.xml"
    TT_COLS=200 tt_start "$PCITOPO" "$F"
    t "pcitopo FILE offers them back" tt_wait_for "Restore unsaved changes from [0-9-]+ [0-9:]+\? r restores, d discards"
    tt_send r
    t "r restores them" tt_wait_for "restored the unsaved changes; u undoes that, w saves them"
    t "the document shows them, unsaved" tt_wait_for "guest.xml \[\+\]"
    tt_send w
    t "w saves them" tt_wait_for "saved "
    t "the file is now what the lost session made" intact "$F" "$TMP/new.xml"
    t "and no recovery file is left" sh -c "[ -z \"\$(ls -A '$REC')\" ]"
    tt_send q; tt_wait_exit

    open_changed discard
    tt kill-server   # the terminal goes away (SIGHUP)
    deadline=$(($(date +%s) + 10))
    while pgrep -f "pcitopo $F" >/dev/null && [ "$(date +%s)" -le $deadline ]; do sleep 0.05; done
    t "the terminal closed: the recovery file stays" sh -c "ls '$REC' | grep -q '^guest.xml-'"
    TT_COLS=200 tt_start "$PCITOPO" "$F"
    tt_wait_for "Restore unsaved changes" >/dev/null
    tt_send x
    t "another key keeps it for later" tt_wait_for "kept the recovery file"
    tt_send q; tt_wait_exit
    TT_COLS=200 tt_start "$PCITOPO" "$F"
    t "and it is offered again next time" tt_wait_for "Restore unsaved changes"
    tt_send d
    t "d discards it" tt_wait_for "discarded the unsaved changes"
    t "the recovery file is gone" sh -c "[ -z \"\$(ls -A '$REC')\" ]"
    t "and the file is untouched" intact "$F" "$TMP/discard.orig"
    tt_send q; tt_wait_exit

    open_changed quitdiscard
    tt_send q; tt_send y; tt_wait_exit
    t "quitting without saving removes the recovery file" sh -c "[ -z \"\$(ls -A '$REC')\" ]"
else
    tap_skip "the editor's save and recovery tests: tmux is not installed"
fi
tap_done
