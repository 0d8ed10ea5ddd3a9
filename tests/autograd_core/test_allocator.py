"""glibc's malloc tuned on import: mid-size arrays come from the heap, not from mmap."""

import ctypes
import os
import subprocess
import sys

import numpy as np

import autograd_core


class MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
            "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def _mmapped_blocks() -> int:
    mallinfo2 = ctypes.CDLL(None).mallinfo2
    mallinfo2.restype = MallInfo2
    return mallinfo2().hblks


def test_importing_the_engine_keeps_a_mid_size_array_off_mmap():
    assert autograd_core.allocator.tune() is True  # Debian's C library is glibc
    before = _mmapped_blocks()
    a = np.ones(1_000_000)  # 8 MB: glibc's default would mmap it
    assert _mmapped_blocks() == before
    b = np.ones(5_000_000)  # 40 MB: above the new limit, mmapped as before
    assert _mmapped_blocks() == before + 1
    del a, b


def test_the_environment_can_keep_glibcs_defaults():
    code = "import autograd_core; print(autograd_core.allocator.tune())"
    for env in ({"AUTOGRAD_MALLOC": "default"}, {"MALLOC_MMAP_THRESHOLD_": "131072"}):
        done = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.strip() == "False", env
