#!/usr/bin/env bash
# virtinst3.sh -- write place3/151..170-virtinst-*.in.xml: domains as `virt-install --print-xml
# --dry-run` (virt-install 4.1, qemu:///system of the oracle) builds them, with graphics, video,
# USB, disk-bus, NIC and console options varied.  MAC addresses are fixed afterwards so the files
# are stable; run3.sh then asks the oracle as for the generated ones.
set -euo pipefail
DIR=$(cd "$(dirname "$0")/../place3" && pwd)
URI=${URI:-qemu:///system}
n=150
mk() {   # mk NAME OPTIONS...
    local name=$1; shift
    n=$((n + 1))
    local f="$DIR/$(printf %03d $n)-virtinst-$name.in.xml"
    virt-install --connect "$URI" --print-xml --dry-run --name "vi3-$n" --memory 1024 --vcpus 2 \
        --osinfo detect=on,require=off --import --noautoconsole "$@" >"$f.tmp"
    { a="$*"; echo "<!-- corners-unseen round 3: virt-install (print-xml, dry-run) ${a//--/} -->"
      awk -v n="$n" '/<mac address=/ { c++; sub(/address="[^"]*"/, sprintf("address=\"52:54:00:3%d:%02x:%02x\"", 0, n, c)) } { print }' "$f.tmp"
    } >"$f"
    rm -f "$f.tmp"
}
img() { echo "path=/tmp/h9vi/$1.img${2:+,$2}"; }
mk pc-vnc-default          --machine pc --disk "$(img a)" --graphics vnc
mk q35-vnc-default         --machine q35 --disk "$(img a)" --graphics vnc
mk pc-spice-qxl            --machine pc --disk "$(img a)" --graphics spice --video qxl --channel spicevmc
mk q35-spice-virtio        --machine q35 --disk "$(img a)" --graphics spice --video virtio --channel spicevmc --sound ich9
mk pc-none-graphics        --machine pc --disk "$(img a)" --graphics none --console pty,target_type=serial
mk q35-none-graphics       --machine q35 --disk "$(img a)" --graphics none --console pty,target_type=virtio
mk pc-vnc-video-none       --machine pc --disk "$(img a)" --graphics vnc --video none
mk q35-vnc-cirrus          --machine q35 --disk "$(img a)" --graphics vnc --video cirrus
mk pc-usb3                 --machine pc --disk "$(img a)" --graphics vnc --controller usb3 --input tablet
mk q35-usb2                --machine q35 --disk "$(img a)" --graphics vnc --controller usb2
mk pc-usb-none             --machine pc --disk "$(img a)" --graphics vnc --controller usb,model=none --input tablet,bus=virtio
mk q35-usb-none            --machine q35 --disk "$(img a)" --graphics none --controller usb,model=none
mk q35-usb-xhci-idx1       --machine q35 --disk "$(img a)" --graphics vnc --controller usb,model=qemu-xhci,index=1
mk pc-sata-scsi            --machine pc --disk "$(img a),bus=sata" --disk "$(img b),bus=scsi" --disk "$(img c),bus=scsi" --graphics vnc --video vga
mk q35-scsi-virtio-scsi    --machine q35 --controller scsi,model=virtio-scsi --disk "$(img a),bus=scsi" --disk "$(img b),bus=scsi" --graphics vnc --video bochs
mk q35-nics                --machine q35 --disk "$(img a)" --network network=default,model=e1000e --network network=default,model=rtl8139 --network network=default,model=virtio --graphics vnc
mk pc-nics-ide             --machine pc --disk "$(img a),bus=ide" --disk device=cdrom,bus=ide --network network=default,model=e1000 --network bridge=br0 --graphics sdl --video vga
mk q35-egl-virtio          --machine q35 --disk "$(img a)" --graphics egl-headless --graphics vnc --video virtio --rng /dev/urandom --watchdog i6300esb
mk pc-spice-multi-video    --machine pc --disk "$(img a)" --graphics spice --video qxl --video qxl --channel spicevmc --redirdev usb,type=spicevmc --redirdev usb,type=spicevmc
mk q35-many                --machine q35 --disk "$(img a)" --disk "$(img b),bus=sata" --filesystem /srv,share --network network=default --network network=default --graphics vnc --video vga --sound ac97 --channel unix,target_type=virtio,name=org.qemu.guest_agent.0 --tpm none --memballoon virtio
echo "wrote $((n - 150)) virt-install domains to $DIR"
