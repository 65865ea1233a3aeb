#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""rss_flows.py KEY LUT SRC DST FLOWS PACKETS
rss_flows.py port KEY LUT SRC DST DPORT QUEUE [FROM]

Send PACKETS UDP datagrams on each of FLOWS flows, from SRC (an IPv6 address of this
namespace; source ports 40000 and up) to DST (destination port 9), and print where
RSS puts them: for each rx queue, "QUEUE COUNT", by the Toeplitz hash of KEY (hex)
and the table LUT (queue numbers, comma-separated), as simnic_hw's debugfs vf<N>/rss
shows them.
port: print the first source port from FROM (40000) up of a TCP or UDP flow from SRC
to DST port DPORT (IPv4 or IPv6) that RSS puts on QUEUE, sending nothing.
The hash is computed here, apart from the driver, and checked first against the
verification vector of Microsoft's RSS specification."""

import socket
import sys


def toeplitz(key, data):
    """For each set bit of data, XOR in the 32 bits of key starting there"""
    k = int.from_bytes(key, "big")
    klen = len(key) * 8
    h = 0
    for i in range(len(data) * 8):
        if data[i // 8] & (0x80 >> (i % 8)):
            h ^= (k >> (klen - 32 - i)) & 0xFFFFFFFF
    return h


def tuple_of(src, dst, sport, dport, family):
    return (socket.inet_pton(family, src) + socket.inet_pton(family, dst) +
            sport.to_bytes(2, "big") + dport.to_bytes(2, "big"))


MS_KEY = bytes.fromhex("6d5a56da255b0ec24167253d43a38fb0d0ca2bcb"
                       "ae7b30b477cb2da38030f20c6a42b73bbeac01fa")
if toeplitz(MS_KEY, tuple_of("66.9.149.187", "161.142.100.80", 2794, 1766,
                             socket.AF_INET)) != 0x51CCC178:
    sys.exit("rss_flows.py: the Toeplitz hash fails the specification's vector")


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def port(key, lut, src, dst, dport, queue, first):
    for sport in range(first, 65536):
        h = toeplitz(key, tuple_of(src, dst, sport, dport, family(src)))
        if lut[h % len(lut)] == queue:
            print(sport)
            return
    sys.exit("rss_flows.py: no source port reaches queue %d" % queue)


if len(sys.argv) in (8, 9) and sys.argv[1] == "port":
    port(bytes.fromhex(sys.argv[2]), [int(x) for x in sys.argv[3].split(",")],
         sys.argv[4], sys.argv[5], int(sys.argv[6]), int(sys.argv[7]),
         int(sys.argv[8]) if len(sys.argv) == 9 else 40000)
    sys.exit(0)

key = bytes.fromhex(sys.argv[1])
lut = [int(x) for x in sys.argv[2].split(",")]
src, dst, flows, packets = sys.argv[3:7]

count = {}
for n in range(int(flows)):
    sport = 40000 + n
    q = lut[toeplitz(key, tuple_of(src, dst, sport, 9, socket.AF_INET6)) % len(lut)]
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind((src, sport))
    for _ in range(int(packets)):
        s.sendto(b"simnic rss", (dst, 9))
    s.close()
    count[q] = count.get(q, 0) + int(packets)
for q in sorted(count):
    print(q, count[q])
