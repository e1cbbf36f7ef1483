"""Export LMD-ViT to ONNX following docs/model-contract.md.

npm run export -- --config training/configs/X.yaml [--checkpoint F | --random-weights] [--dense] --out DIR
"""
import argparse
import hashlib
import inspect
import json
import sys
from pathlib import Path

import onnx
import torch
from torch import nn

from .checkpoint import load_weights
from .config import load_config
from .keep_offsets import apply_keep_offsets, read_offsets
from .model import LMDViT

OPSET = 17
INPUTS = ["image", "guide", "threshold"]
OUTPUTS = ["restored", "confidence", "decisions", "kept_ratio"]


class PrunedGraph(nn.Module):
    """The contract's inputs and outputs around the pruning network."""

    def __init__(self, model: LMDViT):
        super().__init__()
        self.model = model

    def forward(self, image, guide, threshold):
        out = self.model(image, guide, threshold)
        return tuple(out[name] for name in OUTPUTS)


class DenseGraph(nn.Module):
    """The same weights without pruning machinery: image in, restored out (benchmark baseline)."""

    def __init__(self, model: LMDViT):
        super().__init__()
        self.model = model

    def forward(self, image):
        return self.model(image)["restored"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def export_onnx(model: LMDViT, path: Path, dense: bool, size=(256, 256), fold: bool = True) -> None:
    """Trace at a size of several windows per level so nothing specialises to a single window.

    fold=False keeps every state-dict tensor as an initializer under its own name (weightless templates).
    """
    model.eval()
    model.pruning = not dense
    h, w = size
    image = torch.rand(1, 3, h, w)
    spatial = {2: "height", 3: "width"}
    if dense:
        graph, args, names, outs = DenseGraph(model), (image,), ["image"], ["restored"]
        axes = {"image": spatial, "restored": spatial}
    else:
        guide = torch.zeros(1, 1, h, w)
        graph, args, names, outs = PrunedGraph(model), (image, guide, torch.tensor(0.5)), INPUTS, OUTPUTS
        grid = {2: "height_8", 3: "width_8"}
        axes = {"image": spatial, "guide": spatial, "restored": spatial, "confidence": spatial, "decisions": grid}
    graph.eval()  # a fresh wrapper is in training mode, and export restores the wrapper's mode afterwards
    # The TorchScript exporter, which the contract tests cover; torch 2.9+ would otherwise use dynamo.
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    with torch.no_grad():
        torch.onnx.export(
            graph, args, str(path), opset_version=OPSET, input_names=names, output_names=outs,
            dynamic_axes=axes, do_constant_folding=fold, **legacy,
        )
    model.eval()
    onnx.checker.check_model(str(path))


def graph_stats(path: Path) -> dict:
    proto = onnx.load(str(path), load_external_data=False)
    ops = {}
    for node in proto.graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    return {"nodes": len(proto.graph.node), "bytes": path.stat().st_size, "ops": dict(sorted(ops.items()))}


def build_manifest(cfg, model_id: str, name: str, dense: bool, weights: str, sha: str, tile: int) -> dict:
    m = cfg.model
    return {
        "id": model_id,
        "name": name,
        "version": "1.0.0",
        "variant": "dense" if dense else "pruned",
        "architecture": {
            "name": "LMD-ViT",
            "embed_dim": m.embed_dim,
            "depths": m.depths,
            "heads": m.heads,
            "window": m.window,
            "mlp_ratio": m.mlp_ratio,
            "prune": m.prune,
        },
        "inputMultiple": m.input_multiple,
        "defaultThreshold": 0.5,
        "inputs": ["image"] if dense else INPUTS,
        "outputs": ["restored"] if dense else OUTPUTS,
        "recommendedTile": tile,
        "opset": OPSET,
        "sha256": sha,
        "weights": weights,
        "trainingConfig": {"name": cfg.name, "path": cfg.path, "model": vars(m), "train": cfg.train},
        "metrics": {},
    }


SPLITS = {"val": "val256", "val_full": "valFullPhotos"}
DIGITS = {"samples": 0, "psnr": 2, "ssim": 4, "psnrInput": 2, "weightedPsnr": 2, "weightedSsim": 4,
          "weightedPsnrInput": 2, "unblurredPsnrVsInput": 2, "unblurredPsnrVsInputPooled": 2,
          "pruningPrecision": 3, "pruningRecall": 3, "keptRatio": 3, "keptRatioNoBlur": 3, "secondsPerImage": 2}


def manifest_metrics(report: dict, model_id: str) -> dict:
    """The manifest's summary of an `npm run eval -- --json` report (rounded; per split)."""
    if "splits" not in report:
        return report  # already a summary
    out = {"evaluatedWith": f"npm run eval -- --model models/{model_id} --json"}
    for split in report["splits"]:
        row = {k: (None if split.get(k) is None else round(split[k], d) if d else split[k]) for k, d in DIGITS.items()}
        out[SPLITS.get(split["split"], split["split"])] = row
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="npm run export --", description=__doc__.strip().splitlines()[0])
    p.add_argument("--config", required=True, help="training/configs/<model>.yaml")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="a checkpoint file: ours, or the official layout")
    src.add_argument("--random-weights", action="store_true", help="seeded random weights (tests, benchmarks)")
    p.add_argument("--dense", action="store_true", help="same weights, no pruning machinery (benchmarks)")
    p.add_argument("--out", required=True, help="output folder for model.onnx and manifest.json")
    p.add_argument("--id", help="model id (default: the config name, +'-dense')")
    p.add_argument("--name", help="human-readable name")
    p.add_argument("--tile", type=int, default=512, help="recommended tile size in pixels")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--default", action="store_true", help="mark as the app's default model")
    p.add_argument("--metrics", help="the JSON report of `npm run eval -- --json` (or its summary) for the manifest")
    p.add_argument("--threshold", type=float, default=0.5,
                   help="the manifest's defaultThreshold (tau); docs/training.md, 'Export'")
    p.add_argument("--version", default="1.0.0", help="the model's version, raised with every retrained release")
    p.add_argument("--keep-offsets", help="keep-logit offsets to fold in (python -m training.keep_offsets)")
    args = p.parse_args(argv)

    cfg = load_config(args.config)
    torch.manual_seed(args.seed)
    model = LMDViT(cfg.model)
    weights = f"random (seed {args.seed})"
    if args.checkpoint:
        load_weights(model, args.checkpoint)
        weights = f"{Path(args.checkpoint).name} (sha256 {sha256_of(Path(args.checkpoint))})"
    if args.keep_offsets:
        if args.dense:
            p.error("--keep-offsets moves the predictors' decisions; the dense variant has none")
        try:
            apply_keep_offsets(model, read_offsets(args.keep_offsets))
        except ValueError as e:
            p.error(str(e))
        weights += f" + {Path(args.keep_offsets).name} (sha256 {sha256_of(Path(args.keep_offsets))})"
    if args.tile % cfg.model.input_multiple:
        p.error(f"--tile must be a multiple of {cfg.model.input_multiple}")

    if not 0.0 < args.threshold < 1.0:
        p.error("--threshold must be between 0 and 1")
    model_id = args.id or (cfg.name + ("-dense" if args.dense else ""))
    extra = {"default": bool(args.default), "version": args.version, "defaultThreshold": args.threshold}
    if args.metrics:
        report = json.loads(Path(args.metrics).read_text())
        measured = report.get("threshold", args.threshold)
        if measured != args.threshold:
            p.error(f"{args.metrics} was measured at threshold {measured}, not --threshold {args.threshold}")
        if report.get("guide"):
            p.error(f"{args.metrics} was measured with --guide {report['guide']}: the manifest's metrics are the "
                    "model's own decisions")
        extra["metrics"] = manifest_metrics(report, model_id)
    write_model_folder(
        model, cfg, Path(args.out), args.dense, model_id, args.name or model_id, weights, args.tile, extra
    )
    return 0


def write_model_folder(model, cfg, out: Path, dense, model_id, name, weights, tile, extra=None) -> dict:
    """model.onnx (written to a temp name, then renamed) and manifest.json with its sha256."""
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / "model.onnx"
    tmp = out / "model.onnx.tmp"
    export_onnx(model, tmp, dense)
    tmp.replace(onnx_path)
    manifest = {**build_manifest(cfg, model_id, name, dense, weights, sha256_of(onnx_path), tile), **(extra or {})}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    stats = graph_stats(onnx_path)
    print(json.dumps({"out": str(out), "id": model_id, "nodes": stats["nodes"], "bytes": stats["bytes"]}))
    return manifest


if __name__ == "__main__":
    sys.exit(main())
