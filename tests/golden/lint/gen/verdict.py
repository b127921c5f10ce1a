#!/usr/bin/env python3
"""What a booted case shows, as the lint codes pcitopo's check must give it.

    verdict.py STEM...      prints "STEM CODE,CODE..." ("-" for none, "skip"
                            when the boot says nothing about the lint rules)

Read from the files gen.sh keeps (tests/golden/guest's and lint's alike):
  NN.err.txt         libvirt refused: skip
  NN.start.txt       QEMU refused to start: acpi_index_range or
                     acpi_index_duplicate by QEMU's words, else skip
  NN.qemu-pci.txt    a bridge whose secondary bus is an expander's busNr
  NN.placed.xml      (the placed busNr): bus_number_clash
  NN.firmware.txt    SeaBIOS never finished and never halted (it loops):
                     bus_numbers_run_out (a bridge needed number 256, and
                     the walk starts over); SeaBIOS halted in its 32-bit code
                     (a panic) and no I/O BAR has an address:
                     io_space_exhausted
"""
import os
import re
import sys
import xml.etree.ElementTree as ET


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def busnrs(placed):
    root = ET.parse(placed).getroot()
    out = set()
    for c in root.iter("controller"):
        if c.get("type") == "pci" and c.get("model") in ("pci-expander-bus", "pcie-expander-bus"):
            t = c.find("target")
            if t is not None and t.get("busNr") is not None:
                out.add(int(t.get("busNr"), 0))
    return out


def firmware(path):
    """'finished' (back in real mode, to boot), 'stopped' (halted in the
    firmware's 32-bit code: a panic) or 'loops' (neither)."""
    if not os.path.exists(path):
        return None
    counts = dict(line.split() for line in read(path).splitlines() if line.strip())
    if int(counts.get("real-mode", 0)) > 0:
        return "finished"
    return "stopped" if int(counts.get("halted", 0)) > 0 else "loops"


def verdict(stem):
    if os.path.exists(stem + ".err.txt"):
        return None
    if os.path.exists(stem + ".start.txt"):
        text = read(stem + ".start.txt")
        if "acpi-index should be less or equal" in text:
            return {"acpi_index_range"}
        if re.search(r"acpi-index = \d+ already exist", text):
            return {"acpi_index_duplicate"}
        return None
    pci = read(stem + ".qemu-pci.txt")
    secondary = [int(n) for n in re.findall(r"secondary bus (\d+)\.", pci)]
    fw = firmware(stem + ".firmware.txt")
    codes = set()
    if fw == "loops":
        codes.add("bus_numbers_run_out")
    if set(secondary) & busnrs(stem + ".placed.xml"):
        codes.add("bus_number_clash")
    io_bars = re.findall(r"I/O at (0x[0-9a-f]+)", pci)
    if fw == "stopped" and io_bars and all(a == "0xffffffffffffffff" for a in io_bars):
        codes.add("io_space_exhausted")
    return codes


def main():
    for stem in sys.argv[1:]:
        v = verdict(stem)
        print(stem, "skip" if v is None else ",".join(sorted(v)) or "-")


if __name__ == "__main__":
    main()
