#!/bin/sh
# pcitopo on a real libvirtd (qemu:///system, or $PCITOPO_LIVE_URI): a q35
# domain defined here is edited through --connect, and libvirt's stored
# definition must hold the device at the address pcitopo printed; in the
# editor, a save over a definition changed underneath (virsh define from
# outside) is refused and nothing is defined; reload takes libvirt's.
# What is defined is undefined on exit.  Skipped, not passed, where
# pcitopo was built without libvirt, virsh is missing, no libvirtd
# answers (../shared/oracle/libvirt-oracle setup starts one), or
# PCITOPO_LIVE=no.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/tmux-lib.sh"
URI=${PCITOPO_LIVE_URI:-qemu:///system}
NAME=pcitopo-test-$$
defined=no
cleanup() {
    [ $defined = no ] || virsh -q -c "$URI" undefine "$NAME" >/dev/null 2>&1
    tt_cleanup
    rm -rf "$TMP"
}
trap cleanup EXIT

skip_all() { tap_skip "$1"; tap_done; }
[ "${PCITOPO_LIVE:-yes}" != no ] || skip_all "PCITOPO_LIVE=no"
run --connect "$URI" tree "$NAME"
grep -q "built without libvirt" "$TMP/err" && skip_all "pcitopo was built without libvirt"
command -v virsh >/dev/null 2>&1 || skip_all "no virsh"
command -v xmllint >/dev/null 2>&1 || skip_all "no xmllint"
timeout 20 virsh -q -c "$URI" uri >/dev/null 2>&1 || skip_all "no libvirtd answers at $URI"

cat >"$TMP/base.xml" <<EOF
<domain type='qemu'>
  <name>$NAME</name>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <interface type='user'><model type='virtio'/></interface>
  </devices>
</domain>
EOF
virsh -q -c "$URI" define "$TMP/base.xml" >"$TMP/virsh.out" 2>&1 || skip_all "virsh define fails here: $(cat "$TMP/virsh.out")"
defined=yes

# stored ALIAS ATTR: an attribute of the address libvirt stored for the
# device with that alias
stored() {
    virsh -q -c "$URI" dumpxml --inactive "$NAME" >"$TMP/stored.xml" &&
        xmllint --xpath "string(/domain/devices/*[alias/@name='$1']/address/@$2)" "$TMP/stored.xml"
}
# same_address ALIAS BB:SS.F: libvirt stored the device there
same_address() {
    bb=${2%%:*}; rest=${2#*:}; ss=${rest%%.*}; f=${rest#*.}
    got="$(stored "$1" bus) $(stored "$1" slot) $(stored "$1" function)"
    want="0x$bb 0x$ss 0x$f"
    [ "$got" = "$want" ] || { echo "libvirt stored $1 at '$got', pcitopo said $2 ($want)"; return 1; }
}

run --connect "$URI" -c 'add virtio-net alias=ua-x; save; tree --ascii' "$NAME"
t "batch: add and save define the domain in libvirt" expect_rc 0
addr=$(sed -n 's/^pcitopo: added interface virtio ua-x at \([0-9a-f:.]*\) .*/\1/p' "$TMP/err")
t "batch: pcitopo printed the NIC's address" test -n "$addr"
t "batch: save printed what it defines" out_has "+      <alias name='ua-x'/>"
t "batch: and libvirt's answer" err_has "pcitopo: defined $NAME on $URI"
t "libvirt stored the NIC at the address pcitopo printed ($addr)" same_address ua-x "$addr"
t "the tree after save (what libvirt stored) has it there" out_has "$addr  interface virtio  ua-x"

run --connect "$URI" -c 'add virtio-net alias=ua-y; add e1000 alias=ua-z; save' "$NAME"
t "batch: two more devices defined" expect_rc 0
for a in ua-y ua-z; do
    at=$(sed -n "s/^pcitopo: added .* $a at \\([0-9a-f:.]*\\) .*/\\1/p" "$TMP/err")
    t "libvirt stored $a at the address pcitopo printed ($at)" same_address "$a" "$at"
done
run --connect "$URI" -c 'save' "$NAME"
t "a save without changes defines nothing" err_has "nothing to define"

# the editor: a definition changed underneath between open and save
virsh -q -c "$URI" dumpxml --inactive "$NAME" >"$TMP/theirs.xml"
sed -i "s#<vcpu placement='static'>1</vcpu>#<vcpu placement='static'>3</vcpu>#" "$TMP/theirs.xml"
XDG_STATE_HOME="$TMP/state" XDG_CONFIG_HOME="$TMP/none"
export XDG_STATE_HOME XDG_CONFIG_HOME
tt_start "$PCITOPO" --connect "$URI" "$NAME"
t "editor: opens the domain from libvirt" tt_wait_for "domain $NAME"
tt_send ":add virtio-net alias=ua-t" Enter
t "editor: adds a NIC" tt_wait_for "added interface virtio ua-t"
virsh -q -c "$URI" define "$TMP/theirs.xml" >/dev/null 2>&1
tt_send ":save" Enter
t "editor: save over a changed definition is refused" tt_wait_for "changed since it was opened"
t "editor: the change is shown" tt_wait_for "\\+  <vcpu placement='static'>3</vcpu>"
not_defined() { stored ua-t bus >/dev/null; ! grep -q "ua-t" "$TMP/stored.xml"; }
t "editor: nothing was defined" not_defined
t "editor: libvirt keeps the other change" grep -q ">3</vcpu>" "$TMP/stored.xml"
tt_send q
tt_send ":reload" Enter
t "editor: reload takes libvirt's definition" tt_wait_for "reloaded $NAME"
tt_send ":undo" Enter
t "editor: undo brings the edits back" tt_wait_for "undid: reload"
tt_send ":save" Enter
t "editor: save asks before it defines" tt_wait_for "define $NAME in libvirt\\? y defines"
tt_send n
t "editor: n does not define" tt_wait_for "not defined"
t "editor: and nothing was defined" not_defined
tt_send ":save" Enter
t "editor: asked again" tt_wait_for "define $NAME in libvirt\\? y defines"
tt_send y
t "editor: y defines" tt_wait_for "defined $NAME on"
has_nic() { [ -n "$(stored ua-t bus)" ]; }
t "editor: libvirt has the NIC now" has_nic
tt_send q
tt_send ":quit" Enter
tt_wait_exit
t "editor: quits cleanly" [ "$TT_RC" = 0 ]
tap_done
