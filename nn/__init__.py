"""nn: layers, modules, losses, initialisation, optimisers, data loading, checkpoints.

- `nn.functional` (also `import nn.functional as F`): the layers as functions of Tensors;
- `nn.Module`, `nn.Parameter`, `nn.Sequential`, `nn.ModuleList` (`module.py`);
- the layers as Modules: `nn.Linear`, `nn.Conv2d`, `nn.BatchNorm2d`, ... (`layers/`, one
  file per file of `functional/`);
- `nn.init`, `nn.optim`, `nn.data.DataLoader`;
- `nn.save(module_or_state, path)` / `nn.load(path)`: `.npz` checkpoints, no pickle
  (`serialization.py`).
"""

from . import data, functional, init, optim
from .layers import (
    Abs,
    AvgPool2d,
    AvgUnpool2d,
    BatchNorm1d,
    BatchNorm2d,
    BCELoss,
    BCEWithLogitsLoss,
    Conv2d,
    ConvTranspose2d,
    Crop,
    CrossEntropyLoss,
    Dropout,
    EuclideanLoss,
    Flatten,
    GramMatrix,
    Identity,
    InstanceNorm2d,
    LayerNorm,
    LeakyReLU,
    Linear,
    LogSoftmax,
    MaxPool2d,
    MaxUnpool2d,
    MSELoss,
    NLLLoss,
    Pad,
    Power,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    TotalVariation,
)
from .module import Module, ModuleList, Parameter, Sequential
from .serialization import StateDictError, load, save

__all__ = [
    "Abs",
    "AvgPool2d",
    "AvgUnpool2d",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv2d",
    "ConvTranspose2d",
    "Crop",
    "CrossEntropyLoss",
    "Dropout",
    "EuclideanLoss",
    "Flatten",
    "GramMatrix",
    "Identity",
    "InstanceNorm2d",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "MaxPool2d",
    "MaxUnpool2d",
    "Module",
    "ModuleList",
    "NLLLoss",
    "Pad",
    "Parameter",
    "Power",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "TotalVariation",
    "data",
    "functional",
    "init",
    "load",
    "optim",
    "save",
    "StateDictError",
]
