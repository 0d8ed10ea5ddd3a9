"""lstm_lm_step and transformer_step: one SGD step of a character language model, the
engine against PyTorch (the reference: there is no hand-written NumPy LSTM or attention
backward), from the same weights and batches."""

from __future__ import annotations

from functools import partial

from .. import data, models
from ..case import Case, Step, Variant
from ._training import REQUIRES

TRAINERS = {"lstm_lm": models.lstm_lm_trainer, "transformer": models.transformer_trainer}


def lm_step(framework: str, arch: str) -> Step:
    """Forward, backward and SGD update of `arch` in `framework` on one seeded batch,
    converted to the framework's tensors before any timing."""
    fw = models.engine() if framework == "engine" else models.torch_cpu()
    trainer = TRAINERS[arch](fw, seed=data.SEED)
    batch = trainer.inputs(*models.lm_batch(seed=data.SEED + 1))

    def step() -> None:
        trainer.forward_backward(*batch)
        trainer.update()

    return step


def _variants(arch: str) -> tuple[Variant, ...]:
    return tuple(
        Variant(fw, partial(lm_step, fw, arch), REQUIRES[fw]) for fw in ("engine", "torch")
    )


_SHAPE = (
    f"batch {models.LM_BATCH} windows of {models.LM_CONTEXT} characters, vocabulary "
    f"{models.LM_VOCAB}, mean cross-entropy over every position, float32"
)

LSTM_LM_STEP = Case(
    name="lstm_lm_step",
    description=(
        "One SGD step (forward, backward, update) of a character LSTM language model: "
        f"Embedding({models.LM_VOCAB}, {models.LSTM_LM_SIZES[0]}) - LSTM("
        f"{models.LSTM_LM_SIZES[0]}, {models.LSTM_LM_SIZES[1]}, batch_first) - Linear; "
        f"{_SHAPE}. The engine loops over the time steps; PyTorch runs its fused LSTM."
    ),
    reference="torch",
    variants=_variants("lstm_lm"),
    repeat=10,
    warmup=2,
    quick_repeat=3,
)

TRANSFORMER_STEP = Case(
    name="transformer_step",
    description=(
        "One SGD step (forward, backward, update) of a one-block character transformer: "
        "token and position embeddings - TransformerEncoderLayer(d_model "
        f"{models.TRANSFORMER_SIZES[0]}, {models.TRANSFORMER_SIZES[1]} heads, feed-forward "
        f"{models.TRANSFORMER_SIZES[2]}, pre-norm, causal mask, no dropout) - LayerNorm - "
        f"Linear; {_SHAPE}."
    ),
    reference="torch",
    variants=_variants("transformer"),
    repeat=10,
    warmup=2,
    quick_repeat=3,
)
