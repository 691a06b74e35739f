"""The largest image the reader accepts, as native Explicit VR Little Endian: make_largest.py OUT.dcm SIDE.

A smooth 12-bit field plus noise (so a lossless codec has real work and a realistic ratio), written by pydicom;
DecodeMemoryTests compresses it with gdcmconv / dcmcjpls into a temp folder. Nothing made here is committed.
"""
import sys

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
n = int(sys.argv[2])
rng = np.random.default_rng(13)
y, x = np.mgrid[0:n, 0:n]
img = (1500 + 1200 * np.sin(x / 700.0) * np.cos(y / 900.0) + rng.normal(0, 40, (n, n))).clip(0, 4095).astype(np.uint16)
meta = FileMetaDataset(); meta.TransferSyntaxUID = ExplicitVRLittleEndian
meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1"; meta.MediaStorageSOPInstanceUID = generate_uid()
ds = Dataset(); ds.file_meta = meta; ds.is_little_endian = True; ds.is_implicit_VR = False
ds.SOPClassUID = meta.MediaStorageSOPClassUID; ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.StudyInstanceUID = generate_uid(); ds.SeriesInstanceUID = generate_uid(); ds.Modality = "DX"
ds.Rows = n; ds.Columns = n; ds.SamplesPerPixel = 1; ds.PhotometricInterpretation = "MONOCHROME2"
ds.BitsAllocated = 16; ds.BitsStored = 12; ds.HighBit = 11; ds.PixelRepresentation = 0
ds.PixelData = img.tobytes()
ds.save_as(sys.argv[1], write_like_original=False)
