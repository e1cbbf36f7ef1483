"""Checkpoints in the official LMD-ViT layout, good and bad, for the importer's tests (src-main/models/).

/usr/bin/python3 -m training.make_checkpoints --out DIR

Writes into DIR (random weights, seeded):
- wrapped.pth   {"epoch", "state_dict" with `module.` prefixes, "optimizer" (Adam state of a few tensors)}
- bare.pth      the bare state dict, no prefixes (same weights; one strided view, one storage offset)
- wrong-shape.pth, missing-key.pth   bare, with one tensor of another shape / one key dropped
- truncated.pth the first half of bare.pth
- evil.pth      {"state_dict": ..., "hook": object whose __reduce__ calls os.system("touch DIR/pwned")}
- nan-one-tensor.pth   only input_proj.proj.0.bias, holding a NaN (with a one-tensor template in the test)
- bomb.pth      a zip whose deflated archive/data.pkl (about 100 KiB) inflates to 100 MiB
- image.bin, restored.bin, confidence.bin   float32: a 128x128 test image and PyTorch's outputs at tau 0
- reference.json   shapes, tau, and the names above
"""
import argparse
import json
import os
import sys
import zipfile
from pathlib import Path

import torch

from .config import load_config
from .model import LMDViT

CONFIG = "training/configs/lmdvit-official.yaml"


class Evil:
    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def official_model(seed: int) -> LMDViT:
    torch.manual_seed(seed)
    model = LMDViT(load_config(CONFIG).model).eval()
    with torch.no_grad():  # perturb everything, so a swapped or skipped tensor changes the output
        for param in model.parameters():
            param.add_(torch.randn_like(param) * 0.02)
    return model


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--size", type=int, default=128)
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model = official_model(args.seed)
    state = model.state_dict()

    optimizer = torch.optim.Adam(model.parameters(), lr=2e-4)
    few = list(model.parameters())[:3]
    for param in few:
        param.grad = torch.zeros_like(param)
    optimizer.step()  # zero gradients: Adam state appears for those tensors, weights are unchanged
    wrapped = {
        "epoch": 7,
        "state_dict": {f"module.{k}": v for k, v in state.items()},
        "optimizer": optimizer.state_dict(),
    }
    torch.save(wrapped, out / "wrapped.pth")
    # The bare file stores one tensor as a strided view and one at an offset into a larger storage (same values),
    # as state dicts of views do, so the reader's strided and offset paths are checked against wrapped.pth.
    bare = dict(state)
    k1, k2 = "encoderlayer_0.blocks.0.attn.qkv.to_kv.weight", "output_proj.proj.0.bias"
    bare[k1] = state[k1].t().contiguous().t()
    bare[k2] = torch.cat([torch.zeros(5), state[k2]])[5:]
    assert not bare[k1].is_contiguous() and bare[k2].storage_offset() == 5
    torch.save(bare, out / "bare.pth")

    wrong = dict(state)
    wrong["input_proj.proj.0.weight"] = torch.zeros(16, 3, 3, 3)
    torch.save(wrong, out / "wrong-shape.pth")
    missing = {k: v for k, v in state.items() if k != "encoderlayer_1.blocks.0.attn.proj.weight"}
    torch.save(missing, out / "missing-key.pth")
    data = (out / "bare.pth").read_bytes()
    (out / "truncated.pth").write_bytes(data[: len(data) // 2])
    nan = state["input_proj.proj.0.bias"].clone()
    nan[3] = float("nan")
    torch.save({"input_proj.proj.0.bias": nan}, out / "nan-one-tensor.pth")
    torch.save({"state_dict": {"input_proj.proj.0.bias": state["input_proj.proj.0.bias"]},
                "hook": Evil(str(out / "pwned"))}, out / "evil.pth")
    with zipfile.ZipFile(out / "bomb.pth", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("archive/data.pkl", bytes(100 << 20))

    torch.manual_seed(args.seed + 1)
    image = torch.rand(1, 3, args.size, args.size)
    guide = torch.zeros(1, 1, args.size, args.size)
    with torch.no_grad():
        res = model(image, guide, torch.tensor(0.0))
    image.numpy().tofile(out / "image.bin")
    res["restored"].numpy().astype("<f4").tofile(out / "restored.bin")
    res["confidence"].numpy().astype("<f4").tofile(out / "confidence.bin")
    ref = {"size": args.size, "threshold": 0.0, "good": ["wrapped.pth", "bare.pth"],
           "marker": str(out / "pwned")}
    (out / "reference.json").write_text(json.dumps(ref) + "\n")
    print(json.dumps({"out": str(out), **ref}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
