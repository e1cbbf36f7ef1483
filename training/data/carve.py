"""Collect sharp photographs and photographic cut-outs from the extracted packages.

Writes training/.cache/photos.json and objects.json, with every image normalised to a .npy
(uint8, photos HxWx3 with the short side at most PHOTO_SHORT_MAX, objects HxWx4 RGBA) so the
generator's workers can memory-map them instead of decoding 20 MP JPEGs per sample.
"""
import glob
import hashlib
import io
import json
import os
import struct
import zlib

import numpy as np
from PIL import Image

from .fetch import ALL_PACKAGES, CACHE, EXTRACT, TRAIN_ONLY_PACKAGES, fetch_all

PHOTO_SHORT_MAX = 1080   # downscale big wallpapers: sharper pixels, saner crop scales
NPY_DIR = os.path.join(CACHE, "npy")

LICENCES = {  # from shared docs/training-data.md
    "gcompris-qt-data": "per-file Wikimedia CC licences (see gcompris credits)",
    "lomiri-wallpapers-16.04": "CC-BY(-SA)", "lomiri-wallpapers-20.04": "CC-BY(-SA)",
    "mate-backgrounds": "GPL-2+", "lxqt-themes": "CC-BY-SA-3.0",
    "opencv-doc": "OpenCV sample data (BSD / per-file, see package copyright)",
    "palapeli-data": "see package copyright (KDE)", "digikam-data": "see package copyright (KDE)",
    "libjxl-testdata": "see package copyright", "tuxpaint-stamps-default": "GPL-2+ / per-stamp",
    "plasma-workspace-wallpapers": "LGPL-3 (each wallpaper's metadata.json)",
}

GCOMPRIS_RCC = ["erase", "explore_monuments", "explore_world_animals",
                "explore_farm_animals", "categorization"]
# Abstract art / gradients / logos among the wallpapers (not photographs).
SKIP_NAMES = {"analogpattern_by_Peter_Nerlich.jpg", "umang_by_Abhishek_Mudgal.jpg",
              "Fossa_by_Jasper_Roks.jpg", "Infinite-Sea_by_Aury88.jpg",
              "Painting-Colors_by__herobrine7gamer.jpg"}
LXQT_PHOTOS = ["Butterfly-Kenneth-Wimer.jpg", "after-the-rain.jpg", "fog.jpg",
               "this-is-not-windows.jpg", "Valendas.png", "appleflower.png", "beam.png",
               "butterfly.png", "cloud.png", "drop.png", "flowers.png"]
# OpenCV sample data: colour photographs only (no drawings, greyscale, paintings, motion blur);
# of each stereo / view pair only one is kept, except leuven A/B which share a split group.
OPENCV_PHOTOS = ["aero1.jpg", "aero3.jpg", "aloeL.jpg", "apple.jpg", "baboon.jpg", "board.jpg",
                 "building.jpg", "butterfly.jpg", "chicky_512.png", "ela_original.jpg",
                 "fruits.jpg", "graf1.png", "home.jpg", "left.jpg", "leuvenA.jpg",
                 "leuvenB.jpg", "messi5.jpg", "orange.jpg", "rubberwhale1.png",
                 "squirrel_cls.jpg", "stuff.jpg"]
# KDE Plasma wallpapers that are photographs (the other 19 are artwork); the largest size of each.
PLASMA_PHOTOS = ["BytheWater", "ColdRipple", "ColorfulCups", "DarkestHour", "EveningGlow", "FallenLeaf",
                 "Grey", "Kite", "OneStandsOut", "Path", "summer_1am"]
GROUPS = {"leuvenA.jpg": "opencv-leuven", "leuvenB.jpg": "opencv-leuven"}


MAGICS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")


def _image_payload(blob):
    """Return blob if it starts with an image magic and PIL decodes it fully, else None."""
    if not blob.startswith(MAGICS) or (blob[:4] == b"RIFF" and blob[8:12] != b"WEBP"):
        return None
    try:
        with Image.open(io.BytesIO(blob)) as im:
            im.load()
        return blob
    except Exception:
        return None


def carve_rcc(path):
    """Yield (offset, bytes) for each image payload in a Qt .rcc resource file.

    The data section (offset in the 'qres' header) is a run of entries, each a 4-byte big-endian
    length followed by the payload; zlib-compressed entries carry a further 4-byte uncompressed
    length. gcompris 3.x ships its photographs as WebP, older ones as JPEG/PNG: accept all three,
    checked by magic bytes and by decoding with PIL.
    """
    data = open(path, "rb").read()
    if data[:4] != b"qres":
        return
    _, _, start, names = struct.unpack(">IIII", data[4:20])
    pos = start
    while pos + 4 <= names:
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        blob = data[pos + 4:pos + 4 + n]
        img = _image_payload(blob)
        if img is None and len(blob) > 6 and blob[4] == 0x78:
            try:
                img = _image_payload(zlib.decompress(blob[4:]))
            except zlib.error:
                img = None
        if img is not None:
            yield pos, img
        pos += 4 + n


def photo_files(ext):
    """List (package, label, opener) for every photograph. opener() returns a PIL image."""
    out = []
    g = os.path.join(ext.get("gcompris-qt-data", "/nonexistent"), "usr/share/gcompris-qt/rcc")
    for name in GCOMPRIS_RCC:
        p = os.path.join(g, name + ".rcc")
        if os.path.exists(p):
            for off, blob in carve_rcc(p):
                out.append(("gcompris-qt-data", f"{name}.rcc@{off}",
                            lambda b=blob: Image.open(io.BytesIO(b))))

    def add(pkg, pattern, keep=lambda f: True):
        if pkg in ext:
            for f in sorted(glob.glob(os.path.join(ext[pkg], pattern))):
                if keep(os.path.basename(f)):
                    out.append((pkg, os.path.relpath(f, ext[pkg]), lambda f=f: Image.open(f)))

    for pkg in ("lomiri-wallpapers-16.04", "lomiri-wallpapers-20.04"):
        add(pkg, "usr/share/backgrounds/*_by_*.jpg", lambda b: b not in SKIP_NAMES)
    add("mate-backgrounds", "usr/share/backgrounds/mate/nature/*.jpg")
    add("lxqt-themes", "usr/share/lxqt/wallpapers/*", lambda b: b in LXQT_PHOTOS)
    add("opencv-doc", "usr/share/doc/opencv-doc/examples/data/*", lambda b: b in OPENCV_PHOTOS)
    add("palapeli-data", "usr/share/palapeli/collection/*.jpg")
    add("digikam-data", "usr/share/digikam/about/images/body-background.jpg")
    add("libjxl-testdata", "usr/share/libjxl-testdata/jxl/flower/flower.png")
    for name in PLASMA_PHOTOS:
        add("plasma-workspace-wallpapers", f"usr/share/wallpapers/{name}/contents/images/2560x1600.jpg")
    return out


def ahash(rgb):
    """8x8 average hash: near-duplicate photos (same picture in two .rcc files) share a group."""
    g = np.asarray(Image.fromarray(rgb).convert("L").resize((8, 8), Image.BOX), np.float32)
    return "".join("1" if v else "0" for v in (g > g.mean()).ravel())


def is_photo_stamp(rel, im):
    """Tux Paint stamp heuristic: keep photographic cut-outs with a real alpha channel.

    Clip-art is rejected when it has an SVG sibling, sits in a 'cartoon' folder, is a pre-made
    '_mirror' duplicate, has no colour alpha (L/LA/RGB modes), or is mostly flat colour: more than
    40 % of horizontally adjacent opaque pixels equal (|diff| <= 3 summed over RGB) or fewer than
    150 distinct 5-bit colours. Alpha must be real: 10-90 % fully transparent, >= 10 % opaque.
    """
    if "/cartoon/" in rel or rel.endswith("_mirror.png") or im.mode not in ("RGBA", "P"):
        return None
    if max(im.size) < 48:
        return None
    a = np.asarray(im.convert("RGBA"))
    al = a[..., 3]
    opaque, transp = al >= 250, al <= 5
    if not (0.1 <= transp.mean() <= 0.9 and opaque.mean() >= 0.1):
        return None
    rgb = a[..., :3].astype(np.int16)
    pair = opaque[:, 1:] & opaque[:, :-1]
    eq = np.abs(rgb[:, 1:] - rgb[:, :-1]).sum(-1) <= 3
    flat = (eq & pair).sum() / max(pair.sum(), 1)
    q = rgb[opaque] // 8
    ncol = len(np.unique(q[:, 0] * 1024 + q[:, 1] * 32 + q[:, 2]))
    return a if (flat < 0.4 and ncol >= 150) else None


def save_npy(kind, key, arr):
    os.makedirs(os.path.join(NPY_DIR, kind), exist_ok=True)
    path = os.path.join(NPY_DIR, kind, hashlib.sha1(key.encode()).hexdigest()[:16] + ".npy")
    np.save(path, arr)
    return path


def carve_all(log=print):
    ext = fetch_all(log=log)
    photos, seen = [], {}
    for pkg, label, opener in photo_files(ext):
        with opener() as im:
            im = im.convert("RGB")
            w, h = im.size
            if min(w, h) > PHOTO_SHORT_MAX:  # Lanczos downscale of big wallpapers
                f = PHOTO_SHORT_MAX / min(w, h)
                im = im.resize((round(w * f), round(h * f)), Image.LANCZOS)
            rgb = np.asarray(im)
        digest = hashlib.sha1(rgb.tobytes()).hexdigest()
        if digest in seen:
            continue  # exact duplicate across .rcc files
        seen[digest] = 1
        hsh = ahash(rgb)
        photos.append(dict(package=pkg, path=label, orig_size=[w, h],
                           size=[rgb.shape[1], rgb.shape[0]], licence=LICENCES[pkg],
                           group=GROUPS.get(os.path.basename(label), "ahash-" + hsh),
                           train_only=pkg in TRAIN_ONLY_PACKAGES, npy=save_npy("photos", pkg + label, rgb)))
    objects = []
    if "tuxpaint-stamps-default" in ext:
        root = os.path.join(ext["tuxpaint-stamps-default"], "usr/share/tuxpaint/stamps")
        for f in sorted(glob.glob(root + "/**/*.png", recursive=True)):
            if os.path.exists(f[:-4] + ".svg"):
                continue  # PNG rendering of a vector stamp: clip-art
            rel = os.path.relpath(f, root)
            with Image.open(f) as im:
                rgba = is_photo_stamp("/" + rel, im)
            if rgba is not None:
                objects.append(dict(package="tuxpaint-stamps-default", path=rel,
                                    size=[rgba.shape[1], rgba.shape[0]],
                                    licence=LICENCES["tuxpaint-stamps-default"],
                                    npy=save_npy("objects", rel, rgba)))
    for name, items in (("photos.json", photos), ("objects.json", objects),
                        ("carve.json", {"packages": ALL_PACKAGES})):
        with open(os.path.join(CACHE, name + ".tmp"), "w") as fh:
            json.dump(items, fh, indent=1)
        os.replace(os.path.join(CACHE, name + ".tmp"), os.path.join(CACHE, name))
    counts = {}
    for p in photos:
        counts[p["package"]] = counts.get(p["package"], 0) + 1
    log(f"[carve] photos per package: {counts}; total {len(photos)}; objects {len(objects)}")
    return photos, objects


def load_index():
    """Return (photos, objects) from the JSON indexes, carving first when they are missing or were carved
    from another package list."""
    pj, oj, cj = (os.path.join(CACHE, n) for n in ("photos.json", "objects.json", "carve.json"))
    if not all(os.path.exists(p) for p in (pj, oj, cj)) or \
            json.load(open(cj))["packages"] != ALL_PACKAGES:
        return carve_all()
    return json.load(open(pj)), json.load(open(oj))


if __name__ == "__main__":
    carve_all()
