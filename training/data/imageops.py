"""The few image operations the generator needs, in numpy and PIL alone.

They replace scipy.ndimage/scipy.signal (results identical on the built set; FFT rounding moves a few
camera-shake pixels by one level), so the generator needs nothing beyond what every Python here has: Debian's
python3 for CI and the GPU machine's image, where the set can now be synthesised (docs/training.md).
"""
import numpy as np
from PIL import Image, ImageDraw


def srgb_to_linear(u8):
    """sRGB levels (0..255, any dtype) to linear light, float32."""
    x = np.asarray(u8, np.float32) / 255.0
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4).astype(np.float32)


def linear_to_srgb(x):
    x = np.clip(x, 0.0, 1.0)
    return np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(x, 1 / 2.4) - 0.055)


def to_u8(srgb):
    return np.clip(np.rint(srgb * 255.0), 0, 255).astype(np.uint8)


def laplacian(gray: np.ndarray) -> np.ndarray:
    """4-neighbour Laplacian [[0,1,0],[1,-4,1],[0,1,0]]; borders mirrored with the edge repeated (c b a | a b c)."""
    p = np.pad(gray, 1, mode="symmetric")
    return p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4 * p[1:-1, 1:-1]


def affine_bilinear(img: np.ndarray, matrix: np.ndarray, offset: np.ndarray, out_hw) -> np.ndarray:
    """out[o] = img sampled bilinearly at matrix @ o + offset (row, col); zero outside the image.

    img: HxW or HxWxC float. Callers pad their images with zeros, so the border convention does not matter.
    """
    h, w = img.shape[:2]
    rows, cols = np.mgrid[0 : out_hw[0], 0 : out_hw[1]].astype(np.float64)
    src_r = matrix[0, 0] * rows + matrix[0, 1] * cols + offset[0]
    src_c = matrix[1, 0] * rows + matrix[1, 1] * cols + offset[1]
    r0, c0 = np.floor(src_r).astype(np.int64), np.floor(src_c).astype(np.int64)
    fr, fc = (src_r - r0)[..., None], (src_c - c0)[..., None]
    flat = img.reshape(h, w, -1)
    out = np.zeros(tuple(out_hw) + (flat.shape[2],), np.float64)
    for dr, dc, wgt in ((0, 0, (1 - fr) * (1 - fc)), (0, 1, (1 - fr) * fc), (1, 0, fr * (1 - fc)), (1, 1, fr * fc)):
        rr, cc = r0 + dr, c0 + dc
        inside = (rr >= 0) & (rr < h) & (cc >= 0) & (cc < w)
        out[inside] += wgt[inside] * flat[rr[inside], cc[inside]]
    return out.reshape(tuple(out_hw) + img.shape[2:]).astype(img.dtype)


def _disk_offsets(radius: int):
    ys, xs = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    keep = np.hypot(ys, xs) <= radius
    return list(zip(ys[keep].tolist(), xs[keep].tolist()))


def _shift_or(mask: np.ndarray, offsets, fill: bool) -> np.ndarray:
    """OR of mask shifted by every offset (fill outside); with fill=True on the complement it is erosion."""
    h, w = mask.shape
    r = max(max(abs(y), abs(x)) for y, x in offsets)
    p = np.pad(mask, r, constant_values=fill)
    out = np.zeros_like(mask)
    for dy, dx in offsets:
        out |= p[r + dy : r + dy + h, r + dx : r + dx + w]
    return out


def close_disk(mask: np.ndarray, radius: int) -> np.ndarray:
    """Binary closing (dilate, then erode) by a disk; outside the image counts as empty, then as full."""
    offsets = _disk_offsets(radius)
    dilated = _shift_or(mask, offsets, False)
    return ~_shift_or(~dilated, offsets, True)


def fill_holes(mask: np.ndarray) -> np.ndarray:
    """Set every empty pixel not 4-connected to the image border (PIL's flood fill is 4-connected)."""
    canvas = Image.fromarray(np.pad(mask, 1).astype(np.uint8) * 255).copy()  # own pixels: fromarray's are shared
    ImageDraw.floodfill(canvas, (0, 0), 128)  # the padding ring joins every border pixel
    return (np.asarray(canvas) != 128)[1:-1, 1:-1]


def convolve_rgb(img: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """HxWx3 img convolved by an odd square kernel, borders reflected: same size out (float64)."""
    r = kernel.shape[0] // 2
    padded = np.pad(img, ((r, r), (r, r), (0, 0)), mode="reflect")
    return np.stack([convolve_valid(padded[..., c], kernel) for c in range(3)], -1)


def convolve_valid(img: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """2-D convolution of HxW img by kernel, 'valid' part only, through the FFT."""
    h, w = img.shape
    kh, kw = kernel.shape
    shape = (h + kh - 1, w + kw - 1)
    full = np.fft.irfft2(np.fft.rfft2(img, shape) * np.fft.rfft2(kernel, shape), shape)
    return full[kh - 1 : h, kw - 1 : w]
