"""The paper's losses: values where they are known exactly, and the balanced pruning loss's optimum."""
import pytest
import torch

from training.losses import pruning_loss, reconstruction_loss, ssim_map, training_target


def test_identical_images_have_zero_reconstruction_loss_and_ssim_one():
    x = torch.rand(2, 3, 32, 32)
    loss, parts = reconstruction_loss(x, x.clone(), torch.zeros(2, 1, 32, 32))
    assert loss.item() < 1e-5 and parts["l1"] == 0.0
    assert torch.allclose(ssim_map(x, x), torch.ones(1), atol=1e-5)


def test_blur_weight_favours_errors_in_the_blurred_region():
    gt = torch.zeros(1, 3, 32, 32)
    mask = torch.zeros(1, 1, 32, 32)
    mask[..., :8, :] = 1
    err_in_blur, err_outside = gt.clone(), gt.clone()
    err_in_blur[..., :8, :] = 0.1
    err_outside[..., 24:, :] = 0.1
    assert reconstruction_loss(err_in_blur, gt, mask)[1]["l1"] > reconstruction_loss(err_outside, gt, mask)[1]["l1"]


def test_unblurred_pixels_target_the_input_so_leaving_them_alone_costs_nothing():
    blur, sharp = torch.rand(1, 3, 16, 16), torch.rand(1, 3, 16, 16)  # sharp: noise-free, unlike the input
    mask = torch.zeros(1, 1, 16, 16)
    mask[..., 4:8, :] = 1
    target = training_target(blur, sharp, mask)
    assert torch.equal(target[..., 4:8, :], sharp[..., 4:8, :])
    assert torch.equal(target[..., :4, :], blur[..., :4, :]) and torch.equal(target[..., 8:, :], blur[..., 8:, :])
    no_blur = torch.zeros_like(mask)
    assert reconstruction_loss(blur, training_target(blur, sharp, no_blur), no_blur)[0].item() < 1e-5
    assert torch.equal(training_target(blur, sharp, mask, "sharp"), sharp)
    with pytest.raises(ValueError, match="unblurred_target"):
        training_target(blur, sharp, mask, "clean")


def test_balanced_pruning_loss_is_lowest_when_probabilities_match_the_mask():
    mask = torch.zeros(1, 1, 16, 16)
    mask[..., :4, :4] = 1  # 1/16 of the tokens blurred
    right = [(0, mask[:, 0] * 0.98 + 0.01), (1, torch.nn.functional.max_pool2d(mask, 2)[:, 0] * 0.98 + 0.01)]
    all_sharp = [(0, torch.full((1, 16, 16), 0.01)), (1, torch.full((1, 8, 8), 0.01))]
    assert pruning_loss(right, mask) < pruning_loss(all_sharp, mask)
    # Balanced: calling everything sharp costs as much as calling everything blurred.
    all_blurred = [(0, torch.full((1, 16, 16), 0.99)), (1, torch.full((1, 8, 8), 0.99))]
    assert abs(pruning_loss(all_sharp, mask).item() - pruning_loss(all_blurred, mask).item()) < 1e-3


def test_pruning_pos_share_moves_the_best_constant_probability_towards_pruning():
    mask = torch.zeros(1, 1, 16, 16)
    mask[..., :4, :4] = 1
    grid = torch.linspace(0.05, 0.95, 91)

    def best(share):
        losses = [pruning_loss([(0, torch.full((1, 16, 16), float(p)))], mask, share).item() for p in grid]
        return float(grid[losses.index(min(losses))])

    assert abs(best(0.5) - 0.5) < 0.011
    assert abs(best(0.3) - 0.3) < 0.011  # a constant predictor's optimum is the blurred share of the weight
    with pytest.raises(ValueError):
        pruning_loss([(0, torch.full((1, 16, 16), 0.5))], mask, 1.0)


def test_fft_on_the_blurred_region_ignores_errors_outside_it():
    gt = torch.rand(1, 3, 32, 32)
    mask = torch.zeros(1, 1, 32, 32)
    mask[..., 8:24, 8:24] = 1.0
    outside = gt + 0.1 * (1 - mask)
    inside = gt + 0.1 * mask
    fft = lambda out, region: reconstruction_loss(out, gt, mask, fft_region=region)[1]["fft"].item()
    assert fft(outside, "image") > 0.01 and fft(outside, "blur") == 0.0
    assert fft(inside, "blur") == pytest.approx(fft(inside, "image"), rel=1e-5)
    with pytest.raises(ValueError, match="fft_region"):
        reconstruction_loss(gt, gt, mask, fft_region="mask")
