"""Local-motion-blur generator: (blurred, sharp, mask) triplets, deterministic from a seed.

Image formation (shared docs/training-data.md): in linear light, every moving object (premultiplied
colour P = A F, alpha A) is composited over the background at T sub-frames of the exposure and
the sub-frames are averaged, B = mean_t [P_t + (1 - A_t) Bg], so object edges smear over the
background. The ground truth is the same scene at the middle instant. Noise and JPEG touch the
blurred input only. numpy and PIL only (imageops.py), every random draw from one numpy Generator.
"""
import io

import numpy as np
from PIL import Image
from . import soft
from .imageops import (affine_bilinear, close_disk, convolve_rgb, fill_holes, laplacian, linear_to_srgb,
                       srgb_to_linear, to_u8)

LAPLACIAN_VAR_MIN = 40.0   # soft-crop rejection: var of 3x3 Laplacian on gray, 0..255 scale
DIFF_VISIBLE = 4.0 / 255   # blurred vs sharp (sRGB, before noise) above this is "visibly blurred"
SWEPT_ALPHA = 0.1          # pixels an object covers with alpha > this at some instant are blurred
KIND_PROBS = {"local": 0.78, "none": 0.15, "global": 0.07}
N_OBJECTS_PROBS = (0.5, 0.3, 0.2)  # 1, 2, 3 moving objects in a local sample
JPEG_SHARE, JPEG_QUALITY = 0.3, (70, 95)
STATIC_OBJECT_SHARE = 0.35  # sharp pasted objects in both images: "pasted" must not mean "blurred"
TUXPAINT_SHARE = 0.7        # else the object is cut from another photo with a smooth random shape


def laplacian_var(rgb_u8):
    gray = np.asarray(rgb_u8, np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    return float(laplacian(gray).var())


def _loguniform(rng, lo, hi):
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def random_window(rng, photo, out_hw, min_scale=None):
    """Resample a random window of photo to out_hw at a random (down)scale, random h-flip."""
    H, W = photo.shape[:2]
    oh, ow = out_hw
    fmin = max(oh / H, ow / W) if min_scale is None else max(min_scale, oh / H, ow / W)
    f = _loguniform(rng, fmin, max(fmin, 1.0)) if fmin < 1.0 else fmin
    # min(H, .): at f == oh / H, oh / f can round to just above H, and the window must fit the photo
    wh, ww = min(H, oh / f), min(W, ow / f)
    y0, x0 = rng.uniform(0, H - wh), rng.uniform(0, W - ww)
    im = Image.fromarray(np.ascontiguousarray(photo))
    out = np.asarray(im.resize((ow, oh), Image.LANCZOS, box=(x0, y0, x0 + ww, y0 + wh)))
    return out[:, ::-1] if rng.random() < 0.5 else out


def pick_background(rng, photos, size, tries=30):
    """Random sharp crop: returns (crop uint8, photo index, number of soft crops rejected)."""
    usable = [i for i in range(len(photos)) if min(photos[i].shape[:2]) >= size]
    for k in range(tries):
        i = usable[rng.integers(len(usable))]
        crop = random_window(rng, photos[i], (size, size))
        if laplacian_var(crop) >= LAPLACIAN_VAR_MIN or k == tries - 1:
            return crop, i, k
    raise AssertionError("unreachable")


def blob_alpha(rng, h, w):
    """Smooth random star-shaped mask (polar radius = 1 + low harmonics), ~1 px antialiased edge."""
    ks = np.arange(2, 6)
    amp, ph = rng.uniform(0, 0.25, 4) / ks * 2, rng.uniform(0, 2 * np.pi, 4)
    th = np.linspace(0, 2 * np.pi, 360, endpoint=False)
    rmax = (1 + (amp[:, None] * np.cos(ks[:, None] * th + ph[:, None])).sum(0)).max()
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cy, cx, ry, rx = (h - 1) / 2, (w - 1) / 2, h / 2 - 1, w / 2 - 1
    dy, dx = (yy - cy) / ry, (xx - cx) / rx
    t = np.arctan2(dy, dx)
    r = (1 + (amp[:, None, None] * np.cos(ks[:, None, None] * t + ph[:, None, None])).sum(0)) / rmax
    return np.clip((r - np.hypot(dy, dx)) * min(ry, rx) + 0.5, 0, 1).astype(np.float32)


def make_object(rng, objects, donors, long_side):
    """Return (premultiplied linear colour HxWx3, alpha HxW, source) padded by 2 px of zeros."""
    if len(objects) and (not donors or rng.random() < TUXPAINT_SHARE):
        rgba = objects[rng.integers(len(objects))]
        h, w = rgba.shape[:2]
        f = min(long_side / max(h, w), 1.5)  # never upscale a small cut-out much (it goes soft)
        size = (max(4, round(w * f)), max(4, round(h * f)))
        rgba = np.asarray(Image.fromarray(np.ascontiguousarray(rgba)).resize(size, Image.LANCZOS))
        if rng.random() < 0.5:
            rgba = rgba[:, ::-1]
        rgb, a, src = rgba[..., :3], rgba[..., 3].astype(np.float32) / 255, "tuxpaint"
    else:
        aspect = rng.uniform(0.5, 1.0)
        h, w = (long_side, round(long_side * aspect))[:: 1 if rng.random() < 0.5 else -1]
        donor = donors[rng.integers(len(donors))]
        rgb = random_window(rng, donor, (h, w), min_scale=0.3)
        a, src = blob_alpha(rng, h, w), "cut"
    prem = srgb_to_linear(rgb) * a[..., None]
    return np.pad(prem, ((2, 2), (2, 2), (0, 0))), np.pad(a, 2), src


def time_warp(rng, t):
    """Monotonic time -> path parameter: constant speed, accelerating or decelerating."""
    acc = rng.uniform(-0.9, 0.9) if rng.random() < 0.5 else 0.0
    return t + acc * t * (1 - t)


def path_points(rng, length, s):
    """Straight or curved (quadratic Bezier) path of about `length` px sampled at parameters s."""
    ang = rng.uniform(0, 2 * np.pi)
    d = np.array([np.sin(ang), np.cos(ang)])
    bend = rng.uniform(-0.6, 0.6) if rng.random() < 0.5 else 0.0
    p1 = 0.5 * d + bend * np.array([-d[1], d[0]])
    s = s[:, None]
    pts = 2 * (1 - s) * s * p1 + s * s * d
    fine = np.linspace(0, 1, 64)[:, None]
    fpts = 2 * (1 - fine) * fine * p1 + fine * fine * d
    return pts * length / np.linalg.norm(np.diff(fpts, axis=0), axis=1).sum()


def object_motion(rng, shape_hw, obj_hw, moving, max_len):
    """Poses at T sub-frames + the middle instant (last row): centre y, x, angle, scale."""
    H, W = shape_hw
    centre = np.array([rng.uniform(0.1, 0.9) * H, rng.uniform(0.1, 0.9) * W])
    if not moving:
        return np.array([[*centre, rng.uniform(-0.2, 0.2), 1.0]]), 0.0, 1
    length = _loguniform(rng, 3.0, max_len)
    rot = rng.normal(0, 0.08) if rng.random() < 0.4 else 0.0   # radians over the exposure
    zoom = rng.uniform(-0.08, 0.08) if rng.random() < 0.25 else 0.0
    radius = max(obj_hw) / 2
    n_t = int(np.clip(np.ceil(2 * (length + (abs(rot) + abs(zoom)) * radius)), 16, 96))
    t = np.append((np.arange(n_t) + 0.5) / n_t, 0.5)
    s = time_warp(rng, t)
    pts = path_points(rng, length, s)
    pts -= pts[-1]  # the middle instant sits at the chosen centre
    ds = s - s[-1]
    poses = np.column_stack([centre + pts, rng.uniform(-0.2, 0.2) + rot * ds, 1 + zoom * ds])
    return poses, length, n_t


def _affine(pose, obj_hw, origin):
    """Matrix/offset mapping canvas (row, col) + origin to object (row, col) for a pose."""
    cy, cx, th, sc = pose
    c, s = np.cos(th), np.sin(th)
    m = np.array([[c, -s], [s, c]]) / sc
    oc = (np.array(obj_hw) - 1) / 2
    return m, m @ (np.array(origin, float) - (cy, cx)) + oc


def pose_bbox(poses, obj_hw, shape_hw):
    """Integer bbox (y0, y1, x0, x1) of everything the object covers over all poses, clipped."""
    h, w = obj_hw
    r = np.hypot(h, w) / 2 * poses[:, 3].max() + 2
    y0, x0 = np.floor(poses[:, :2].min(0) - r).astype(int)
    y1, x1 = np.ceil(poses[:, :2].max(0) + r).astype(int)
    return max(y0, 0), min(y1, shape_hw[0]), max(x0, 0), min(x1, shape_hw[1])


def render(obj, pose, box):
    """Premultiplied colour and alpha of obj at pose, resampled (bilinear) into box."""
    prem, a = obj[0], obj[1]
    y0, y1, x0, x1 = box
    m, off = _affine(pose, a.shape, (y0, x0))
    out_hw = (y1 - y0, x1 - x0)
    return affine_bilinear(prem, m, off, out_hw), affine_bilinear(a, m, off, out_hw)


def composite(bg, objs, poses_list, t_idx):
    """Scene at sub-frame t_idx: objects over bg, back to front. Returns (image, max alpha)."""
    img, cover = bg.copy(), np.zeros(bg.shape[:2], np.float32)
    for obj, (poses, box) in zip(objs, poses_list):
        y0, y1, x0, x1 = box
        p, a = render(obj, poses[min(t_idx, len(poses) - 1)], box)
        img[y0:y1, x0:x1] = p + (1 - a[..., None]) * img[y0:y1, x0:x1]
        cover[y0:y1, x0:x1] = np.maximum(cover[y0:y1, x0:x1], a)
    return img, cover


def clean_mask(mask, radius):
    """Morphological closing (edge-padded so borders do not erode) and hole filling."""
    pad = radius + 1
    m = np.pad(mask, pad, mode="edge")
    return fill_holes(close_disk(m, radius)[pad:-pad, pad:-pad])


def shake_kernel(rng, length):
    """Camera-shake PSF: smooth random walk of ~length px, centred on its middle instant."""
    n = 256
    v = np.cumsum(rng.normal(0, 1, (n, 2)), 0) * 0.15 + rng.normal(0, 1, 2)
    pts = np.cumsum(v, 0)
    pts *= length / max(np.linalg.norm(np.diff(pts, axis=0), axis=1).sum(), 1e-6)
    pts -= pts[n // 2]
    r = int(np.ceil(np.abs(pts).max())) + 1
    k = np.zeros((2 * r + 1, 2 * r + 1), np.float64)
    for (y, x) in pts + r:  # bilinear splat of every instant
        iy, ix = int(y), int(x)
        fy, fx = y - iy, x - ix
        k[iy:iy + 2, ix:ix + 2] += np.outer([1 - fy, fy], [1 - fx, fx])
    return (k / k.sum()).astype(np.float32)


def add_noise(rng, lin):
    """Poisson-Gaussian-like sensor noise in linear light: var = a x + b^2 (small)."""
    a, b = _loguniform(rng, 5e-5, 1e-3), _loguniform(rng, 2e-4, 2e-3)
    noisy = lin + np.sqrt(a * np.clip(lin, 0, 1) + b * b) * rng.standard_normal(lin.shape)
    return noisy.astype(np.float32), {"shot": round(a, 6), "read": round(b, 6)}


def jpeg_roundtrip(u8, quality):
    buf = io.BytesIO()
    Image.fromarray(u8).save(buf, format="JPEG", quality=int(quality))
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def synth_scene(rng, bg_u8, objects=(), donors=None, kind="local", n_objects=None):
    """Synthesise one triplet on a given sharp background (any size, e.g. a whole photo)."""
    H, W = bg_u8.shape[:2]
    short = min(H, W)
    bg = srgb_to_linear(bg_u8)
    can_obj = len(objects) > 0 or bool(donors)
    meta = {"kind": kind, "n_objects": 0, "static_objects": 0, "objects": []}
    if kind != "global" and can_obj and rng.random() < STATIC_OBJECT_SHARE:
        obj = make_object(rng, objects, donors, round(short * rng.uniform(0.12, 0.4)))
        poses, _, _ = object_motion(rng, (H, W), obj[1].shape, False, 1)
        box = pose_bbox(poses, obj[1].shape, (H, W))
        if box[1] > box[0] and box[3] > box[2]:
            bg, _ = composite(bg, [obj], [(poses, box)], 0)
            meta["static_objects"] = 1
    sharp = bg
    mask = np.zeros((H, W), bool)
    if kind == "global":
        k = shake_kernel(rng, _loguniform(rng, 3.0, 0.08 * short))
        blur = convolve_rgb(bg, k)
        mask[:] = True
        meta["kernel_px"] = int(k.shape[0])
    elif kind == "local" and can_obj:
        n = n_objects or 1 + int(rng.choice(3, p=N_OBJECTS_PROBS))
        objs, plist = [], []
        for _ in range(n):
            obj = make_object(rng, objects, donors, round(short * rng.uniform(0.15, 0.5)))
            poses, length, n_t = object_motion(rng, (H, W), obj[1].shape, True, 0.1 * short)
            box = pose_bbox(poses, obj[1].shape, (H, W))
            if box[1] - box[0] < 2 or box[3] - box[2] < 2:
                continue  # moved entirely outside the frame
            objs.append(obj)
            plist.append((poses, box))
            meta["objects"].append({"src": obj[2], "len_px": round(length, 1), "subframes": n_t,
                                    "rot": round(float(poses[0, 2] - poses[-1, 2]), 3)})
        meta["n_objects"] = len(objs)
        if objs:
            n_t = max(len(p) - 1 for p, _ in plist)
            blur = np.zeros_like(bg)
            cover = np.zeros((H, W), np.float32)
            for t in range(n_t):  # objects with fewer sub-frames resample their own poses
                frame_poses = [(p[min(len(p) - 2, t * (len(p) - 1) // n_t)][None], b)
                               for p, b in plist]
                img, cov = composite(bg, objs, frame_poses, 0)
                blur += img
                cover = np.maximum(cover, cov)
            blur /= n_t
            sharp, _ = composite(bg, objs, [(p[-1:], b) for p, b in plist], 0)
            diff = np.abs(linear_to_srgb(blur) - linear_to_srgb(sharp)).max(-1)
            mask = clean_mask((diff > DIFF_VISIBLE) | (cover > SWEPT_ALPHA),
                              max(2, round(short / 128)))
        else:
            blur, meta["kind"] = bg.copy(), "none"
    else:
        blur, meta["kind"] = bg.copy(), "none"
    noisy, meta["noise"] = add_noise(rng, blur)
    blur_u8, sharp_u8 = to_u8(linear_to_srgb(noisy)), to_u8(linear_to_srgb(sharp))
    meta["jpeg"] = 0
    if rng.random() < JPEG_SHARE:
        meta["jpeg"] = int(rng.integers(JPEG_QUALITY[0], JPEG_QUALITY[1] + 1))
        blur_u8 = jpeg_roundtrip(blur_u8, meta["jpeg"])
    return blur_u8, sharp_u8, mask.astype(np.uint8) * 255, meta


def synth_sample(seed, photos, objects=(), donors=None, size=256, kind=None, soft_share=0.0):
    """One training triplet from a random sharp crop of `photos` (sequence of HxWx3 uint8).

    seed: int or sequence of ints (numpy SeedSequence entropy). objects: RGBA uint8 cut-outs.
    donors: photos to cut random-shape objects from (defaults to `photos`).
    soft_share: share of local and no-blur crops whose background is softened (soft.py).
    Returns (blurred HxWx3 uint8, sharp HxWx3 uint8, mask HxW uint8 {0,255}, meta dict).
    """
    rng = np.random.default_rng(seed)
    if kind is None:
        kind = str(rng.choice(list(KIND_PROBS), p=list(KIND_PROBS.values())))
    bg, idx, rejected = pick_background(rng, photos, size)
    # Its own stream, so a set built with a soft share differs from one without only in those backgrounds.
    side = np.random.default_rng([*np.atleast_1d(seed).tolist(), 11])
    soft_meta = {}
    if kind != "global" and side.random() < soft_share:
        lin, soft_meta = soft.soften(side, srgb_to_linear(bg))
        bg = to_u8(linear_to_srgb(lin))
    out = synth_scene(rng, bg, objects, photos if donors is None else donors, kind)
    out[3].update(soft_meta)
    out[3].update(seed=seed if isinstance(seed, int) else list(seed), photo=int(idx),
                  soft_rejected=rejected)
    return out
