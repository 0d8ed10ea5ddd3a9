"""Fixed sizes and seeded data shared by every variant, so that all implementations of a
case start from the same weights and see the same batches.

Weights use PyTorch's layouts: Linear (out, in) with y = x @ W.T + b; Conv2d
(out_channels, in_channels, kh, kw). Initial values are uniform in +-1/sqrt(fan_in),
PyTorch's default for both layers.
"""

from __future__ import annotations

import numpy as np

SEED = 0
DTYPE = np.float32
LR = 0.01

MLP_SIZES = (784, 512, 256, 10)
MLP_BATCH = 128
MLP_MEMORY_STEPS = 200

CNN_CHANNELS = (1, 8, 16)  # conv 1->8, conv 8->16, both 3x3 with padding 1
CNN_KERNEL = 3
CNN_IMAGE = 28
CNN_BATCH = 64
CLASSES = 10


def _uniform(
    rng: np.random.Generator, shape: tuple[int, ...], fan_in: int, dtype: type
) -> np.ndarray:
    bound = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, size=shape).astype(dtype)


def mlp_params(
    sizes: tuple[int, ...] = MLP_SIZES, seed: int = SEED, dtype: type = DTYPE
) -> list[np.ndarray]:
    """[W1, b1, W2, b2, ...] for layers sizes[0] -> sizes[1] -> ... (W is (out, in))."""
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        params.append(_uniform(rng, (fan_out, fan_in), fan_in, dtype))
        params.append(_uniform(rng, (fan_out,), fan_in, dtype))
    return params


def cnn_params(image: int = CNN_IMAGE, seed: int = SEED, dtype: type = DTYPE) -> list[np.ndarray]:
    """[K1, c1, K2, c2, W, b]: two 3x3 convolutions, then a linear layer on the
    flattened (16, image/4, image/4) feature map (784 inputs for 28x28 images)."""
    rng = np.random.default_rng(seed)
    k = CNN_KERNEL
    params = []
    for cin, cout in zip(CNN_CHANNELS[:-1], CNN_CHANNELS[1:]):
        fan_in = cin * k * k
        params.append(_uniform(rng, (cout, cin, k, k), fan_in, dtype))
        params.append(_uniform(rng, (cout,), fan_in, dtype))
    features = CNN_CHANNELS[-1] * (image // 4) ** 2
    params.append(_uniform(rng, (CLASSES, features), features, dtype))
    params.append(_uniform(rng, (CLASSES,), features, dtype))
    return params


def batch(
    shape: tuple[int, ...], classes: int = CLASSES, seed: int = SEED + 1, dtype: type = DTYPE
) -> tuple[np.ndarray, np.ndarray]:
    """Random inputs of `shape` (standard normal) and integer labels, one per row."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(dtype)
    y = rng.integers(0, classes, size=shape[0]).astype(np.int64)
    return x, y


def mlp_batch(seed: int = SEED + 1) -> tuple[np.ndarray, np.ndarray]:
    return batch((MLP_BATCH, MLP_SIZES[0]), MLP_SIZES[-1], seed)


def cnn_batch(seed: int = SEED + 1) -> tuple[np.ndarray, np.ndarray]:
    return batch((CNN_BATCH, CNN_CHANNELS[0], CNN_IMAGE, CNN_IMAGE), CLASSES, seed)
