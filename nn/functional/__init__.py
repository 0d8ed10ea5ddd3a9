"""Functional layers (`import nn.functional as F`): the layers of "Back propagation
reference" and the usual extras (softmax, softplus, batch and layer norm, dropout, more
losses), written as compositions of `ops` primitives, so every gradient (and gradient
of a gradient) comes from the engine. A few call a fused `ops` primitive instead (their
docstrings say which), because as compositions they are slow: one graph node each, with
its vjps written in terms of operators and ops, so gradients of gradients still work.

- `activations.py`: relu leaky_relu tanh sigmoid abs power softplus softmax log_softmax;
- `conv.py`: conv2d conv_transpose2d (im2col view + one batched matmul; col2im);
- `pooling.py`: max_pool2d max_unpool2d avg_pool2d avg_unpool2d;
- `normalization.py`: instance_norm batch_norm layer_norm;
- `dropout.py`: dropout;
- `restructure.py`: pad crop;
- `losses.py`: euclidean_loss mse_loss nll_loss cross_entropy binary_cross_entropy
  binary_cross_entropy_with_logits total_variation;
- `linear.py`: linear gram_matrix.

Layouts follow PyTorch (NCHW; Linear and Conv2d weights (out, in, ...),
ConvTranspose2d weights (in, out // groups, kh, kw)). Each docstring states the forward
formula and the derivative the composition amounts to.
"""

from .activations import (
    abs,
    leaky_relu,
    log_softmax,
    power,
    relu,
    sigmoid,
    softmax,
    softplus,
    tanh,
)
from .conv import conv2d, conv_transpose2d
from .dropout import dropout
from .linear import gram_matrix, linear
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    euclidean_loss,
    mse_loss,
    nll_loss,
    total_variation,
)
from .normalization import batch_norm, instance_norm, layer_norm
from .pooling import avg_pool2d, avg_unpool2d, max_pool2d, max_unpool2d
from .restructure import crop, pad

__all__ = [
    "abs",
    "avg_pool2d",
    "avg_unpool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "conv2d",
    "conv_transpose2d",
    "crop",
    "cross_entropy",
    "dropout",
    "euclidean_loss",
    "gram_matrix",
    "instance_norm",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "max_pool2d",
    "max_unpool2d",
    "mse_loss",
    "nll_loss",
    "pad",
    "power",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "tanh",
    "total_variation",
]
