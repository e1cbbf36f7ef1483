import pytest
import torch

from training.config import load_config
from training.model import LMDViT

CONFIGS = "training/configs"


@pytest.fixture
def tiny():
    """The fixture-sized network in evaluation mode, with seeded random weights."""
    torch.manual_seed(0)
    return LMDViT(load_config(f"{CONFIGS}/lmdvit-fixture.yaml").model).eval()


def guide_like(image, value=0.0):
    return torch.full_like(image[:, :1], value)
