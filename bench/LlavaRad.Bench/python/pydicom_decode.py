#!/usr/bin/python3
"""The decode benchmark's inputs and its baseline: pydicom with GDCM (Debian python3-pydicom, python3-gdcm).

  pydicom_decode.py prepare REPO OUT     compress REPO's sample studies once per transfer syntax into OUT/<label>/,
                                         with the codec goldens' own dcmtk/GDCM/OpenJPH steps; prints a JSON manifest
  pydicom_decode.py time SECONDS OUT [LABEL...]
                                         per OUT/<label>/ (only the LABELs given, if any), decode + grayscale every
                                         file again and again for about SECONDS, in this one process; prints JSON
                                         {label: {"bytes", "seconds", "cpu_seconds"}}

The grayscale step is the baseline's counterpart of ours: Modality LUT, the first VOI window (else min/max) and
scaling to 8 bits, with pydicom's apply_modality_lut / apply_voi_lut. Bytes are the decoded frame's bytes.
"""
import glob, json, os, sys, time

import numpy as np
import pydicom
from pydicom.pixel_data_handlers import gdcm_handler, numpy_handler, rle_handler
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut

# label -> (transfer syntax UID, compression: ("copy", None) | ("golden", options) | ("htj2k", options))
SYNTAXES = {
    "native": ("1.2.840.10008.1.2.1", ("copy", None)),
    "rle": ("1.2.840.10008.1.2.5", ("golden", ["dcmcrle"])),
    "jpeg-baseline": ("1.2.840.10008.1.2.4.50", ("golden", ["dcmcjpeg", "+eb"])),
    "jpeg-extended": ("1.2.840.10008.1.2.4.51", ("golden", ["dcmcjpeg", "+ee"])),
    "jpeg-lossless": ("1.2.840.10008.1.2.4.57", ("golden", ["dcmcjpeg", "+el", "+sv", "1"])),
    "jpeg-lossless-sv1": ("1.2.840.10008.1.2.4.70", ("golden", ["dcmcjpeg", "+e1"])),
    "jpegls-lossless": ("1.2.840.10008.1.2.4.80", ("golden", ["dcmcjpls", "+el"])),
    "jpegls-near": ("1.2.840.10008.1.2.4.81", ("golden", ["dcmcjpls", "+en", "+md", "3"])),
    "j2k-lossless": ("1.2.840.10008.1.2.4.90", ("golden", ["gdcmconv", "--j2k"])),
    "j2k-lossy": ("1.2.840.10008.1.2.4.91", ("golden", ["gdcmconv", "--j2k", "--lossy", "-q", "40"])),
    "htj2k-lossless": ("1.2.840.10008.1.2.4.201", ("htj2k", "htj2k-lossless")),
    "htj2k-lossy": ("1.2.840.10008.1.2.4.203", ("htj2k", "htj2k-lossy")),
}


def prepare(repo, out):
    sys.path.insert(0, os.path.join(repo, "tests", "LlavaRad.Imaging.Tests", "golden", "codecs"))
    import make_codec_golden as golden  # the goldens' compression steps, so both use the same tools and options
    import shutil, tempfile
    sources = sorted(glob.glob(os.path.join(repo, "sample-studies", "**", "*.dcm"), recursive=True))
    work = tempfile.mkdtemp()
    manifest = {}
    try:
        for label, (syntax, (kind, options)) in SYNTAXES.items():
            folder = os.path.join(out, label)
            os.makedirs(folder, exist_ok=True)
            made, skipped = 0, 0
            for index, source in enumerate(sources):
                target = os.path.join(folder, f"{index:02d}.dcm")
                try:
                    if kind == "copy":
                        golden.run("dcmconv", "+te", source, target)
                    elif kind == "golden":
                        golden.compress(source, options, target)
                    else:
                        golden.htj2k(source, golden.HTJ2K_COMPRESSIONS[options], target, work)
                    if str(pydicom.dcmread(target, stop_before_pixels=True).file_meta.TransferSyntaxUID) != syntax:
                        raise ValueError("tool wrote another syntax")
                    made += 1
                except Exception:  # e.g. baseline JPEG of a 12-bit image: that syntax cannot hold it
                    if os.path.exists(target):
                        os.remove(target)
                    skipped += 1
            manifest[label] = {"syntax": syntax, "files": made, "skipped": skipped}
    finally:
        shutil.rmtree(work)
    print(json.dumps(manifest))


def grayscale(ds):
    pixels = ds.pixel_array
    if ds.SamplesPerPixel == 3:
        pixels = 0.299 * pixels[..., 0] + 0.587 * pixels[..., 1] + 0.114 * pixels[..., 2]
    values = apply_modality_lut(pixels, ds)
    if "WindowCenter" in ds:
        values = apply_voi_lut(values, ds, index=0)
    low, high = float(values.min()), float(values.max())
    scaled = (values - low) * (255.0 / (high - low if high > low else 1.0))
    if ds.PhotometricInterpretation == "MONOCHROME1":
        scaled = 255.0 - scaled
    return scaled.astype(np.uint8), pixels.size * ds.BitsAllocated // 8 * (3 if ds.SamplesPerPixel == 3 else 1)


def time_decodes(seconds, out, only):
    # numpy: native; GDCM: the compressed syntaxes; pydicom's own RLE decoder, which Debian's GDCM handler leaves out
    pydicom.config.pixel_data_handlers = [numpy_handler, gdcm_handler, rle_handler]
    results = {}
    for label in SYNTAXES:
        if only and label not in only:
            continue
        files = sorted(glob.glob(os.path.join(out, label, "*.dcm")))
        if not files:
            continue
        blobs = [open(f, "rb").read() for f in files]  # read once, as ours decodes from memory too
        try:
            total, start, cpu = 0, time.perf_counter(), time.process_time()
            while True:
                for blob in blobs:
                    total += grayscale(pydicom.dcmread(pydicom.filebase.DicomBytesIO(blob)))[1]
                elapsed = time.perf_counter() - start
                if elapsed >= seconds:
                    break
            results[label] = {"bytes": total, "seconds": elapsed, "cpu_seconds": time.process_time() - cpu}
        except Exception as error:  # a syntax no handler decodes: say so, time the others
            results[label] = {"error": f"{type(error).__name__}: {error}"[:200]}
    print(json.dumps(results))


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2], sys.argv[3])
    else:
        time_decodes(float(sys.argv[2]), sys.argv[3], set(sys.argv[4:]))
