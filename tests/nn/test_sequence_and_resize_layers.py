"""conv1d, max_pool1d, avg_pool1d, adaptive_avg_pool2d, group_norm and interpolate (with
their Modules): against loops written here from PyTorch's definitions (its bins and
index rules), finite differences, layouts and parameter names, and bad settings."""

import math

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng

X3 = rng(0).standard_normal((2, 4, 11))
X4 = rng(1).standard_normal((2, 3, 7, 10))


# ---- conv1d and 1-d pooling ---------------------------------------------------------------


def conv1d_reference(x, w, b, stride, padding, dilation, groups):
    n, c, length = x.shape
    o, cg, k = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    out_len = (length + 2 * padding - dilation * (k - 1) - 1) // stride + 1
    y = np.zeros((n, o, out_len))
    per_group = o // groups
    for oc in range(o):
        g = oc // per_group
        for i in range(out_len):
            for a in range(k):
                cols = xp[:, g * cg : (g + 1) * cg, i * stride + a * dilation]
                y[:, oc, i] += cols @ w[oc, :, a]
    return y + (0 if b is None else b[None, :, None])


@pytest.mark.parametrize("stride, padding, dilation, groups", [(1, 0, 1, 1), (2, 1, 2, 2)])
def test_conv1d_matches_the_reference(stride, padding, dilation, groups):
    w, b = rng(2).standard_normal((6, 4 // groups, 3)), rng(3).standard_normal(6)
    got = F.conv1d(X3, w, b, stride, padding, dilation, groups)
    want = conv1d_reference(X3, w, b, stride, padding, dilation, groups)
    np.testing.assert_allclose(got.data, want, rtol=1e-12)
    np.testing.assert_allclose(F.conv1d(X3[0], w, b, stride, padding, dilation, groups).data,
                               want[0], rtol=1e-12)  # fmt: skip


def test_conv1d_gradcheck():
    x, w, b = rng(4).standard_normal((2, 2, 6)), rng(5).standard_normal((3, 2, 3)), rng(6).random(3)
    check_grads(lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1), x, w, b)


def test_conv1d_module_layout_and_init():
    conv = nn.Conv1d(4, 6, 3, padding=1, rng=0)
    assert conv.weight.shape == (6, 4, 3) and conv.bias.shape == (6,)
    assert np.abs(conv.weight.data).max() <= 1 / math.sqrt(12)
    assert repr(conv) == "Conv1d(4, 6, kernel_size=(3,), stride=(1,), padding=(1,))"
    y = conv(X3.astype(np.float32))
    assert y.shape == (2, 6, 11) and y.dtype == np.float32


def pool1d_reference(x, k, s, p, reduce, pad_value):
    xp = np.pad(x, ((0, 0), (0, 0), (p, p)), constant_values=pad_value)
    out_len = (x.shape[-1] + 2 * p - k) // s + 1
    return np.stack([reduce(xp[..., i * s : i * s + k], axis=-1) for i in range(out_len)], -1)


def test_pool1d_match_the_reference():
    np.testing.assert_array_equal(
        F.max_pool1d(X3, 3, 2, 1).data, pool1d_reference(X3, 3, 2, 1, np.max, -np.inf)
    )
    np.testing.assert_allclose(
        F.avg_pool1d(X3, 3, 2, 1).data, pool1d_reference(X3, 3, 2, 1, np.mean, 0.0), rtol=1e-12
    )
    _, idx = F.max_pool1d(X3, 4, return_indices=True)  # positions along L, as PyTorch
    windows = X3[..., :8].reshape(2, 4, 2, 4)
    np.testing.assert_array_equal(idx.data, windows.argmax(-1) + np.array([0, 4]))
    assert F.avg_pool1d(X3[0], 2).shape == (4, 5)


def test_pool1d_gradcheck_and_modules():
    x = rng(7).standard_normal((2, 2, 7))
    check_grads(lambda x: F.max_pool1d(x, 3, 2, 1), x)
    check_grads(lambda x: F.avg_pool1d(x, 3, 2, 1), x)
    np.testing.assert_array_equal(nn.MaxPool1d(3, 2, 1)(X3).data, F.max_pool1d(X3, 3, 2, 1).data)
    np.testing.assert_array_equal(nn.AvgPool1d(2)(X3).data, F.avg_pool1d(X3, 2).data)


# ---- adaptive average pooling, group norm ----------------------------------------------------


def adaptive_reference(x, oh, ow):
    h, w = x.shape[-2:]
    out = np.zeros(x.shape[:-2] + (oh, ow))
    for i in range(oh):
        r0, r1 = (i * h) // oh, math.ceil((i + 1) * h / oh)
        for j in range(ow):
            c0, c1 = (j * w) // ow, math.ceil((j + 1) * w / ow)
            out[..., i, j] = x[..., r0:r1, c0:c1].mean(axis=(-2, -1))
    return out


@pytest.mark.parametrize("size, expected", [((3, 4), (3, 4)), (5, (5, 5)), ((2, None), (2, 10))])
def test_adaptive_avg_pool2d_bins(size, expected):
    got = F.adaptive_avg_pool2d(X4, size)
    np.testing.assert_allclose(got.data, adaptive_reference(X4, *expected), rtol=1e-12)
    np.testing.assert_allclose(nn.AdaptiveAvgPool2d(size)(X4[0]).data, got.data[0], rtol=1e-12)


def test_adaptive_avg_pool2d_gradcheck():
    check_grads(lambda x: F.adaptive_avg_pool2d(x, (2, 3)), rng(8).standard_normal((1, 2, 5, 4)))


def test_group_norm_matches_the_reference():
    x, w, b = rng(9).standard_normal((2, 6, 3, 4)), rng(10).random(6), rng(11).random(6)
    groups = x.reshape(2, 3, -1)
    normed = (groups - groups.mean(-1, keepdims=True)) / np.sqrt(
        groups.var(-1, keepdims=True) + 1e-5
    )
    want = normed.reshape(x.shape) * w[:, None, None] + b[:, None, None]
    np.testing.assert_allclose(F.group_norm(x, 3, w, b).data, want, rtol=1e-12)
    check_grads(lambda x, w, b: F.group_norm(x, 3, w, b), x[:, :, :2, :2], w, b)
    module = nn.GroupNorm(3, 6, dtype=np.float64)
    assert [n for n, _ in module.named_parameters()] == ["weight", "bias"]
    np.testing.assert_allclose(module(x).data, normed.reshape(x.shape), rtol=1e-12)


# ---- interpolate ----------------------------------------------------------------------------


def source_positions(n, m, factor, align_corners):
    """PyTorch's source position of each output index along one axis."""
    out = []
    for i in range(m):
        if align_corners:
            out.append(i * (n - 1) / (m - 1) if m > 1 else 0.0)
        else:
            r = 1 / factor if factor else n / m
            out.append(max((i + 0.5) * r - 0.5, 0.0))
    return out


def linear_reference(x, axis, m, factor, align_corners):
    n = x.shape[axis]
    rows = []
    for s in source_positions(n, m, factor, align_corners):
        lo = min(int(math.floor(s)), n - 1)
        hi, t = min(lo + 1, n - 1), s - lo
        rows.append((1 - t) * np.take(x, lo, axis) + t * np.take(x, hi, axis))
    return np.stack(rows, axis)


def nearest_reference(x, axis, m, factor):
    n = x.shape[axis]
    r = 1 / factor if factor else n / m
    return np.take(x, [min(int(math.floor(i * r)), n - 1) for i in range(m)], axis)


@pytest.mark.parametrize(
    "size, factor, out",
    [((5, 13), None, (5, 13)), (None, 2, (14, 20)), (None, 1.7, (11, 17)), (3, None, (3, 3))],
)
@pytest.mark.parametrize("align_corners", [False, True])
def test_bilinear_and_nearest_follow_pytorchs_index_rules(size, factor, out, align_corners):
    want = linear_reference(X4, 2, out[0], factor, align_corners)
    want = linear_reference(want, 3, out[1], factor, align_corners)
    got = F.interpolate(X4, size, factor, mode="bilinear", align_corners=align_corners)
    np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-14)
    near = nearest_reference(nearest_reference(X4, 2, out[0], factor), 3, out[1], factor)
    np.testing.assert_array_equal(F.interpolate(X4, size, factor).data, near)


def test_linear_1d_and_upsample_module():
    want = linear_reference(X3, 2, 17, None, False)
    np.testing.assert_allclose(F.interpolate(X3, 17, mode="linear").data, want, rtol=1e-12)
    up = nn.Upsample(scale_factor=2, mode="bilinear")
    np.testing.assert_array_equal(up(X4).data, F.interpolate(X4, None, 2, "bilinear").data)
    assert repr(up) == "Upsample(scale_factor=2, mode='bilinear')"


def test_interpolate_gradcheck():
    x = rng(12).standard_normal((1, 2, 3, 4))
    check_grads(lambda x: F.interpolate(x, (5, 7), mode="bilinear"), x, second_order=False)
    check_grads(lambda x: F.interpolate(x, scale_factor=2) * x.sum(), x, second_order=False)


# ---- bad settings ----------------------------------------------------------------------------


def test_bad_settings_and_inputs():
    with pytest.raises(ValueError, match=r"Conv1d \(in_channels=4\): conv1d: the input \(2, 3, 11"):
        nn.Conv1d(4, 6, 3)(X3[:, :3])
    with pytest.raises(ValueError, match=r"conv1d: expected input of shape \(N, C, L\)"):
        F.conv1d(X4, np.zeros((6, 3, 3)))
    with pytest.raises(ValueError, match="conv1d: a kernel of size 13 .* does not fit"):
        F.conv1d(X3, np.zeros((2, 4, 13)))
    with pytest.raises(ValueError, match="max_pool1d: padding 2 must be at most half"):
        nn.MaxPool1d(3, padding=2)
    with pytest.raises(ValueError, match=r"num_channels \(6\) must be divisible by num_groups"):
        nn.GroupNorm(4, 6)
    with pytest.raises(ValueError, match=r"group_norm: the 6 channels .* num_groups = 4"):
        F.group_norm(np.zeros((1, 6, 2)), 4)
    with pytest.raises(ValueError, match="interpolate: mode 'bilinear' expects input"):
        F.interpolate(X3, 5, mode="bilinear")
    with pytest.raises(ValueError, match="give exactly one of size and scale_factor"):
        nn.Upsample()
    with pytest.raises(ValueError, match="mode must be 'nearest', 'linear' or 'bilinear'"):
        nn.Upsample(scale_factor=2, mode="bicubic")
    with pytest.raises(ValueError, match=r"adaptive_avg_pool2d: expected input \(N, C, H, W\)"):
        F.adaptive_avg_pool2d(Tensor(X3[0]), 2)
