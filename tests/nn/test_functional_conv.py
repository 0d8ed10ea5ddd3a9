"""conv2d and conv_transpose2d: direct definitions, hand-worked values, the reference's
closed-form gradients (dK = X correlated with delta, dX = delta fully convolved with the
kernel rotated by 180 degrees), gradchecks and errors."""

import numpy as np
import pytest

import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng

# ---- direct definitions, written with loops, independently of the code -------------


def as_pair(v):
    return (v, v) if isinstance(v, int) else v


def conv_direct(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, o, oh, ow))
    per_group = o // groups
    for s in range(n):
        for oc in range(o):
            first = (oc // per_group) * cg
            for i in range(oh):
                for j in range(ow):
                    total = 0.0 if b is None else b[oc]
                    for ci in range(cg):
                        for a in range(kh):
                            for bb in range(kw):
                                pixel = xp[s, first + ci, i * sh + a * dh, j * sw + bb * dw]
                                total += w[oc, ci, a, bb] * pixel
                    out[s, oc, i, j] = total
    return out


def conv_transpose_direct(
    x, w, b=None, stride=1, padding=0, output_padding=0, dilation=1, groups=1
):
    """Y[n, o, i*s - p + a*d, j*s - p + b*d] += X[n, c, i, j] W[c, o', a, b]."""
    (sh, sw), (ph, pw) = as_pair(stride), as_pair(padding)
    (oph, opw), (dh, dw) = as_pair(output_padding), as_pair(dilation)
    n, c, h, wd = x.shape
    _, og, kh, kw = w.shape
    oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1
    ow = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1
    out = np.zeros((n, og * groups, oh, ow))
    cg = c // groups
    for s in range(n):
        for ci in range(c):
            group = ci // cg
            for i in range(h):
                for j in range(wd):
                    for oc in range(og):
                        for a in range(kh):
                            for bb in range(kw):
                                r, q = i * sh - ph + a * dh, j * sw - pw + bb * dw
                                if 0 <= r < oh and 0 <= q < ow:
                                    out[s, group * og + oc, r, q] += (
                                        x[s, ci, i, j] * w[ci, oc, a, bb]
                                    )
    if b is not None:
        out += np.reshape(b, (-1, 1, 1))
    return out


CONV_CASES = {
    "plain": dict(x=(2, 2, 4, 4), w=(3, 2, 2, 2)),
    "stride2_pad1": dict(x=(1, 2, 5, 5), w=(2, 2, 3, 3), stride=2, padding=1),
    "dilation2": dict(x=(1, 1, 5, 5), w=(2, 1, 2, 2), dilation=2),
    "groups2": dict(x=(1, 4, 3, 3), w=(4, 2, 2, 2), groups=2),
    "mixed": dict(
        x=(1, 4, 5, 4), w=(2, 2, 2, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2
    ),
    "depthwise": dict(x=(1, 3, 3, 3), w=(3, 1, 2, 2), groups=3, padding=1),
}


def conv_case(name, seed=0):
    case = dict(CONV_CASES[name])
    r = rng(seed)
    x, w = r.standard_normal(case.pop("x")), r.standard_normal(case.pop("w"))
    return x, w, r.standard_normal(w.shape[0]), case


@pytest.mark.parametrize("name", sorted(CONV_CASES))
def test_conv2d_matches_direct_definition(name):
    x, w, b, kw = conv_case(name)
    np.testing.assert_allclose(F.conv2d(x, w, b, **kw).data, conv_direct(x, w, b, **kw))


@pytest.mark.parametrize("name", sorted(CONV_CASES))
def test_conv2d_gradcheck(name):
    x, w, b, kw = conv_case(name)
    check_grads(lambda x, w, b: F.conv2d(x, w, b, **kw), x, w, b, second_order=name == "mixed")


def test_conv2d_second_order_plain():
    x, w, _, _ = conv_case("plain")
    check_grads(lambda x, w: F.conv2d(x, w, stride=2), x[:1, :, :3, :3], w)


def test_conv2d_unbatched_input():
    x, w, b, _ = conv_case("stride2_pad1")
    y = F.conv2d(x[0], w, b, stride=2, padding=1)
    np.testing.assert_allclose(y.data, conv_direct(x, w, b, 2, 1)[0])


def test_conv2d_known_values():
    x = np.arange(9.0).reshape(1, 1, 3, 3)  # [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    # 0*1 + 1*2 + 3*3 + 4*4 = 27, and so on, plus the bias 1
    np.testing.assert_allclose(F.conv2d(x, w, np.array([1.0])).data, [[[[28, 38], [58, 68]]]])
    # 3x3 box filter, stride 2, padding 1: sums of the 2x2 corners of x
    box = np.ones((1, 1, 3, 3))
    np.testing.assert_allclose(F.conv2d(x, box, stride=2, padding=1).data, [[[[8, 12], [20, 24]]]])
    # dilation 2 touches the four corners: 0*1 + 2*2 + 6*3 + 8*4
    np.testing.assert_allclose(F.conv2d(x, w, dilation=2).data, [[[[54]]]])
    # groups 2: each channel scaled by its own 1x1 kernel
    x2 = np.array([[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]])
    w2 = np.array([2.0, -1.0]).reshape(2, 1, 1, 1)
    expected = [[[[2, 4], [6, 8]], [[-5, -6], [-7, -8]]]]
    np.testing.assert_allclose(F.conv2d(x2, w2, groups=2).data, expected)


def test_conv_transpose2d_known_values():
    x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    ones = np.ones((1, 1, 2, 2))
    # each input pixel adds itself to a 2x2 block; blocks overlap with stride 1
    np.testing.assert_allclose(
        F.conv_transpose2d(x, ones).data, [[[[1, 3, 2], [4, 10, 6], [3, 7, 4]]]]
    )
    # stride 2: the blocks tile the output
    tiled = [[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]
    np.testing.assert_allclose(F.conv_transpose2d(x, ones, stride=2).data, tiled)
    # padding 1 crops a border; output_padding 1 first adds a zero row/column at the end
    y = F.conv_transpose2d(x, ones, stride=2, padding=1, output_padding=1)
    np.testing.assert_allclose(y.data, [[[[1, 2, 2], [3, 4, 4], [3, 4, 4]]]])
    # two impulses stamp the (scaled) kernel at their positions
    w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    impulses = np.array([[[[1.0, 0.0], [0.0, 2.0]]]])
    expected = [[[[1, 2, 0], [3, 6, 4], [0, 6, 8]]]]
    np.testing.assert_allclose(F.conv_transpose2d(impulses, w).data, expected)
    # channels: out[o] = sum_c x[c] W[c, o] (+ bias)
    x1 = np.array([1.0, 10.0]).reshape(1, 2, 1, 1)
    w1 = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).reshape(2, 3, 1, 1)
    y1 = F.conv_transpose2d(x1, w1, bias=np.array([0.5, 0.0, -0.5]))
    np.testing.assert_allclose(y1.data.reshape(-1), [41.5, 52, 62.5])


TRANSPOSED_CASES = {
    "plain": dict(x=(2, 2, 3, 3), w=(2, 3, 2, 2)),
    "stride2_output_padding1": dict(x=(1, 2, 3, 3), w=(2, 1, 3, 3), stride=2, output_padding=1),
    "stride2_pad1": dict(x=(1, 1, 3, 3), w=(1, 2, 3, 3), stride=2, padding=1),
    "dilation2_output_padding1": dict(x=(1, 1, 3, 3), w=(1, 1, 2, 2), dilation=2, output_padding=1),
    "groups2": dict(x=(1, 4, 2, 3), w=(4, 1, 2, 2), groups=2, stride=(1, 2)),
    "mixed": dict(
        x=(1, 2, 2, 3),
        w=(2, 2, 3, 2),
        stride=(2, 3),
        padding=(1, 1),
        output_padding=(1, 2),
        dilation=(1, 2),
        groups=2,
    ),
}


def transposed_case(name, seed=0):
    case = dict(TRANSPOSED_CASES[name])
    r = rng(seed)
    x, w = r.standard_normal(case.pop("x")), r.standard_normal(case.pop("w"))
    return x, w, r.standard_normal(w.shape[1] * case.get("groups", 1)), case


@pytest.mark.parametrize("name", sorted(TRANSPOSED_CASES))
def test_conv_transpose2d_matches_direct_definition(name):
    x, w, b, kw = transposed_case(name)
    expected = conv_transpose_direct(x, w, b, **kw)
    np.testing.assert_allclose(F.conv_transpose2d(x, w, b, **kw).data, expected)


@pytest.mark.parametrize("name", sorted(TRANSPOSED_CASES))
def test_conv_transpose2d_gradcheck(name):
    x, w, b, kw = transposed_case(name)
    check_grads(
        lambda x, w, b: F.conv_transpose2d(x, w, b, **kw), x, w, b, second_order=name == "mixed"
    )


@pytest.mark.parametrize("name", ["plain", "stride2_pad1", "dilation2", "groups2", "mixed"])
def test_conv_transpose2d_is_the_adjoint_of_conv2d(name):
    """<conv2d(x, W), y> = <x, conv_transpose2d(y, W)>, with output_padding making the
    transposed output the size of x."""
    x, w, _, kw = conv_case(name)
    y = conv_direct(x, w, **kw)
    s, p, d = (as_pair(kw.get(k, v)) for k, v in (("stride", 1), ("padding", 0), ("dilation", 1)))
    extra = tuple(
        (x.shape[2 + a] + 2 * p[a] - d[a] * (w.shape[2 + a] - 1) - 1) % s[a] for a in (0, 1)
    )
    back = F.conv_transpose2d(y, w, output_padding=extra, **kw).data
    assert back.shape == x.shape
    np.testing.assert_allclose(np.sum(y * y), np.sum(x * back))


# ---- the reference's closed-form gradients ------------------------------------------


def grads(fn, *arrays, delta):
    ts = [Tensor(a, requires_grad=True) for a in arrays]
    fn(*ts).backward(delta)
    return [t.grad.data for t in ts]


def test_conv_single_channel_closed_form():
    """Reference CNN example: Z = X * K (cross-correlation), delta = dJ/dZ.
    dJ/dK = X correlated with delta; dJ/dX = padded delta convolved with rot180(K)."""
    r = rng(7)
    X, K = r.standard_normal((5, 6)), r.standard_normal((3, 2))
    k1, k2 = K.shape
    delta = r.standard_normal((5 - k1 + 1, 6 - k2 + 1))
    dX, dK = grads(
        lambda x, k: F.conv2d(x, k), X[None, None], K[None, None], delta=delta[None, None]
    )

    expected_dK = np.zeros_like(K)
    for a in range(k1):
        for b in range(k2):
            expected_dK[a, b] = np.sum(X[a : a + delta.shape[0], b : b + delta.shape[1]] * delta)
    padded = np.pad(delta, ((k1 - 1, k1 - 1), (k2 - 1, k2 - 1)))
    rot = K[::-1, ::-1]
    expected_dX = np.zeros_like(X)
    for m in range(X.shape[0]):
        for n in range(X.shape[1]):
            expected_dX[m, n] = np.sum(padded[m : m + k1, n : n + k2] * rot)
    np.testing.assert_allclose(dK[0, 0], expected_dK)
    np.testing.assert_allclose(dX[0, 0], expected_dX)


@pytest.mark.parametrize(
    "stride, padding, dilation", [(1, 0, 1), (2, 1, 1), (1, 1, 2), ((2, 1), (0, 1), (1, 2))]
)
def test_conv_multichannel_closed_form(stride, padding, dilation):
    """The same formulas with channels, stride, padding and dilation:
    dK[o, c] = Xpad[c] correlated with delta[o] (at stride s, dilation d), and
    dX = (delta with s-1 zeros between entries, padded by d(k-1)) correlated with the
    rotated, channel-transposed kernel dilated by d, then the padding cropped off."""
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    r = rng(8)
    x, w = r.standard_normal((2, 2, 5, 6)), r.standard_normal((3, 2, 2, 3))
    kh, kw = w.shape[2:]
    y = conv_direct(x, w, stride=stride, padding=padding, dilation=dilation)
    delta = r.standard_normal(y.shape)
    dx, dw_ = grads(
        lambda x, w: F.conv2d(x, w, stride=stride, padding=padding, dilation=dilation),
        x,
        w,
        delta=delta,
    )
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh, ow = y.shape[2:]
    expected_dw = np.zeros_like(w)
    for a in range(kh):
        for b in range(kw):
            patch = xp[
                :,
                :,
                a * dh : a * dh + sh * (oh - 1) + 1 : sh,
                b * dw : b * dw + sw * (ow - 1) + 1 : sw,
            ]
            expected_dw[:, :, a, b] = np.einsum("noij,ncij->oc", delta, patch)
    np.testing.assert_allclose(dw_, expected_dw)

    spread = np.zeros(delta.shape[:2] + ((oh - 1) * sh + 1, (ow - 1) * sw + 1))
    spread[:, :, ::sh, ::sw] = delta
    full = np.pad(spread, ((0, 0), (0, 0), (dh * (kh - 1),) * 2, (dw * (kw - 1),) * 2))
    rot = w[:, :, ::-1, ::-1]
    rows, cols = full.shape[2] - dh * (kh - 1), full.shape[3] - dw * (kw - 1)
    dxp = np.zeros((x.shape[0], x.shape[1], xp.shape[2], xp.shape[3]))
    for m in range(rows):
        for q in range(cols):
            window = full[:, :, m : m + dh * (kh - 1) + 1 : dh, q : q + dw * (kw - 1) + 1 : dw]
            dxp[:, :, m, q] = np.einsum("noab,ocab->nc", window, rot)
    expected_dx = dxp[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]
    np.testing.assert_allclose(dx, expected_dx)


def test_conv_transpose_gradient_is_conv():
    """For Y = conv_transpose2d(X, W): dE/dX = conv2d(delta, W) with the same stride,
    padding and dilation."""
    x, w, _, kw = transposed_case("stride2_pad1")
    y = conv_transpose_direct(x, w, **kw)
    delta = rng(9).standard_normal(y.shape)
    (dx,) = grads(lambda t: F.conv_transpose2d(t, w, **kw), x, delta=delta)
    np.testing.assert_allclose(dx, conv_direct(delta, w, stride=2, padding=1))


def test_float32_stays_float32():
    x, w = np.ones((1, 2, 4, 4), np.float32), np.ones((2, 2, 3, 3), np.float32)
    assert F.conv2d(x, w, padding=1).dtype == np.float32
    assert F.conv_transpose2d(x, w, stride=2).dtype == np.float32


# ---- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(w=(3, 3, 2, 2)), ValueError, "channels"),
        (dict(w=(3, 2, 2)), ValueError, "weight must have shape"),
        (dict(stride=0), ValueError, "stride must be >= 1"),
        (dict(stride=-1), ValueError, "stride"),
        (dict(stride="2"), TypeError, "stride"),
        (dict(dilation=0), ValueError, "dilation"),
        (dict(padding=-1), ValueError, "padding"),
        (dict(w=(3, 2, 9, 9)), ValueError, "does not fit"),
        (dict(groups=2), ValueError, "divisible by groups"),
        (dict(groups=0), ValueError, "groups"),
        (dict(b=(2,)), ValueError, "bias"),
        (dict(x=(3, 4, 4)), ValueError, "channels"),
        (dict(x=(4, 4)), ValueError, "(N, C, H, W)"),
    ],
)
def test_conv2d_errors(kwargs, error, words):
    kwargs = dict(kwargs)
    x = np.ones(kwargs.pop("x", (1, 2, 4, 4)))
    w = np.ones(kwargs.pop("w", (3, 2, 2, 2)))
    b = np.ones(kwargs.pop("b")) if "b" in kwargs else None
    with pytest.raises(error, match="conv2d") as info:
        F.conv2d(x, w, b, **kwargs)
    assert words in str(info.value)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(w=(3, 2, 2, 2)), "channels"),
        (dict(output_padding=2, stride=2), "output_padding"),
        (dict(output_padding=1), "output_padding"),
        (dict(padding=3), "crops away"),
        (dict(groups=3), "divisible by groups"),
        (dict(b=(3,)), "bias"),
        (dict(kernel=0), "stride"),
    ],
)
def test_conv_transpose2d_errors(kwargs, words):
    kwargs = dict(kwargs)
    w = np.ones(kwargs.pop("w", (2, 2, 2, 2)))
    b = np.ones(kwargs.pop("b")) if "b" in kwargs else None
    if kwargs.pop("kernel", None) == 0:
        kwargs["stride"] = 0
    with pytest.raises(ValueError, match="conv_transpose2d") as info:
        F.conv_transpose2d(np.ones((1, 2, 2, 2)), w, b, **kwargs)
    assert words in str(info.value)
