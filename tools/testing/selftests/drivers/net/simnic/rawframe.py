#!/usr/bin/python3 -SI
# SPDX-License-Identifier: GPL-2.0
"""Marked raw Ethernet frames for the simnic selftests, sent and looked for in one
process (starting a process costs seconds on the debug kernel under TCG).

  rawframe.py probe RXNS RXIF TXNS TXIF FRAME... [end]

Listens on RXIF in network namespace RXNS ("-": this one), sends each FRAME from TXIF
in TXNS, and prints the marker of every marked frame RXIF receives, followed by
MARKER@VID.PCP for a tagged one. A FRAME is DST/SRC/MARKER or DST/SRC/MARKER/VID
(802.1Q-tagged). The last FRAME should have the marker "end": the probe stops when it
arrives, or after 10 seconds. Frames are sent in order from one socket, so once "end"
is in, a frame sent before it that was going to arrive has.

RXNS and RXIF may be comma-separated lists of the same length: each listener's lines
are then prefixed with its place in the list (0:MARKER), and the probe stops once
"end" has reached every listener.
"""
import ctypes
import os
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_TEST = 0x88B5		# IEEE local experimental
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 1 << 4
CLONE_NEWNET = 0x40000000
MAGIC = b"simnic-frame:"
WAIT = 10.0

libc = ctypes.CDLL(None, use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET):
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), path)
    finally:
        os.close(fd)


def packet_socket(ns, iface, proto):
    """An AF_PACKET socket on iface in namespace ns, made there and kept here"""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    try:
        if ns != "-":
            setns("/run/netns/" + ns)
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto))
        s.bind((iface, proto))
    finally:
        libc.setns(home, CLONE_NEWNET)
        os.close(home)
    return s


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def frame(spec):
    dst, src, marker, *vid = spec.split("/")
    hdr = mac(dst) + mac(src)
    if vid:
        hdr += struct.pack("!HH", 0x8100, int(vid[0]))
    data = hdr + struct.pack("!H", ETH_P_TEST) + MAGIC + marker.encode() + b";"
    return data + bytes(max(0, 60 - len(data)))


def received(data, cmsgs):
    """The lines to print for a received frame, or none if it is not ours"""
    at = data.find(MAGIC)
    if at < 0:
        return []
    marker = data[at + len(MAGIC):].split(b";")[0].decode(errors="replace")
    tci = None
    for level, kind, aux in cmsgs:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(aux) >= 20:
            status, = struct.unpack_from("I", aux, 0)
            if status & TP_STATUS_VLAN_VALID:
                tci, = struct.unpack_from("H", aux, 16)
    if tci is None and data[12:14] == b"\x81\x00":
        tci, = struct.unpack_from("!H", data, 14)
    if tci is None:
        return [marker]
    return [marker, "%s@%d.%d" % (marker, tci & 0xFFF, tci >> 13)]


def probe(rxns, rxif, txns, txif, frames):
    nss, ifs = rxns.split(","), rxif.split(",")
    if len(nss) != len(ifs):
        sys.exit("rawframe.py: %d namespaces for %d listeners" % (len(nss), len(ifs)))
    rxs = []
    for ns, iface in zip(nss, ifs):
        rx = packet_socket(ns, iface, ETH_P_ALL)
        rx.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        rxs.append(rx)
    prefix = len(rxs) > 1
    tx = packet_socket(txns, txif, 0)
    for spec in frames:
        tx.send(frame(spec))
    waiting = set(rxs)
    end = time.monotonic() + WAIT
    while waiting:
        left = end - time.monotonic()
        ready = select.select(list(waiting), [], [], left)[0] if left > 0 else []
        if not ready:
            print("timeout", flush=True)
            return
        for rx in ready:
            data, cmsgs, _, addr = rx.recvmsg(65535, socket.CMSG_SPACE(20))
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            lines = received(data, cmsgs)
            for line in lines:
                print("%d:%s" % (rxs.index(rx), line) if prefix else line, flush=True)
            if lines and lines[0] == "end":
                waiting.discard(rx)


def main():
    if len(sys.argv) < 7 or sys.argv[1] != "probe":
        sys.exit(__doc__)
    probe(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:])


if __name__ == "__main__":
    main()
