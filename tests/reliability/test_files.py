"""Checkpoint files that are malicious or broken: each test builds one, byte by byte
where needed, and checks that nn.load refuses it with ValueError (or, for a file that is
sound but does not fit the model, that load_state_dict refuses it), never that it runs
code, fills memory or returns different numbers quietly.
"""

from __future__ import annotations

import io
import os
import pickle
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import nn

PAYLOAD_RUNS: list[str] = []


def _payload(message: str) -> None:
    """What a malicious pickle would run; recording it is enough to show that it ran."""
    PAYLOAD_RUNS.append(message)


class Exploit:
    """Unpickling this object calls `_payload`: the shape of a real pickle exploit."""

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return _payload, ("code ran while loading a checkpoint",)


@pytest.fixture(autouse=True)
def no_payload_ran():
    PAYLOAD_RUNS.clear()
    yield
    assert PAYLOAD_RUNS == [], "loading a file ran code from it"


def model() -> nn.Module:
    return nn.Sequential(nn.Linear(3, 4, rng=0), nn.ReLU(), nn.Linear(4, 2, rng=1))


def saved(tmp_path: Path) -> tuple[Path, OrderedDict[str, np.ndarray]]:
    path = tmp_path / "good.npz"
    net = model()
    nn.save(net, path)
    return path, net.state_dict()


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


# ---- pickles --------------------------------------------------------------------------------


def test_npz_with_a_pickled_exploit_is_refused_without_running_it(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, weight=np.zeros(3), payload=np.array([Exploit()], dtype=object))
    with pytest.raises(ValueError, match="pickled Python objects.*could run code"):
        nn.load(path)


def test_a_bare_pickle_file_is_refused_without_running_it(tmp_path):
    path = tmp_path / "evil.pt"
    path.write_bytes(pickle.dumps({"0.weight": Exploit()}))
    with pytest.raises(ValueError, match="pickled"):
        nn.load(path)


def test_an_npy_header_forged_to_say_object_dtype_is_refused(tmp_path):
    """A hand-edited header: dtype 'O' in front of a pickle stream."""
    header = npy_bytes(np.zeros(1)).split(b"\n")[0].replace(b"'<f8'", b"'|O'")
    data = header.ljust(len(header)) + b"\n" + pickle.dumps(np.array([Exploit()], dtype=object))
    path = zip_of(tmp_path / "forged.npz", {"w.npy": data})
    with pytest.raises(ValueError, match="nn.load"):
        nn.load(path)


# ---- truncated, corrupt, not a checkpoint ------------------------------------------------


def test_every_truncation_of_a_checkpoint_is_refused(tmp_path):
    path, _ = saved(tmp_path)
    data = path.read_bytes()
    cut = tmp_path / "cut.npz"
    for end in range(0, len(data), 7):
        cut.write_bytes(data[:end])
        with pytest.raises(ValueError, match="nn.load"):
            nn.load(cut)


def _flips(tmp_path: Path) -> Any:
    """A checkpoint with each of its bytes flipped in turn: yields (position, outcome),
    the outcome being the loaded state or the exception nn.load raised."""
    path, expected = saved(tmp_path)
    data = path.read_bytes()
    bad = tmp_path / "flipped.npz"
    for k in range(len(data)):
        flipped = bytearray(data)
        flipped[k] ^= 0x5A
        bad.write_bytes(bytes(flipped))
        try:
            yield k, nn.load(bad)
        except Exception as err:  # sorted out by the callers
            yield k, err


def test_a_flipped_byte_never_changes_a_number(tmp_path):
    """Whatever nn.load makes of a damaged file, no number differs from the saved one:
    every array it returns is bit-identical (the zip CRC of each member catches flips in
    the data), and a strict load_state_dict refuses a state that lost keys."""
    _, expected = saved(tmp_path)
    refused = 0
    for k, outcome in _flips(tmp_path):
        if isinstance(outcome, Exception):
            refused += 1
            continue
        assert set(outcome) <= set(expected), f"byte {k}: {sorted(outcome)}"
        for key, value in outcome.items():
            assert value.dtype == expected[key].dtype, f"byte {k}"
            np.testing.assert_array_equal(value, expected[key], err_msg=f"byte {k}")
        if set(outcome) != set(expected):  # a damaged directory can hide members
            with pytest.raises(RuntimeError, match="missing keys"):
                model().load_state_dict(outcome)
    assert refused > 500  # most bytes matter


def test_a_flipped_byte_is_refused_with_value_error(tmp_path):
    others = {k: type(err).__name__ for k, err in _flips(tmp_path)
              if isinstance(err, Exception) and not isinstance(err, ValueError)}  # fmt: skip
    assert others == {}


@pytest.mark.parametrize(
    "content",
    [b"", b"not a checkpoint at all\n", b"PK\x03\x04" + b"\x00" * 30, b"\x93NUMPY\x01\x00"],
    ids=["empty", "text", "zip-header-only", "npy-magic-only"],
)
def test_files_that_are_not_checkpoints_are_refused(tmp_path, content):
    path = tmp_path / "x.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="nn.load"):
        nn.load(path)


def test_a_single_npy_array_and_a_directory_are_refused(tmp_path):
    np.save(tmp_path / "single.npy", np.zeros(3))
    with pytest.raises(ValueError, match="single .npy array"):
        nn.load(tmp_path / "single.npy")
    with pytest.raises(ValueError, match="nn.load"):
        nn.load(tmp_path)


def test_a_header_claiming_more_data_than_the_file_holds_is_refused(tmp_path):
    data = npy_bytes(np.arange(3.0)).replace(b"(3,)", b"(9,)")
    path = zip_of(tmp_path / "short.npz", {"w.npy": data})
    with pytest.raises(ValueError, match="nn.load"):
        nn.load(path)


def test_a_header_claiming_terabytes_is_refused_without_allocating(tmp_path):
    data = npy_bytes(np.arange(3.0)).replace(b"(3,)", b"(1000000000000,)")
    path = zip_of(tmp_path / "huge.npz", {"w.npy": data})
    with pytest.raises(ValueError, match="nn.load"):
        nn.load(path)


def test_a_header_claiming_less_data_than_the_member_holds_is_refused(tmp_path):
    data = npy_bytes(np.arange(3.0)).replace(b"(3,)", b"(2,)")
    path = zip_of(tmp_path / "long.npz", {"w.npy": data})
    with pytest.raises(ValueError, match="nn.load"):
        nn.load(path)


def test_a_member_that_is_not_an_array_is_refused(tmp_path):
    path = zip_of(tmp_path / "mixed.npz", {"w.npy": npy_bytes(np.zeros(3)), "notes.txt": b"hi"})
    with pytest.raises(ValueError, match="nn.load"):
        nn.load(path)


def test_loading_writes_nothing_to_disk(tmp_path):
    """Member names like '../escape.npy' are only dictionary keys: nothing is extracted."""
    path = zip_of(tmp_path / "names.npz", {"../escape.npy": npy_bytes(np.zeros(2)),
                                           "/abs.npy": npy_bytes(np.ones(2))})  # fmt: skip
    before = sorted(os.listdir(tmp_path.parent)), sorted(os.listdir(tmp_path))
    state = nn.load(path)
    assert sorted(state) == ["../escape", "/abs"]
    assert (sorted(os.listdir(tmp_path.parent)), sorted(os.listdir(tmp_path))) == before
    with pytest.raises(ValueError, match="unexpected keys"):
        model().load_state_dict(state)


# ---- sound files that do not fit the model ------------------------------------------------
# load_state_dict raises RuntimeError, as PyTorch does (the API defers to PyTorch here), and
# changes nothing in the model when it refuses.


def _refused_without_change(state: Any, *fragments: str, strict: bool = True) -> None:
    net = model()
    before = {k: v.copy() for k, v in net.state_dict().items()}
    with pytest.raises(RuntimeError) as info:
        net.load_state_dict(state, strict=strict)
    for fragment in fragments:
        assert fragment in str(info.value)
    for key, value in net.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


def test_wrong_shapes_are_refused(tmp_path):
    path, state = saved(tmp_path)
    state = nn.load(path)
    state["2.weight"] = np.zeros((3, 4), np.float32)
    nn.save(state, tmp_path / "wrong.npz")
    _refused_without_change(nn.load(tmp_path / "wrong.npz"), "size mismatch for 2.weight",
                            "(3, 4)", "(2, 4)")  # fmt: skip
    _refused_without_change(nn.load(tmp_path / "wrong.npz"), "size mismatch", strict=False)


def test_unknown_and_missing_keys_are_refused_when_strict(tmp_path):
    path, _ = saved(tmp_path)
    state = nn.load(path)
    state["3.weight"] = np.zeros(2, np.float32)
    del state["0.bias"]
    nn.save(state, tmp_path / "keys.npz")
    _refused_without_change(nn.load(tmp_path / "keys.npz"), "unexpected keys", "'3.weight'",
                            "missing keys", "'0.bias'", "strict=False")  # fmt: skip


def test_non_numeric_entries_are_refused():
    state = model().state_dict()
    state["0.weight"] = np.full((4, 3), "x")
    with pytest.raises(TypeError, match="0.weight"):
        model().load_state_dict(state)


def test_byte_order_and_memory_layout_do_not_change_the_numbers(tmp_path):
    """A big-endian, Fortran-ordered float64 checkpoint loads to the same values, cast to
    the model's float32."""
    net = model()
    state = {k: np.asfortranarray(v.astype(">f8")) for k, v in net.state_dict().items()}
    path = zip_of(tmp_path / "be.npz", {k + ".npy": npy_bytes(v) for k, v in state.items()})
    other = nn.Sequential(nn.Linear(3, 4, rng=5), nn.ReLU(), nn.Linear(4, 2, rng=6))
    other.load_state_dict(nn.load(path))
    x = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    np.testing.assert_array_equal(other(x).data, net(x).data)
    assert all(p.dtype == np.float32 for p in other.parameters())
