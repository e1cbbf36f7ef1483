"""The portable sources pack: written from carve.py-style records, read back, and built from."""
import json
import tempfile

import numpy as np
from PIL import Image

from training.data import build, sources
from training.tests.test_data_synth import OBJECTS, PHOTOS


def _records(tmp_path):
    big = np.asarray(Image.fromarray(PHOTOS[0]).resize((900, 600)))
    tall = np.asarray(Image.fromarray(OBJECTS[0]).resize((150, 400)))
    photos, objects = [], []
    for i, rgb in enumerate([*PHOTOS, big]):
        np.save(tmp_path / f"p{i}.npy", rgb)
        photos.append({"package": "test", "path": f"p{i}", "size": [rgb.shape[1], rgb.shape[0]],
                       "licence": "CC0", "group": f"g{i}", "train_only": i == 0,
                       "npy": str(tmp_path / f"p{i}.npy")})
    for i, rgba in enumerate([*OBJECTS, tall]):
        np.save(tmp_path / f"o{i}.npy", rgba)
        objects.append({"package": "test", "path": f"o{i}", "size": [rgba.shape[1], rgba.shape[0]],
                        "licence": "CC0", "npy": str(tmp_path / f"o{i}.npy")})
    return photos, objects


def test_pack_round_trip_keeps_order_groups_and_pixels(tmp_path):
    photos, objects = _records(tmp_path)
    summary = sources.write(tmp_path / "pack", photos, objects, max_side=512, quality=95)
    assert summary["photos"] == 3 and summary["objects"] == 3 and summary["mib"] < 1
    loaded_p, loaded_o = sources.load(str(tmp_path / "pack"), str(tmp_path / "cache"))
    assert [p["group"] for p in loaded_p] == ["g0", "g1", "g2"]
    assert [p["train_only"] for p in loaded_p] == [True, False, False]  # so the split is the same there
    assert loaded_p[2]["size"] == [512, 341]  # the 900x600 photo fitted into 512
    for rec, orig in zip(loaded_p[:2], PHOTOS):
        got = np.load(rec["npy"]).astype(float)
        assert got.shape == orig.shape
        assert 10 * np.log10(255**2 / np.mean((got - orig) ** 2)) > 30  # JPEG 4:2:0 on per-pixel colour noise
    for rec, orig in zip(loaded_o[:2], OBJECTS):
        np.testing.assert_array_equal(np.load(rec["npy"]), orig)  # WebP lossless, alpha kept
    assert np.load(loaded_o[2]["npy"]).shape == (256, 96, 4)
    assert not list((tmp_path / "pack").rglob("*.tmp"))


def test_build_from_a_pack(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the decoded cache goes to a temp folder
    photos, objects = _records(tmp_path)
    sources.write(tmp_path / "pack", photos, objects)
    out = tmp_path / "synth"
    build.main(["--sources", str(tmp_path / "pack"), "--out", str(out), "--train", "2", "--val", "1",
                "--val-full", "0", "--size", "128", "--workers", "1"])
    index = json.loads((out / "index.json").read_text())
    assert len(index["train"]) == 2 and len(index["val"]) == 1
    assert (out / "train" / "000001_mask.png").exists()
    val_groups = {photos[int(p[1:])]["group"] for p in index["split"]["val_photos"]}
    train_groups = {photos[int(p[1:])]["group"] for p in index["split"]["train_photos"]}
    assert val_groups and not val_groups & train_groups
    assert index["train_only_photos"] == 1 and "p0" in index["split"]["train_photos"]
    assert list(tmp_path.glob("deblur-sources-*/photos/*.npy"))
    without = tmp_path / "without"
    build.main(["--sources", str(tmp_path / "pack"), "--out", str(without), "--train", "2", "--val", "1",
                "--val-full", "0", "--size", "128", "--workers", "1", "--no-train-only-photos"])
    index2 = json.loads((without / "index.json").read_text())
    assert index2["train_only_photos"] == 0 and "p0" not in index2["split"]["train_photos"]
    assert index2["split"]["val_photos"] == index["split"]["val_photos"]
