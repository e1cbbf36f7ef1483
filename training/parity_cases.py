"""Export a random-weight model and write PyTorch reference cases for the ONNX parity test.

/usr/bin/python3 -m training.parity_cases --out DIR [--config training/configs/lmdvit-fixture.yaml]
Cases: 128x128, 256x384 (mixed guide) and 512x512 at tau near 0.5; tau 1 with nothing forced (every block
keeps zero windows); and a high tau where some blocks keep zero windows and others do not.
"""
import argparse
import json
import sys
from pathlib import Path

from . import goldens
from .config import load_config
from .export import write_model_folder


def zero_in_some_blocks(model, seed):
    for tau in (0.9, 0.85, 0.95, 0.8, 0.7, 0.97):
        image, guide, t, out, margin = goldens.find_case(model, 256, 256, tau, goldens.guide_zero, seed)
        kept = [s.item() for s in out["block_kept"]]
        if min(kept) == 0 and max(kept) > 0:
            return image, guide, t, out, margin
    raise RuntimeError("no tau gave a mix of empty and non-empty blocks")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("--out", required=True)
    p.add_argument("--config", default="training/configs/lmdvit-fixture.yaml")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--sizes", default="128x128,256x384,512x512", help="HxW list at tau near 0.5")
    args = p.parse_args(argv)
    out = Path(args.out)
    model = goldens.random_model(args.config, args.seed)
    write_model_folder(model, load_config(args.config), out, False, "parity", "parity", "random", 256)
    names = []
    for i, size in enumerate(args.sizes.split(",")):
        h, w = (int(v) for v in size.split("x"))
        guide = goldens.guide_mixed if i % 2 else goldens.guide_zero
        image, g, tau, res, margin = goldens.find_case(model, h, w, 0.5, guide, seed=10 + i)
        goldens.write_case(out, f"size{h}x{w}", image, g, tau, res, margin)
        names.append(f"size{h}x{w}")
    image, g, tau, res, margin = goldens.find_case(model, 256, 256, 1.0, goldens.guide_zero, seed=20)
    assert res["kept_ratio"].item() == 0.0
    goldens.write_case(out, "zero_all", image, g, tau, res, margin)
    image, g, tau, res, margin = zero_in_some_blocks(model, seed=21)
    goldens.write_case(out, "zero_some", image, g, tau, res, margin)
    names += ["zero_all", "zero_some"]
    (out / "cases.json").write_text(json.dumps(names) + "\n")
    print(json.dumps({"out": str(out), "cases": names}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
