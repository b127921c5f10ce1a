#!/usr/bin/env bash
# table.sh -- rewrite the case table between the BEGIN/END CASE TABLE markers of
# tests/golden/corners/REFUSALS.md from the stored files of cases 100-299.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
python3 - "$HERE" <<'PY'
import os, re, sys, glob
import xml.etree.ElementTree as ET
here = sys.argv[1]; place = os.path.join(here, "place"); md = os.path.join(here, "REFUSALS.md")

def ranges(nums):
    out = []; nums = sorted(nums)
    for n in nums:
        if out and out[-1][1] == n - 1: out[-1][1] = n
        else: out.append([n, n])
    return ",".join(str(a) if a == b else "%d-%d" % (a, b) for a, b in out)

def summary(path):
    root = ET.parse(path).getroot(); devs = root.find("devices"); parts = []
    pci = {}
    for c in devs.findall("controller[@type='pci']"):
        pci.setdefault(c.get("model"), []).append(int(c.get("index")))
    parts.append("pci " + "; ".join("%s %s" % (m, ranges(v)) for m, v in pci.items()))
    tgts, ctls, items = [], [], []
    for c in devs.findall("controller"):
        t = c.get("type")
        if t == "pci":
            tg = c.find("target")
            if tg is not None and tg.attrib:
                tgts.append("ctl%s target %s" % (c.get("index"), " ".join("%s=%s" % kv for kv in tg.attrib.items())))
            if tg is not None and tg.find("node") is not None:
                ctls.append("ctl%s node %s" % (c.get("index"), tg.find("node").text))
        elif t != "usb" or c.get("model") != "none":
            ctls.append("%s%s%s" % (t, c.get("index"), ("(" + c.get("model") + ")") if c.get("model") else ""))
    for d in devs:
        if d.tag in ("controller", "emulator", "input", "audio", "memballoon"): continue
        a = d.find("address")
        s = d.tag
        if a is not None and a.get("type") == "pci":
            s += "@%02x:%02x.%x" % (int(a.get("bus"), 16), int(a.get("slot"), 16), int(a.get("function"), 16))
        elif a is not None and a.get("type") == "drive":
            s += "@drive c%s b%s u%s" % (a.get("controller"), a.get("bus"), a.get("unit"))
        elif a is not None and a.get("type") == "virtio-serial":
            s += "@vser c%s p%s" % (a.get("controller"), a.get("port"))
        src = d.find("source/address")
        if src is not None and src.get("slot"):
            s += " host %s:%s:%s.%s" % (src.get("domain"), src.get("bus"), src.get("slot"), src.get("function"))
        items.append(s)
    extra = items + ctls + tgts
    cells = root.findall("cpu/numa/cell")
    if cells: extra.append("numa ids " + ",".join(c.get("id") for c in cells))
    head = "defined: " + parts[0]
    kept = []
    for e in extra:
        if len(head) + len(", ".join(kept + [e])) > 300: break
        kept.append(e)
    text = head + (" | " + ", ".join(kept) if kept else "")
    if len(kept) < len(extra): text += ", ... (%d more)" % (len(extra) - len(kept))
    return text

rows = []
for f in sorted(glob.glob(os.path.join(place, "[12][0-9][0-9]-*.in.xml"))):
    stem = f[:-len(".in.xml")]; base = os.path.basename(stem)
    num, mach, name = base.split("-", 2)
    first = open(f).readline()
    m = re.search(r"about=(.*?); expect=", first); about = m.group(1) if m else ""
    if os.path.exists(stem + ".err.txt"):
        lines = [l for l in open(stem + ".err.txt").read().splitlines() if l.strip()]
        res = "REFUSED: " + (lines[-1][len("error: "):] if lines and lines[-1].startswith("error: ") else (lines[-1] if lines else "?"))
    elif os.path.exists(stem + ".out.xml"):
        res = summary(stem + ".out.xml")
    else:
        res = "(not run)"
    res = res.replace("|", "\\|")
    about = about.replace("|", "\\|")
    rows.append("| %s | %s | %s | %s | %s |" % (num, name, mach, about, res))
table = "| # | name | machine | input | libvirt 9.0 result |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
text = open(md).read() if os.path.exists(md) else "<!-- BEGIN CASE TABLE -->\n<!-- END CASE TABLE -->\n"
b, e = "<!-- BEGIN CASE TABLE -->\n", "<!-- END CASE TABLE -->"
i, j = text.index(b) + len(b), text.index(e)
open(md, "w").write(text[:i] + table + text[j:])
PY
