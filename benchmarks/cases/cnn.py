"""cnn_step: a small LeNet-like CNN, forward and backward (no update)."""

from __future__ import annotations

from .. import data
from ..case import Case
from ._training import training_variants

CNN_STEP = Case(
    name="cnn_step",
    description=(
        "Forward and backward of conv(1->8, 3x3, pad 1) - ReLU - maxpool 2 - "
        "conv(8->16, 3x3, pad 1) - ReLU - maxpool 2 - linear(784->10) - mean "
        f"cross-entropy, batch {data.CNN_BATCH} of 1x{data.CNN_IMAGE}x{data.CNN_IMAGE}, "
        "float32. The NumPy reference is hand-written im2col."
    ),
    reference="numpy",
    variants=training_variants("cnn", ("engine", "numpy", "torch"), update=False),
    repeat=15,
    warmup=3,
    quick_repeat=3,
)
