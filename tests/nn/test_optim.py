"""Optimisers against PyTorch's update formulas written out in NumPy."""

import re

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
    before_used, before_unused = used.numpy(), unused.numpy()
    opt.step()
    assert unused.numpy() is before_unused and unused not in opt.state
    assert used.numpy() is not before_used
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


def test_a_parameter_in_two_groups_is_refused():
    w, b = nn.Parameter(np.zeros((2, 3))), nn.Parameter(np.zeros(3))
    message = r"parameter of shape \(2, 3\) is in parameter group 0 and again in parameter group 1"
    with pytest.raises(ValueError, match=message):
        SGD([{"params": [w]}, {"params": [b, w], "lr": 0.5}], lr=0.1)
    opt = Adam([{"params": [w]}, {"params": [b]}])
    with pytest.raises(ValueError, match=r"shape \(3,\) is in parameter group 1 and again in "
                                         r"parameter group 2"):  # fmt: skip
        opt.add_param_group({"params": [b]})
    assert len(opt.param_groups) == 2  # the refused group was not added
    # listed twice within one group: kept once, so it is updated once per step
    assert SGD([w, w, b], lr=0.1).param_groups[0]["params"] == [w, b]


@pytest.mark.parametrize(
    "groups, kind, message",
    [
        ([{"params": []}, {"lr": 0.1}], ValueError, 'group 1 has no "params" entry'),
        ([{"lr": 0.1}], ValueError, 'each group needs a "params" entry'),
        ([{"params": None}], TypeError, '"params" entry of parameter group 0 must be'),
        ([{"params": []}, "w"], TypeError, "parameter group 1 is a str"),
        ([W0, {"params": []}], TypeError, "parameter group 0 is a ndarray; when groups"),
    ],
    ids=["second-without-params", "only-without-params", "params-None", "str", "mixed"],
)
def test_a_malformed_group_is_refused(groups, kind, message):
    with pytest.raises(kind, match=message):
        SGD(groups, lr=0.1)


@pytest.mark.parametrize("cls", [Adam, AdamW])
@pytest.mark.parametrize(
    "betas, kind, message",
    [
        ("ab", TypeError, r"got 'ab' \(str\)"),
        (0.9, TypeError, r"got 0.9 \(float\)"),
        (None, TypeError, r"got None \(NoneType\)"),
        (("a", 0.9), TypeError, r"got \('a', 0.9\), whose beta1 is a str"),
        ((0.9,), ValueError, r"got \(0.9,\), which holds 1 value"),
        ((0.9, 0.99, 0.999), ValueError, "which holds 3 values?"),
        ((-0.1, 0.9), ValueError, r"whose beta1 -0.1 is outside \[0, 1\)"),
        ((0.9, 1.5), ValueError, r"whose beta2 1.5 is outside \[0, 1\)"),
        ((0.9, float("nan")), ValueError, "whose beta2 nan is outside"),
    ],
    ids=["str", "float", "None", "str-beta", "one", "three", "negative", "1.5", "nan"],
)
def test_malformed_betas_are_refused_with_the_value_and_what_is_expected(cls, betas, kind, message):
    with pytest.raises(kind) as err:
        cls([nn.Parameter(np.zeros(2))], betas=betas)
    text = str(err.value)
    assert text.startswith(f"{cls.__name__}: betas must be two numbers in [0, 1)"), text
    assert re.search(message, text), text


@pytest.mark.parametrize(
    "make, kind, message",
    [
        (lambda p: SGD(p, lr="0.1"), TypeError, r"SGD: lr must be a number >= 0; got '0.1'"),
        (lambda p: SGD(p, lr=True), TypeError, r"lr must be .*got True \(bool\)"),
        (lambda p: SGD(p, lr=float("inf")), ValueError, "lr must be a number >= 0 and finite"),
        (lambda p: SGD(p, lr=0.1, momentum="0.9"), TypeError, "SGD: momentum must be"),
        (lambda p: SGD(p, lr=0.1, momentum=None, nesterov=True), TypeError, "momentum must"),
        (lambda p: SGD(p, lr=0.1, dampening=-0.5), ValueError, "dampening must be"),
        (lambda p: Adam(p, eps=None), TypeError, r"Adam: eps must be .*got None"),
        (lambda p: Adam(p, eps=float("nan")), ValueError, "Adam: eps must be"),
        (lambda p: AdamW(p, weight_decay="1e-2"), TypeError, "AdamW: weight_decay must be"),
        (lambda p: AdamW(p, weight_decay=float("inf")), ValueError, "weight_decay must be"),
    ],
    ids=[
        "lr-str",
        "lr-bool",
        "lr-inf",
        "momentum-str",
        "momentum-None-nesterov",
        "dampening-negative",
        "eps-None",
        "eps-nan",
        "weight_decay-str",
        "weight_decay-inf",
    ],
)
def test_settings_that_are_not_finite_numbers_are_refused(make, kind, message):
    with pytest.raises(kind, match=message):
        make([nn.Parameter(np.zeros(2))])


def test_a_bad_setting_in_a_group_names_the_group():
    w, b = nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(2))
    with pytest.raises(ValueError, match=r"lr must be .* \(in parameter group 1\); got -1"):
        SGD([{"params": [w]}, {"params": [b], "lr": -1}], lr=0.1)
    with pytest.raises(ValueError, match=r"betas must be .* \(in parameter group 1\)"):
        Adam([{"params": [w]}, {"params": [b], "betas": (0.9, 1.0)}])
    with pytest.raises(ValueError, match=r"Nesterov .* \(in parameter group 0\); got momentum=0"):
        SGD([{"params": [w], "momentum": 0}], lr=0.1, momentum=0.9, nesterov=True)
