"""Load weights from our training checkpoints or the official release layout."""
from pathlib import Path

import torch
from torch import nn


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
    state = extract_state_dict(torch.load(Path(path), map_location="cpu"))
    model.load_state_dict(state, strict=True)
