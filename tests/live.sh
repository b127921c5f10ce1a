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
RUNNING=pcitopo-test-live-$$
BRIDGE=pcitopo$$
defined=no running=no network=no bridge=no
cleanup() {
    [ $defined = no ] || virsh -q -c "$URI" undefine "$NAME" >/dev/null 2>&1
    if [ $running = yes ]; then
        virsh -q -c "$URI" destroy "$RUNNING" >/dev/null 2>&1
        virsh -q -c "$URI" undefine "$RUNNING" >/dev/null 2>&1
    fi
    [ $network = no ] || virsh -q -c "$URI" net-destroy default >/dev/null 2>&1
    [ $bridge = no ] || ip link del "$BRIDGE" >/dev/null 2>&1
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

# report over the connection: this domain's row agrees with spare and
# check on the XML libvirt stored
virsh -q -c "$URI" dumpxml --inactive "$NAME" >"$TMP/now.xml"
want_spare=$("$PCITOPO" spare --json "$TMP/now.xml" | sed -n 's/.*"pcie":\([0-9]*\),"pci":\([0-9]*\).*/\1 \2/p')
"$PCITOPO" check "$TMP/now.xml" >/dev/null 2>&1; want_check=$?
run --connect "$URI" report --json
row=$(tr '{' '\n' <"$TMP/out" | grep -n "\"name\":\"$NAME\"" | cut -d: -f1)
got_spare=$(tr '{' '\n' <"$TMP/out" | sed -n "$((row + 1))p" | sed -n 's/"pcie":\([0-9]*\),"pci":\([0-9]*\).*/\1 \2/p')
got_total=$(tr '{' '\n' <"$TMP/out" | sed -n "$((row + 2))p" | sed -n 's/"total":\([0-9]*\).*/\1/p')
t "report --json over the connection has the domain" [ -n "$row" ]
same_spare() { [ -n "$want_spare" ] && [ "$got_spare" = "$want_spare" ]; }
t "report --json: its spare count is spare's on the stored XML ($got_spare, $want_spare)" same_spare
t "report --json: its problems are check's ($got_total problems, check exits $want_check)" \
    [ "$( [ "${got_total:-x}" = 0 ] && echo 0 || echo 1)" = "$want_check" ]

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

# A running guest: a NIC added in mode live is hot-plugged at the address
# pcitopo printed, into the guest and its definition.  q35, TCG, no disk;
# spare root ports.  The NIC pcitopo adds is on network 'default': made
# here (a transient bridge network on a bridge of our own) when the host
# has none; where neither can be, the test says so and skips.
cat >"$TMP/running.xml" <<EOF
<domain type='qemu'>
  <name>$RUNNING</name>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <controller type='pci' index='0' model='pcie-root'/>
    <controller type='pci' index='1' model='pcie-root-port'/>
    <controller type='pci' index='2' model='pcie-root-port'/>
    <controller type='pci' index='3' model='pcie-root-port'/>
    <controller type='pci' index='4' model='pcie-root-port'/>
    <controller type='pci' index='5' model='pcie-root-port'/>
    <controller type='pci' index='6' model='pcie-root-port'/>
    <interface type='user'><model type='virtio'/></interface>
    <graphics type='vnc'/>
  </devices>
</domain>
EOF
have_network() {
    virsh -q -c "$URI" net-info default >/dev/null 2>&1 && return 0
    ip link add name "$BRIDGE" type bridge >/dev/null 2>&1 || return 1
    bridge=yes
    ip link set "$BRIDGE" up >/dev/null 2>&1
    echo "<network><name>default</name><forward mode='bridge'/><bridge name='$BRIDGE'/></network>" >"$TMP/net.xml"
    virsh -q -c "$URI" net-create "$TMP/net.xml" >/dev/null 2>&1 || return 1
    network=yes
}
# live_at ALIAS ATTR [--inactive]: an attribute of the device's address
# in the running guest's XML (or the definition's)
live_at() {
    virsh -q -c "$URI" dumpxml $3 "$RUNNING" >"$TMP/live.xml" &&
        xmllint --xpath "string(/domain/devices/*[alias/@name='$1']/address/@$2)" "$TMP/live.xml"
}
# hotplugged_at ALIAS BB:SS.F [--inactive]
hotplugged_at() {
    bb=${2%%:*}; rest=${2#*:}; ss=${rest%%.*}; f=${rest#*.}
    got="$(live_at "$1" bus $3) $(live_at "$1" slot $3) $(live_at "$1" function $3)"
    [ "$got" = "0x$bb 0x$ss 0x$f" ] || { echo "libvirt has $1 at '$got', pcitopo said $2"; return 1; }
}
if ! virsh -q -c "$URI" define "$TMP/running.xml" >"$TMP/virsh.out" 2>&1; then
    tap_skip "the running guest: virsh define fails here: $(cat "$TMP/virsh.out")"
elif running=yes && ! timeout 60 virsh -q -c "$URI" start "$RUNNING" >"$TMP/virsh.out" 2>&1; then
    tap_skip "the running guest: virsh start fails here: $(cat "$TMP/virsh.out")"
elif ! have_network; then
    tap_skip "the running guest: no network 'default', and no bridge can be made for one"
else
    run --connect "$URI" -c 'mode live; add virtio-net alias=ua-hp; save' "$RUNNING"
    t "live: add and save hot-plug the NIC" expect_rc 0
    addr=$(sed -n 's/^pcitopo: added interface virtio ua-hp at \([0-9a-f:.]*\) .*/\1/p' "$TMP/err")
    t "live: pcitopo printed the NIC's address" test -n "$addr"
    t "live: save says it hot-plugged it there" out_has "hot-plugged interface virtio ua-hp at $addr (into the running guest and its definition)"
    t "live: the running guest has the NIC at the address pcitopo printed ($addr)" hotplugged_at ua-hp "$addr"
    t "live: so does its definition" hotplugged_at ua-hp "$addr" --inactive
    run --connect "$URI" --live -c 'save' "$RUNNING"
    t "live: a second save has nothing to plug" err_has "nothing to hot-plug"
    run --connect "$URI" --live -c 'add virtio-net alias=ua-h2; add virtio-gpu alias=ua-vid; save' "$RUNNING"
    t "live: a video card refuses the save before anything is plugged" err_has "nothing was hot-plugged into $RUNNING; video virtio ua-vid"
    not_plugged() { ! virsh -q -c "$URI" dumpxml "$RUNNING" | grep -q "ua-h2"; }
    t "live: the NIC beside it was not plugged" not_plugged

    # the domain list: the running guest with its spare counts; Enter
    # edits it, quitting the editor comes back
    set -- $("$PCITOPO" --connect "$URI" spare "$RUNNING" | sed -n 's/.*pcie=\([0-9]*\) pci=\([0-9]*\)/\1 \2/p')
    tt_start "$PCITOPO" --connect "$URI"
    t "list: shows the domains at the URI" tt_wait_for "domains at $URI" 20
    t "list: the running guest with its spare counts ($1 $2) and no problems" \
        tt_wait_for "^$RUNNING +running +pc-q35-[0-9.]+ +$1 +$2 +0" 60
    # its row: from the top, one j per row above it
    tt_send g
    n=$(tt_screen | awk -v d="$RUNNING" 'NR > 2 && $1 == d { print NR - 3; exit }')
    i=0; while [ "$i" -lt "${n:-0}" ]; do tt_send j; i=$((i + 1)); done
    tt_send Enter
    t "list: Enter opens the domain in the editor" tt_wait_for "domain $RUNNING: q35" 20
    tt_send ":quit" Enter
    t "list: quitting the editor comes back to the list" tt_wait_for "domains at $URI" 20
    tt_send q
    tt_wait_exit 20
    t "list: q quits" [ "$TT_RC" = 0 ]
fi
tap_done
