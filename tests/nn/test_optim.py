"""Optimisers against PyTorch's update formulas written out in NumPy."""

import numpy as np
import pytest

import nn
from autograd_core import Tensor, no_grad
from nn.optim import SGD, Adam, AdamW

W0 = np.random.default_rng(0).normal(size=(3, 4))
TARGET = np.random.default_rng(1).normal(size=(3, 4))


def grad_of(w: np.ndarray) -> np.ndarray:
    """Gradient of the loss used below, sum((w - target)^3 / 3 + w^2), by hand."""
    return (w - TARGET) ** 2 + 2 * w


def run(make_optimizer, steps: int = 5, dtype=np.float64) -> list[np.ndarray]:
    """Optimise with autodiff gradients; return the weights after each step."""
    w = nn.Parameter(W0.astype(dtype))
    opt = make_optimizer([w])
    history = []
    for _ in range(steps):
        opt.zero_grad()
        loss = (((w - TARGET.astype(dtype)) ** 3) / 3 + w * w).sum()
        loss.backward()
        opt.step()
        history.append(w.data.copy())
    return history


def reference_sgd(lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, steps=5):
    w, buf, out = W0.copy(), None, []
    for _ in range(steps):
        g = grad_of(w) + weight_decay * w
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        w = w - lr * g
        out.append(w)
    return out


def reference_adam(lr, betas, eps, weight_decay, decoupled, amsgrad=False, steps=5):
    w, m, v, vmax, out = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), np.zeros_like(W0), []
    b1, b2 = betas
    for t in range(1, steps + 1):
        g = grad_of(w)
        if decoupled:
            w = w * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = np.maximum(vmax, v)
        denom = np.sqrt(vmax if amsgrad else v) / np.sqrt(1 - b2**t) + eps
        w = w - lr / (1 - b1**t) * m / denom
        out.append(w)
    return out


@pytest.mark.parametrize(
    "settings",
    [
        dict(lr=0.05),
        dict(lr=0.05, momentum=0.9),
        dict(lr=0.05, momentum=0.9, dampening=0.3),
        dict(lr=0.05, momentum=0.9, nesterov=True),
        dict(lr=0.05, momentum=0.5, weight_decay=0.1),
        dict(lr=0.05, weight_decay=0.1, nesterov=False),
    ],
    ids=str,
)
def test_sgd_matches_pytorch_formulas(settings):
    got = run(lambda params: SGD(params, **settings))
    for a, b in zip(got, reference_sgd(**settings), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize(
    "cls, settings, decoupled",
    [
        (Adam, dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0), False),
        (Adam, dict(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.2), False),
        (Adam, dict(lr=0.1, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.0, amsgrad=True), False),
        (AdamW, dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2), True),
        (AdamW, dict(lr=0.1, betas=(0.5, 0.9), eps=1e-6, weight_decay=0.3), True),
    ],
    ids=["adam", "adam-l2", "adam-amsgrad", "adamw", "adamw-strong"],
)
def test_adam_and_adamw_match_pytorch_formulas(cls, settings, decoupled):
    got = run(lambda params: cls(params, **settings))
    for a, b in zip(got, reference_adam(decoupled=decoupled, **settings), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10)


def test_defaults_are_pytorchs():
    w = nn.Parameter(np.zeros(2))
    adam, adamw = Adam([w]), AdamW([w])
    assert adam.param_groups[0]["lr"] == 1e-3 and adam.param_groups[0]["betas"] == (0.9, 0.999)
    assert adam.param_groups[0]["eps"] == 1e-8 and adam.param_groups[0]["weight_decay"] == 0
    assert adamw.param_groups[0]["weight_decay"] == 1e-2


@pytest.mark.parametrize(
    "make",
    [
        lambda p: SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
        lambda p: Adam(p, lr=0.1),
        lambda p: AdamW(p, lr=0.1),
    ],
    ids=["sgd", "adam", "adamw"],
)
def test_float32_parameters_and_state_stay_float32(make):
    w = nn.Parameter(W0.astype(np.float32))
    opt = make([w])
    for _ in range(3):
        opt.zero_grad()
        (w * w * np.float32(0.5)).sum().backward()
        opt.step()
        assert w.dtype == np.float32
    for value in opt.state[w].values():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32


def test_params_without_grad_are_skipped_and_updates_rebind_the_data():
    used, unused = nn.Parameter(np.ones(3)), nn.Parameter(np.ones(3))
    opt = Adam([used, unused], lr=0.1)
    (used * 2).sum().backward()
    before_used, before_unused = used.data, unused.data
    opt.step()
    assert unused.data is before_unused and unused not in opt.state
    assert used.data is not before_used
    np.testing.assert_array_equal(before_used, np.ones(3))  # the old array is untouched
    assert not used.data.flags.writeable


def test_a_step_between_forward_and_backward_does_not_corrupt_the_gradient():
    for make in (lambda p: SGD(p, lr=0.5, momentum=0.9), lambda p: Adam(p, lr=0.5)):
        w = nn.Parameter(np.array([1.0, -2.0, 3.0]))
        opt = make([w])
        (w * w).sum().backward()  # a first gradient, so the step moves w
        w_at_forward = w.data.copy()
        loss = (w * w * w).sum()  # forward at w_at_forward
        opt.step()
        assert not np.array_equal(w.data, w_at_forward)
        opt.zero_grad()
        loss.backward()
        np.testing.assert_allclose(w.grad.data, 3 * w_at_forward**2)


def test_optimises_module_parameters_and_param_groups():
    model = nn.Linear(3, 1, rng=0, dtype=np.float64)
    opt = SGD(
        [{"params": [model.weight]}, {"params": [model.bias], "lr": 0.0}], lr=0.1, momentum=0.9
    )
    bias_before = model.bias.data.copy()
    x = np.random.default_rng(0).normal(size=(8, 3))
    for _ in range(3):
        opt.zero_grad()
        ((model(x) - 1.0) ** 2).mean().backward()
        opt.step()
    np.testing.assert_array_equal(model.bias.data, bias_before)
    opt.param_groups[1]["lr"] = 0.1
    opt.step()
    assert not np.array_equal(model.bias.data, bias_before)
    opt.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_a_closure_is_evaluated_and_its_loss_returned():
    w = nn.Parameter(np.array([2.0]))
    opt = SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with no_grad():
        loss = opt.step(closure)
    assert loss.item() == 4.0 and w.data.tolist() == [1.0]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: SGD(p, lr=-0.1), "lr must be a number >= 0"),
        (lambda p: SGD(p, lr=0.1, momentum=-1), "momentum must be"),
        (lambda p: SGD(p, lr=0.1, nesterov=True), "Nesterov momentum needs momentum > 0"),
        (lambda p: SGD(p, lr=0.1, weight_decay=-1e-3), "weight_decay must be"),
        (lambda p: Adam(p, lr=float("nan")), "lr must be"),
        (lambda p: Adam(p, betas=(0.9, 1.0)), "betas must be two numbers in \\[0, 1\\)"),
        (lambda p: AdamW(p, eps=-1.0), "eps must be"),
        (lambda p: SGD([], lr=0.1), "empty parameter list"),
    ],
)
def test_invalid_settings_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make([nn.Parameter(np.zeros(2))])


def test_only_leaf_tensors_that_require_grad_are_accepted():
    w = nn.Parameter(np.zeros(2))
    with pytest.raises(ValueError, match="leaf tensors that require grad"):
        SGD([w * 2], lr=0.1)
    with pytest.raises(ValueError, match="leaf tensors that require grad"):
        SGD([Tensor(np.zeros(2))], lr=0.1)
    with pytest.raises(TypeError, match="single Tensor"):
        SGD(w, lr=0.1)
    with pytest.raises(TypeError, match="only optimise Tensors"):
        SGD([np.zeros(2)], lr=0.1)
