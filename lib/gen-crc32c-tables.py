#!/usr/bin/env python3
"""Print the slicing-by-8 tables of lib/crc32c.c (CRC32C, reflected 0x82f63b78).

T[0][i] is the CRC of byte i; T[k][i] = (T[k-1][i] >> 8) ^ T[0][T[k-1][i] & 0xff],
the CRC of byte i followed by k zero bytes.  Run it to regenerate the
rc_crc32c_tables[] initializer; the unit tests recompute every entry.
"""
POLY = 0x82F63B78
t0 = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ (POLY if c & 1 else 0)
    t0.append(c)
tables = [t0]
for k in range(1, 8):
    prev = tables[-1]
    tables.append([(prev[i] >> 8) ^ t0[prev[i] & 0xFF] for i in range(256)])
print("static const u32 rc_crc32c_tables[8][256] = {")
for t in tables:
    print("\t{")
    for i in range(0, 256, 4):
        print("\t\t" + " ".join("0x%08xu," % v for v in t[i:i + 4]))
    print("\t},")
print("};")
