"""Optimizers and learning-rate schedulers (PyTorch's protocol and formulas).

``SteepestDescent`` is the lecture's full-batch loop with its stopping rule;
``SGD``, ``Adam``, ``AdamW`` and ``RMSprop`` follow PyTorch's update formulas, so
trajectories match; ``lr_scheduler`` holds ``StepLR`` and ``CosineAnnealingLR``.
"""

from . import lr_scheduler
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD
from .steepest import SteepestDescent

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "SteepestDescent", "lr_scheduler"]
