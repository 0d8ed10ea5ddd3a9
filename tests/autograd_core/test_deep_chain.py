"""A chain of a million ops runs forward and backward: no recursion anywhere."""

import numpy as np
import pytest

from autograd_core import Tensor


@pytest.mark.slow
def test_million_op_chain_forward_and_backward():
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(1_000_000):
        y = y * 1.000001
    y.backward()
    expected = 1.000001**1_000_000
    assert y.item() == pytest.approx(expected, rel=1e-9)
    assert x.grad.item() == pytest.approx(expected, rel=1e-9)
    del y  # dropping the chain must not overflow the C stack either


def test_deep_chain_through_mixed_ops():
    x = Tensor(np.array([0.5, -0.25]), requires_grad=True)
    y = x
    for _ in range(20_000):
        y = y * 1.0 + 0.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])
