"""Fast tests of the local-motion-blur generator on procedural images (no downloads needed)."""
import numpy as np
import pytest
from training.data import imageops, synth

SIZE = 128


def _smooth(img, sigma):
    """Gaussian blur of an HxWxC array over H and W (separable, mirrored borders)."""
    r = int(3 * sigma)
    g = np.exp(-(np.arange(-r, r + 1) ** 2) / (2 * sigma**2))
    g /= g.sum()
    h, w = img.shape[:2]
    p = np.pad(img, ((r, r), (r, r), (0, 0)), mode="symmetric")
    p = sum(g[i] * p[i : i + h] for i in range(2 * r + 1))
    return sum(g[i] * p[:, i : i + w] for i in range(2 * r + 1))


def _texture(seed, h=300, w=400):
    """Sharp procedural 'photo': smoothed noise at two scales plus hard-edged rectangles."""
    rng = np.random.default_rng(seed)
    img = _smooth(rng.random((h, w, 3)), 6) * 3
    img += _smooth(rng.random((h, w, 3)), 1)
    for _ in range(20):
        y, x = rng.integers(0, h - 40), rng.integers(0, w - 40)
        img[y:y + rng.integers(5, 40), x:x + rng.integers(5, 40)] = rng.random(3) * 3
    img = (img - img.min()) / (img.max() - img.min())
    return (img * 255).astype(np.uint8)


def _disk_rgba(colour=(230, 20, 20), r=30):
    """Opaque textured disk with an antialiased edge and transparent corners."""
    yy, xx = np.mgrid[0:2 * r + 4, 0:2 * r + 4] - (r + 1.5)
    a = np.clip(r - np.hypot(yy, xx) + 0.5, 0, 1)
    rgba = np.zeros(a.shape + (4,), np.uint8)
    rgba[..., :3] = colour
    rgba[..., 3] = (a * 255).astype(np.uint8)
    return rgba


PHOTOS = [_texture(1), _texture(2)]
OBJECTS = [_disk_rgba(), _disk_rgba((20, 200, 40), 20)]


def _sample(seed, kind=None):
    return synth.synth_sample(seed, PHOTOS, OBJECTS, size=SIZE, kind=kind)


def test_shapes_and_dtypes():
    b, s, m, meta = _sample(3, "local")
    assert b.shape == s.shape == (SIZE, SIZE, 3) and m.shape == (SIZE, SIZE)
    assert b.dtype == s.dtype == m.dtype == np.uint8
    assert set(np.unique(m)) <= {0, 255}
    assert meta["kind"] in ("local", "none", "global") and meta["seed"] == 3


def test_deterministic_from_seed():
    a, b = _sample(11), _sample(11)
    for x, y in zip(a[:3], b[:3]):
        np.testing.assert_array_equal(x, y)
    assert a[3] == b[3]
    c = _sample(12)
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("seed", range(8))
def test_local_mask_hole_free_and_covers_visible_blur(monkeypatch, seed):
    monkeypatch.setattr(synth, "JPEG_SHARE", 0.0)  # JPEG ringing is not blur
    b, s, m, meta = _sample(100 + seed, "local")
    mask = m > 0
    np.testing.assert_array_equal(imageops.fill_holes(mask), mask)
    diff = np.abs(b.astype(int) - s.astype(int)).max(-1)
    # Noise is at most a few levels (~7 at black): 40 levels is visible blur, never noise.
    assert not np.any((diff > 40) & ~mask), "visible blur outside the mask"
    if meta["n_objects"]:
        assert mask.any()


@pytest.mark.parametrize("seed", range(4))
def test_no_blur_samples(monkeypatch, seed):
    monkeypatch.setattr(synth, "JPEG_SHARE", 0.0)  # the procedural texture is JPEG's worst case
    b, s, m, meta = _sample(200 + seed, "none")
    assert meta["kind"] == "none" and not m.any()
    d = np.abs(b.astype(int) - s.astype(int))
    assert d.mean() < 4 and np.percentile(d, 99) < 20  # only sensor noise


def test_global_samples_full_mask():
    for seed in range(3):
        b, s, m, meta = _sample(300 + seed, "global")
        assert meta["kind"] == "global" and (m == 255).all()
        assert np.abs(b.astype(int) - s.astype(int)).mean() > 1  # actually blurred


def test_kind_mix():
    kinds = [_sample(400 + i)[3]["kind"] for i in range(40)]
    assert kinds.count("local") > 20 and "none" in kinds


def test_alpha_is_smeared_over_background(monkeypatch):
    """Physically right blur: pixels outside the object's mid-exposure footprint (sharp == plain
    background) are mixed with the object colour in the blurred image, with intermediate amounts
    (the alpha is integrated), instead of a blurred object pasted with a sharp edge."""
    monkeypatch.setattr(synth, "JPEG_SHARE", 0.0)
    monkeypatch.setattr(synth, "STATIC_OBJECT_SHARE", 0.0)
    monkeypatch.setattr(synth, "add_noise", lambda rng, x: (x, {}))
    bg = np.full((SIZE, SIZE, 3), 128, np.uint8)
    found = 0
    for seed in range(6):
        rng = np.random.default_rng(seed)
        b, s, m, meta = synth.synth_scene(rng, bg, [_disk_rgba()], None, "local", n_objects=1)
        lin_b, lin_bg = synth.srgb_to_linear(b), synth.srgb_to_linear(bg)
        red = synth.srgb_to_linear(np.array([230, 20, 20], np.uint8))
        frac = ((lin_b - lin_bg) / (red - lin_bg[0, 0]))[..., 0]  # share of object colour
        outside = (np.abs(s.astype(int) - 128).max(-1) == 0)  # plain background in the GT
        mixed = outside & (frac > 0.05) & (frac < 0.95)
        if meta["objects"] and meta["objects"][0]["len_px"] >= 4:
            assert mixed.sum() > 10, "object colour should smear over background"
            assert (m[mixed] == 255).all(), "smeared pixels must be in the mask"
            found += 1
    assert found >= 2


def test_clean_mask_fills_holes_and_keeps_borders():
    m = np.zeros((40, 40), bool)
    m[5:20, 5:20] = True
    m[10:12, 10:12] = False           # hole
    m[30:40, 0:10] = True             # touches the border: must not be eroded
    out = synth.clean_mask(m, 2)
    assert out[10:12, 10:12].all() and out[30:40, 0:10].all() and not out[25, 25]


def test_random_window_upscales_a_photo_smaller_than_the_window():
    # 97 / (97 / 21) rounds to just above 21: the window's origin range went negative and numpy raised
    photo = np.random.default_rng(3).integers(0, 256, (21, 30, 3), dtype=np.uint8)
    out = synth.random_window(np.random.default_rng(0), photo, (97, 40), min_scale=0.3)
    assert out.shape == (97, 40, 3) and out.dtype == np.uint8
