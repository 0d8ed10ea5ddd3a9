"""Functional layers (`import nn.functional as F`): the layers of "Back propagation
reference" and the usual extras (more activations and losses, normalizations, dropout,
embeddings, recurrent layers, attention, resizing), written as compositions of `ops`
primitives, so every gradient (and gradient of a gradient) comes from the engine. A few
call a fused `ops` primitive instead (their docstrings say which), because as
compositions they are slow: one graph node each, with its vjps written in terms of
operators and ops, so gradients of gradients still work.

- `activations.py`: relu leaky_relu tanh sigmoid abs power softplus softmax log_softmax
  gelu silu elu selu softsign hardtanh log_sigmoid mish;
- `conv.py`: conv1d conv2d conv_transpose2d (im2col view + one batched matmul; col2im);
- `pooling.py`: max_pool1d max_pool2d max_unpool2d avg_pool1d avg_pool2d avg_unpool2d
  adaptive_avg_pool2d;
- `normalization.py`: instance_norm batch_norm layer_norm group_norm;
- `dropout.py`: dropout;
- `embedding.py`: embedding one_hot;
- `recurrent.py`: rnn_cell lstm_cell gru_cell and rnn lstm gru (whole sequences);
- `attention.py`: scaled_dot_product_attention multi_head_attention;
- `upsampling.py`: interpolate;
- `restructure.py`: pad crop;
- `losses.py`: euclidean_loss mse_loss nll_loss cross_entropy binary_cross_entropy
  binary_cross_entropy_with_logits total_variation l1_loss smooth_l1_loss huber_loss
  kl_div cosine_similarity;
- `linear.py`: linear gram_matrix.

Layouts follow PyTorch (NCHW; Linear and Conv2d weights (out, in, ...),
ConvTranspose2d weights (in, out // groups, kh, kw)). Each docstring states the forward
formula and the derivative the composition amounts to.
"""

from .activations import (
    abs,
    elu,
    gelu,
    hardtanh,
    leaky_relu,
    log_sigmoid,
    log_softmax,
    mish,
    power,
    relu,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    tanh,
)
from .attention import multi_head_attention, scaled_dot_product_attention
from .conv import (
    conv1d,
    conv2d,
    conv_transpose2d,
)
from .dropout import dropout
from .embedding import embedding, one_hot
from .linear import gram_matrix, linear
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cosine_similarity,
    cross_entropy,
    euclidean_loss,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
    total_variation,
)
from .normalization import (
    batch_norm,
    group_norm,
    instance_norm,
    layer_norm,
)
from .pooling import (
    adaptive_avg_pool2d,
    avg_pool1d,
    avg_pool2d,
    avg_unpool2d,
    max_pool1d,
    max_pool2d,
    max_unpool2d,
)
from .recurrent import gru, gru_cell, lstm, lstm_cell, rnn, rnn_cell
from .restructure import crop, pad
from .upsampling import interpolate

__all__ = [
    "abs",
    "adaptive_avg_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_unpool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "conv1d",
    "conv2d",
    "conv_transpose2d",
    "cosine_similarity",
    "crop",
    "cross_entropy",
    "dropout",
    "elu",
    "embedding",
    "euclidean_loss",
    "gelu",
    "gram_matrix",
    "group_norm",
    "gru",
    "gru_cell",
    "hardtanh",
    "huber_loss",
    "instance_norm",
    "interpolate",
    "kl_div",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "lstm",
    "lstm_cell",
    "max_pool1d",
    "max_pool2d",
    "max_unpool2d",
    "mish",
    "mse_loss",
    "multi_head_attention",
    "nll_loss",
    "one_hot",
    "pad",
    "power",
    "relu",
    "rnn",
    "rnn_cell",
    "scaled_dot_product_attention",
    "selu",
    "sigmoid",
    "silu",
    "smooth_l1_loss",
    "softmax",
    "softplus",
    "softsign",
    "tanh",
    "total_variation",
]
