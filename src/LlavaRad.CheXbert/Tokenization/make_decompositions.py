#!/usr/bin/env python3
"""Writes canonical-decompositions.tsv: each code point whose NFD differs from itself, and its full NFD.

The build runs with InvariantGlobalization (no ICU), where string.Normalize leaves non-ASCII text as it is, so
BERT's accent stripping (NFD, then drop Mn) needs this table. Hangul syllables are decomposed in code instead.
Data from the Unicode Character Database as Python's unicodedata ships it. Run: python3 make_decompositions.py
"""
import unicodedata

with open("canonical-decompositions.tsv", "w", encoding="ascii", newline="\n") as f:
    f.write("# unicodedata %s\n" % unicodedata.unidata_version)
    for cp in range(0x110000):
        if 0xAC00 <= cp <= 0xD7A3 or 0xD800 <= cp <= 0xDFFF:
            continue
        nfd = unicodedata.normalize("NFD", chr(cp))
        if nfd != chr(cp):
            f.write("%X\t%s\n" % (cp, " ".join("%X" % ord(c) for c in nfd)))
