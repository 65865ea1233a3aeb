#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""tcp_stream.py listen ADDR PORT | send ADDR PORT BYTES

listen: print "listening", accept one connection on ADDR (IPv4 or IPv6) PORT, read to its end
and print "BYTES SHA256" of what arrived. Gives up (an exception) after 60 s without a
connection or without data.
send: connect to ADDR PORT, send BYTES bytes of a fixed pseudo-random stream in
writes of 64 KiB (what lets TCP build TSO frames), and print "BYTES SHA256" of what
was sent."""

import hashlib
import random
import socket
import sys

CHUNK = 65536


def listen(addr, port):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as srv:
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((addr, port))
        srv.listen(1)
        srv.settimeout(60)
        print("listening", flush=True)
        conn, _ = srv.accept()
        conn.settimeout(60)
        digest, total = hashlib.sha256(), 0
        with conn:
            while True:
                data = conn.recv(1 << 20)
                if not data:
                    break
                digest.update(data)
                total += len(data)
    print(total, digest.hexdigest(), flush=True)


def send(addr, port, nbytes):
    block = random.Random(20261205).randbytes(CHUNK * 16)
    digest, sent = hashlib.sha256(), 0
    with socket.create_connection((addr, port), timeout=60) as conn:
        while sent < nbytes:
            off = (sent // CHUNK) % 16 * CHUNK
            data = block[off:off + min(CHUNK, nbytes - sent)]
            conn.sendall(data)
            digest.update(data)
            sent += len(data)
    print(sent, digest.hexdigest())


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "listen":
        listen(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 5 and sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
