"""Variants shared by the cases that train a model (mlp_step, cnn_step,
mlp_train_memory): the same step for every framework, from the same weights and data."""

from __future__ import annotations

from functools import partial
from typing import Any

from .. import data, models
from ..case import Step, Variant
from ..numpy_reference import NumpyTrainer, cnn_loss_and_grads, mlp_loss_and_grads

REQUIRES = {"engine": (), "numpy": (), "torch": ("torch",)}
ARCHS = {
    "mlp": (data.mlp_params, data.mlp_batch, models.mlp_trainer, mlp_loss_and_grads),
    "cnn": (data.cnn_params, data.cnn_batch, models.cnn_trainer, cnn_loss_and_grads),
}


def make_trainer(framework: str, arch: str) -> Any:
    """A trainer (see `models.Trainer`) for `arch` in `framework`, at the seeded weights."""
    params, _, build, loss_and_grads = ARCHS[arch]
    if framework == "numpy":
        return NumpyTrainer(loss_and_grads, params())
    fw = models.engine() if framework == "engine" else models.torch_cpu()
    return build(fw, params())


def training_step(framework: str, arch: str, steps: int, update: bool, batches: int) -> Step:
    """`steps` x (forward, backward[, SGD update]) cycling over `batches` seeded batches,
    each converted to the framework's tensors once, before any timing."""
    trainer = make_trainer(framework, arch)
    make_batch = ARCHS[arch][1]
    pool = [trainer.inputs(*make_batch(seed=data.SEED + 1 + i)) for i in range(batches)]

    def step() -> None:
        for i in range(steps):
            trainer.forward_backward(*pool[i % batches])
            if update:
                trainer.update()

    return step


def training_variants(
    arch: str, frameworks: tuple[str, ...], *, steps: int = 1, update: bool, batches: int = 1
) -> tuple[Variant, ...]:
    return tuple(
        Variant(fw, partial(training_step, fw, arch, steps, update, batches), REQUIRES[fw])
        for fw in frameworks
    )
