#!/usr/bin/env python3
"""Sets every entry's creation time in a JKS keystore to SOURCE_DATE_EPOCH and re-signs it.

Debian's ca-certificates-java writes /etc/ssl/certs/java/cacerts with the time of the build in each
entry, the only thing that kept two builds of the image's base from being identical.
Usage: jks-epoch.py KEYSTORE EPOCH [PASSWORD]   (PASSWORD: changeit, Java's and Debian's default)
"""
import hashlib
import struct
import sys

path, epoch = sys.argv[1], int(sys.argv[2])
password = sys.argv[3] if len(sys.argv) > 3 else "changeit"
data = bytearray(open(path, "rb").read())
magic, version, count = struct.unpack(">III", data[:12])
if magic != 0xFEEDFEED or version != 2:
    sys.exit(f"{path}: not a JKS v2 keystore")
pos = 12


def skip_utf(p):
    return p + 2 + struct.unpack(">H", data[p:p + 2])[0]


for _ in range(count):
    tag = struct.unpack(">I", data[pos:pos + 4])[0]
    if tag != 2:
        sys.exit(f"{path}: entry of type {tag}, only trusted certificates are handled")
    pos = skip_utf(pos + 4)                       # alias
    data[pos:pos + 8] = struct.pack(">q", epoch * 1000)
    pos = skip_utf(pos + 8)                       # certificate type
    pos += 4 + struct.unpack(">I", data[pos:pos + 4])[0]
if len(data) - pos != 20:
    sys.exit(f"{path}: unexpected {len(data) - pos} bytes after the entries")
digest = hashlib.sha1(password.encode("utf-16-be") + b"Mighty Aphrodite" + bytes(data[:pos])).digest()
if hashlib.sha1(password.encode("utf-16-be") + b"Mighty Aphrodite" + bytes(open(path, "rb").read()[:pos])).digest() \
        != bytes(open(path, "rb").read()[pos:]):
    sys.exit(f"{path}: its integrity digest does not match password {password!r}")
data[pos:] = digest
open(path, "wb").write(data)
print(f"{path}: {count} entries dated {epoch}")
