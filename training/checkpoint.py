"""Read and write checkpoints: our training state and the official release layout.

torch 2.6+ loads weights-only by default (tensors and plain values; a file cannot run code), and torch 1.13's
weights-only reader cannot read floats, so loads keep each version's default and the training state holds only
tensors and plain Python values, the numpy RNG state included: the same file loads on both.
"""
import pickle
import random
from pathlib import Path

import numpy as np
import torch
from torch import nn


def read_checkpoint(path, map_location="cpu") -> dict:
    try:
        return torch.load(Path(path), map_location=map_location)
    except pickle.UnpicklingError as e:
        raise ValueError(f"{path}: torch refused to load it weights-only (older training checkpoints held a numpy "
                         f"RNG state: load and save it once with torch 1.13): {e}") from None


def extract_state_dict(obj) -> dict:
    """Accept {"state_dict": ...} (official), {"model": ...} (ours) or a bare state dict; strip `module.`."""
    if isinstance(obj, dict) and isinstance(obj.get("state_dict"), dict):
        obj = obj["state_dict"]
    elif isinstance(obj, dict) and isinstance(obj.get("model"), dict):
        obj = obj["model"]
    if not isinstance(obj, dict):
        raise ValueError("checkpoint holds no state dict")
    return {(k[len("module.") :] if k.startswith("module.") else k): v for k, v in obj.items()}


def load_weights(model: nn.Module, path) -> None:
    model.load_state_dict(extract_state_dict(read_checkpoint(path)), strict=True)


def rng_state() -> dict:
    """torch, Python and numpy RNG states as tensors and plain values."""
    name, keys, pos, has_gauss, gauss = np.random.get_state()
    numpy = {"name": name, "keys": torch.from_numpy(keys.astype(np.int64)), "pos": int(pos),
             "has_gauss": int(has_gauss), "gauss": float(gauss)}
    return {"torch": torch.get_rng_state(), "python": random.getstate(), "numpy": numpy}


def set_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"].cpu())  # read with map_location=cuda it sits on the GPU
    random.setstate(state["python"])
    n = state["numpy"]
    np.random.set_state((n["name"], n["keys"].cpu().numpy().astype(np.uint32), n["pos"], n["has_gauss"], n["gauss"]))


def save_training_state(path: Path, model, optimizer, step: int, hp: dict, cfg_path: str) -> None:
    """last.pt for --resume: model, optimiser, step, hyper-parameters, RNG; written atomically."""
    tmp = path.with_suffix(".tmp")
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step, "hp": dict(hp),
             "config": str(cfg_path), "rng": rng_state()}
    torch.save(state, tmp)
    tmp.replace(path)
