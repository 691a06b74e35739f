#!/usr/bin/env python3
"""Writes a valid PNG of zeros with Python's own zlib, independent of the node's decoder.

usage: make_png.py OUT WIDTH HEIGHT COLOR_TYPE BIT_DEPTH [INTERLACE]
INTERLACE=1 only sets the header flag (the rows are not laid out in Adam7 passes): enough for a refusal at IHDR.
Rows are compressed one at a time, so an 8192 x 8192 RGBA16 "decompression bomb" (512 MiB of samples) is written
in bounded memory and ends up about half a megabyte.
"""
import binascii
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", binascii.crc32(kind + data) & 0xFFFFFFFF)


def main():
    out, width, height, color_type, bit_depth = sys.argv[1], *map(int, sys.argv[2:6])
    interlace = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    row = b"\x00" + bytes((width * CHANNELS[color_type] * bit_depth + 7) // 8)  # filter 0, all-zero samples
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    with open(out, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)))
        if color_type == 3:
            f.write(chunk(b"PLTE", bytes(3)))
        f.write(chunk(b"IDAT", idat))
        f.write(chunk(b"IEND", b""))


if __name__ == "__main__":
    main()
