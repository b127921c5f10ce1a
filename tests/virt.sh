#!/bin/sh
# The command line of domains from libvirt (--connect, --domain), against
# libvirt's test driver on a node file of our own (test:///PATH: the real
# client API, no daemon; each pcitopo process gets the file's domains
# afresh).  Built without libvirt, --connect must say so and exit 2.
. "$top_srcdir/tests/tap.sh"

run --connect test:///default tree test
if grep -q "built without libvirt" "$TMP/err"; then
    t "without libvirt: --connect exits 2" expect_rc 2
    t "without libvirt: and says pcitopo was built without it" \
        err_has "pcitopo: --connect: this pcitopo was built without libvirt"
    run --domain guest -c tree
    t "without libvirt: --domain exits 2" expect_rc 2
    t "without libvirt: and says so" err_has "built without libvirt"
    run tree "$top_srcdir/core/example-q35.xml"
    t "without libvirt: files work as ever" expect_rc 0
    tap_done
fi

# two q35 guests: q1 is the built-in example, renamed; q2 has three more
# root ports (the test driver's guests of a node file all run)
node="$TMP/node.xml"
ports="<controller type='pci' model='pcie-root-port'/>"
{
    echo "<node>"
    sed 's#<name>.*</name>#<name>q1</name>#' "$top_srcdir/core/example-q35.xml"
    sed -e 's#<name>.*</name>#<name>q2</name>#' -e '/<uuid>/d' \
        -e "s#</devices>#$ports$ports$ports</devices>#" "$top_srcdir/core/example-q35.xml"
    echo "</node>"
} >"$node"
URI="test://$node"

run --connect "$URI" -c 'add virtio-net alias=ua-x; save; tree --ascii' q1
t "batch: add and save define the domain" expect_rc 0
t "batch: the note says where the NIC went" err_has "pcitopo: added interface virtio ua-x at 07:00.0"
t "batch: save prints what the define changes" out_has "+      <alias name='ua-x'/>"
t "batch: and libvirt's answer" err_has "pcitopo: defined q1 on $URI (6 lines changed); libvirt stored it with"
t "batch: libvirt's own lines are shown" out_has "+      <mac address="
t "batch: the tree after the save is what libvirt stored, the NIC where it was shown" \
    out_has "07:00.0  interface virtio  ua-x"

run --connect "$URI" -c 'add virtio-net alias=ua-x; save; save; diff' q1
t "batch: a second save has nothing to define" err_has "pcitopo: nothing to define: libvirt's definition of q1"
t "batch: diff after it shows nothing" err_has "pcitopo: diff: libvirt's definition of q1 is this document"

run --connect "$URI" -c "add virtio-net alias=ua-f; save $TMP/out.xml; save-as $TMP/as.xml; save" q1
t "batch: save FILE writes a file, save-as makes it the document's" expect_rc 0
t "batch: the file has the edit" grep -q "ua-f" "$TMP/out.xml"
t "batch: after save-as, save writes the file, not libvirt" err_has "it no longer defines the domain in libvirt"
t "batch: ...and says where it saved" err_has "pcitopo: saved $TMP/as.xml"

run --connect "$URI" tree q1
t "subcommand: pcitopo --connect URI tree DOMAIN" out_has "domain q1: q35 machine"
LIBVIRT_DEFAULT_URI=$URI "$PCITOPO" --domain q1 spare >"$TMP/out" 2>"$TMP/err"; rc=$?
t "LIBVIRT_DEFAULT_URI and --domain: libvirt's default URI, as virsh reads it" expect_rc 0
t "LIBVIRT_DEFAULT_URI and --domain: the domain's spare count" out_has "spare hotplug slots: pcie=1 pci=0"
LIBVIRT_DEFAULT_URI=$URI "$PCITOPO" --domain q1 -c 'add virtio-net; save' >"$TMP/out" 2>"$TMP/err"; rc=$?
t "LIBVIRT_DEFAULT_URI: save defines there" err_has "pcitopo: defined q1 on $URI"

# errors: each a clear line and exit status 2, before any editor
run --connect bogus:///nowhere -c tree q1
t "a bad URI exits 2" expect_rc 2
t "a bad URI: libvirt's words, with the URI" err_has "pcitopo: cannot connect to bogus:///nowhere: no connection driver available"
run --connect "$(printf 'bo\033[2Jgus:///x')" -c tree q1
t "a URI with a terminal escape is shown escaped" err_has 'cannot connect to bo\x1b[2Jgus:///x'
run --connect "$URI" -c tree nosuch
t "an unknown domain exits 2" expect_rc 2
t "an unknown domain is named" err_has "cannot open domain 'nosuch': Domain not found"
run --connect "$URI" -c tree
t "--connect -c without a domain exits 2" expect_rc 2
t "--connect -c without a domain says how to name one" err_has "which domain? (pcitopo --connect URI DOMAIN"
run --connect "$URI" tree
t "a subcommand without a domain exits 2" expect_rc 2
run --connect "$URI" q1 q2
t "two domains: exit 2" expect_rc 2
t "two domains: one at most" err_has "one DOMAIN at most"
run --connect "$URI" --domain q1 -c tree q1
t "--domain and an operand: exit 2" expect_rc 2
t "--domain and an operand: says which is too many" err_has "--domain q1 names the document; 'q1' is one too many"
# the domain list, as text when standard output is no terminal
run --connect "$URI"
t "list: --connect URI alone lists the domains" expect_rc 0
t "list: a heading" out_has "NAME  STATE        MACHINE         PCIE   PCI  PROBLEMS"
t "list: q1 with its spare counts and problems, as spare and check say" \
    out_has "q1    running      pc-q35-7.2         1     0         0"
t "list: q2 with its three more ports" out_has "q2    running      pc-q35-7.2         4     0         0"
run --connect "$URI" -c tree
t "list: -c still needs a domain, and says how to list them" err_has "pcitopo --connect URI lists them"

# mode live on a running guest: the test driver cannot attach, so save
# must say libvirt's words and that nothing was plugged
run --connect "$URI" -c 'mode live; add virtio-net alias=ua-n; save' q2
t "live: save exits 1 when libvirt refuses the hot-plug" expect_rc 1
t "live: the document is the running guest's XML" err_has "mode live: the document is what the running guest q2 has now"
t "live: the failure names the device and its address, in libvirt's words" \
    err_has "save: libvirt did not hot-plug interface virtio ua-n at 07:00.0: test://$node: this function is not supported by the connection driver: virDomainAttachDeviceFlags; nothing was hot-plugged"
t "live: and the document is kept" err_has "save FILE writes it to a file"
run --connect "$URI" --live -c 'add virtio-net alias=ua-n; add virtio-gpu alias=ua-g; save' q2
t "--live opens in mode live" err_has "mode live: the document is what the running guest q2 has now"
t "live: a device libvirt cannot hot-plug refuses the whole save, before any plug" \
    err_has "save: nothing was hot-plugged into q2; video virtio ua-g at 08:00.0: libvirt cannot hot-plug a video device"
t "live: ...and the NIC is not tried" sh -c "! grep -q 'did not hot-plug' '$TMP/err'"
run --connect "$URI" -c 'mode live; delete 05:00.0; save' q2
t "live: a device deleted from the guest is refused: save does not unplug" \
    err_has "is no longer in the document: save hot-plugs, it does not unplug"
run --connect "$URI" -c 'mode live; save' q2
t "live: nothing added, nothing plugged" err_has "nothing to hot-plug: the running guest q2 has every device"
run --connect "$URI" -c 'mode live; mode offline; tree --ascii' q2
t "live: mode offline takes the definition again" err_has "mode offline: the document is the definition of q2 again"
run --connect "$URI" -c 'add virtio-net; mode live' q2
t "live: refused with unsaved edits of the definition" err_has "mode live: the document has unsaved changes of the definition"
run -c 'save --monitor' "$top_srcdir/core/example-q35.xml"
t "save --monitor is only for a domain from libvirt in mode live" err_has "save: --monitor hot-plugs a group into a running guest"
run --live "$top_srcdir/core/example-q35.xml"
t "--live without libvirt's domain: exit 2" expect_rc 2
t "--live without a domain says what it is for" err_has "--live is for a running domain from libvirt"

run -c reload "$top_srcdir/core/example-q35.xml"
t "reload of a file: not from libvirt" err_has "did not come from libvirt"
# report over connections: a row per domain, a host that cannot be
# reached is a row that says so, and the rest is still reported
run --connect "$URI" --connect bogus:///nowhere report
t "report over two connections: exit 1 (a row is an error)" expect_rc 1
t "report: a HOST column" out_has "HOST"
t "report: the domain of the test driver, with its spare count" \
    sh -c "grep -E '^test://[^ ]* +q1 +running +pc-q35-7.2 +1 +0 +0 +0 +0\$' '$TMP/out'"
t "report: the host that cannot be reached is a row" \
    sh -c "grep -E '^bogus:///nowhere +bogus:///nowhere +- +error: cannot connect to bogus:///nowhere' '$TMP/out'"
t "report: and the summary says one could not be read" err_has "domains with problems, 1 that could not be read"
run --connect "$URI" report --json
t "report --json over a connection: exit 0" expect_rc 0
t "report --json: the host of each row" out_has "\"host\":\"$URI\",\"name\":\"q1\",\"state\":\"running\""
t "report --json: its spare count, as spare gives it" out_has "\"spare\":{\"pcie\":1,\"pci\":0}"
run --connect "$URI" report q1
t "report with --connect takes no files: exit 2" expect_rc 2
t "report with --connect: says what it covers" err_has "report covers every domain of the connection"
run --connect "$URI" --connect "$URI" -c tree q1
t "two --connect are for report: exit 2" expect_rc 2
t "two --connect: says they are for report" err_has "several connections are for report"
run --help
t "--help describes --connect" out_has "-C, --connect=URI"
t "--help describes --domain" out_has "--domain=NAME"
tap_done
