"""Golden cases for the TypeScript side: inputs and PyTorch outputs as raw little-endian float32 files.

A case is `<name>.json` ({inputs: {name: {file, dims}}, outputs: {...}, minMargin}) beside its `.bin` files.
tau is nudged so that no window's keep probability sits within MARGIN of it: there PyTorch and ONNX Runtime may
round a decision to different sides, which the contract allows but a golden must not rely on.
"""
import json
from pathlib import Path

import numpy as np
import torch

from .config import load_config
from .model import LMDViT

MARGIN = 1e-3


def random_model(config: str, seed: int, gain: float = 30.0) -> LMDViT:
    """Seeded random weights; the predictors' last layers are scaled so keep probabilities spread over
    (0, 1) instead of all sitting near 0.5, as they do in a freshly initialised network."""
    torch.manual_seed(seed)
    model = LMDViT(load_config(config).model).eval()
    with torch.no_grad():
        for stage in model.stages():
            for block in stage.blocks:
                if block.score_predictor is not None:
                    block.score_predictor.out_conv[4].weight.mul_(gain)
    return model


def smooth_image(h: int, w: int, gen: torch.Generator) -> torch.Tensor:
    """A photo-like test input: smooth colour fields plus fine texture, in [0, 1]."""
    coarse = torch.rand(1, 3, h // 32 + 1, w // 32 + 1, generator=gen)
    base = torch.nn.functional.interpolate(coarse, size=(h, w), mode="bilinear", align_corners=False)
    return (0.8 * base + 0.2 * torch.rand(1, 3, h, w, generator=gen)).clamp(0, 1)


@torch.no_grad()
def run_case(model: LMDViT, image, guide, threshold: float):
    out = model(image, guide, torch.tensor(threshold))
    probs = torch.cat(out["window_probs"]) if out["window_probs"] else torch.ones(1)
    margin = (probs - threshold).abs().min().item() if 0 < threshold < 1 else 1.0
    return out, margin


def widest_gap_threshold(probs: torch.Tensor, lo: float, hi: float) -> float:
    """The middle of the widest gap between window keep probabilities inside (lo, hi)."""
    inside = probs[(probs > lo) & (probs < hi)].sort().values
    edges = torch.cat([torch.tensor([lo]), inside, torch.tensor([hi])])
    i = int((edges[1:] - edges[:-1]).argmax())
    return float((edges[i] + edges[i + 1]) / 2)


def find_case(model, h, w, threshold, make_guide, seed, tries=20):
    """Inputs from seed, and a tau near `threshold` that no window's keep probability is within MARGIN of.

    Later predictors see features that depend on earlier decisions, so tau is moved and the run repeated
    until it is stable. tau 0 and 1 are exact already (everything or nothing the model decides is kept).
    """
    gen = torch.Generator().manual_seed(seed)
    image, guide = smooth_image(h, w, gen), make_guide(h, w)
    tau = threshold
    for _ in range(tries):
        out, margin = run_case(model, image, guide, tau)
        if margin > MARGIN:
            return image, guide, tau, out, margin
        tau = widest_gap_threshold(torch.cat(out["window_probs"]), threshold - 0.1, threshold + 0.1)
    raise RuntimeError(f"no tau near {threshold} keeps every decision {MARGIN} away after {tries} tries")


def _write_tensor(folder: Path, name: str, t: torch.Tensor) -> dict:
    arr = t.detach().cpu().contiguous().numpy().astype("<f4")
    (folder / f"{name}.bin").write_bytes(arr.tobytes())
    return {"file": f"{name}.bin", "dims": list(arr.shape)}


def write_case(folder: Path, name: str, image, guide, threshold: float, out: dict, margin: float, **extra):
    folder.mkdir(parents=True, exist_ok=True)
    inputs = {
        "image": _write_tensor(folder, f"{name}.image", image),
        "guide": _write_tensor(folder, f"{name}.guide", guide),
    }
    outputs = {k: _write_tensor(folder, f"{name}.{k}", out[k]) for k in ("restored", "confidence", "decisions")}
    meta = {
        "threshold": threshold,
        "inputs": inputs,
        "outputs": outputs,
        "keptRatio": out["kept_ratio"].item(),
        "minMargin": margin,
        "blockKept": [round(s.item(), 6) for s in out["block_kept"]],
        **extra,
    }
    (folder / f"{name}.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def guide_zero(h, w):
    return torch.zeros(1, 1, h, w)


def guide_mixed(h, w):
    """Force a block near the top-left, protect the right quarter, leave the rest to the model."""
    g = torch.zeros(1, 1, h, w)
    g[..., 16:48, 24:72] = 1.0
    g[..., :, w - w // 4 :] = -1.0
    return g


def numpy_dtype_note() -> str:
    return f"float32 little-endian, C order (numpy {np.__version__})"
