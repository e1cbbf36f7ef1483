"""CPU data parallel: two real gloo processes average gradients, agree on stopping and catch drifted weights."""
import json

import pytest
import torch

from training import parallel


def _average(rank, world, out):
    model = torch.nn.Linear(3, 2)
    parallel.broadcast_parameters(model)
    for p in model.parameters():
        p.grad = torch.full_like(p, float(rank + 1))
    stop = parallel.average_gradients(model, stop=rank == 1)
    grads = [p.grad.flatten().tolist() for p in model.parameters()]
    weights = [p.detach().flatten().tolist() for p in model.parameters()]
    (out / f"rank{rank}.json").write_text(json.dumps({"world": world, "stop": stop, "grads": grads, "w": weights}))


def _drift(rank, world):
    model = torch.nn.Linear(3, 2)
    parallel.broadcast_parameters(model)
    parallel.check_replicas_agree(model)  # equal after the broadcast
    if rank == 1:
        with torch.no_grad():
            model.bias[0] += 1e-6
    parallel.check_replicas_agree(model)


def test_two_processes_average_gradients_and_share_the_stop_flag(tmp_path):
    parallel.launch(_average, 2, 1, tmp_path)
    r0, r1 = (json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1))
    assert r0["world"] == r1["world"] == 2
    assert r0["stop"] and r1["stop"]  # rank 1 asked; both stop
    assert r0["grads"] == r1["grads"] == [[1.5] * 6, [1.5] * 2]
    assert r0["w"] == r1["w"]  # rank 0's initial weights reached rank 1


def test_drifted_replicas_are_caught(tmp_path):
    with pytest.raises(Exception, match="replicas diverged"):
        parallel.launch(_drift, 2, 1)


def test_one_process_runs_in_place(tmp_path):
    parallel.launch(_average, 1, 0, tmp_path)
    r0 = json.loads((tmp_path / "rank0.json").read_text())
    assert r0["world"] == 1 and r0["stop"] is False and r0["grads"] == [[1.0] * 6, [1.0] * 2]
