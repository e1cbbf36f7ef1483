"""LMD-ViT (Li et al., ICLR 2024): a U-shaped window transformer that prunes windows it judges sharp.

Three ways to run the same weights:
- training (module.train()): hard Gumbel-softmax decisions multiplied into every block (batches > 1 work);
- evaluation with pruning (eval, pruning=True): only kept windows are gathered, computed and written back;
- dense (pruning=False): plain windowed transformer, no predictors, for the benchmarks' baseline.
"""
from typing import Dict, List, Optional

import torch
from torch import nn
import torch.nn.functional as F

from .blocks import ConfidencePredictor, DropPath, LeFF, WindowAttention
from .config import ModelConfig
from .windows import Level, Windows, build_level, merge, partition, shift_mask_bank


class TransformerBlock(nn.Module):
    """AdaWPT block: y = x + attn(LN1 x); y = y + LeFF(LN2 y), on kept windows only."""

    def __init__(self, dim, heads, win, shifted, mlp_ratio, drop_path, predictor, modulator):
        super().__init__()
        self.win, self.shifted = win, shifted
        self.norm1 = nn.LayerNorm(dim)
        self.attn = WindowAttention(dim, heads, win)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = LeFF(dim, int(dim * mlp_ratio), win)
        self.drop_path = DropPath(drop_path)
        self.score_predictor = ConfidencePredictor(dim) if predictor else None
        self.modulator = nn.Embedding(win * win, dim) if modulator else None

    def _attend(self, normed: torch.Tensor, mask: Optional[torch.Tensor]) -> torch.Tensor:
        if self.modulator is not None:
            normed = normed + self.modulator.weight  # per in-window position; the residual is untouched
        return self.attn(normed, mask)

    def forward_windows(self, x, level: Level, bank, keep: Optional[torch.Tensor]) -> torch.Tensor:
        """Every window computed (training and dense); keep (B*nW,) multiplies both residual branches."""
        b, h, w, c = x.shape
        shift = self.win // 2 if self.shifted else 0
        if shift:
            x = torch.roll(x, shifts=(-shift, -shift), dims=(1, 2))
        mask = level.dense_mask(bank) if self.shifted else None
        shortcut = partition(x, self.win)  # (B*nW, N, C)
        attn = self._attend(self.norm1(shortcut), mask)
        gate = keep.view(-1, 1, 1) if keep is not None else 1.0
        y = shortcut + self.drop_path(attn.reshape(b, -1, c)).reshape(attn.shape) * gate
        ffn = self.mlp(self.norm2(y))
        y = y + self.drop_path(ffn.reshape(b, -1, c)).reshape(ffn.shape) * gate
        y = merge(y, b, h, w, self.win)
        if shift:
            y = torch.roll(y, shifts=(shift, shift), dims=(1, 2))
        return y

    def forward_pruned(self, x, windows: Windows, bank, keep: torch.Tensor) -> torch.Tensor:
        """Only kept windows are gathered and computed; the rest of the map is copied through untouched."""
        c = self.attn.dim
        flat = x.reshape(-1, c)  # (B*H*W, C)
        kept = torch.nonzero(keep > 0.5)[:, 0]  # (K,) may be empty: no Python branch on it
        tokens = windows.tokens.index_select(0, kept).reshape(-1)  # (K*N,) flat token positions
        shortcut = flat.index_select(0, tokens).reshape(-1, self.win * self.win, c)  # (K, N, C)
        mask = None
        if self.shifted:
            mask = bank.index_select(0, windows.mask_kind.index_select(0, kept))  # (K, N, N)
        y = shortcut + self._attend(self.norm1(shortcut), mask)
        y = y + self.mlp(self.norm2(y))
        return flat.index_put((tokens,), y.reshape(-1, c)).reshape_as(x)


def scale_grad(x: torch.Tensor, scale: float) -> torch.Tensor:
    """x in the forward pass; its gradient times `scale` in the backward pass."""
    if scale == 1.0:
        return x
    return x.detach() + scale * (x - x.detach())


def guided_keep(model_keep: torch.Tensor, windows: Windows, training: bool) -> torch.Tensor:
    """The guide rule on the model's decisions: forced windows kept, all-protected ones dropped. In training
    torch.where, not maximum: maximum splits a tie's gradient, so a dropped, unforced window (0 against 0)
    would get half the straight-through signal to keep it. Evaluation (and so the ONNX graph) keeps maximum."""
    if training:
        return torch.where(windows.forced > 0.5, torch.ones_like(model_keep), model_keep) * windows.allowed
    return torch.maximum(model_keep, windows.forced) * windows.allowed


class Stage(nn.Module):
    """A run of blocks at one resolution; blocks 0 and 1 predict, later blocks reuse those decisions."""

    def __init__(self, dim, depth, heads, cfg: ModelConfig, prune: bool, drop_paths, modulator: bool):
        super().__init__()
        # Share of the pruning loss's gradient that reaches the backbone through the predictors' input (training
        # only; the predictors themselves always get all of it). Set by LMDViT.set_predictor_grad.
        self.predictor_grad = 1.0
        self.blocks = nn.ModuleList(
            TransformerBlock(
                dim, heads, cfg.window, i % 2 == 1, cfg.mlp_ratio, drop_paths[i], prune and i < 2, modulator
            )
            for i in range(depth)
        )

    def _decide(self, block, x, windows: Windows, threshold):
        """Keep (B*nW,) after the guide rule, per-token keep probabilities (B, H, W) or None, and the
        per-window keep probabilities (B*nW,) or None."""
        probs = p_keep = None
        if block.score_predictor is None:
            model_keep = windows.allowed
        else:
            feats = scale_grad(x, self.predictor_grad) if self.training else x
            logits = block.score_predictor(feats)  # (B, H, W, 2), class 0 = keep
            probs = logits.softmax(dim=-1)[..., 0]
            n = windows.tokens.shape[1]
            win_logits = logits.reshape(-1, 2).index_select(0, windows.tokens.reshape(-1))
            win_logits = win_logits.reshape(-1, n, 2).mean(dim=1)  # average logits, not probabilities
            p_keep = win_logits.softmax(dim=-1)[:, 0]
            if self.training:
                model_keep = F.gumbel_softmax(win_logits, tau=1.0, hard=True)[:, 0]
            else:
                model_keep = ((p_keep > threshold) | (threshold <= 0)).to(x.dtype)
        return guided_keep(model_keep, windows, self.training), probs, p_keep

    def forward(self, x, level: Level, bank, threshold, pruning: bool):
        if not pruning:
            for block in self.blocks:
                x = block.forward_windows(x, level, bank, None)
            return x, {}
        keeps: List[torch.Tensor] = []
        probs: List[torch.Tensor] = []
        window_probs: List[torch.Tensor] = []
        kept_share: List[torch.Tensor] = []
        for i, block in enumerate(self.blocks):
            windows = level.shifted if block.shifted else level.plain
            if i < 2:
                keep, p, p_win = self._decide(block, x, windows, threshold)
                keeps.append(keep)
                if p is not None:
                    probs.append(p)
                    window_probs.append(p_win)
            keep = keeps[i % 2]
            kept_share.append(keep.mean())
            if self.training:
                x = block.forward_windows(x, level, bank, keep)
            else:
                x = block.forward_pruned(x, windows, bank, keep)
        info = {"plain_keep": keeps[0], "probs": probs, "window_probs": window_probs, "kept_share": kept_share}
        return x, info


class Projection(nn.Module):
    """input_proj (Conv3x3 + LeakyReLU) and output_proj (Conv3x3), named `proj` as upstream."""

    def __init__(self, cin: int, cout: int, activation: bool):
        super().__init__()
        layers = [nn.Conv2d(cin, cout, 3, padding=1)] + ([nn.LeakyReLU(0.01)] if activation else [])
        self.proj = nn.Sequential(*layers)

    def forward(self, x):
        return self.proj(x)


class Downsample(nn.Module):
    """Conv4x4 stride 2: half the resolution, twice the channels."""

    def __init__(self, cin: int, cout: int):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(cin, cout, 4, 2, 1))

    def forward(self, x):
        return self.conv(x)


class Upsample(nn.Module):
    """ConvTranspose2x2 stride 2."""

    def __init__(self, cin: int, cout: int):
        super().__init__()
        self.deconv = nn.Sequential(nn.ConvTranspose2d(cin, cout, 2, 2))

    def forward(self, x):
        return self.deconv(x)


def _to_map(x):  # (B, C, H, W) -> (B, H, W, C)
    return x.permute(0, 2, 3, 1)


def _to_image(x):  # (B, H, W, C) -> (B, C, H, W)
    return x.permute(0, 3, 1, 2)


class LMDViT(nn.Module):
    """Encoder 0-3, bottleneck `conv`, decoder 0-3 (upsampled features first, then the skip)."""

    def __init__(self, cfg: ModelConfig, pruning: bool = True):
        super().__init__()
        self.cfg, self.pruning = cfg, pruning
        c, d, hd, pr, win = cfg.embed_dim, cfg.depths, cfg.heads, cfg.prune, cfg.window
        enc_dpr = torch.linspace(0, cfg.drop_path, sum(d[:4])).tolist()
        dec_dpr = torch.linspace(0, cfg.drop_path, sum(d[5:])).tolist()[::-1]
        self.input_proj = Projection(3, c, activation=True)
        for i in range(4):
            dp = enc_dpr[sum(d[:i]) : sum(d[: i + 1])]
            setattr(self, f"encoderlayer_{i}", Stage(c << i, d[i], hd[i], cfg, pr[i], dp, False))
            setattr(self, f"dowsample_{i}", Downsample(c << i, c << (i + 1)))
        self.conv = Stage(c << 4, d[4], hd[4], cfg, pr[4], [cfg.drop_path] * d[4], False)
        for i in range(4):
            cin = (c << 4) if i == 0 else (c << (5 - i))  # 16c, then the previous decoder's width
            cout = c << (3 - i)
            setattr(self, f"upsample_{i}", Upsample(cin, cout))
            dp = dec_dpr[sum(d[5 : 5 + i]) : sum(d[5 : 6 + i])]
            setattr(self, f"decoderlayer_{i}", Stage(2 * cout, d[5 + i], hd[5 + i], cfg, pr[5 + i], dp, True))
        self.output_proj = Projection(2 * c, 4, activation=False)
        self.register_buffer("shift_bank", shift_mask_bank(win, win // 2), persistent=False)

    def set_predictor_grad(self, scale: float) -> None:
        """How much of the pruning loss's gradient flows from the predictors into the backbone (1 = all)."""
        for stage in self.stages():
            stage.predictor_grad = scale

    def stages(self) -> List[Stage]:
        enc = [getattr(self, f"encoderlayer_{i}") for i in range(4)]
        return enc + [self.conv] + [getattr(self, f"decoderlayer_{i}") for i in range(4)]

    def forward(self, image: torch.Tensor, guide: Optional[torch.Tensor] = None, threshold=None) -> Dict:
        """image (B,3,H,W) in [0,1], H and W multiples of 128; guide (B,1,H,W) in {-1,0,1}; threshold scalar."""
        b, _, h, w = image.shape
        if guide is None:
            guide = torch.zeros_like(image[:, :1])
        if threshold is None:
            threshold = torch.tensor(0.5, device=image.device)
        win = self.cfg.window
        levels = [build_level(guide, 1 << l, h >> l, w >> l, win, win // 2) for l in range(5)]
        stage_level = [0, 1, 2, 3, 4, 3, 2, 1, 0]
        infos = []

        def run(stage, x, l):
            x, info = stage(_to_map(x), levels[l], self.shift_bank, threshold, self.pruning)
            infos.append((l, info))
            return _to_image(x)

        x = self.input_proj(image)
        skips = []
        for i in range(4):
            x = run(getattr(self, f"encoderlayer_{i}"), x, i)
            skips.append(x)
            x = getattr(self, f"dowsample_{i}")(x)
        x = run(self.conv, x, 4)
        for i in range(4):
            x = torch.cat([getattr(self, f"upsample_{i}")(x), skips[3 - i]], dim=1)
            x = run(getattr(self, f"decoderlayer_{i}"), x, 3 - i)
        out = self.output_proj(x)  # (B, 4, H, W): residual r and gate g
        gate = torch.sigmoid(out[:, 3:4])
        floored = gate.clamp(min=0.1)
        if self.training:  # the floor's gradient is zero below 0.1, where a gate once shut would stay shut
            floored = gate + (floored - gate).detach()
        restored = image + out[:, :3] * floored
        result = {"restored": restored}
        if self.pruning:
            result.update(self._pruning_outputs(infos, levels, image))
        return result

    def _pruning_outputs(self, infos, levels, image) -> Dict:
        b, win = image.shape[0], self.cfg.window
        decisions, probs = [], []
        for l, info in infos:
            grid = info["plain_keep"].reshape(b, 1, levels[l].h // win, levels[l].w // win)
            decisions.append(F.interpolate(grid, scale_factor=float(1 << l), mode="nearest") if l else grid)
            probs.extend((l, p) for p in info["probs"])
        first = infos[0][1]["probs"]
        confidence = first[0].unsqueeze(1) if first else torch.ones_like(image[:, :1])
        return {
            "confidence": confidence,
            "decisions": torch.cat(decisions, dim=1),  # (B, 9, H/8, W/8)
            "kept_ratio": torch.stack([s for _, info in infos for s in info["kept_share"]]).mean(),
            "probs": probs,  # [(level, (B, H_l, W_l) keep probability)] for the pruning loss
            "window_probs": [p for _, info in infos for p in info["window_probs"]],  # [(B*nW,)] per predictor
            "block_kept": [s for _, info in infos for s in info["kept_share"]],  # share kept, per block
        }
