"""Data-parallel training on the CPU: N processes of one thread each, gradients averaged over gloo each step.

Measured on the 2-core build machine (e8, 4 crops of 128x128 per process): one process with one thread takes
0.9 s per step; two such processes side by side take 0.95 s each, so two processes train on twice the crops per
second, where one process with two threads is slower than one (1.9 s: its OpenMP threads spin against each other).
Each process must be limited to its threads before torch starts its thread pool, hence OMP_NUM_THREADS in the
environment of the spawned processes.
"""
import os
import tempfile
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def launch(fn, procs: int, threads: int, *args) -> None:
    """Run fn(rank, world, *args) in `procs` processes (in this one when procs is 1)."""
    if procs <= 1:
        fn(0, 1, *args)
        return
    os.environ["OMP_NUM_THREADS"] = str(threads or 1)  # inherited by the spawned interpreters
    with tempfile.TemporaryDirectory(prefix="deblur-train-") as tmp:
        store = f"file://{Path(tmp) / 'store'}"
        mp.spawn(_worker, args=(procs, store, fn, args), nprocs=procs, join=True)


def _worker(rank: int, world: int, store: str, fn, args) -> None:
    dist.init_process_group("gloo", init_method=store, rank=rank, world_size=world)
    try:
        fn(rank, world, *args)
    finally:
        dist.destroy_process_group()


def world_size() -> int:
    return dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1


def broadcast_parameters(model) -> None:
    """Every replica starts from rank 0's weights."""
    if world_size() > 1:
        for t in model.state_dict().values():
            dist.broadcast(t, src=0)


def average_gradients(model, stop: bool) -> bool:
    """Average the replicas' gradients in place; returns whether any replica asked to stop.

    One all-reduce of one flat buffer per step; the stop flag rides along as its last element, so every replica
    leaves the loop after the same step.
    """
    if world_size() == 1:
        return stop
    params = [p for p in model.parameters() if p.requires_grad]
    grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in params]
    flat = torch.cat([g.reshape(-1) for g in grads] + [torch.tensor([float(stop)], dtype=grads[0].dtype)])
    dist.all_reduce(flat)
    flat /= world_size()
    offset = 0
    for p, g in zip(params, grads):
        n = g.numel()
        p.grad = flat[offset : offset + n].view_as(p)
        offset += n
    return bool(flat[-1] > 0)


def check_replicas_agree(model) -> None:
    """Raise if the replicas' weights have drifted apart: they must stay bit-identical (checked at saves only)."""
    if world_size() == 1:
        return
    highest = torch.cat([t.reshape(-1).double() for t in model.state_dict().values()])
    lowest = highest.clone()
    dist.all_reduce(highest, op=dist.ReduceOp.MAX)
    dist.all_reduce(lowest, op=dist.ReduceOp.MIN)
    if not torch.equal(highest, lowest):
        raise RuntimeError(f"training replicas diverged: weights differ by up to {(highest - lowest).max().item():g}")
