#!/usr/bin/python3
"""Deterministic generator for the synthetic sample studies in this folder.

Run with Debian's system Python (python3-numpy, python3-pydicom):

    /usr/bin/python3 sample-studies/generate.py           # (re)write studies/ and manifest.json
    /usr/bin/python3 sample-studies/generate.py --check   # regenerate into a temp dir, compare every byte

Everything is fixed: UIDs are 2.25.<uuid5 integer> values derived from fixed names, the random
numbers come from seeded PCG64 streams (raw doubles only, no distribution code that may change
between numpy versions), dates and times are constants. The output is byte-identical on every run.

The pixels are drawn from simple analytic phantoms (numpy, vectorised): a frontal chest (body
outline, lungs, mediastinum and heart, spine, ribs, clavicles, scapulae, diaphragm, vessels), a
lateral chest and a left hand. The density map D (bright = more attenuation) is mapped linearly to
stored values per study.
"""

import argparse
import datetime
import hashlib
import json
import os
import shutil
import sys
import tempfile
import uuid

import numpy as np
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence

HERE = os.path.dirname(os.path.abspath(__file__))

# ----------------------------------------------------------------------------------------------
# Identifiers
# ----------------------------------------------------------------------------------------------

UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://hospital.example.org/llavarad/sample-studies")


def make_uid(name):
    """A DICOM UID under the 2.25 root (PS3.5 B.2) from a fixed name."""
    return "2.25." + str(uuid.uuid5(UID_NAMESPACE, name).int)


def make_urn(name):
    return "urn:uuid:" + str(uuid.uuid5(UID_NAMESPACE, "fhir/" + name))


IMPLEMENTATION_CLASS_UID = make_uid("implementation/generate.py")
IMPLEMENTATION_VERSION_NAME = "LLAVARAD_SYN_1"

EXPLICIT_VR_LE = "1.2.840.10008.1.2.1"
IMPLICIT_VR_LE = "1.2.840.10008.1.2"
SOP_CLASS_DX_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1"
SOP_CLASS_CR = "1.2.840.10008.5.1.4.1.1.1"

MANUFACTURER = "LlavaRad Synthetic"
INSTITUTION = "Northbrook Valley General Hospital"  # fictitious
TIMEZONE_DICOM = "+0100"
TIMEZONE_FHIR = "+01:00"

# Systems used in the FHIR bundles (fictitious hospital namespace).
MRN_SYSTEM = "http://hospital.example.org/mrn"
ACCESSION_SYSTEM = "http://hospital.example.org/accession"
ENDPOINT_SYSTEM = "http://hospital.example.org/endpoint"
# Placeholder DICOMweb base: loaders replace it with the base URL of the server they upload to.
DICOMWEB_PLACEHOLDER = "http://127.0.0.1:8042/dicom-web"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
DCM = "http://dicom.nema.org/resources/ontology/DCM"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"

# CID 4010 (DX View) and CID 4009 (DX Anatomy Imaged) codes, SNOMED CT (SCT).
VIEW_CODES = {
    "PA": ("399066004", "postero-anterior"),
    "AP": ("399348003", "antero-posterior"),
    "LL": ("399173006", "left lateral"),
}
ANATOMY_CODES = {
    "CHEST": ("43799004", "Chest"),
    "HAND": ("85562004", "Hand"),
}
# FHIR ImagingStudy.series.bodySite (SNOMED CT body structures).
BODY_SITES = {
    "CHEST": ("51185008", "Thoracic structure"),
    "HAND": ("85562004", "Hand structure"),
}

# ----------------------------------------------------------------------------------------------
# Random numbers: PCG64 raw doubles only (the bit stream is stable across numpy versions)
# ----------------------------------------------------------------------------------------------


class Rng:
    def __init__(self, seed):
        self.g = np.random.Generator(np.random.PCG64(seed))

    def uniform(self, lo=0.0, hi=1.0, size=None):
        return lo + (hi - lo) * self.g.random(size)

    def normal(self, size):
        """Box-Muller from raw doubles."""
        n = int(np.prod(size))
        m = (n + 1) // 2
        u1 = 1.0 - self.g.random(m)  # (0, 1]
        u2 = self.g.random(m)
        r = np.sqrt(-2.0 * np.log(u1))
        z = np.concatenate([r * np.cos(2 * np.pi * u2), r * np.sin(2 * np.pi * u2)])[:n]
        return z.reshape(size)


# ----------------------------------------------------------------------------------------------
# Drawing helpers (normalised coordinates, y grows downwards)
# ----------------------------------------------------------------------------------------------


class Canvas:
    """A density map D on a grid of normalised coordinates X (right), Y (down)."""

    def __init__(self, rows, cols, scale, cx=0.0, cy=0.0, rotate_deg=0.0):
        self.rows, self.cols, self.scale = rows, cols, scale
        x = (np.arange(cols) - (cols - 1) / 2.0) * scale
        y = (np.arange(rows) - (rows - 1) / 2.0) * scale
        X, Y = np.meshgrid(x, y)
        if rotate_deg:
            a = np.deg2rad(rotate_deg)
            X, Y = X * np.cos(a) - Y * np.sin(a), X * np.sin(a) + Y * np.cos(a)
        self.X = X + cx
        self.Y = Y + cy
        self.D = np.zeros((rows, cols))

    def bbox(self, x0, y0, x1, y1):
        """Row/column slices covering a box in normalised coordinates (rotation-safe margin)."""
        xs, ys = self.X, self.Y
        # coordinates are (nearly) axis-aligned; use the first row/column for the lookup
        m = 0.06
        cmask = (xs[self.rows // 2] >= x0 - m) & (xs[self.rows // 2] <= x1 + m)
        rmask = (ys[:, self.cols // 2] >= y0 - m) & (ys[:, self.cols // 2] <= y1 + m)
        if not cmask.any() or not rmask.any():
            return None
        ci = np.nonzero(cmask)[0]
        ri = np.nonzero(rmask)[0]
        return slice(ri[0], ri[-1] + 1), slice(ci[0], ci[-1] + 1)


def smoothstep(t):
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def inside(sdf, width):
    """1 inside (sdf < 0), 0 outside, smooth ramp of the given width across the boundary."""
    return smoothstep(0.5 - sdf / width)


def ellipse_field(X, Y, cx, cy, a, b, angle_deg=0.0):
    """Normalised radius: < 1 inside the ellipse."""
    dx, dy = X - cx, Y - cy
    if angle_deg:
        t = np.deg2rad(angle_deg)
        dx, dy = dx * np.cos(t) + dy * np.sin(t), -dx * np.sin(t) + dy * np.cos(t)
    return np.sqrt((dx / a) ** 2 + (dy / b) ** 2)


def ellipse_mask(X, Y, cx, cy, a, b, angle_deg=0.0, soft=0.01):
    r = ellipse_field(X, Y, cx, cy, a, b, angle_deg)
    return inside((r - 1.0) * min(a, b), soft)


def ellipsoid_thickness(X, Y, cx, cy, a, b, angle_deg=0.0):
    """Projected thickness of an ellipsoid, 1 at the centre, 0 at the rim."""
    r = ellipse_field(X, Y, cx, cy, a, b, angle_deg)
    return np.sqrt(np.clip(1.0 - r * r, 0.0, 1.0))


def tube_profile(d, r, cortex=0.28, marrow=0.7):
    """Projection of a hollow bone (cortex ring) of radius r at distance d from its axis."""
    rn = d / np.maximum(r, 1e-6)
    outer = np.sqrt(np.clip(1.0 - rn * rn, 0.0, 1.0))
    k = 1.0 - cortex
    inner = np.sqrt(np.clip(k * k - rn * rn, 0.0, 1.0))
    return outer - marrow * inner


def solid_profile(d, r):
    rn = d / np.maximum(r, 1e-6)
    return np.sqrt(np.clip(1.0 - rn * rn, 0.0, 1.0))


def segment_distance(X, Y, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    l2 = dx * dx + dy * dy
    t = np.clip(((X - ax) * dx + (Y - ay) * dy) / max(l2, 1e-12), 0.0, 1.0)
    return np.hypot(X - ax - t * dx, Y - ay - t * dy), t


def polyline(canvas, pts, radius, weight, profile="tube", target=None, cortex=0.28, marrow=0.7):
    """Add a (tapered) tube along a polyline. radius/weight: scalar or one value per vertex."""
    pts = np.asarray(pts, dtype=float)
    n = len(pts)
    radius = np.broadcast_to(np.asarray(radius, dtype=float), (n,))
    weight = np.broadcast_to(np.asarray(weight, dtype=float), (n,))
    rmax = float(radius.max())
    box = canvas.bbox(pts[:, 0].min() - rmax, pts[:, 1].min() - rmax,
                      pts[:, 0].max() + rmax, pts[:, 1].max() + rmax)
    if box is None:
        return
    X, Y = canvas.X[box], canvas.Y[box]
    acc = np.zeros(X.shape)
    for i in range(n - 1):
        d, t = segment_distance(X, Y, pts[i, 0], pts[i, 1], pts[i + 1, 0], pts[i + 1, 1])
        r = radius[i] + (radius[i + 1] - radius[i]) * t
        w = weight[i] + (weight[i + 1] - weight[i]) * t
        if profile == "tube":
            p = tube_profile(d, r, cortex, marrow)
        else:
            p = solid_profile(d, r)
        acc = np.maximum(acc, w * p)
    (target if target is not None else canvas.D)[box] += acc


def smooth_noise(rng, rows, cols, cell):
    """Band-limited noise: a coarse random grid, bicubically (smoothstep) interpolated."""
    gr, gc = rows // cell + 3, cols // cell + 3
    g = rng.uniform(-1.0, 1.0, (gr, gc))
    y = np.arange(rows) / cell
    x = np.arange(cols) / cell
    y0, x0 = np.floor(y).astype(int), np.floor(x).astype(int)
    fy, fx = smoothstep(y - y0)[:, None], smoothstep(x - x0)[None, :]
    a = g[y0][:, x0]
    b = g[y0][:, x0 + 1]
    c = g[y0 + 1][:, x0]
    d = g[y0 + 1][:, x0 + 1]
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy


def blur(a, sigma):
    """Separable Gaussian blur (edge-replicating), sigma in pixels."""
    r = max(1, int(np.ceil(3 * sigma)))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    p = np.pad(a, r, mode="edge")
    rows, cols = a.shape
    tmp = np.zeros((rows + 2 * r, cols))
    for i, w in enumerate(k):
        tmp += w * p[:, i:i + cols]
    out = np.zeros((rows, cols))
    for i, w in enumerate(k):
        out += w * tmp[i:i + rows, :]
    return out


def add_noise(canvas, rng, body, mottle=0.014, grain=0.006):
    r, c = canvas.rows, canvas.cols
    n = 0.6 * smooth_noise(rng, r, c, 24) + 0.4 * smooth_noise(rng, r, c, 7)
    canvas.D += mottle * n * (0.3 + 0.7 * body)
    canvas.D += grain * rng.normal((r, c))


# ----------------------------------------------------------------------------------------------
# Phantoms
# ----------------------------------------------------------------------------------------------


def frontal_chest(rows, cols, scale, cy, seed, ap=False, female=False, heart_scale=1.0,
                  dome_shift=0.0, rotate_deg=0.0, electrodes=False, body_width=1.0):
    """Frontal (PA or AP) chest radiograph density. Image left = patient's right."""
    rng = Rng(seed)
    cv = Canvas(rows, cols, scale, 0.0, cy, rotate_deg)
    X, Y = cv.X, cv.Y
    aX = np.abs(X)
    px_blur = 1.0  # detector blur, pixels

    # Body: neck, shoulders, chest wall, upper abdomen (projected thickness of an elliptic trunk).
    hw = body_width * np.interp(Y, [-1.6, -1.04, -0.97, -0.90, -0.82, -0.72, -0.58, -0.2, 0.3, 0.8, 1.6],
                                [0.19, 0.20, 0.25, 0.42, 0.66, 0.82, 0.85, 0.82, 0.83, 0.80, 0.78])
    T = np.sqrt(np.clip(1.0 - (X / hw) ** 2, 0.0, 1.0))
    body = (T > 0).astype(float)
    # the neck and shoulders are thinner (front to back) than the chest
    D = 0.56 * T ** 0.8 * np.interp(Y, [-1.2, -0.95, -0.6], [0.80, 0.86, 1.0])
    # Arms beside the chest wall (mostly cut off by the collimation).
    for s in (-1, 1):
        D += 0.34 * ellipsoid_thickness(X, Y, s * 1.02 * body_width, -0.15, 0.13, 0.75)
    if female:
        for s in (-1, 1):
            D += 0.07 * ellipsoid_thickness(X, Y, s * 0.47, 0.17, 0.34, 0.27) ** 0.5 \
                * smoothstep((Y + 0.05) / 0.35)

    # Diaphragm domes (right hemidiaphragm, image left, a little higher).
    def dome(side, lift):
        return 0.50 + dome_shift - lift - 0.23 * (1.0 - ((X - side * 0.40) / 0.43) ** 2)

    dome_y = np.where(X < 0, dome(-1, 0.04), dome(1, 0.0))
    above = smoothstep((dome_y - Y) / 0.02)

    # Lungs: superellipses with a flat base, cut by the domes, the heart and the mediastinum.
    lung = np.zeros_like(X)
    depth = np.zeros_like(X)
    lung_cy = -0.19 + 0.5 * dome_shift
    lung_cx = np.interp(Y, [-0.95, -0.55, 0.1], [0.33, 0.40, 0.43])
    lung_ax = np.interp(Y, [-0.95, -0.55, 0.1], [0.21, 0.29, 0.32])
    for s in (-1, 1):
        dx = (X - s * lung_cx) / lung_ax
        dy = (Y - lung_cy) / 0.71
        f = np.abs(dx) ** 2.2 + np.where(dy > 0, np.abs(dy) ** 3.0, np.abs(dy) ** 2.0)
        lung += smoothstep((1.0 - f) / 0.12)
        depth += np.sqrt(np.clip(1.0 - f, 0.0, 1.0))
    # Cardiomediastinal silhouette: SVC/right atrium on the image left; aortic knob, pulmonary
    # trunk and left ventricle on the image right.
    hs = heart_scale
    hcx, hcy = 0.09 * hs, 0.20 + dome_shift
    heart = ellipse_mask(X, Y, hcx, hcy, 0.33 * hs, 0.23 * hs, -22, soft=0.03)
    heart_t = ellipsoid_thickness(X, Y, hcx, hcy, 0.33 * hs, 0.23 * hs, -22)
    med_l = np.interp(Y, [-1.3, -0.80, -0.50, -0.20, 0.10], [0.10, 0.11, 0.13, 0.15, 0.18])
    med_r = np.interp(Y, [-1.3, -0.80, -0.50, -0.20, 0.10], [0.10, 0.12, 0.12, 0.14, 0.18])
    mediastinum = np.where(X < 0.01, inside(-X + 0.01 - med_l, 0.04), inside(X - 0.01 - med_r, 0.04))
    mediastinum = mediastinum * smoothstep((0.25 + dome_shift - Y) / 0.1)
    aortic_knob = ellipse_mask(X, Y, 0.10, -0.38, 0.09, 0.07, soft=0.04)
    pulm_trunk = ellipse_mask(X, Y, 0.12, -0.22, 0.07, 0.08, soft=0.05)
    silhouette = np.maximum.reduce([heart, mediastinum, aortic_knob, 0.8 * pulm_trunk])
    lung_mask = np.clip(lung, 0, 1) * above * (1 - silhouette) * smoothstep((T - 0.2) / 0.3)
    D -= 0.33 * lung_mask * (0.6 + 0.4 * np.clip(depth, 0, 1))
    D += 0.03 * heart_t

    # Hila and vessels (only seen against the aerated lung), softened by their own blur.
    vessels = np.zeros_like(X)
    for s in (-1, 1):
        hx, hy = s * 0.18, -0.12
        vessels += 0.9 * ellipsoid_thickness(X, Y, hx, hy, 0.06, 0.11)
        for ang in (-115.0, -70.0, -25.0, 15.0, 55.0, 95.0):
            a = np.deg2rad(ang + rng.uniform(-8, 8))
            stack = [(hx, hy + 0.04 * np.sin(a), a, 0.17, 0.018, 0)]
            while stack:
                x0, y0, a, length, r, level = stack.pop()
                x1, y1 = x0 + np.cos(a) * s * length, y0 + np.sin(a) * length
                polyline(cv, [(x0, y0), (x1, y1)], [r, r * 0.75], 1.0 - 0.2 * level, "solid", target=vessels)
                if level < 3:
                    for da in (-0.42, 0.38):
                        stack.append((x1, y1, a + da + rng.uniform(-0.2, 0.2), length * 0.75,
                                      r * 0.70, level + 1))
    vessels = blur(vessels, 1.3)
    D += 0.085 * np.clip(vessels, 0, 1.5) * (lung * above * (1 - heart) + 0.25)

    # Trachea and main bronchi (air).
    air = np.zeros_like(X)
    polyline(cv, [(0.0, -1.4), (0.0, -0.62), (0.01, -0.44)], 0.036, 1.0, "solid", target=air)
    polyline(cv, [(0.01, -0.44), (-0.12, -0.30)], [0.027, 0.020], 1.0, "solid", target=air)
    polyline(cv, [(0.01, -0.44), (0.15, -0.27)], [0.025, 0.018], 1.0, "solid", target=air)
    D -= 0.11 * blur(np.clip(air, 0, 1), 1.5)

    # Gastric bubble under the left hemidiaphragm (air-fluid level: flat bottom).
    gy = 0.50 + dome_shift - 0.23 * (1.0 - ((0.33 - 0.40) / 0.43) ** 2) + 0.075
    bubble = ellipse_mask(X, Y, 0.33, gy, 0.11, 0.055, soft=0.02) * smoothstep((gy + 0.015 - Y) / 0.01)
    D -= 0.18 * bubble * (1 - above)

    # Spine: vertebral bodies with end plates and pedicles (faint behind the mediastinum).
    bounds = [-1.45]
    h = 0.092
    while bounds[-1] < 1.3:
        bounds.append(bounds[-1] + h)
        h *= 1.035
    B = np.array(bounds)
    idx = np.clip(np.searchsorted(B, Y), 1, len(B) - 1)
    gap = np.minimum(np.abs(Y - B[idx - 1]), np.abs(B[idx] - Y))
    disc = np.exp(-(gap / 0.012) ** 2)
    sw = np.interp(Y, [-1.4, 1.2], [0.058, 0.085])
    spine = tube_profile(aX, sw, cortex=0.25, marrow=0.45) * (1 - 0.45 * disc)
    D += 0.09 * spine
    for i in range(len(B) - 1):
        yc = 0.5 * (B[i] + B[i + 1])
        hh = B[i + 1] - B[i]
        w = float(np.interp(yc, [-1.4, 1.2], [0.058, 0.085]))
        box = cv.bbox(-w - 0.05, yc - hh, w + 0.05, yc + hh)
        if box is None:
            continue
        x, y = X[box], Y[box]
        for s in (-1, 1):
            r = ellipse_field(x, y, s * 0.72 * w, yc - 0.18 * hh, 0.22 * w, 0.28 * hh)
            cv.D[box] += 0.03 * np.exp(-((r - 1.0) / 0.30) ** 2)
        cv.D[box] += 0.025 * ellipsoid_thickness(x, y, 0.0, yc + 0.22 * hh, 0.16 * w, 0.42 * hh)

    # Ribs: posterior arcs (from the spine, sloping down laterally) and fainter anterior ribs
    # (from the lateral wall, sloping down medially to the unseen costal cartilage).
    ribs = np.zeros_like(X)
    for k in range(12):
        y0 = -0.90 + 0.106 * k + 0.5 * dome_shift * (k / 11.0)
        for s in (-1, 1):
            j = rng.uniform(-0.008, 0.008)
            if k == 0:
                L, rise, drop = 0.30, 0.04, 0.10
            elif k == 1:
                L, rise, drop = 0.58, 0.07, 0.12
            elif k >= 10:
                L, rise, drop = (0.55 if k == 10 else 0.38), 0.03, 0.14
            else:
                L, rise, drop = 0.76 * float(np.interp(y0, [-0.6, 0.2, 0.6], [0.96, 1.0, 0.97])), 0.07, 0.30
            t = np.linspace(0.0, 1.0, 18)
            px = 0.05 + t * (L - 0.05)
            py = y0 + j - rise * np.sin(np.pi * np.clip(t / 0.7, 0, 1) * 0.9) + drop * t ** 3.0
            r = 0.015 + 0.007 * np.sin(np.pi * np.clip(t * 1.3, 0, 1))
            wgt = 0.085 * smoothstep(t / 0.08)
            polyline(cv, np.stack([s * px, py], 1), r, wgt, "tube", target=ribs)
            if 1 <= k <= 9:
                ta = np.linspace(1.0, 0.30, 14)
                ax_ = 0.05 + ta * (L - 0.05)
                ay_ = py[-1] - 0.03 + 0.26 * (1.0 - ta) ** 1.1 + 0.05 * np.sin(np.pi * (1.0 - ta))
                polyline(cv, np.stack([s * ax_, ay_], 1), 0.017, 0.04 * smoothstep((ta - 0.30) / 0.3),
                         "tube", target=ribs)
    D += ribs

    # Clavicles (gentle S), scapulae, humeral heads.
    cl = -0.05 if ap else 0.0
    for s in (-1, 1):
        t = np.linspace(0.0, 1.0, 14)
        px = 0.06 + 0.58 * t
        tilt = 0.06 if ap else 0.15
        py = -0.71 + cl - tilt * t + 0.03 * np.sin(2 * np.pi * t)
        polyline(cv, np.stack([s * px, py], 1), 0.028 + 0.004 * (1 - t) + 0.008 * t ** 4,
                 0.10 + 0.10 * smoothstep(t / 0.3), "tube")
        if ap:
            tri = [(s * 0.47, -0.80), (s * 0.86, -0.80), (s * 0.56, -0.12)]
        else:
            tri = [(s * 0.64, -0.82), (s * 0.88, -0.80), (s * 0.74, -0.22)]
        scap = np.ones_like(X)
        cxm = sum(p[0] for p in tri) / 3.0
        cym = sum(p[1] for p in tri) / 3.0
        for (x1, y1), (x2, y2) in zip(tri, tri[1:] + tri[:1]):
            nx, ny = y2 - y1, -(x2 - x1)
            if (cxm - x1) * nx + (cym - y1) * ny > 0:  # outward normal
                nx, ny = -nx, -ny
            sd = ((X - x1) * nx + (Y - y1) * ny) / np.hypot(nx, ny)
            scap *= inside(sd, 0.03)
        D += 0.045 * scap
        polyline(cv, [tri[0], tri[2]], 0.012, 0.05, "tube")
        hx = s * (0.90 if not ap else 0.88)
        D += 0.18 * ellipsoid_thickness(X, Y, hx, -0.77, 0.10, 0.10) ** 0.6
        polyline(cv, [(hx + s * 0.01, -0.72), (hx + s * 0.07, 0.2)], 0.058, 0.18, "tube")

    if electrodes:
        wires = np.zeros_like(X)
        for (ex, ey, tx, ty) in [(-0.58, -0.66, -1.2, -0.9), (0.57, -0.64, 1.2, -0.95),
                                 (0.62, 0.30, 1.2, 0.6), (-0.60, 0.34, -1.2, 0.7),
                                 (0.18, 0.05, 1.2, 0.2)]:
            D += 0.05 * ellipse_mask(X, Y, ex, ey, 0.038, 0.038, soft=0.006)
            D += 0.9 * ellipse_mask(X, Y, ex, ey, 0.011, 0.011, soft=0.004)
            t = np.linspace(0, 1, 12)
            wx = ex + (tx - ex) * t
            wy = ey + (ty - ey) * t + 0.12 * np.sin(np.pi * t)
            polyline(cv, np.stack([wx, wy], 1), 0.0055, 1.0, "solid", target=wires)
        D += 0.30 * np.clip(wires, 0, 1)

    cv.D = blur(cv.D + D, px_blur)
    add_noise(cv, rng, body)
    return np.clip(cv.D, 0.0, None)


def lateral_chest(rows, cols, scale, cy, seed, dome_shift=0.0):
    """Left lateral chest: anterior to the image left, spine to the right."""
    rng = Rng(seed)
    cv = Canvas(rows, cols, scale, 0.0, cy)
    X, Y = cv.X, cv.Y

    # Body outline (front and back skin lines) and its projected (left-right) thickness.
    fy = [-1.6, -1.05, -0.90, -0.70, -0.40, 0.0, 0.4, 0.8, 1.6]
    front_x = [-0.10, -0.14, -0.36, -0.58, -0.66, -0.68, -0.70, -0.71, -0.72]
    back_x = [0.36, 0.40, 0.52, 0.60, 0.64, 0.63, 0.60, 0.58, 0.58]
    front = np.interp(Y, fy, front_x)
    back = np.interp(Y, fy, back_x)
    mid = 0.5 * (front + back)
    half = 0.5 * (back - front)
    T = np.sqrt(np.clip(1.0 - ((X - mid) / half) ** 2, 0.0, 1.0))
    body = (T > 0).astype(float)
    D = 0.78 * T ** 0.5 * np.interp(Y, [-1.3, -0.9, -0.6], [0.75, 0.85, 1.0])
    # Arms raised in front of the face: soft tissue and faint humeri over the upper chest.
    D += 0.10 * ellipsoid_thickness(X, Y, -0.22, -1.10, 0.20, 0.45, 28) * smoothstep((-0.65 - Y) / 0.3)
    polyline(cv, [(0.02, -0.72), (-0.34, -1.45)], 0.05, 0.07, "tube")
    polyline(cv, [(0.08, -0.70), (-0.28, -1.45)], 0.05, 0.07, "tube")

    # Hemidiaphragms: high anteriorly under the heart, deep posterior costophrenic sulcus.
    def dome(lift):
        xa = X + 0.10
        return np.where(xa < 0, 0.13 + 0.12 * (xa / 0.55) ** 2, 0.13 + 0.45 * (xa / 0.68) ** 2) \
            + dome_shift - lift

    above = 0.5 * (smoothstep((dome(0.0) - Y) / 0.02) + smoothstep((dome(0.045) - Y) / 0.02))

    # Lungs fill the thorax between the sternum and the posterior ribs, up to the apices.
    lf = front + 0.07
    lb = back - 0.06
    top = -0.95 + 0.40 * ((X - 0.08) / 0.62) ** 2
    lung = smoothstep((X - lf) / 0.05) * smoothstep((lb - X) / 0.05) * smoothstep((Y - top) / 0.08)
    depth = np.clip(np.minimum(X - lf, lb - X) / 0.35, 0, 1) ** 0.5

    heart = ellipse_mask(X, Y, -0.27, 0.03 + dome_shift, 0.33, 0.27, -35, soft=0.10)
    heart_t = ellipsoid_thickness(X, Y, -0.27, 0.03 + dome_shift, 0.33, 0.27, -35)
    hilum = ellipsoid_thickness(X, Y, 0.04, -0.24, 0.13, 0.13)
    lung_mask = lung * above * (1 - 0.6 * heart)
    D -= 0.32 * lung_mask * (0.65 + 0.35 * depth)
    D += 0.05 * heart_t + 0.05 * hilum * lung_mask

    # Aortic arch and descending aorta, trachea (air column, fading at the carina).
    ax_ = [-0.16, -0.13, -0.08, 0.02, 0.14, 0.24, 0.29, 0.31]
    ay_ = [0.00, -0.30, -0.45, -0.52, -0.48, -0.34, -0.05, 0.40]
    aorta = np.zeros_like(X)
    polyline(cv, np.stack([ax_, ay_], 1), 0.055, 1.0, "solid", target=aorta)
    D += 0.035 * blur(aorta, 2.0)
    air = np.zeros_like(X)
    polyline(cv, [(-0.12, -1.45), (-0.07, -0.80), (0.00, -0.32)], [0.040, 0.036, 0.030], [1.0, 1.0, 0.3],
             "solid", target=air)
    D -= 0.09 * blur(air, 1.5)
    # Gastric bubble under the anterior left hemidiaphragm.
    gb = ellipse_mask(X, Y, -0.30, 0.20 + dome_shift, 0.08, 0.035, soft=0.02)
    D -= 0.12 * gb * (1 - above)

    # Sternum along the anterior chest wall (manubrium wider).
    sy = np.linspace(-0.82, 0.10, 10)
    sx = np.interp(sy, fy, front_x) + 0.045
    polyline(cv, np.stack([sx, sy], 1), np.linspace(0.045, 0.025, 10), 0.10, "tube")

    # Thoracic and upper lumbar spine: vertebral bodies along a gentle kyphosis, discs,
    # posterior elements behind.
    y = -1.45
    h = 0.095
    while y < 1.3:
        yc = y + h / 2
        xc = 0.36 + 0.06 * np.sin((yc + 1.0) * 1.2)
        w = 0.075 + 0.012 * (yc + 1.4)
        box = cv.bbox(xc - w - 0.05, y - 0.03, xc + w + 0.28, y + h + 0.03)
        if box is not None:
            x, yy = X[box], Y[box]
            sdx = np.abs(x - xc) - w
            sdy = np.abs(yy - yc) - (h / 2 - 0.014)
            sd = np.maximum(sdx, sdy)  # box distance (inside)
            vb = inside(sd, 0.015)
            rim = np.exp(-(sd / 0.009) ** 2)
            cv.D[box] += 0.09 * vb + 0.05 * rim
            cv.D[box] += 0.05 * ellipsoid_thickness(x, yy, xc + w + 0.06, yc - 0.01, 0.05, 0.035, 10)
            cv.D[box] += 0.05 * ellipsoid_thickness(x, yy, xc + w + 0.17, yc + 0.02, 0.08, 0.022, 25)
        y += h
        h *= 1.03

    # Posterior ribs of both sides (slightly offset), scapular borders.
    for k in range(11):
        y0 = -0.84 + 0.112 * k
        for off in (0.0, 0.04):
            tt = np.linspace(0, 1, 12)
            px = 0.50 - 0.95 * tt
            py = y0 + off - 0.03 * np.sin(np.pi * tt) + 0.34 * tt ** 1.5
            polyline(cv, np.stack([px, py], 1), 0.017, 0.045 * (1 - 0.85 * tt), "tube")
    for off in (0.0, 0.07):
        polyline(cv, [(0.26 + off, -0.86), (0.38 + off, -0.12)], 0.012, 0.04, "tube")

    cv.D = blur(cv.D + D, 1.0)
    add_noise(cv, rng, body)
    return np.clip(cv.D, 0.0, None)


def left_hand_pa(rows, cols, scale, cy, seed):
    """Left hand, PA: fingers up, thumb on the image right."""
    rng = Rng(seed)
    cv = Canvas(rows, cols, scale, 0.0, cy)
    X, Y = cv.X, cv.Y
    soft_t = np.zeros_like(X)
    bone = np.zeros_like(X)

    # Forearm and palm soft tissue.
    forearm_w = np.interp(Y, [0.55, 0.75, 1.6], [0.36, 0.30, 0.32])
    soft_t = np.maximum(soft_t, np.sqrt(np.clip(1 - ((X - 0.02) / forearm_w) ** 2, 0, 1)) * (Y > 0.55))
    soft_t = np.maximum(soft_t, ellipsoid_thickness(X, Y, 0.0, 0.28, 0.40, 0.40))

    # Radius (thumb side, right) and ulna, distal ends.
    polyline(cv, [(0.11, 1.5), (0.12, 0.86), (0.13, 0.74)], [0.065, 0.07, 0.095], 1.0, "tube", target=bone)
    polyline(cv, [(-0.15, 1.5), (-0.15, 0.84), (-0.16, 0.77)], [0.05, 0.05, 0.058], 1.0, "tube",
             target=bone)
    # Carpal bones (two rows).
    for (x, y, a, b) in [(0.12, 0.61, 0.07, 0.05), (-0.01, 0.62, 0.06, 0.05), (-0.13, 0.63, 0.05, 0.05),
                         (-0.20, 0.58, 0.035, 0.03), (0.17, 0.50, 0.06, 0.045), (0.06, 0.51, 0.05, 0.05),
                         (-0.04, 0.50, 0.055, 0.06), (-0.15, 0.51, 0.055, 0.05)]:
        r = ellipse_field(X, Y, x, y, a, b)
        bone += 0.55 * np.sqrt(np.clip(1 - r * r, 0, 1)) + 0.2 * np.exp(-((r - 1) / 0.12) ** 2) * (r < 1.15)

    # Metacarpals and phalanges of the fingers (little finger on the image left).
    fingers = [(-0.27, 0.44, 0.85, 8.0), (-0.10, 0.45, 1.00, 3.0), (0.07, 0.45, 1.05, -1.0),
               (0.22, 0.44, 0.95, -6.0)]
    for (bx, by, length, ang) in fingers:
        a = np.deg2rad(ang)
        ux, uy = np.sin(-a), -np.cos(a)
        segs = [0.36 * length, 0.24 * length, 0.15 * length, 0.11 * length]  # MC, P1, P2, P3
        radii = [0.030, 0.029, 0.024, 0.019]
        x0, y0 = bx, by
        for i, (L, r) in enumerate(zip(segs, radii)):
            gap = 0.032 if i else 0.0
            x0, y0 = x0 + ux * gap, y0 + uy * gap
            x1, y1 = x0 + ux * L, y0 + uy * L
            polyline(cv, [(x0, y0), (x0 + ux * 0.2 * L, y0 + uy * 0.2 * L), (x1 - ux * 0.15 * L, y1 - uy * 0.15 * L),
                          (x1, y1)], [r * 1.15, r * 0.8, r * 0.85, r * 1.1], 1.0, "tube", target=bone)
            x0, y0 = x1, y1
        tipx, tipy = x0 + ux * 0.02, y0 + uy * 0.02
        polyline(cv, [(bx, by + 0.05), (tipx, tipy)], 0.075, 1.0, "solid", target=soft_t)

    # Thumb: metacarpal and two phalanges, angled out to the right.
    a = np.deg2rad(38.0)
    ux, uy = np.sin(a), -np.cos(a)
    x0, y0 = 0.22, 0.52
    for i, (L, r) in enumerate([(0.30, 0.033), (0.20, 0.030), (0.15, 0.024)]):
        gap = 0.032 if i else 0.0
        x0, y0 = x0 + ux * gap, y0 + uy * gap
        x1, y1 = x0 + ux * L, y0 + uy * L
        polyline(cv, [(x0, y0), (x0 + ux * 0.2 * L, y0 + uy * 0.2 * L), (x1 - ux * 0.15 * L, y1 - uy * 0.15 * L),
                      (x1, y1)], [r * 1.15, r * 0.8, r * 0.85, r * 1.1], 1.0, "tube", target=bone)
        x0, y0 = x1, y1
        ux, uy = np.sin(a - 0.15 * (i + 1)), -np.cos(a - 0.15 * (i + 1))
    polyline(cv, [(0.18, 0.45), (x0 + ux * 0.02, y0 + uy * 0.02)], 0.085, 1.0, "solid", target=soft_t)

    body = (soft_t > 0).astype(float)
    cv.D = blur(0.30 * np.clip(soft_t, 0, 1) + 0.36 * np.clip(bone, 0, 1.3), 1.0)
    add_noise(cv, rng, body, mottle=0.010, grain=0.005)
    return np.clip(cv.D, 0.0, None)


# ----------------------------------------------------------------------------------------------
# The studies
# ----------------------------------------------------------------------------------------------

PATIENTS = {
    "P1": dict(id="NV1004821", family="Hartley", given=["Margaret", "Ellen"], sex="F", birth="19520314",
               fhir_gender="female"),
    "P2": dict(id="NV1007395", family="Müller", given=["Jürgen"], sex="M", birth="19480922",
               fhir_gender="male"),
    "P3": dict(id="NV1011468", family="Okafor", given=["Chidinma"], sex="F", birth="19890607",
               fhir_gender="female"),
    "P4": dict(id="NV1013307", family="Lindqvist", given=["Erik"], sex="M", birth="19710128",
               fhir_gender="male"),
    "P5": dict(id="NV1016952", family="Reyes", given=["Daniel", "Alejandro"], sex="M", birth="19950811",
               fhir_gender="male"),
}

# Pixel encodings: how the density D maps to stored values.
#   offset/gain: stored (before inversion) = offset + gain * D, clipped to [0, 2^bits_stored - 1]
#   window: in modality units (after rescale), computed from the density range it should show.

STUDIES = [
    dict(
        folder="pa-chest-dx-12bit-rescaled",
        patient="P1", accession="NV24011507", date="20240115", time="083412",
        description="XR CHEST PA", priority="routine",
        loinc=("36554-4", "XR Chest Single view"),
        referrer=("Novak", "Ivana"),
        reason="Shortness of breath for 3 days, evaluate for pneumonia",
        note="68-year-old woman, productive cough, low-grade fever 38.1 C. Former smoker.",
        exercises="Happy path. DX For Presentation, 16 bits allocated / 12 stored, MONOCHROME2, "
                  "non-identity Modality LUT (RescaleSlope 2, RescaleIntercept -1024), one window, "
                  "PresentationLUTShape IDENTITY, non-square (560 x 640).",
        expected="frontal",
        series=[
            dict(number=1, description="CHEST PA", images=[dict(
                file="series01-pa.dcm", view="PA", modality="DX", rows=640, cols=560, seed=1101,
                phantom=("frontal", dict(scale=0.0033, cy=-0.20, female=True)),
                bits_allocated=16, bits_stored=12, photometric="MONOCHROME2", slope="2", intercept="-1024",
                offset=260.0, gain=3300.0, windows=[("NORMAL", 0.05, 1.00)], spacing="0.68",
                transfer=EXPLICIT_VR_LE, kvp="120", sid="1800")]),
        ],
    ),
    dict(
        folder="ap-portable-chest-cr-mono1",
        patient="P2", accession="NV24012233", date="20240122", time="041907",
        description="XR CHEST PORTABLE AP", priority="stat",
        loinc=("36589-0", "Portable XR Chest AP single view"),
        referrer=("Adeyemi", "Tunde"),
        reason="Intubated in ICU, acute hypoxia; assess for pneumothorax and tube position",
        note="75-year-old man, post-operative day 2 after CABG, SpO2 86% on FiO2 0.6.",
        exercises="CR (not DX) SOP class, AP portable with ECG electrodes, MONOCHROME1 (stored values "
                  "inverted: bone is low), 16 allocated / 10 stored, identity rescale, own window in "
                  "stored units, PresentationLUTShape INVERSE, landscape (640 x 560). Renders like the "
                  "others only when the inversion is applied after the VOI LUT.",
        expected="frontal",
        series=[
            dict(number=1, description="CHEST AP PORTABLE", images=[dict(
                file="series01-ap-portable.dcm", view="AP", modality="CR", rows=560, cols=640, seed=2201,
                phantom=("frontal", dict(scale=0.0031, cy=-0.14, ap=True, heart_scale=1.16,
                                         dome_shift=-0.06, rotate_deg=2.0, electrodes=True,
                                         body_width=1.04)),
                bits_allocated=16, bits_stored=10, photometric="MONOCHROME1", slope="1", intercept="0",
                offset=50.0, gain=880.0, windows=[("PORTABLE", 0.08, 1.02)], spacing="0.60",
                transfer=EXPLICIT_VR_LE, kvp="90", sid="1000")]),
        ],
    ),
    dict(
        folder="pa-chest-dx-8bit-no-window",
        patient="P3", accession="NV24020518", date="20240205", time="142250",
        description="XR CHEST PA", priority="routine",
        loinc=("36554-4", "XR Chest Single view"),
        referrer=("Whitfield", "Hannah"),
        reason="Pre-operative assessment before laparoscopic cholecystectomy",
        note="34-year-old woman, asymptomatic, no cardiorespiratory history.",
        exercises="8-bit DX (BitsAllocated 8, OB pixel data), MONOCHROME2, identity rescale and no "
                  "WindowCenter/Width or VOI LUT: the pipeline must fall back to min/max.",
        expected="frontal",
        series=[
            dict(number=1, description="CHEST PA", images=[dict(
                file="series01-pa.dcm", view="PA", modality="DX", rows=512, cols=512, seed=3101,
                phantom=("frontal", dict(scale=0.0037, cy=-0.18, female=True, heart_scale=0.94,
                                         body_width=0.96)),
                bits_allocated=8, bits_stored=8, photometric="MONOCHROME2", slope="1", intercept="0",
                offset=8.0, gain=300.0, windows=[], spacing="0.70",
                transfer=EXPLICIT_VR_LE, kvp="120", sid="1800")]),
        ],
    ),
    dict(
        folder="pa-and-lateral-chest-dx-two-series",
        patient="P1", accession="NV24030411", date="20240304", time="101530",
        description="XR CHEST PA AND LATERAL", priority="urgent",
        loinc=("36643-5", "XR Chest 2 Views"),
        referrer=("Novak", "Ivana"),
        reason="Follow-up of right lower lobe pneumonia after antibiotics; persistent cough",
        note="Community-acquired pneumonia diagnosed 2024-01-15, completed 7 days of amoxicillin.",
        exercises="Two series: the lateral (LL) is series 1 and the PA is series 2, so taking the first "
                  "instance is wrong. PA: 16/12 bits, identity rescale, two windows (NORMAL, HARD) with "
                  "explanations and VOILUTFunction LINEAR: use the first.",
        expected="frontal",
        expected_file="series02-pa.dcm",
        series=[
            dict(number=1, description="CHEST LAT", images=[dict(
                file="series01-lateral.dcm", view="LL", modality="DX", rows=640, cols=576, seed=4101,
                phantom=("lateral", dict(scale=0.0033, cy=-0.18)),
                bits_allocated=16, bits_stored=12, photometric="MONOCHROME2", slope="1", intercept="0",
                offset=300.0, gain=3000.0, windows=[("NORMAL", 0.15, 1.05)], spacing="0.68",
                transfer=EXPLICIT_VR_LE, kvp="125", sid="1800")]),
            dict(number=2, description="CHEST PA", images=[dict(
                file="series02-pa.dcm", view="PA", modality="DX", rows=640, cols=576, seed=4201,
                phantom=("frontal", dict(scale=0.0033, cy=-0.20, female=True)),
                bits_allocated=16, bits_stored=12, photometric="MONOCHROME2", slope="1", intercept="0",
                offset=300.0, gain=3300.0, windows=[("NORMAL", 0.05, 1.00), ("HARD", 0.15, 0.70)],
                voi_function="LINEAR", spacing="0.68", transfer=EXPLICIT_VR_LE, kvp="120", sid="1800")]),
        ],
    ),
    dict(
        folder="lateral-only-chest-dx",
        patient="P4", accession="NV24021902", date="20240219", time="163805",
        description="XR CHEST 2 VIEWS", priority="routine",
        loinc=("36643-5", "XR Chest 2 Views"),
        referrer=("Castellanos", "Marta"),
        reason="Chronic cough for 8 weeks, rule out mass",
        note="53-year-old man, 30 pack-years. Only the lateral view reached PACS.",
        exercises="A chest study with only a lateral (LL) image and Implicit VR Little Endian: no "
                  "frontal view to select (coded reason no-frontal-view).",
        expected="no-frontal-view",
        series=[
            dict(number=1, description="CHEST LAT", images=[dict(
                file="series01-lateral.dcm", view="LL", modality="DX", rows=600, cols=560, seed=5101,
                phantom=("lateral", dict(scale=0.0035, cy=-0.16, dome_shift=0.03)),
                bits_allocated=16, bits_stored=12, photometric="MONOCHROME2", slope="1", intercept="0",
                offset=300.0, gain=3000.0, windows=[("NORMAL", 0.15, 1.05)], spacing="0.70",
                transfer=IMPLICIT_VR_LE, kvp="125", sid="1800")]),
        ],
    ),
    dict(
        folder="hand-dx-not-chest",
        patient="P5", accession="NV24031164", date="20240311", time="192144",
        description="XR HAND LEFT PA", priority="urgent",
        loinc=("36623-7", "XR Hand - left PA"),
        referrer=("Brennan", "Liam"),
        reason="Fall on outstretched left hand, pain over the fifth metacarpal; evaluate for fracture",
        note="28-year-old man, injury 2 hours ago, swelling over the ulnar side of the hand.",
        exercises="DX of a left hand (BodyPartExamined HAND, ImageLaterality L, ViewPosition PA): a "
                  "frontal-looking image that is not a chest (coded reason not-chest). 16 allocated / "
                  "14 stored.",
        expected="not-chest",
        body_part="HAND",
        series=[
            dict(number=1, description="HAND LEFT PA", images=[dict(
                file="series01-hand-pa.dcm", view="PA", modality="DX", rows=600, cols=480, seed=6101,
                phantom=("hand", dict(scale=0.0036, cy=0.18)),
                bits_allocated=16, bits_stored=14, photometric="MONOCHROME2", slope="1", intercept="0",
                offset=600.0, gain=12500.0, windows=[("NORMAL", 0.0, 0.80)], spacing="0.20",
                transfer=EXPLICIT_VR_LE, kvp="55", sid="1100", laterality="L")]),
        ],
    ),
]


def render_phantom(img):
    kind, kw = img["phantom"]
    args = (img["rows"], img["cols"], kw["scale"], kw["cy"], img["seed"])
    rest = {k: v for k, v in kw.items() if k not in ("scale", "cy")}
    if kind == "frontal":
        return frontal_chest(*args, **rest)
    if kind == "lateral":
        return lateral_chest(*args, **rest)
    if kind == "hand":
        return left_hand_pa(*args, **rest)
    raise ValueError(kind)


def encode_pixels(img, D):
    """Density -> stored values. Returns (stored array, list of (center, width, explanation))."""
    maxval = (1 << img["bits_stored"]) - 1
    sv = np.clip(np.rint(img["offset"] + img["gain"] * D), 0, maxval)
    if img["photometric"] == "MONOCHROME1":
        sv = maxval - sv
    slope, intercept = float(img["slope"]), float(img["intercept"])
    windows = []
    for expl, d_lo, d_hi in img["windows"]:
        lo = img["offset"] + img["gain"] * d_lo
        hi = img["offset"] + img["gain"] * d_hi
        if img["photometric"] == "MONOCHROME1":
            lo, hi = maxval - hi, maxval - lo
        lo, hi = slope * lo + intercept, slope * hi + intercept
        windows.append((int(round((lo + hi) / 2)), int(round(hi - lo)), expl))
    dtype = np.uint8 if img["bits_allocated"] == 8 else "<u2"
    return sv.astype(dtype), windows


# ----------------------------------------------------------------------------------------------
# DICOM
# ----------------------------------------------------------------------------------------------


ORDER_LEAD_MINUTES = 47  # ServiceRequest.authoredOn precedes the study start
SERIES_GAP_SECONDS = 95  # each further series starts this much later


def study_time(study):
    return datetime.datetime.strptime(study["date"] + study["time"], "%Y%m%d%H%M%S")


def series_time(study, series):
    return study_time(study) + datetime.timedelta(seconds=SERIES_GAP_SECONDS * (series["number"] - 1))


def code_item(value, scheme, meaning):
    it = Dataset()
    it.CodeValue = value
    it.CodingSchemeDesignator = scheme
    it.CodeMeaning = meaning
    return it


def age_string(birth, date):
    y = int(date[:4]) - int(birth[:4])
    if date[4:] < birth[4:]:
        y -= 1
    return "%03dY" % y


def person_name(family, given):
    return "%s^%s" % (family, " ".join(given)) if len(given) == 1 else "%s^%s^%s" % (family, given[0], given[1])


def build_dataset(study, series, img, uids, stored, windows):
    p = PATIENTS[study["patient"]]
    body_part = study.get("body_part", "CHEST")
    is_dx = img["modality"] == "DX"
    sop_class = SOP_CLASS_DX_PRESENTATION if is_dx else SOP_CLASS_CR

    meta = FileMetaDataset()
    meta.FileMetaInformationVersion = b"\x00\x01"
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = uids["sop"]
    meta.TransferSyntaxUID = img["transfer"]
    meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME

    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.is_little_endian = True
    ds.is_implicit_VR = img["transfer"] == IMPLICIT_VR_LE

    # SOP Common, General Study, Patient
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = uids["sop"]
    started = study_time(study)
    acquired = series_time(study, series)
    ds.StudyDate = started.strftime("%Y%m%d")
    ds.SeriesDate = acquired.strftime("%Y%m%d")
    ds.AcquisitionDate = acquired.strftime("%Y%m%d")
    ds.ContentDate = acquired.strftime("%Y%m%d")
    ds.StudyTime = started.strftime("%H%M%S")
    ds.SeriesTime = acquired.strftime("%H%M%S")
    ds.AcquisitionTime = acquired.strftime("%H%M%S")
    ds.ContentTime = acquired.strftime("%H%M%S")
    ds.AccessionNumber = study["accession"]
    ds.Modality = img["modality"]
    if is_dx:
        ds.PresentationIntentType = "FOR PRESENTATION"
    ds.Manufacturer = MANUFACTURER
    ds.InstitutionName = INSTITUTION
    ds.ReferringPhysicianName = "%s^%s^^Dr." % study["referrer"]
    ds.TimezoneOffsetFromUTC = TIMEZONE_DICOM
    ds.StationName = "DXROOM2" if is_dx else "PORTCR1"
    ds.StudyDescription = study["description"]
    ds.SeriesDescription = series["description"]
    ds.ManufacturerModelName = "Synthetic Phantom %s" % img["modality"]
    ds.PatientName = person_name(p["family"], p["given"])
    ds.PatientID = p["id"]
    ds.IssuerOfPatientID = "NVGH"
    ds.PatientBirthDate = p["birth"]
    ds.PatientSex = p["sex"]
    ds.PatientAge = age_string(p["birth"], study["date"])
    ds.BodyPartExamined = body_part
    ds.KVP = img["kvp"]
    ds.DistanceSourceToDetector = img["sid"]
    ds.SoftwareVersions = "generate.py 1"
    ds.ProtocolName = series["description"]
    ds.ImagerPixelSpacing = [img["spacing"], img["spacing"]]
    ds.ViewPosition = img["view"]
    ds.StudyInstanceUID = uids["study"]
    ds.SeriesInstanceUID = uids["series"]
    ds.StudyID = study["accession"][-4:]
    ds.SeriesNumber = series["number"]
    ds.AcquisitionNumber = 1
    ds.InstanceNumber = 1
    if img["view"] == "LL":
        ds.PatientOrientation = ["P", "F"]
    elif body_part == "HAND":
        ds.PatientOrientation = ["L", "H"]
    else:
        ds.PatientOrientation = ["L", "F"]
    if is_dx:
        ds.ImageLaterality = img.get("laterality", "U")
    elif "laterality" in img:
        ds.Laterality = img["laterality"]

    # Image Pixel
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = img["photometric"]
    ds.Rows = img["rows"]
    ds.Columns = img["cols"]
    ds.BitsAllocated = img["bits_allocated"]
    ds.BitsStored = img["bits_stored"]
    ds.HighBit = img["bits_stored"] - 1
    ds.PixelRepresentation = 0
    ds.BurnedInAnnotation = "NO"
    if is_dx:
        ds.PixelIntensityRelationship = "LOG"
        ds.PixelIntensityRelationshipSign = -1 if img["photometric"] == "MONOCHROME2" else 1
    if windows:
        ds.WindowCenter = [str(w[0]) for w in windows] if len(windows) > 1 else str(windows[0][0])
        ds.WindowWidth = [str(w[1]) for w in windows] if len(windows) > 1 else str(windows[0][1])
        ds.WindowCenterWidthExplanation = [w[2] for w in windows] if len(windows) > 1 else windows[0][2]
        if "voi_function" in img:
            ds.VOILUTFunction = img["voi_function"]
    ds.RescaleIntercept = img["intercept"]
    ds.RescaleSlope = img["slope"]
    ds.RescaleType = "US"
    ds.LossyImageCompression = "00"
    if is_dx:
        ds.AnatomicRegionSequence = Sequence([code_item(ANATOMY_CODES[body_part][0], "SCT",
                                                        ANATOMY_CODES[body_part][1])])
        ds.ViewCodeSequence = Sequence([code_item(VIEW_CODES[img["view"]][0], "SCT", VIEW_CODES[img["view"]][1])])
        ds.ViewCodeSequence[0].ViewModifierCodeSequence = Sequence([])
    ds.PresentationLUTShape = "INVERSE" if img["photometric"] == "MONOCHROME1" else "IDENTITY"

    ds.add_new(0x7FE00010, "OB" if img["bits_allocated"] == 8 else "OW", stored.tobytes())
    return ds


def write_dicom(ds, path):
    # write_like_original=False: group length, preamble and the meta header are (re)written properly.
    ds.save_as(path, write_like_original=False)


# ----------------------------------------------------------------------------------------------
# FHIR R4 transaction bundle
# ----------------------------------------------------------------------------------------------


def fhir_datetime(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S") + TIMEZONE_FHIR


def accession_identifier(acc):
    return {
        "type": {"coding": [{"system": V2_0203, "code": "ACSN", "display": "Accession ID"}]},
        "system": ACCESSION_SYSTEM,
        "value": acc,
    }


def build_bundle(study, study_uid, series_records):
    p = PATIENTS[study["patient"]]
    key = study["folder"]
    pat_urn = make_urn("patient/" + p["id"])
    sr_urn = make_urn("service-request/" + study["accession"])
    ep_urn = make_urn("endpoint/dicomweb")
    is_urn = make_urn("imaging-study/" + key)
    body_part = study.get("body_part", "CHEST")
    started = fhir_datetime(study_time(study))
    authored = fhir_datetime(study_time(study) - datetime.timedelta(minutes=ORDER_LEAD_MINUTES))
    code = {"coding": [{"system": LOINC, "code": study["loinc"][0], "display": study["loinc"][1]}],
            "text": study["loinc"][1]}
    referrer = "Dr. %s %s" % (study["referrer"][1], study["referrer"][0])
    patient_display = "%s %s" % (" ".join(p["given"]), p["family"])

    patient = {
        "resourceType": "Patient",
        "identifier": [{
            "use": "usual",
            "type": {"coding": [{"system": V2_0203, "code": "MR", "display": "Medical record number"}]},
            "system": MRN_SYSTEM,
            "value": p["id"],
        }],
        "active": True,
        "name": [{"use": "official", "family": p["family"], "given": p["given"]}],
        "gender": p["fhir_gender"],
        "birthDate": "%s-%s-%s" % (p["birth"][:4], p["birth"][4:6], p["birth"][6:]),
    }
    service_request = {
        "resourceType": "ServiceRequest",
        "identifier": [accession_identifier(study["accession"])],
        "status": "active",
        "intent": "order",
        "category": [{"coding": [{"system": SNOMED, "code": "363679005", "display": "Imaging"}]}],
        "priority": study["priority"],
        "code": code,
        "subject": {"reference": pat_urn, "display": patient_display},
        "authoredOn": authored,
        "requester": {"display": referrer},
        "reasonCode": [{"text": study["reason"]}],
        "note": [{"text": study["note"]}],
    }
    endpoint = {
        "resourceType": "Endpoint",
        "identifier": [{"system": ENDPOINT_SYSTEM, "value": "pacs-dicomweb"}],
        "status": "active",
        "connectionType": {
            "system": "http://terminology.hl7.org/CodeSystem/endpoint-connection-type",
            "code": "dicom-wado-rs",
            "display": "DICOM WADO-RS",
        },
        "name": "PACS DICOMweb (placeholder address, replaced by the loader)",
        "payloadType": [{
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/endpoint-payload-type",
                        "code": "any", "display": "Any"}],
            "text": "DICOM",
        }],
        "payloadMimeType": ["application/dicom"],
        "address": DICOMWEB_PLACEHOLDER,
    }
    modalities = []
    for s in series_records:
        if s["modality"] not in modalities:
            modalities.append(s["modality"])
    bs_code, bs_display = BODY_SITES[body_part]
    series_json = []
    for s in series_records:
        entry = {
            "uid": s["uid"],
            "number": s["number"],
            "modality": {"system": DCM, "code": s["modality"]},
            "description": s["description"],
            "numberOfInstances": len(s["instances"]),
            "bodySite": {"system": SNOMED, "code": bs_code, "display": bs_display},
        }
        if s.get("laterality") == "L":
            entry["laterality"] = {"system": SNOMED, "code": "7771000", "display": "Left"}
        entry["started"] = fhir_datetime(s["time"])
        entry["instance"] = [{
            "uid": i["uid"],
            "sopClass": {"system": "urn:ietf:rfc:3986", "code": "urn:oid:" + i["sop_class"]},
            "number": i["number"],
            "title": i["title"],
        } for i in s["instances"]]
        series_json.append(entry)
    imaging_study = {
        "resourceType": "ImagingStudy",
        "identifier": [
            {"system": "urn:dicom:uid", "value": "urn:oid:" + study_uid},
            accession_identifier(study["accession"]),
        ],
        "status": "available",
        "modality": [{"system": DCM, "code": m} for m in modalities],
        "subject": {"reference": pat_urn, "display": patient_display},
        "started": started,
        "basedOn": [{"reference": sr_urn}],
        "referrer": {"display": referrer},
        "endpoint": [{"reference": ep_urn}],
        "numberOfSeries": len(series_records),
        "numberOfInstances": sum(len(s["instances"]) for s in series_records),
        "procedureCode": [code],
        "reasonCode": [{"text": study["reason"]}],
        "description": study["description"],
        "series": series_json,
    }

    def entry(urn, res, query):
        return {"fullUrl": urn, "resource": res,
                "request": {"method": "POST", "url": res["resourceType"], "ifNoneExist": query}}

    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            entry(pat_urn, patient, "identifier=%s|%s" % (MRN_SYSTEM, p["id"])),
            entry(sr_urn, service_request, "identifier=%s|%s" % (ACCESSION_SYSTEM, study["accession"])),
            entry(ep_urn, endpoint, "identifier=%s|pacs-dicomweb" % ENDPOINT_SYSTEM),
            entry(is_urn, imaging_study, "identifier=urn:dicom:uid|urn:oid:%s" % study_uid),
        ],
    }


# ----------------------------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------------------------


def write_json(path, obj):
    with open(path, "wb") as f:
        f.write((json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def generate(out_root):
    studies_dir = os.path.join(out_root, "studies")
    os.makedirs(studies_dir, exist_ok=True)
    manifest = {
        "description": "Synthetic chest X-ray sample studies (generated by generate.py; do not edit).",
        "dicomwebPlaceholder": DICOMWEB_PLACEHOLDER,
        "studies": [],
    }
    for study in STUDIES:
        folder = os.path.join(studies_dir, study["folder"])
        os.makedirs(folder, exist_ok=True)
        p = PATIENTS[study["patient"]]
        study_uid = make_uid("study/" + study["folder"])
        series_records = []
        files = []
        for series in study["series"]:
            series_uid = make_uid("series/%s/%d" % (study["folder"], series["number"]))
            rec = dict(uid=series_uid, number=series["number"], description=series["description"],
                       modality=series["images"][0]["modality"], instances=[],
                       time=series_time(study, series),
                       laterality=series["images"][0].get("laterality"))
            for n, img in enumerate(series["images"], start=1):
                sop_uid = make_uid("instance/%s/%d/%d" % (study["folder"], series["number"], n))
                D = render_phantom(img)
                stored, windows = encode_pixels(img, D)
                ds = build_dataset(study, series, img,
                                   dict(study=study_uid, series=series_uid, sop=sop_uid), stored, windows)
                path = os.path.join(folder, img["file"])
                write_dicom(ds, path)
                rec["instances"].append(dict(uid=sop_uid, sop_class=ds.SOPClassUID, number=n,
                                             title=series["description"]))
                files.append({
                    "path": "studies/%s/%s" % (study["folder"], img["file"]),
                    "sopClassUid": ds.SOPClassUID,
                    "sopInstanceUid": sop_uid,
                    "seriesInstanceUid": series_uid,
                    "seriesNumber": series["number"],
                    "instanceNumber": n,
                    "modality": img["modality"],
                    "bodyPartExamined": ds.BodyPartExamined,
                    "viewPosition": img["view"],
                    "transferSyntaxUid": img["transfer"],
                    "rows": img["rows"],
                    "columns": img["cols"],
                    "photometricInterpretation": img["photometric"],
                    "bitsAllocated": img["bits_allocated"],
                    "bitsStored": img["bits_stored"],
                    "rescaleSlope": img["slope"],
                    "rescaleIntercept": img["intercept"],
                    "windowCenter": [w[0] for w in windows],
                    "windowWidth": [w[1] for w in windows],
                    "presentationLutShape": ds.PresentationLUTShape,
                    "storedMin": int(stored.min()),
                    "storedMax": int(stored.max()),
                    "bytes": os.path.getsize(path),
                    "sha256": sha256_file(path),
                })
            series_records.append(rec)
        write_json(os.path.join(folder, "fhir-bundle.json"), build_bundle(study, study_uid, series_records))
        if study["expected"] == "frontal":
            want = study.get("expected_file", files[0]["path"].rsplit("/", 1)[1])
            sop = next(f["sopInstanceUid"] for f in files if f["path"].endswith("/" + want))
            expected = {"outcome": "frontal", "sopInstanceUid": sop}
        else:
            expected = {"outcome": study["expected"]}
        manifest["studies"].append({
            "folder": "studies/" + study["folder"],
            "exercises": study["exercises"],
            "studyInstanceUid": study_uid,
            "accessionNumber": study["accession"],
            "patientId": p["id"],
            "patientName": person_name(p["family"], p["given"]),
            "studyDate": study["date"],
            "studyDescription": study["description"],
            "orderCode": {"system": LOINC, "code": study["loinc"][0], "display": study["loinc"][1]},
            "priority": study["priority"],
            "indication": study["reason"],
            "fhirBundle": "studies/%s/fhir-bundle.json" % study["folder"],
            "files": files,
            "expectedSelection": expected,
        })
    write_json(os.path.join(out_root, "manifest.json"), manifest)


def generated_files(root):
    out = [os.path.join(root, "manifest.json")]
    for dirpath, _, names in os.walk(os.path.join(root, "studies")):
        out += [os.path.join(dirpath, n) for n in names]
    return sorted(os.path.relpath(p, root) for p in out if os.path.exists(p))


def check(committed_root):
    tmp = tempfile.mkdtemp(prefix="sample-studies-check-")
    try:
        generate(tmp)
        fresh = generated_files(tmp)
        have = generated_files(committed_root)
        problems = []
        for rel in sorted(set(fresh) | set(have)):
            if rel not in have:
                problems.append("missing: " + rel)
            elif rel not in fresh:
                problems.append("not produced by the generator: " + rel)
            else:
                with open(os.path.join(tmp, rel), "rb") as a, open(os.path.join(committed_root, rel), "rb") as b:
                    if a.read() != b.read():
                        problems.append("differs: " + rel)
        for p in problems:
            print(p, file=sys.stderr)
        if problems:
            print("sample-studies: %d difference(s); run generate.py to refresh" % len(problems), file=sys.stderr)
            return 1
        print("sample-studies: %d files identical" % len(fresh))
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="regenerate into a temp dir and compare byte by byte")
    ap.add_argument("--out", default=HERE, help="output root (default: this folder)")
    args = ap.parse_args()
    if args.check:
        return check(args.out)
    if os.path.isdir(os.path.join(args.out, "studies")):
        shutil.rmtree(os.path.join(args.out, "studies"))
    generate(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
