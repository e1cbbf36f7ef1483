"""Build the synthetic training set on disk.

    /usr/bin/python3 -m training.data.build --out training/.data/synth --train 2000 --val 200 \
        --size 256 --seed 0 [--workers 2] [--sources training/.sources] [--soft-share 0.2] \
        [--no-train-only-photos]

--soft-share softens the background of that share of local and no-blur crops (soft.py); 0 builds the set
every shipped model so far was trained and calibrated on.

Layout (all PNG, lossless; JPEG-degraded inputs are stored after the JPEG round trip):
    OUT/train/NNNNNN_blur.png   uint8 RGB  HxWx3  network input (blur + noise [+ JPEG])
    OUT/train/NNNNNN_sharp.png  uint8 RGB  HxWx3  ground truth (middle instant, clean)
    OUT/train/NNNNNN_mask.png   uint8 L    HxW    blur mask, 0 or 255
    OUT/val/...                 same, crops of held-out photos only
    OUT/val_full/NNNNNN_*.png   whole held-out photos (longest side --full-side), same synthesis
    OUT/index.json              per-sample metadata, photo split, statistics
"""
import argparse
import json
import multiprocessing as mp
import os
import time

import numpy as np
from PIL import Image

from . import sources, synth
from .carve import load_index

_W = {}  # per-worker state: memory-mapped photos / objects of the split being generated


def split_photos(photos, seed, val_frac=0.1):
    """Hold out whole photographs (by near-duplicate group) for validation, deterministically.

    Large photos (usable as 256 backgrounds) and small ones (object donors only) are split
    separately so both halves get their share of each. Photos marked `train_only` always train and take
    no part in the draw, so adding them leaves the held-out set as it was.
    """
    rng = np.random.default_rng([seed, 7])
    drawn = [p for p in photos if not p.get("train_only")]
    val = set()
    for big in (True, False):
        groups = sorted({p["group"] for p in drawn if (min(p["size"]) >= 256) == big})
        groups = [groups[i] for i in rng.permutation(len(groups))]
        n_val = max(1, round(val_frac * len(groups)))
        val.update(groups[:n_val])
    held_out = [p["group"] in val and not p.get("train_only") for p in photos]
    return [i for i, h in enumerate(held_out) if not h], [i for i, h in enumerate(held_out) if h]


def split_objects(objects, seed, val_frac=0.1):
    rng = np.random.default_rng([seed, 8])
    perm = rng.permutation(len(objects))
    n_val = max(1, round(val_frac * len(objects)))
    return sorted(perm[n_val:].tolist()), sorted(perm[:n_val].tolist())


def _init(photo_paths, object_paths):
    _W["photos"] = [np.load(p, mmap_mode="r") for p in photo_paths]
    _W["objects"] = [np.load(p) for p in object_paths]


def save_triplet(dirname, idx, blur, sharp, mask):
    stem = os.path.join(dirname, f"{idx:06d}")
    Image.fromarray(blur).save(stem + "_blur.png", compress_level=6)
    Image.fromarray(sharp).save(stem + "_sharp.png", compress_level=6)
    Image.fromarray(mask, mode="L").save(stem + "_mask.png", optimize=True)


def _gen_crop(job):
    dirname, idx, seed, size, soft_share = job
    blur, sharp, mask, meta = synth.synth_sample(seed, _W["photos"], _W["objects"], size=size,
                                                 soft_share=soft_share)
    save_triplet(dirname, idx, blur, sharp, mask)
    meta["id"] = f"{idx:06d}"
    meta["blur_share"] = round(float((mask > 0).mean()), 4)
    return meta


def generate(dirname, photos, objects, seeds, size, workers, soft_share=0.0):
    os.makedirs(dirname, exist_ok=True)
    init = ([p["npy"] for p in photos], [o["npy"] for o in objects])
    jobs = [(dirname, i, s, size, soft_share) for i, s in enumerate(seeds)]
    if workers <= 1:
        _init(*init)
        return [_gen_crop(j) for j in jobs]
    with mp.get_context("fork").Pool(workers, _init, init) as pool:
        return pool.map(_gen_crop, jobs, chunksize=8)


def build_val_full(dirname, photos, objects, n, side, seed):
    """Whole held-out photos at `side` px longest side, objects synthesised the same way."""
    os.makedirs(dirname, exist_ok=True)
    rng = np.random.default_rng([seed, 9])
    cands = [p for p in photos if max(p["size"]) >= side]
    kinds = (["local"] * 6 + ["none", "global"]) * (n // 8 + 1)
    objs = [np.load(o["npy"]) for o in objects]
    donors = [np.load(q["npy"], mmap_mode="r") for q in photos]
    out = []
    for j in rng.permutation(len(cands)):
        if len(out) >= n:
            break
        p = cands[j]
        im = Image.fromarray(np.load(p["npy"]))
        f = side / max(im.size)
        bg = np.asarray(im.resize((round(im.size[0] * f), round(im.size[1] * f)), Image.LANCZOS))
        if synth.laplacian_var(bg) < synth.LAPLACIAN_VAR_MIN:
            continue
        s_rng = np.random.default_rng([seed, 10, len(out)])
        blur, sharp, mask, meta = synth.synth_scene(s_rng, bg, objs, donors, kinds[len(out)],
                                                    n_objects=1 + len(out) % 3)  # 1, 2, 3, ...
        save_triplet(dirname, len(out), blur, sharp, mask)
        meta.update(id=f"{len(out):06d}", photo=p["path"], package=p["package"],
                    shape=list(bg.shape[:2]), blur_share=round(float((mask > 0).mean()), 4))
        out.append(meta)
    return out


def _stats(metas):
    kinds = {}
    for m in metas:
        kinds[m["kind"]] = kinds.get(m["kind"], 0) + 1
    rej = sum(m.get("soft_rejected", 0) for m in metas)
    return {"n": len(metas), "kinds": kinds,
            "jpeg": sum(1 for m in metas if m["jpeg"]),
            "soft_backgrounds": sum(1 for m in metas if "soft" in m),
            "soft_crops_rejected": rej,
            "soft_rejection_rate": round(rej / max(1, rej + len(metas)), 4),
            "mean_blur_share": round(float(np.mean([m["blur_share"] for m in metas])), 4)}


def dir_size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="training/.data/synth")
    ap.add_argument("--train", type=int, default=2000)
    ap.add_argument("--val", type=int, default=200)
    ap.add_argument("--val-full", type=int, default=8)
    ap.add_argument("--full-side", type=int, default=1024)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--soft-share", type=float, default=0.0)
    ap.add_argument("--sources", help="a pack from training.data.sources instead of the fetched packages")
    ap.add_argument("--train-only-photos", action=argparse.BooleanOptionalAction, default=True,
                    help="use the train-only packages' photographs (fetch.TRAIN_ONLY_PACKAGES); with --no-... a"
                         " set built before they came (session 31) comes out as it was")
    args = ap.parse_args(argv)
    if not 0.0 <= args.soft_share <= 1.0:
        ap.error("--soft-share is a share of crops, from 0 to 1")
    workers = max(1, min(args.workers, os.cpu_count() or 1))
    t0 = time.time()
    photos, objects = sources.load(args.sources) if args.sources else load_index()  # may fetch and carve
    if not args.train_only_photos:
        photos = [p for p in photos if not p.get("train_only")]
    tr_p, va_p = split_photos(photos, args.seed)
    tr_o, va_o = split_objects(objects, args.seed)
    t1 = time.time()
    idx = {"size": args.size, "seed": args.seed, "soft_share": args.soft_share,
           "train_only_photos": sum(1 for i in tr_p if photos[i].get("train_only")),
           "layout": __doc__.split("Layout")[1].strip(),
           "split": {"train_photos": [photos[i]["path"] for i in tr_p],
                     "val_photos": [photos[i]["path"] for i in va_p],
                     "train_objects": [objects[i]["path"] for i in tr_o],
                     "val_objects": [objects[i]["path"] for i in va_o]}}
    for name, n, pi, oi, tag in (("train", args.train, tr_p, tr_o, 0),
                                 ("val", args.val, va_p, va_o, 1)):
        seeds = [[args.seed, tag, i] for i in range(n)]
        metas = generate(os.path.join(args.out, name), [photos[i] for i in pi],
                         [objects[i] for i in oi], seeds, args.size, workers, args.soft_share)
        for m in metas:
            ph = photos[pi[m["photo"]]]
            m["photo"], m["package"] = ph["path"], ph["package"]
        idx[name] = metas
        idx[f"{name}_stats"] = _stats(metas)
        print(f"[build] {name}: {idx[f'{name}_stats']}", flush=True)
    idx["val_full"] = build_val_full(os.path.join(args.out, "val_full"),
                                     [photos[i] for i in va_p], [objects[i] for i in va_o],
                                     args.val_full, args.full_side, args.seed)
    idx["timing_s"] = {"fetch_carve": round(t1 - t0, 1), "generate": round(time.time() - t1, 1)}
    idx["bytes"] = dir_size(args.out)
    with open(os.path.join(args.out, "index.json"), "w") as fh:
        json.dump(idx, fh, indent=1)
    print(f"[build] photos train/val {len(tr_p)}/{len(va_p)}, objects {len(tr_o)}/{len(va_o)}, "
          f"val_full {len(idx['val_full'])}; {idx['bytes'] / 2**20:.1f} MiB; {idx['timing_s']}")


if __name__ == "__main__":
    main()
