#!/usr/bin/env python3
"""Prints the case table of README.md for one set.

    table.py DIR

Per case: what it is about (the input's second line), how many functions
QEMU lists with an id (the aliases; q35's SATA and pc's IDE, built into
the machine, have none), and whether SeaBIOS finished; or libvirt's
refusal, or why the guest did not start.
"""
import glob
import os
import re
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    print("| case | what it tries | functions with an id | firmware |")
    print("|---|---|---|---|")
    for xml in sorted(glob.glob(os.path.join(d, "[0-9][0-9]-*.xml"))):
        if xml.endswith(".placed.xml"):
            continue
        stem = xml[:-4]
        name = os.path.basename(stem)
        with open(xml) as f:
            f.readline()
            m = re.match(r"<!-- (.*) -->", f.readline())
        what = m.group(1) if m else ""
        if os.path.exists(stem + ".err.txt"):
            last = open(stem + ".err.txt").read().strip().splitlines()[-1]
            print("| %s | %s | libvirt refuses: %s | |" % (name, what, last.replace("|", "\\|")))
            continue
        if os.path.exists(stem + ".start.txt"):
            last = open(stem + ".start.txt").read().strip().splitlines()[-1]
            m = re.search(r": ([^:]*)$", last)
            print("| %s | %s | QEMU refuses to start: %s | |" % (name, what, m.group(1) if m else last))
            continue
        pci = open(stem + ".qemu-pci.txt").read()
        ids = [i for i in re.findall(r'id "([^"]*)"', pci) if i]
        fw = ""
        if os.path.exists(stem + ".firmware.txt"):
            c = dict(l.split() for l in open(stem + ".firmware.txt") if l.strip())
            fw = "never finishes" if c.get("real-mode") == "0" and c.get("halted") == "0" else "finishes"
        print("| %s | %s | %d | %s |" % (name, what, len(set(ids)), fw))


if __name__ == "__main__":
    main()
