"""Weightless ONNX template of a configuration, for importing checkpoints without Python.

npm run export:template [-- --config training/configs/lmdvit-official.yaml --out assets/templates/lmdvit-official]

Writes into --out:
- model.onnx: the pruned graph exported without constant folding, so every state-dict tensor stays an
  initializer under its own name. Those initializers are ONNX external data in `weights.bin` (not written):
  each at the offset that template.json records. Other initializers (non-persistent buffers) stay inline.
- template.json: the configuration's complete state-dict layout (every key, shape, dtype, byte offset and
  length in weights.bin, in state-dict order), which keys the graph reads, the graph's sha256 and a manifest
  base. The TypeScript importer (src-main/models/) checks a checkpoint against this list and writes
  weights.bin; model.onnx is copied unchanged.

onnxruntime folds the Transpose of Linear weights and the relative-position-bias Gather at session creation
(graph optimisation), so the unfolded graph runs as fast as the folded one.
"""
import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .config import load_config
from .export import build_manifest, export_onnx, sha256_of
from .model import LMDViT

WEIGHTS_FILE = "weights.bin"
# The files that decide the graph: when one changes, the shipped template must be exported again.
SOURCES = ["training/model.py", "training/blocks.py", "training/windows.py", "training/config.py",
           "training/export.py", "training/export_template.py"]
ALIGN = 64
PREFIX = "model."  # the export wrapper's attribute name
DTYPES = {torch.float32: "float32", torch.int64: "int64"}


def state_layout(state: dict) -> list:
    """Every state-dict tensor, in order, with its byte range in weights.bin (little-endian, C order)."""
    layout, offset = [], 0
    for key, tensor in state.items():
        if tensor.dtype not in DTYPES:
            raise ValueError(f"{key}: unsupported dtype {tensor.dtype}")
        length = tensor.numel() * tensor.element_size()
        layout.append(
            {"key": key, "shape": list(tensor.shape), "dtype": DTYPES[tensor.dtype], "offset": offset, "length": length}
        )
        offset += (length + ALIGN - 1) // ALIGN * ALIGN
    return layout


def write_weights(state: dict, layout: list, path: Path) -> None:
    """weights.bin for `state` (what the importer writes; used here for the check and by tests)."""
    with open(path, "wb") as f:
        for entry in layout:
            f.seek(entry["offset"])
            array = state[entry["key"]].detach().contiguous().numpy()
            f.write(array.astype(np.dtype(entry["dtype"]).newbyteorder("<")).tobytes())
        f.truncate(layout[-1]["offset"] + layout[-1]["length"])


def sources_sha256(config_path: str) -> str:
    """One digest over the graph-deciding sources and the config (paths relative to the repository root)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in SOURCES + [str(Path(config_path))]:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    return digest.hexdigest()


def make_template(config_path: str, out: Path, seed: int = 0) -> dict:
    cfg = load_config(config_path)
    torch.manual_seed(seed)
    model = LMDViT(cfg.model).eval()
    with torch.no_grad():  # distinct values: the exporter merges initializers that are equal (LayerNorm ones)
        for param in model.parameters():
            param.normal_(0.0, 0.02)
    state = model.state_dict()
    layout = state_layout(state)
    by_key = {entry["key"]: entry for entry in layout}
    out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "full.onnx"
        export_onnx(model, full, dense=False, fold=False)
        proto = onnx.load(str(full))

    used, inline = [], []
    for init in proto.graph.initializer:
        key = init.name[len(PREFIX):] if init.name.startswith(PREFIX) else None
        if key not in by_key or by_key[key]["dtype"] != "float32":  # relative_position_index stays inline
            inline.append(init.name)
            continue
        entry = by_key[key]
        value = numpy_helper.to_array(init)
        expected = state[key].numpy()
        if list(value.shape) != entry["shape"] or not np.array_equal(value, expected):
            raise RuntimeError(f"initializer {init.name} is not the state-dict tensor {key} unchanged")
        init.ClearField("raw_data")
        for field in ("float_data", "int64_data"):
            init.ClearField(field)
        init.data_location = onnx.TensorProto.EXTERNAL
        del init.external_data[:]
        for k, v in (("location", WEIGHTS_FILE), ("offset", str(entry["offset"])), ("length", str(entry["length"]))):
            item = init.external_data.add()
            item.key, item.value = k, v
        used.append(key)

    missing = [e["key"] for e in layout if e["dtype"] == "float32" and e["key"] not in used]
    if missing:
        raise RuntimeError(f"the graph does not read {len(missing)} float tensors by name: {missing[:5]}")
    index_keys = [e["key"] for e in layout if e["dtype"] == "int64"]
    if any(not torch.equal(state[k], state[index_keys[0]]) for k in index_keys):
        raise RuntimeError("relative_position_index buffers differ between blocks")

    onnx_path = out / "model.onnx"
    onnx.save(proto, str(onnx_path))
    manifest = build_manifest(cfg, cfg.name, cfg.name, False, "", "0" * 64, 512)
    template = {
        "format": 1,
        "config": cfg.name,
        "weightsFile": WEIGHTS_FILE,
        "weightsBytes": layout[-1]["offset"] + layout[-1]["length"],
        "modelSha256": sha256_of(onnx_path),
        "sourcesSha256": sources_sha256(config_path),
        "nodes": len(proto.graph.node),
        "inlineInitializers": inline,
        "graphKeys": used,
        "tensors": layout,
        # every int64 buffer is this (relative_position_index); the graph holds it inline, checkpoints must match
        "relativePositionIndex": state[index_keys[0]].reshape(-1).tolist(),
        "manifest": manifest,
    }
    (out / "template.json").write_text(json.dumps(template, indent=1) + "\n")
    return template


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="npm run export:template --", description=__doc__.strip().splitlines()[0])
    p.add_argument("--config", default="training/configs/lmdvit-official.yaml")
    p.add_argument("--out", default="assets/templates/lmdvit-official")
    args = p.parse_args(argv)
    t = make_template(args.config, Path(args.out))
    print(json.dumps({"out": args.out, "nodes": t["nodes"], "tensors": len(t["tensors"]),
                      "graphKeys": len(t["graphKeys"]), "inline": len(t["inlineInitializers"]),
                      "bytes": (Path(args.out) / "model.onnx").stat().st_size}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
