"""Window geometry of LMD-ViT, built once per level and shared by every block of that level.

Features are channels-last (B, H, W, C). A level's map is split into exact win x win windows, row-major over
the window grid, tokens row-major inside a window. Odd blocks roll the map by -shift first (Swin).
"""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F

SHIFT_MASK_VALUE = -100.0


def partition(x: torch.Tensor, win: int) -> torch.Tensor:
    """(B, H, W, C) -> (B*nW, win*win, C)."""
    b, h, w, c = x.shape
    x = x.reshape(b, h // win, win, w // win, win, c)  # (B, nWh, win, nWw, win, C)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, win * win, c)


def merge(windows: torch.Tensor, b: int, h: int, w: int, win: int) -> torch.Tensor:
    """(B*nW, win*win, C) -> (B, H, W, C); inverse of partition."""
    c = windows.shape[-1]
    x = windows.reshape(b, h // win, w // win, win, win, c)  # (B, nWh, nWw, win, win, C)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(b, h, w, c)


def shift_mask_bank(win: int, shift: int) -> torch.Tensor:
    """(4, N, N) additive attention masks for shifted windows, N = win*win.

    After the roll only the last window row and column mix regions of the image, so four masks cover every
    window: index 2*last_row + last_col. Tokens of different regions get -100 (Swin).
    """
    t = torch.arange(win)
    part = (t >= win - shift).long() + 1  # region of a token inside a last-row/col window: 1 or 2
    masks = []
    for last_row in (0, 1):
        for last_col in (0, 1):
            ry = part if last_row else torch.zeros_like(part)
            rx = part if last_col else torch.zeros_like(part)
            region = (ry.view(win, 1) * 3 + rx.view(1, win)).reshape(-1)  # (N,)
            differ = region.view(-1, 1) != region.view(1, -1)
            masks.append(differ.float() * SHIFT_MASK_VALUE)
    return torch.stack(masks)


def relative_position_index(win: int) -> torch.Tensor:
    """(N, N) int64: (dy + win-1) * (2win-1) + (dx + win-1) for every pair of tokens in a window."""
    ys, xs = torch.meshgrid(torch.arange(win), torch.arange(win), indexing="ij")
    ys, xs = ys.reshape(-1), xs.reshape(-1)
    dy = ys.view(-1, 1) - ys.view(1, -1) + win - 1
    dx = xs.view(-1, 1) - xs.view(1, -1) + win - 1
    return dy * (2 * win - 1) + dx


@dataclass
class Windows:
    """One window layout (plain or shifted) of one level."""

    tokens: torch.Tensor  # (B*nW, N) int64 flat index of each window token into the (B*H*W) map
    mask_kind: Optional[torch.Tensor]  # (B*nW,) int64 row of the shift-mask bank; None when not shifted
    guide_max: torch.Tensor  # (B*nW,) max of the user's guide over each window's image area
    forced: torch.Tensor  # (B*nW,) 1.0 where something in the window is forced (max > 0.5)
    allowed: torch.Tensor  # (B*nW,) 0.0 where all of the window is protected (max < -0.5)


@dataclass
class Level:
    """Everything blocks at one resolution share, computed once per forward."""

    b: int
    h: int
    w: int
    plain: Windows
    shifted: Windows
    _dense_mask: Optional[torch.Tensor] = None

    def dense_mask(self, bank: torch.Tensor) -> torch.Tensor:
        """(B*nW, N, N) shift mask of every window, built on first use and shared by the level's blocks."""
        if self._dense_mask is None:
            self._dense_mask = bank.index_select(0, self.shifted.mask_kind)
        return self._dense_mask


def _window_kind(b: int, h: int, w: int, win: int, device: torch.device) -> torch.Tensor:
    last_row = (torch.arange(h // win, device=device) == h // win - 1).long()  # (nWh,)
    last_col = (torch.arange(w // win, device=device) == w // win - 1).long()  # (nWw,)
    kind = (last_row.view(-1, 1) * 2 + last_col.view(1, -1)).reshape(1, -1)  # (1, nW)
    return kind.expand(b, -1).reshape(-1)


def _windows(flat_ids, guide_tok, b, h, w, win, shift) -> Windows:
    if shift:
        flat_ids = torch.roll(flat_ids, shifts=(-shift, -shift), dims=(1, 2))
        guide_tok = torch.roll(guide_tok, shifts=(-shift, -shift), dims=(2, 3))
    tokens = partition(flat_ids, win).squeeze(-1)  # (B*nW, N)
    guide_max = F.max_pool2d(guide_tok, win).reshape(-1)  # (B*nW,)
    kind = _window_kind(b, h, w, win, flat_ids.device) if shift else None
    forced = (guide_max > 0.5).to(guide_tok.dtype)
    allowed = (guide_max >= -0.5).to(guide_tok.dtype)
    return Windows(tokens=tokens, mask_kind=kind, guide_max=guide_max, forced=forced, allowed=allowed)


def build_level(guide: torch.Tensor, scale: int, h: int, w: int, win: int, shift: int) -> Level:
    """Window layouts of a level whose tokens cover scale x scale image pixels.

    guide: (B, 1, H*scale, W*scale), +1 force, -1 protect, 0 auto. A window's guide value is the max over its
    image area, so one forced pixel keeps it and only an all-protected window is dropped.
    """
    b = guide.shape[0]
    guide_tok = F.max_pool2d(guide, scale) if scale > 1 else guide  # (B, 1, H, W)
    flat_ids = torch.arange(b * h * w, device=guide.device).reshape(b, h, w, 1)
    plain = _windows(flat_ids, guide_tok, b, h, w, win, 0)
    shifted = _windows(flat_ids, guide_tok, b, h, w, win, shift)
    return Level(b=b, h=h, w=w, plain=plain, shifted=shifted)
