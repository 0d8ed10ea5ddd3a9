"""RMSprop and Adagrad against PyTorch's update rules written out in NumPy; the
learning-rate schedulers against their closed forms; gradient clipping."""

import math

import numpy as np
import pytest

import nn
from nn.optim import SGD, Adagrad, Adam, RMSprop
from nn.optim import lr_scheduler as S
from tests.nn.test_optim import W0, grad_of, run

# ---- RMSprop and Adagrad --------------------------------------------------------------------


def reference_rmsprop(lr, alpha, eps, weight_decay, momentum, centered, steps=5):
    w, s, a, buf, out = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), np.zeros_like(W0), []
    for _ in range(steps):
        g = grad_of(w) + weight_decay * w
        s = alpha * s + (1 - alpha) * g * g
        if centered:
            a = alpha * a + (1 - alpha) * g
            d = np.sqrt(s - a * a) + eps
        else:
            d = np.sqrt(s) + eps
        if momentum:
            buf = momentum * buf + g / d
            w = w - lr * buf
        else:
            w = w - lr * g / d
        out.append(w)
    return out


def reference_adagrad(lr, lr_decay, weight_decay, initial, eps, steps=5):
    w, s, out = W0.copy(), np.full_like(W0, initial), []
    for t in range(1, steps + 1):
        g = grad_of(w) + weight_decay * w
        s = s + g * g
        w = w - lr / (1 + (t - 1) * lr_decay) * g / (np.sqrt(s) + eps)
        out.append(w)
    return out


@pytest.mark.parametrize(
    "settings",
    [
        dict(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False),
        dict(lr=0.02, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.8, centered=True),
        dict(lr=0.02, alpha=0.5, eps=1e-8, weight_decay=0.0, momentum=0.5, centered=False),
    ],
)
def test_rmsprop_matches_pytorchs_rule(settings):
    got = run(lambda p: RMSprop(p, **settings))
    for a, b in zip(got, reference_rmsprop(**settings), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize(
    "settings",
    [
        dict(lr=0.01, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10),
        dict(lr=0.1, lr_decay=0.2, weight_decay=0.3, initial_accumulator_value=0.5, eps=1e-6),
    ],
)
def test_adagrad_matches_pytorchs_rule(settings):
    got = run(lambda p: Adagrad(p, **settings))
    values = list(settings.values())
    for a, b in zip(got, reference_adagrad(*values), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_rmsprop_and_adagrad_defaults_and_float32():
    assert RMSprop([nn.Parameter(W0)]).defaults == dict(
        lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False
    )
    assert Adagrad([nn.Parameter(W0)]).defaults == dict(
        lr=0.01, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10
    )
    for make in (lambda p: RMSprop(p, momentum=0.9, centered=True), Adagrad):
        assert run(make, steps=2, dtype=np.float32)[-1].dtype == np.float32
    with pytest.raises(ValueError, match=r"RMSprop: alpha is a smoothing constant in \[0, 1\]"):
        RMSprop([nn.Parameter(W0)], alpha=1.5)
    with pytest.raises(ValueError, match="Adagrad: lr_decay must be a number >= 0"):
        Adagrad([nn.Parameter(W0)], lr_decay=-1)


# ---- schedulers -------------------------------------------------------------------------------


def rates(make_scheduler, steps=40, lr=0.5, optimizer=SGD):
    """The learning rate at epochs 0, 1, ..., steps (one optimiser step between)."""
    opt = optimizer([nn.Parameter(np.zeros(2))], lr=lr)
    scheduler = make_scheduler(opt)
    out = [scheduler.get_last_lr()[0]]
    assert out[0] == opt.param_groups[0]["lr"]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        out.append(scheduler.get_last_lr()[0])
    return np.array(out), opt


T = np.arange(41)

CLOSED_FORMS = {
    "StepLR": (lambda o: S.StepLR(o, step_size=7, gamma=0.5), 0.5 * 0.5 ** (T // 7)),
    "MultiStepLR": (
        lambda o: S.MultiStepLR(o, milestones=[3, 10, 10, 25], gamma=0.3),
        0.5 * 0.3 ** np.array([sum(m <= t for m in (3, 10, 10, 25)) for t in T]),
    ),
    "ExponentialLR": (lambda o: S.ExponentialLR(o, gamma=0.9), 0.5 * 0.9**T),
    "CosineAnnealingLR": (
        lambda o: S.CosineAnnealingLR(o, T_max=8, eta_min=0.01),
        0.01 + (0.5 - 0.01) * (1 + np.cos(np.pi * T / 8)) / 2,
    ),
    "LambdaLR": (lambda o: S.LambdaLR(o, lambda t: 1 / (1 + t)), 0.5 / (1 + T)),
}


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_schedulers_follow_their_closed_forms(name):
    make, expected = CLOSED_FORMS[name]
    got, _ = rates(make)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def one_cycle_closed_form(t, total, max_lr, pct, div, final_div, three_phase=False):
    start, low = max_lr / div, max_lr / div / final_div

    def cos(a, b, p):
        return b + (a - b) / 2 * (math.cos(math.pi * p) + 1)

    up = pct * total - 1
    if t <= up:
        return cos(start, max_lr, t / up)
    if three_phase:
        down = 2 * pct * total - 2
        if t <= down:
            return cos(max_lr, start, (t - up) / (down - up))
        return cos(start, low, (t - down) / (total - 1 - down))
    return cos(max_lr, low, (t - up) / (total - 1 - up))


@pytest.mark.parametrize("three_phase", [False, True])
def test_one_cycle_follows_its_closed_form_and_cycles_momentum(three_phase):
    got, opt = rates(
        lambda o: S.OneCycleLR(o, max_lr=2.0, total_steps=41, three_phase=three_phase), steps=40
    )
    expected = [one_cycle_closed_form(t, 41, 2.0, 0.3, 25.0, 1e4, three_phase) for t in T]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert 1.99 < got.max() <= 2.0 and got[0] == pytest.approx(2.0 / 25)
    assert got[-1] == pytest.approx(2.0 / 25 / 1e4)
    assert opt.param_groups[0]["momentum"] == pytest.approx(0.95)  # back to max_momentum
    scheduler = S.OneCycleLR(SGD([nn.Parameter(np.zeros(1))], lr=1), 1.0, total_steps=41)
    for _ in range(41):
        scheduler.step()
    with pytest.raises(ValueError, match="stepped 42 times, more than total_steps = 41"):
        scheduler.step()


def test_one_cycle_with_adam_moves_beta1():
    opt = Adam([nn.Parameter(np.zeros(2))], lr=0.1)
    scheduler = S.OneCycleLR(opt, max_lr=0.01, epochs=2, steps_per_epoch=5)
    assert opt.param_groups[0]["betas"] == (0.95, 0.999)
    for _ in range(3):
        opt.step()
        scheduler.step()
    beta1 = opt.param_groups[0]["betas"][0]
    assert 0.85 <= beta1 < 0.95 and opt.param_groups[0]["betas"][1] == 0.999


def test_reduce_on_plateau():
    opt = SGD([nn.Parameter(np.zeros(2))], lr=1.0)
    scheduler = S.ReduceLROnPlateau(opt, factor=0.5, patience=2, cooldown=1, min_lr=0.2)
    metrics = [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    seen = []
    for m in metrics:
        scheduler.step(m)
        seen.append(scheduler.get_last_lr()[0])
    # Best 0.9 at epoch 2; the third epoch after it without improvement (more than
    # patience = 2) halves the rate at epoch 5; epoch 6 is the cooldown; 0.5 at epoch 9 is
    # the new best, and epochs 10, 11, 12 without improvement halve the rate again.
    assert seen == [1.0] * 4 + [0.5] * 7 + [0.25] * 4
    for _ in range(10):
        scheduler.step(0.5)
    assert scheduler.get_last_lr() == [0.2]  # min_lr


def test_chained_schedulers_multiply_as_in_pytorch():
    opt = SGD([nn.Parameter(np.zeros(2))], lr=1.0)
    a, b = S.ExponentialLR(opt, gamma=0.9), S.StepLR(opt, step_size=2, gamma=0.1)
    for _ in range(4):
        opt.step()
        a.step()
        b.step()
    assert b.get_last_lr()[0] == pytest.approx(0.9**4 * 0.1**2)


def test_a_scheduler_needs_an_optimiser_with_a_learning_rate():
    class NoRate(nn.optim.Optimizer):
        def __init__(self, params):
            super().__init__(params, {"momentum": 0.9})

    with pytest.raises(TypeError, match=r"StepLR: parameter group 0 of NoRate has no learning"):
        S.StepLR(NoRate([nn.Parameter(np.zeros(1))]), step_size=1)
    with pytest.raises(TypeError, match="CosineAnnealingLR: expected an optimiser such as"):
        S.CosineAnnealingLR([nn.Parameter(np.zeros(1))], T_max=3)
    with pytest.raises(ValueError, match="ReduceLROnPlateau: factor must be < 1"):
        S.ReduceLROnPlateau(SGD([nn.Parameter(np.zeros(1))], lr=1), factor=2.0)


# ---- clipping ----------------------------------------------------------------------------------


def with_grads(*grads):
    params = [nn.Parameter(np.zeros_like(g)) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = g
    return params


def test_clip_grad_norm_scales_to_max_norm_and_returns_the_total():
    g1, g2 = np.array([3.0, 4.0, 1.0]), np.array([[-2.0, 7.0]])
    total = math.sqrt((g1**2).sum() + (g2**2).sum())
    params = with_grads(g1, g2)
    norm = nn.utils.clip_grad_norm_(params, max_norm=5.0)
    assert norm.item() == pytest.approx(total)
    coef = 5.0 / (total + 1e-6)
    np.testing.assert_allclose(params[0].grad.data, g1 * coef)
    np.testing.assert_allclose(params[1].grad.data, g2 * coef)
    small = with_grads(g1 * 0.01)
    nn.utils.clip_grad_norm_(iter(small), 5.0)  # below the limit: unchanged
    np.testing.assert_array_equal(small[0].grad.data, g1 * 0.01)
    params = with_grads(g1, g2)
    assert nn.utils.clip_grad_norm_(params, 1.0, norm_type=math.inf).item() == 7.0
    np.testing.assert_allclose(params[1].grad.data, g2 / (7 + 1e-6))


def test_clip_grad_norm_nonfinite_and_clip_grad_value():
    params = with_grads(np.array([np.nan, 1.0]))
    with pytest.raises(RuntimeError, match="clip_grad_norm_: the total 2.0-norm .* is nan"):
        nn.utils.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    params = with_grads(np.array([-3.0, 0.2, 5.0], np.float32))
    nn.utils.clip_grad_value_(params, 1.0)
    np.testing.assert_array_equal(params[0].grad.data, np.array([-1.0, 0.2, 1.0], np.float32))
    assert params[0].grad.dtype == np.float32
