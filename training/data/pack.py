"""A compact copy of the built set for the GPU machine, whose whole carried tree is at most 64 MiB.

Each train sample gives two training-size crops (one centred on blur when it has any, one random: the
paper's blur-aware rule, fixed at pack time; one crop when it is the whole sample), stored as JPEG quality 95
without chroma subsampling (median 42.5 dB against the PNG, 5 % of crops under 38 dB: finer than what the model
resolves yet) plus a lossless PNG mask, until --max-mib is used up. The val split is packed the same way (one
centred crop each, first --val samples), so `training.train --data <pack>` runs unchanged. Deterministic from --seed.

    /usr/bin/python3 -m training.data.pack --data training/.data/synth --out training/.pack --max-mib 30
"""
import argparse
import json
import os

import numpy as np
from PIL import Image

from .reader import blur_aware_box, load_triplet, read_index

JPEG = {"quality": 95, "subsampling": 0}


def save_crop(folder, name, blur, sharp, mask) -> int:
    """Writes one packed triplet; returns its bytes."""
    stem = os.path.join(folder, name)
    Image.fromarray(blur).save(stem + "_blur.jpg", **JPEG)
    Image.fromarray(sharp).save(stem + "_sharp.jpg", **JPEG)
    Image.fromarray(mask).save(stem + "_mask.png", optimize=True)
    return sum(os.path.getsize(stem + suffix) for suffix in ("_blur.jpg", "_sharp.jpg", "_mask.png"))


def crops(rng, mask, crop, count):
    """Up to `count` crop boxes: the first centred on blur (when the sample has any), the rest random; the same
    box twice (a crop as large as the sample) is packed once."""
    return list(dict.fromkeys(blur_aware_box(rng, mask, crop, k == 0) for k in range(count)))


def pack_split(data, out, split, metas, crop, per_sample, budget, rng):
    folder = os.path.join(out, split)
    os.makedirs(folder, exist_ok=True)
    packed, used = [], 0
    for meta in metas:
        blur, sharp, mask = load_triplet(data, split, meta["id"])
        for k, (y, x) in enumerate(crops(rng, mask, crop, per_sample)):
            sl = (slice(y, y + crop), slice(x, x + crop))
            name = f"{meta['id']}_{k}"
            size = save_crop(folder, name, blur[sl], sharp[sl], mask[sl])
            if used + size > budget:
                for suffix in ("_blur.jpg", "_sharp.jpg", "_mask.png"):
                    os.remove(os.path.join(folder, name + suffix))
                return packed, used
            used += size
            packed.append({**meta, "id": name, "packed_from": meta["id"]})
    return packed, used


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="training/.data/synth")
    ap.add_argument("--out", default="training/.pack")
    ap.add_argument("--max-mib", type=float, default=30.0, help="size of the whole pack")
    ap.add_argument("--crop", type=int, default=128)
    ap.add_argument("--val", type=int, default=48, help="val samples packed (one crop each)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    index = read_index(args.data)
    if os.path.exists(os.path.join(args.out, "index.json")):
        raise SystemExit(f"{args.out} already holds a pack: remove it first")
    rng = np.random.default_rng(args.seed)
    budget = int(args.max_mib * 2**20)
    val, val_bytes = pack_split(args.data, args.out, "val", index["val"][: args.val], args.crop, 1, budget, rng)
    train, train_bytes = pack_split(
        args.data, args.out, "train", index["train"], args.crop, 2, budget - val_bytes, rng
    )
    summary = {"crop": args.crop, "seed": args.seed, "source": args.data, "train": train, "val": val,
               "bytes": train_bytes + val_bytes}
    with open(os.path.join(args.out, "index.json"), "w") as fh:
        json.dump(summary, fh)
    print(json.dumps({"train_crops": len(train), "val_crops": len(val),
                      "mib": round((train_bytes + val_bytes) / 2**20, 1)}))


if __name__ == "__main__":
    main()
