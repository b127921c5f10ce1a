#!/usr/bin/env python3
"""handedit.py IN WHAT WHERE: IN with the PCI address of WHAT changed to
WHERE by hand, as a person would edit the file (nothing else changes): the
document libvirt is asked about, to compare with what `relocate WHAT WHERE`
gives.  WHAT is an alias, a guest address BB:SS.F, or a slot BB:SS (every
device in it moves, keeping its function; function 0 keeps
multifunction='on').  WHERE is BB:SS.F or BB:SS (function 0)."""
import re
import sys

ADDR = re.compile(r"<address type='pci' domain='0x0000' bus='0x([0-9a-f]+)' slot='0x([0-9a-f]+)'"
                  r" function='0x([0-9a-f])'( multifunction='on')?/>")


def written(bus, slot, fn, mf=False):
    return ("<address type='pci' domain='0x0000' bus='0x%02x' slot='0x%02x' function='0x%x'%s/>"
            % (bus, slot, fn, " multifunction='on'" if mf else ""))


def main():
    src, what, where = sys.argv[1:4]
    text = open(src).read()
    m = re.fullmatch(r"([0-9a-f]{2}):([0-9a-f]{2})(?:\.([0-7]))?", where)
    bus, slot, fn = int(m.group(1), 16), int(m.group(2), 16), int(m.group(3) or "0", 16)
    slot_only = re.fullmatch(r"([0-9a-f]{2}):([0-9a-f]{2})", what)
    bdf = re.fullmatch(r"([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])", what)
    if slot_only:
        wb, ws = int(slot_only.group(1), 16), int(slot_only.group(2), 16)

        def group_member(a):
            if (int(a.group(1), 16), int(a.group(2), 16)) != (wb, ws):
                return a.group(0)
            f = int(a.group(3), 16)
            return written(bus, slot, f, f == 0)
        text, n = ADDR.subn(group_member, text)
    elif bdf:
        want = tuple(int(x, 16) for x in bdf.groups())
        found = [a for a in ADDR.finditer(text) if tuple(int(x, 16) for x in a.groups()[:3]) == want]
        if found:
            a = found[0]
            text = text[:a.start()] + written(bus, slot, fn) + text[a.end():]
        n = len(found)
    else:
        i = text.index("<alias name='%s'/>" % what)
        start = text.rindex("\n", 0, i)
        a = ADDR.search(text, start)
        text = text[:a.start()] + written(bus, slot, fn) + text[a.end():]
        n = 1
    if n == 0:
        sys.exit("handedit.py: %s names no device of %s" % (what, src))
    sys.stdout.write(text)


main()
