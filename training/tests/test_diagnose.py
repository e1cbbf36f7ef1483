"""diagnose.correction_stats measures the applied correction against the needed one inside the mask."""
import torch

from training.diagnose import correction_stats


def test_slope_and_correlation_of_a_known_correction(tiny):
    torch.manual_seed(1)
    blur = torch.rand(3, 128, 128)
    mask = torch.zeros(1, 128, 128)
    mask[:, 32:96, 40:100] = 1
    with torch.no_grad():
        restored = tiny(blur[None], threshold=torch.tensor(0.0))["restored"][0]
    applied = restored - blur
    # Needed: twice what the network applies inside the mask (so slope 1/2, correlation 1); outside, noise.
    sharp = blur + 2 * applied * mask + 0.3 * torch.randn_like(blur) * (1 - mask)
    stats = correction_stats(tiny, [{"blur": blur, "sharp": sharp, "mask": mask}], threshold=0.0)
    assert abs(stats["slope"] - 0.5) < 1e-3 and abs(stats["reverse_slope"] - 2) < 1e-2
    assert abs(stats["correlation"] - 1) < 1e-4
    assert 0.1 <= stats["gate_blurred"] <= 1 and 0.1 <= stats["gate_sharp"] <= 1

    # A needed correction unrelated to the applied one: correlation near 0, no gain to be had by scaling.
    noise = blur + 0.2 * torch.randn_like(blur)
    stats = correction_stats(tiny, [{"blur": blur, "sharp": noise, "mask": mask}], threshold=0.0)
    assert abs(stats["correlation"]) < 0.05 and stats["best_gain_db"] < 0.02
