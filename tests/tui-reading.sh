#!/bin/sh
# Reading in the editor (issue 22), under tmux as a person reads: the
# details pane scrolls (J/K, details ...) with a mark saying there is more
# below or above; the pager wraps long lines at the screen's width, scrolls,
# says where the reader is, keeps its place on a resize and searches (/, n,
# N, smartcase, "Pattern not found"); a message is never cut mid-word, and
# one that does not fit says where to read it whole; :messages lists every
# message shown, errors marked, oldest first, the newest 500 kept.
. "$top_srcdir/tests/tap.sh"
if ! command -v tmux >/dev/null 2>&1; then
    echo "1..0 # SKIP tmux is not installed"
    exit 0
fi
. "$top_srcdir/tests/tmux-lib.sh"
export XDG_STATE_HOME="$TT_DIR/state"
EXAMPLE="$top_srcdir/core/example-q35.xml"   # the built-in example, as a file

# absent REGEX: the screen does not show REGEX
absent() { ! tt_screen | grep -Eq -- "$1"; }
# row N: line N of the screen (from 1)
row() { tt_screen | sed -n "${1}p"; }
# wait_row N REGEX: poll until row N matches REGEX
wait_row() {
    tt_deadline=$(( $(tt_now) + ${TT_TIMEOUT:-5} * 1000 ))
    until row "$1" | grep -Eq -- "$2"; do
        [ "$(tt_now)" -lt "$tt_deadline" ] || { echo "# row $1 is: $(row "$1")"; return 1; }
        sleep 0.02
    done
}
# words: stdin as one line, blanks squeezed (what a reader reads, rows joined)
words() { tr '\n' ' ' | tr -s ' ' | sed 's/^ //; s/ $//'; }
# in_order RE...: each REGEX is on a screen line below the one before
in_order() {
    last=0
    for re in "$@"; do
        n=$(tt_screen | grep -nE -- "$re" | head -1 | cut -d: -f1)
        [ -n "$n" ] && [ "$n" -gt "$last" ] || { echo "# /$re/ not below line $last"; tt_screen | sed 's/^/#   |/'; return 1; }
        last=$n
    done
}
# message_whole TEXT: the rows under the status line, joined, read TEXT:
# every row ended between two words
message_whole() {
    got=$(tt_screen | sed '1,/spare hotplug/d' | words)
    [ "$got" = "$1" ] || { echo "# got:  $got"; echo "# want: $1"; return 1; }
}
# pager_whole TEXT: the pager's text rows, joined, read TEXT
pager_whole() {
    got=$(tt_screen | sed -n "2,$((${TT_LINES:-30} - 2))p" | words)
    [ "$got" = "$1" ] || { echo "# got:  $got"; echo "# want: $1"; return 1; }
}
# cut_between_words PREFIX TEXT: the bottom line is PREFIX, whole words of
# TEXT (at least one), then "… (:messages shows all)"
cut_between_words() {
    last=$(tt_screen | tail -1)
    case $last in "$1"*"… (:messages shows all)") ;; *) echo "# last row: $last"; return 1 ;; esac
    shown=${last#"$1"}
    shown=${shown%"… (:messages shows all)"}
    [ -n "$shown" ] || { echo "# no word shown"; return 1; }
    case "$2 " in "$shown "*) ;; *) echo "# '$shown' is not whole words of '$2'"; return 1 ;; esac
}
# highlighted TEXT: on the screen, TEXT comes right after a change of
# attributes (the pager draws a match in its own)
highlighted() { tt capture-pane -p -e -t t | grep -q "$(printf '\033')\[[0-9;]*m$1"; }

# --- the details pane scrolls, with a mark when there is more
TT_COLS=80 TT_LINES=24 tt_start "$PCITOPO"
t "the example opens at 80x24" tt_wait_for "spare hotplug"
tt_send :
tt_send -l messages
tt_send Enter
t "before any message, :messages says there is none yet" tt_wait_for "^\(none yet\)$"
tt_send q
tt_send j j
t "the video's details are longer than the pane: the mark says how much is below" \
    tt_wait_for "^↓ [0-9]+ below  \(J/K scroll\)$"
t "and nothing above" absent "↑ [0-9]+ above"
t "the explanation is below, not shown yet" absent "^Why it is here"
tt_send J J J
t "J scrolls: the mark says 3 rows are above, and more below" tt_wait_for "^↑ 3 above  ↓ [0-9]+ below  \(J/K scroll\)$"
t "the explanation's heading shows" tt_wait_for "^Why it is here"
tt_send :
tt_send -l "details bottom"
tt_send Enter
t "details bottom: nothing more below, the mark says what is above" \
    tt_wait_for "^↑ [0-9]+ above  \(J/K scroll\)$"
LAST=$("$PCITOPO" -c 'explain 00:01.0' "$EXAMPLE" | tail -1)
last_row_ends_explain() {
    r=$(tt_screen | grep -B1 "^↑ [0-9]* above" | head -1)
    case "$LAST" in *"${r% }") ;; *) echo "# row: $r"; echo "# explain ends: $LAST"; return 1 ;; esac
}
t "the row above the mark is the end of the explanation" last_row_ends_explain
tt_send K
t "K scrolls back: one row below" tt_wait_for "^↑ [0-9]+ above  ↓ 1 below  \(J/K scroll\)$"
tt_send :
tt_send -l "details top"
tt_send Enter
t "details top: the first row again" tt_wait_for "^↓ [0-9]+ below  \(J/K scroll\)$"
t "nothing above" absent "↑ [0-9]+ above"
tt_send J J j
t "J J, then j selects the next line" tt_wait_for "^element +<controller>"
tt_send k
t "back on the video, its details start at the top again" tt_wait_for "^element +<video>"
t "the mark says nothing is above" tt_wait_for "^↓ [0-9]+ below  \(J/K scroll\)$"
tt_send :
tt_send -l "details sideways"
tt_send Enter
t "details with a wrong word says which it takes" \
    tt_wait_for "^details: down, up, page-down, page-up, top or bottom \(not 'sideways'\)"

# --- a message is whole, its rows ending between words
LONG="lorem ipsum dolor sit amet"
i=1
while [ $i -lt 20 ]; do LONG="$LONG lorem ipsum dolor sit amet"; i=$((i + 1)); done
GOTO_ERR="goto: no device with alias or address '$LONG' (an alias, BB:SS.F or BB:SS)"
tt_send :
tt_send -l "goto '$LONG'"
tt_send Enter
t "80x24: a long error takes rows above the status line" tt_wait_for "BB:SS\)$"
t "80x24: it is whole, every row ending between two words" message_whole "$GOTO_ERR"
tt_send :
tt_send -l bogus1
tt_send Enter
t "an unknown command is an error" tt_wait_for "^unknown command 'bogus1'"
tt_send :
tt_send -l spare
tt_send Enter
t "spare's one line is a note" tt_wait_for "^spare hotplug slots: pcie=1 pci=0"

# --- the message log
tt_send :
tt_send -l messages
tt_send Enter
t ":messages opens the log in the pager" tt_wait_for "^messages, the newest last"
t "errors are marked" tt_wait_for "error  unknown command 'bogus1'"
t "notes too" tt_wait_for "note   spare hotplug slots: pcie=1 pci=0"
t "the messages are in the order shown, the newest last" \
    in_order "error  details: down, up" "error  goto: no device" "error  unknown command 'bogus1'" "note   spare hotplug"
t "each with its number and time" tt_wait_for "^#[0-9]+ +[0-2][0-9]:[0-5][0-9]:[0-5][0-9] error  unknown command 'bogus1'"

# --- the pager: Pattern not found, cut between words, pointing to :messages
PAT="nothing like this is in the log of messages at all so it is not found"
tt_send /
tt_send -l "$PAT"
t "/ types the pattern in the pager's bottom line" tt_wait_for "^/$PAT$"
tt_send Enter
t "80x24: Pattern not found, cut between words, says :messages shows all" \
    cut_between_words "Pattern not found: " "$PAT"
tt_send j
t "the next key takes the message away: the bottom line says where the reader is" \
    tt_wait_for "^(all [0-9]+ lines|lines [0-9]+-[0-9]+ of [0-9]+ \(END\))  /nothing like"
tt_send q
tt_send :
tt_send -l messages
tt_send Enter
t ":messages has the message whole" tt_wait_for "error  Pattern not found: nothing like"
log_has_pattern() { tt_screen | words | grep -qF "Pattern not found: $PAT"; }
t "all its words" log_has_pattern
tt_send q

# --- the log keeps the newest 500 messages
SPARES=spare
i=1
while [ $i -lt 510 ]; do SPARES="$SPARES;spare"; i=$((i + 1)); done
tt_send :
tt_send -l "$SPARES"
tt_send Enter
t "510 commands, 510 notes" tt_wait_for "^spare hotplug slots"
tt_send :
tt_send -l messages
tt_send Enter
t "the log opens at its end, the newest last" tt_wait_for "^#5[0-9][0-9] .*note   spare hotplug slots"
tt_send g
t "its top says how many older messages are no longer kept" \
    tt_wait_for "^\(the [0-9]+ before these are no longer kept\)"
t "the first kept is not the first shown" absent "^#1 "
tt_send q q
tt_wait_exit
t "q closes the pager, q quits: nothing changed to ask about" [ "$TT_RC" = 0 ]

# --- without UTF-8 the mark is ASCII
TT_COLS=80 TT_LINES=24 tt_start env LC_ALL=C "$PCITOPO"
t "C locale: the example opens" tt_wait_for "spare hotplug"
tt_send j j
t "the mark is ASCII" tt_wait_for "^v [0-9]+ below  \(J/K scroll\)$"
tt_send J
t "above too" tt_wait_for "^\^ 1 above  v [0-9]+ below  \(J/K scroll\)$"
tt_send q
tt_wait_exit

# --- a pane tall enough needs no mark
TT_COLS=120 TT_LINES=40 tt_start "$PCITOPO"
t "120x40: the details beside the tree" tt_wait_for "spare hotplug"
tt_send j j
t "the video's explanation fits" tt_wait_for "│Why it is here"
t "no mark" absent "below  \(J/K scroll\)"
tt_send q
tt_wait_exit

# --- the pager on a narrow screen: explain, help
# an e1000 without an address: its explanation lists every bus placement
# passed over, longer than a 60x15 screen
sed 's#</devices>#<interface type="network"><source network="default"/><model type="e1000"/><alias name="ua-legacy"/></interface></devices>#' \
    "$EXAMPLE" >"$TT_DIR/legacy.xml"
TT_COLS=60 TT_LINES=15 tt_start "$PCITOPO" "$TT_DIR/legacy.xml"
t "60x15: a file with an unplaced e1000 opens" tt_wait_for "spare hotplug"
tt_send :
tt_send -l "goto ua-legacy"
tt_send Enter e
t "e opens its explanation in the pager" tt_wait_for "^explain ua-legacy"
EXPLAIN=$("$PCITOPO" -c 'explain ua-legacy' "$TT_DIR/legacy.xml" | words)
explain_wrapped() {
    got=$(tt_screen | sed -n '2,13p' | words)
    case "$EXPLAIN" in "$got"*) ;; *) echo "# got:  $got"; echo "# want the start of: $EXPLAIN"; return 1 ;; esac
    [ ${#got} -gt 300 ]
}
t "its long lines wrap at the width, between words, nothing cut off" explain_wrapped
t "an indented line's further rows stand under its first word" \
    tt_wait_for "^  pcie-root-port as bus 08 \(to hold"
t "the bottom line says which rows show" tt_wait_for "^lines 1-12 of [0-9]+ [0-9]+%  q close"
tt_send G
t "G goes to the end" tt_wait_for "^lines [0-9]+-[0-9]+ of [0-9]+ \(END\)"
explain_end() {
    got=$(tt_screen | sed -n '2,13p' | words)
    case "$EXPLAIN" in *"$got") ;; *) echo "# got:  $got"; return 1 ;; esac
}
t "whose last row is the explanation's end" explain_end
tt_send q ?
t "? opens the help" tt_wait_for "^pcitopo help"
t "at its first rows" tt_wait_for "^lines 1-12 of [0-9]+ "
tt_send j
t "j scrolls a row" tt_wait_for "^lines 2-13 of "
tt_send Space
t "Space a page" tt_wait_for "^lines 14-25 of "
tt_send b
t "b a page back" tt_wait_for "^lines 2-13 of "
tt_send PPage
t "PgUp a page back, to the top" tt_wait_for "^lines 1-12 of "
tt_send NPage Down
t "PgDn and Down" tt_wait_for "^lines 14-25 of "
tt_send Up Home
t "Home: the top" tt_wait_for "^lines 1-12 of "
tt_send End
t "End: the end" tt_wait_for "\(END\)"
tt_send g
t "g: the top" tt_wait_for "^lines 1-12 of "

# search: smartcase, n and N (round the ends), highlighted, Backspace and Esc
tt_send /
tt_send -l "keys in"
tt_send Enter
t "/keys in finds 'Keys in' (no capital: any case)" tt_wait_for "/keys in: match 1 of 2"
t "the match's row goes to the top" wait_row 2 "^Keys in the tree"
t "the match is highlighted" highlighted "Keys in"
tt_send n
t "n: the next match" tt_wait_for "/keys in: match 2 of 2"
t "at the top" wait_row 2 "^Keys in the add dialog"
tt_send n
t "n past the last match goes round, saying so" tt_wait_for "^search went round the end: from the top$"
t "to the first" wait_row 2 "^Keys in the tree"
tt_send N
t "N before the first goes round the other way" tt_wait_for "^search went round the start: from the bottom$"
t "to the last" wait_row 2 "^Keys in the add dialog"
tt_send N
t "N: the match before" tt_wait_for "/keys in: match 1 of 2"
t "at the top" wait_row 2 "^Keys in the tree"
tt_send /
tt_send -l "KEYS IN"
tt_send Enter
t "/KEYS IN has capitals: case matters, Pattern not found" tt_wait_for "^Pattern not found: KEYS IN$"
tt_send /
tt_send -l "Keys inz"
tt_send BSpace
t "Backspace takes back a character" tt_wait_for "^/Keys in$"
tt_send Enter
t "and the pattern searches" tt_wait_for "/Keys in: match 1 of "
tt_send /
tt_send -l zzz
tt_send Escape
t "Esc leaves the search line" tt_wait_for "^lines [0-9]+-[0-9]+ of [0-9]+ .*/Keys in"
t "the last pattern stays" absent "zzz"
tt_send /
tt_send -l "pager"
tt_send Enter
t "the help lists the pager's keys" tt_wait_for "In help, explain, long output and the messages \(the pager\)"
tt_send /
tt_send -l "$PAT"
tt_send Enter
t "60x15: Pattern not found is cut between words too, saying :messages shows all" \
    cut_between_words "Pattern not found: " "$PAT"

# a resize wraps again, the top row's text staying at the top
tt_send g Space Space
t "two pages down" tt_wait_for "^lines 25-36 of "
TOP=$(row 2 | words)
tt resize-window -t t -x 90 -y 20
t "90x20: the help wraps again" tt_wait_for "^lines [0-9]+-[0-9]+ of [0-9]+ [0-9]+%"
kept_place() {
    got=$(tt_screen | sed -n '2,4p' | words)
    case "$got" in *"$TOP"*) ;; *) echo "# top was: $TOP"; echo "# now:     $got"; return 1 ;; esac
}
t "the text that was at the top still is" kept_place
tt resize-window -t t -x 60 -y 15
tt_send q

# a long error at 60x15 is longer than half the screen: the pager, whole
tt_send :
tt_send -l "goto '$LONG'"
tt_send Enter
t "60x15: the long error opens in the pager" tt_wait_for "^error  \(q or Esc closes\)"
TT_LINES=15
t "whole, between words" pager_whole "$GOTO_ERR"
tt_send q q
tt_wait_exit
t "q closes, q quits" [ "$TT_RC" = 0 ]

# --- batch mode has no details pane and no message log
run -c 'messages' "$EXAMPLE"
t "batch: messages is the editor's" sh -c "[ $rc = 1 ] && grep -q 'messages: only in the editor' '$TMP/err'"
run -c 'details down' "$EXAMPLE"
t "batch: details is the editor's" sh -c "[ $rc = 1 ] && grep -q 'details: only in the editor' '$TMP/err'"
tap_done
