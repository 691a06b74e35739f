#!/usr/bin/python3
"""The largest image the reader accepts, as native Explicit VR Little Endian: make_largest.py OUT.dcm SIDE.

A smooth 12-bit field plus noise (so a lossless codec has real work and a realistic ratio), written by pydicom;
DecodeMemoryTests compresses it with gdcmconv / dcmcjpls into a temp folder. Nothing made here is committed.
"""
import sys

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

out, n = sys.argv[1], int(sys.argv[2])
axis = np.arange(n, dtype=np.float32)
field = np.outer(np.cos(axis / 900), np.sin(axis / 700)) * 1200 + 1500  # rows vary with cos, columns with sin
field += np.random.default_rng(13).standard_normal((n, n), dtype=np.float32) * 40
pixels = field.clip(0, 4095).astype(np.uint16)

meta = FileMetaDataset()
meta.TransferSyntaxUID = ExplicitVRLittleEndian
meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1"  # Digital X-Ray Image, For Presentation
meta.MediaStorageSOPInstanceUID = generate_uid()
ds = Dataset()
ds.file_meta = meta
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.Modality = generate_uid(), generate_uid(), "DX"
ds.Rows = ds.Columns = n
ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
ds.PixelData = pixels.tobytes()
ds.save_as(out, write_like_original=False)
