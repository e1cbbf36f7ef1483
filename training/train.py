"""Train LMD-ViT on the synthetic local-blur set (training/data). Runs on torch 1.13 CPU and torch 2.x CUDA.

/usr/bin/python3 -m training.train --config training/configs/X.yaml --data training/.data/synth \
    --out training/runs/X [--resume training/runs/X/last.pt | --init W.pt] [--steps N] [--batch N] [--lr X]
    [--device auto|cpu|cuda] [--procs N] [--preload PROCESSES] [--max-minutes M]

Every `save_every` steps it writes last.pt (model, optimiser, step, RNG) atomically; --resume continues
from that step on the same cosine schedule. One JSON line per logged step goes to <out>/log.jsonl.
On the CPU, --procs 2 --threads 1 trains twice as fast on two cores as one process (training/parallel.py).
"""
import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from .checkpoint import extract_state_dict, read_checkpoint, save_training_state, set_rng_state
from .config import load_config
from .data.reader import SynthPairs
from .losses import FFT_REGIONS, UNBLURRED_TARGETS, pruning_loss, reconstruction_loss, training_target
from .model import LMDViT
from .parallel import average_gradients, broadcast_parameters, check_replicas_agree, launch

DEFAULTS = {
    "crop": 128,
    "batch": 4,
    "steps": 20000,
    "lr": 2e-4,
    "min_lr": 1e-6,
    "weight_decay": 0.02,
    "warmup": 200,
    "blur_weight": 4.0,
    "fft_region": "image",  # losses.reconstruction_loss: the FFT term on the whole error or the blurred region's
    "unblurred_target": "input",  # losses.training_target
    # Share of crops trained with their mask as the guide (blurred windows always processed, sharp ones left to
    # the predictors). 0: every window by the Gumbel decisions, which drop about half the blurred windows of
    # every block while the predictors cannot yet tell blur: stochastic depth on the pixels that matter.
    "force_blurred": 0.0,
    "pruning_weight": 0.5,
    "pruning_pos_share": 0.5,  # losses.pruning_loss: the blurred tokens' share of its weight
    "predictor_grad": 1.0,
    "save_every": 200,
    "log_every": 20,
    "val_every": 1000,
    "val_samples": 24,
    "seed": 0,
}


def forced_guide(mask: torch.Tensor, share: float):
    """The guide forcing the blurred windows of about `share` of the crops (None when share is 0)."""
    if share <= 0:
        return None
    chosen = (torch.rand(mask.shape[0], 1, 1, 1, device=mask.device) < share).to(mask.dtype)
    return (mask > 0.5).to(mask.dtype) * chosen


def cosine_lr(step: int, hp: dict) -> float:
    if step < hp["warmup"]:
        return hp["lr"] * (step + 1) / hp["warmup"]
    t = (step - hp["warmup"]) / max(1, hp["steps"] - hp["warmup"])
    return hp["min_lr"] + 0.5 * (hp["lr"] - hp["min_lr"]) * (1 + math.cos(math.pi * min(t, 1.0)))


def batches(dataset, batch: int, rng: random.Random):
    """Endless shuffled batches of stacked tensors."""
    order = []
    while True:
        items = []
        for _ in range(batch):
            if not order:
                order = list(range(len(dataset)))
                rng.shuffle(order)
            items.append(dataset[order.pop()])
        yield {k: torch.stack([it[k] for it in items]) for k in ("blur", "sharp", "mask")}


@torch.no_grad()
def validate(model, dataset, n: int, device) -> dict:
    """On the first n validation crops: PSNR and blur-weighted PSNR of the output and of the input (the weighted
    ones averaged over the crops that have blur), the kept ratio (also on crops without blur: `kept_sharp`),
    and the precision and recall of all nine stages' plain-window decisions against the blurred pixels."""
    model.eval()
    sums = {"psnr": 0.0, "wpsnr": 0.0, "wpsnr_in": 0.0, "kept": 0.0, "kept_sharp": 0.0}
    counts = {"tp": 0.0, "fp": 0.0, "fn": 0.0}
    blurred = 0
    crops = min(n, len(dataset))
    for i in range(crops):
        s = dataset[i]
        blur, sharp, mask = (s[k][None].to(device) for k in ("blur", "sharp", "mask"))
        out = model(blur)
        restored = out["restored"].clamp(0, 1)
        mse = ((restored - sharp) ** 2).mean().item()
        sums["psnr"] += 10 * math.log10(1 / max(mse, 1e-10))
        area = mask.sum().item() * 3
        if area:
            wm = (((restored - sharp) ** 2) * mask).sum().item() / area
            wi = (((blur - sharp) ** 2) * mask).sum().item() / area
            sums["wpsnr"] += 10 * math.log10(1 / max(wm, 1e-10))
            sums["wpsnr_in"] += 10 * math.log10(1 / max(wi, 1e-10))
            blurred += 1
        else:
            sums["kept_sharp"] += out["kept_ratio"].item()
        sums["kept"] += out["kept_ratio"].item()
        kept = F.interpolate(out["decisions"], scale_factor=float(model.cfg.window), mode="nearest")  # (1,9,H,W)
        counts["tp"] += (kept * mask).sum().item()
        counts["fp"] += (kept * (1 - mask)).sum().item()
        counts["fn"] += ((1 - kept) * mask).sum().item()
    model.train()
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {"psnr": sums["psnr"] / crops, "kept": sums["kept"] / crops,
            "kept_sharp": sums["kept_sharp"] / (crops - blurred) if crops > blurred else None,
            "wpsnr": sums["wpsnr"] / max(1, blurred), "wpsnr_in": sums["wpsnr_in"] / max(1, blurred),
            "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None}


@torch.no_grad()
def reset_gate(model) -> None:
    """Zero the output gate's channel: a gate that training shut to its 0.1 floor starts again at 0.5."""
    conv = model.output_proj.proj[0]
    conv.weight[3].zero_()
    conv.bias[3].zero_()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("--config", required=True)
    p.add_argument("--data", default="training/.data/synth")
    p.add_argument("--out", required=True)
    p.add_argument("--resume", help="a last.pt to continue from")
    p.add_argument("--init", help="weights to start from (no optimiser state)")
    p.add_argument("--reset-gate", action="store_true",
                   help="with --init: reopen the output gate (gate channel's weights 0, so sigmoid 0.5)")
    p.add_argument("--steps", type=int, help="total steps (overrides the config)")
    p.add_argument("--batch", type=int, help="crops per step (overrides the config; a GPU wants more than a CPU)")
    p.add_argument("--lr", type=float, help="peak learning rate (overrides the config)")
    p.add_argument("--crop", type=int,
                   help="crop side in pixels (overrides the config): a multiple of 16 windows, 128 for window 8")
    p.add_argument("--preload", type=int, default=0,
                   help="decode the training set into memory first, with this many processes (GPU runs)")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--threads", type=int, default=0, help="CPU threads for torch (0: torch's default)")
    p.add_argument("--procs", type=int, default=1,
                   help="CPU data parallel: this many processes of --threads threads (default 1) share each step's"
                   " batch and average their gradients (2 on a 2-core machine trains twice as fast)")
    p.add_argument("--max-minutes", type=float, help="save and stop after this much wall time (a device command's"
                   " time limit); --resume carries on")
    args = p.parse_args(argv)
    if args.procs > 1 and _device(args).type != "cpu":
        p.error("--procs is CPU data parallel; a GPU runs one process (raise --batch instead)")
    cfg, hp = _hyper_parameters(args)
    if args.procs > 1 and hp["batch"] % args.procs:
        p.error("the batch must split evenly over --procs")
    if hp["crop"] % cfg.model.input_multiple:
        p.error(f"the crop must be a multiple of {cfg.model.input_multiple}, not {hp['crop']}")
    if hp["unblurred_target"] not in UNBLURRED_TARGETS:  # before preloading data and starting processes
        p.error(f"unblurred_target must be one of {UNBLURRED_TARGETS}, not {hp['unblurred_target']!r}")
    if hp["fft_region"] not in FFT_REGIONS:
        p.error(f"fft_region must be one of {FFT_REGIONS}, not {hp['fft_region']!r}")
    if not 0.0 < hp["pruning_pos_share"] < 1.0:
        p.error(f"pruning_pos_share must be between 0 and 1, not {hp['pruning_pos_share']}")
    launch(train, args.procs, args.threads, args)
    return 0


def _device(args) -> torch.device:
    if args.device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(args.device)


def _hyper_parameters(args):
    cfg = load_config(args.config)
    hp = {**DEFAULTS, **cfg.train}
    for key in ("steps", "batch", "lr", "crop"):
        if getattr(args, key):
            hp[key] = getattr(args, key)
    return cfg, hp


def train(rank: int, world: int, args) -> None:
    """One replica (rank 0 of 1 unless --procs): rank 0 logs, validates and saves; the others only train."""
    cfg, hp = _hyper_parameters(args)
    device = _device(args)
    if args.threads:
        torch.set_num_threads(args.threads)
    if device.type == "cuda":  # TF32 matmuls and convolutions: several times faster, ample for training
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    seed = hp["seed"] + 7919 * rank  # replicas see different crops and Gumbel noise
    torch.manual_seed(seed)
    rng = random.Random(seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    # Before CUDA starts: preloading forks worker processes.
    train_set = SynthPairs(args.data, "train", crop=hp["crop"], preload=args.preload)
    model = LMDViT(cfg.model).to(device).train()
    model.set_predictor_grad(hp["predictor_grad"])
    optimizer = torch.optim.AdamW(model.parameters(), lr=hp["lr"], betas=(0.9, 0.999),
                                  weight_decay=hp["weight_decay"])
    step = 0
    if args.resume:
        state = read_checkpoint(args.resume, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        step = state["step"]
        set_rng_state(state["rng"])  # rank 0's
        if rank:
            torch.manual_seed(seed + step)
        rng.seed(seed + step)
    elif args.init:
        model.load_state_dict(extract_state_dict(read_checkpoint(args.init, map_location=device)))
        if args.reset_gate:
            reset_gate(model)

    broadcast_parameters(model)
    train_set.reseed(seed + step)
    stream = batches(train_set, hp["batch"] // world, rng)
    log = open(out / "log.jsonl", "a") if rank == 0 else None
    t_start, t_log = time.time(), time.time()
    while step < hp["steps"]:
        lr = cosine_lr(step, hp)
        for group in optimizer.param_groups:
            group["lr"] = lr
        b = {k: v.to(device) for k, v in next(stream).items()}
        result = model(b["blur"], guide=forced_guide(b["mask"], hp["force_blurred"]))
        target = training_target(b["blur"], b["sharp"], b["mask"], hp["unblurred_target"])
        rec, parts = reconstruction_loss(
            result["restored"], target, b["mask"], hp["blur_weight"], fft_region=hp["fft_region"]
        )
        prune = pruning_loss(result["probs"], b["mask"], hp["pruning_pos_share"])
        loss = rec + hp["pruning_weight"] * prune
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        out_of_time = args.max_minutes is not None and time.time() - t_start > 60 * args.max_minutes
        out_of_time = average_gradients(model, out_of_time)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        saving = step % hp["save_every"] == 0 or step == hp["steps"] or out_of_time
        if saving:
            check_replicas_agree(model)
        if rank:
            if out_of_time:
                break
            continue
        if step % hp["log_every"] == 0:
            now = time.time()
            entry = {"step": step, "loss": loss.item(), "prune": prune.item(),
                     **{k: v.item() for k, v in parts.items()}, "lr": lr,
                     "kept": result["kept_ratio"].item(), "s_per_step": (now - t_log) / hp["log_every"]}
            t_log = now
            log.write(json.dumps(entry) + "\n")
            log.flush()
        if saving:
            save_training_state(out / "last.pt", model, optimizer, step, hp, cfg.path)
        if step % hp["val_every"] == 0 or step == hp["steps"]:
            # The same crops every time (a fresh reader, fixed seed), so validations compare across steps.
            val_set = SynthPairs(args.data, "val", crop=hp["crop"], augment=False, seed=1)
            metrics = validate(model, val_set, hp["val_samples"], device)
            log.write(json.dumps({"step": step, "val": metrics, "elapsed_s": time.time() - t_start}) + "\n")
            log.flush()
        if out_of_time:
            break
    if log:
        log.close()


if __name__ == "__main__":
    sys.exit(main())
