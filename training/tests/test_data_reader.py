"""Round trip of the on-disk layout written by build.py and read by reader.py (tiny, in tmp)."""
import json

import numpy as np
import pytest

from training.data import build, reader, synth
from training.tests.test_data_synth import OBJECTS, PHOTOS


def test_build_layout_roundtrip(tmp_path):
    metas = []
    (tmp_path / "train").mkdir()
    for i in range(3):
        b, s, m, meta = synth.synth_sample([5, i], PHOTOS, OBJECTS, size=64, kind="local")
        build.save_triplet(str(tmp_path / "train"), i, b, s, m)
        meta["id"] = f"{i:06d}"
        metas.append(meta)
        b2, s2, m2 = reader.load_triplet(str(tmp_path), "train", meta["id"])
        np.testing.assert_array_equal(b, b2)  # lossless, including JPEG-degraded inputs
        np.testing.assert_array_equal(s, s2)
        np.testing.assert_array_equal(m, m2)
        assert b2.dtype == np.uint8 and b2.shape == (64, 64, 3) and m2.shape == (64, 64)
    (tmp_path / "index.json").write_text(json.dumps({"train": metas}))
    ds = reader.SynthPairs(str(tmp_path), "train", crop=32)
    item = ds[0]
    assert tuple(item["blur"].shape) == (3, 32, 32) and tuple(item["mask"].shape) == (1, 32, 32)
    assert float(item["blur"].max()) <= 1.0 and set(item["mask"].unique().tolist()) <= {0.0, 1.0}
    preloaded = reader.SynthPairs(str(tmp_path), "train", crop=32, preload=2)
    from_disk = reader.SynthPairs(str(tmp_path), "train", crop=32)
    for i in [0, 1, 2, 0]:  # the same crops and flips from the same seed
        a, b = preloaded[i], from_disk[i]
        assert all(a[k].equal(b[k]) for k in ("blur", "sharp", "mask"))


def test_split_is_by_whole_photo():
    photos = [{"group": f"g{i // 2}", "size": [300 if i < 30 else 100] * 2} for i in range(60)]
    tr, va = build.split_photos(photos, seed=0)
    assert tr and va and not set(tr) & set(va)
    groups_tr = {photos[i]["group"] for i in tr}
    assert not groups_tr & {photos[i]["group"] for i in va}  # duplicates stay together
    assert build.split_photos(photos, seed=0) == (tr, va)


def test_train_only_photos_train_and_leave_the_held_out_set_as_it_was():
    photos = [{"group": f"g{i // 2}", "size": [300 if i < 30 else 100] * 2} for i in range(60)]
    tr, va = build.split_photos(photos, seed=0)
    extra = [{"group": f"x{i}", "size": [1600, 2560], "train_only": True} for i in range(11)]
    extra.append({"group": photos[va[0]]["group"], "size": [300, 300], "train_only": True})  # a held-out look-alike
    tr2, va2 = build.split_photos(photos[:20] + extra + photos[20:], seed=0)
    moved = {i: i if i < 20 else i + len(extra) for i in range(len(photos))}  # indices after the insertion
    assert va2 == [moved[i] for i in va]  # the same held-out photos
    assert sorted(tr2) == sorted([moved[i] for i in tr] + list(range(20, 20 + len(extra))))


def test_a_crop_larger_than_the_sample_is_a_clear_error():
    mask = np.zeros((128, 128), np.uint8)
    rng = np.random.default_rng(0)
    assert reader.blur_aware_box(rng, mask, 128, False) == (0, 0)
    with pytest.raises(ValueError, match="256-px crop does not fit a 128x128 sample"):
        reader.blur_aware_box(rng, mask, 256, False)


def test_whole_images_come_back_exact_and_without_the_read_only_warning(tmp_path, recwarn):
    (tmp_path / "val").mkdir()
    b, s, m, meta = synth.synth_sample([6, 0], PHOTOS, OBJECTS, size=64, kind="local")
    build.save_triplet(str(tmp_path / "val"), 0, b, s, m)
    meta["id"] = "000000"
    (tmp_path / "index.json").write_text(json.dumps({"val": [meta]}))
    item = reader.SynthPairs(str(tmp_path), "val", augment=False)[0]  # no crop, no flip: the decoded arrays as-is
    assert item["blur"].is_contiguous() and item["blur"].dtype.is_floating_point
    np.testing.assert_array_equal((item["blur"] * 255).round().byte().permute(1, 2, 0).numpy(), b)
    np.testing.assert_array_equal((item["sharp"] * 255).round().byte().permute(1, 2, 0).numpy(), s)
    assert not [w for w in recwarn if "not writable" in str(w.message)]
