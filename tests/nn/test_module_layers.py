"""The layer Modules: each matches its functional form, has PyTorch's parameter names,
layouts and default initialisation, and checks its input with a clear error."""

import math

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Tensor

R = np.random.default_rng(0)
X4 = R.normal(size=(2, 3, 6, 6))
X2 = R.normal(size=(4, 5))
P = R.uniform(0.05, 0.95, size=(4, 5))
Y01 = (R.uniform(size=(4, 5)) > 0.5).astype(np.float64)

# (module, the same computation written with nn.functional, inputs)
CASES = [
    (nn.ReLU(), F.relu, (X2,)),
    (nn.LeakyReLU(0.2), lambda x: F.leaky_relu(x, 0.2), (X2,)),
    (nn.Tanh(), F.tanh, (X2,)),
    (nn.Sigmoid(), F.sigmoid, (X2,)),
    (nn.Abs(), F.abs, (X2,)),
    (nn.Power(2.0, scale=0.5, shift=3.0), lambda x: F.power(x, 2.0, 0.5, 3.0), (X2,)),
    (nn.Softmax(axis=0), lambda x: F.softmax(x, axis=0), (X2,)),
    (nn.LogSoftmax(), F.log_softmax, (X2,)),
    (nn.MaxPool2d(2), lambda x: F.max_pool2d(x, 2), (X4,)),
    (nn.MaxPool2d(3, stride=2, padding=1), lambda x: F.max_pool2d(x, 3, 2, 1), (X4,)),
    (nn.AvgPool2d(2, padding=1), lambda x: F.avg_pool2d(x, 2, 2, 1), (X4,)),
    (nn.AvgUnpool2d(2), lambda x: F.avg_unpool2d(x, 2), (X4,)),
    (nn.InstanceNorm2d(3), F.instance_norm, (X4,)),
    (nn.Pad(((0, 0), (0, 0), (1, 2), (2, 1)), mode="reflect"),
     lambda x: F.pad(x, ((0, 0), (0, 0), (1, 2), (2, 1)), mode="reflect"), (X4,)),
    (nn.Crop(1, 2, 3, 2), lambda x: F.crop(x, 1, 2, 3, 2), (X4,)),
    (nn.EuclideanLoss(), F.euclidean_loss, (X2, P)),
    (nn.MSELoss(reduction="sum"), lambda x, y: F.mse_loss(x, y, reduction="sum"), (X2, P)),
    (nn.CrossEntropyLoss(), F.cross_entropy, (X2, np.array([0, 4, 2, 1]))),
    (nn.NLLLoss(reduction="none"), lambda x, t: F.nll_loss(x, t, reduction="none"),
     (X2, np.array([0, 4, 2, 1]))),
    (nn.BCELoss(), F.binary_cross_entropy, (P, Y01)),
    (nn.BCEWithLogitsLoss(reduction="none"),
     lambda z, y: F.binary_cross_entropy_with_logits(z, y, reduction="none"), (X2, Y01)),
    (nn.TotalVariation(eps=1e-3), lambda x: F.total_variation(x, eps=1e-3), (X4,)),
    (nn.GramMatrix(), F.gram_matrix, (X4,)),
    (nn.Identity(), lambda x: x, (X2,)),
]  # fmt: skip


@pytest.mark.parametrize("module, function, inputs", CASES, ids=lambda c: type(c).__name__)
def test_module_matches_the_function_it_wraps(module, function, inputs):
    args = [Tensor(a, requires_grad=a.dtype.kind == "f") for a in inputs]
    got = module(*args)
    want = function(*args)
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-12)
    got.sum().backward()
    assert args[0].grad is not None


def test_max_unpool_undoes_max_pool_with_indices():
    pool, unpool = nn.MaxPool2d(2, return_indices=True), nn.MaxUnpool2d(2)
    y, idx = pool(Tensor(X4))
    restored = unpool(y, idx)
    assert restored.shape == X4.shape
    want = F.max_unpool2d(*F.max_pool2d(X4, 2, return_indices=True), 2)
    np.testing.assert_array_equal(restored.data, want.data)


@pytest.mark.parametrize(
    "module, names_and_shapes",
    [
        (nn.Linear(5, 3), {"weight": (3, 5), "bias": (3,)}),
        (nn.Linear(5, 3, bias=False), {"weight": (3, 5)}),
        (nn.Conv2d(4, 6, 3, groups=2), {"weight": (6, 2, 3, 3), "bias": (6,)}),
        (nn.Conv2d(4, 6, (3, 5), bias=False), {"weight": (6, 4, 3, 5)}),
        (nn.ConvTranspose2d(4, 6, 3, groups=2), {"weight": (4, 3, 3, 3), "bias": (6,)}),
        (nn.BatchNorm2d(7), {"weight": (7,), "bias": (7,)}),
        (nn.BatchNorm1d(7, affine=False), {}),
        (nn.LayerNorm((2, 3)), {"weight": (2, 3), "bias": (2, 3)}),
        (nn.InstanceNorm2d(3, affine=True), {"weight": (3,), "bias": (3,)}),
    ],
    ids=lambda c: repr(c) if isinstance(c, nn.Module) else "",
)
def test_parameter_names_and_layouts_follow_pytorch(module, names_and_shapes):
    got = {name: p.shape for name, p in module.named_parameters()}
    assert got == names_and_shapes
    assert all(p.dtype == np.float32 for p in module.parameters())


def test_batch_norm_buffers_follow_pytorch():
    bn = nn.BatchNorm2d(3)
    state = bn.state_dict()
    assert list(state) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    assert state["num_batches_tracked"].shape == () and state["num_batches_tracked"] == 0
    np.testing.assert_array_equal(state["running_var"], np.ones(3))
    assert list(nn.BatchNorm1d(3, track_running_stats=False).state_dict()) == ["weight", "bias"]


@pytest.mark.parametrize(
    "make, fan_in",
    [
        (lambda rng: nn.Linear(200, 300, rng=rng), 200),
        (lambda rng: nn.Conv2d(8, 64, 3, groups=2, rng=rng), 4 * 9),
        (lambda rng: nn.ConvTranspose2d(16, 40, 3, groups=4, rng=rng), 10 * 9),
    ],
)
def test_default_init_is_pytorchs_uniform_and_seedable(make, fan_in):
    layer = make(0)
    bound = 1 / math.sqrt(fan_in)  # kaiming_uniform(a=sqrt(5)) and the bias rule agree
    w, b = layer.weight.data, layer.bias.data
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.95 * bound  # uses the whole range
    assert w.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)
    np.testing.assert_array_equal(make(0).weight.data, w)
    assert not np.array_equal(make(1).weight.data, w)
    generator = np.random.default_rng(5)
    assert not np.array_equal(make(generator).weight.data, make(generator).weight.data)


def test_linear_and_conv_compute_with_their_parameters():
    lin = nn.Linear(5, 3, rng=0, dtype=np.float64)
    np.testing.assert_allclose(lin(X2).data, X2 @ lin.weight.data.T + lin.bias.data)
    conv = nn.Conv2d(3, 4, 3, stride=2, padding=1, rng=0, dtype=np.float64)
    want = F.conv2d(X4, conv.weight, conv.bias, stride=2, padding=1)
    np.testing.assert_allclose(conv(X4).data, want.data)
    up = nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1, rng=0)
    assert up(Tensor(X4.astype(np.float32))).shape == (2, 2, 12, 12)


def test_layers_name_themselves_and_the_shapes_in_errors():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU())
    with pytest.raises(ValueError, match=r"Linear '0' \(in_features=4\).*\(2, 5\)"):
        model(np.zeros((2, 5), np.float32))
    with pytest.raises(ValueError, match=r"Conv2d \(in_channels=3\).*\(2, 4, 6, 6\)"):
        nn.Conv2d(3, 4, 3)(np.zeros((2, 4, 6, 6)))
    with pytest.raises(ValueError, match=r"BatchNorm2d \(num_features=3\).*\(2, 4, 6, 6\)"):
        nn.BatchNorm2d(3)(np.zeros((2, 4, 6, 6)))
    with pytest.raises(ValueError, match="trailing axes are \\(5,\\)"):
        nn.LayerNorm(5)(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="reduction must be"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(np.zeros((1, 3)))


def test_flatten():
    x = Tensor(X4, requires_grad=True)
    assert nn.Flatten()(x).shape == (2, 108)
    assert nn.Flatten(0, 1)(x).shape == (6, 6, 6)
    assert nn.Flatten(start_dim=2)(x).shape == (2, 3, 36)
    nn.Flatten()(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.ones_like(X4))
    with pytest.raises(ValueError, match="do not select"):
        nn.Flatten(3, 1)(x)


# ---- BatchNorm: running statistics -----------------------------------------------------


def test_batch_norm_train_mode_uses_batch_stats_and_updates_running_stats():
    bn = nn.BatchNorm2d(3, momentum=0.1, dtype=np.float64)
    x1, x2 = R.normal(2.0, 3.0, size=(4, 3, 5, 5)), R.normal(-1.0, 0.5, size=(4, 3, 5, 5))
    y = bn(Tensor(x1))
    mean = x1.mean(axis=(0, 2, 3))
    var = x1.var(axis=(0, 2, 3))
    want = (x1 - mean[:, None, None]) / np.sqrt(var[:, None, None] + 1e-5)
    np.testing.assert_allclose(y.data, want, atol=1e-12)
    n = 4 * 5 * 5
    running_mean = 0.9 * 0 + 0.1 * mean
    running_var = 0.9 * 1 + 0.1 * var * n / (n - 1)  # unbiased for the running estimate
    np.testing.assert_allclose(bn.running_mean, running_mean)
    np.testing.assert_allclose(bn.running_var, running_var)
    bn(x2)
    running_mean = 0.9 * running_mean + 0.1 * x2.mean(axis=(0, 2, 3))
    running_var = 0.9 * running_var + 0.1 * x2.var(axis=(0, 2, 3), ddof=1)
    np.testing.assert_allclose(bn.running_mean, running_mean)
    np.testing.assert_allclose(bn.running_var, running_var)
    assert bn.num_batches_tracked == 2


def test_batch_norm_eval_mode_uses_running_stats_and_leaves_them_alone():
    bn = nn.BatchNorm1d(5, dtype=np.float64)
    bn.weight.data = np.arange(1.0, 6.0)
    bn.bias.data = np.full(5, 0.5)
    bn(R.normal(size=(8, 5)))
    bn.eval()
    frozen = bn.state_dict()
    x = R.normal(size=(3, 5))
    y = bn(Tensor(x))
    want = (x - frozen["running_mean"]) / np.sqrt(frozen["running_var"] + 1e-5)
    np.testing.assert_allclose(y.data, want * np.arange(1.0, 6.0) + 0.5)
    for key, value in bn.state_dict().items():
        np.testing.assert_array_equal(value, frozen[key])
    bn(x[:1])  # a single example is fine in eval mode


def test_batch_norm_cumulative_average_and_untracked_stats():
    bn = nn.BatchNorm1d(2, momentum=None, dtype=np.float64)
    batches = [R.normal(size=(6, 2)) for _ in range(3)]
    for b in batches:
        bn(b)
    np.testing.assert_allclose(bn.running_mean, np.mean([b.mean(0) for b in batches], axis=0))
    untracked = nn.BatchNorm1d(2, track_running_stats=False, dtype=np.float64).eval()
    x = R.normal(size=(6, 2))
    np.testing.assert_allclose(untracked(x).data, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5))


def test_batch_norm_gradients_reach_its_parameters_and_input():
    bn = nn.BatchNorm1d(3, dtype=np.float64)
    x = Tensor(R.normal(size=(4, 3)), requires_grad=True)
    (bn(x) * np.arange(12.0).reshape(4, 3)).sum().backward()
    assert bn.weight.grad is not None and bn.bias.grad is not None
    np.testing.assert_allclose(bn.bias.grad.data, np.arange(12.0).reshape(4, 3).sum(0))
    np.testing.assert_allclose(x.grad.data.sum(0), 0, atol=1e-10)  # shift invariance


def test_layer_norm_normalizes_each_example():
    ln = nn.LayerNorm(5, dtype=np.float64)
    y = ln(X2).data
    np.testing.assert_allclose(y.mean(-1), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(-1), X2.var(-1) / (X2.var(-1) + 1e-5))


# ---- Dropout ---------------------------------------------------------------------------


def test_dropout_scales_kept_values_and_is_the_identity_in_eval():
    drop = nn.Dropout(0.25, rng=0)
    x = Tensor(np.ones((200, 50)), requires_grad=True)
    y = drop(x).data
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.75)
    assert kept.mean() == pytest.approx(0.75, abs=0.02)
    drop(x).sum().backward()
    assert set(np.unique(x.grad.data)) <= {0.0, 1 / 0.75}
    drop.eval()
    assert drop(x) is x or np.array_equal(drop(x).data, x.data)
    assert np.array_equal(nn.Dropout(0.0)(x).data, x.data)


def test_dropout_masks_are_reproducible_from_the_seed_and_change_per_call():
    a, b = nn.Dropout(0.5, rng=3), nn.Dropout(0.5, rng=3)
    x = np.ones((10, 10))
    first = a(x).data
    np.testing.assert_array_equal(first, b(x).data)
    assert not np.array_equal(first, a(x).data)
    with pytest.raises(ValueError, match="probability"):
        nn.Dropout(1.5)
