#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""udp_blast.py ADDR SECONDS [GAP_MS [SNDBUF]]

Send 1400-byte UDP datagrams to ADDR (IPv4 or IPv6) port 9, as fast as one process
can, for SECONDS, and print "DATAGRAMS MILLISECONDS IDLE": how many were sent, for how
long, and for how many of those milliseconds nothing was offered beyond GAP_MS
(default 0) in a row (the sum, over the pauses between two sends, of what each pause
lasted past GAP_MS). A send refused by a full queue (ENOBUFS) is not counted; one that
blocks on the socket's send buffer is a pause like any other. SNDBUF sets the send
buffer (SO_SNDBUF, which the kernel doubles): a small one keeps those waits short."""

import socket
import sys
import time


def main():
    if len(sys.argv) not in (3, 4, 5):
        sys.exit(__doc__)
    dst, secs = sys.argv[1], float(sys.argv[2])
    gap = float(sys.argv[3]) / 1000 if len(sys.argv) >= 4 else 0.0
    sndbuf = int(sys.argv[4]) if len(sys.argv) == 5 else 0
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    buf = bytes(1400)
    n, idle = 0, 0.0
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        if sndbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
        t0 = last = time.monotonic()
        while last < t0 + secs:
            try:
                s.sendto(buf, (dst, 9))
                n += 1
            except OSError:
                pass
            now = time.monotonic()
            idle += max(0.0, now - last - gap)
            last = now
    print(n, int((last - t0) * 1000), int(idle * 1000))


if __name__ == "__main__":
    main()
