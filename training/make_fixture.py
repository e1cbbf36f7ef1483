"""Regenerate the TypeScript tests' model fixture: `npm run fixture`.

Writes test/fixtures/lmdvit-fixture/{model.onnx, manifest.json} (the lmdvit-fixture config, seeded random
weights) and a golden case (128x128 input, mixed guide, tau near 0.5) with PyTorch's outputs.
"""
import argparse
import sys
from pathlib import Path

from . import goldens
from .config import load_config
from .export import write_model_folder

CONFIG = "training/configs/lmdvit-fixture.yaml"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="npm run fixture --", description=__doc__.strip().splitlines()[0])
    p.add_argument("--out", default="test/fixtures/lmdvit-fixture")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    out = Path(args.out)
    model = goldens.random_model(CONFIG, args.seed)
    weights = f"random (seed {args.seed}, predictor gain 30)"
    cfg = load_config(CONFIG)
    write_model_folder(model, cfg, out, False, "lmdvit-fixture", "Test fixture (random weights)", weights, 256)
    image, guide, tau, result, margin = goldens.find_case(model, 128, 128, 0.5, goldens.guide_mixed, seed=100)
    goldens.write_case(out, "golden", image, guide, tau, result, margin, note=goldens.numpy_dtype_note())
    print(f"wrote {out}: golden tau {tau:.4f}, kept_ratio {result['kept_ratio'].item():.4f}, margin {margin:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
