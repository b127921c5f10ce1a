#!/usr/bin/python3
"""Compact one-line-per-device view of corners results (used to write IMPLICIT.md)."""
import sys, xml.etree.ElementTree as ET

def addr(e):
    a = e.find('address')
    if a is None:
        return '-'
    t = a.get('type')
    if t == 'pci':
        s = '%02x:%02x.%x' % (int(a.get('bus'), 16), int(a.get('slot'), 16), int(a.get('function'), 16))
        return s + ('+mf' if a.get('multifunction') == 'on' else '')
    return t + '(' + ','.join('%s=%s' % (k, v) for k, v in a.attrib.items() if k != 'type') + ')'

def desc(e):
    tag = e.tag
    if tag == 'controller':
        m = e.get('model')
        s = 'ctl %s[%s]%s' % (e.get('type'), e.get('index'), (' ' + m) if m else '')
        if e.get('ports'): s += ' ports=' + e.get('ports')
        if e.get('type') == 'pci' and m in ('pcie-root-port',):
            return None  # too noisy; counted separately
        ms = e.find('master')
        if ms is not None: s += ' master=' + ms.get('startport')
        return s
    if tag == 'video':
        m = e.find('model')
        return 'video ' + ' '.join('%s=%s' % kv for kv in m.attrib.items())
    if tag == 'interface':
        m = e.find('model')
        return 'nic %s model=%s' % (e.get('type'), m.get('type') if m is not None else None)
    if tag == 'disk':
        t = e.find('target')
        return 'disk %s %s' % (t.get('dev'), t.get('bus'))
    if tag in ('hostdev',):
        return 'hostdev ' + e.get('type')
    if tag in ('channel', 'console', 'serial'):
        t = e.find('target')
        return '%s %s' % (tag, ' '.join('%s=%s' % kv for kv in (t.attrib.items() if t is not None else [])))
    if tag in ('input',):
        return 'input %s bus=%s' % (e.get('type'), e.get('bus'))
    if tag in ('emulator', 'graphics'):
        return None if tag == 'emulator' else 'graphics ' + e.get('type')
    if tag == 'audio':
        return 'audio ' + ' '.join('%s=%s' % kv for kv in e.attrib.items())
    return tag + ' ' + ' '.join('%s=%s' % kv for kv in e.attrib.items())

for f in sys.argv[1:]:
    print('==', f.split('/')[-1])
    root = ET.parse(f).getroot()
    nrp = []
    for devs in root.findall('devices'):
        for e in devs:
            if e.tag == 'controller' and e.get('model') == 'pcie-root-port':
                nrp.append('%s@%s' % (e.get('index'), addr(e)))
                continue
            d = desc(e)
            if d: print('  ', d, '@', addr(e))
    if nrp: print('   root-ports:', ' '.join(nrp))
