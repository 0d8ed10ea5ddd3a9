"""Bad input gets a clear error, never a wrong result.

Every case below is a mistake a user can make. Each must raise the listed exception
type, and its message must contain every listed fragment: the op's name, the shapes or
values involved, and the hint that says what to do. tests/README.md lists these cases
with their outcomes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pytest

import nn
import nn.functional as F
import ops
from autograd_core import Tensor, detect_anomaly, grad, no_grad


class Bad(NamedTuple):
    id: str
    call: Callable[[], Any]
    error: type[BaseException]
    fragments: tuple[str, ...]


def leaf(shape: Any = (), value: float = 1.0) -> Tensor:
    return Tensor(np.full(shape, value), requires_grad=True)


def image(shape: tuple[int, ...] = (1, 3, 5, 5)) -> Tensor:
    return leaf(shape)


def run_backward_twice() -> None:
    y = (leaf((2,)) * 3.0).sum()
    y.backward()
    y.backward()


def grad_twice() -> None:
    x = leaf((2,))
    y = (x.exp() * 2.0).sum()
    grad(y, x)
    grad(y, x)


def hook_changing_shape() -> None:
    x = leaf((3,))
    y = x * 2.0
    y.register_hook(lambda g: np.ones(4))
    y.sum().backward()


def second_order_after_rebinding() -> None:
    x = leaf((3,), 2.0)
    y = (x * x).sum()
    with no_grad():
        x -= 1.0  # rebinds x.data after the forward pass
    y.backward(create_graph=True)


def nan_or_inf_under_anomaly(value: float) -> Callable[[], None]:
    def call() -> None:
        w = leaf((2,))
        with detect_anomaly():
            loss = (w * np.array([1.0, value])).sum()
            loss.backward()

    return call


BROADCASTING = [
    Bad(f"{name}-(2,3)-(4,)", lambda op=op: op(leaf((2, 3)), leaf((4,))), ValueError,
        (f"{name}:", "(2, 3)", "(4,)", "do not broadcast", "axis -1", "[3, 4]", "Reshape"))
    for name, op in [("add", ops.add), ("subtract", ops.subtract), ("multiply", ops.multiply),
                     ("divide", ops.divide), ("power", ops.power), ("maximum", ops.maximum),
                     ("minimum", ops.minimum)]
] + [  # fmt: skip
    Bad("operator-*-(3,1,2)-(4,3)", lambda: leaf((3, 1, 2)) * leaf((4, 3)), ValueError,
        ("multiply:", "(3, 1, 2)", "(4, 3)", "axis -1", "[2, 3]")),
    Bad("ndarray-on-the-left", lambda: np.ones(4) + leaf((2, 3)), ValueError,
        ("add:", "(4,)", "(2, 3)", "do not broadcast")),
    Bad("middle-axis", lambda: leaf((2, 3, 4)) - leaf((2, 5, 4)), ValueError,
        ("subtract:", "(2, 3, 4)", "(2, 5, 4)", "axis -2", "[3, 5]")),
    Bad("where", lambda: ops.where(np.ones((2, 3), bool), leaf((2, 3)), leaf((2,))), ValueError,
        ("where:", "(2, 3)", "(2,)", "do not broadcast")),
    Bad("clip-array-bounds", lambda: ops.clip(leaf((2, 3)), np.zeros(2), None), ValueError,
        ("clip:", "(2, 3)", "(2,)", "do not broadcast")),
    Bad("comparison", lambda: leaf((2, 3)) < np.ones(4), ValueError,
        ("less:", "(2, 3)", "(4,)", "do not broadcast")),
    Bad("in-place-would-grow", lambda: Tensor(np.ones(2)).__iadd__(np.ones((2, 2))), ValueError,
        ("In-place '+='", "(2,)", "(2, 2)", "must broadcast to")),
    Bad("broadcast_to", lambda: leaf((2, 3)).broadcast_to((4, 3)), ValueError,
        ("broadcast_to:", "(2, 3)", "(4, 3)", "equal the target's or be 1")),
]  # fmt: skip

SHAPES = [
    Bad("matmul-inner", lambda: leaf((2, 3)) @ leaf((4, 5)), ValueError,
        ("matmul:", "(2, 3)", "(4, 5)", "(3) must equal", "(4)", "transpose or reshape")),
    Bad("matmul-vectors", lambda: leaf((3,)) @ leaf((4,)), ValueError,
        ("matmul:", "(3,)", "(4,)", "only axis")),
    Bad("matmul-batch", lambda: leaf((2, 2, 3)) @ leaf((3, 3, 4)), ValueError,
        ("matmul:", "batch axes (2,) and (3,)", "do not broadcast")),
    Bad("matmul-scalar", lambda: leaf(()) @ leaf((4,)), ValueError,
        ("matmul:", "()", "(4,)", "Use *")),
    Bad("reshape", lambda: leaf((6,)).reshape(4, 2), ValueError,
        ("reshape:", "(6,)", "(4, 2)", "number of elements must match")),
    Bad("transpose", lambda: leaf((2, 3)).transpose(0, 2), ValueError,
        ("transpose:", "(0, 2)", "(2, 3)", "each axis exactly once")),
    Bad("squeeze", lambda: leaf((2, 3)).squeeze(0), ValueError,
        ("squeeze:", "axis=0", "(2, 3)", "length 1")),
    Bad("expand_dims", lambda: leaf((2, 3)).expand_dims(4), ValueError,
        ("expand_dims:", "axis=4", "(2, 3)", "[-3, 2]")),
    Bad("concatenate", lambda: ops.concatenate([leaf((2, 3)), leaf((2, 4))]), ValueError,
        ("concatenate:", "[(2, 3), (2, 4)]", "axis 0", "every axis but")),
    Bad("stack", lambda: ops.stack([leaf((2, 3)), leaf((2, 4))]), ValueError,
        ("stack:", "[(2, 3), (2, 4)]", "same shape")),
    Bad("sum-axis", lambda: leaf((2, 3)).sum(axis=2), ValueError,
        ("sum:", "axis=2", "2 axes", "[-2, 1]")),
    Bad("mean-axis", lambda: leaf((2, 3)).mean(axis=-3), ValueError,
        ("mean:", "axis=-3", "[-2, 1]")),
    Bad("max-axis", lambda: leaf((2, 3)).max(axis=5), ValueError, ("max:", "axis=5")),
    Bad("var-repeated-axis", lambda: leaf((2, 3)).var(axis=(0, 0)), ValueError,
        ("var:", "axis=(0, 0)", "distinct")),
    Bad("min-float-axis", lambda: leaf((2, 3)).min(axis=1.0), ValueError, ("min:", "axis=1.0")),
    Bad("max-of-empty", lambda: leaf((0, 3)).max(), ValueError,
        ("max:", "(0, 3)", "empty", "non-empty")),
    Bad("pad-negative", lambda: F.pad(leaf((2, 3)), -1), ValueError, ("pad:", ">= 0", "-1")),
    Bad("pad-mode", lambda: F.pad(leaf((2, 3)), 1, mode="wrap"), ValueError,
        ("pad:", "'wrap'", "'reflect'")),
    Bad("crop-outside", lambda: F.crop(leaf((4, 4)), 2, 2, 3, 3), ValueError,
        ("crop:", "top=2", "height=3", "4x4")),
    Bad("linear-features", lambda: F.linear(leaf((2, 3)), leaf((4, 5))), ValueError,
        ("linear:", "in_features = 5", "(4, 5)", "(2, 3)")),
    Bad("Linear-module", lambda: nn.Linear(3, 4)(leaf((2, 5))), ValueError,
        ("Linear", "in_features=3", "(2, 5)")),
    Bad("ragged-data", lambda: Tensor([[1.0, 2.0], [3.0]]), ValueError,
        ("Tensor:", "list", "same length")),
    Bad("layer_norm-shape", lambda: F.layer_norm(leaf((2, 3)), 4), ValueError,
        ("layer_norm:", "(2, 3)", "(4,)")),
    Bad("batch_norm-one-sample", lambda: F.batch_norm(leaf((1, 3)), np.zeros(3), np.ones(3),
                                                      training=True), ValueError,
        ("batch_norm:", "(1, 3)", "bigger batch or eval mode")),
]  # fmt: skip

CONV = [
    Bad("conv2d-channels", lambda: F.conv2d(image(), leaf((2, 4, 3, 3))), ValueError,
        ("conv2d:", "3 channels", "(2, 4, 3, 3)", "(2, 3, 3, 3)")),
    Bad("conv2d-weight-ndim", lambda: F.conv2d(image(), leaf((2, 3, 3))), ValueError,
        ("conv2d:", "(2, 3, 3)", "(out_channels, in_channels // groups, kh, kw)")),
    Bad("conv2d-input-ndim", lambda: F.conv2d(leaf((5, 5)), leaf((2, 3, 3, 3))), ValueError,
        ("conv2d:", "(N, C, H, W)", "(5, 5)")),
    Bad("conv2d-bias", lambda: F.conv2d(image(), leaf((2, 3, 3, 3)), bias=leaf((3,))),
        ValueError, ("conv2d:", "bias", "(2,)", "(3,)")),
    Bad("conv2d-groups", lambda: F.conv2d(image(), leaf((2, 1, 3, 3)), groups=2), ValueError,
        ("conv2d:", "in_channels (3)", "groups (2)")),
    Bad("conv2d-kernel-too-big", lambda: F.conv2d(image((1, 3, 2, 2)), leaf((2, 3, 3, 3))),
        ValueError, ("conv2d:", "3x3 kernel", "2x2", "more padding or a smaller kernel")),
    Bad("Conv2d-module-channels", lambda: nn.Conv2d(3, 4, 3)(image((1, 2, 5, 5))), ValueError,
        ("Conv2d", "in_channels=3", "(1, 2, 5, 5)")),
    Bad("conv_transpose2d-channels", lambda: F.conv_transpose2d(image(), leaf((2, 4, 3, 3))),
        ValueError, ("conv_transpose2d:", "3 channels", "(2, 4, 3, 3)")),
    Bad("conv_transpose2d-output_padding",
        lambda: F.conv_transpose2d(image(), leaf((3, 2, 3, 3)), output_padding=2), ValueError,
        ("conv_transpose2d:", "output_padding (2, 2)", "stride (1, 1)")),
]  # fmt: skip

KERNELS = [
    Bad(f"{fn_name}-{kw}-{value}", call, error, fragments)
    for fn_name, kw, value, call, error, fragments in [
        ("conv2d", "kernel", "0x3", lambda: F.conv2d(image(), leaf((2, 3, 0, 3))), ValueError,
         ("conv2d:", "(2, 3, 0, 3)", "empty 0x3 kernel", ">= 1")),
        ("conv2d", "stride", 0, lambda: F.conv2d(image(), leaf((2, 3, 3, 3)), stride=0),
         ValueError, ("conv2d:", "stride must be >= 1", "got 0")),
        ("conv2d", "stride", -1, lambda: F.conv2d(image(), leaf((2, 3, 3, 3)), stride=-1),
         ValueError, ("conv2d:", "stride must be >= 1", "got -1")),
        ("conv2d", "stride", "(1, 1, 1)",
         lambda: F.conv2d(image(), leaf((2, 3, 3, 3)), stride=(1, 1, 1)), TypeError,
         ("conv2d:", "stride", "pair of ints", "(1, 1, 1)")),
        ("conv2d", "stride", 1.5, lambda: F.conv2d(image(), leaf((2, 3, 3, 3)), stride=1.5),
         TypeError, ("conv2d:", "stride", "1.5")),
        ("conv2d", "padding", -1, lambda: F.conv2d(image(), leaf((2, 3, 3, 3)), padding=-1),
         ValueError, ("conv2d:", "padding must be >= 0", "got -1")),
        ("conv2d", "dilation", 0, lambda: F.conv2d(image(), leaf((2, 3, 3, 3)), dilation=0),
         ValueError, ("conv2d:", "dilation must be >= 1", "got 0")),
        ("conv_transpose2d", "kernel", "0x3",
         lambda: F.conv_transpose2d(image(), leaf((3, 2, 0, 3))), ValueError,
         ("conv_transpose2d:", "(3, 2, 0, 3)", "empty 0x3 kernel")),
        ("conv_transpose2d", "stride", 0,
         lambda: F.conv_transpose2d(image(), leaf((3, 2, 3, 3)), stride=0), ValueError,
         ("conv_transpose2d:", "stride must be >= 1", "got 0")),
        ("max_pool2d", "kernel", 0, lambda: F.max_pool2d(image(), 0), ValueError,
         ("max_pool2d:", "kernel_size must be >= 1", "got 0")),
        ("max_pool2d", "kernel", -2, lambda: F.max_pool2d(image(), -2), ValueError,
         ("max_pool2d:", "kernel_size must be >= 1", "got -2")),
        ("max_pool2d", "stride", 0, lambda: F.max_pool2d(image(), 2, stride=0), ValueError,
         ("max_pool2d:", "stride must be >= 1", "got 0")),
        ("max_pool2d", "padding", 2, lambda: F.max_pool2d(image(), 2, padding=2), ValueError,
         ("max_pool2d:", "padding (2, 2)", "half the kernel size (2, 2)")),
        ("max_pool2d", "kernel", 7, lambda: F.max_pool2d(image(), 7), ValueError,
         ("max_pool2d:", "7x7 window", "5x5", "smaller kernel")),
        ("MaxPool2d", "kernel", 0, lambda: nn.MaxPool2d(0)(image()), ValueError,
         ("max_pool2d", "kernel_size must be >= 1")),
        ("avg_pool2d", "kernel", "(2, -1)", lambda: F.avg_pool2d(image(), (2, -1)), ValueError,
         ("avg_pool2d:", "kernel_size must be >= 1", "(2, -1)")),
        ("avg_pool2d", "stride", 0, lambda: F.avg_pool2d(image(), 2, stride=0), ValueError,
         ("avg_pool2d:", "stride must be >= 1", "got 0")),
        ("avg_unpool2d", "kernel", 0, lambda: F.avg_unpool2d(image(), 0), ValueError,
         ("avg_unpool2d:", "kernel_size must be >= 1", "got 0")),
        ("max_unpool2d", "kernel", 0,
         lambda: F.max_unpool2d(leaf((1, 1, 2, 2)), np.zeros((1, 1, 2, 2), int), 0),
         ValueError, ("max_unpool2d:", "kernel_size must be >= 1", "got 0")),
        ("sliding_window", "kernel", 0, lambda: ops.sliding_window(leaf((5, 5)), 0), ValueError,
         ("sliding_window:", "kernel_size must be >= 1", "got 0")),
        ("sliding_window", "stride", 0, lambda: ops.sliding_window(leaf((5, 5)), 2, 0),
         ValueError, ("sliding_window:", "stride must be >= 1", "got 0")),
        ("sliding_window", "dilation", 0, lambda: ops.sliding_window(leaf((5, 5)), 2, 1, 0),
         ValueError, ("sliding_window:", "dilation must be >= 1", "got 0")),
    ]
]  # fmt: skip

LOSSES = [
    Bad("cross_entropy-class-too-big",
        lambda: F.cross_entropy(leaf((2, 3)), np.array([0, 3])), ValueError,
        ("cross_entropy:", "class index 3", "3 classes", "[0, 2]")),
    Bad("cross_entropy-negative-class",
        lambda: F.cross_entropy(leaf((2, 3)), np.array([0, -1])), ValueError,
        ("cross_entropy:", "class index -1", "[0, 2]")),
    Bad("cross_entropy-class-axis-1",
        lambda: F.cross_entropy(leaf((2, 3, 4)), np.full((2, 4), 3), axis=1), ValueError,
        ("cross_entropy:", "class index 3", "3 classes")),
    Bad("CrossEntropyLoss-module", lambda: nn.CrossEntropyLoss()(leaf((2, 3)), np.array([5, 0])),
        ValueError, ("cross_entropy", "class index 5")),
    Bad("nll_loss-class-too-big", lambda: F.nll_loss(leaf((2, 3)), np.array([0, 3])),
        ValueError, ("nll_loss:", "class index 3", "[0, 2]")),
    Bad("cross_entropy-target-shape",
        lambda: F.cross_entropy(leaf((2, 3)), np.array([0, 1, 2])), ValueError,
        ("cross_entropy:", "(2, 3)", "(2,)", "(3,)")),
    Bad("cross_entropy-float-indices",
        lambda: F.cross_entropy(leaf((2, 3)), np.array([0.0, 1.0])), ValueError,
        ("cross_entropy:", "probabilities", "(2, 3)", "integer array of shape (2,)")),
    Bad("cross_entropy-bool-target",
        lambda: F.cross_entropy(leaf((2, 3)), np.array([True, False])), TypeError,
        ("cross_entropy:", "dtype bool")),
    Bad("nll_loss-float-target", lambda: F.nll_loss(leaf((2, 3)), np.array([0.5, 1.0])),
        TypeError, ("nll_loss:", "integers", "float64", ".astype(int)")),
    Bad("cross_entropy-axis", lambda: F.cross_entropy(leaf((2, 3)), np.array([0, 1]), axis=2),
        ValueError, ("cross_entropy:", "axis 2", "2 axes")),
    Bad("cross_entropy-reduction",
        lambda: F.cross_entropy(leaf((2, 3)), np.array([0, 1]), reduction="avg"), ValueError,
        ("cross_entropy:", "'avg'", "'mean'")),
    Bad("mse_loss-shapes", lambda: F.mse_loss(leaf((2, 3)), np.ones((3, 2))), ValueError,
        ("mse_loss:", "(2, 3)", "(3, 2)", "Reshape")),
    Bad("mse_loss-would-broadcast", lambda: F.mse_loss(leaf((4, 1)), np.ones(4)), ValueError,
        ("mse_loss:", "(4, 1)", "(4,)", "broadcasting is not applied")),
    Bad("euclidean_loss-shapes", lambda: F.euclidean_loss(leaf((2, 3)), np.ones((2, 4))),
        ValueError, ("euclidean_loss:", "(2, 3)", "(2, 4)")),
    Bad("bce-shapes", lambda: F.binary_cross_entropy(leaf((2,), 0.5), np.ones(3)), ValueError,
        ("binary_cross_entropy:", "(2,)", "(3,)")),
    Bad("bce_with_logits-shapes",
        lambda: F.binary_cross_entropy_with_logits(leaf((2, 3)), np.ones((3,))), ValueError,
        ("binary_cross_entropy_with_logits:", "(2, 3)", "(3,)")),
    Bad("bce-not-a-probability", lambda: F.binary_cross_entropy(leaf((1,), 1.5), np.ones(1)),
        ValueError, ("binary_cross_entropy:", "[0, 1]", "1.5", "with_logits")),
]  # fmt: skip

DTYPES = [
    Bad("int-requires-grad", lambda: Tensor(np.arange(3), requires_grad=True), TypeError,
        ("floating-point", "int64", "dtype=np.float64")),
    Bad("bool-requires-grad", lambda: Tensor(np.array([True]), requires_grad=True), TypeError,
        ("floating-point", "bool")),
    Bad("int-requires_grad_", lambda: Tensor(np.arange(3)).requires_grad_(), TypeError,
        ("floating-point", "int64")),
    Bad("int-data-on-a-grad-tensor", lambda: setattr(leaf((2,)), "data", np.arange(2)),
        TypeError, ("floating-point", "int64")),
    Bad("complex-data", lambda: Tensor(np.ones(2, complex)), TypeError,
        ("real numbers", "complex128", "np.asarray")),
    Bad("string-data", lambda: Tensor("abc"), TypeError, ("real numbers", "<U3")),
    Bad("grad-wrt-int-tensor", lambda: grad(leaf((1,)).sum(), Tensor([1])), RuntimeError,
        ("grad():", "input 0", "requires_grad=True")),
]  # fmt: skip

BACKWARD = [
    Bad("backward-non-scalar", lambda: (leaf((2,)) * 2.0).backward(), RuntimeError,
        ("backward()", "non-scalar", "(2,)", "grad=", ".sum()")),
    Bad("backward-twice", run_backward_twice, RuntimeError,
        ("second time", "'sum'", "output shape ()", "retain_graph=True")),
    Bad("grad-twice", grad_twice, RuntimeError, ("second time", "retain_graph=True")),
    Bad("backward-grad-shape", lambda: (leaf((2,)) * 2.0).backward(np.ones(3)), RuntimeError,
        ("backward()", "(3,)", "(2,)", "must match")),
    Bad("backward-without-graph", lambda: Tensor([1.0]).backward(), RuntimeError,
        ("backward()", "does not require grad", "requires_grad=True")),
    Bad("grad-unused-input", lambda: grad((leaf((1,)) * 2).sum(), [leaf((1,))]), RuntimeError,
        ("grad():", "not used", "allow_unused=True")),
    Bad("in-place-while-recording", lambda: leaf((1,)).__iadd__(1.0), RuntimeError,
        ("In-place '+='", "(1,)", "no_grad()")),
    Bad("hook-changes-shape", hook_changing_shape, RuntimeError,
        ("hook", "(3,)", "(4,)", "keep the shape")),
    Bad("create_graph-after-data-rebound", second_order_after_rebinding, RuntimeError,
        ("'multiply'", ".data replaced", "Recompute the forward")),
    Bad("nan-input-under-anomaly", nan_or_inf_under_anomaly(np.nan), FloatingPointError,
        ("detect_anomaly", "'multiply'", "test_bad_inputs.py", "NaN", "input 0")),
    Bad("inf-input-under-anomaly", nan_or_inf_under_anomaly(np.inf), FloatingPointError,
        ("detect_anomaly", "'multiply'", "test_bad_inputs.py", "inf")),
]  # fmt: skip

INDEXING = [
    Bad(f"index-{name}", lambda index=index: leaf((3,))[index], IndexError,
        ("getitem:", "shape (3,)", *fragments, "integer arrays or a boolean mask"))
    for name, index, fragments in [
        ("float-array", np.array([0.0, 1.0]), ("integer (or boolean) type",)),
        ("float-scalar", 1.0, ("1.0",)),
        ("float-list", [0.5], ("[0.5]",)),
        ("float-tensor", Tensor([0.0, 1.0]), ("array([0., 1.])",)),
        ("string", "a", ("'a'",)),
        ("object-array", np.array([0, None], dtype=object), ("None",)),
        ("out-of-range", 5, ("index 5 is out of bounds",)),
        ("out-of-range-negative", -4, ("index -4 is out of bounds",)),
        ("array-out-of-range", np.array([0, 3, 0]), ("index 3 is out of bounds",)),
        ("too-many", (0, 1), ("too many indices",)),
        ("mask-length", np.array([True, False]), ("boolean index did not match",)),
    ]
]  # fmt: skip

OTHER = [
    Bad("dropout-p", lambda: F.dropout(leaf((3,)), 1.5), ValueError, ("dropout:", "[0, 1]", "1.5")),
    Bad("max_unpool2d-float-indices",
        lambda: F.max_unpool2d(leaf((1, 1, 2, 2)), np.zeros((1, 1, 2, 2)), 2), TypeError,
        ("max_unpool2d:", "integers", "float64")),
    Bad("max_unpool2d-index-range",
        lambda: F.max_unpool2d(leaf((1, 1, 2, 2)), np.array([[[[0, 1], [2, 99]]]]), 2),
        ValueError, ("max_unpool2d:", "[0, 16)", "99")),
    Bad("power-negative-integer-exponent", lambda: ops.power(Tensor([2]), Tensor([-1])),
        ValueError, ("power:", "negative integer powers")),
    Bad("sgd-negative-lr", lambda: nn.optim.SGD([leaf((1,))], lr=-1), ValueError,
        ("SGD", "lr", ">= 0", "-1")),
    Bad("optimiser-non-leaf", lambda: nn.optim.SGD([leaf((1,)) * 2], lr=0.1), ValueError,
        ("SGD", "leaf", "op=multiply")),
]  # fmt: skip

CASES = BROADCASTING + SHAPES + CONV + KERNELS + LOSSES + DTYPES + BACKWARD + INDEXING + OTHER


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_raises_a_clear_error(case: Bad):
    with pytest.raises(case.error) as info:
        case.call()
    message = str(info.value)
    missing = [f for f in case.fragments if f not in message]
    assert not missing, f"{case.id}: {missing} not in the message: {message}"


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


# ---- a refused call changes nothing ----------------------------------------------------------


def test_a_refused_in_place_update_leaves_the_tensor_as_it_was():
    w = Tensor([1.0, 2.0], requires_grad=True)
    before = w.numpy()
    with no_grad(), pytest.raises(ValueError):
        w += np.ones((2, 2))
    assert w.numpy() is before and w.data.tolist() == [1.0, 2.0]


def test_a_refused_op_leaves_the_graph_usable():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 3.0
    with pytest.raises(ValueError):
        y + np.ones(3)
    y.sum().backward()
    assert x.grad.data.tolist() == [3.0, 3.0]


def test_nan_and_inf_pass_silently_without_anomaly_mode_as_documented():
    """Outside detect_anomaly() a NaN or inf input gives a NaN or inf gradient, as NumPy
    would; detect_anomaly() is the documented way to stop at it (cases above)."""
    w = Tensor([1.0, 1.0], requires_grad=True)
    (w * np.array([np.nan, np.inf])).sum().backward()
    assert np.isnan(w.grad.data[0]) and np.isinf(w.grad.data[1])
