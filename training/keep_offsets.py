"""Per-predictor keep-logit offsets: calibrating the confidence predictors after training, on training crops.

    /usr/bin/python3 -m training.keep_offsets --config training/configs/lmdvit-e8.yaml \
        --checkpoint training/checkpoints/lmdvit-e8/last.pt --data training/.data/synth-plasma \
        [--samples 300] [--threshold 0.43] [--unblurred-rate 0.12] [--kept-rate 3] [--steps 0.4 0.2] [--procs 2] \
        --out offsets.json

One tau for all 16 predictors moves every stage along the same line between gain and sharp region, yet the
stages are not equally good at telling blur. This adds an offset to each predictor's keep logit (the bias of
its last layer: a window's logit is the mean of its tokens', so the window's logit moves by the offset) and
searches the offsets one predictor at a time. A move is scored as if tau were then raised until the sharp region
(the unblurred region's pooled PSNR against the input) and the kept ratio on crops without blur were back where
they started: gain - max(unblurred_rate x dB of sharp region lost, kept_rate x kept ratio added), the rates being
what the global tau trades on training crops (0.09-0.13 dB of gain a dB of sharp region, 1.7-3.1 dB of gain
the unit of kept ratio, for 1.19.0 between tau 0.38 and 0.47). Metrics as `npm run eval` computes them (8-bit
output; gain: mean over crops with blur; unblurred: pooled over crops without global blur).
The exporter folds the offsets file into the ONNX graph (`npm run export -- ... --keep-offsets offsets.json`);
the training checkpoint stays as trained. Prints one JSON line per trial and writes the offsets file.
"""
import argparse
import json
import math
import multiprocessing as mp
import sys
from pathlib import Path

import numpy as np
import torch

from .checkpoint import load_weights
from .config import load_config
from .data.reader import load_triplet, read_index
from .model import LMDViT


def keep_predictors(model: LMDViT) -> list:
    """The confidence predictors in graph order (encoder stage 0 first): 16 for depths [1,2,...,2,1]."""
    return [b.score_predictor for s in model.stages() for b in s.blocks if b.score_predictor is not None]


def apply_keep_offsets(model: LMDViT, offsets) -> None:
    """Add offsets[k] to predictor k's keep logit (class 0), in place."""
    predictors = keep_predictors(model)
    if len(offsets) != len(predictors):
        raise ValueError(f"{len(offsets)} keep offsets for a network with {len(predictors)} predictors")
    with torch.no_grad():
        for predictor, offset in zip(predictors, offsets):
            predictor.out_conv[-1].bias[0] += float(offset)


def read_offsets(path) -> list:
    try:
        offsets = json.loads(Path(path).read_text())["offsets"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ValueError(f"{path}: not a keep-offsets file ({e})") from None
    if not isinstance(offsets, list) or not all(
        isinstance(o, (int, float)) and not isinstance(o, bool) and math.isfinite(o) for o in offsets
    ):
        raise ValueError(f"{path}: offsets must be a list of finite numbers")
    return [float(o) for o in offsets]


def _squared_error(a: np.ndarray, b: np.ndarray, weights: np.ndarray):
    d = (a - b) / 255.0
    return float((weights[..., None] * d * d).sum()), 3.0 * float(weights.sum())


def _psnr(error) -> float:
    total_sum, total = error
    if not total:
        return float("nan")
    return 100.0 if total_sum == 0 else 10 * math.log10(total / total_sum)


def crop_row(model: LMDViT, kind: str, blur, sharp, mask, threshold: float) -> dict:
    """One crop's terms, as test/eval/evaluate.ts computes them. blur, sharp (H,W,3) and mask (H,W) uint8."""
    x = torch.from_numpy(blur.astype(np.float32) / 255).permute(2, 0, 1)[None]
    with torch.no_grad():
        result = model(x, threshold=torch.tensor(float(threshold)))
    out = (result["restored"][0].clamp(0, 1) * 255).round().permute(1, 2, 0).numpy().astype(np.float64)
    weight = mask.astype(np.float64) / 255
    b, s = blur.astype(np.float64), sharp.astype(np.float64)
    return {"kind": kind, "out": _squared_error(out, s, weight), "input": _squared_error(b, s, weight),
            "unblurred": _squared_error(out, b, 1 - weight), "kept": float(result["kept_ratio"])}


def summarise(rows) -> dict:
    gains = [_psnr(r["out"]) - _psnr(r["input"]) for r in rows if r["kind"] != "none"]
    unblurred = [r["unblurred"] for r in rows if r["kind"] != "global"]
    no_blur = [r["kept"] for r in rows if r["kind"] == "none"]
    return {
        "gain": sum(gains) / len(gains) if gains else float("nan"),
        "unblurred": _psnr((sum(e[0] for e in unblurred), sum(e[1] for e in unblurred))),
        "kept_no_blur": sum(no_blur) / len(no_blur) if no_blur else float("nan"),
        "kept": sum(r["kept"] for r in rows) / len(rows),
    }


def tau_equivalent_score(start: dict, unblurred_rate: float, kept_rate: float):
    """score(metrics): the gain less what raising tau would cost to bring both the sharp region and the kept
    ratio without blur back to start's (a move that improves both is credited with the lesser of the two)."""
    def score(m):
        return m["gain"] - max(unblurred_rate * (start["unblurred"] - m["unblurred"]),
                               kept_rate * (m["kept_no_blur"] - start["kept_no_blur"]))
    return score


def search(evaluate, n: int, steps, score_for, report=lambda entry: None):
    """Coordinate search: each step size in turn, each predictor in turn, +step then -step; a move stays when
    it raises the score. evaluate(offsets) -> summarise()'s dict; score_for(start) -> score(metrics)."""
    offsets = [0.0] * n
    start = evaluate(offsets)
    score = score_for(start)
    best, best_metrics = score(start), start
    report({"offsets": offsets, **start, "score": best})
    for step in steps:
        for k in range(n):
            for sign in (1, -1):
                trial = list(offsets)
                trial[k] += sign * step
                metrics = evaluate(trial)
                s = score(metrics)
                report({"offsets": trial, **metrics, "score": s, "accepted": s > best + 1e-4})
                if s > best + 1e-4:
                    offsets, best, best_metrics = trial, s, metrics
                    break
    return offsets, start, best_metrics


# Worker processes: each holds the network and its share of the crops (fork: nothing is pickled but offsets).
_WORKER = {}


def _worker_init(cfg_path, checkpoint, crops):
    torch.set_num_threads(1)
    model = LMDViT(load_config(cfg_path).model).eval()
    load_weights(model, checkpoint)
    _WORKER.update(model=model, crops=crops, bias=[p.out_conv[-1].bias[0].item() for p in keep_predictors(model)])


def _worker_rows(offsets, threshold):
    model = _WORKER["model"]
    with torch.no_grad():
        for predictor, bias, offset in zip(keep_predictors(model), _WORKER["bias"], offsets):
            predictor.out_conv[-1].bias[0] = bias + offset
    return [crop_row(model, kind, *triplet, threshold) for kind, triplet in _WORKER["crops"]]


class Evaluator:
    """evaluate(offsets) over the crops, split across `procs` worker processes."""

    def __init__(self, cfg_path, checkpoint, crops, threshold: float, procs: int):
        self.threshold = threshold
        ctx = mp.get_context("fork")
        self.pools = [ctx.Pool(1, _worker_init, (cfg_path, checkpoint, crops[i::procs])) for i in range(procs)]

    def __call__(self, offsets) -> dict:
        jobs = [pool.apply_async(_worker_rows, (offsets, self.threshold)) for pool in self.pools]
        return summarise([row for job in jobs for row in job.get()])

    def close(self):
        for pool in self.pools:
            pool.close()
            pool.join()


def load_crops(data, split, samples, multiple):
    crops = []
    for meta in read_index(data)[split][:samples]:
        blur, sharp, mask = load_triplet(data, split, meta["id"])
        if blur.shape[0] % multiple or blur.shape[1] % multiple:
            raise ValueError(f"{data}/{split}/{meta['id']}: {blur.shape[1]}x{blur.shape[0]} is not a multiple "
                             f"of {multiple} (use a set built at 256 px)")
        crops.append((meta["kind"], (blur, sharp, mask)))
    if not crops:
        raise ValueError(f"{data}: no {split} crops")
    return crops


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.keep_offsets", description=__doc__.split("\n")[0])
    p.add_argument("--config", required=True)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--data", required=True, help="a set from training/data/build.py (its training crops)")
    p.add_argument("--split", default="train")
    p.add_argument("--samples", type=int, default=300, help="the first N crops of the split")
    p.add_argument("--threshold", type=float, default=0.5, help="tau the offsets are searched at")
    p.add_argument("--unblurred-rate", type=float, default=0.12, help="dB of gain one dB of sharp region is worth")
    p.add_argument("--kept-rate", type=float, default=3.0,
                   help="dB of gain the unit of kept ratio on crops without blur is worth")
    p.add_argument("--steps", type=float, nargs="+", default=[0.4, 0.2], help="offset step sizes, in turn")
    p.add_argument("--procs", type=int, default=2, help="worker processes of one thread")
    p.add_argument("--out", required=True, help="the offsets file (JSON) to write")
    args = p.parse_args(argv)
    if not 0.0 < args.threshold < 1.0:
        p.error("--threshold must be between 0 and 1")
    if args.procs < 1 or args.samples < 1:
        p.error("--procs and --samples must be at least 1")
    cfg = load_config(args.config)
    crops = load_crops(args.data, args.split, args.samples, cfg.model.input_multiple)
    n = len(keep_predictors(LMDViT(cfg.model)))
    evaluate = Evaluator(args.config, args.checkpoint, crops, args.threshold, args.procs)
    try:
        score_for = lambda start: tau_equivalent_score(start, args.unblurred_rate, args.kept_rate)  # noqa: E731
        offsets, start, end = search(evaluate, n, args.steps, score_for,
                                     report=lambda e: print(json.dumps(e), flush=True))
    finally:
        evaluate.close()
    result = {"offsets": offsets, "checkpoint": str(args.checkpoint), "config": str(args.config),
              "data": str(args.data), "split": args.split, "samples": len(crops), "threshold": args.threshold,
              "unblurred_rate": args.unblurred_rate, "kept_rate": args.kept_rate, "steps": args.steps,
              "start": start, "end": end}
    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n")
    tmp.replace(out)
    print(json.dumps({"out": str(out), "offsets": offsets, "start": start, "end": end}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
