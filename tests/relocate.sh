#!/bin/sh
# relocate against libvirt.  For each case of tests/golden/relocate (a
# domain and pcitopo commands ending in `relocate WHAT WHERE`; see its
# README):
#  - a move pcitopo makes gives exactly the committed NN.relocated.xml;
#    libvirt 9.0 defined that file keeping every address and adding nothing
#    (the tree of NN.libvirt.xml is the tree of NN.relocated.xml); and where
#    WHERE is an address, libvirt given the original file with only that
#    address changed by hand stored the same tree (NN.hand-libvirt.xml): the
#    controllers pcitopo adds for a new bus are libvirt's;
#  - a move pcitopo refuses (NN.err.txt) is one libvirt refuses, and
#    pcitopo's message carries libvirt's words.
# Where the oracle (a real libvirt) is available, the defines are repeated
# live.
. "$top_srcdir/tests/tap.sh"
dir="$top_srcdir/tests/golden/relocate"
. "$dir/relocate-lib.sh"
ORACLE=${ORACLE:-$top_srcdir/../shared/oracle/libvirt-oracle}
live=no
if [ -x "$ORACLE" ] && command -v virsh >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 \
    && [ "$(id -u)" = 0 ] && [ "${PCITOPO_ORACLE:-yes}" != no ]; then
    live=yes
fi

# the tree without its first line (the oracle renames the domain)
tree_body() { "$PCITOPO" tree --ascii "$1" | tail -n +2; }
# same_tree A B: the two documents draw the same tree
same_tree() { tree_body "$1" >"$TMP/a" && tree_body "$2" >"$TMP/b" && diff "$TMP/a" "$TMP/b"; }
# says_libvirt ERRFILE: pcitopo's message ($TMP/why) carries libvirt's words
says_libvirt() {
    words=$(libvirt_words "$1")
    grep -qF -- "$words" "$TMP/why" || { echo "pcitopo said: $(cat "$TMP/why")"; echo "libvirt says: $words"; return 1; }
}

n=0
for cmds in "$dir"/[0-9][0-9]-*.cmds; do
    c=$(basename "$cmds" .cmds)
    n=$((n + 1))
    read -r what where <<EOT
$(relocation "$dir/$c")
EOT
    if [ -f "$dir/$c.err.txt" ]; then
        relocate_case "$dir/$c" "$TMP/relocated.xml" "$TMP/why"
        rc=$?
        t "$c: relocate $what $where is refused, as libvirt refuses it" [ "$rc" = 1 ]
        t "$c: in libvirt's words" says_libvirt "$dir/$c.err.txt"
        if [ $live = yes ]; then
            python3 "$dir/handedit.py" "$dir/$c.xml" "$what" "$where" >"$TMP/hand.xml"
            "$ORACLE" place "$TMP/hand.xml" >/dev/null 2>"$TMP/err"
            t "$c: live: libvirt refuses the address written by hand, in those words" says_libvirt "$TMP/err"
        fi
        continue
    fi
    if ! relocate_case "$dir/$c" "$TMP/relocated.xml" "$TMP/why"; then
        t "$c: relocate $what $where succeeds" sh -c "cat '$TMP/why'; false"
        continue
    fi
    t "$c: relocate $what $where gives the committed result" cmp "$TMP/relocated.xml" "$dir/$c.relocated.xml"
    t "$c: libvirt kept every address and added nothing" same_tree "$dir/$c.relocated.xml" "$dir/$c.libvirt.xml"
    if [ -f "$dir/$c.hand-libvirt.xml" ]; then
        t "$c: libvirt, given the address by hand, adds what pcitopo added" \
            same_tree "$dir/$c.relocated.xml" "$dir/$c.hand-libvirt.xml"
    fi
    if [ $live = yes ]; then
        "$ORACLE" place "$TMP/relocated.xml" >"$TMP/libvirt.xml" 2>"$TMP/err"
        t "$c: live: virsh define keeps every address" same_tree "$TMP/relocated.xml" "$TMP/libvirt.xml"
    fi
done
t "there are at least 15 relocations and their refusals" [ "$n" -ge 15 ]

# batch mode: what a script sees
in="$dir/01-q35-free-port.xml"
run -c "relocate ua-net0 07:00; save $TMP/out.xml" "$in"
t "batch: relocate and save succeed" expect_rc 0
t "batch: the note says where it went, and warns" \
    err_has "pcitopo: moved interface virtio ua-net0 from 02:00.0 to 07:00.0 [hotplug]; the guest will see it at a new address"
t "batch: the saved file has the new address" \
    grep -q "<address type='pci' domain='0x0000' bus='0x07' slot='0x00' function='0x0'/>" "$TMP/out.xml"
rm -f "$TMP/out.xml"
run -c "relocate ua-net0 05:00.0; save $TMP/out.xml" "$in"
t "batch: a refused move exits 1" expect_rc 1
t "batch: with libvirt's words" err_has "XML error: Attempted double use of PCI Address 0000:05:00.0"
t "batch: and the script stops before the save" test ! -e "$TMP/out.xml"
run -c "relocate ua-net0 12:00.0; undo; save $TMP/undone.xml" "$in"
t "batch: undo after a move that added controllers gives the file back" cmp "$in" "$TMP/undone.xml"
run -c "relocate ua-net0 02:00; save $TMP/same.xml" "$in"
t "batch: a move to where it is says so" err_has "pcitopo: interface virtio ua-net0 is already at 02:00.0; nothing changed"
t "batch: and writes the file unchanged" cmp "$in" "$TMP/same.xml"
run -c "relocate ua-net0" "$in"
t "batch: relocate without a target is refused, with the usage" \
    err_has "relocate: to where? give BB:SS.F, BB:SS or auto (usage: relocate ALIAS|BB:SS.F|BB:SS BB:SS[.F]|auto)"
run -c "relocate ua-net0 07:00 extra" "$in"
t "batch: three arguments are too many" err_has "relocate: wrong number of arguments"
run help relocate
t "help relocate describes it" out_has "usage: relocate ALIAS|BB:SS.F|BB:SS BB:SS[.F]|auto"
[ $live = yes ] || tap_skip "live defines: no libvirt oracle here (or PCITOPO_ORACLE=no)"
tap_done
