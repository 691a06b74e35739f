#!/usr/bin/env python3
"""Golden data for the synthetic DICOM writer, read by an independent implementation (Debian python3-pydicom).

Usage:  llavarad synth --out /tmp/golden-synth --count 4 --seed 7 --size 64
        python3 make_dicom_golden.py /tmp/golden-synth > synthetic-dicom.golden.json
The C# test regenerates the same cases (the generator is seeded) and compares its reading with this one.
"""
import hashlib
import json
import sys

import numpy as np
import pydicom

folder = sys.argv[1]
cases = [json.loads(line) for line in open(f"{folder}/cases.jsonl")]
out = []
for case in cases:
    ds = pydicom.dcmread(f"{folder}/{case['file']}")
    pixels = ds.pixel_array.astype("<u2")
    out.append({
        "file": case["file"],
        "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
        "sop_class": str(ds.SOPClassUID),
        "sop_instance": str(ds.SOPInstanceUID),
        "modality": ds.Modality,
        "view_position": ds.ViewPosition,
        "body_part": ds.BodyPartExamined,
        "photometric": ds.PhotometricInterpretation,
        "rows": int(ds.Rows),
        "columns": int(ds.Columns),
        "bits_allocated": int(ds.BitsAllocated),
        "bits_stored": int(ds.BitsStored),
        "pixel_min": int(pixels.min()),
        "pixel_max": int(pixels.max()),
        "pixel_sha256": hashlib.sha256(np.ascontiguousarray(pixels).tobytes()).hexdigest(),
        "findings": case["findings"],
    })
json.dump(out, sys.stdout, indent=1)
print()
