#!/usr/bin/env python3
"""Prints the README's table of the lint cases: `table.py PCITOPO DIR`.

For each case: what it tries (the comment on the input's second line),
what pcitopo's check says (its lint codes, from `PCITOPO --json check`),
and what the boot shows (verdict.py's codes, and how the firmware ended
or QEMU's refusal).
"""
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import verdict  # noqa: E402


def tries(path):
    with open(path) as f:
        f.readline()
        m = re.match(r"<!-- (.*) -->", f.readline().strip())
    return m.group(1) if m else ""


def check_codes(pcitopo, path):
    out = subprocess.run([pcitopo, "--json", "check", path], capture_output=True, text=True).stdout
    doc = json.loads(out.splitlines()[0])
    return sorted({p["code"] for p in doc["problems"] if p.get("code")})


def boot(stem):
    if os.path.exists(stem + ".start.txt"):
        text = verdict.read(stem + ".start.txt")
        last = [l for l in text.splitlines() if "qemu-system" in l]
        why = last[-1].rsplit("}: ", 1)[-1].split("qemu-system-x86_64: ")[-1] if last else "?"
        return "QEMU refuses to start: %s" % why.strip()
    fw = verdict.firmware(stem + ".firmware.txt")
    pci = verdict.read(stem + ".qemu-pci.txt")
    io = re.findall(r"I/O at (0x[0-9a-f]+)", pci)
    unassigned = sum(a == "0xffffffffffffffff" for a in io)
    words = {"finished": "boots", "loops": "SeaBIOS loops: never boots",
             "stopped": "SeaBIOS stops: never boots"}.get(fw, "?")
    if io:
        words += "; %d of %d I/O BARs assigned" % (len(io) - unassigned, len(io))
    return words


def main():
    pcitopo, d = sys.argv[1], sys.argv[2]
    print("| case | what it tries | check says | the boot shows | boot's codes |")
    print("|---|---|---|---|---|")
    for path in sorted(glob.glob(os.path.join(d, "[0-9]*.xml"))):
        if path.endswith(".placed.xml"):
            continue
        stem = path[:-4]
        v = verdict.verdict(stem)
        print("| %s | %s | %s | %s | %s |" % (
            os.path.basename(stem), tries(path), ", ".join(check_codes(pcitopo, path)) or "no warning",
            boot(stem), "skip" if v is None else ", ".join(sorted(v)) or "-"))


if __name__ == "__main__":
    main()
