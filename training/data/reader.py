"""Read the built set (see build.py for the layout) for training and evaluation.

    from training.data.reader import load_triplet, SynthPairs
    blur, sharp, mask = load_triplet("training/.data/synth", "train", "000123")
    ds = SynthPairs("training/.data/synth", "train", crop=128)   # torch Dataset

numpy side: uint8 arrays, blur/sharp HxWx3 RGB, mask HxW in {0, 255}.
torch side: float32 tensors in [0, 1], blur/sharp 3xHxW, mask 1xHxW in {0, 1}.
"""
import json
import multiprocessing as mp
import os

import numpy as np
from PIL import Image


def read_index(root):
    with open(os.path.join(root, "index.json")) as fh:
        return json.load(fh)


def load_triplet(root, split, sample_id):
    """PNG triplets from build.py, or the JPEG pairs of a pack (pack.py); the mask is always PNG."""
    stem = os.path.join(root, split, sample_id)
    ext = ".png" if os.path.exists(stem + "_blur.png") else ".jpg"
    blur = np.asarray(Image.open(stem + "_blur" + ext).convert("RGB"))
    sharp = np.asarray(Image.open(stem + "_sharp" + ext).convert("RGB"))
    mask = np.asarray(Image.open(stem + "_mask.png").convert("L"))
    return blur, sharp, mask


def blur_aware_box(rng, mask, crop, around_blur):
    """Top-left of a crop x crop window; with around_blur, centred on a random blurred pixel
    (the paper samples half its crops around blurred regions)."""
    h, w = mask.shape
    if crop > min(h, w):  # e.g. a pack of 128-px crops read with the config's 256
        raise ValueError(f"a {crop}-px crop does not fit a {w}x{h} sample: use a set built at least that large")
    ys, xs = np.nonzero(mask) if around_blur else ((), ())
    if len(ys):
        k = rng.integers(len(ys))
        y, x = ys[k] - crop // 2, xs[k] - crop // 2
    else:
        y, x = rng.integers(0, h - crop + 1), rng.integers(0, w - crop + 1)
    return int(np.clip(y, 0, h - crop)), int(np.clip(x, 0, w - crop))


class SynthPairs:
    """torch-style Dataset over one split ("train", "val", "val_full").

    crop: optional square crop size (random; blur_aware share centred on blur), with random
    horizontal flips when augment=True. Without crop, whole images are returned.
    preload: decode every triplet once, with that many processes (0: read from disk on each access). A GPU
    step takes less time than decoding a batch of PNGs; 10,000 256x256 triplets hold about 2 GiB.
    """

    def __init__(self, root, split, crop=None, blur_aware=0.5, augment=True, seed=0, preload=0):
        self.root, self.split, self.crop = root, split, crop
        self.blur_aware, self.augment = blur_aware, augment
        self.meta = read_index(root)[split]
        self.rng = np.random.default_rng(seed)
        self.cache = None
        if preload:
            ids = [(root, split, m["id"]) for m in self.meta]
            with mp.get_context("fork").Pool(preload) as pool:
                self.cache = pool.starmap(load_triplet, ids, chunksize=32)

    def __len__(self):
        return len(self.meta)

    def reseed(self, seed):
        """Crops and flips from this seed on (a resumed run picks up where it was)."""
        self.rng = np.random.default_rng(seed)

    def __getitem__(self, i):
        import torch  # only the torch side needs it

        if self.cache is not None:
            blur, sharp, mask = self.cache[i]
        else:
            blur, sharp, mask = load_triplet(self.root, self.split, self.meta[i]["id"])
        if self.crop:
            y, x = blur_aware_box(self.rng, mask, self.crop, self.rng.random() < self.blur_aware)
            sl = (slice(y, y + self.crop), slice(x, x + self.crop))
            blur, sharp, mask = blur[sl], sharp[sl], mask[sl]
        if self.augment and self.rng.random() < 0.5:
            blur, sharp, mask = blur[:, ::-1], sharp[:, ::-1], mask[:, ::-1]

        def chw(a):
            # A fresh float array: decoded PNGs (np.asarray of a PIL image) are read-only, and torch warns on those.
            return torch.from_numpy(np.ascontiguousarray(a.transpose(2, 0, 1), dtype=np.float32) / 255)

        m = torch.from_numpy(np.ascontiguousarray(mask)[None].astype(np.float32) / 255)
        return {"blur": chw(blur), "sharp": chw(sharp), "mask": m, "kind": self.meta[i]["kind"]}
