#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Raw Ethernet frames for the simnic selftests, with a marker in the payload.

  rawframe.py send IFACE DST SRC MARKER [VID]   send one frame (802.1Q tag if VID)
  rawframe.py recv IFACE SECONDS                print each marker seen on IFACE, and
                                                MARKER@VID.PCP after it for a tagged
                                                frame; print "ready" once listening, and
                                                stop at the marker "end" or after SECONDS
"""
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
MAGIC = b"simnic-frame:"


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def send(iface, dst, src, marker, vid=None):
    hdr = mac(dst) + mac(src)
    if vid is not None:
        hdr += struct.pack("!HH", 0x8100, int(vid))
    frame = hdr + struct.pack("!H", ETH_P_TEST) + MAGIC + marker.encode() + b";"
    frame += bytes(max(0, 60 - len(frame)))
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((iface, 0))
        s.send(frame)


def recv(iface, seconds):
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)) as s:
        s.bind((iface, ETH_P_ALL))
        s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        print("ready", flush=True)
        end = time.monotonic() + float(seconds)
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([s], [], [], left)[0]:
                print("timeout", flush=True)
                return
            data, cmsgs, _, addr = s.recvmsg(65535, socket.CMSG_SPACE(20))
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            at = data.find(MAGIC)
            if at < 0:
                continue
            marker = data[at + len(MAGIC):].split(b";")[0].decode(errors="replace")
            print(marker, flush=True)
            tci = None
            for level, kind, aux in cmsgs:
                if level == SOL_PACKET and kind == PACKET_AUXDATA and len(aux) >= 20:
                    status, = struct.unpack_from("I", aux, 0)
                    if status & TP_STATUS_VLAN_VALID:
                        tci, = struct.unpack_from("H", aux, 16)
            if tci is None and data[12:14] == b"\x81\x00":
                tci, = struct.unpack_from("!H", data, 14)
            if tci is not None:
                print("%s@%d.%d" % (marker, tci & 0xFFF, tci >> 13), flush=True)
            if marker == "end":
                return


def main():
    if len(sys.argv) >= 6 and sys.argv[1] == "send":
        send(*sys.argv[2:7])
    elif len(sys.argv) == 4 and sys.argv[1] == "recv":
        recv(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
