#!/usr/bin/python3
"""Golden files for the Part 10 reader and the grayscale pipeline, from independent implementations.

Run with Debian's system Python (python3-pydicom 2.3, python3-numpy 1.24) and dcmtk on PATH:

    /usr/bin/python3 tests/LlavaRad.Imaging.Tests/golden/make_golden.py          # rewrite the golden files
    /usr/bin/python3 tests/LlavaRad.Imaging.Tests/golden/make_golden.py --check  # regenerate into a temp dir, compare

Each variant is a small 64 x 48 image written by pydicom in Explicit VR Little Endian and re-encoded by dcmtk
(dcmconv for implicit VR, big endian, deflated, undefined lengths; dcmcrle for RLE Lossless), so neither the
writer nor the reader is ours. The expected 8-bit image is computed from the re-encoded file with pydicom:
pixel_array -> apply_modality_lut -> apply_windowing (or apply_voi for a VOI LUT Sequence, or numpy min/max)
-> scaled to 0..255 -> inverted for MONOCHROME1 or PresentationLUTShape INVERSE -> optional histogram equalisation.
Known gaps in pydicom 2.3 that this script fills with numpy, and says so: it does not mask bits above BitsStored
(PS3.5 8.1.1 says they are not part of the value), has no min/max fallback, no Presentation LUT and no histogram
equalisation (written here the way OpenCV's equalizeHist works; OpenCV is not installed).

Output: variants/<name>.dcm, variants/<name>.pgm (P5, the expected 8-bit image) and golden.json (what each variant
is, plus expected attribute values for the structure/charset variants).
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi, apply_windowing
from pydicom.sequence import Sequence

W, H = 64, 48
HERE = os.path.dirname(os.path.abspath(__file__))
EXPLICIT_LE = "1.2.840.10008.1.2.1"
SYNTAX_OPTION = {"implicit-le": "+ti", "explicit-be": "+tb", "deflated": "+td"}


def uid(n):
    return f"2.25.{1000 + n}"


def pattern(bits, signed, seed):
    """A smooth gradient with a disc and deterministic noise, spanning most of the stored range."""
    rng = np.random.Generator(np.random.PCG64(seed))
    y, x = np.mgrid[0:H, 0:W]
    base = 0.1 + 0.7 * x / (W - 1) + 0.15 * y / (H - 1)
    base = base + 0.2 * (((x - 40) ** 2 + (y - 20) ** 2) < 100)
    base = base + 0.03 * rng.random((H, W))
    base = np.clip(base / base.max(), 0, 1)
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return np.round(lo + base * (hi - lo)).astype(np.int64)


def base_dataset(n, rows=H, cols=W):
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = EXPLICIT_LE
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1"
    ds.file_meta.MediaStorageSOPInstanceUID = uid(n)
    ds.file_meta.ImplementationClassUID = "2.25.999"
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1"
    ds.SOPInstanceUID = uid(n)
    ds.StudyInstanceUID = uid(5000 + n)
    ds.SeriesInstanceUID = uid(9000 + n)
    ds.Modality = "DX"
    ds.SamplesPerPixel = 1
    ds.Rows, ds.Columns = rows, cols
    return ds


def set_pixels(ds, values, bits_allocated, bits_stored, signed, photometric, frames=None, garbage_high_bits=False):
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits_allocated, bits_stored, bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    words = values.astype(np.int64) & ((1 << bits_stored) - 1)
    if garbage_high_bits:
        rng = np.random.Generator(np.random.PCG64(7))
        junk = rng.integers(0, 1 << (bits_allocated - bits_stored), size=words.shape) << bits_stored
        words = words | junk
    elif signed:
        words = values.astype(np.int64) & ((1 << bits_allocated) - 1)  # proper sign extension into the high bits
    dtype = "<u1" if bits_allocated == 8 else "<u2"
    if frames:
        ds.NumberOfFrames = frames
    ds.PixelData = words.astype(dtype).tobytes()
    ds["PixelData"].VR = "OB" if bits_allocated == 8 else "OW"


def window_for(ds, values, function):
    mod = values * float(getattr(ds, "RescaleSlope", 1)) + float(getattr(ds, "RescaleIntercept", 0))
    lo, hi = float(mod.min()), float(mod.max())
    ds.WindowCenter = f"{(lo + hi) / 2 + (hi - lo) * 0.05:.1f}"
    ds.WindowWidth = f"{(hi - lo) * 0.7:.1f}"
    if function != "LINEAR" or len(ds.get("VOILUTFunction", "")) > 0:
        ds.VOILUTFunction = function


def voi_lut_sequence(ds, values, bits_out=12):
    mod = values * float(getattr(ds, "RescaleSlope", 1)) + float(getattr(ds, "RescaleIntercept", 0))
    first, last = int(np.floor(mod.min())) + 10, int(np.ceil(mod.max())) - 10
    count = last - first + 1
    ramp = np.linspace(0, 1, count) ** 0.7 * ((1 << bits_out) - 1)
    item = Dataset()
    item.add_new(0x00283002, "US" if first >= 0 else "SS", [count, first, bits_out])
    item.add_new(0x00283006, "OW", np.round(ramp).astype("<u2").tobytes())
    ds.VOILUTSequence = Sequence([item])


def modality_lut_sequence(ds, values):
    first, last = int(values.min()), int(values.max())
    count = last - first + 1
    item = Dataset()
    item.add_new(0x00283002, "US", [count, first, 16])
    item.add_new(0x00283006, "OW", np.round(np.sqrt(np.linspace(0, 1, count)) * 60000).astype("<u2").tobytes())
    item.ModalityLUTType = "OD"
    ds.ModalityLUTSequence = Sequence([item])


def expected_8bit(path, equalize=False):
    """The independent expectation, computed from the file as written."""
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array
    if int(ds.get("NumberOfFrames", 1)) > 1:
        arr = arr[0]
    arr = arr.astype(np.int64)
    bs = int(ds.BitsStored)
    # pydicom 2.3 keeps bits above BitsStored: mask them and sign-extend from BitsStored.
    arr = arr & ((1 << bs) - 1)
    if int(ds.PixelRepresentation) == 1:
        arr = np.where(arr & (1 << (bs - 1)), arr - (1 << bs), arr)
    mod = apply_modality_lut(arr, ds).astype(np.float64)
    if "WindowCenter" in ds and "WindowWidth" in ds:
        out = apply_windowing(mod, ds, 0)
        # apply_windowing's output range, as pydicom 2.3 computes it (util.py, apply_windowing).
        if ds.get("ModalityLUTSequence"):
            y_min, y_max = 0, 2 ** int(ds.ModalityLUTSequence[0].LUTDescriptor[2]) - 1
        elif int(ds.PixelRepresentation) == 0:
            y_min, y_max = 0, 2 ** bs - 1
        else:
            y_min, y_max = -(2 ** (bs - 1)), 2 ** (bs - 1) - 1
        if "RescaleSlope" in ds and "RescaleIntercept" in ds:
            y_min = y_min * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
            y_max = y_max * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        unit = (out - y_min) / (y_max - y_min)
    elif "VOILUTSequence" in ds:
        out = apply_voi(np.floor(mod).astype(np.int64), ds, 0).astype(np.float64)
        unit = out / (2 ** int(ds.VOILUTSequence[0].LUTDescriptor[2]) - 1)
    else:
        # No window: min/max of the image, leaving out Pixel Padding Value (.. Range Limit) as PS3.3 C.7.5.1.1.2 says.
        keep = np.ones(arr.shape, bool)
        if "PixelPaddingValue" in ds:
            limit = ds.get("PixelPaddingRangeLimit", ds.PixelPaddingValue)
            low, high = sorted([int(ds.PixelPaddingValue), int(limit)])
            keep = (arr < low) | (arr > high)
        lo, hi = mod[keep].min(), mod[keep].max()
        unit = (mod - lo) / (hi - lo) if hi > lo else np.zeros_like(mod)
    levels = np.floor(np.clip(unit, 0, 1) * 255 + 0.5).astype(np.int64)
    if ds.PhotometricInterpretation == "MONOCHROME1" or (
            ds.PhotometricInterpretation == "MONOCHROME2" and ds.get("PresentationLUTShape", "") == "INVERSE"):
        levels = 255 - levels
    if equalize:
        levels = equalize_hist(levels)
    return levels.astype(np.uint8)


def equalize_hist(img):
    """OpenCV's equalizeHist (imgproc/src/histogram.cpp), restated in numpy."""
    hist = np.bincount(img.ravel(), minlength=256)
    first = int(np.nonzero(hist)[0][0])
    total = img.size
    if hist[first] == total:
        return np.full_like(img, first)
    scale = 255.0 / (total - hist[first])
    lut = np.zeros(256, np.int64)
    lut[first + 1:] = np.clip(np.round(np.cumsum(hist[first + 1:]) * scale), 0, 255)
    return lut[img]


def write_pgm(path, img):
    with open(path, "wb") as f:
        f.write(f"P5\n{img.shape[1]} {img.shape[0]}\n255\n".encode())
        f.write(img.astype(np.uint8).tobytes())


def reencode(src, dst, syntax):
    if syntax == "explicit-le":
        shutil.copyfile(src, dst)
    elif syntax == "rle":
        subprocess.run(["dcmcrle", src, dst], check=True)
    else:
        subprocess.run(["dcmconv", SYNTAX_OPTION[syntax], src, dst], check=True)


def image_variants():
    """(name, builder) pairs; a builder fills a dataset and returns it."""
    n = 0
    out = []

    def add(name, syntax, bits_allocated, bits_stored, signed, photometric, rescale, voi, *, frames=None, garbage=False,
            shape=None, equalize=False):
        nonlocal n
        n += 1
        out.append(dict(name=name, n=n, syntax=syntax, ba=bits_allocated, bs=bits_stored, signed=signed,
                        photometric=photometric, rescale=rescale, voi=voi, frames=frames, garbage=garbage,
                        shape=shape, equalize=equalize))

    # Transfer syntax x bit depth x sign, with a rescale and a LINEAR window.
    for syntax in ["explicit-le", "implicit-le", "explicit-be", "deflated", "rle"]:
        for ba, bs in [(8, 8), (16, 12), (16, 16)]:
            for signed in [False, True]:
                add(f"ts-{syntax}-{ba}-{bs}-{'s' if signed else 'u'}", syntax, ba, bs, signed, "MONOCHROME2",
                    "slope" if ba == 16 else "identity", "LINEAR")
    # Photometric x rescale x VOI x sign, 12 in 16 bits; and 8 bits unsigned.
    for photometric in ["MONOCHROME1", "MONOCHROME2"]:
        for rescale in ["identity", "slope"]:
            for voi in ["none", "LINEAR", "LINEAR_EXACT", "SIGMOID", "voi-lut-sequence"]:
                for signed in [False, True]:
                    add(f"px-{photometric.lower()}-{rescale}-{voi.lower()}-{'s' if signed else 'u'}", "explicit-le", 16, 12,
                        signed, photometric, rescale, voi)
        for voi in ["none", "LINEAR", "SIGMOID", "voi-lut-sequence"]:
            add(f"px8-{photometric.lower()}-{voi.lower()}", "explicit-le", 8, 8, False, photometric, "identity", voi)
    # Specials.
    add("garbage-high-bits-u", "explicit-le", 16, 12, False, "MONOCHROME2", "identity", "LINEAR", garbage=True)
    add("garbage-high-bits-s", "explicit-le", 16, 10, True, "MONOCHROME2", "identity", "none", garbage=True)
    add("garbage-high-bits-rle", "rle", 16, 12, False, "MONOCHROME2", "identity", "LINEAR", garbage=True)
    add("multiframe-first-frame", "explicit-le", 16, 12, False, "MONOCHROME2", "identity", "LINEAR", frames=3)
    add("multiframe-first-frame-rle", "rle", 16, 12, False, "MONOCHROME2", "identity", "none", frames=3)
    add("modality-lut-sequence", "explicit-le", 16, 12, False, "MONOCHROME2", "modality-lut-sequence", "LINEAR")
    add("modality-lut-sequence-no-window", "implicit-le", 16, 12, False, "MONOCHROME2", "modality-lut-sequence", "none")
    add("inverse-shape-monochrome2", "explicit-le", 16, 12, False, "MONOCHROME2", "identity", "inverse-shape")
    add("two-windows-first-wins", "explicit-be", 16, 12, False, "MONOCHROME2", "slope", "two-windows")
    add("odd-size-big-endian-8bit", "explicit-be", 8, 8, False, "MONOCHROME1", "identity", "none", shape=(37, 23))
    add("pixel-padding-min-max", "explicit-le", 16, 12, False, "MONOCHROME2", "slope", "padding")
    add("pixel-padding-range-signed-implicit", "implicit-le", 16, 12, True, "MONOCHROME1", "identity", "padding-range")
    add("mimic-equalized-12bit", "explicit-le", 16, 12, False, "MONOCHROME2", "slope", "LINEAR", equalize=True)
    add("mimic-equalized-mono1", "deflated", 16, 10, False, "MONOCHROME1", "identity", "none", equalize=True)
    return out


def build_image(v):
    rows, cols = v["shape"] or (H, W)
    ds = base_dataset(v["n"], rows, cols)
    global_shape = (rows, cols)
    values = pattern(v["bs"], v["signed"], v["n"])
    if global_shape != (H, W):
        values = np.resize(values, global_shape)
    if v["rescale"] == "slope":
        ds.RescaleSlope, ds.RescaleIntercept = "2", "-1024"
    elif v["rescale"] == "modality-lut-sequence":
        modality_lut_sequence(ds, values)
    voi = v["voi"]
    if voi in ("LINEAR", "LINEAR_EXACT", "SIGMOID"):
        window_for(ds, values, voi)
    elif voi == "voi-lut-sequence":
        voi_lut_sequence(ds, values)
    elif voi == "inverse-shape":
        window_for(ds, values, "LINEAR")
        ds.PresentationLUTShape = "INVERSE"
    elif voi == "two-windows":
        window_for(ds, values, "LINEAR")
        ds.WindowCenter = [ds.WindowCenter, "100"]
        ds.WindowWidth = [ds.WindowWidth, "50"]
        ds.WindowCenterWidthExplanation = ["NORMAL", "HARD"]
    if voi in ("padding", "padding-range"):
        # A 5-pixel border of padding far outside the anatomy's values.
        border = np.ones(values.shape, bool)
        border[5:-5, 5:-5] = False
        lo, hi = (-(1 << (v["bs"] - 1)), (1 << (v["bs"] - 1)) - 1) if v["signed"] else (0, (1 << v["bs"]) - 1)
        interior = values[~border]
        values = np.where(border, lo if voi == "padding-range" else hi, np.clip(values, lo + 300, hi - 300))
        values[~border] = np.clip(interior // 2 + (lo + hi) // 4, lo + 300, hi - 300)
        if voi == "padding":
            ds.add_new(0x00280120, "US", hi)
        else:
            ds.add_new(0x00280120, "SS", lo)
            ds.add_new(0x00280121, "SS", lo + 20)
    if v["frames"]:
        stack = np.stack([values] + [np.roll(values, 7 * k, axis=1) for k in range(1, v["frames"])])
        set_pixels(ds, stack, v["ba"], v["bs"], v["signed"], v["photometric"], frames=v["frames"])
    else:
        set_pixels(ds, values, v["ba"], v["bs"], v["signed"], v["photometric"], garbage_high_bits=v["garbage"])
    return ds


def structure_variants(tmp):
    """Files that exercise the dataset reader rather than the pixels: sequences, private tags, character sets."""
    out = []

    def nested(ds, depth):
        item = Dataset()
        item.CodeValue = f"D{depth}"
        item.CodingSchemeDesignator = "99TEST"
        if depth < 4:
            nested(item, depth + 1)
        ds.AnatomicRegionSequence = Sequence([item])

    def common(n, charset, name, description):
        ds = base_dataset(n)
        if charset:
            ds.SpecificCharacterSet = charset
        ds.PatientName = name
        ds.StudyDescription = description
        ds.ViewPosition = "PA"
        values = pattern(12, False, n)
        set_pixels(ds, values, 16, 12, False, "MONOCHROME2")
        return ds

    cases = [
        ("charset-default", None, "Doe^John", "XR CHEST PA"),
        ("charset-latin1", "ISO_IR 100", "Müller^Jürgen", "Thorax p.a. Übersicht"),
        ("charset-utf8", "ISO_IR 192", "Παπαδόπουλος^Ελένη", "胸部 X線 PA"),
    ]
    for i, (name, charset, patient, description) in enumerate(cases):
        ds = common(200 + i, charset, patient, description)
        out.append((name, ds, "explicit-le", {"patientName": patient, "studyDescription": description}))

    for i, (syntax, lengths) in enumerate([("explicit-le", "+e"), ("explicit-le", "-e"), ("implicit-le", "-e"),
                                            ("implicit-le", "+e"), ("explicit-be", "-e")]):
        ds = common(300 + i, "ISO_IR 100", "Nested^Sequence", "XR CHEST PA")
        nested(ds, 1)
        # A private block with a private sequence and an odd-valued private creator, to be skipped safely.
        block = ds.private_block(0x0019, "LLAVARAD TEST", create=True)
        block.add_new(0x10, "LO", "private text")
        inner = Dataset()
        inner.add_new(0x00190010, "LO", "LLAVARAD TEST")
        inner.add_new(0x00191001, "US", 7)
        block.add_new(0x11, "SQ", Sequence([inner]))
        block.add_new(0x12, "OB", bytes(range(10)))
        name = f"sequences-{syntax}-{'defined' if lengths == '+e' else 'undefined'}-lengths"
        out.append((name, ds, (syntax, lengths), {"sequenceCodes": ["D1", "D2", "D3", "D4"], "privateSkipped": True}))
    return out


def generate(target):
    variants_dir = os.path.join(target, "variants")
    os.makedirs(variants_dir, exist_ok=True)
    manifest = {"description": "Golden variants; generated by make_golden.py, do not edit.", "width": W, "height": H,
                "variants": []}
    with tempfile.TemporaryDirectory() as tmp:
        for v in image_variants():
            ds = build_image(v)
            raw = os.path.join(tmp, v["name"] + ".raw.dcm")
            ds.save_as(raw, write_like_original=False)
            dcm = os.path.join(variants_dir, v["name"] + ".dcm")
            reencode(raw, dcm, v["syntax"])
            expected = expected_8bit(dcm, equalize=v["equalize"])
            write_pgm(os.path.join(variants_dir, v["name"] + ".pgm"), expected)
            manifest["variants"].append({
                "name": v["name"], "syntax": v["syntax"], "bitsAllocated": v["ba"], "bitsStored": v["bs"],
                "signed": v["signed"], "photometric": v["photometric"], "rescale": v["rescale"], "voi": v["voi"],
                "frames": v["frames"] or 1, "garbageHighBits": v["garbage"],
                "profile": "mimic-cxr-jpg" if v["equalize"] else "plain",
            })
        for name, ds, how, expect in structure_variants(tmp):
            raw = os.path.join(tmp, name + ".raw.dcm")
            ds.save_as(raw, write_like_original=False)
            dcm = os.path.join(variants_dir, name + ".dcm")
            if isinstance(how, tuple):
                syntax, lengths = how
                args = ["dcmconv", lengths] + ([SYNTAX_OPTION[syntax]] if syntax != "explicit-le" else ["+te"])
                subprocess.run(args + [raw, dcm], check=True)
            else:
                shutil.copyfile(raw, dcm)
            write_pgm(os.path.join(variants_dir, name + ".pgm"), expected_8bit(dcm))
            manifest["structure"] = manifest.get("structure", []) + [dict(name=name, **expect)]
    with open(os.path.join(target, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
        f.write("\n")


def digest_tree(root):
    result = {}
    for folder, _, files in os.walk(root):
        for file in files:
            path = os.path.join(folder, file)
            if not (file == "golden.json" or os.path.basename(folder) == "variants"):
                continue  # the script, .gitattributes, caches
            with open(path, "rb") as f:
                result[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return result


def main():
    if "--check" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            generate(tmp)
            fresh, committed = digest_tree(tmp), digest_tree(HERE)
            differences = sorted(k for k in set(fresh) | set(committed) if fresh.get(k) != committed.get(k))
            for name in differences:
                print("differs:", name)
            print("identical" if not differences else f"{len(differences)} file(s) differ")
            return 1 if differences else 0
    shutil.rmtree(os.path.join(HERE, "variants"), ignore_errors=True)
    generate(HERE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
