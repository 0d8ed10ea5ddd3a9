"""First and second derivatives of every primitive op against central differences.

For each case, `check_grads` compares the analytic Jacobian with
(f(x + eps) - f(x - eps)) / (2 eps) in float64, and then does the same for the
vector-Jacobian product x -> u^T J(x) (the gradient's gradient, built with
create_graph=True). Inputs stay clear of kinks and singularities (see `_inputs`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import ops
from tests.helpers import check_grads

from ._cases import ALL
from ._inputs import distinct, normal, positive


@pytest.mark.parametrize(("fn", "arrays"), ALL)
def test_first_and_second_derivatives(fn: Callable[..., Any], arrays: tuple[np.ndarray, ...]):
    check_grads(fn, *arrays)


@pytest.mark.parametrize(
    ("fn", "x"),
    [
        pytest.param(lambda x: ops.multiply(x, x), normal((2, 3)), id="multiply"),
        pytest.param(lambda x: ops.divide(x, x), positive((2, 3)), id="divide"),
        pytest.param(lambda x: ops.subtract(x, x), normal((2, 3)), id="subtract"),
        pytest.param(lambda x: ops.power(x, x), positive((2, 3)), id="power"),
        pytest.param(lambda x: ops.maximum(x, x), normal((2, 3)), id="maximum"),
        pytest.param(lambda x: ops.matmul(x, x), normal((3, 3)), id="matmul"),
        pytest.param(lambda x: ops.concatenate([x, x * 2, x], axis=1), normal((2, 3)), id="concat"),
        pytest.param(lambda x: ops.stack([x, ops.exp(x)], axis=-1), normal((2, 3)), id="stack"),
        pytest.param(lambda x: ops.where(x > 0, x, x * x), distinct((2, 3)), id="where"),
        pytest.param(lambda x: x[[0, 1, 0]] @ x.T, normal((2, 3)), id="getitem-matmul"),
    ],
)
def test_one_tensor_used_by_several_inputs(fn: Callable[..., Any], x: np.ndarray):
    """A diamond: every use of x contributes to its gradient, and they are summed."""
    check_grads(fn, x)
