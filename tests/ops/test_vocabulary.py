"""The NumPy vocabulary in every call form: `ops.f(x)`, `x.f()` and `np.f(x)`.

Each entry of `_cases.VOCABULARY` is computed in each of its forms on Tensors and
compared with NumPy's value (or a closed form where NumPy has none), in value, shape and
dtype; the method and NumPy forms are checked against central differences to second
order here, the ops form with every other op in `test_gradients.py`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import ops
from autograd_core import Tensor
from tests.helpers import check_grads

from ._cases import VOCABULARY, Entry

FORMS = ("ops", "method", "numpy")


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


@pytest.mark.parametrize(
    ("entry", "form"),
    [
        pytest.param(e, form, id=f"{e.id}-{form}")
        for e in VOCABULARY
        for form in FORMS
        if getattr(e, form) is not None
    ],
)
def test_value_matches_numpy(entry: Entry, form: str):
    reference = entry.reference or entry.numpy
    expected = _as_tuple(reference(*entry.arrays))
    tensors = [Tensor(a, requires_grad=not entry.nd) for a in entry.arrays]
    out = _as_tuple(getattr(entry, form)(*tensors))
    assert len(out) == len(expected)
    for o, e in zip(out, expected, strict=True):
        e = np.asarray(e)
        assert isinstance(o, Tensor)
        assert o.shape == e.shape and o.dtype == e.dtype
        if entry.nd:
            assert not o.requires_grad
        if entry.exact:
            np.testing.assert_array_equal(o.data, e)
        else:
            np.testing.assert_allclose(o.data, e, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize(
    ("entry", "form"),
    [
        pytest.param(e, form, id=f"{e.id}-{form}")
        for e in VOCABULARY
        for form in ("method", "numpy")
        if getattr(e, form) is not None and not (e.nd or e.ties or e.grad_of)
    ],
)
def test_method_and_numpy_forms_differentiate(entry: Entry, form: str):
    """(Results with several parts are checked through `grad_of` in test_gradients.py;
    their other forms call the same function, which the value test sees.)"""
    check_grads(getattr(entry, form), *entry.arrays)


# The names of the NumPy vocabulary, by group (ops.linalg's in their own entry).
TABLE = {
    "trig": "sin cos tan arcsin arccos arctan arctan2 hypot sinh cosh arcsinh arccosh arctanh "
    "deg2rad rad2deg",
    "exp and log": "log1p expm1 log2 log10 exp2 logaddexp logaddexp2 square reciprocal cbrt erf "
    "erfc",
    "rounding": "floor ceil round trunc mod fmod",
    "reductions": "prod cumsum cumprod std logsumexp norm amax amin argmax argmin argsort any all "
    "count_nonzero",
    "sorting": "sort take take_along_axis",
    "products": "einsum tensordot dot inner outer kron trace diagonal diag tril triu",
    "linalg": "inv det slogdet solve cholesky eigh svd pinv qr norm matrix_power",
    "shape": "flip fliplr flipud rot90 roll repeat tile split array_split hsplit vsplit moveaxis "
    "ravel atleast_1d atleast_2d atleast_3d diff hstack vstack",
    "more": "isnan isinf isfinite isclose copysign topk nonzero gather scatter_add cummax cummin",
}
NAMES = [(group, name) for group, names in TABLE.items() for name in names.split()]
# ndarray methods with NumPy's meaning, and PyTorch methods NumPy's ndarray lacks
TORCH_METHODS = (
    "sin cos tan arcsin arccos arctan arctan2 hypot sinh cosh arcsinh arccosh arctanh deg2rad "
    "rad2deg log1p expm1 log2 log10 exp2 logaddexp logaddexp2 square reciprocal erf erfc floor "
    "ceil trunc fmod remainder logsumexp norm amax amin count_nonzero inner outer kron diag tril "
    "triu det slogdet inverse cholesky pinverse qr matrix_power flip fliplr flipud rot90 roll tile "
    "hsplit vsplit moveaxis ravel diff isnan isinf isfinite isclose copysign topk gather "
    "scatter_add cummax cummin asin acos atan atan2 asinh acosh atanh movedim tensor_split"
).split()


@pytest.mark.parametrize(("group", "name"), NAMES, ids=[n for _, n in NAMES])
def test_every_name_is_an_op_with_its_numpy_counterpart_dispatched(group: str, name: str):
    space, numpy_space = (ops.linalg, np.linalg) if group == "linalg" else (ops, np)
    assert callable(getattr(space, name))
    counterpart = getattr(numpy_space, name, None)
    if counterpart is not None:
        assert counterpart in Tensor.function_table or counterpart in Tensor.ufunc_table
    if hasattr(np.ndarray, name):
        assert callable(getattr(Tensor, name))


@pytest.mark.parametrize("name", TORCH_METHODS)
def test_pytorch_methods_exist(name: str):
    assert callable(getattr(Tensor, name))
