"""Wrong or missing gradients at special points, and the resource bugs of backward.
Each test failed before its fix."""

import threading

import numpy as np
import pytest

import nn.functional as F
import ops
from autograd_core import Tensor, grad
from tests.helpers import check_grads


def _grads(f, *values):
    xs = [Tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for v in values]
    return [g.numpy() for g in grad(f(*xs), xs)]


def test_x_to_the_zero_has_gradient_zero_at_zero():
    (g,) = _grads(lambda x: (x**0).sum(), [0.0, 2.0])
    np.testing.assert_array_equal(g, [0.0, 0.0])


def test_derivatives_of_x_to_the_k_past_the_kth_are_zero_at_zero():
    x = Tensor(0.0, requires_grad=True)
    y = x**3
    orders = []
    for _ in range(5):
        (y,) = grad(y, [x], create_graph=True)
        orders.append(y.item())
    assert orders == [0.0, 0.0, 6.0, 0.0, 0.0]


def test_zero_to_a_negative_power_has_exponent_gradient_minus_inf_as_pytorch():
    base = Tensor(0.0)
    e = Tensor(-1.5, requires_grad=True)
    with np.errstate(divide="ignore"):
        y = base**e
    (g,) = grad(y, [e])
    assert g.item() == -np.inf
    z = Tensor(2.0, requires_grad=True)
    (g0,) = grad(Tensor(0.0) ** z, [z])  # 0^b for b > 0: constant 0 near b
    assert g0.item() == 0.0


def test_clip_with_tensor_bounds_sends_them_their_gradient():
    x = np.array([-2.0, 0.5, 3.0])
    lo, hi = np.array([-1.0, -1.0, -1.0]), np.array([1.0, 1.0, 1.0])
    gx, glo, ghi = _grads(lambda x, lo, hi: ops.clip(x, lo, hi).sum(), x, lo, hi)
    np.testing.assert_array_equal(gx, [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(glo, [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(ghi, [0.0, 0.0, 1.0])
    check_grads(lambda x, lo: ops.clip(x, lo, 2.0), np.array([-2.0, 0.5, 3.0]), np.array(-1.0))


def test_a_gradient_seed_with_none_in_it_is_refused():
    y = Tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(TypeError, match=r"backward\(\): the gradient given .* holds object"):
        y.backward(grad=[1.0, None])


def test_var_with_ddof_at_least_n_is_inf_or_nan_as_numpy():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(RuntimeWarning):
        assert ops.var(x, ddof=2).item() == np.inf
    with pytest.warns(RuntimeWarning):
        assert ops.var(x, ddof=3).item() == np.inf
    with pytest.warns(RuntimeWarning):
        assert np.isnan(ops.var(Tensor([1.0, 1.0]), ddof=2).item())


@pytest.mark.parametrize("axis", [0, -1, (0,)])
def test_reductions_and_softmax_of_a_0d_tensor_over_axis_0(axis):
    x = Tensor(2.0, requires_grad=True)
    y = x.sum(axis=axis)
    y.backward()
    assert y.item() == 2.0 and x.grad.item() == 1.0
    for f in (F.softmax, F.log_softmax):
        (g,) = grad(f(x, axis=axis) * 3, [x])
        assert g.item() == 0.0


@pytest.mark.parametrize(
    "make",
    [lambda t: t * 1j, lambda t: t**0.5j, lambda t: t + np.array([1j]), lambda t: ops.exp(1j * t)],
    ids=["times-1j", "power-imaginary", "plus-complex-array", "exp-complex"],
)
def test_complex_values_cannot_leak_in_through_arithmetic(make):
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="complex values are not supported"):
        make(t)


def test_concurrent_backward_calls_on_a_shared_leaf_lose_no_update():
    w = Tensor(np.ones(4), requires_grad=True)
    barrier = threading.Barrier(8)

    def work():
        barrier.wait()
        for _ in range(150):
            (w * 1.0).sum().backward()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    np.testing.assert_array_equal(w.grad.numpy(), np.full(4, 1200.0))


@pytest.mark.parametrize("join", [ops.stack, ops.concatenate])
def test_joining_many_inputs_runs_one_vjp_for_all_of_them(join, monkeypatch):
    """Backward of stack/concatenate is linear in the number of inputs: one vjp call per
    node, not one per input (each of which received every input)."""
    op = join(
        [Tensor(np.ones(1), requires_grad=True), Tensor(np.ones(1), requires_grad=True)]
    )._node.op
    calls = []
    (vjp,) = op.vjps

    def counted(*args, **kwargs):
        calls.append(len(args))
        return vjp(*args, **kwargs)

    monkeypatch.setattr(op, "vjps", (counted,))
    leaves = [Tensor(np.full(1, float(k)), requires_grad=True) for k in range(20_000)]
    out = join(leaves)
    (out * np.arange(out.size).reshape(out.shape)).sum().backward()
    assert len(calls) == 1
    assert [leaves[k].grad.item() for k in (0, 7, 19_999)] == [0.0, 7.0, 19_999.0]


def _train(table: Tensor, seed: int, steps: int) -> list[np.ndarray]:
    """One small model trained on rows of a frozen, shared embedding table."""
    import nn

    rng = np.random.default_rng(seed)
    model = nn.Linear(8, 1, rng=np.random.default_rng(seed + 100))
    opt = nn.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    target = rng.normal(size=(16, 1))
    for _ in range(steps):
        rows = table[rng.integers(0, table.shape[0], 16)]
        loss = ((model(rows) - target) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return [p.numpy().copy() for p in model.parameters()] + [
        p.grad.numpy().copy() for p in model.parameters()
    ]


def test_eight_threads_training_separate_models_on_one_frozen_table_stay_exact():
    table = Tensor(np.random.default_rng(0).normal(size=(50, 8)))  # shared, frozen
    results: dict[int, list[np.ndarray]] = {}
    barrier = threading.Barrier(8)

    def work(seed: int) -> None:
        barrier.wait()
        results[seed] = _train(table, seed, 500)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == list(range(8))
    for seed in range(8):  # the same training alone, in this thread: bit for bit
        for got, alone in zip(results[seed], _train(table, seed, 500), strict=True):
            np.testing.assert_array_equal(got, alone)
    assert table.grad is None and not table.requires_grad


def test_a_loss_kept_after_backward_holds_only_its_own_value():
    """`losses.append(loss)` for every step: each kept loss holds its value and the
    structure of its graph (a node per op), not the activations behind it."""
    import tracemalloc

    import nn

    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 10))
    x, target = rng.normal(size=(64, 32)), rng.integers(0, 10, 64)
    losses = []

    def step() -> None:
        loss = F.cross_entropy(model(x), target)
        model.zero_grad()
        loss.backward()
        losses.append(loss)

    for _ in range(20):
        step()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(200):
        step()
    per_step = (tracemalloc.get_traced_memory()[0] - before) / 200
    tracemalloc.stop()
    activations = 64 * (64 + 64 + 10 + 10) * 8  # one step's activations, in bytes
    assert per_step < activations / 10, f"{per_step:.0f} bytes kept per step"
    h = model[0](x)  # a tensor the user holds stays itself in the freed graph
    y = F.relu(h).sum()
    y.backward()
    assert y._node.parents[0]._node.parents[0] is h


@pytest.mark.parametrize("shape_in, shape_w", [((2, 0), (3, 0)), ((2, 4), (0, 4))])
def test_linear_with_zero_input_or_output_features(shape_in, shape_w):
    x = Tensor(np.ones(shape_in), requires_grad=True)
    w = Tensor(np.ones(shape_w), requires_grad=True)
    b = Tensor(np.zeros(shape_w[0]), requires_grad=True)
    y = F.linear(x, w, b)
    assert y.shape == (shape_in[0], shape_w[0])
    (y.sum() + 0.0).backward()
    assert x.grad.shape == shape_in and w.grad.shape == shape_w
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros(shape_in))
    np.testing.assert_array_equal(b.grad.numpy(), np.full(shape_w[0], shape_in[0]))


@pytest.mark.parametrize("f", [F.softmax, F.log_softmax], ids=["softmax", "log_softmax"])
def test_softmax_over_an_empty_axis_a_bad_axis_and_tuple_axes(f):
    x = Tensor(np.ones((3, 0)), requires_grad=True)
    y = f(x)
    assert y.shape == (3, 0)
    y.sum().backward()
    assert x.grad.shape == (3, 0)
    with pytest.raises(np.exceptions.AxisError, match=rf"{f.__name__}: axis=3 does not fit"):
        f(np.ones((2, 3)), axis=3)
    z = np.arange(6.0).reshape(2, 3)
    expected = np.exp(z) / np.exp(z).sum()
    out = f(z, axis=(0, 1)).numpy()
    np.testing.assert_allclose(out if f is F.softmax else np.exp(out), expected, rtol=1e-12)


@pytest.mark.parametrize(
    "call, kind, words",
    [
        (lambda: Tensor([1.0]) + None, TypeError, ("add: cannot apply to (Tensor, NoneType)",)),
        (lambda: Tensor([1.0]) + "a", TypeError, ("add: cannot apply to (Tensor, str)",)),
        (lambda: F.leaky_relu(np.ones(2), "0.1"), TypeError, ("leaky_relu", "negative_slope")),
        (
            lambda: ops.pad(np.ones((0, 3)), 1, mode="reflect"),
            ValueError,
            ("pad: mode 'reflect'", "axis 0", "mode='constant'"),
        ),
        (
            lambda: __import__("nn").Conv2d(2, 3, -1),
            ValueError,
            ("Conv2d", "kernel_size must be >= 1", "-1"),
        ),
    ],
    ids=["plus-none", "plus-str", "slope-str", "reflect-empty", "conv-negative-kernel"],
)
def test_bad_operands_get_messages_that_name_the_op(call, kind, words):
    with pytest.raises(kind) as err:
        call()
    for w in words:
        assert w in str(err.value)
