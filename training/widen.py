"""Widen a trained network to twice its embed dim, computing the same function (Net2Net, Chen et al. 2016).

Every channel is copied once (heads are copied whole, so the head width stays), and every weight that reads
copied channels is halved, so each layer's output is the old output, copied; LayerNorm over exact copies has
the old mean and variance. Copies get identical gradients and would stay copies, so small noise parts them.

    python -m training.widen --config training/configs/lmdvit-e8.yaml --checkpoint W.pt \
        --to training/configs/lmdvit-e16.yaml --out training/runs/e16/widened.pt [--noise 0.01]
"""
import argparse
from pathlib import Path

import torch
from torch import nn

from .checkpoint import load_weights
from .config import ModelConfig, load_config
from .model import LMDViT, Stage, TransformerBlock


def pairs(n: int) -> torch.Tensor:
    """New channel -> old channel: each of n old channels twice, side by side."""
    return torch.arange(2 * n) // 2


def head_pairs(n: int, heads: int) -> torch.Tensor:
    """New channel -> old channel for n channels in `heads` heads: new head h is old head h // 2."""
    d = n // heads
    j = torch.arange(2 * n)
    return (j // d // 2) * d + j % d


def concat(a: torch.Tensor, n_a: int, b: torch.Tensor) -> torch.Tensor:
    """The map of a channel concatenation [a (n_a old channels), b]."""
    return torch.cat([a, b + n_a])


def _dense(new: nn.Module, old: nn.Module, out_map, in_map, transposed=False) -> None:
    """Linear, Conv2d (weight out, in, ...) or ConvTranspose2d (weight in, out, ...); a map of None: not widened."""
    w = old.weight.transpose(0, 1) if transposed else old.weight
    if out_map is not None:
        w = w[out_map]
    if in_map is not None:
        w = w[:, in_map] / 2
    new.weight.copy_(w.transpose(0, 1) if transposed else w)
    if old.bias is not None:
        new.bias.copy_(old.bias if out_map is None else old.bias[out_map])


def _per_channel(new: nn.Module, old: nn.Module, m) -> None:
    """LayerNorm or depthwise conv: each channel's parameters copied with it."""
    new.weight.copy_(old.weight[m])
    if old.bias is not None:
        new.bias.copy_(old.bias[m])


def _predictor(new, old, res) -> None:
    dim = old.half * 2
    p = pairs(dim)  # keeps the local half first and the global half second
    h1, h2 = pairs(dim // 2), pairs(dim // 4)
    _dense(new.in_conv[0], old.in_conv[0], p, res)
    _per_channel(new.in_conv[2], old.in_conv[2], p)
    _dense(new.in_conv[3], old.in_conv[3], p, p)
    _dense(new.out_conv[0], old.out_conv[0], h1, p)
    _dense(new.out_conv[2], old.out_conv[2], h2, h1)
    _dense(new.out_conv[4], old.out_conv[4], None, h2)


def _block(new: TransformerBlock, old: TransformerBlock, res) -> None:
    dim, heads = old.attn.dim, old.attn.heads
    q, hid = head_pairs(dim, heads), pairs(old.mlp.hidden)
    _per_channel(new.norm1, old.norm1, res)
    _per_channel(new.norm2, old.norm2, res)
    _dense(new.attn.qkv.to_q, old.attn.qkv.to_q, q, res)
    _dense(new.attn.qkv.to_kv, old.attn.qkv.to_kv, concat(q, dim, q), res)
    _dense(new.attn.proj, old.attn.proj, res, q)
    new.attn.relative_position_bias_table.copy_(old.attn.relative_position_bias_table[:, pairs(heads)])
    _dense(new.mlp.linear1[0], old.mlp.linear1[0], hid, res)
    _per_channel(new.mlp.dwconv[0], old.mlp.dwconv[0], hid)
    _dense(new.mlp.linear2[0], old.mlp.linear2[0], res, hid)
    if old.modulator is not None:
        new.modulator.weight.copy_(old.modulator.weight[:, res])
    if old.score_predictor is not None:
        _predictor(new.score_predictor, old.score_predictor, res)


def _stage(new: Stage, old: Stage, res) -> None:
    for nb, ob in zip(new.blocks, old.blocks):
        _block(nb, ob, res)


def check_widenable(old: ModelConfig, new: ModelConfig) -> None:
    same = ("depths", "window", "mlp_ratio", "prune")
    if new.embed_dim != 2 * old.embed_dim or any(getattr(old, k) != getattr(new, k) for k in same):
        raise ValueError(f"the new config must have twice the embed dim and the same {', '.join(same)}")
    if list(new.heads) != [2 * h for h in old.heads]:
        raise ValueError("the new config must have twice the heads in every stage (the same head width)")


@torch.no_grad()
def widen(old: LMDViT, new: LMDViT, noise: float = 0.0, seed: int = 0) -> None:
    """Write into `new` the weights of `old` widened; noise: each weight's std times this, as Gaussian noise."""
    check_widenable(old.cfg, new.cfg)
    c = old.cfg.embed_dim
    res = [pairs(c << i) for i in range(5)]  # the encoder stages' and the bottleneck's channels
    _dense(new.input_proj.proj[0], old.input_proj.proj[0], res[0], None)
    for i in range(4):
        _stage(getattr(new, f"encoderlayer_{i}"), getattr(old, f"encoderlayer_{i}"), res[i])
        _dense(getattr(new, f"dowsample_{i}").conv[0], getattr(old, f"dowsample_{i}").conv[0], res[i + 1], res[i])
    _stage(new.conv, old.conv, res[4])
    prev = res[4]
    for i in range(4):
        cout = c << (3 - i)
        up = pairs(cout)
        _dense(getattr(new, f"upsample_{i}").deconv[0], getattr(old, f"upsample_{i}").deconv[0], up, prev, True)
        prev = concat(up, cout, res[3 - i])  # decoder input: upsampled features, then the skip
        _stage(getattr(new, f"decoderlayer_{i}"), getattr(old, f"decoderlayer_{i}"), prev)
    _dense(new.output_proj.proj[0], old.output_proj.proj[0], None, prev)
    if noise > 0:
        gen = torch.Generator().manual_seed(seed)
        for p in new.parameters():
            if p.numel() > 1:
                p.add_(torch.randn(p.shape, generator=gen) * (noise * p.std()))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", required=True, help="the trained network's config")
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--to", required=True, help="the wider config")
    p.add_argument("--out", required=True)
    p.add_argument("--noise", type=float, default=0.01, help="noise std as a share of each weight's std")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    old = LMDViT(load_config(args.config).model)
    load_weights(old, args.checkpoint)
    new = LMDViT(load_config(args.to).model)
    widen(old, new, args.noise, args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"model": new.state_dict()}, out.with_suffix(".tmp"))
    out.with_suffix(".tmp").replace(out)
    print(f"{args.checkpoint} -> {out}: {sum(x.numel() for x in new.parameters()):,} parameters")


if __name__ == "__main__":
    main()
