"""The official configuration reproduces the released network's state dict exactly."""
from pathlib import Path

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


def test_released_layout_loads_strictly_with_module_prefix_stripped():
    model = LMDViT(load_config("training/configs/lmdvit-official.yaml").model)
    wrapped = {"state_dict": {f"module.{k}": v.clone() for k, v in model.state_dict().items()}}
    stripped = {k[len("module.") :]: v for k, v in wrapped["state_dict"].items()}
    other = LMDViT(load_config("training/configs/lmdvit-official.yaml").model)
    other.load_state_dict(stripped, strict=True)
    for key, value in model.state_dict().items():
        assert other.state_dict()[key].equal(value)
