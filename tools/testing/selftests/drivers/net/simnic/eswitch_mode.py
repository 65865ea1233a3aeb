#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""eswitch_mode.py BUS/DEV MODE

Send DEVLINK_CMD_ESWITCH_SET for devlink instance BUS/DEV (pci/0000:...) with the
raw u16 MODE, which the devlink tool cannot send for a mode that does not exist (it
refuses the name itself). Prints the kernel's answer (errno and extack message);
exits 0 if the kernel took it, 1 if it refused it, 2 on a usage or socket error.
Standard library only, for the selftests' guests.
"""
import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLMSG_ERROR = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSGERR_ATTR_MSG = 1
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
DEVLINK_CMD_ESWITCH_SET = 30
DEVLINK_ATTR_BUS_NAME = 1
DEVLINK_ATTR_DEV_NAME = 2
DEVLINK_ATTR_ESWITCH_MODE = 25


def attr(kind, payload):
    """One netlink attribute, padded to 4 bytes"""
    hdr = struct.pack("HH", 4 + len(payload), kind)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def attrs(buf):
    """{type: payload} of the attributes in buf"""
    out = {}
    while len(buf) >= 4:
        length, kind = struct.unpack_from("HH", buf)
        if length < 4:
            break
        out[kind & 0x3fff] = buf[4:length]
        buf = buf[(length + 3) & ~3:]
    return out


def request(sock, family, cmd, payload, seq):
    """Send a genetlink request with an ACK wanted; return (error, answer, ext)"""
    body = struct.pack("BBH", cmd, 1, 0) + payload
    sock.send(struct.pack("IHHII", 16 + len(body), family, NLM_F_REQUEST | NLM_F_ACK,
                          seq, 0) + body)
    answer = None
    while True:
        data = sock.recv(65536)
        while len(data) >= 16:
            length, kind, _, rseq, _ = struct.unpack_from("IHHII", data)
            msg, data = data[16:length], data[(length + 3) & ~3:]
            if rseq != seq:
                continue
            if kind != NLMSG_ERROR:
                answer = msg
                continue
            err = struct.unpack_from("i", msg)[0]
            # the request's header follows (capped: no payload), then the ext ack
            return -err, answer, attrs(msg[4 + 16:])


def main():
    if len(sys.argv) != 3 or sys.argv[1].count("/") < 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    bus, dev = sys.argv[1].split("/", 1)
    mode = int(sys.argv[2], 0)
    try:
        sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        sock.bind((0, 0))
        err, answer, _ = request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                 attr(CTRL_ATTR_FAMILY_NAME, b"devlink\0"), 1)
        if err or answer is None:
            print("no devlink family: %s" % os.strerror(err), file=sys.stderr)
            return 2
        family = struct.unpack_from("H", attrs(answer[4:])[CTRL_ATTR_FAMILY_ID])[0]
        err, _, ext = request(sock, family, DEVLINK_CMD_ESWITCH_SET,
                              attr(DEVLINK_ATTR_BUS_NAME, bus.encode() + b"\0") +
                              attr(DEVLINK_ATTR_DEV_NAME, dev.encode() + b"\0") +
                              attr(DEVLINK_ATTR_ESWITCH_MODE, struct.pack("H", mode)),
                              2)
    except OSError as e:
        print("netlink: %s" % e, file=sys.stderr)
        return 2
    text = ext.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode(errors="replace")
    if not err:
        print("mode %d accepted" % mode)
        return 0
    print("mode %d refused: %s (%s)%s" % (mode, errno.errorcode.get(err, err),
                                          os.strerror(err), ": " + text if text else ""))
    return 1


if __name__ == "__main__":
    sys.exit(main())
