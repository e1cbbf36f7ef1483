"""Soft backgrounds: smooth areas that are not motion blur (defocus, flat colour).

The builder rejects soft crops as backgrounds (LAPLACIAN_VAR_MIN), so without these the network never sees a
smooth area labelled "not blurred", and it keeps defocused skies, fog and flat noisy areas as if they were
blurred (docs/training.md, "soft areas"). A share of crops (build --soft-share) softens the background before
the objects move over it; the mask still marks only the moving objects.
"""
import numpy as np

from .imageops import convolve_rgb, srgb_to_linear, to_u8

KIND_PROBS = {"defocus": 0.75, "flat": 0.25}
DEFOCUS_RADIUS_PX = (1.5, 12.0)  # log-uniform, at the 256-px crop size


def disk_kernel(radius: float) -> np.ndarray:
    """Pillbox PSF of a defocused lens, its edge antialiased over one pixel, summing to 1."""
    r = int(np.ceil(radius)) + 1
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    k = np.clip(radius + 0.5 - np.hypot(yy, xx), 0.0, 1.0)
    return (k / k.sum()).astype(np.float32)


def defocus(lin: np.ndarray, radius: float) -> np.ndarray:
    """Defocus blur of an HxWx3 linear-light image (so highlights spread into bokeh discs)."""
    return convolve_rgb(lin, disk_kernel(radius)).astype(np.float32)


def flat(rng, h: int, w: int) -> np.ndarray:
    """A plain wall or sky: a linear gradient between two random sRGB colours, returned in linear light."""
    a, b = rng.uniform(0.05, 0.95, 3), rng.uniform(0.05, 0.95, 3)
    b = a + (b - a) * rng.uniform(0.0, 0.5)  # mostly gentle gradients
    theta = rng.uniform(0, 2 * np.pi)
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    t = np.clip(0.5 + (yy - 0.5) * np.sin(theta) + (xx - 0.5) * np.cos(theta), 0, 1)[..., None]
    return srgb_to_linear(to_u8(a * (1 - t) + b * t))  # 8-bit levels, as a photo's would be


def soften(rng, lin: np.ndarray, size_ref: int = 256):
    """A soft version of a sharp linear-light background, and its record for index.json."""
    kind = str(rng.choice(list(KIND_PROBS), p=list(KIND_PROBS.values())))
    h, w = lin.shape[:2]
    if kind == "flat":
        return flat(rng, h, w), {"soft": "flat"}
    lo, hi = np.log(DEFOCUS_RADIUS_PX)
    radius = float(np.exp(rng.uniform(lo, hi))) * min(h, w) / size_ref
    return defocus(lin, radius), {"soft": "defocus", "defocus_px": round(radius, 2)}
