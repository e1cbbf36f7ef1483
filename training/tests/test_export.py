"""ONNX export: the contract's inputs and outputs, dynamic sizes, manifest with the file's sha256."""
import json
import re
from pathlib import Path

import onnx
import pytest
import torch

from training import export
from training.config import load_config
from training.model import LMDViT

CONFIG = "training/configs/lmdvit-fixture.yaml"


def dims(value_info):
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


def test_pruned_export_follows_the_contract(tmp_path):
    torch.manual_seed(0)
    model = LMDViT(load_config(CONFIG).model)
    ckpt = tmp_path / "weights.pt"
    torch.save({"model": model.state_dict(), "step": 3}, ckpt)
    assert export.main(["--config", CONFIG, "--checkpoint", str(ckpt), "--out", str(tmp_path / "m")]) == 0
    proto = onnx.load(str(tmp_path / "m" / "model.onnx"))
    assert [i.name for i in proto.graph.input] == ["image", "guide", "threshold"]
    assert [o.name for o in proto.graph.output] == ["restored", "confidence", "decisions", "kept_ratio"]
    assert dims(proto.graph.input[0]) == [1, 3, "height", "width"]
    assert dims(proto.graph.input[1]) == [1, 1, "height", "width"]
    assert dims(proto.graph.input[2]) == []
    assert len(dims(proto.graph.output[2])) == 4  # [1, 9, H/8, W/8]; checked at run time in the TS parity test
    assert proto.opset_import[0].version == 17
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text())
    assert manifest["sha256"] == export.sha256_of(tmp_path / "m" / "model.onnx")
    assert manifest["inputMultiple"] == 128 and manifest["variant"] == "pruned"
    assert manifest["weights"].startswith("weights.pt (sha256 ")
    assert not (tmp_path / "m" / "model.onnx.tmp").exists()


def test_dense_export_has_only_image_and_restored(tmp_path):
    args = ["--config", CONFIG, "--random-weights", "--dense", "--out", str(tmp_path), "--version", "2.3.0"]
    assert export.main(args) == 0
    proto = onnx.load(str(tmp_path / "model.onnx"))
    assert [i.name for i in proto.graph.input] == ["image"]
    assert [o.name for o in proto.graph.output] == ["restored"]
    ops = {n.op_type for n in proto.graph.node}
    assert "NonZero" not in ops and "ScatterND" not in ops  # no pruning machinery
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["variant"] == "dense" and manifest["version"] == "2.3.0"


def test_export_leaves_the_model_in_evaluation_mode(tmp_path):
    model = LMDViT(load_config(CONFIG).model).eval()
    export.export_onnx(model, tmp_path / "m.onnx", dense=False)
    assert not model.training and model.pruning


def test_export_needs_weights(tmp_path):
    with pytest.raises(SystemExit):
        export.main(["--config", CONFIG, "--out", str(tmp_path)])


def test_shipped_manifest_metrics_are_the_committed_eval_report():
    report = json.loads(Path("docs/models/lmdvit-e8-eval.json").read_text())
    manifest = json.loads(Path("models/lmdvit-e8/manifest.json").read_text())
    assert report["model"] == "models/lmdvit-e8"
    assert report["threshold"] == manifest["defaultThreshold"]
    assert export.manifest_metrics(report, "lmdvit-e8") == manifest["metrics"]
    assert export.manifest_metrics(manifest["metrics"], "lmdvit-e8") == manifest["metrics"]


def test_shipped_manifest_names_the_committed_weights_by_sha256():
    # "last.pt (sha256 ...) + keep-offsets.json (sha256 ...)": the files the export came from, as committed.
    manifest = json.loads(Path("models/lmdvit-e8/manifest.json").read_text())
    parts = re.findall(r"([\w.-]+) \(sha256 ([0-9a-f]{64})\)", manifest["weights"])
    assert parts and " + ".join(f"{n} (sha256 {h})" for n, h in parts) == manifest["weights"]
    for name, sha in parts:
        assert export.sha256_of(Path("training/checkpoints/lmdvit-e8") / name) == sha, name


def test_threshold_sets_the_default_and_must_match_the_metrics_report(tmp_path):
    torch.manual_seed(0)
    ckpt = tmp_path / "weights.pt"
    torch.save({"model": LMDViT(load_config(CONFIG).model).state_dict(), "step": 3}, ckpt)
    report = tmp_path / "eval.json"
    report.write_text(json.dumps({"threshold": 0.5, "splits": []}))
    base = ["--config", CONFIG, "--checkpoint", str(ckpt), "--out", str(tmp_path / "m")]
    with pytest.raises(SystemExit):
        export.main(base + ["--threshold", "0.55", "--metrics", str(report)])
    assert not (tmp_path / "m").exists()
    with pytest.raises(SystemExit):
        export.main(base + ["--threshold", "1"])
    report.write_text(json.dumps({"threshold": 0.55, "guide": "mask", "splits": []}))
    with pytest.raises(SystemExit):
        export.main(base + ["--threshold", "0.55", "--metrics", str(report)])
    assert export.main(base + ["--threshold", "0.55"]) == 0
    assert json.loads((tmp_path / "m" / "manifest.json").read_text())["defaultThreshold"] == 0.55
