"""Checkpoints: state dicts, and `save` / `load` as `.npz` archives without pickle.

A state dict is an ordered mapping from PyTorch-style names (`fc1.weight`,
`bn.running_mean`) to ndarrays. `save` writes one `.npy` member per entry into a zip
archive (the `.npz` format) with `allow_pickle=False`, and `load` reads it back with
`np.load(..., allow_pickle=False)`: a file is only ever parsed as numbers, so loading a
checkpoint cannot run code. Files holding object arrays (pickles), and files that are
truncated or not `.npz` archives, are refused with ValueError.
"""

from __future__ import annotations

import os
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


def save(module_or_state: Any, path: str | os.PathLike[str]) -> None:
    """Write a module's `state_dict()` (or a mapping of name -> array) to `path` as an
    uncompressed `.npz` archive, without pickle. The file name is used as given (no
    `.npz` is appended). The file is written next to its destination first and then
    moved into place, so an interrupted save never leaves a half-written checkpoint."""
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
    tmp = f"{path}.tmp-{os.getpid()}-{threading.get_ident()}"  # ordinary permissions
    try:
        with open(tmp, "wb") as f, zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as zf:
            for key, array in arrays:
                with zf.open(key + ".npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, array, allow_pickle=False)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load(path: str | os.PathLike[str]) -> OrderedDict[str, np.ndarray]:
    """Read a checkpoint written by `save` (or `np.savez`) as an ordered dict of arrays,
    ready for `module.load_state_dict(...)`. Never unpickles: files holding Python
    objects, truncated or corrupt files and non-`.npz` files raise ValueError.

    Each member is parsed here, header first: its dtype must hold plain numbers, and its
    stored size must equal what the header's shape and dtype need, before anything is
    allocated (a header may claim terabytes)."""
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
            for info in archive.infolist():
                state[_member_key(info.filename, path)] = _read_member(archive, info, path)
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


def _member_key(name: str, path: str) -> str:
    if not name.endswith(".npy") or len(name) == 4:
        raise ValueError(
            f"nn.load: {path!r} holds a member {name!r} that is not an .npy array; a "
            "checkpoint holds arrays only."
        )
    return name[:-4]


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str) -> np.ndarray:
    """One .npy member, checked against its own header before its data is read."""
    fmt = np.lib.format
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
        needed = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        stored = info.file_size - member.tell()
        if stored != needed:
            raise ValueError(
                f"nn.load: {path!r}, member {info.filename!r}: its header describes "
                f"{shape} {dtype} ({needed} bytes) but it holds {stored} bytes; the file "
                "is truncated or was edited."
            )
        data = member.read(needed)
    if len(data) != needed:
        raise ValueError(f"nn.load: {path!r}, member {info.filename!r} is truncated.")
    array = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return array.copy()
