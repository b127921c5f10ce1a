#!/bin/sh
# Batch mode as a user runs it: options, subcommands, exit statuses, the
# tree of real files, save round trips, and hostile input.
. "$top_srcdir/tests/tap.sh"
EX="$DATA/experiments"

run --help
t "--help exits 0" expect_rc 0
t "--help shows the usage" out_has "usage: pcitopo [FILE]"
t "--help says where unsaved changes are kept" out_has "keeps them in ~/.local/state/pcitopo/recover"
for c in help quit save tree; do
    t "--help lists the $c command" out_has "  $c"
done
run --version
t "--version names the version" sh -c "[ $rc = 0 ] && grep -qx 'pcitopo [0-9.]*' '$TMP/out'"
run --frobnicate
t "an unknown option exits 2" expect_rc 2
t "and points to --help" err_has "Try 'pcitopo --help'"
run "$EX/99-q35-typical-virt-install.out.xml" "$EX/01-q35-bare.out.xml"
t "two files exit 2" expect_rc 2
t "and say so" err_has "one FILE at most"
run "$EX/99-q35-typical-virt-install.out.xml" </dev/null
t "the editor without a terminal exits 2" expect_rc 2
t "and suggests batch mode" err_has "the editor needs a terminal"

# tree: golden outputs
for g in "$DATA"/tree/*.txt; do
    name=$(basename "$g" .txt)
    if [ "$name" = example-q35 ]; then src=""; else src="$EX/$name.xml"; fi
    run tree --ascii $src
    t "tree of $name matches tests/data/tree/$name.txt" sh -c "[ $rc = 0 ] && diff -u '$g' '$TMP/out'"
done
run tree "$EX/99-q35-typical-virt-install.out.xml"
cp "$TMP/out" "$TMP/tree1"
run -c tree "$EX/99-q35-typical-virt-install.out.xml"
t "'pcitopo tree FILE' is 'pcitopo -c tree FILE'" cmp "$TMP/tree1" "$TMP/out"
"$PCITOPO" tree - <"$EX/99-q35-typical-virt-install.out.xml" >"$TMP/out" 2>"$TMP/err"
t "'-' reads the domain from standard input" cmp "$TMP/tree1" "$TMP/out"
LC_ALL=C.UTF-8 "$PCITOPO" tree >"$TMP/out" 2>&1
t "a UTF-8 locale draws box characters" out_has "├─ 00:02.0  pcie-root-port"
run tree --ascii "$EX/14-q35-e1000-and-virtio.in.xml"
t "devices without an address are unplaced" out_has "unplaced (libvirt will choose their addresses):"
run help save
t "pcitopo help save needs no file" expect_rc 0
t "and prints the save usage" out_has "usage: save [-f] [--monitor] [PATH|-]"

# save: round trips through the command line
for f in "$EX/99-q35-typical-virt-install.out.xml" "$EX/100-pc-typical-virt-install.out.xml" \
         "$DATA/realworld/libvirt-win2k22-q35.xml" "$DATA/roundtrip/qemu-commandline-namespace.xml" \
         "$DATA/roundtrip/crlf-line-endings.xml" "$DATA/roundtrip/foreign-metadata.xml"; do
    [ -f "$f" ] || continue
    out="$TMP/$(basename "$f")"
    run -c "save '$out'" "$f"
    t "save OUT keeps $(basename "$f") byte for byte" sh -c "[ $rc = 0 ] && cmp '$f' '$out'"
done
cp "$EX/01-q35-bare.out.xml" "$TMP/guest.xml"
chmod 640 "$TMP/guest.xml"
run -c save "$TMP/guest.xml"
t "save with no path writes the loaded file" expect_rc 0
t "and keeps its permissions" sh -c "[ \$(stat -c %a '$TMP/guest.xml') = 640 ]"
echo "<domain/>" >"$TMP/other.xml"
run -c "save '$TMP/other.xml'" "$TMP/guest.xml"
t "save onto another existing file exits 1" expect_rc 1
t "and says how to force it" err_has "the file exists; save -f overwrites it"
t "and leaves that file alone" sh -c "[ \"\$(cat '$TMP/other.xml')\" = '<domain/>' ]"
run -c "save -f '$TMP/other.xml'" "$TMP/guest.xml"
t "save -f overwrites it" sh -c "[ $rc = 0 ] && cmp '$TMP/guest.xml' '$TMP/other.xml'"
run -c "save -" "$EX/01-q35-bare.out.xml"
t "save - prints the document" cmp "$EX/01-q35-bare.out.xml" "$TMP/out"
run -c "bogus; save -" "$EX/01-q35-bare.out.xml"
t "a failed command exits 1" expect_rc 1
t "and later commands do not run" sh -c "[ ! -s '$TMP/out' ]"
run -c "save 'unterminated" "$EX/01-q35-bare.out.xml"
t "a script that does not parse exits 2" expect_rc 2
t "and says where" err_has "unterminated single quote"

# place: as a user runs it (the addresses themselves: tests/test_golden)
GP="$top_srcdir/tests/golden/place"
run place "$EX/04-q35-none-1virtio.in.xml"
t "place FILE prints the placed domain" out_has "<controller type='pci' index='2' model='pcie-root-port'>"
t "and exits 0" expect_rc 0
run place "$EX/99-q35-typical-virt-install.out.xml"
t "place on libvirt's own output changes nothing" cmp "$EX/99-q35-typical-virt-install.out.xml" "$TMP/out"
run place "$EX/04-q35-none-1virtio.in.xml" -o "$TMP/placed.xml"
t "place FILE -o OUT writes OUT" sh -c "[ $rc = 0 ] && grep -q \"port='0x9'\" '$TMP/placed.xml' && [ ! -s '$TMP/out' ]"
run place "$EX/04-q35-none-1virtio.in.xml" -o "$TMP/placed.xml"
t "place -o refuses to overwrite an existing file" sh -c "[ $rc = 1 ] && grep -q 'save -f overwrites it' '$TMP/err'"
run place "$EX/04-q35-none-1virtio.in.xml" -f -o "$TMP/placed.xml"
t "place -f -o overwrites it" expect_rc 0
run -c "place; tree --ascii" "$EX/04-q35-none-1virtio.in.xml"
t "the tree after place shows the new root ports" out_has "|- 00:01.1  pcie-root-port  bus 02  chassis 2  port 0x9"
t "and nothing unplaced" sh -c "! grep -q unplaced '$TMP/out'"
run place "$GP/031-pc-none-60e1000.in.xml"
t "a domain libvirt refuses: place exits 1" expect_rc 1
t "with libvirt's message" err_has "libvirt 9.0 would refuse this domain: internal error: a PCI slot is needed to connect a PCI controller model='pci-bridge'"
t "and a hint" err_has "hint: libvirt's exact-fill quirk"
t "and prints no document" sh -c "[ ! -s '$TMP/out' ]"
run place "$GP/241-pc-err-double-use-bridge.in.xml"
t "a refusal names the device's line" err_has "241-pc-err-double-use-bridge.in.xml:12: <interface>: libvirt 9.0 would refuse"
run -c "place -o" "$EX/04-q35-none-1virtio.in.xml"
t "place -o without a file is a usage error" err_has "place: -o needs a value"

# check: every problem at once, libvirt's words, a hint each
run check "$EX/99-q35-typical-virt-install.out.xml"
t "check on a good domain exits 0" expect_rc 0
t "and says so" out_has "no PCI problems: libvirt 9.0 accepts these addresses"
sed -e "s|<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>|<address type='pci' domain='0x0000' bus='0x01' slot='0x02' function='0x0'/>|" \
    -e "s|bus='0x06' slot='0x00'|bus='0x05' slot='0x00'|" "$EX/99-q35-typical-virt-install.out.xml" >"$TMP/two.xml"
run check "$TMP/two.xml"
t "check with two problems exits 1" expect_rc 1
t "it reports the slot a root port does not have" out_has "two.xml:77: <interface>: XML error: Invalid PCI address 0000:01:02.0. slot must be <= 0"
t "with a hint" out_has "hint: root ports and switch downstream ports have a single slot, 0x00"
t "and the address used twice" out_has "two.xml:112: <rng>: XML error: Attempted double use of PCI Address 0000:05:00.0"
t "and sums up on stderr" err_has "check: $TMP/two.xml: 2 problems; libvirt 9.0 would refuse this domain"
run check "$EX/40-pc-fn1-without-fn0.in.xml"
t "a note alone does not fail check" expect_rc 0
t "the note says what it means" out_has "note: function 1 of slot 00:03 is used but function 0 is not"
run check "$EX/50-q35-switch-auto.in.xml"
t "check catches libvirt's switch loop" out_has "which hangs below it: QEMU refuses to start"
t "and says libvirt would accept it" err_has "libvirt 9.0 accepts this domain, but QEMU would not start it"

# explain: the README's example is what the program prints
run explain "$EX/14-q35-e1000-and-virtio.in.xml" 02:01.0
sed -n '/^02:01.0  interface e1000/,/^Hot-plug/p' "$top_srcdir/README.md" >"$TMP/readme-explain"
t "README's explain example is what explain prints" diff -u "$TMP/readme-explain" "$TMP/out"
run explain "$EX/14-q35-e1000-and-virtio.in.xml" 09:00.0
t "explain of an address nothing has exits 1" sh -c "[ $rc = 1 ] && grep -q \"no device with alias or address '09:00.0'\" '$TMP/err'"

# A new video goes after the primary one, wherever the file has it: the
# first <video> in document order is libvirt's primary (issue 20)
cat >"$TMP/video-last.xml" <<'EOF'
<domain type='kvm'>
  <name>video-last</name>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
  </os>
  <devices>
    <interface type='network'>
      <source network='default'/>
      <model type='virtio'/>
    </interface>
    <memballoon model='virtio'/>
    <video>
      <model type='qxl'/>
    </video>
  </devices>
</domain>
EOF
run -c "add virtio-gpu alias=ua-gpu; save '$TMP/video-added.xml'; tree --ascii" "$TMP/video-last.xml"
t "add virtio-gpu after a late <video> succeeds" expect_rc 0
t "the new video comes after the existing one" \
    sh -c "grep -n -e \"type='qxl'\" -e \"type='virtio' heads\" '$TMP/video-added.xml' | head -1 | grep -q qxl"
t "the existing qxl stays the primary, at libvirt's primary slot" out_has "00:01.0  video qxl  primary"
t "the tree marks no other video primary" sh -c "[ \$(grep -c primary '$TMP/out') = 1 ]"
run -c "delete 00:01.0; tree --ascii" "$TMP/video-added.xml"
t "deleting the primary video says which one libvirt makes primary now" \
    err_has "deleted video qxl; video virtio ua-gpu (line 51) is now the primary video"
run tree --ascii "$TMP/video-last.xml"
t "a video without primary='yes' that libvirt makes primary is marked" out_has "video qxl  primary"

# Two devices at one address: a collision, in libvirt's words, never a
# multifunction slot; explain and delete name the device meant
sed -e "/<model type='qxl'\/>/a\\      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>" \
    -e "/<model type='virtio'\/>/a\\      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>" \
    "$TMP/video-last.xml" >"$TMP/collision.xml"
run tree --ascii "$TMP/collision.xml"
t "a collision is no multifunction slot" sh -c "! grep -q 'multifunction slot' '$TMP/out'"
t "both devices say libvirt's message" \
    sh -c "[ \$(grep -c 'collides with another device: XML error: Attempted double use of PCI Address 0000:00:03.0' '$TMP/out') = 2 ]"
run explain "$TMP/collision.xml" 00:03.0
t "explain of the address says it collides, naming the other device" \
    out_has "Collision: video qxl (line 13) has this address too; libvirt refuses the domain: XML error: Attempted double use of PCI Address 0000:00:03.0"
run -c "delete 00:03.0" "$TMP/collision.xml"
t "delete by a shared address deletes neither" expect_rc 1
t "and says which devices share it" err_has "00:03.0 is the address of 2 devices, which libvirt refuses"
sed -e "/<model type='qxl'\/>/a\\      <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x0'/>" \
    "$TMP/video-last.xml" >"$TMP/on-chipset.xml"
run tree --ascii "$TMP/on-chipset.xml"
t "a device on a chipset function collides with the chipset" \
    out_has "00:1f.0  video qxl  primary  collides with the chipset: XML error: Attempted double use of PCI Address 0000:00:1f.0"

# explain follows where a controller really sits, and why placement adds one
run explain "$EX/57-q35-pxb-pcie-numa.in.xml" 02:00.0
t "a root port behind an expander bus is not on the root complex" \
    out_has "Bus 02 is a pcie-root-port: one hot-pluggable PCIe slot, plugged into slot 01:00.0 of bus 01, a pcie-expander-bus."
t "nor said to be" sh -c "! grep -q 'plugged into the root complex' '$TMP/out'"
run -c "place; add virtio-net alias=ua-n; explain 00:02.1" "$EX/57-q35-pxb-pcie-numa.in.xml"
t "a root port placement added is explained by the device that needed it" \
    out_has "Why it is added: placement adds it for interface virtio ua-n at 04:00.0, a virtio device"
t "not as an address written in the XML" sh -c "! grep -q 'its address is written in the domain XML' '$TMP/out'"
run explain "$EX/14-q35-e1000-and-virtio.in.xml" 00:01.0
t "a root port placement would add names the bridge it holds" \
    out_has "Why it is added: placement adds it to hold the pcie-to-pci-bridge (index 2) at 01:00.0"

# Hostile and broken input: each exits 2 with the file (and line) named.
bad() {  # bad NAME EXPECTED-MESSAGE: $TMP/NAME was prepared by the caller
    run tree "$TMP/$1"
    t "$1: exits 2" expect_rc 2
    t "$1: says '$2'" err_has "pcitopo: $TMP/$1$2"
    t "$1: prints nothing on stdout" sh -c "[ ! -s '$TMP/out' ]"
}
: >"$TMP/empty.xml";                          bad empty.xml ": the file is empty"
echo "hello" >"$TMP/text.xml";                bad text.xml ":1: not well-formed XML"
echo "<network/>" >"$TMP/network.xml";        bad network.xml ":1: the root element is <network>, not a libvirt <domain>"
head -c 300 "$EX/99-q35-typical-virt-install.out.xml" >"$TMP/truncated.xml"
bad truncated.xml ":8: not well-formed XML: StartTag: invalid element name"
# libxml2 goes on after an error; the line to fix is the first one (xmllint's)
printf '<domain type="kvm">\n  <name>x</name>\n  <devices>\n    <disk>\n  </devices>\n</domain>\n' >"$TMP/unclosed.xml"
bad unclosed.xml ":5: not well-formed XML: Opening and ending tag mismatch: disk line 4 and devices"
printf '<domain type="kvm">\n  <devices a="1" a="2">\n  </devices>\n' >"$TMP/twice.xml"
bad twice.xml ":2: not well-formed XML: Attribute a redefined"
head -c 9000000 /dev/zero | tr '\0' ' ' >"$TMP/huge.xml"; bad huge.xml ": 9000000 bytes is too large"
awk 'BEGIN { printf "<domain>"; for (i = 0; i < 10000; i++) printf "<a>"; print "" }' >"$TMP/deep.xml"
bad deep.xml ":1: not well-formed XML: elements nested more than"
printf '<!DOCTYPE domain [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<domain>&x;</domain>\n' >"$TMP/xxe.xml"
bad xxe.xml ":1: DOCTYPE declarations are refused"
printf '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<domain>&b;</domain>\n' >"$TMP/laughs.xml"
bad laughs.xml ":1: DOCTYPE declarations are refused"
printf '<domain type="kvm">\n<title>\377</title></domain>\n' >"$TMP/utf8.xml"; bad utf8.xml ":2: not well-formed XML"
printf '<domain>\n\000</domain>\n' >"$TMP/nul.xml";  bad nul.xml ":2: NUL byte"
run tree "$TMP/does-not-exist.xml"
t "a missing file exits 2" expect_rc 2
t "and says why" err_has "does-not-exist.xml: cannot open: No such file or directory"

# A device whose address libvirt refuses: the file opens, the device is
# shown with libvirt's words and takes no slot, check and place refuse as
# libvirt does, and save and delete work.
sed "s/bus='0x01' slot='0x00'/bus='0x01' slot='0x40'/" "$EX/99-q35-typical-virt-install.out.xml" >"$TMP/slot.xml"
SLOT_WORDS="XML error: Invalid PCI address slot='0x40', must be <= 0x1F"
run tree --ascii "$TMP/slot.xml"
t "slot='0x40': the file opens" expect_rc 0
t "  the tree has a section for devices whose address libvirt refuses" \
    out_has "with addresses libvirt refuses (they take no slot):"
t "  the device is there, its address as written, with libvirt's words" \
    out_has "\`- interface virtio  address domain='0x0000' bus='0x01' slot='0x40' function='0x0'  libvirt refuses: $SLOT_WORDS  line 77"
t "  it takes no slot: its root port is empty" \
    sh -c "grep -A1 'pcie-root-port  bus 01 ' '$TMP/out' | grep -qF '\`- slot 00: empty, hotplug'"
run check "$TMP/slot.xml"
t "  check refuses, exit 1" expect_rc 1
t "  in libvirt's words, at the device's line" out_has "slot.xml:77: <interface>: $SLOT_WORDS"
t "  and counts it" err_has "check: $TMP/slot.xml: 1 problem; libvirt 9.0 would refuse this domain"
run place "$TMP/slot.xml"
t "  place refuses, exit 1" expect_rc 1
t "  with libvirt's words" err_has "slot.xml:77: <interface>: libvirt 9.0 would refuse this domain: $SLOT_WORDS"
run -c 'save -' "$TMP/slot.xml"
t "  save writes the document unchanged" sh -c "[ $rc = 0 ] && cmp '$TMP/out' '$TMP/slot.xml'"
run -c "explain 'line:77'" "$TMP/slot.xml"
t "  explain says where it is: nowhere" out_has "Where: nowhere. libvirt refuses its <address domain='0x0000' bus='0x01' slot='0x40' function='0x0'>, so it takes no slot here."
t "  and why, in libvirt's words" out_has "Problem: libvirt refuses this element as written, so it refuses the domain: $SLOT_WORDS"
sed "s#<address type='pci' domain='0x0000' bus='0x01' slot='0x40' function='0x0'/>#&<alias name='ua-bad'/>#" "$TMP/slot.xml" >"$TMP/slot-alias.xml"
run -c 'delete ua-bad; check; save -' "$TMP/slot-alias.xml"
t "  delete by alias removes it, and check is content" sh -c "[ $rc = 0 ] && grep -q 'no PCI problems' '$TMP/out'"
t "  the rest of the document stays" sh -c "! grep -q ua-bad '$TMP/out' && [ \$(grep -c '<interface' '$TMP/out') = 0 ] && grep -q '<disk' '$TMP/out'"
run explain "$TMP/slot-alias.xml" ua-bad
t "  explain by alias" out_has "Problem: libvirt refuses this element as written, so it refuses the domain: $SLOT_WORDS"
run -c 'delete 01:40.0' "$TMP/slot-alias.xml"
t "  an address that names no slot names no device" expect_rc 1
sed "s/bus='0x01' slot='0x00'/bus='zz' slot='0x00'/" "$EX/99-q35-typical-virt-install.out.xml" >"$TMP/bus.xml"
run check "$TMP/bus.xml"
t "bus='zz': check says libvirt's words, exit 1" \
    sh -c "[ $rc = 1 ] && grep -qF \"bus.xml:77: <interface>: XML error: Invalid value for attribute 'bus' in element 'address': 'zz'. Expected non-negative integer value\" '$TMP/out'"
sed "s/bus='0x01' slot='0x00'/domain='0x0001' bus='0x01' slot='0x00'/; s/domain='0x0000' domain/domain/" "$EX/99-q35-typical-virt-install.out.xml" >"$TMP/domain1.xml"
run place "$TMP/domain1.xml"
t "domain='0x0001': place refuses as libvirt reserves it" \
    sh -c "[ $rc = 1 ] && grep -qF 'XML error: Invalid PCI address 0001:01:00.0. Only PCI domain 0 is available' '$TMP/err'"

# Editing in batch mode: add, spare, undo and redo, with what each did on
# stderr and the document on stdout.
run spare
t "spare counts the example's free root port" out_has "spare hotplug slots: pcie=1 pci=0"
run -c 'add virtio-net alias=ua-nic; spare; save -'
t "add succeeds" expect_rc 0
t "and says where the device went" err_has "pcitopo: added interface virtio ua-nic at 07:00.0 [hotplug]; spare hotplug: PCIe 0, PCI 0"
t "spare sees the slot taken" out_has "spare hotplug slots: pcie=0 pci=0"
t "the saved document has the device at its address" \
    sh -c "grep -A4 \"<interface type='network'>\" '$TMP/out' | tail -5 | grep -q \"<alias name='ua-nic'/>\""
run -c 'add e1000; undo; redo; save -'
t "undo and redo in a script" err_has "pcitopo: redid: add e1000"
t "the redone add is in the document" out_has "<model type='e1000'/>"
run -c 'add e1000; undo; save -'
t "an undone add is not" sh -c "! grep -q e1000 '$TMP/out'"
run -c 'add pcie-root-port' "$EX/100-pc-typical-virt-install.out.xml"
t "a q35-only kind on pc exits 1" expect_rc 1
t "and says it needs a PCI Express machine" err_has "add pcie-root-port: there is no pcie-root-port on this pc (i440fx) machine; it needs q35, aarch64 virt, riscv64 virt"
run -c 'move down'
t "editor-only commands say so in batch mode" err_has "move: only in the editor"
# groups: README's command lines, on the golden cases
GR="$top_srcdir/tests/golden/group"
cp "$GR/01-q35-gpu-audio.xml" "$TMP/gpu.xml"
run -c 'group 0000:65:00; save' "$TMP/gpu.xml"
t "group by host card exits 0" expect_rc 0
t "and says where the group went" err_has "pcitopo: group at 03:00 [hotplug]: .0 ua-hostdev0 .1 ua-hostdev1"
run tree --ascii "$TMP/gpu.xml"
t "the saved tree shows the group" out_has "03:00  group of 2 host functions  [hotplug]"
run hotplug-xml "$TMP/gpu.xml" 0000:65:00 -o "$TMP/plug/"
t "hotplug-xml -o writes the files" \
    out_has "wrote into $TMP/plug/: devices.xml attach-1-fn1-ua-hostdev1.xml attach-2-fn0-ua-hostdev0.xml hotplug.hmp unplug.hmp plan.txt"
t "and prints the plan" out_has "Hot-unplug (x86): unplug function 0 (unplug.hmp: device_del ua-hostdev0)."
t "the monitor script plugs function 1 first" \
    sh -c "head -1 '$TMP/plug/hotplug.hmp' | grep -q 'host=0000:65:00.1,id=ua-hostdev1,bus=pci.3,addr=0x0.0x1'"
run hotplug-xml "$TMP/gpu.xml" 0000:65:00 -o "$TMP/plug/"
t "again, it refuses to overwrite" err_has "plug//devices.xml exists; -f overwrites it"
cp "$GR/03-q35-two-cards-in-order.xml" "$TMP/cards.xml"
run -c 'group ua-nvme ua-gpu ua-vf; save' "$TMP/cards.xml"
t "group of three cards by alias exits 0" expect_rc 0
run -c 'group ua-nvme 01:00.0' "$TMP/cards.xml"
t "a device that is not a host device is refused, exit 1" expect_rc 1
t "saying which and why" err_has "group: 01:00.0 (interface virtio) is not a PCI host device"
run -c 'delete ua-gpu' "$TMP/cards.xml"
t "deleting one function is refused" err_has "a group is deleted as one unit: 'delete 03:00' deletes all 3 functions"

# keymaps: --list-keys, --keymap, the user's file
XDG_CONFIG_HOME="$TMP/config" run --list-keys
t "--list-keys prints the default bindings" out_has "tree    a          add                            default.keys:"
t "by context, the dialog's too" out_has "dialog  Enter      commit"
XDG_CONFIG_HOME="$TMP/config" run --list-keys=vi
t "--list-keys=vi shows vi's keys over the default's" out_has "tree    g g        move top                       vi.keys:"
XDG_CONFIG_HOME="$TMP/config" run --list-keys emacs
t "emacs has Meta keys" out_has "tree    M-<        move top                       emacs.keys:"
run --list-keys=nonesuch
t "an unknown keymap exits 2" expect_rc 2
t "naming the shipped ones" err_has "no keymap 'nonesuch' (shipped: default, vi, emacs; or give a file's path)"
mkdir -p "$TMP/config/pcitopo"
printf 'include vi\nbind tree Q quit\nbind nowhere q quit\n' >"$TMP/config/pcitopo/keys"
XDG_CONFIG_HOME="$TMP/config" run --list-keys
t "the user's keymap layers on top" out_has "tree    Q          quit                           $TMP/config/pcitopo/keys:2"
t "and can include a shipped one" out_has "tree    g g        move top"
t "a bad line in it exits 1" expect_rc 1
t "naming its file and line" err_has "$TMP/config/pcitopo/keys:3: unknown context (known: tree, dialog, prompt)"
printf 'bind tree x quit\n' >"$TMP/mine.keys"
XDG_CONFIG_HOME=/nonexistent run --list-keys="$TMP/mine.keys"
t "--list-keys=PATH reads a keymap file" out_has "tree    x          quit"
XDG_CONFIG_HOME=/nonexistent run --keymap "$TMP/missing.keys" "$EX/99-q35-typical-virt-install.out.xml" </dev/null
t "--keymap with a missing file exits 2" expect_rc 2
t "saying why" err_has "pcitopo: --keymap: cannot read $TMP/missing.keys: No such file or directory"

run help add
t "help add lists the kinds" out_has "  hostdev                      host PCI device passed through (VFIO); needs host="

# vi's names, save-as and save-copy, '~' in file names
run help
t "help lists vi's names in one line" out_has "vi's names: q (quit), q! (quit -f), w (save)"
mkdir "$TMP/home"
cp "$EX/99-q35-typical-virt-install.out.xml" "$TMP/vi.xml"
run -c 'add e1000; wq; tree' "$TMP/vi.xml"
t "wq saves and ends the script" sh -c "[ $rc = 0 ] && [ ! -s '$TMP/out' ] && grep -q 'e1000' '$TMP/vi.xml'"
HOME="$TMP/home" run -c 'add e1000; save-copy ~/copy.xml; save-as ~/as.xml; add e1000; save; x' "$TMP/vi.xml"
t "save-copy ~/FILE and save-as ~/FILE write under \$HOME" sh -c "[ $rc = 0 ] && [ -s '$TMP/home/copy.xml' ]"
t "after save-as, save writes the new file" sh -c "[ \$(grep -c e1000 '$TMP/home/as.xml') -gt \$(grep -c e1000 '$TMP/vi.xml') ]"
t "the notes name the expanded files" err_has "saved $TMP/home/as.xml; save writes it from now on"
HOME="$TMP/home" run save-copy "$TMP/vi.xml" '~/sub.xml'
t "pcitopo save-copy FILE ~/PATH" sh -c "[ $rc = 0 ] && [ -s '$TMP/home/sub.xml' ]"
run -c "q now" "$TMP/vi.xml"
t "q with words it does not take fails with its usage" err_has "q: wrong number of arguments (usage: q)"

# lspci: the guest's addresses, lspci's words, the alias and the XML's
# address; what the guest cannot see last, with why
cat >"$TMP/guest.xml" <<'XML'
<domain type='kvm'>
  <name>g</name>
  <memory unit='MiB'>512</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <controller type='pci' index='0' model='pcie-root'/>
    <controller type='pci' index='1' model='pcie-expander-bus'><target busNr='254'/><address type='pci' bus='0x00' slot='0x05'/></controller>
    <controller type='pci' index='2' model='pcie-root-port'><address type='pci' bus='0x01' slot='0x00'/></controller>
    <controller type='pci' index='3' model='pcie-root-port'><address type='pci' bus='0x01' slot='0x01'/></controller>
    <controller type='pci' index='4' model='pcie-root-port'><address type='pci' bus='0x00' slot='0x02'/></controller>
    <disk type='file' device='disk'><source file='/d.img'/><target dev='vda' bus='virtio'/><alias name='ua-disk1'/><address type='pci' bus='0x04' slot='0x00'/></disk>
    <interface type='user'><model type='virtio'/><alias name='ua-net0'/><address type='pci' bus='0x02' slot='0x00'/></interface>
    <interface type='user'><model type='virtio'/><alias name='ua-net1'/><address type='pci' bus='0x03' slot='0x00'/></interface>
    <controller type='usb' index='0' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
XML
run lspci "$TMP/guest.xml"
t "lspci: a device behind the first root port is on bus 01" \
    out_has "0000:01:00.0 SCSI storage controller: Red Hat, Inc. Virtio 1.0 block device [ua-disk1] (xml 04:00.0)"
t "behind pxb-pcie busNr 254: the last number, ff" \
    out_has "0000:ff:00.0 Ethernet controller: Red Hat, Inc. Virtio 1.0 network device [ua-net0] (xml 02:00.0)"
t "the next port's device is not seen, and why" \
    out_has "  Ethernet controller: Red Hat, Inc. Virtio 1.0 network device [ua-net1] (xml 03:00.0): bus 03 gets no number: expander bus 01 starts at busNr 254"
t "the chipset's functions are listed" out_has "0000:00:1f.0 ISA bridge: Intel Corporation 82801IB (ICH9) LPC Interface Controller (chipset)"
t "the note counts what the guest does not see" err_has "; 1 function not seen by the guest"
t "lspci exits 0" expect_rc 0
run lspci "$top_srcdir/tests/golden/arch/aarch64/capacity/01-aarch64-minimal.placed.xml"
t "lspci on aarch64 virt fails" expect_rc 1
t "saying which machines it numbers" err_has "lspci: pcitopo numbers the buses of pc and q35 guests (SeaBIOS) so far, not of aarch64 virt"

# diff OLD NEW: a root port put in a lower slot renumbers the guest's
# buses behind the ports after it; their devices keep their XML address
G="$top_srcdir/tests/golden/guest/seen/02-q35-switch.xml"
sed "s|<controller type='pci' index='6' model='pcie-root-port'>|<controller type='pci' index='7' model='pcie-root-port'><alias name='ua-new'/><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></controller><controller type='pci' index='6' model='pcie-root-port'>|" "$G" >"$TMP/new.xml"
run diff "$G" "$TMP/new.xml"
t "diff OLD NEW exits 1 when devices move in the guest" expect_rc 1
t "it lists a device whose guest address moved, its XML address the same" \
    out_has "  ua-virtio-net0 (interface virtio): xml 03:00.0, guest 0000:05:00.0 -> 0000:06:00.0"
t "and the controller added" out_has "  ua-new (pcie-root-port): xml 00:01.0, guest 0000:00:01.0, bus 07 (guest 01)"
t "saying how many move" err_has "diff: 8 devices move in the guest"
sed "s|bus='0x06' slot='0x00'|bus='0x07' slot='0x00'|" "$TMP/new.xml" >"$TMP/moved.xml"
run diff "$TMP/new.xml" "$TMP/moved.xml"
t "an XML address changed is its own section" out_has "XML address changed:
  ua-virtio-net3 (interface virtio): xml 06:00.0 -> 07:00.0, guest 0000:07:00.0 -> 0000:01:00.0"
run diff "$G" "$G"
t "diff of a document with itself exits 0" expect_rc 0
t "and says nothing changes" err_has "diff: nothing changes for the guest"
run diff "$G" "$TMP/missing.xml"
t "diff with a file that does not load fails" expect_rc 1

tap_done
