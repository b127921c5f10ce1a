# Shared by gen.sh and tests/relocate.sh.  Needs $PCITOPO.

# relocation CASE: the case's last command, `relocate WHAT WHERE`, as
# "WHAT WHERE"
relocation() {
    tr ';' '\n' < "$1.cmds" | sed -n 's/^ *relocate  *\([^ ]*\)  *\([^ ]*\) *$/\1 \2/p' | tail -1
}

# relocate_case CASE OUT ERR: runs the case's commands on CASE.xml and
# saves the result to OUT; pcitopo's messages go to ERR.  Fails as
# pcitopo does.
relocate_case() {
    "$PCITOPO" -c "$(cat "$1.cmds"); save -" "$1.xml" > "$2" 2> "$3"
}

# libvirt_words ERRFILE: libvirt's message in an oracle's stderr (its
# last line, without virsh's "error: ")
libvirt_words() {
    tail -1 "$1" | sed 's/^error: //'
}
