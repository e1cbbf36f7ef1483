"""keep_offsets: per-predictor keep-logit offsets, their search on crops, and the exporter folding them in."""
import json

import onnx
import pytest
import torch

from training import export, keep_offsets
from training.config import load_config
from training.data import build, synth
from training.model import LMDViT
from training.tests.test_data_synth import OBJECTS, PHOTOS

CONFIG = "training/configs/lmdvit-fixture.yaml"


def test_a_positive_offset_keeps_windows_and_a_negative_one_drops_them(tiny):
    image = torch.rand(1, 3, 128, 128)
    n = len(keep_offsets.keep_predictors(tiny))
    assert n == sum(min(d, 2) for d in load_config(CONFIG).model.depths)  # blocks 0 and 1 of each stage predict
    tau = torch.tensor(0.5)
    with torch.no_grad():
        before = tiny(image, threshold=tau)
        keep_offsets.apply_keep_offsets(tiny, [50.0] * n)
        every = tiny(image, threshold=tau)
        keep_offsets.apply_keep_offsets(tiny, [-100.0] * n)  # net -50
        none = tiny(image, threshold=tau)
    assert 0 < float(before["kept_ratio"]) < 1
    assert float(every["kept_ratio"]) == 1.0 and float(none["kept_ratio"]) == 0.0
    with pytest.raises(ValueError, match="predictors"):
        keep_offsets.apply_keep_offsets(tiny, [0.0] * (n - 1))


def test_the_offset_moves_only_the_keep_logit(tiny):
    predictor = keep_offsets.keep_predictors(tiny)[3]
    feats = torch.rand(1, 16, 16, predictor.in_conv[0].in_features)
    with torch.no_grad():
        before = predictor(feats)
        offsets = [0.0] * len(keep_offsets.keep_predictors(tiny))
        offsets[3] = 0.75
        keep_offsets.apply_keep_offsets(tiny, offsets)
        after = predictor(feats)
    torch.testing.assert_close(after[..., 0], before[..., 0] + 0.75)
    torch.testing.assert_close(after[..., 1], before[..., 1])


def test_a_move_is_scored_as_if_tau_then_restored_both_sharp_region_and_kept_ratio():
    score = keep_offsets.tau_equivalent_score({"unblurred": 40.0, "kept_no_blur": 0.10}, 0.12, 3.0)
    assert score({"gain": 1.0, "unblurred": 40.0, "kept_no_blur": 0.10}) == pytest.approx(1.0)
    # 1 dB of sharp region lost costs 0.12; 2 points more kept cost 0.06: the larger is what tau must buy back.
    assert score({"gain": 1.0, "unblurred": 39.0, "kept_no_blur": 0.12}) == pytest.approx(0.88)
    assert score({"gain": 1.0, "unblurred": 40.5, "kept_no_blur": 0.14}) == pytest.approx(0.88)
    # Both better: tau can fall only until the first of them is back, so the lesser credit counts.
    assert score({"gain": 1.0, "unblurred": 41.0, "kept_no_blur": 0.09}) == pytest.approx(1.03)


def test_search_keeps_a_move_only_when_it_raises_the_score():
    # Offset 0: gain peaks at 0.4. Offset 1: +0.1 dB of gain a unit for a dB of sharp region (worth 0.12): no.
    # Offset 2, falling: 0.02 dB of gain for a dB of sharp region (worth 0.12) and 5 points of kept ratio: yes.
    def evaluate(o):
        return {"gain": 1 - (o[0] - 0.4) ** 2 + 0.1 * o[1] + 0.02 * o[2], "unblurred": 40 - o[1] - o[2],
                "kept_no_blur": 0.1 + 0.05 * o[2]}

    trials = []
    score_for = lambda start: keep_offsets.tau_equivalent_score(start, 0.12, 3.0)  # noqa: E731
    offsets, start, end = keep_offsets.search(evaluate, 3, [0.4, 0.2], score_for, report=trials.append)
    assert offsets == pytest.approx([0.4, 0.0, -0.6])
    assert start == evaluate([0, 0, 0]) and end == evaluate(offsets)
    assert trials[0]["score"] == pytest.approx(start["gain"])
    assert len(trials) == 1 + 5 + 6 and sum(t["accepted"] for t in trials[1:]) == 3


def _tiny_set(root, n=2):
    (root / "train").mkdir(parents=True)
    metas = []
    for i, kind in enumerate(["local", "none"][:n]):
        blur, sharp, mask, meta = synth.synth_sample([7, i], PHOTOS, OBJECTS, size=128, kind=kind)
        build.save_triplet(str(root / "train"), i, blur, sharp, mask)
        metas.append({**meta, "id": f"{i:06d}"})
    (root / "index.json").write_text(json.dumps({"train": metas}))


def test_cli_writes_offsets_that_the_exporter_folds_into_the_graph(tmp_path):
    _tiny_set(tmp_path / "set")
    torch.manual_seed(0)
    ckpt = tmp_path / "weights.pt"
    torch.save({"model": LMDViT(load_config(CONFIG).model).state_dict()}, ckpt)
    out = tmp_path / "offsets.json"
    args = ["--config", CONFIG, "--checkpoint", str(ckpt), "--data", str(tmp_path / "set"), "--procs", "1",
            "--threshold", "0.5", "--steps", "1.0", "--out", str(out)]
    assert keep_offsets.main(args) == 0
    result = json.loads(out.read_text())
    n = sum(min(d, 2) for d in load_config(CONFIG).model.depths)
    assert result["samples"] == 2 and len(result["offsets"]) == n and result["threshold"] == 0.5
    score = keep_offsets.tau_equivalent_score(result["start"], 0.12, 3.0)
    assert score(result["end"]) >= score(result["start"]) and result["kept_rate"] == 3.0

    big = tmp_path / "big.json"
    big.write_text(json.dumps({"offsets": [60.0] * n}))
    base = ["--config", CONFIG, "--checkpoint", str(ckpt)]
    assert export.main(base + ["--out", str(tmp_path / "plain")]) == 0
    assert export.main(base + ["--out", str(tmp_path / "kept"), "--keep-offsets", str(big)]) == 0
    manifest = json.loads((tmp_path / "kept" / "manifest.json").read_text())
    assert manifest["weights"].startswith("weights.pt (sha256 ") and " + big.json (sha256 " in manifest["weights"]
    graphs = [onnx.load(str(tmp_path / d / "model.onnx")) for d in ("plain", "kept")]
    assert graphs[0].SerializeToString() != graphs[1].SerializeToString()

    for bad, extra in [("short.json", {"offsets": [1.0] * (n - 1)}), ("nan.json", {"offsets": ["x"] * n}),
                       ("none.json", {"offset": []})]:
        (tmp_path / bad).write_text(json.dumps(extra))
        with pytest.raises(SystemExit):
            export.main(base + ["--out", str(tmp_path / f"out-{bad}"), "--keep-offsets", str(tmp_path / bad)])
        assert not (tmp_path / f"out-{bad}").exists()
    with pytest.raises(SystemExit):
        export.main(base + ["--dense", "--out", str(tmp_path / "dense"), "--keep-offsets", str(big)])
