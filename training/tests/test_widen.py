"""Widening keeps the function: the same restoration, decisions and keep probabilities, copied."""
import dataclasses

import pytest
import torch

from training.model import LMDViT
from training.widen import check_widenable, head_pairs, widen

from .conftest import guide_like


def wider(cfg):
    return dataclasses.replace(cfg, embed_dim=2 * cfg.embed_dim, heads=[2 * h for h in cfg.heads])


def test_head_pairs_copies_whole_heads():
    # 8 channels in 2 heads of 4: new heads 0, 1 are old head 0; new heads 2, 3 are old head 1.
    assert head_pairs(8, 2).tolist() == [0, 1, 2, 3] * 2 + [4, 5, 6, 7] * 2


@torch.no_grad()
@pytest.mark.parametrize("pruning", [True, False])
def test_widened_network_computes_the_same(tiny, pruning):
    torch.manual_seed(1)
    for p in tiny.parameters():  # away from the init's symmetries (zero biases, unit norms)
        p.add_(torch.randn_like(p) * 0.05)
    big = LMDViT(wider(tiny.cfg)).eval()
    widen(tiny, big)
    tiny.pruning = big.pruning = pruning
    image = torch.rand(1, 3, 128, 256)
    guide = guide_like(image)
    guide[..., :64, :64] = 1.0
    a, b = tiny(image, guide, torch.tensor(0.5)), big(image, guide, torch.tensor(0.5))
    assert (a["restored"] - b["restored"]).abs().max().item() < 1e-4
    if pruning:
        assert 0.0 < a["kept_ratio"].item() < 1.0, "the test should cover kept and pruned windows"
        assert torch.equal(a["decisions"], b["decisions"])
        assert (a["confidence"] - b["confidence"]).abs().max().item() < 1e-4


@torch.no_grad()
def test_noise_parts_the_copies_and_moves_little(tiny):
    big = LMDViT(wider(tiny.cfg)).eval()
    widen(tiny, big, noise=0.01, seed=3)
    w = big.encoderlayer_1.blocks[0].mlp.linear1[0].weight
    assert not torch.equal(w[0], w[1])
    image = torch.rand(1, 3, 128, 128)
    tiny.pruning = big.pruning = False
    assert (tiny(image)["restored"] - big(image)["restored"]).abs().mean().item() < 0.01


def test_refuses_other_shapes(tiny):
    cfg = wider(tiny.cfg)
    with pytest.raises(ValueError, match="heads"):
        check_widenable(tiny.cfg, dataclasses.replace(cfg, heads=tiny.cfg.heads))
    with pytest.raises(ValueError, match="embed dim"):
        check_widenable(tiny.cfg, dataclasses.replace(cfg, depths=[2] * 9))
