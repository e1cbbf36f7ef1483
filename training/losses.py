"""The paper's losses (section 3.4): blur-weighted L1 + SSIM + 0.1 FFT, and a pruning loss per predictor."""
import torch
import torch.nn.functional as F


def _gaussian_window(size: int = 11, sigma: float = 1.5, channels: int = 3) -> torch.Tensor:
    t = torch.arange(size, dtype=torch.float32) - size // 2
    g = torch.exp(-(t**2) / (2 * sigma**2))
    g = g / g.sum()
    return (g[:, None] * g[None, :]).expand(channels, 1, size, size).contiguous()


def ssim_map(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Per-pixel SSIM (11x11 Gaussian, sigma 1.5), averaged over channels: (B, 1, H-10, W-10)."""
    c = x.shape[1]
    win = _gaussian_window(channels=c).to(x)
    mu_x, mu_y = F.conv2d(x, win, groups=c), F.conv2d(y, win, groups=c)
    sxx = F.conv2d(x * x, win, groups=c) - mu_x**2
    syy = F.conv2d(y * y, win, groups=c) - mu_y**2
    sxy = F.conv2d(x * y, win, groups=c) - mu_x * mu_y
    c1, c2 = 0.01**2, 0.03**2
    s = ((2 * mu_x * mu_y + c1) * (2 * sxy + c2)) / ((mu_x**2 + mu_y**2 + c1) * (sxx + syy + c2))
    return s.mean(dim=1, keepdim=True)


def blur_weights(mask: torch.Tensor, blur_weight: float) -> torch.Tensor:
    """1 everywhere plus blur_weight on blurred pixels, so the rare blurred region is not drowned out."""
    return 1.0 + blur_weight * mask


UNBLURRED_TARGETS = ("input", "sharp")


def training_target(blur, sharp, mask, unblurred: str = "input"):
    """What the network should output. The synthetic sharp image has no sensor noise or JPEG; asking for it
    outside the blur teaches the network to denoise everywhere, and since that needs every window processed it
    also teaches the predictors to keep sharp windows. With "input", unblurred pixels target the input itself
    (leave them alone, as the app does); blurred ones still target the sharp image. "sharp": the old target."""
    if unblurred == "sharp":
        return sharp
    if unblurred not in UNBLURRED_TARGETS:
        raise ValueError(f"unblurred_target must be one of {UNBLURRED_TARGETS}, not {unblurred!r}")
    return torch.where(mask > 0.5, sharp, blur)


FFT_REGIONS = ("image", "blur")


def reconstruction_loss(out, gt, mask, blur_weight: float = 4.0, fft_weight: float = 0.1, fft_region="image"):
    """fft_region "image": L1 of the spectrum of the whole error (the paper's). An L1 of a spectrum sends every
    pixel a gradient of the same size wherever the error is, so unblurred pixels, already right, get pushed about
    to cancel the blurred region's error. "blur": the spectrum of the error inside the blur mask only."""
    if fft_region not in FFT_REGIONS:
        raise ValueError(f"fft_region must be one of {FFT_REGIONS}, not {fft_region!r}")
    w = blur_weights(mask, blur_weight)
    err = out - gt
    l1 = (err.abs() * w).sum() / (w.sum() * out.shape[1])
    w_ssim = w[..., 5:-5, 5:-5]
    ssim = 1.0 - (ssim_map(out, gt) * w_ssim).sum() / w_ssim.sum()
    fft = torch.fft.rfft2(err if fft_region == "image" else err * mask).abs().mean()
    # Detached tensors, not floats: .item() on every step would make the CPU wait for the GPU each time.
    return l1 + ssim + fft_weight * fft, {"l1": l1.detach(), "ssim": ssim.detach(), "fft": fft.detach()}


def pruning_loss(probs, mask: torch.Tensor, pos_share: float = 0.5) -> torch.Tensor:
    """Class-balanced BCE between every predictor's keep probability and the blur mask at its resolution
    (keep = blurred), averaged over predictors.

    probs: [(level, (B, H_l, W_l))]; a token is blurred if any of its 2^l x 2^l pixels is. Blurred tokens carry
    pos_share of the weight and sharp ones the rest: blur covers a small share of most crops, and a plain BCE
    drives every keep probability under 0.5, so evaluation at tau 0.5 would keep nothing. Under 0.5 moves the
    operating point towards pruning (a calibrated predictor's odds scale by pos_share / (1 - pos_share)).
    """
    if not 0.0 < pos_share < 1.0:
        raise ValueError(f"pruning_pos_share must be between 0 and 1, not {pos_share}")
    total = mask.new_zeros(())
    for level, p in probs:
        target = (F.max_pool2d(mask, 1 << level) if level else mask)[:, 0]
        positives = target.mean().clamp(1e-3, 1 - 1e-3)
        weight = torch.where(target > 0.5, pos_share / positives, (1 - pos_share) / (1 - positives))
        bce = F.binary_cross_entropy(p.clamp(1e-6, 1 - 1e-6), target, reduction="none")
        total = total + (weight * bce).mean()
    return total / max(len(probs), 1)
