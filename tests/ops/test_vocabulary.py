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
