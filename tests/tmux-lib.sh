# Drive a terminal program in a private, detached tmux server.  Works with
# no controlling terminal and stdin=/dev/null (CI).  Source it, then:
#   tt_start CMD...      run CMD in a 100x30 pane; its status goes to $TT_DIR/rc
#                        (under $TUI_WRAPPER, e.g. valgrind, when it is set)
#   tt_send KEYS...      tmux send-keys
#   tt_wait_for REGEX    poll the screen until REGEX shows ($TT_TIMEOUT s, 5)
#   tt_wait_exit         wait for CMD to end; sets TT_RC
#   tt_screen            print the screen
unset TMUX                                  # never nest into the user's tmux
export LC_ALL=C.UTF-8 TERM=tmux-256color ESCDELAY=25
TT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pcitopo-tt.XXXXXX")
tt() { tmux -u -S "$TT_DIR/sock" -f /dev/null "$@"; }
tt_cleanup() { tt kill-server >/dev/null 2>&1; rm -rf "$TT_DIR"; }
trap tt_cleanup EXIT

tt_start() {
    # shellcheck disable=SC2086
    [ -z "${TUI_WRAPPER:-}" ] || set -- $TUI_WRAPPER "$@"
    {
        printf '#!/bin/sh\n'
        for a in "$@"; do printf "'%s' " "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"; done
        printf '2>"%s/stderr"\n' "$TT_DIR"
        printf 'echo $? >"%s/rc.tmp"; mv "%s/rc.tmp" "%s/rc"\n' "$TT_DIR" "$TT_DIR" "$TT_DIR"
    } >"$TT_DIR/run.sh"
    rm -f "$TT_DIR/rc"
    tt new-session -d -x "${TT_COLS:-100}" -y "${TT_LINES:-30}" -s t "sh $TT_DIR/run.sh"
}
tt_send() { tt send-keys -t t "$@"; }
tt_screen() { tt capture-pane -p -t t 2>/dev/null; }
tt_now() { echo $(( $(date +%s%N) / 1000000 )); }
tt_wait_for() {
    tt_deadline=$(( $(tt_now) + ${2:-${TT_TIMEOUT:-5}} * 1000 ))
    while [ "$(tt_now)" -lt "$tt_deadline" ]; do
        tt_screen | grep -Eq -- "$1" && return 0
        sleep 0.02
    done
    echo "# timed out waiting for /$1/; the screen was:"
    tt_screen | sed 's/^/#   |/'
    return 1
}
tt_wait_exit() {
    tt_deadline=$(( $(tt_now) + ${1:-${TT_TIMEOUT:-5}} * 1000 ))
    while [ ! -f "$TT_DIR/rc" ]; do
        [ "$(tt_now)" -lt "$tt_deadline" ] || { TT_RC=timeout; return 1; }
        sleep 0.02
    done
    TT_RC=$(cat "$TT_DIR/rc")
}
