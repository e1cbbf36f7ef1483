"""The official configuration reproduces the released network's state dict exactly."""
from pathlib import Path

import pytest
import torch

from training.checkpoint import load_weights
from training.config import load_config
from training.model import LMDViT

KEYS = Path(__file__).resolve().parents[2] / ".." / "shared" / "docs" / "lmdvit-state-dict-keys.txt"
LOCAL_KEYS = Path(__file__).with_name("lmdvit-state-dict-keys.txt")


def reference_keys():
    path = LOCAL_KEYS if LOCAL_KEYS.exists() else KEYS
    ref = {}
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        key, shape, dtype = line.split("\t")
        ref[key] = (tuple(int(s) for s in shape.strip("()").split(",") if s.strip()), dtype)
    return ref


def test_official_state_dict_matches_release():
    model = LMDViT(load_config("training/configs/lmdvit-official.yaml").model)
    state = model.state_dict()
    ref = reference_keys()
    assert len(ref) == 951
    assert sorted(state) == sorted(ref)
    for key, (shape, dtype) in ref.items():
        assert tuple(state[key].shape) == shape, key
        assert str(state[key].dtype) == f"torch.{dtype}", key
    assert sum(p.numel() for p in model.parameters()) == 54_549_163


def test_released_layout_loads_strictly_with_module_prefix_stripped(tmp_path):
    cfg = load_config("training/configs/lmdvit-official.yaml").model
    source = LMDViT(cfg)
    # Every floating tensor redrawn, so no value can match a fresh model's initialisation by chance.
    generator = torch.Generator().manual_seed(0)
    weights = {k: torch.randn(v.shape, generator=generator).to(v.dtype) if v.is_floating_point() else v.clone()
               for k, v in source.state_dict().items()}
    # The official release: a DataParallel state dict wrapped with the optimiser and epoch.
    optimizer = torch.optim.Adam(source.parameters()).state_dict()
    path = tmp_path / "released.pth"
    torch.save({"state_dict": {f"module.{k}": v for k, v in weights.items()}, "optimizer": optimizer,
                "epoch": 3000}, path)

    model = LMDViT(cfg)
    assert any(not model.state_dict()[k].equal(v) for k, v in weights.items())
    load_weights(model, path)
    loaded = model.state_dict()
    assert sorted(loaded) == sorted(weights)
    for key, value in weights.items():
        assert loaded[key].dtype == value.dtype, key
        assert loaded[key].equal(value), key

    # A file that holds no state dict is refused by name, not half-loaded.
    bare = tmp_path / "tensor.pth"
    torch.save([torch.zeros(3)], bare)
    with pytest.raises(ValueError, match="holds no state dict"):
        load_weights(LMDViT(cfg), bare)
    # Optimiser and epoch without weights: the strict load reports the model's keys as missing.
    no_weights = tmp_path / "no-weights.pth"
    torch.save({"optimizer": optimizer, "epoch": 3000}, no_weights)
    with pytest.raises(RuntimeError, match="Missing key"):
        load_weights(LMDViT(cfg), no_weights)
