"""The GPU pack: budget kept, blur-centred first crop, readable by SynthPairs, deterministic."""
import json

import numpy as np

from training.data import pack, reader
from training.tests.test_train import tiny_set


def test_pack_budget_crops_and_reader(tmp_path):
    tiny_set(tmp_path / "set", n=6, size=64)
    out = tmp_path / "pack"
    pack.main(["--data", str(tmp_path / "set"), "--out", str(out), "--crop", "32", "--val", "2",
               "--max-mib", "0.012"])
    index = json.loads((out / "index.json").read_text())
    files = [p for p in out.rglob("*") if p.is_file() and p.name != "index.json"]
    assert sum(p.stat().st_size for p in files) == index["bytes"] <= 0.012 * 2**20
    assert len(index["val"]) == 2 and 0 < len(index["train"]) < 12  # the budget stopped it early
    first = index["train"][0]
    blur, sharp, mask = reader.load_triplet(str(out), "train", first["id"])
    assert blur.shape == (32, 32, 3) and mask.shape == (32, 32) and set(np.unique(mask)) <= {0, 255}
    if reader.load_triplet(str(tmp_path / "set"), "train", first["packed_from"])[2].any():
        assert mask.any()  # crop 0 is centred on blur
    item = reader.SynthPairs(str(out), "train", crop=32)[0]
    assert tuple(item["sharp"].shape) == (3, 32, 32)

    again = tmp_path / "again"
    pack.main(["--data", str(tmp_path / "set"), "--out", str(again), "--crop", "32", "--val", "2",
               "--max-mib", "0.012"])
    assert json.loads((again / "index.json").read_text()) == index
    assert (again / "train" / f"{first['id']}_blur.jpg").read_bytes() == (
        out / "train" / f"{first['id']}_blur.jpg"
    ).read_bytes()


def test_a_crop_as_large_as_the_sample_is_packed_once(tmp_path):
    tiny_set(tmp_path / "set", n=6, size=64)
    pack.main(["--data", str(tmp_path / "set"), "--out", str(tmp_path / "pack"), "--crop", "64", "--val", "2"])
    index = json.loads((tmp_path / "pack" / "index.json").read_text())
    sources = [m["packed_from"] for m in index["train"]]
    assert sources and len(sources) == len(set(sources))  # two identical whole-sample crops would waste the budget
