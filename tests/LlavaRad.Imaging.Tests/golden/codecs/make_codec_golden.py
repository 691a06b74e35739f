#!/usr/bin/python3
"""Compressed-pixel goldens for the codec tests, made only with independent Debian tools.

Sources: small native files from ../variants (made by ../make_golden.py) and from python3-pydicom's shipped test
files. Each is compressed by dcmtk (dcmcjpeg, dcmcjpls, dcmcrle) or GDCM (gdcmconv); pydicom's own vendor-compressed
files are used as they are. The reference decode of every file is made by another decoder: dcmtk's dcmdjpeg (IJG),
dcmdjpls and dcmdrle, or GDCM's gdcmconv --raw, then read by pydicom + numpy. References are the first frame's stored
values (masked to BitsStored and sign-extended as the dataset's attributes say), or for colour its BT.601 luma,
as int32 little endian, gzip'd. The Extended Offset Table case is re-encapsulated with pydicom.encaps.
HTJ2K (.201/.202/.203): OpenJPH (Debian openjph-tools: ojph_compress) encodes the pixels, pydicom wraps the code
stream into DICOM, and OpenJPH's own decoder (ojph_expand) makes the reference, so no OpenJPEG (our decoder) is in it.

  make_codec_golden.py          write cases/ and codecs.json
  make_codec_golden.py --check  regenerate into a temporary folder and compare references (prints "identical")
"""
import gzip, json, os, shutil, subprocess, sys, tempfile

import numpy as np
import pydicom
from pydicom.encaps import encapsulate, encapsulate_extended, generate_pixel_data_frame

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = os.path.join(HERE, "..", "variants")
PYDICOM = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")

# Decoding these is exactly specified (integer arithmetic, point transform included), so two decoders must agree
# to the value; JPEG-LS near-lossless too. DCT JPEG and irreversible J2K leave rounding to the decoder (1 LSB).
EXACT = {"1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
         "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.5",
         "1.2.840.10008.1.2.1"}
HTJ2K_SYNTAXES = {"1.2.840.10008.1.2.4.201": "HTJ2KLossless", "1.2.840.10008.1.2.4.202": "HTJ2KLosslessRPCL",
                  "1.2.840.10008.1.2.4.203": "HTJ2K"}
# Debian's pydicom 2.3 predates HTJ2K: it must know the UIDs as (compressed) transfer syntaxes to write them.
for _uid, _keyword in HTJ2K_SYNTAXES.items():
    pydicom.uid.UID_dictionary.setdefault(_uid, (_keyword, "Transfer Syntax", "", "", _keyword))


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def reference_decoder(syntax):
    if syntax in ("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"):
        return "dcmdjpeg"
    if syntax in ("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"):
        return "dcmdjpls"
    if syntax == "1.2.840.10008.1.2.5":
        return "dcmdrle"
    if syntax in HTJ2K_SYNTAXES:
        return "ojph_expand"
    return "gdcmconv"


def decode_reference(path, work):
    """Stored values (or luma) of frame 1 from an independent decoder, read with the original dataset's attributes."""
    original = pydicom.dcmread(path)
    syntax = str(original.file_meta.TransferSyntaxUID)
    tool = reference_decoder(syntax)
    if tool == "ojph_expand":
        return (syntax, tool) + decode_htj2k(original, work)
    native = os.path.join(work, "native.dcm")
    if tool == "gdcmconv":
        run("gdcmconv", "--raw", path, native)
    else:
        run(tool, path, native)
    ds = pydicom.dcmread(native)
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    rows, cols, samples = ds.Rows, ds.Columns, ds.SamplesPerPixel
    dtype = np.uint8 if ds.BitsAllocated == 8 else np.dtype("<u2")
    words = np.frombuffer(ds.PixelData, dtype=dtype)
    photometric = ds.PhotometricInterpretation
    if samples == 1:
        words = words[: rows * cols].astype(np.int64)
        bits, signed = original.BitsStored, original.PixelRepresentation == 1  # the DICOM attributes win
        values = words & ((1 << bits) - 1)
        if signed:
            values = np.where(values >= 1 << (bits - 1), values - (1 << bits), values)
        return syntax, tool, values.reshape(rows, cols), "stored", photometric
    if photometric == "YBR_FULL_422":  # Y0 Y1 Cb Cr per pair of pixels: Y is the luma
        index = np.arange(rows * cols)
        return syntax, tool, words[(index // 2) * 4 + index % 2].astype(np.int64).reshape(rows, cols), "luma", photometric
    per_frame = rows * cols * 3
    words = words[:per_frame].astype(np.float64)
    planar = int(ds.get("PlanarConfiguration", 0) or 0) == 1
    channels = words.reshape(3, rows, cols) if planar else np.moveaxis(words.reshape(rows, cols, 3), 2, 0)
    if photometric.startswith("YBR_FULL"):
        luma = channels[0]
    else:
        luma = np.round(0.299 * channels[0] + 0.587 * channels[1] + 0.114 * channels[2])
    return syntax, tool, luma.astype(np.int64), "luma", photometric


def read_netpbm(path):
    """A binary PGM/PPM as (rows, cols[, 3]) integers; 16-bit samples are big endian, as Netpbm says."""
    with open(path, "rb") as f:
        data = f.read()
    fields, position = [], 0
    while len(fields) < 4:  # magic, width, height, maxval, each followed by one whitespace byte
        while data[position:position + 1].isspace():
            position += 1
        end = position
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    magic, cols, rows, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    samples = 3 if magic == b"P6" else 1
    dtype = np.uint8 if maxval < 256 else np.dtype(">u2")
    values = np.frombuffer(data[position + 1:], dtype=dtype, count=rows * cols * samples).astype(np.int64)
    return values.reshape((rows, cols, 3) if samples == 3 else (rows, cols))


def decode_htj2k(ds, work):
    """OpenJPH's decode of frame 1: stored values, or the BT.601 luma of the RGB it gives back."""
    codestream = next(generate_pixel_data_frame(ds.PixelData, int(ds.get("NumberOfFrames", 1) or 1)))
    j2c = os.path.join(work, "frame.j2c")
    with open(j2c, "wb") as f:
        f.write(codestream)
    if ds.SamplesPerPixel == 1:
        run("ojph_expand", "-i", j2c, "-o", os.path.join(work, "frame.pgm"))
        return read_netpbm(os.path.join(work, "frame.pgm")), "stored", ds.PhotometricInterpretation
    run("ojph_expand", "-i", j2c, "-o", os.path.join(work, "frame.ppm"))
    rgb = read_netpbm(os.path.join(work, "frame.ppm")).astype(np.float64)
    luma = np.round(0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2])
    return luma.astype(np.int64), "luma", ds.PhotometricInterpretation


def write_netpbm(ds, path):
    """The native dataset's first frame as PGM (BitsStored deep) or PPM, for ojph_compress."""
    pixels = ds.pixel_array
    if ds.SamplesPerPixel == 3:
        with open(path, "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (ds.Columns, ds.Rows) + pixels.astype(np.uint8).tobytes())
        return
    maxval = (1 << ds.BitsStored) - 1
    words = (pixels.astype(np.int64) & maxval).astype(np.uint8 if maxval < 256 else ">u2")
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n%d\n" % (ds.Columns, ds.Rows, maxval) + words.tobytes())


def htj2k(source, options, target, work):
    """ojph_compress's code stream of an unsigned native file, wrapped by pydicom as the syntax asks."""
    syntax, *args = options
    ds = pydicom.dcmread(source)
    netpbm = os.path.join(work, "source.ppm" if ds.SamplesPerPixel == 3 else "source.pgm")
    write_netpbm(ds, netpbm)
    j2c = os.path.join(work, "encoded.j2c")
    run("ojph_compress", "-i", netpbm, "-o", j2c, *args)
    with open(j2c, "rb") as f:
        ds.PixelData = encapsulate([f.read()])
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    lossless = "true" in args
    if ds.SamplesPerPixel == 3:
        ds.PhotometricInterpretation = "YBR_RCT" if lossless else "YBR_ICT"
        ds.PlanarConfiguration = 0
    if not lossless:
        ds.LossyImageCompression = "01"
    ds.file_meta.TransferSyntaxUID = syntax
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(target, write_like_original=False)


def compress(source, options, target):
    tool, *args = options
    if tool == "gdcmconv":
        run("gdcmconv", *args, source, target)
    else:
        run(tool, *args, source, target)


def with_extended_offset_table(source, target):
    """A multi-frame file re-encapsulated with an Extended Offset Table (and an empty Basic Offset Table)."""
    ds = pydicom.dcmread(source)
    frames = list(generate_pixel_data_frame(ds.PixelData, int(ds.NumberOfFrames)))
    data, offsets, lengths = encapsulate_extended(frames)
    ds.PixelData = data
    ds.ExtendedOffsetTable = offsets
    ds.ExtendedOffsetTableLengths = lengths
    ds.save_as(target, write_like_original=False)


def native_copy(source, target):
    """A pydicom compressed file decompressed by dcmtk, to be a compression source."""
    run("dcmdrle", source, target)


MONO_SOURCES = ["ts-explicit-le-8-8-u", "ts-explicit-le-8-8-s", "ts-explicit-le-16-12-u", "ts-explicit-le-16-12-s",
                "ts-explicit-le-16-16-u", "ts-explicit-le-16-16-s"]
TWELVE_BIT = {"ts-explicit-le-8-8-u", "ts-explicit-le-8-8-s", "ts-explicit-le-16-12-u", "ts-explicit-le-16-12-s"}
UNSIGNED = {s for s in MONO_SOURCES if s.endswith("-u")}  # dcmcjpls refuses near-lossless of signed pixels

MONO_COMPRESSIONS = {
    "jpeg-extended": (["dcmcjpeg", "+ee"], TWELVE_BIT),
    "jpeg-lossless-sv6": (["dcmcjpeg", "+el"], None),
    "jpeg-lossless-sv1": (["dcmcjpeg", "+e1"], None),
    "jpeg-lossless-pt2": (["dcmcjpeg", "+e1", "+pt", "2"], None),
    "jpegls-lossless": (["dcmcjpls", "+el"], None),
    "jpegls-near": (["dcmcjpls", "+en", "+md", "3"], UNSIGNED),
    "j2k-lossless": (["gdcmconv", "--j2k"], None),
    "j2k-lossy": (["gdcmconv", "--j2k", "--lossy", "-q", "40"], None),
    "rle": (["dcmcrle"], None),
}

COLOUR_COMPRESSIONS = {
    "jpeg-baseline": ["dcmcjpeg", "+eb"],
    "jpeg-lossless-sv1": ["dcmcjpeg", "+e1"],
    "jpegls-lossless": ["dcmcjpls", "+el"],
    "jpegls-lossless-planar": ["dcmcjpls", "+el", "+in"],
    "j2k-lossless-rct": ["gdcmconv", "--j2k"],
    "j2k-lossy-ict": ["gdcmconv", "--j2k", "--lossy", "-q", "40"],
}

FRAGMENTED = {  # (source, options): frames split over several fragments, with and without a Basic Offset Table
    "fragmented-jpegls-bot": ("multiframe-first-frame", ["dcmcjpls", "+el", "+fs", "1"]),
    "fragmented-jpegls-no-bot": ("multiframe-first-frame", ["dcmcjpls", "+el", "+fs", "1", "-ot"]),
    "fragmented-jpeg-lossless-no-bot": ("multiframe-first-frame", ["dcmcjpeg", "+e1", "+fs", "1", "-ot"]),
    "fragmented-single-frame-jpeg-lossless": ("ts-explicit-le-16-16-s", ["dcmcjpeg", "+e1", "+fs", "1"]),
    "multiframe-j2k": ("multiframe-first-frame", ["gdcmconv", "--j2k"]),
}

HTJ2K_SOURCES = ["ts-explicit-le-8-8-u", "ts-explicit-le-16-12-u", "ts-explicit-le-16-16-u"]  # ojph reads unsigned Netpbm

# OpenJPH and OpenJPEG round the irreversible 9/7 differently (1 stored LSB on a few pixels); the 8-bit variant's
# window is narrower than 256 values, so its pipeline would stretch that to 2 grey levels: lossy HTJ2K skips it.
HTJ2K_LOSSY_SOURCES = HTJ2K_SOURCES[1:]

HTJ2K_COMPRESSIONS = {  # the syntax, then ojph_compress's options
    "htj2k-lossless": ["1.2.840.10008.1.2.4.201", "-reversible", "true", "-prog_order", "LRCP"],
    "htj2k-lossless-rpcl": ["1.2.840.10008.1.2.4.202", "-reversible", "true", "-prog_order", "RPCL"],
    "htj2k-lossy": ["1.2.840.10008.1.2.4.203", "-reversible", "false", "-qstep", "0.01"],
}

VENDOR = ["693_J2KI.dcm", "GDCMJ2K_TextGBR.dcm", "J2K_pixelrep_mismatch.dcm", "JPEG-lossy.dcm", "JPEG2000.dcm",
          "JPGExtended.dcm", "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm", "SC_rgb_gdcm_KY.dcm",
          "SC_rgb_jpeg_gdcm.dcm", "SC_rgb_dcmtk_+eb+cy+np.dcm", "SC_rgb_dcmtk_+eb+cy+s4.dcm", "SC_rgb_rle.dcm",
          "SC_ybr_full_422_uncompressed.dcm", "MR_small_RLE.dcm"]


def build(out):
    cases_dir = os.path.join(out, "cases")
    os.makedirs(cases_dir, exist_ok=True)
    work = tempfile.mkdtemp()
    cases = []

    def add(name, path, committed, tool_used):
        syntax, decoder, values, kind, photometric = decode_reference(path, work)
        with gzip.GzipFile(os.path.join(cases_dir, name + ".ref.gz"), "wb", mtime=0) as f:
            f.write(values.astype("<i4").tobytes())
        # Luma the reference computed from RGB it converted out of YBR may round 1 away from the Y sample itself.
        exact = syntax in EXACT and not (kind == "luma" and photometric.startswith("YBR"))
        # JpegLibrary mispredicts the first row of lossless JPEG with selection values 2..7: refused, not decoded.
        expect = "compressed-transfer-syntax-unsupported" if "-sv6-" in name else "decoded"
        cases.append({"name": name, "file": ("cases/" + name + ".dcm") if committed else "pydicom:" + os.path.basename(path),
                      "syntax": syntax, "madeBy": tool_used, "referenceDecoder": decoder, "kind": kind,
                      "width": int(values.shape[1]), "height": int(values.shape[0]), "exact": exact, "expect": expect})

    try:
        for source in MONO_SOURCES:
            for label, (options, only) in MONO_COMPRESSIONS.items():
                if only is not None and source not in only:
                    continue
                name = f"{label}-{source[len('ts-explicit-le-'):]}"
                target = os.path.join(cases_dir, name + ".dcm")
                compress(os.path.join(VARIANTS, source + ".dcm"), options, target)
                add(name, target, True, " ".join(options))
        rgb = os.path.join(work, "rgb.dcm")
        native_copy(os.path.join(PYDICOM, "SC_rgb_rle.dcm"), rgb)
        for label, options in COLOUR_COMPRESSIONS.items():
            name = f"colour-{label}"
            target = os.path.join(cases_dir, name + ".dcm")
            compress(rgb, options, target)
            add(name, target, True, " ".join(options))
        for label, options in HTJ2K_COMPRESSIONS.items():
            for source in HTJ2K_LOSSY_SOURCES if label == "htj2k-lossy" else HTJ2K_SOURCES:
                name = f"{label}-{source[len('ts-explicit-le-'):]}"
                target = os.path.join(cases_dir, name + ".dcm")
                htj2k(os.path.join(VARIANTS, source + ".dcm"), options, target, work)
                add(name, target, True, "ojph_compress " + " ".join(options[1:]))
            name = f"colour-{label}"
            target = os.path.join(cases_dir, name + ".dcm")
            htj2k(rgb, options, target, work)
            add(name, target, True, "ojph_compress " + " ".join(options[1:]))
        for name, (source, options) in FRAGMENTED.items():
            target = os.path.join(cases_dir, name + ".dcm")
            compress(os.path.join(VARIANTS, source + ".dcm"), options, target)
            add(name, target, True, " ".join(options))
        extended = os.path.join(cases_dir, "extended-offset-table-jpegls.dcm")
        with_extended_offset_table(os.path.join(cases_dir, "fragmented-jpegls-bot.dcm"), extended)
        add("extended-offset-table-jpegls", extended, True, "dcmcjpls +el, re-encapsulated by pydicom.encaps.encapsulate_extended")
        for vendor in VENDOR:
            add("vendor-" + vendor[:-4].replace("+", "").replace("_", "-").lower(), os.path.join(PYDICOM, vendor), False, "shipped by python3-pydicom")
    finally:
        shutil.rmtree(work)
    with open(os.path.join(out, "codecs.json"), "w") as f:
        json.dump({"generator": "make_codec_golden.py", "cases": cases}, f, indent=1)
        f.write("\n")


def main():
    if "--check" in sys.argv:
        fresh = tempfile.mkdtemp()
        try:
            build(fresh)
            with open(os.path.join(fresh, "codecs.json")) as a, open(os.path.join(HERE, "codecs.json")) as b:
                if json.load(a) != json.load(b):
                    sys.exit("codecs.json differs from a fresh generation")
            for case in json.load(open(os.path.join(HERE, "codecs.json")))["cases"]:
                ref = os.path.join("cases", case["name"] + ".ref.gz")
                with gzip.open(os.path.join(fresh, ref)) as a, gzip.open(os.path.join(HERE, ref)) as b:
                    if a.read() != b.read():
                        sys.exit(f"{ref} differs from a fresh generation")
            print("identical")
        finally:
            shutil.rmtree(fresh)
    else:
        build(HERE)


if __name__ == "__main__":
    main()
