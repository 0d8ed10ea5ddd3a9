"""Optimisers and learning-rate schedules, with PyTorch's names, formulas and defaults:

- `optimizers.py`: the `Optimizer` base (parameter groups, state, `step`,
  `zero_grad`) and SGD, Adam, AdamW, RMSprop, Adagrad;
- `lr_scheduler.py`: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR,
  OneCycleLR and ReduceLROnPlateau (`from nn.optim.lr_scheduler import StepLR`).
"""

from . import lr_scheduler
from .optimizers import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "lr_scheduler"]
