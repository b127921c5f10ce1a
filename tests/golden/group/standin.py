#!/usr/bin/env python3
"""standin.py GROUPED.xml: the domain with every PCI host device (hostdev
type='pci', interface type='hostdev') replaced by an emulated virtio NIC at
the same guest address, so a guest without those host devices starts with
the same slots and functions.  Prints the result."""
import sys
import xml.etree.ElementTree as ET

tree = ET.parse(sys.argv[1])
devices = tree.getroot().find("devices")
for i, el in enumerate(list(devices)):
    host = (el.tag == "hostdev" and el.get("type") == "pci") or \
        (el.tag == "interface" and el.get("type") == "hostdev")
    if not host:
        continue
    nic = ET.Element("interface", type="user")
    ET.SubElement(nic, "model", type="virtio")
    alias = el.find("alias")
    if alias is not None:
        nic.append(alias)
    addr = el.find("address")
    if addr is not None:
        nic.append(addr)
    devices.remove(el)
    devices.insert(i, nic)
tree.write(sys.stdout, encoding="unicode")
print()
