"""Model and training configuration, one YAML file per model under training/configs/."""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List

import yaml


@dataclass
class ModelConfig:
    embed_dim: int
    depths: List[int]  # 9 stages: encoder 0-3, bottleneck, decoder 0-3
    heads: List[int]
    window: int = 8
    mlp_ratio: float = 4.0
    prune: List[bool] = field(default_factory=lambda: [True] * 9)  # which stages have confidence predictors
    drop_path: float = 0.1

    def __post_init__(self):
        for name in ("depths", "heads", "prune"):
            if len(getattr(self, name)) != 9:
                raise ValueError(f"{name} needs 9 entries (4 encoder stages, bottleneck, 4 decoder stages)")
        widths = [self.embed_dim << i for i in range(5)] + [self.embed_dim << (4 - i) for i in range(4)]
        for w, h in zip(widths, self.heads):
            if w % h:
                raise ValueError(f"stage width {w} is not divisible by {h} heads")
        if self.window % 2:
            raise ValueError("window must be even (shift = window / 2)")

    @property
    def input_multiple(self) -> int:
        return self.window * 16  # four 2x down-samplings, then whole windows


@dataclass
class Config:
    name: str
    model: ModelConfig
    train: Dict[str, Any]
    path: str


def load_config(path) -> Config:
    raw = yaml.safe_load(Path(path).read_text())
    return Config(name=raw["name"], model=ModelConfig(**raw["model"]), train=raw.get("train", {}), path=str(path))
