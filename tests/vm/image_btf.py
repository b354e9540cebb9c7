# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Copies the BTF a Linux kernel image carries (the .BTF section the
kernel serves as /sys/kernel/btf/vmlinux) out of a Debian vmlinuz, raw or
gzip-compressed, for `bpftool btf dump file OUT format c`. Exits 1 when
the image holds no BTF (or more than one candidate).
Usage: image_btf.py VMLINUZ OUT.btf"""
import gzip
import struct
import sys

# struct btf_header: magic 0xeB9F, version 1, flags 0, hdr_len 24.
MAGIC = b"\x9f\xeb\x01\x00\x18\x00\x00\x00"


def main():
    data = open(sys.argv[1], "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    found = []
    i = data.find(MAGIC)
    while i >= 0:
        _, _, _, hdr, type_off, type_len, str_off, str_len = struct.unpack_from(
            "<HBBIIIII", data, i)
        end = i + hdr + max(type_off + type_len, str_off + str_len)
        if end <= len(data):
            found.append((i, end))
        i = data.find(MAGIC, i + 1)
    if len(found) != 1:
        print("image_btf: %d BTF blobs in %s, expected 1" % (len(found), sys.argv[1]),
              file=sys.stderr)
        return 1
    open(sys.argv[2], "wb").write(data[found[0][0]:found[0][1]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
