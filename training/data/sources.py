"""A compact copy of the carved photos and objects, to synthesise the training set where the Debian packages
cannot be fetched (the GPU machine: no package registry, a 64 MiB carried tree).

    /usr/bin/python3 -m training.data.sources --out training/.sources [--max-side 1024] [--quality 90]
    # there:  python3 -m training.data.build --sources training/.sources --out training/.data/synth --workers 16

Layout: OUT/sources.json ({"photos": [...], "objects": [...]}, carve.py's records with `file` in place of
`npy` and `size` as stored), OUT/photos/NNNN.jpg (JPEG, 4:2:0, long side at most --max-side),
OUT/objects/NNNN.webp (lossless RGBA with the colour under transparent pixels kept, long side at most 256:
the generator draws objects at most half of a 256 px sample). Order, `group` and `train_only` are kept, so
build.py splits train from validation exactly as at home. Defaults: 36.2 MiB for 324 photos and 323 objects.
"""
import argparse
import hashlib
import json
import os
import tempfile

import numpy as np
from PIL import Image

from .carve import load_index

OBJECT_SIDE = 256


def _fit(im: Image.Image, side: int) -> Image.Image:
    f = side / max(im.size)
    return im if f >= 1 else im.resize((round(im.size[0] * f), round(im.size[1] * f)), Image.LANCZOS)


def _save_atomic(im: Image.Image, path: str, **kw) -> None:
    tmp = path + ".tmp"
    im.save(tmp, **kw)
    os.replace(tmp, path)


def write(out, photos, objects, max_side=1024, quality=90) -> dict:
    """Write the pack from carve.py's records (each with an `npy`); returns its summary."""
    records = {"photos": [], "objects": []}
    for kind, items in (("photos", photos), ("objects", objects)):
        os.makedirs(os.path.join(out, kind), exist_ok=True)
        for i, rec in enumerate(items):
            im = Image.fromarray(np.load(rec["npy"]))
            if kind == "photos":
                im, name = _fit(im, max_side), f"{i:04d}.jpg"
                _save_atomic(im, os.path.join(out, kind, name), format="JPEG", quality=quality)
            else:
                im, name = _fit(im, OBJECT_SIDE), f"{i:04d}.webp"
                path = os.path.join(out, kind, name)
                _save_atomic(im, path, format="WEBP", lossless=True, quality=100, exact=True)
            entry = {k: v for k, v in rec.items() if k != "npy"}
            records[kind].append({**entry, "size": list(im.size), "file": f"{kind}/{name}"})
    with open(os.path.join(out, "sources.json.tmp"), "w") as fh:
        json.dump(records, fh, indent=1)
    os.replace(os.path.join(out, "sources.json.tmp"), os.path.join(out, "sources.json"))
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
    return {"photos": len(photos), "objects": len(objects), "mib": round(size / 2**20, 1)}


def load(src, cache=None):
    """(photos, objects) records like carve.load_index(), decoded once into `cache`: by default a temp
    folder named for the pack's index, outside the pack, which must stay small enough to carry."""
    with open(os.path.join(src, "sources.json"), "rb") as fh:
        raw = fh.read()
    records = json.loads(raw)
    cache = cache or os.path.join(tempfile.gettempdir(), "deblur-sources-" + hashlib.sha1(raw).hexdigest()[:12])
    out = []
    for kind, mode in (("photos", "RGB"), ("objects", "RGBA")):
        os.makedirs(os.path.join(cache, kind), exist_ok=True)
        items = []
        for rec in records[kind]:
            npy = os.path.join(cache, rec["file"].rsplit(".", 1)[0] + ".npy")
            if not os.path.exists(npy):
                with Image.open(os.path.join(src, rec["file"])) as im, open(npy + ".tmp", "wb") as fh:
                    np.save(fh, np.asarray(im.convert(mode)))
                os.replace(npy + ".tmp", npy)
            items.append({**rec, "npy": npy})
        out.append(items)
    return out[0], out[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="training/.sources")
    ap.add_argument("--max-side", type=int, default=1024, help="photos' longest side in pixels")
    ap.add_argument("--quality", type=int, default=90, help="photos' JPEG quality")
    args = ap.parse_args(argv)
    photos, objects = load_index()
    print(json.dumps(write(args.out, photos, objects, args.max_side, args.quality)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
