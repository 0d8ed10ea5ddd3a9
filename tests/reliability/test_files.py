"""Checkpoint files that are malicious or broken: each test builds one, byte by byte
where needed, and checks that nn.load refuses it with ValueError (or, for a file that is
sound but does not fit the model, that load_state_dict refuses it), never that it runs
code, fills memory or returns different numbers quietly.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import time
import tracemalloc
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


# ---- zip bombs: small files that decompress to far more -------------------------------------

MiB = 1 << 20


def npy_header(items: int) -> bytes:
    """A version 1.0 .npy header for `items` float64 values (128 bytes)."""
    header = io.BytesIO()
    fields = {"descr": "<f8", "fortran_order": False, "shape": (items,)}
    np.lib.format.write_array_header_1_0(header, fields)
    return header.getvalue()


def bomb(
    path: Path, nbytes: int, compression: int = zipfile.ZIP_DEFLATED, items: int | None = None
) -> Path:
    """One member, 'w.npy': a header declaring `items` float64 (by default, honestly,
    `nbytes // 8`), then `nbytes` of zeros streamed through the compressor, so that the
    file stays small."""
    zeros = bytes(MiB)
    with zipfile.ZipFile(path, "w", compression) as archive:
        with archive.open("w.npy", "w") as member:
            member.write(npy_header(nbytes // 8 if items is None else items))
            for _ in range(nbytes // MiB):
                member.write(zeros)
    return path


def declare(path: Path, file_size: int) -> Path:
    """Rewrite the uncompressed size that the zip directory (and the local header)
    declares for the first member, leaving its data as it is."""
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 22, file_size)
    struct.pack_into("<I", data, data.rindex(b"PK\x01\x02") + 24, file_size)
    path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module")
def bomb_256_mib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A deflated member of 2**25 float64 (256 MiB) in a file of about 250 KiB."""
    return bomb(tmp_path_factory.mktemp("bomb") / "bomb.npz", 256 * MiB)


def traced(call: Any) -> tuple[Any, int, float]:
    """What `call()` returned or raised, the peak of traced memory while it ran, and the
    seconds it took."""
    already = tracemalloc.is_tracing()
    if already:
        tracemalloc.reset_peak()
    else:
        tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    try:
        outcome = call()
    except Exception as err:  # handed to the caller to check
        outcome = err
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] - base
    if not already:
        tracemalloc.stop()
    return outcome, peak, seconds


def test_a_deflated_256_mib_member_over_the_budget_is_refused_before_allocating(bomb_256_mib):
    """The zip directory and the .npy header both declare 256 MiB honestly; a budget of
    64 MiB refuses it before a byte of it is decompressed."""
    assert bomb_256_mib.stat().st_size < MiB
    outcome, peak, seconds = traced(lambda: nn.load(bomb_256_mib, max_bytes=64 * MiB))
    assert isinstance(outcome, ValueError), outcome
    message = str(outcome)
    for fragment in ("member 'w.npy'", "268435584 bytes (256.0 MiB)",
                     "max_bytes=67108864 bytes (64.0 MiB)", "with the max_bytes keyword",
                     "nn.load(path, max_bytes=268435584)"):  # fmt: skip
        assert fragment in message, message
    assert peak < 2 * MiB, f"peak {peak / MiB:.1f} MiB"
    assert seconds < 1.0


def test_within_the_budget_a_member_is_read_once_into_its_array(bomb_256_mib):
    """The default budget (1 GiB) admits the 256 MiB member: it is read in pieces straight
    into its array, so the peak is that array plus a few MiB (not a bytes object and a
    copy of it, 512 MiB)."""
    outcome, peak, _ = traced(lambda: nn.load(bomb_256_mib))
    assert isinstance(outcome, dict), outcome
    array = outcome["w"]
    assert array.shape == (2**25,) and array.dtype == np.float64 and not array.any()
    assert peak < array.nbytes + 8 * MiB, f"peak {peak / MiB:.1f} MiB"


def test_the_default_budget_of_one_gib_is_checked_against_the_zip_directory(tmp_path):
    """A small member whose directory entry declares 2 GiB is refused by default from
    the directory alone: nothing is decompressed or allocated."""
    path = declare(zip_of(tmp_path / "big.npz", {"w.npy": npy_bytes(np.zeros(3))}), 2**31)
    outcome, peak, _ = traced(lambda: nn.load(path))
    assert isinstance(outcome, ValueError), outcome
    assert "'w.npy'" in str(outcome) and "2147483648 bytes (2.0 GiB)" in str(outcome)
    assert "max_bytes=1073741824 bytes (1.0 GiB)" in str(outcome)
    assert nn.serialization.DEFAULT_MAX_BYTES == 1 << 30
    assert peak < MiB


def test_the_budget_is_shared_by_all_members(tmp_path):
    """Three 1 MiB members, each within a 2.5 MiB budget, are refused together; the
    message names the member that crosses the budget and what came before it."""
    members = {f"w{k}.npy": npy_bytes(np.zeros(MiB // 8)) for k in range(3)}
    path = zip_of(tmp_path / "three.npz", members)
    with pytest.raises(ValueError, match=r"'w2.npy'.*after 2097408 bytes \(2.0 MiB\) in "
                                         r"earlier members.*max_bytes="):  # fmt: skip
        nn.load(path, max_bytes=5 * MiB // 2)
    assert sorted(nn.load(path, max_bytes=3 * MiB + 384)) == ["w0", "w1", "w2"]  # just fits


def test_a_member_whose_stream_is_longer_than_declared_is_not_read_past_it(tmp_path):
    """A header and a directory entry that agree on 8,000 bytes of data, in front of a
    deflate stream of 32 MiB: only the declared bytes are decompressed, and the CRC
    (computed over the whole stream) then refuses the member."""
    path = declare(bomb(tmp_path / "long.npz", 32 * MiB, items=1000), 128 + 8000)
    outcome, peak, seconds = traced(lambda: nn.load(path))
    assert isinstance(outcome, ValueError) and "corrupt" in str(outcome), outcome
    assert peak < 4 * MiB, f"peak {peak / MiB:.1f} MiB"
    assert seconds < 1.0


def test_a_bzip2_member_is_refused_before_decompressing(tmp_path):
    """bzip2 packs 64 MiB of zeros into a few hundred bytes and zipfile decompresses a
    bzip2 block without a size limit, so only stored and deflated members are read."""
    path = bomb(tmp_path / "bz2.npz", 64 * MiB, zipfile.ZIP_BZIP2)
    assert path.stat().st_size < 1024
    outcome, peak, _ = traced(lambda: nn.load(path))
    assert isinstance(outcome, ValueError), outcome
    assert "'w.npy'" in str(outcome) and "compression method 12" in str(outcome)
    assert peak < MiB, f"peak {peak / MiB:.1f} MiB"


def test_max_bytes_must_be_a_non_negative_int():
    with pytest.raises(TypeError, match="max_bytes must be an int"):
        nn.load("unused.npz", max_bytes=1.5)
    with pytest.raises(ValueError, match="max_bytes must be >= 0"):
        nn.load("unused.npz", max_bytes=-1)


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
