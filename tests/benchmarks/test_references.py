"""The benchmark's implementations compute the same thing: the hand-written NumPy MLP
and CNN against the engine, same weights, same batch. (PyTorch is optional for the
benchmarks and not a test dependency, so its rows are not checked here.)

Small sizes, float32 (the benchmarked dtype), so this is fast and also keeps the
hand-written backward passes honest."""

import numpy as np
import pytest

from benchmarks import data, models
from benchmarks.numpy_reference import (
    NumpyTrainer,
    cnn_loss_and_grads,
    mlp_loss_and_grads,
)

SIZES = (20, 16, 12, 5)
IMAGE = 8
TOL = dict(rtol=1e-4, atol=1e-6)


def _mlp_case():
    params = data.mlp_params(SIZES)
    x, y = data.batch((8, SIZES[0]), SIZES[-1])
    return params, x, y


def _cnn_case():
    params = data.cnn_params(IMAGE)
    x, y = data.batch((4, 1, IMAGE, IMAGE))
    return params, x, y


def _assert_same_step(trainer, reference, x, y):
    loss = trainer.forward_backward(*trainer.inputs(x, y))
    ref_loss = reference.forward_backward(x, y)
    assert loss == pytest.approx(ref_loss, rel=1e-5)
    got, want = trainer.gradients(), reference.gradients()
    assert [g.shape for g in got] == [w.shape for w in want]
    for i, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(g, w, **TOL, err_msg=f"gradient {i}")
        assert np.abs(w).max() > 0, f"gradient {i} is all zero: the check would be vacuous"


def test_mlp_step_matches_numpy_reference():
    params, x, y = _mlp_case()
    trainer = models.mlp_trainer(models.engine(), params)
    reference = NumpyTrainer(mlp_loss_and_grads, params)
    _assert_same_step(trainer, reference, x, y)
    trainer.update()
    reference.update()
    for p, w in zip(trainer.values(), reference.values()):
        np.testing.assert_allclose(p, w, **TOL)
    assert not np.allclose(reference.values()[0], params[0])  # the update did something


def test_cnn_gradients_match_numpy_reference():
    params, x, y = _cnn_case()
    trainer = models.cnn_trainer(models.engine(), params)
    reference = NumpyTrainer(cnn_loss_and_grads, params)
    _assert_same_step(trainer, reference, x, y)


def test_numpy_cnn_gradient_matches_finite_differences():
    """The hand-written CNN backward, against central differences in float64."""
    params = [p.astype(np.float64) for p in data.cnn_params(IMAGE)]
    x, y = data.batch((2, 1, IMAGE, IMAGE), dtype=np.float64)
    _, grads = cnn_loss_and_grads(params, x, y)
    rng = np.random.default_rng(3)
    eps = 1e-6
    for i, p in enumerate(params):
        for flat in rng.choice(p.size, size=3, replace=False):
            idx = np.unravel_index(flat, p.shape)
            old = p[idx]
            p[idx] = old + eps
            up, _ = cnn_loss_and_grads(params, x, y)
            p[idx] = old - eps
            down, _ = cnn_loss_and_grads(params, x, y)
            p[idx] = old
            assert grads[i][idx] == pytest.approx((up - down) / (2 * eps), rel=1e-4, abs=1e-8)
