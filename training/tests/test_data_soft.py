"""Soft backgrounds (defocus, flat colour): smooth, unblurred, and the rest of the sample unchanged."""
import numpy as np
import pytest
from training.data import imageops, soft, synth

from .test_data_synth import OBJECTS, PHOTOS, SIZE


def test_disk_kernel_is_a_normalised_disc():
    k = soft.disk_kernel(4.0)
    assert k.shape == (11, 11) and abs(float(k.sum()) - 1) < 1e-5
    np.testing.assert_allclose(k, k.T, atol=1e-7)  # round: symmetric
    assert k[5, 5] == k.max() and k[0, 0] == 0 and k[5, 0] == 0  # radius 4 (+0.5 edge) stops short of 5


def test_defocus_keeps_mean_and_removes_detail():
    lin = imageops.srgb_to_linear(PHOTOS[0][:128, :128])
    out = soft.defocus(lin, 6.0)
    assert out.shape == lin.shape
    assert abs(float(out.mean() - lin.mean())) < 0.01  # light is spread, not lost
    before = synth.laplacian_var(PHOTOS[0][:128, :128])
    after = synth.laplacian_var(imageops.to_u8(imageops.linear_to_srgb(out)))
    assert after < before / 10 and after < synth.LAPLACIAN_VAR_MIN


def test_flat_is_smooth_and_in_range():
    rng = np.random.default_rng(0)
    for _ in range(5):
        f = soft.flat(rng, 64, 96)
        assert f.shape == (64, 96, 3) and f.min() >= 0 and f.max() <= 1
        assert synth.laplacian_var(imageops.to_u8(imageops.linear_to_srgb(f))) < 1


def _sample(seed, kind, share):
    return synth.synth_sample(seed, PHOTOS, OBJECTS, size=SIZE, kind=kind, soft_share=share)


@pytest.mark.parametrize("kind", ["local", "none"])
def test_soft_share_changes_only_the_background(monkeypatch, kind):
    """Objects, their motion and the noise draw are the same as without softening; the mask marks only them."""
    monkeypatch.setattr(synth, "JPEG_SHARE", 0.0)
    monkeypatch.setattr(synth, "STATIC_OBJECT_SHARE", 0.0)
    for seed in range(6):
        b0, s0, m0, meta0 = _sample(500 + seed, kind, 0.0)
        b1, s1, m1, meta1 = _sample(500 + seed, kind, 1.0)
        assert "soft" not in meta0 and meta1["soft"] in soft.KIND_PROBS
        assert meta1["objects"] == meta0["objects"] and meta1["noise"] == meta0["noise"]
        assert synth.laplacian_var(s1) < synth.laplacian_var(s0)
        if kind == "none":
            assert not m1.any()
        else:
            # The mask is the objects' swept area: never more than without softening, plus the closing radius.
            assert (m1 > 0).sum() <= (m0 > 0).sum() * 1.2 + 50


def test_global_and_zero_share_untouched():
    for seed in range(3):
        a, b = _sample(600 + seed, "global", 1.0), _sample(600 + seed, "global", 0.0)
        np.testing.assert_array_equal(a[0], b[0])
        assert "soft" not in a[3]
    kinds = [_sample(700 + i, "local", 0.3)[3].get("soft") for i in range(40)]
    assert 4 <= sum(k is not None for k in kinds) <= 22
