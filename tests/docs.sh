#!/bin/sh
# The manual, README and the tutorial agree with the program:
#  - doc/pcitopo.1 is what tools/mkman makes now from its template, the
#    command table and the default keymap (`make man` after a change);
#  - groff reads it without a warning;
#  - every command line of its EXAMPLES and of README's shell blocks runs,
#    in order, on the files they name (tests/data/docs), and succeeds;
#  - doc/tutorial.md's commands, run in order on its class.xml, print
#    what the tutorial shows.
. "$top_srcdir/tests/tap.sh"
MAN="$top_srcdir/doc/pcitopo.1"

"$top_builddir/tools/mkman" "$top_srcdir/doc/pcitopo.1.in" >"$TMP/pcitopo.1"
t "doc/pcitopo.1 is up to date (make man writes it)" diff -u "$MAN" "$TMP/pcitopo.1"
if command -v groff >/dev/null 2>&1; then
    t "groff reads the man page without a warning" \
        sh -c "groff -man -ww -z '$MAN' 2>&1 | { ! grep .; }"
else
    tap_skip "groff is not installed"
fi
for c in $("$PCITOPO" help | sed -n 's/^  \([a-z-]*\) .*/\1/p'); do
    t "the man page describes $c" grep -q "^\\.B $(echo "$c" | sed 's/-/\\\\-/g')" "$MAN"
done

# run_examples NAME: runs each line of $TMP/lines in a fresh copy of the
# docs fixtures, one after the other (later lines see earlier changes)
run_examples() {
    rm -rf "$TMP/work" && mkdir "$TMP/work" && cp "$DATA"/docs/*.xml "$TMP/work/"
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        t "$1 example $n runs: $line" \
            sh -c "cd '$TMP/work' && XDG_CONFIG_HOME='$TMP/none' PCITOPO='$PCITOPO' eval \"\$0\" >/dev/null" \
            "$(printf '%s' "$line" | sed "s#^\\(build/\\)\\{0,1\\}pcitopo#\"\$PCITOPO\"#")"
    done <"$TMP/lines"
}

# the man page's examples: .EX blocks, roff escapes undone
sed -n '/^\.EX/,/^\.EE/p' "$MAN" | grep '^pcitopo ' \
    | sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" >"$TMP/lines"
t "the man page has examples" test -s "$TMP/lines"
run_examples "man page"

# README's shell blocks: pcitopo command lines, not the editor (a file
# alone, or --keymap), not pipes; comments after two blanks dropped
awk '/^```sh/ { on = 1; next } /^```/ { on = 0 } on' "$top_srcdir/README.md" \
    | grep -E '^(build/)?pcitopo ' | sed 's/  *# .*//' \
    | grep -vE '\||--keymap|^(build/)?pcitopo [^ -]+\.xml$' >"$TMP/lines"
t "README has examples" test -s "$TMP/lines"
run_examples README
# the tutorial: its class.xml, then each command in order; where a text
# block follows, the command prints exactly that (its output, or its notes
# when it has no output)
mkdir "$TMP/tut"
awk -v dir="$TMP/tut" '
    /^```xml/ && !xml { xml = 1; out = dir "/class.xml"; next }
    /^```sh/ { n++; out = sprintf("%s/%02d.cmd", dir, n); next }
    /^```text/ { out = sprintf("%s/%02d.want", dir, n); next }
    /^```/ { out = ""; next }
    out != "" { print > out }
' "$top_srcdir/doc/tutorial.md"
t "the tutorial has its class.xml" test -s "$TMP/tut/class.xml"
for cmd in "$TMP"/tut/*.cmd; do
    c=$(cat "$cmd")
    want="${cmd%.cmd}.want"
    (cd "$TMP/tut" && eval "\"\$PCITOPO\"${c#pcitopo}" >"$TMP/got.out" 2>"$TMP/got.err")
    rc=$?
    [ -s "$TMP/got.out" ] && got="$TMP/got.out" || got="$TMP/got.err"
    if [ -f "$want" ]; then
        t "tutorial: $c prints what the tutorial shows" sh -c "[ $rc = 0 ] && diff -u '$want' '$got'"
    else
        t "tutorial: $c succeeds" [ "$rc" = 0 ]
    fi
done
tap_done
