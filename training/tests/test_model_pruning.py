"""Exact properties of window pruning (evaluation) and of the training path."""
import pytest
import torch

from training.model import TransformerBlock, guided_keep
from training.windows import Windows, build_level, shift_mask_bank

from .conftest import guide_like


def record_blocks(model):
    """Wrap every block's pruned forward to record (input, output, keep)."""
    calls = []
    for stage in model.stages():
        for block in stage.blocks:
            original = block.forward_pruned

            def wrapped(x, windows, bank, keep, _original=original):
                y = _original(x, windows, bank, keep)
                calls.append((x, y, keep))
                return y

            block.forward_pruned = wrapped
    return calls


@torch.no_grad()
@pytest.mark.parametrize("how", ["threshold0", "forced"])
def test_all_kept_equals_network_without_pruning_machinery(tiny, how):
    image = torch.rand(1, 3, 128, 256)
    if how == "threshold0":
        out = tiny(image, guide_like(image), torch.tensor(0.0))
    else:
        out = tiny(image, guide_like(image, 1.0), torch.tensor(1.0))
    assert out["kept_ratio"].item() == 1.0
    tiny.pruning = False
    dense = tiny(image)["restored"]
    assert (out["restored"] - dense).abs().max().item() < 1e-5


@torch.no_grad()
@pytest.mark.parametrize("shifted", [False, True])
def test_pruned_window_is_bit_exact_identity(shifted):
    torch.manual_seed(1)
    block = TransformerBlock(16, 2, 8, shifted, 4.0, 0.0, predictor=False, modulator=True).eval()
    x = torch.randn(1, 32, 48, 16)
    level = build_level(torch.zeros(1, 1, 32, 48), 1, 32, 48, 8, 4)
    windows = level.shifted if shifted else level.plain
    keep = (torch.arange(windows.tokens.shape[0]) % 3 == 0).float()  # keep every third window
    y = block.forward_pruned(x, windows, shift_mask_bank(8, 4), keep)
    flat_in, flat_out = x.reshape(-1, 16), y.reshape(-1, 16)
    dropped = windows.tokens[keep == 0].reshape(-1)
    kept = windows.tokens[keep == 1].reshape(-1)
    assert torch.equal(flat_in[dropped], flat_out[dropped])
    assert not torch.equal(flat_in[kept], flat_out[kept])


@torch.no_grad()
def test_pruned_block_matches_dense_block_on_kept_windows():
    torch.manual_seed(2)
    block = TransformerBlock(16, 2, 8, True, 4.0, 0.0, predictor=False, modulator=False).eval()
    x = torch.randn(1, 32, 32, 16)
    level = build_level(torch.zeros(1, 1, 32, 32), 1, 32, 32, 8, 4)
    keep = torch.ones(level.shifted.tokens.shape[0])
    pruned = block.forward_pruned(x, level.shifted, shift_mask_bank(8, 4), keep)
    dense = block.forward_windows(x, level, shift_mask_bank(8, 4), None)
    assert (pruned - dense).abs().max().item() < 1e-5


@torch.no_grad()
def test_everything_protected_makes_every_block_an_identity(tiny):
    calls = record_blocks(tiny)
    image = torch.rand(1, 3, 128, 128)
    out = tiny(image, guide_like(image, -1.0), torch.tensor(0.0))
    assert out["kept_ratio"].item() == 0.0
    assert len(calls) == sum(tiny.cfg.depths)
    for x, y, keep in calls:
        assert keep.sum().item() == 0
        assert torch.equal(x, y)
    assert out["decisions"].sum().item() == 0


@torch.no_grad()
def test_zero_kept_windows_flow_through(tiny):
    image = torch.rand(1, 3, 128, 128)
    out = tiny(image, guide_like(image), torch.tensor(1.0))  # tau 1: the model keeps nothing itself
    assert out["kept_ratio"].item() == 0.0
    assert torch.isfinite(out["restored"]).all()


@torch.no_grad()
def test_forced_region_is_kept_at_every_level(tiny):
    calls = record_blocks(tiny)
    image = torch.rand(1, 3, 256, 256)
    guide = guide_like(image)
    guide[..., 200:203, 40:44] = 1.0  # a few forced pixels near a window corner
    out = tiny(image, guide, torch.tensor(1.0))
    dec = out["decisions"][0]  # (9, 32, 32) on the H/8 grid
    assert (dec[:, 200 // 8, 40 // 8] == 1).all()
    assert (dec[:, 2, 30] == 0).all()  # far away, nothing forced, tau 1
    for x, y, keep in calls:  # plain and shifted blocks alike keep at least the forced windows
        assert keep.sum().item() >= 1
    assert 0 < out["kept_ratio"].item() < 0.5


@torch.no_grad()
@pytest.mark.parametrize("h,w", [(128, 128), (128, 256), (256, 384), (384, 128)])
def test_shapes(tiny, h, w):
    image = torch.rand(1, 3, h, w)
    out = tiny(image, guide_like(image), torch.tensor(0.5))
    assert out["restored"].shape == (1, 3, h, w)
    assert out["confidence"].shape == (1, 1, h, w)
    assert out["decisions"].shape == (1, 9, h // 8, w // 8)
    assert out["kept_ratio"].shape == ()
    assert ((out["confidence"] >= 0) & (out["confidence"] <= 1)).all()


@torch.no_grad()
def test_batch_in_evaluation_matches_single_images(tiny):
    images = torch.rand(2, 3, 128, 128)
    guide = guide_like(images)
    guide[1, :, :64] = -1.0
    both = tiny(images, guide, torch.tensor(0.5))["restored"]
    for i in range(2):
        one = tiny(images[i : i + 1], guide[i : i + 1], torch.tensor(0.5))["restored"]
        assert (both[i : i + 1] - one).abs().max().item() < 1e-5


def test_training_uses_hard_gumbel_decisions_with_gradients(tiny):
    tiny.train()
    image = torch.rand(3, 3, 128, 128)
    out = tiny(image)
    assert out["restored"].shape == (3, 3, 128, 128)
    assert set(out["decisions"].unique().tolist()) <= {0.0, 1.0}
    assert len(out["probs"]) == sum(min(d, 2) for d in tiny.cfg.depths)  # blocks 0 and 1 predict
    loss = out["restored"].mean() + out["kept_ratio"]
    loss.backward()
    predictor = tiny.encoderlayer_1.blocks[1].score_predictor
    assert predictor.out_conv[4].weight.grad is not None
    assert predictor.out_conv[4].weight.grad.abs().sum() > 0  # straight-through gradient reaches it


def _pruning_grads(model, scale):
    """Gradients of the first predictor's keep probabilities (its input is input_proj's output, so the scale
    is the only thing between them): (input_proj's weight, the predictor's last weight)."""
    model.train().zero_grad()
    model.set_predictor_grad(scale)
    torch.manual_seed(5)
    out = model(torch.rand(2, 3, 128, 128))
    out["probs"][0][1].sum().backward()
    predictor = model.encoderlayer_0.blocks[0].score_predictor.out_conv[4].weight
    return model.input_proj.proj[0].weight.grad.clone(), predictor.grad.clone()


def test_predictor_grad_scales_only_what_reaches_the_backbone(tiny):
    backbone_full, predictor_full = _pruning_grads(tiny, 1.0)
    backbone_part, predictor_part = _pruning_grads(tiny, 0.25)
    assert backbone_full.abs().sum() > 0
    assert torch.allclose(backbone_part, 0.25 * backbone_full, rtol=1e-4, atol=1e-9)
    assert torch.allclose(predictor_part, predictor_full)
    backbone_none, _ = _pruning_grads(tiny, 0.0)
    assert backbone_none.abs().sum() == 0


def test_training_protected_windows_are_identity():
    """In training the 0/1 map multiplies the block, so a dropped window passes through unchanged."""
    torch.manual_seed(3)
    block = TransformerBlock(16, 2, 8, True, 4.0, 0.0, predictor=False, modulator=False).train()
    x = torch.randn(2, 32, 32, 16)
    level = build_level(torch.zeros(2, 1, 32, 32), 1, 32, 32, 8, 4)
    keep = torch.zeros(level.shifted.tokens.shape[0])
    y = block.forward_windows(x, level, shift_mask_bank(8, 4), keep)
    assert torch.equal(x, y)


def test_shift_mask_bank_matches_swin_region_masks():
    """The 4-mask bank equals the per-window masks built from Swin's image regions on a whole map."""
    from training.windows import partition

    h, w, win, shift = 32, 48, 8, 4
    regions = torch.zeros(1, h, w, 1)
    count = 0
    for hs in (slice(0, -win), slice(-win, -shift), slice(-shift, None)):
        for ws in (slice(0, -win), slice(-win, -shift), slice(-shift, None)):
            regions[:, hs, ws, :] = count
            count += 1
    ids = partition(regions, win).squeeze(-1)  # (nW, N)
    expected = (ids.unsqueeze(1) != ids.unsqueeze(2)).float() * -100.0
    level = build_level(torch.zeros(1, 1, h, w), 1, h, w, win, shift)
    assert torch.equal(level.dense_mask(shift_mask_bank(win, shift)), expected)


def test_gelu_gradient_is_right_for_non_contiguous_gradients():
    """Guards the torch 1.13 CPU kernel bug that blows training up after the window permutes."""
    from training.blocks import GELU

    x = torch.randn(8, 32, 8, 8, requires_grad=True)
    upstream = torch.randn(8, 8, 8, 32).permute(0, 3, 1, 2)  # non-contiguous, like a permute's gradient
    GELU()(x).backward(upstream)
    expected = torch.autograd.grad(torch.nn.functional.gelu(x), x, upstream.contiguous())[0]
    assert torch.allclose(x.grad, expected, atol=1e-6)


def test_shut_gate_still_learns_in_training_and_keeps_its_floor_in_evaluation(tiny):
    """restored = x + r * max(sigmoid(g), 0.1) in both modes; in training the floor passes g's gradient."""
    tiny.pruning = False  # dense: training and evaluation compute the same thing
    with torch.no_grad():
        tiny.output_proj.proj[0].bias[3] = -12.0  # sigmoid ~6e-6, far under the floor
    image = torch.rand(1, 3, 128, 128)
    with torch.no_grad():
        out = tiny.output_proj.proj(torch.zeros(1, 2 * tiny.cfg.embed_dim, 4, 4))
    assert torch.sigmoid(out[:, 3]).max() < 0.1
    expected = tiny(image)["restored"]
    tiny.train()
    restored = tiny(image)["restored"]
    assert torch.allclose(restored, expected, atol=1e-6)
    restored.sum().backward()
    assert tiny.output_proj.proj[0].bias.grad[3] != 0


def test_guide_rule_passes_the_whole_straight_through_gradient_in_training():
    # Windows: unforced, forced, protected. The model drops the first, keeps the second and third.
    windows = Windows(tokens=torch.zeros(3, 1, dtype=torch.long), mask_kind=None, guide_max=torch.tensor([0., 1., -1.]),
                      forced=torch.tensor([0., 1., 0.]), allowed=torch.tensor([1., 1., 0.]))
    for training in (True, False):
        model_keep = torch.tensor([0., 1., 1.], requires_grad=True)
        keep = guided_keep(model_keep, windows, training)
        assert keep.tolist() == [0., 1., 0.]
        keep.sum().backward()
        if training:  # torch.maximum would give the dropped, unforced window 0.5 (a tie with forced 0)
            assert model_keep.grad.tolist() == [1., 0., 0.]
