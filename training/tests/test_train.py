"""The trainer runs, checkpoints atomically and resumes, on a tiny generated set (CPU, seconds)."""
import json

import pytest
import torch
import yaml

from training import train
from training.config import load_config
from training.model import LMDViT
from training.data import build, synth
from training.tests.test_data_synth import OBJECTS, PHOTOS


def tiny_set(root, n=3, size=128):
    """n local-blur triplets per split (train and val differ), in build.py's layout."""
    index = {}
    for split in ("train", "val"):
        (root / split).mkdir(parents=True)
        metas = []
        for i in range(n):
            b, s, m, meta = synth.synth_sample([7, i, len(index)], PHOTOS, OBJECTS, size=size, kind="local")
            build.save_triplet(str(root / split), i, b, s, m)
            meta["id"] = f"{i:06d}"
            metas.append(meta)
        index[split] = metas
    (root / "index.json").write_text(json.dumps(index))


def tiny_config(path):
    raw = yaml.safe_load(open("training/configs/lmdvit-fixture.yaml"))
    raw["train"] = {"crop": 128, "batch": 2, "steps": 3, "save_every": 2, "log_every": 1, "val_every": 3,
                    "val_samples": 2, "warmup": 1}
    path.write_text(yaml.safe_dump(raw))


def test_train_checkpoint_and_resume(tmp_path):
    tiny_set(tmp_path / "data")
    tiny_config(tmp_path / "cfg.yaml")
    args = ["--config", str(tmp_path / "cfg.yaml"), "--data", str(tmp_path / "data"), "--out", str(tmp_path / "run")]
    assert train.main(args) == 0
    state = torch.load(tmp_path / "run" / "last.pt")
    assert state["step"] == 3 and "optimizer" in state
    assert train.main(args + ["--resume", str(tmp_path / "run" / "last.pt"), "--steps", "5"]) == 0
    assert torch.load(tmp_path / "run" / "last.pt")["step"] == 5
    lines = [json.loads(s) for s in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    steps = [e["step"] for e in lines if "loss" in e]
    assert steps == [1, 2, 3, 4, 5]
    assert all(e["loss"] == e["loss"] for e in lines if "loss" in e)  # no NaN
    val = [e["val"] for e in lines if "val" in e]
    assert val and "wpsnr" in val[-1]
    assert not list((tmp_path / "run").glob("*.tmp"))


def test_two_processes_train_one_model(tmp_path):
    """--procs 2: each process takes half the batch; rank 0 alone logs and saves, and resume works the same."""
    tiny_set(tmp_path / "data")
    tiny_config(tmp_path / "cfg.yaml")
    args = ["--config", str(tmp_path / "cfg.yaml"), "--data", str(tmp_path / "data"), "--out", str(tmp_path / "run"),
            "--procs", "2", "--threads", "1"]
    assert train.main(args) == 0
    assert torch.load(tmp_path / "run" / "last.pt")["step"] == 3
    assert train.main(args + ["--resume", str(tmp_path / "run" / "last.pt"), "--steps", "4"]) == 0
    lines = [json.loads(s) for s in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert [e["step"] for e in lines if "loss" in e] == [1, 2, 3, 4]
    assert torch.load(tmp_path / "run" / "last.pt")["step"] == 4


def test_procs_need_an_even_split(tmp_path, capsys):
    tiny_config(tmp_path / "cfg.yaml")  # batch 2
    with pytest.raises(SystemExit):
        train.main(["--config", str(tmp_path / "cfg.yaml"), "--out", str(tmp_path / "run"), "--procs", "3"])
    assert "split evenly" in capsys.readouterr().err


def test_crop_overrides_the_config_and_must_fit_whole_windows(tmp_path, capsys):
    tiny_set(tmp_path / "data", n=1, size=256)
    tiny_config(tmp_path / "cfg.yaml")  # crop 128
    args = ["--config", str(tmp_path / "cfg.yaml"), "--data", str(tmp_path / "data"), "--steps", "1"]
    assert train.main(args + ["--out", str(tmp_path / "run"), "--crop", "256"]) == 0
    assert torch.load(tmp_path / "run" / "last.pt")["hp"]["crop"] == 256
    with pytest.raises(SystemExit):
        train.main(args + ["--out", str(tmp_path / "bad"), "--crop", "192"])
    assert "multiple of 128" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()


def test_an_unknown_unblurred_target_is_a_usage_error_before_training(tmp_path, capsys):
    tiny_config(tmp_path / "cfg.yaml")
    raw = yaml.safe_load((tmp_path / "cfg.yaml").read_text())
    raw["train"]["unblurred_target"] = "clean"
    (tmp_path / "cfg.yaml").write_text(yaml.safe_dump(raw))
    with pytest.raises(SystemExit):
        train.main(["--config", str(tmp_path / "cfg.yaml"), "--out", str(tmp_path / "run")])
    assert "unblurred_target must be one of" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_init_with_reset_gate_reopens_the_output_gate(tmp_path):
    tiny_set(tmp_path / "data", n=2)
    tiny_config(tmp_path / "cfg.yaml")
    args = ["--config", str(tmp_path / "cfg.yaml"), "--data", str(tmp_path / "data"), "--out", str(tmp_path / "a")]
    assert train.main(args) == 0
    init = tmp_path / "shut.pt"
    state = torch.load(tmp_path / "a" / "last.pt")
    state["model"]["output_proj.proj.0.bias"][3] = -12.0
    torch.save(state, init)
    out = tmp_path / "b"
    assert train.main([*args[:-1], str(out), "--init", str(init), "--reset-gate", "--steps", "1"]) == 0
    bias = torch.load(out / "last.pt")["model"]["output_proj.proj.0.bias"]
    assert abs(bias[3].item()) < 0.01  # one small step from 0, not -12


def test_max_minutes_saves_and_stops_then_resume_carries_on(tmp_path):
    tiny_set(tmp_path / "data", n=2)
    tiny_config(tmp_path / "cfg.yaml")
    args = ["--config", str(tmp_path / "cfg.yaml"), "--data", str(tmp_path / "data"), "--out", str(tmp_path / "r")]
    assert train.main(args + ["--max-minutes", "0"]) == 0  # out of time after the first step
    assert torch.load(tmp_path / "r" / "last.pt")["step"] == 1
    assert train.main(args + ["--resume", str(tmp_path / "r" / "last.pt")]) == 0
    assert torch.load(tmp_path / "r" / "last.pt")["step"] == 3


def test_validation_weights_only_crops_with_blur():
    torch.manual_seed(0)
    model = LMDViT(load_config("training/configs/lmdvit-fixture.yaml").model)
    blurred = {"blur": torch.rand(3, 128, 128), "sharp": torch.rand(3, 128, 128), "mask": torch.ones(1, 128, 128)}
    sharp = {**blurred, "mask": torch.zeros(1, 128, 128)}
    one = train.validate(model, [blurred], 1, "cpu")
    both = train.validate(model, [blurred, sharp], 2, "cpu")
    assert abs(both["wpsnr"] - one["wpsnr"]) < 1e-6 and abs(both["wpsnr_in"] - one["wpsnr_in"]) < 1e-6
    assert one["kept_sharp"] is None and both["kept_sharp"] == train.validate(model, [sharp], 1, "cpu")["kept"]
    assert one["precision"] in (1.0, None)  # every pixel is blurred: whatever is kept is right
    assert both["recall"] == one["recall"] and 0 <= one["recall"] <= 1
    assert both["precision"] is None or both["precision"] <= (one["precision"] or 1)
    assert model.training


def test_cosine_schedule_warms_up_then_decays():
    hp = {**train.DEFAULTS, "steps": 100, "warmup": 10, "lr": 1e-3, "min_lr": 1e-5}
    lrs = [train.cosine_lr(s, hp) for s in range(100)]
    assert lrs[0] < lrs[9] == hp["lr"]
    assert all(a >= b for a, b in zip(lrs[10:], lrs[11:]))
    assert abs(lrs[-1] - hp["min_lr"]) < 1e-5


def test_preloaded_set_and_overrides_train_the_same_as_reading_from_disk(tmp_path):
    tiny_set(tmp_path / "data", n=2)
    tiny_config(tmp_path / "cfg.yaml")
    args = ["--config", str(tmp_path / "cfg.yaml"), "--data", str(tmp_path / "data"), "--batch", "1", "--lr", "0.01"]
    assert train.main(args + ["--out", str(tmp_path / "disk")]) == 0
    assert train.main(args + ["--out", str(tmp_path / "mem"), "--preload", "2"]) == 0

    def losses(run):
        return [json.loads(s)["loss"] for s in (tmp_path / run / "log.jsonl").read_text().splitlines() if '"loss"' in s]

    # Equal on the CPU; approx, because the GPU machine runs this file as its smoke test (CUDA backward kernels
    # add in any order). Different crops would differ by far more.
    assert len(losses("disk")) == 3 and losses("disk") == pytest.approx(losses("mem"), rel=1e-4)
    hp = torch.load(tmp_path / "mem" / "last.pt")["hp"]
    assert hp["batch"] == 1 and hp["lr"] == 0.01


def test_forced_guide_keeps_every_blurred_window_in_training(tiny):
    mask = torch.zeros(4, 1, 128, 128)
    mask[:, :, 40:60, 70:90] = 1
    assert train.forced_guide(mask, 0.0) is None
    assert torch.equal(train.forced_guide(mask, 1.0), mask)
    torch.manual_seed(0)
    half = train.forced_guide(torch.ones(64, 1, 8, 8), 0.5)
    assert 10 < int(half.amax(dim=(1, 2, 3)).sum()) < 54  # whole crops chosen, about half of them

    tiny.train()
    torch.manual_seed(1)
    decisions = tiny(torch.rand(4, 3, 128, 128), guide=train.forced_guide(mask, 1.0))["decisions"]
    blurred = torch.nn.functional.max_pool2d(mask, 8) > 0  # the 8-px cells the blur touches
    for stage in range(decisions.shape[1]):  # each stage's windows cover whole cells
        assert bool((decisions[:, stage : stage + 1][blurred] == 1).all())
