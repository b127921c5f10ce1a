#!/usr/bin/env python3
"""Writes the probe set of the guest-numbering goldens: six hand-made
shapes the other sets lack (a PCI bridge chain behind a pcie-to-pci-bridge
behind a switch on a pxb-pcie, a q35 domain with no address at all, a
pci-bridge in function 1 beside a NIC, a dmi-to-pci-bridge chain, two
pxb-pcie with a switch, two pxbs with bridges).  Written and booted after
the rules were settled, as a further held-out check.

    probe.py DIR
"""
import os
import sys
mac=[0]
def hdr(name, machine, numa=False):
    s=f"""<domain type='kvm'>
  <name>{name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='{machine}'>hvm</type></os>
  <features><acpi/><apic/></features>
"""
    if numa:
        s+="  <cpu><numa><cell id='0' cpus='0' memory='256' unit='MiB'/></numa></cpu>\n"
    return s+"  <devices>\n    <controller type='usb' index='0' model='none'/>\n    <memballoon model='none'/>\n"
def addr(a):
    if a is None: return ""
    b,sl,f=a[:3]; mf=" multifunction='on'" if len(a)>3 and a[3] else ""
    return f"<address type='pci' domain='0x0000' bus='0x{b:02x}' slot='0x{sl:02x}' function='0x{f:x}'{mf}/>"
def ctrl(i, model, a, busnr=None, node=False):
    t=""
    if busnr is not None: t=f"<target busNr='{busnr}'>{'<node>0</node>' if node else ''}</target>"
    return f"    <controller type='pci' index='{i}' model='{model}'><alias name='ua-pci{i}'/>{t}{addr(a)}</controller>\n"
def nic(name, a, model='virtio'):
    mac[0]+=1
    return f"    <interface type='user'><mac address='52:54:00:9e:00:{mac[0]:02x}'/><model type='{model}'/><alias name='ua-{name}'/>{addr(a)}</interface>\n"
def sata(): return "    <controller type='sata' index='0'><alias name='ua-sata0'/><address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/></controller>\n"
END="  </devices>\n</domain>\n"
cases={}
# P1: pxb-pcie busNr 40: root port -> switch -> downstream -> pcie-to-pci -> pci-bridge -> e1000
s=hdr("probe-1","pc-q35-7.2",True)+sata()+"    <controller type='pci' index='0' model='pcie-root'/>\n"
s+=ctrl(1,"pcie-expander-bus",(0,4,0),40,True)
s+=ctrl(2,"pcie-root-port",(1,0,0))
s+=ctrl(3,"pcie-switch-upstream-port",(2,0,0))
s+=ctrl(4,"pcie-switch-downstream-port",(3,0,0))
s+=ctrl(5,"pcie-switch-downstream-port",(3,1,0))
s+=ctrl(6,"pcie-to-pci-bridge",(4,0,0))
s+=ctrl(7,"pci-bridge",(6,1,0))
s+=ctrl(8,"pcie-root-port",(0,3,0))
s+=ctrl(9,"pcie-root-port",(0,5,0))
s+=nic("n1",(7,2,0),'e1000')+nic("n2",(5,0,0))+nic("n3",(8,0,0))+nic("n4",(9,0,0))+nic("n5",(6,3,0),'rtl8139')
cases["P1-q35-pxb-switch-p2p-bridge"]=s+END
# P2: q35, nothing addressed: libvirt places; a dmi-to-pci-bridge and legacy NICs
s=hdr("probe-2","pc-q35-7.2")+"    <controller type='pci' index='0' model='pcie-root'/>\n"
s+="    <controller type='sata' index='0'><alias name='ua-sata0'/></controller>\n"
s+="    <controller type='pci' index='1' model='dmi-to-pci-bridge'><alias name='ua-pci1'/></controller>\n"
s+=nic("n1",None)+nic("n2",None,'e1000')+nic("n3",None)+nic("n4",None,'rtl8139')+nic("n5",None,'e1000e')
cases["P2-q35-unaddressed"]=s+END
# P3: pc: pxb busNr 30 with nested bridges; bus 0 slot 3: NIC fn0 + bridge fn1
s=hdr("probe-3","pc-i440fx-7.2",True)+"    <controller type='pci' index='0' model='pci-root'/>\n"
s+=ctrl(1,"pci-expander-bus",(0,5,0),30,True)
s+=ctrl(2,"pci-bridge",(1,1,0))
s+=ctrl(3,"pci-bridge",(2,2,0))
s+=ctrl(4,"pci-bridge",(0,3,1))
s+=ctrl(5,"pci-bridge",(0,9,0))
s+=nic("n1",(0,3,0,True),'e1000')+nic("n2",(3,1,0),'e1000')+nic("n3",(4,1,0),'rtl8139')+nic("n4",(5,4,0))+nic("n5",(1,3,0))
cases["P3-pc-pxb-nested-mf-bridge"]=s+END
# P4: q35: dmi-to-pci at 1e, pci-bridge chain; root ports; pcie-to-pci on a root port
s=hdr("probe-4","pc-q35-7.2")+sata()+"    <controller type='pci' index='0' model='pcie-root'/>\n"
s+=ctrl(1,"dmi-to-pci-bridge",(0,0x1e,0))
s+=ctrl(2,"pci-bridge",(1,1,0))
s+=ctrl(3,"pci-bridge",(2,1,0))
s+=ctrl(4,"pci-bridge",(3,2,0))
s+=ctrl(5,"pcie-root-port",(0,2,0,True))
s+=ctrl(6,"pcie-root-port",(0,2,1))
s+=ctrl(7,"pcie-to-pci-bridge",(6,0,0))
s+=ctrl(8,"pcie-root-port",(0,2,2))
s+=nic("n1",(4,5,0),'e1000')+nic("n2",(3,5,0),'e1000')+nic("n3",(5,0,0))+nic("n4",(7,1,0),'e1000')+nic("n5",(8,0,0))+nic("n6",(2,7,0),'rtl8139')
cases["P4-q35-dmi-chain-p2p"]=s+END
# P5: q35: two pxb-pcie, busNr 100 (lower index) and 50, ports and a switch
s=hdr("probe-5","pc-q35-7.2",True)+sata()+"    <controller type='pci' index='0' model='pcie-root'/>\n"
s+=ctrl(1,"pcie-expander-bus",(0,6,0),100,True)
s+=ctrl(2,"pcie-expander-bus",(0,3,0),50,True)
s+=ctrl(3,"pcie-root-port",(1,0,0))
s+=ctrl(4,"pcie-root-port",(1,1,0))
s+=ctrl(5,"pcie-root-port",(2,0,0))
s+=ctrl(6,"pcie-switch-upstream-port",(5,0,0))
s+=ctrl(7,"pcie-switch-downstream-port",(6,0,0))
s+=ctrl(8,"pcie-root-port",(0,2,0))
s+=nic("n1",(3,0,0))+nic("n2",(4,0,0))+nic("n3",(7,0,0))+nic("n4",(8,0,0))
cases["P5-q35-two-pxb-pcie-switch"]=s+END
# P6: pc: two pxbs busNr 200 and 100, bridges, NICs
s=hdr("probe-6","pc-i440fx-7.2",True)+"    <controller type='pci' index='0' model='pci-root'/>\n"
s+=ctrl(1,"pci-expander-bus",(0,4,0),200,True)
s+=ctrl(2,"pci-expander-bus",(0,6,0),100,True)
s+=ctrl(3,"pci-bridge",(0,10,0))
s+=ctrl(4,"pci-bridge",(2,1,0))
s+=ctrl(5,"pci-bridge",(1,2,0))
s+=nic("n1",(1,3,0),'e1000')+nic("n2",(4,3,0),'e1000')+nic("n3",(5,3,0))+nic("n4",(3,3,0),'rtl8139')+nic("n5",(0,5,0))
cases["P6-pc-two-pxb-bridges"]=s+END
if len(sys.argv) != 2:
    sys.exit(__doc__)
os.makedirs(sys.argv[1], exist_ok=True)
for k, v in cases.items():
    with open(os.path.join(sys.argv[1], k + ".xml"), "w") as f:
        f.write(v)
