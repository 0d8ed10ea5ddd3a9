"""Imports of the optional reference frameworks, set up for a fair single-process run.

Only variants call these, inside the child, so the suite runs without them installed.
"""

from __future__ import annotations

import os
from typing import Any


def torch_module() -> Any:
    """`torch`, with its intra-op and inter-op pools sized like the BLAS threads
    (it reads OMP_NUM_THREADS too, but setting it explicitly leaves no doubt)."""
    import torch

    threads = int(os.environ.get("OMP_NUM_THREADS", "1"))
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(threads)
    except RuntimeError:  # already set once in this process
        pass
    return torch


def micrograd_value() -> Any:
    """micrograd's scalar `Value` class."""
    from micrograd.engine import Value

    return Value
