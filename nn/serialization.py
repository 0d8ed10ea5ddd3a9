"""Checkpoints: state dicts, and `save` / `load` as `.npz` archives without pickle.

A state dict is an ordered mapping from PyTorch-style names (`fc1.weight`,
`bn.running_mean`) to ndarrays. `save` writes one `.npy` member per entry into a zip
archive (the `.npz` format) with `allow_pickle=False`, and `load` reads it back with
`np.load(..., allow_pickle=False)`: a file is only ever parsed as numbers, so loading a
checkpoint cannot run code. Files holding object arrays (pickles), and files that are
truncated or not `.npz` archives, are refused with ValueError, and so are files that would
decompress to more than `load`'s `max_bytes` (1 GiB by default; a compressed member of a
few hundred bytes can claim gigabytes).
"""

from __future__ import annotations

import contextlib
import math
import os
import stat
import threading
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from autograd_core.tensor import Tensor, lock


class StateDictError(RuntimeError, ValueError):
    """A state dict that does not fit the model (missing, unexpected or mis-shaped keys).

    A RuntimeError as in PyTorch, and a ValueError too, since the input is what is wrong."""


class IncompatibleKeys(NamedTuple):
    """What `load_state_dict(strict=False)` skipped."""

    missing_keys: list[str]
    unexpected_keys: list[str]


def state_dict_of(module: Any) -> OrderedDict[str, np.ndarray]:
    """Copies of `module`'s parameters and persistent buffers, in PyTorch's order: for
    each module (parents first), its parameters, then its buffers."""
    out: OrderedDict[str, np.ndarray] = OrderedDict()
    for prefix, m in module.named_modules():
        head = f"{prefix}." if prefix else ""
        for key, p in m._parameters.items():
            if p is not None:
                out[head + key] = p.data.copy()
        for key, b in m._buffers.items():
            if b is not None and key not in m._non_persistent:
                out[head + key] = b.copy()
    return out


def _slots(module: Any) -> OrderedDict[str, tuple[Any, str, str]]:
    """Qualified name -> (owning module, 'param' or 'buffer', attribute name)."""
    slots: OrderedDict[str, tuple[Any, str, str]] = OrderedDict()
    for prefix, m in module.named_modules():
        head = f"{prefix}." if prefix else ""
        for key, p in m._parameters.items():
            if p is not None:
                slots[head + key] = (m, "param", key)
        for key, b in m._buffers.items():
            if b is not None and key not in m._non_persistent:
                slots[head + key] = (m, "buffer", key)
    return slots


def _as_array(value: Any, key: str) -> np.ndarray:
    if isinstance(value, Tensor):
        return value.data
    try:
        array = np.asarray(value)
    except Exception as err:  # any conversion failure means a bad entry
        raise TypeError(f"state_dict entry '{key}' is not an array: {err}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"state_dict entry '{key}' has dtype {array.dtype}; expected numbers.")
    return array


def load_state_dict_into(module: Any, state: Mapping[str, Any], strict: bool) -> IncompatibleKeys:
    """Validate everything first, then rebind each parameter's data and buffer."""
    if not isinstance(state, Mapping):
        raise TypeError(
            f"load_state_dict expects a mapping of name -> array (for example the result "
            f"of nn.load(path)); got {type(state).__name__}."
        )
    slots = _slots(module)
    missing = [k for k in slots if k not in state]
    unexpected = [k for k in state if k not in slots]
    updates = []
    mismatched = []
    for key, (owner, kind, attr) in slots.items():
        if key not in state:
            continue
        value = _as_array(state[key], key)
        current = owner._parameters[attr] if kind == "param" else owner._buffers[attr]
        if value.shape != current.shape:
            mismatched.append(
                f"  size mismatch for {key}: the checkpoint has shape {value.shape}, "
                f"the model has shape {tuple(current.shape)}"
            )
            continue
        updates.append((owner, kind, attr, lock(value.astype(current.dtype, copy=True))))
    problems = []
    if strict and missing:
        problems.append("  missing keys (in the model, not in the checkpoint): " + _list(missing))
    if strict and unexpected:
        problems.append(
            "  unexpected keys (in the checkpoint, not in the model): " + _list(unexpected)
        )
    problems.extend(mismatched)
    if problems:
        advice = (
            "Check that the checkpoint comes from the same architecture (names follow the "
            "attribute names, e.g. 'fc1.weight')"
        )
        if not mismatched:
            advice += ", or pass strict=False to load only the matching keys"
        raise StateDictError(
            f"Error(s) in loading state_dict for {type(module).__name__}:\n"
            + "\n".join(problems)
            + f"\n{advice}."
        )
    for owner, kind, attr, array in updates:
        if kind == "param":
            owner._parameters[attr].data = array
        else:
            owner._buffers[attr] = array
    return IncompatibleKeys(missing, unexpected)


def _list(keys: list[str]) -> str:
    return ", ".join(repr(k) for k in keys)


# ---- files --------------------------------------------------------------------------


DEFAULT_MAX_BYTES = 1 << 30
"""`load`'s default budget: 1 GiB of decompressed members per file."""

_CHUNK = 1 << 20  # members are read in pieces of this size, straight into their arrays


def save(module_or_state: Any, path: str | os.PathLike[str]) -> None:
    """Write a module's `state_dict()` (or a mapping of name -> array) to `path` as an
    uncompressed `.npz` archive, without pickle. The file name is used as given (no
    `.npz` is appended).

    The file is written next to its destination first and then moved into place, so a
    save that fails or is interrupted part way (an exception, KeyboardInterrupt) removes
    its temporary file and leaves any existing checkpoint at `path` as it was. Replacing
    an existing file keeps its permission bits (a 0600 checkpoint stays 0600, and the
    temporary file has them from the start); a new file gets the usual permissions
    (0666 less the umask)."""
    if hasattr(module_or_state, "state_dict") and callable(module_or_state.state_dict):
        state = module_or_state.state_dict()
    elif isinstance(module_or_state, Mapping):
        state = module_or_state
    else:
        raise TypeError(
            f"nn.save expects an nn.Module or a mapping of name -> array; got "
            f"{type(module_or_state).__name__}."
        )
    arrays = []
    for key, value in state.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"nn.save: keys must be non-empty strings; got {key!r}.")
        arrays.append((key, _as_array(value, key)))
    path = os.fspath(path)
    try:
        existing: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        existing = None  # a new file: ordinary permissions
    tmp = f"{path}.tmp-{os.getpid()}-{threading.get_ident()}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666 if existing is None else existing & 0o777)
    try:
        with os.fdopen(fd, "wb") as f:
            if existing is not None:
                os.chmod(tmp, existing)  # also when the umask took bits off, or tmp was stale
            with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as zf:
                for key, array in arrays:
                    with zf.open(key + ".npy", "w", force_zip64=True) as member:
                        np.lib.format.write_array(member, array, allow_pickle=False)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def load(
    path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> OrderedDict[str, np.ndarray]:
    """Read a checkpoint written by `save` (or `np.savez`, `np.savez_compressed`) as an
    ordered dict of arrays, ready for `module.load_state_dict(...)`. Never unpickles:
    files holding Python objects, truncated or corrupt files and non-`.npz` files raise
    ValueError.

    Each member is parsed here, header first: its dtype must hold plain numbers, and its
    stored size must equal what the header's shape and dtype need, before anything is
    allocated (a header may claim terabytes).

    `max_bytes` (default `DEFAULT_MAX_BYTES`, 1 GiB) bounds the total decompressed size
    of the members, so a tiny compressed file cannot fill memory. It is checked against
    the sizes the zip directory declares for all members before any is read, against
    each member's .npy header before its array is allocated, and while reading (a member
    is read in 1 MiB pieces straight into its array, never past its budget). A file over
    budget is refused with ValueError; pass a larger `max_bytes` to load a bigger
    checkpoint you trust. Only stored and deflated members (what `np.savez` and
    `np.savez_compressed` write) are read."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, (int, np.integer)):
        raise TypeError(
            f"nn.load: max_bytes must be an int (a number of bytes); got {max_bytes!r}."
        )
    if max_bytes < 0:
        raise ValueError(f"nn.load: max_bytes must be >= 0; got {max_bytes}.")
    max_bytes = int(max_bytes)
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"nn.load: no such file: {path!r}")
    if os.path.isdir(path):
        raise ValueError(f"nn.load: {path!r} is a directory, not a checkpoint file.")
    with open(path, "rb") as f:
        head = f.read(6)
    if head[:1] == b"\x80":  # the opcode every pickle since protocol 2 starts with
        raise ValueError(
            f"nn.load: {path!r} is a pickle; pickled Python objects are refused because "
            "loading them could run code. Save checkpoints with nn.save."
        )
    if head == b"\x93NUMPY":
        raise ValueError(
            f"nn.load: {path!r} is a single .npy array, not an .npz archive; save "
            "checkpoints with nn.save."
        )
    state: OrderedDict[str, np.ndarray] = OrderedDict()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(info.file_size for info in members)
            declared = 0
            for info in members:  # the directory's sizes, before reading anything
                if declared + info.file_size > max_bytes:
                    what = f"would decompress to {_size(info.file_size)} (its size in the zip "
                    what += "directory)"
                    raise _over_budget(path, info, what, declared, max_bytes, total)
                declared += info.file_size
            used = 0
            for info in members:
                key = _member_key(info.filename, path)
                state[key] = _read_member(archive, info, path, used, max_bytes)
                used += info.file_size
    except ValueError:
        raise
    except (
        OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError
    ) as err:  # fmt: skip
        raise ValueError(
            f"nn.load: {path!r} is truncated or corrupt ({type(err).__name__}: {err}). "
            "Expected an .npz archive written by nn.save."
        ) from None
    return state


def _size(n: int) -> str:
    """A byte count for a message: '268435584 bytes (256.0 MiB)'."""
    for unit, scale in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n} bytes ({n / scale:.1f} {unit})"
    return f"{n} bytes"


def _over_budget(
    path: str, info: zipfile.ZipInfo, what: str, used: int, max_bytes: int, needed: int
) -> ValueError:
    """The refusal of a member that does not fit in what is left of the budget."""
    before = f", after {_size(used)} in earlier members," if used else ""
    return ValueError(
        f"nn.load: {path!r}, member {info.filename!r} {what}, which{before} exceeds the "
        f"budget of max_bytes={_size(max_bytes)}. The budget guards against zip bombs "
        "(tiny files that decompress to gigabytes); if you trust this file, raise it with "
        f"the max_bytes keyword, e.g. nn.load(path, max_bytes={needed})."
    )


def _member_key(name: str, path: str) -> str:
    if not name.endswith(".npy") or len(name) == 4:
        raise ValueError(
            f"nn.load: {path!r} holds a member {name!r} that is not an .npy array; a "
            "checkpoint holds arrays only."
        )
    return name[:-4]


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, used: int, max_bytes: int
) -> np.ndarray:
    """One .npy member, checked against its own header and the budget left (`max_bytes`
    less the `used` bytes of earlier members) before its data is read into a new array,
    once, in pieces."""
    fmt = np.lib.format
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(
            f"nn.load: {path!r}, member {info.filename!r} uses zip compression method "
            f"{info.compress_type}; only stored and deflated members (as np.savez and "
            "np.savez_compressed write) are read. Re-save the checkpoint with nn.save."
        )
    with archive.open(info) as member:
        try:
            version = fmt.read_magic(member)
            readers = {(1, 0): fmt.read_array_header_1_0, (2, 0): fmt.read_array_header_2_0}
            if version not in readers:
                raise ValueError(f"unsupported .npy format version {version}")
            header = readers[version](member, max_header_size=10_000)
        except ValueError as err:
            raise ValueError(f"nn.load: {path!r}, member {info.filename!r}: {err}") from None
        shape, fortran, dtype = header
        if dtype.hasobject:
            raise ValueError(
                f"nn.load: {path!r} contains pickled Python objects (member "
                f"{info.filename!r}), which are refused because loading them could run "
                "code. Save checkpoints with nn.save, which stores numbers only."
            )
        needed = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
        stored = info.file_size - member.tell()
        if stored != needed:
            raise ValueError(
                f"nn.load: {path!r}, member {info.filename!r}: its header describes "
                f"{shape} {dtype} ({needed} bytes) but it holds {stored} bytes; the file "
                "is truncated or was edited."
            )
        if used + member.tell() + needed > max_bytes:  # the header against the budget too
            what = f"declares shape {shape} {dtype} in its .npy header, {_size(needed)}"
            raise _over_budget(path, info, what, used, max_bytes, used + member.tell() + needed)
        raw = np.empty(needed, dtype=np.uint8)
        view = memoryview(raw)
        done = 0
        while done < needed:  # never asks for more than `needed`, which is within budget
            n = member.readinto(view[done : done + _CHUNK])
            if not n:
                break
            done += n
        view.release()
    if done != needed:
        raise ValueError(f"nn.load: {path!r}, member {info.filename!r} is truncated.")
    return raw.view(dtype).reshape(shape, order="F" if fortran else "C")
