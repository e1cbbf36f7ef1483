import pickletools
import random
import zipfile

import numpy as np
import pytest
import torch

from training import checkpoint


def pickled_globals(path):
    """Module.name of every global the checkpoint's pickle refers to."""
    with zipfile.ZipFile(path) as z:
        data = z.read(next(n for n in z.namelist() if n.endswith("data.pkl")))
    found, strings = set(), []
    for op, arg, _ in pickletools.genops(data):
        if op.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            strings.append(arg)
        elif op.name == "GLOBAL":
            found.add(arg.replace(" ", "."))
        elif op.name == "STACK_GLOBAL":
            found.add(".".join(strings[-2:]))
    return found


def test_training_state_holds_no_numpy_objects_so_torch_2_loads_it_weights_only(tmp_path):
    model = torch.nn.Linear(2, 2)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model(torch.ones(1, 2)).sum().backward()
    opt.step()
    np.random.seed(3)
    np.random.normal()  # a cached Gaussian is part of numpy's state
    checkpoint.save_training_state(tmp_path / "last.pt", model, opt, 7, {"lr": 1e-3}, "cfg.yaml")
    names = pickled_globals(tmp_path / "last.pt")
    assert names and not [n for n in names if n.startswith("numpy")], names
    assert not list(tmp_path.glob("*.tmp"))


def test_rng_state_round_trips_through_a_checkpoint(tmp_path):
    torch.manual_seed(1), random.seed(2), np.random.seed(3)
    model = torch.nn.Linear(2, 2)
    opt = torch.optim.AdamW(model.parameters())
    checkpoint.save_training_state(tmp_path / "last.pt", model, opt, 1, {}, "cfg.yaml")
    expected = (torch.rand(3), random.random(), np.random.rand(3))
    torch.manual_seed(9), random.seed(9), np.random.seed(9)
    state = checkpoint.read_checkpoint(tmp_path / "last.pt")
    checkpoint.set_rng_state(state["rng"])
    assert torch.equal(torch.rand(3), expected[0])
    assert random.random() == expected[1]
    assert np.array_equal(np.random.rand(3), expected[2])
    assert state["step"] == 1 and state["config"] == "cfg.yaml"


@pytest.mark.skipif(tuple(int(p) for p in torch.__version__.split(".")[:2]) < (2, 6),
                    reason="torch loads weights-only by default from 2.6 on")
def test_a_checkpoint_torch_refuses_gets_a_clear_error(tmp_path):
    torch.save({"model": {}, "rng": {"numpy": np.random.get_state()}}, tmp_path / "old.pt")
    with pytest.raises(ValueError, match="refused to load it weights-only"):
        checkpoint.read_checkpoint(tmp_path / "old.pt")
