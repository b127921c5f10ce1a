#!/bin/sh
# stable-guest in batch mode, as a user runs it (doc/prefs.md): the
# setting, add and save with it and without, and the oracle's word on
# tests/golden/stable (README.md there): libvirt 9.0 kept every address
# the stable placement chose, and the booted guest kept the bus, slot and
# function of every device it had, where libvirt's own placement moved
# some.
. "$top_srcdir/tests/tap.sh"
G="$top_srcdir/tests/golden/stable"

run stable-guest "$G/02-q35-gap-slot.before.xml"
t "stable-guest prints the setting" out_has "stable-guest no"
run -c 'stable-guest maybe' "$G/02-q35-gap-slot.before.xml"
t "stable-guest maybe exits 1" expect_rc 1
t "and says what to use" err_has "use yes (new bridges go where they renumber nothing) or no"

# the slot between ports: libvirt's port goes there, stable-guest's after 00:04.1
cp "$G/02-q35-gap-slot.before.xml" "$TMP/guest.xml"
run -c "stable-guest yes; add virtio-net alias=ua-new; save '$TMP/stable.xml'" "$TMP/guest.xml"
t "stable-guest yes; add; save" expect_rc 0
t "the note names the port after the last one" err_has "adds pcie-root-port index 11 at 00:04.2"
t "the saved file keeps the setting" grep -qF "<pcitopo:domain stable-guest='yes'/>" "$TMP/stable.xml"
t "the saved port sits at 00:04.2" grep -qF "<address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x2'/>" "$TMP/stable.xml"
t "and nothing at 00:03" sh -c "! grep -qF \"slot='0x03'\" '$TMP/stable.xml'"
run -c "add virtio-net alias=ua-new; save '$TMP/libvirt.xml'" "$TMP/guest.xml"
t "without it, libvirt's gap at 00:03.0" grep -qF "<address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'" "$TMP/libvirt.xml"
run lspci "$TMP/stable.xml"
t "lspci: the NIC behind 00:04.1 keeps guest bus 0a" out_has "0000:0a:00.0 Ethernet controller: Red Hat, Inc. Virtio 1.0 network device [ua-net10] (xml 0a:00.0)"
run lspci "$TMP/libvirt.xml"
t "lspci: libvirt's port moves it to 0b" out_has "0000:0b:00.0 Ethernet controller: Red Hat, Inc. Virtio 1.0 network device [ua-net10] (xml 0a:00.0)"
run diff "$G/02-q35-gap-slot.before.xml" "$TMP/stable.xml"
t "diff: with stable-guest no device of both moves in the guest" expect_rc 0
run diff "$G/02-q35-gap-slot.before.xml" "$TMP/libvirt.xml"
t "diff: libvirt's placement moves some" expect_rc 1

# the oracle's outputs (gen.sh): present for every input
# busdevfn FILE: "alias bus dev fn" of each ua- function QEMU listed
busdevfn() {
    awk '/^  Bus/ { b = $2; d = $4; f = $6 } /id "ua-/ { print $2, b, d, f }' "$1" | sort
}
for in in "$G"/[0-9][0-9]-*.xml; do
    n=$(basename "$in" .xml)
    case $n in *.*) continue ;; esac
    c=${in%.xml}
    if [ ! -s "$c.stable.qemu-pci.txt" ] || [ ! -s "$c.before.qemu-pci.txt" ] \
        || [ ! -s "$c.libvirt.qemu-pci.txt" ] || [ ! -s "$c.stable.libvirt.xml" ] \
        || [ ! -s "$c.default.qemu-pci.txt" ]; then
        tap_skip "$n: no oracle output (gen.sh)"
        continue
    fi
    run -c 'stable-guest yes; place -o -' "$in"
    t "$n: pcitopo still places it as $n.stable.xml" sh -c "[ $rc = 0 ] && cmp '$TMP/out' '$c.stable.xml'"
    grep -o "<address type='pci'[^>]*>" "$c.stable.xml" | sort >"$TMP/ours"
    grep -o "<address type='pci'[^>]*>" "$c.stable.libvirt.xml" | sort >"$TMP/theirs"
    t "$n: libvirt 9.0 kept every address of the stable placement" diff -u "$TMP/ours" "$TMP/theirs"
    t "$n: and added no controller" sh -c "[ \$(grep -c '<controller' '$c.stable.xml') = \$(grep -c '<controller' '$c.stable.libvirt.xml') ]"
    busdevfn "$c.before.qemu-pci.txt" >"$TMP/before"
    busdevfn "$c.stable.qemu-pci.txt" >"$TMP/stable"
    busdevfn "$c.libvirt.qemu-pci.txt" >"$TMP/libvirt"
    busdevfn "$c.default.qemu-pci.txt" >"$TMP/default"
    run -c 'place -o -' "$in"
    t "$n: pcitopo's default placement is still $n.default.xml" sh -c "[ $rc = 0 ] && cmp '$TMP/out' '$c.default.xml'"
    t "$n: the guest before has its devices" test -s "$TMP/before"
    t "$n: booted, every device the guest had keeps bus, slot and function" \
        sh -c "join '$TMP/before' '$TMP/stable' | awk '{ if (\$2 != \$5 || \$3 != \$6 || \$4 != \$7) { print; bad = 1 } } END { exit bad }' && [ \$(join '$TMP/before' '$TMP/stable' | wc -l) = \$(wc -l <'$TMP/before') ]"
    t "$n: booted, the default placement (libvirt's rules) moves one at least" \
        sh -c "join '$TMP/before' '$TMP/default' | awk '\$2 != \$5 || \$3 != \$6 || \$4 != \$7 { moved = 1 } END { exit !moved }'"
    if ! grep -q "pcitopo:" "$in"; then
        t "$n: booted, libvirt's own placement is the default one" cmp "$TMP/libvirt" "$TMP/default"
    fi
done
tap_done
