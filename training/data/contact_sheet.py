"""Contact sheet of synthetic samples: rows of blurred | sharp | mask, labelled by kind.

    /usr/bin/python3 -m training.data.contact_sheet [--data training/.data/synth] \
        [--out docs/images/synthetic-samples.png]

Reads the built set when it exists (first samples of each kind from val/), else synthesises
fresh samples from the carved photos. Tiles are downscaled to --tile px.
"""
import argparse
import json
import os

import numpy as np
from PIL import Image, ImageDraw

WANT = ["local", "local", "local", "local", "local", "none", "global", "local"]


def _from_built(root, n):
    """Pick a mix of kinds (local with 1..3 objects, none, global) from the built val split."""
    idx = json.load(open(os.path.join(root, "index.json")))
    metas = idx["val"] + idx["train"]
    chosen, used = [], set()
    for kind in WANT[:n]:
        for m in metas:
            if m["kind"] != kind or m["photo"] in used:
                continue  # one row per photograph
            if kind == "local" and not 0.04 < m["blur_share"] < 0.4:
                continue  # visible at tile size, not swamping the crop
            if kind == "global" and m.get("kernel_px", 0) < 11:
                continue  # a shake you can see at half size
            if kind == "local" and sum(c[0]["n_objects"] == m["n_objects"] for c in chosen) > 1:
                continue  # vary the number of objects
            used.add(m["photo"])
            split = "val" if m in idx["val"] else "train"
            chosen.append((m, os.path.join(root, split, m["id"])))
            break
    out = []
    for m, stem in chosen:
        ims = [np.asarray(Image.open(f"{stem}_{k}.png").convert("RGB"))
               for k in ("blur", "sharp", "mask")]
        out.append((m, ims))
    return out


def _fresh(n, size=256, seed=123):
    from . import synth
    from .carve import load_index
    photos, objects = load_index()
    ph = [np.load(p["npy"], mmap_mode="r") for p in photos]
    ob = [np.load(o["npy"]) for o in objects]
    out = []
    for i, kind in enumerate(WANT[:n]):
        b, s, m, meta = synth.synth_sample([seed, i], ph, ob, size=size, kind=kind)
        out.append((meta, [b, s, np.repeat(m[..., None], 3, -1)]))
    return out


def sheet(rows, tile):
    head, label_w = 16, 0
    img = Image.new("RGB", (3 * tile + 4, head + len(rows) * (tile + 14)), "white")
    d = ImageDraw.Draw(img)
    for j, name in enumerate(("blurred input", "sharp ground truth", "blur mask")):
        d.text((j * (tile + 2) + 4, 2), name, fill="black")
    for r, (meta, ims) in enumerate(rows):
        y = head + r * (tile + 14)
        jpeg = f", JPEG q{meta['jpeg']}" if meta.get("jpeg") else ""
        label = f"{meta['kind']}, {meta['n_objects']} moving object(s){jpeg}"
        if meta["kind"] == "global":
            label = f"global camera shake{jpeg}"
        d.text((4, y), label, fill="black")
        for j, im in enumerate(ims):
            t = Image.fromarray(im).resize((tile, tile), Image.BOX)
            x = label_w + j * (tile + 2)
            img.paste(t, (x, y + 12))
            d.rectangle((x, y + 12, x + tile - 1, y + 11 + tile), outline=(128, 128, 128))
    return img


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="training/.data/synth")
    ap.add_argument("--out", default="docs/images/synthetic-samples.png")
    ap.add_argument("--n", type=int, default=8)
    ap.add_argument("--tile", type=int, default=128)
    args = ap.parse_args(argv)
    built = os.path.exists(os.path.join(args.data, "index.json"))
    rows = _from_built(args.data, args.n) if built else _fresh(args.n)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    sheet(rows, args.tile).save(args.out, optimize=True)
    print(f"[contact_sheet] {len(rows)} rows -> {args.out}")


if __name__ == "__main__":
    main()
