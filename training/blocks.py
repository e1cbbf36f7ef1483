"""The parts of an LMD-ViT transformer block (AdaWPT): predictor, W-MSA, W-LeFF.

Module and parameter names follow the official checkpoint (to_q/to_kv, linear1.0, dwconv.0, in_conv.0, ...).
"""
from typing import Optional

import torch
from torch import nn
import torch.nn.functional as F

from .windows import relative_position_index


class _ContiguousGrad(torch.autograd.Function):
    """Identity whose backward makes the gradient contiguous."""

    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return grad.contiguous()


class GELU(nn.GELU):
    """nn.GELU, fed a contiguous gradient: torch 1.13's CPU GELU backward returns garbage (zeros or 1e28)
    when the incoming gradient is non-contiguous, as it is after the window permutes."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = super().forward(x)
        return _ContiguousGrad.apply(y) if torch.is_grad_enabled() and y.requires_grad else y


class ConfidencePredictor(nn.Module):
    """Per-token blur logits (class 0 = keep) from the block input: local half + image-global half."""

    def __init__(self, dim: int):
        super().__init__()
        self.half = dim // 2
        self.in_conv = nn.Sequential(nn.Linear(dim, dim), GELU(), nn.LayerNorm(dim), nn.Linear(dim, dim))
        self.out_conv = nn.Sequential(
            nn.Linear(dim, dim // 2), GELU(), nn.Linear(dim // 2, dim // 4), GELU(), nn.Linear(dim // 4, 2)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, H, W, C) -> (B, H, W, 2) logits."""
        x = self.in_conv(x)
        local, glob = x[..., : self.half], x[..., self.half :]
        glob = glob.mean(dim=(1, 2), keepdim=True).expand_as(local)  # average over the whole image
        return self.out_conv(torch.cat([local, glob], dim=-1))


class LinearProjection(nn.Module):
    """q from to_q; k then v from to_kv (first C outputs are k)."""

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim
        self.to_q = nn.Linear(dim, dim)
        self.to_kv = nn.Linear(dim, 2 * dim)

    def forward(self, x: torch.Tensor):
        kv = self.to_kv(x)
        return self.to_q(x), kv[..., : self.dim], kv[..., self.dim :]


class WindowAttention(nn.Module):
    """Multi-head self-attention inside 8x8 windows with a learned relative position bias."""

    def __init__(self, dim: int, heads: int, win: int):
        super().__init__()
        self.dim, self.n = dim, win * win
        self.heads = heads
        self.head_dim = dim // heads
        self.scale = self.head_dim**-0.5
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * win - 1) ** 2, heads))
        nn.init.trunc_normal_(self.relative_position_bias_table, std=0.02)
        self.register_buffer("relative_position_index", relative_position_index(win))
        self.qkv = LinearProjection(dim)
        self.proj = nn.Linear(dim, dim)

    def position_bias(self) -> torch.Tensor:
        """(heads, N, N), gathered once per block call."""
        bias = self.relative_position_bias_table[self.relative_position_index.reshape(-1)]  # (N*N, heads)
        return bias.reshape(self.n, self.n, self.heads).permute(2, 0, 1)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor]) -> torch.Tensor:
        """x: (K, N, C) windows; mask: (K, N, N) or None."""
        n, c = self.n, self.dim  # constants, so the graph does no shape arithmetic here
        q, k, v = self.qkv(x)
        q = q.reshape(-1, n, self.heads, self.head_dim).transpose(1, 2)  # (K, heads, N, hd)
        k = k.reshape(-1, n, self.heads, self.head_dim).transpose(1, 2)
        v = v.reshape(-1, n, self.heads, self.head_dim).transpose(1, 2)
        attn = (q * self.scale) @ k.transpose(-2, -1) + self.position_bias()  # (K, heads, N, N)
        if mask is not None:
            attn = attn + mask.unsqueeze(1)
        out = attn.softmax(dim=-1) @ v  # (K, heads, N, hd)
        return self.proj(out.transpose(1, 2).reshape(-1, n, c))


class LeFF(nn.Module):
    """W-LeFF: Linear+GELU, depthwise 3x3 conv+GELU inside each window (reflect padding), Linear."""

    def __init__(self, dim: int, hidden: int, win: int):
        super().__init__()
        self.win, self.hidden = win, hidden
        self.linear1 = nn.Sequential(nn.Linear(dim, hidden), GELU())
        self.dwconv = nn.Sequential(nn.Conv2d(hidden, hidden, 3, groups=hidden), GELU())
        # Reflect padding of one pixel as a constant gather: [1, 0, 1, ..., win-1, win-2].
        reflect = torch.tensor([1] + list(range(win)) + [win - 2])
        self.register_buffer("reflect", reflect, persistent=False)
        self.linear2 = nn.Sequential(nn.Linear(hidden, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(K, N, C) windows -> (K, N, C)."""
        x = self.linear1(x)
        x = x.reshape(-1, self.win, self.win, self.hidden).permute(0, 3, 1, 2)  # (K, 4C, win, win)
        x = x.index_select(2, self.reflect).index_select(3, self.reflect)  # (K, 4C, win+2, win+2)
        x = self.dwconv(x)
        # Reshape right after the permute: ORT fuses a bare Transpose into MatMul, which fails when K == 0.
        x = x.permute(0, 2, 3, 1).reshape(-1, self.win * self.win, self.hidden)  # (K, N, 4C)
        return self.linear2(x)


class DropPath(nn.Module):
    """Stochastic depth per sample (training only)."""

    def __init__(self, p: float):
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = torch.rand(x.shape[0], *([1] * (x.dim() - 1)), device=x.device) >= self.p
        return x * keep.to(x.dtype) / (1.0 - self.p)
