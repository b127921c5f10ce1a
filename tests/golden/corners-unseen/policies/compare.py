#!/usr/bin/env python3
"""compare.py PCITOPO_OUT ORACLE_OUT: every PCI address pcitopo wrote must be kept, no controller added."""
import sys, xml.etree.ElementTree as ET
def load(f):
    d = ET.parse(f).getroot()
    addrs, ctrls = [], []
    for dv in d.find('devices'):
        if dv.tag == 'controller':
            ctrls.append((dv.get('type'), int(dv.get('index').strip() or 0) if dv.get('index') else None, dv.get('model')))
        a = dv.find('address')
        if a is not None and a.get('type') == 'pci':
            addrs.append((dv.tag, dv.get('type') or '', dv.get('index') or '', '%02x:%02x.%x' % (int(a.get('bus'), 0), int(a.get('slot'), 0), int(a.get('function'), 0))))
    return sorted(addrs), sorted(ctrls, key=str)
pa, pc = load(sys.argv[1]); la, lc = load(sys.argv[2])
bad = False
if pa != la:
    bad = True
    print("addresses differ:", sorted(set(pa) ^ set(la))[:8])
extra = [c for c in lc if c not in pc]
if extra:
    bad = True
    print("libvirt added controllers:", extra[:8])
sys.exit(1 if bad else 0)
