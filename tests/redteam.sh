#!/bin/sh
# The red team's findings (issue 19) that are about what a document or a
# command line can make pcitopo do: a value from a document never becomes
# a command, a monitor line or a file name; arguments are read as their
# usage line says, whatever their order; a message never carries a
# terminal escape.  Each case failed before its fix.
. "$top_srcdir/tests/tap.sh"
H="$TMP/r"
mkdir "$H"
GR="$top_srcdir/tests/golden/group"
HEAD="<domain type='kvm'><name>r</name><memory>1</memory><os><type machine='q35'>hvm</type></os><devices>"
TAIL="</devices></domain>"
doc() { printf '%s%s%s\n' "$HEAD" "$2" "$TAIL" >"$H/$1"; }
nic() { printf "<interface type='user'><model type='virtio'/><alias name='%s'/></interface>" "$1"; }

# --- an alias is a word, never a second command
for a in "ua-x&apos;; save -f &apos;/tmp/pcitopo-pwned" 'ua-x"; save -f x' 'ua-gpu,bus=pcie.0' \
         'ua-a&#10;migrate &quot;exec:touch PWNED&quot;' 'ua-../../etc/x' 'ua-x y' 'ua-' \
         'x;y' '../x' '1net' 'ua-a.b' 'net0,id=x'; do
    doc bad.xml "$(nic "$a")"
    run tree "$H/bad.xml"
    t "alias '$a': refused at load, exit 2" expect_rc 2
    t "alias '$a': the message names file, line and element" err_has "bad.xml:1: <alias> of <interface>: name="
done
run -c "explain '$(printf 'ua-x\033[2J\033]0;title\007')'"
t "a control character in a message: exit 1" expect_rc 1
t "no escape character reaches the terminal" sh -c "! grep -q \"\$(printf '\\033')\" '$TMP/err'"
t "it is shown as \\x1b" err_has 'ua-x\x1b[2J\x1b]0;title\x07'
doc live.xml "$(nic net0)$(nic pci.1)$(nic ua-nic_1-A)"
run tree "$H/live.xml"
t "libvirt's own aliases of a running guest (net0, pci.1) and user aliases load" expect_rc 0
doc dup.xml "$(nic ua-a)$(nic ua-b)$(nic ua-a)"
run tree "$H/dup.xml"
t "two devices with one alias are refused, exit 2" expect_rc 2
t "in libvirt's words" err_has "non unique alias detected: ua-a"
cp "$top_srcdir/core/example-q35.xml" "$H/ex.xml"
for a in "ua-x';save" 'ua-a,b' 'ua-a.b' 'net5' "ua-$(printf 'a\nb')"; do
    run -c "add virtio-net \"alias=$a\"" "$H/ex.xml"
    t "add alias='$a': refused, exit 1" expect_rc 1
    t "add alias='$a': says why" err_has "add: alias '"
done
run -c "add virtio-net 'alias=ua-ok_1-2'; save -" "$H/ex.xml"
t "add with a good alias works" out_has "<alias name='ua-ok_1-2'/>"

# preferences are kept under user aliases too
printf "<domain type='kvm'><name>r</name><memory>1</memory><metadata><pcitopo:placement xmlns:pcitopo='https://pcitopo.dev/xmlns/placement/1'><pcitopo:device alias='x&apos;;save' hotplug='no'/></pcitopo:placement></metadata><os><type machine='q35'>hvm</type></os><devices/></domain>\n" >"$H/meta.xml"
run tree "$H/meta.xml"
t "a preference under a bad alias: refused, exit 2" expect_rc 2
t "naming the element" err_has "<pcitopo:device alias='x';save'>: preferences are kept under a user alias"
# the domain's name never steers a new disk's image path
printf "<domain type='kvm'><name>../../../etc/cron.d/x y</name><memory>1</memory><os><type machine='q35'>hvm</type></os><devices/></domain>\n" >"$H/name.xml"
run -c 'add virtio-blk; save -' "$H/name.xml"
t "a disk added to a domain called ../../../etc/cron.d/x y" expect_rc 0
t "gets its image in the images directory" out_has "<source file='/var/lib/libvirt/images/_________etc_cron_d_x_y-vda.qcow2'/>"

# a line break in a document's value never forges a line of output
printf "<domain type='kvm'><name>m</name><os><type machine='q35'>hvm</type></os><devices><interface type='user'><model type='vir&#10;tio'/><address type='pci' bus='0' slot='3'/></interface></devices></domain>\n" >"$H/nl.xml"
run tree --ascii "$H/nl.xml"
t "a model with a line break: the tree shows it as \\x0a" out_has '00:03.0  interface vir\x0atio'
run explain "$H/nl.xml" 00:03.0
t "and so does explain" out_has '00:03.0  interface vir\x0atio'

# --- hotplug-xml: safe file names and monitor lines, no link followed
cp "$GR/01-q35-gpu-audio.xml" "$H/gpu.xml"
run -c 'group 0000:65:00; save' "$H/gpu.xml"
t "a group to write the hot-plug files of" expect_rc 0
mkdir "$H/plug"
echo "precious" >"$H/victim"
ln -s ../victim "$H/plug/plan.txt"
ln -s ../victim "$H/plug/hotplug.hmp"
run hotplug-xml "$H/gpu.xml" 0000:65:00 -o "$H/plug"
t "a planted link without -f: refused, exit 1" expect_rc 1
t "and nothing was written" sh -c "[ ! -e '$H/plug/devices.xml' ]"
run hotplug-xml "$H/gpu.xml" 0000:65:00 -o "$H/plug" -f
t "with -f: written, exit 0" expect_rc 0
t "the file a planted link points to is untouched" sh -c "[ \"\$(cat '$H/victim')\" = precious ]"
t "the link itself is replaced by the file" sh -c "[ -f '$H/plug/plan.txt' ] && [ ! -L '$H/plug/plan.txt' ]"
t "no staging directory is left" sh -c "! ls -A '$H/plug' | grep -q pcitopo"
if [ "$(id -u)" != 0 ] || command -v setpriv >/dev/null; then
    # a write that fails half-way (a read-only staging area is not
    # possible to plant, so: a file size limit) leaves the old set
    mkdir "$H/plug2"
    run hotplug-xml "$H/gpu.xml" 0000:65:00 -o "$H/plug2"
    cp "$H/plug2/plan.txt" "$H/plan.before"
    sh -c 'ulimit -f 1 && exec "$0" hotplug-xml "$1" 0000:65:00 --stand-in virtio-net-pci -o "$2" -f' \
        "$PCITOPO" "$H/gpu.xml" "$H/plug2" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    t "a write failing half-way: exit 1" expect_rc 1
    t "and the old set is whole: hotplug.hmp has no stand-in" sh -c "! grep -q virtio-net-pci '$H/plug2/hotplug.hmp'"
    t "and no staging directory is left" sh -c "! ls -A '$H/plug2' | grep -q pcitopo"
fi
for m in 'virtio-net-pci,romfile=/etc/shadow' "$(printf 'virtio-net-pci\nquit')" 'a b' '-x'; do
    run hotplug-xml "$H/gpu.xml" 0000:65:00 --stand-in "$m"
    t "--stand-in '$m': refused, exit 1" expect_rc 1
done
run hotplug-xml "$H/gpu.xml" 0000:65:00 --stand-in virtio-net-pci
t "--stand-in virtio-net-pci is taken" out_has "device_add virtio-net-pci,id=ua-hostdev1,bus=pci.3,addr=0x0.0x1"
long=ua-$(printf '%0300d' 0 | tr 0 a)
sed "s/ua-hostdev1/$long/" "$H/gpu.xml" >"$H/long.xml"
run hotplug-xml "$H/long.xml" 0000:65:00 -o "$H/plug3"
t "a 300-character alias: the files are written" expect_rc 0
t "under names that fit a file system" sh -c "ls '$H/plug3' | awk 'length > 100 { exit 1 }'"
t "and the monitor line carries the whole alias" sh -c "grep -q 'id=$long,' '$H/plug3/hotplug.hmp'"

# --- no fixed buffer cuts a message: a 300-character include path
long_dir=$(printf '%0300d' 0 | tr 0 d)
printf 'include %s/missing.keys\n' "$long_dir" >"$H/long.keys"
run --list-keys "$H/long.keys"
t "a keymap's include of a 300-character path: the problem names it whole" \
    err_has "$long_dir/missing.keys"
run -c "explain ua-$long_dir$long_dir$long_dir$long_dir" "$top_srcdir/core/example-q35.xml"
t "an error quoting a 1200-character name quotes it whole" err_has "ua-$long_dir$long_dir$long_dir$long_dir'"

# --- arguments: options before and after operands, values that look
# like options, -o -
new() { cp "$top_srcdir/tests/data/docs/new.xml" "$H/in.xml"; cp "$H/in.xml" "$H/in.orig"; rm -f "$H/out.xml"; }
placed_ok() {   # the input is unchanged and OUT holds the placed document
    cmp -s "$H/in.xml" "$H/in.orig" || { echo "the input file changed"; return 1; }
    grep -q "<address type='pci'" "$H/out.xml" || { echo "no placed document in out.xml"; return 1; }
}
for form in "place -f -o OUT IN" "place IN -f -o OUT" "place -o OUT IN -f" "place IN -o OUT" \
            "place -o OUT -f IN"; do
    new
    # shellcheck disable=SC2046
    run $(echo "$form" | sed "s#OUT#$H/out.xml#; s#IN#$H/in.xml#")
    t "pcitopo $form: exit 0" expect_rc 0
    t "pcitopo $form: reads IN, writes OUT" placed_ok
done
new
run place -o - "$H/in.xml"
t "place -o - IN prints the placed document" out_has "<address type='pci'"
t "and leaves IN as it was" cmp "$H/in.xml" "$H/in.orig"
new
run place "$H/in.xml" -o -
t "place IN -o - prints it too" out_has "<address type='pci'"
new
run -c "place -o '$H/-f'" "$H/in.xml"
t "-c 'place -o -f': a file called -f" sh -c "[ -s '$H/-f' ]"
new
run -c "place -o" "$H/in.xml"
t "-o without its value: exit 1" expect_rc 1
t "says so" err_has "place: -o needs a value"
run -c "place -f -f" "$H/in.xml"
t "an option given twice: refused" err_has "place: -f is given twice"
run place "$H/in.xml" --frobnicate
t "an unknown option: exit 1" expect_rc 1
t "named" err_has "place: unknown option '--frobnicate'"
new
run -c "save -f -- '$H/-x.xml'" "$H/in.xml"
t "save -- -x.xml: -- ends the options" sh -c "[ -s '$H/-x.xml' ]"
new
run tree -- "$H/in.xml"
t "pcitopo tree -- FILE" expect_rc 0
new
cp "$H/in.xml" "$H/a b'c;d.xml"
run tree "$H/a b'c;d.xml"
t "a file name with blanks, quote and ';' is one operand" expect_rc 0

tap_done
