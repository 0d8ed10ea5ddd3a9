"""`detect_anomaly()`: find the op whose backward first produced a NaN or inf.

Inside the block every recorded op remembers the line of user code that created it
(a frame walk per op, so it is off by default), and backward checks each gradient.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .grad_mode import _Switch

_PACKAGES = tuple(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep + name + os.sep
    for name in ("autograd_core", "ops", "nn")
)


class detect_anomaly(_Switch):
    """Context manager (or decorator): a NaN or inf produced in backward raises
    `FloatingPointError` naming the op and the line of user code that created it."""

    _field = "anomaly"

    def __init__(self) -> None:
        super().__init__(True)


def user_frame_object() -> Any:
    """The frame of the innermost caller outside this project, or None."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGES):
        frame = frame.f_back
    return frame


def user_frame() -> str:
    """'file:line in function: source' of the innermost caller outside this project."""
    frame = user_frame_object()
    if frame is None:
        return "<unknown>"
    import linecache

    code = frame.f_code
    line = linecache.getline(code.co_filename, frame.f_lineno).strip()
    return f"{code.co_filename}:{frame.f_lineno} in {code.co_name}: {line}"
