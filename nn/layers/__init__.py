"""The layers as `Module`s: each holds its settings and parameters and calls the
matching function of `nn.functional` in `forward`. The files mirror `nn/functional/`:
`activations.py`, `conv.py`, `pooling.py`, `normalization.py`, `dropout.py`,
`embedding.py`, `recurrent.py`, `attention.py`, `upsampling.py`, `restructure.py`,
`losses.py` and `linear.py` hold the Modules of the functions in the file of the same
name there (plus Identity and Flatten, which have no function); `transformer.py` holds
TransformerEncoderLayer and TransformerEncoder, compositions of those Modules with
PyTorch's submodule names; `_base.py` holds the `Layer` base class and parameter
initialisation.

A layer checks its constructor arguments when it is built, with the checks of the
function it calls; its input is checked by that function, and the layer's name and key
setting are put in front of the error (see `Layer`).

Parameter names, shapes and default initialisation follow PyTorch, so state dicts can
be exchanged with it: `Linear.weight` is (out_features, in_features), `Conv2d.weight` is
(out_channels, in_channels // groups, kh, kw), `ConvTranspose2d.weight` is
(in_channels, out_channels // groups, kh, kw); weights start as
kaiming_uniform_(a=sqrt(5)) and biases as U(-1/sqrt(fan_in), 1/sqrt(fan_in)). The
recurrent layers use PyTorch's weight_ih_l{k} / weight_hh_l{k} / bias_*_l{k} names and
gate orders (LSTM i, f, g, o; GRU r, z, n), MultiheadAttention its in_proj_weight and
out_proj, Embedding N(0, 1).
Parameters are float32 by default (as in PyTorch); pass `dtype=np.float64` (or call
`.double()`) for gradient checks. Layers with random initialisation or behaviour take
`rng`: a `np.random.Generator`, an int seed, or None for the engine's generator, so
that after `autograd_core.manual_seed(s)` initialisation and dropout repeat exactly.
"""

from ._base import Layer
from .activations import (
    ELU,
    GELU,
    SELU,
    Abs,
    Hardtanh,
    Identity,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    Power,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Softsign,
    Tanh,
)
from .attention import MultiheadAttention
from .conv import (
    Conv1d,
    Conv2d,
    ConvTranspose2d,
)
from .dropout import Dropout
from .embedding import Embedding
from .linear import GramMatrix, Linear
from .losses import (
    BCELoss,
    BCEWithLogitsLoss,
    CosineSimilarity,
    CrossEntropyLoss,
    EuclideanLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
    TotalVariation,
)
from .normalization import (
    BatchNorm1d,
    BatchNorm2d,
    GroupNorm,
    InstanceNorm2d,
    LayerNorm,
)
from .pooling import (
    AdaptiveAvgPool2d,
    AvgPool1d,
    AvgPool2d,
    AvgUnpool2d,
    MaxPool1d,
    MaxPool2d,
    MaxUnpool2d,
)
from .recurrent import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell
from .restructure import Crop, Flatten, Pad
from .transformer import TransformerEncoder, TransformerEncoderLayer
from .upsampling import Upsample

__all__ = [
    "Abs",
    "AdaptiveAvgPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgUnpool2d",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv1d",
    "Conv2d",
    "ConvTranspose2d",
    "CosineSimilarity",
    "Crop",
    "CrossEntropyLoss",
    "Dropout",
    "ELU",
    "Embedding",
    "EuclideanLoss",
    "Flatten",
    "GELU",
    "GRU",
    "GRUCell",
    "GramMatrix",
    "GroupNorm",
    "Hardtanh",
    "HuberLoss",
    "Identity",
    "InstanceNorm2d",
    "KLDivLoss",
    "L1Loss",
    "LSTM",
    "LSTMCell",
    "Layer",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSigmoid",
    "LogSoftmax",
    "MSELoss",
    "MaxPool1d",
    "MaxPool2d",
    "MaxUnpool2d",
    "Mish",
    "MultiheadAttention",
    "NLLLoss",
    "Pad",
    "Power",
    "RNN",
    "RNNCell",
    "ReLU",
    "SELU",
    "SiLU",
    "Sigmoid",
    "SmoothL1Loss",
    "Softmax",
    "Softplus",
    "Softsign",
    "Tanh",
    "TotalVariation",
    "TransformerEncoder",
    "TransformerEncoderLayer",
    "Upsample",
]
