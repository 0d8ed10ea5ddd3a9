"""Ten lines of autodiff: build an expression, call backward, read the gradients."""

import numpy as np

from autograd_core import Tensor

x = Tensor([1.0, 2.0, 3.0], requires_grad=True, name="x")
w = Tensor(np.full(3, 0.5), requires_grad=True, name="w")
loss = ((x * w).tanh() ** 2).sum()
loss.backward()
print("loss      =", loss.item())
print("dloss/dx  =", x.grad.data)
print("dloss/dw  =", w.grad.data)
