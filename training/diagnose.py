"""How much of the needed correction a checkpoint applies inside the blur (the restoration, apart from pruning).

    python -m training.diagnose --config training/configs/lmdvit-e8.yaml \
        --checkpoint training/checkpoints/lmdvit-e8/last.pt [--data training/.data/synth] [--samples 40]

On held-out crops with local blur, inside the mask: the correction the network applies (restored - blurred)
against the one needed (sharp - blurred), pooled over crops: `correlation` r, `slope` of applied on needed and
`reverse_slope` of needed on applied (least squares). A network that outputs its best estimate of the needed
correction gives slope about r^2 and reverse_slope about 1: then the correction is not too timid, only too
loosely right, and no rescaling helps. `best_gain_db`: the weighted PSNR gain a perfectly scaled correction of
that correlation gives, -10 log10(1 - r^2). Also the mean output gate (sigmoid(g), floored at 0.1) inside and
outside the mask. Prints one JSON object.
"""
import argparse
import json
import math
import sys

import torch

from .checkpoint import load_weights
from .config import load_config
from .data.reader import SynthPairs
from .model import LMDViT


def correction_stats(model: LMDViT, samples, threshold: float) -> dict:
    """samples: dicts with blur, sharp (3,H,W) and mask (1,H,W) in [0,1]."""
    gates = {}
    hook = model.output_proj.register_forward_hook(lambda mod, args, out: gates.__setitem__("g", out[:, 3:4]))
    sums = dict(an=0.0, nn=0.0, aa=0.0, a=0.0, n=0.0, count=0, gate_in=0.0, gate_out=0.0, px_in=0, px_out=0)
    try:
        with torch.no_grad():
            for s in samples:
                blur, sharp, mask = s["blur"][None], s["sharp"][None], s["mask"][None] > 0.5
                restored = model(blur, threshold=torch.tensor(threshold))["restored"]
                inside = mask.expand_as(blur)
                applied, needed = (restored - blur)[inside].double(), (sharp - blur)[inside].double()
                sums["an"] += (applied * needed).sum().item()
                sums["nn"] += (needed * needed).sum().item()
                sums["aa"] += (applied * applied).sum().item()
                sums["a"] += applied.sum().item()
                sums["n"] += needed.sum().item()
                sums["count"] += applied.numel()
                gate = torch.sigmoid(gates["g"]).clamp(min=0.1)
                sums["gate_in"] += gate[mask].sum().item()
                sums["gate_out"] += gate[~mask].sum().item()
                sums["px_in"] += int(mask.sum())
                sums["px_out"] += int((~mask).sum())
    finally:
        hook.remove()
    k = sums["count"]
    if not k:
        raise ValueError("no blurred pixels in the samples")
    cov = sums["an"] / k - (sums["a"] / k) * (sums["n"] / k)
    var_a = sums["aa"] / k - (sums["a"] / k) ** 2
    var_n = sums["nn"] / k - (sums["n"] / k) ** 2
    r = cov / math.sqrt(var_a * var_n) if var_a > 0 and var_n > 0 else 0.0
    return {
        "slope": sums["an"] / sums["nn"] if sums["nn"] else 0.0,
        "reverse_slope": sums["an"] / sums["aa"] if sums["aa"] else 0.0,
        "correlation": r,
        "best_gain_db": -10 * math.log10(max(1e-12, 1 - r * r)),
        "gate_blurred": sums["gate_in"] / max(1, sums["px_in"]),
        "gate_sharp": sums["gate_out"] / max(1, sums["px_out"]),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--config", required=True)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--data", default="training/.data/synth")
    p.add_argument("--split", default="val")
    p.add_argument("--samples", type=int, default=40, help="crops with local blur to use")
    p.add_argument("--threshold", type=float, default=0.51)
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    model = LMDViT(load_config(args.config).model)
    load_weights(model, args.checkpoint)
    model.eval()
    pairs = SynthPairs(args.data, args.split, augment=False)
    local = [i for i, m in enumerate(pairs.meta) if m["kind"] == "local"][: args.samples]
    stats = correction_stats(model, (pairs[i] for i in local), args.threshold)
    print(json.dumps({"checkpoint": args.checkpoint, "samples": len(local), "threshold": args.threshold, **stats}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
