"""Where NumPy's arrays come from: glibc's malloc, set once so that mid-size arrays are
reused instead of faulted in afresh.

A training step allocates and frees the same few array sizes hundreds of times (one
output per op, one gradient per vjp). By default glibc serves every block of 128 KiB or
more with its own `mmap`, and gives the free top of its heap back to the system once
128 KiB of it is free; either way the next array of that size arrives as untouched pages,
and the kernel zeroes each page on first write. On a character-level LSTM step (batch 32,
1,024 gate units: 128 KiB per float32 array) those page faults were about a quarter of
the step. glibc raises both limits by itself when a large block is freed, but only one
block size at a time, and any `MALLOC_*` environment variable turns that off.

`tune()` sets the limits glibc's own adjustment ends at on 64-bit systems (blocks up to
32 MiB from the heap, 64 MiB of free heap kept), once, when autograd_core is imported. It
changes nothing where the C library is not glibc, or when `MALLOC_MMAP_THRESHOLD_` or
`AUTOGRAD_MALLOC=default` is set in the environment. Peak memory is unchanged (the
limits decide where freed memory waits, not how much is in use); memory the process
frees stays mapped for its next arrays instead of going back to the system at once.
"""

from __future__ import annotations

import ctypes
import os

M_TRIM_THRESHOLD = -1  # mallopt's parameter numbers, from glibc's malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD  # what glibc's adjustment sets beside it

_done: list[bool] = []


def tune() -> bool:
    """Set glibc's mmap and trim thresholds (see the module docstring), once per process.
    Returns whether they are set now."""
    if _done:
        return _done[0]
    _done.append(False)
    if os.environ.get("AUTOGRAD_MALLOC") == "default" or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt  # glibc (and a few others) only; AttributeError elsewhere
        libc.gnu_get_libc_version  # noqa: B018 - glibc's alone: mallopt's numbers are its
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    done = bool(
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
    _done[0] = done
    return done
