"""Weightless templates: every float state-dict tensor is an external-data initializer at its recorded offset,
and the committed official template matches the official state-dict key list."""
import json
from pathlib import Path

import onnx
import torch

from training import export_template
from training.config import load_config
from training.model import LMDViT

FIXTURE = "training/configs/lmdvit-fixture.yaml"
SHIPPED = Path("assets/templates/lmdvit-official")


def test_fixture_template_reads_every_float_tensor_by_key(tmp_path):
    t = export_template.make_template(FIXTURE, tmp_path)
    proto = onnx.load(str(tmp_path / "model.onnx"), load_external_data=False)
    external = {
        i.name: {e.key: e.value for e in i.external_data}
        for i in proto.graph.initializer
        if i.data_location == onnx.TensorProto.EXTERNAL
    }
    by_key = {e["key"]: e for e in t["tensors"]}
    floats = [e["key"] for e in t["tensors"] if e["dtype"] == "float32"]
    assert sorted(t["graphKeys"]) == sorted(floats)
    for key in floats:
        ext = external["model." + key]
        assert ext["location"] == "weights.bin"
        assert int(ext["offset"]) == by_key[key]["offset"] and int(ext["length"]) == by_key[key]["length"]
    assert t["modelSha256"] == export_template.sha256_of(tmp_path / "model.onnx")
    assert (tmp_path / "model.onnx").stat().st_size < 1_000_000


def test_shipped_template_matches_the_official_layout():
    t = json.loads((SHIPPED / "template.json").read_text())
    state = LMDViT(load_config("training/configs/lmdvit-official.yaml").model).state_dict()
    assert [(e["key"], e["shape"]) for e in t["tensors"]] == [(k, list(v.shape)) for k, v in state.items()]
    assert len(t["tensors"]) == 951 and len(t["graphKeys"]) == 911
    assert t["modelSha256"] == export_template.sha256_of(SHIPPED / "model.onnx")
    assert t["relativePositionIndex"] == state["encoderlayer_0.blocks.0.attn.relative_position_index"].reshape(-1).tolist()


def test_shipped_template_is_current():
    t = json.loads((SHIPPED / "template.json").read_text())
    assert t["sourcesSha256"] == export_template.sources_sha256("training/configs/lmdvit-official.yaml"), (
        "training/ changed since the shipped template was exported: run `npm run export:template` and commit "
        "assets/templates/lmdvit-official/"
    )
