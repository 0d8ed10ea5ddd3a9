"""mlp_step and mlp_train_memory: the MLP 784-512-256-10 (ReLU, mean softmax
cross-entropy, float32) trained with plain SGD on batches of 128."""

from __future__ import annotations

from .. import data
from ..case import Case
from ._training import training_variants

FRAMEWORKS = ("engine", "numpy", "torch")
MEMORY_BATCHES = 8  # distinct random batches, cycled; few, so data does not dominate RSS

MLP_STEP = Case(
    name="mlp_step",
    description=(
        "One SGD step (forward, backward, update) of an MLP "
        f"{'-'.join(map(str, data.MLP_SIZES))}, ReLU, mean softmax cross-entropy, "
        f"batch {data.MLP_BATCH}, float32."
    ),
    reference="numpy",
    variants=training_variants("mlp", FRAMEWORKS, update=True),
    repeat=30,
    warmup=5,
    quick_repeat=5,
)

MLP_TRAIN_MEMORY = Case(
    name="mlp_train_memory",
    description=(
        f"Peak RSS of the child process over {data.MLP_MEMORY_STEPS} SGD steps of the "
        f"mlp_step model ({MEMORY_BATCHES} random batches, cycled); the time column is "
        "the time of all the steps."
    ),
    reference="numpy",
    variants=training_variants(
        "mlp", FRAMEWORKS, steps=data.MLP_MEMORY_STEPS, update=True, batches=MEMORY_BATCHES
    ),
    repeat=1,
    warmup=0,
    quick_repeat=1,
    metric="peak_rss_kb",
    profile=False,  # the same step as mlp_step
)
