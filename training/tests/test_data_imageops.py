"""The generator's numpy/PIL image operations against direct definitions (no scipy anywhere)."""
import numpy as np

from training.data import imageops


def test_laplacian_repeats_the_edge_pixel():
    g = np.arange(12, dtype=np.float32).reshape(3, 4) ** 2
    lap = imageops.laplacian(g)
    assert lap[1, 1] == g[0, 1] + g[2, 1] + g[1, 0] + g[1, 2] - 4 * g[1, 1]
    assert lap[0, 0] == g[0, 0] + g[1, 0] + g[0, 0] + g[0, 1] - 4 * g[0, 0]  # outside = the edge itself


def test_affine_identity_translation_and_zero_outside():
    rng = np.random.default_rng(0)
    img = rng.random((6, 7, 3))
    same = imageops.affine_bilinear(img, np.eye(2), np.zeros(2), (6, 7))
    assert np.allclose(same, img)
    half = imageops.affine_bilinear(img, np.eye(2), np.array([0.0, 0.5]), (6, 6))
    assert np.allclose(half, (img[:, :-1] + img[:, 1:]) / 2)
    shifted = imageops.affine_bilinear(img[..., 0], np.eye(2), np.array([-2.0, 0.0]), (6, 7))
    assert (shifted[:2] == 0).all() and np.allclose(shifted[2:], img[:4, :, 0])


def test_affine_rotation_by_a_quarter_turn():
    img = np.arange(20.0).reshape(4, 5)
    # out[r, c] = img[c, 4 - r]: rows of the output walk the input's columns backwards
    out = imageops.affine_bilinear(img, np.array([[0.0, 1.0], [-1.0, 0.0]]), np.array([0.0, 4.0]), (5, 4))
    assert np.allclose(out, np.rot90(img))


def test_close_disk_bridges_gaps_narrower_than_the_disk_only():
    m = np.zeros((30, 40), bool)
    m[10:20, 5:15] = True
    m[10:20, 17:27] = True  # 2 px gap: radius 2 closes it
    m[10:20, 33:38] = True  # 6 px gap: stays open
    out = imageops.close_disk(m, 2)
    assert out[12:18, 15:17].all() and not out[12:18, 28:32].any()
    assert (out >= m).all()


def test_fill_holes_fills_enclosed_regions_only():
    m = np.zeros((9, 9), bool)
    m[1:8, 1:8] = True
    m[3:6, 3:6] = False  # enclosed: filled
    m[0:4, 7] = False
    m[1:3, 6] = False  # open to the border: stays
    out = imageops.fill_holes(m)
    assert out[3:6, 3:6].all() and not out[1:3, 6].any() and not out[0, 0]
    diagonal = np.ones((5, 5), bool)
    diagonal[0, 0] = diagonal[1, 1] = False  # (1, 1) touches the outside only diagonally: a hole
    assert imageops.fill_holes(diagonal)[1, 1] and not imageops.fill_holes(diagonal)[0, 0]


def test_convolve_valid_matches_the_direct_sum():
    rng = np.random.default_rng(1)
    img, k = rng.random((12, 10)), rng.random((3, 4))
    direct = np.array([[np.sum(img[r : r + 3, c : c + 4] * k[::-1, ::-1]) for c in range(7)] for r in range(10)])
    assert np.allclose(imageops.convolve_valid(img, k), direct)
