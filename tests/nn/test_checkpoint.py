"""state_dict / load_state_dict and nn.save / nn.load (.npz, never pickle)."""

import os
import stat
import zipfile

import numpy as np
import pytest

import nn
from autograd_core import Tensor


class Net(nn.Module):
    def __init__(self, seed: int, width: int = 8) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1, rng=seed)
        self.bn = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.flat = nn.Flatten()
        self.fc1 = nn.Linear(4 * 4 * 4, width, rng=seed + 1)
        self.fc2 = nn.Linear(width, 3, rng=seed + 2)

    def forward(self, x):
        x = self.pool(nn.functional.relu(self.bn(self.conv(x))))
        return self.fc2(nn.functional.relu(self.fc1(self.flat(x))))


X = np.random.default_rng(0).normal(size=(6, 1, 8, 8)).astype(np.float32)
KEYS = [
    "conv.weight", "conv.bias",
    "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
    "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
]  # fmt: skip


def trained_net() -> Net:
    net = Net(seed=0)
    opt = nn.optim.Adam(net.parameters(), lr=0.01)
    for _ in range(2):  # moves the parameters and the running statistics
        opt.zero_grad()
        net(X).sum().backward()
        opt.step()
    return net.eval()


def test_state_dict_has_pytorch_names_and_copies():
    net = trained_net()
    state = net.state_dict()
    assert list(state) == KEYS
    assert state["bn.num_batches_tracked"] == 2
    assert state["fc1.weight"].shape == (8, 64)
    assert state["conv.weight"] is not net.conv.weight.data
    np.testing.assert_array_equal(state["conv.weight"], net.conv.weight.data)
    state["conv.weight"][...] = 0  # a copy: the model is unaffected
    assert net.conv.weight.data.any()


def test_load_state_dict_restores_identical_outputs():
    net = trained_net()
    other = Net(seed=10).eval()
    assert not np.array_equal(other(X).data, net(X).data)
    result = other.load_state_dict(net.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    np.testing.assert_array_equal(other(X).data, net(X).data)
    assert other.fc1.weight.dtype == np.float32


def test_save_and_load_round_trip(tmp_path):
    net = trained_net()
    path = tmp_path / "net.npz"
    nn.save(net, path)
    state = nn.load(path)
    assert list(state) == KEYS
    assert state["bn.num_batches_tracked"].dtype == np.int64
    restored = Net(seed=99).eval()
    restored.load_state_dict(state)
    np.testing.assert_array_equal(restored(X).data, net(X).data)
    restored.train()
    net.train()
    np.testing.assert_array_equal(restored(X).data, net(X).data)
    # a plain mapping, an exact file name, and np.load compatibility
    nn.save({"w": np.arange(3.0), "t": Tensor([1.0, 2.0])}, tmp_path / "plain")
    with np.load(tmp_path / "plain", allow_pickle=False) as archive:
        assert sorted(archive.files) == ["t", "w"]
    assert nn.load(tmp_path / "plain")["w"].tolist() == [0.0, 1.0, 2.0]


def test_strict_loading_lists_missing_unexpected_and_mis_shaped_keys():
    net = Net(seed=0)
    state = net.state_dict()
    del state["fc2.bias"]
    state["fc3.weight"] = np.zeros((2, 2))
    with pytest.raises(RuntimeError) as err:
        Net(seed=1).load_state_dict(state)
    message = str(err.value)
    assert "Net" in message and "missing keys" in message and "'fc2.bias'" in message
    assert "unexpected keys" in message and "'fc3.weight'" in message
    assert "strict=False" in message

    target = Net(seed=1)
    before = target.fc1.weight.data
    result = target.load_state_dict(state, strict=False)
    assert result.missing_keys == ["fc2.bias"] and result.unexpected_keys == ["fc3.weight"]
    np.testing.assert_array_equal(target.fc1.weight.data, net.fc1.weight.data)
    assert np.asarray(target.fc1.weight) is not np.asarray(before)

    wide = Net(seed=0, width=16).state_dict()
    target = Net(seed=1)
    before = {k: v.copy() for k, v in target.state_dict().items()}
    mismatch = r"size mismatch for fc1.weight: .*\(16, 64\).*\(8, 64\)"
    with pytest.raises(RuntimeError, match=mismatch):
        target.load_state_dict(wide, strict=False)
    for key, value in target.state_dict().items():  # nothing was changed
        np.testing.assert_array_equal(value, before[key])


def test_a_pickle_bearing_npz_is_refused(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, weight=np.zeros(3), payload=np.array([{"run": "code"}], dtype=object))
    with pytest.raises(ValueError, match="pickled Python objects"):
        nn.load(path)
    raw = tmp_path / "raw.pkl"
    np.array([{"a": 1}], dtype=object).dump(raw)  # a bare pickle file
    with pytest.raises(ValueError, match="pickled"):
        nn.load(raw)


def test_truncated_corrupt_and_wrong_files_are_refused(tmp_path):
    good = tmp_path / "good.npz"
    nn.save(Net(seed=0), good)
    data = good.read_bytes()
    for cut in (len(data) // 2, len(data) - 30, 10, 0):
        bad = tmp_path / f"cut{cut}.npz"
        bad.write_bytes(data[:cut])
        with pytest.raises(ValueError, match="nn.load"):
            nn.load(bad)
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 0xFF
    (tmp_path / "flipped.npz").write_bytes(bytes(flipped))
    with pytest.raises(ValueError, match="nn.load"):
        nn.load(tmp_path / "flipped.npz")
    np.save(tmp_path / "single.npy", np.zeros(3))
    with pytest.raises(ValueError, match="single .npy array"):
        nn.load(tmp_path / "single.npy")
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "missing.npz")


def test_save_refuses_what_cannot_be_stored_as_numbers(tmp_path):
    with pytest.raises(TypeError, match="dtype object"):
        nn.save({"x": np.array([None])}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="nn.Module or a mapping"):
        nn.save([np.zeros(2)], tmp_path / "x.npz")
    assert not (tmp_path / "x.npz").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary files left behind


def test_state_dict_errors_are_both_runtime_and_value_errors():
    """PyTorch raises RuntimeError; a bad value is a ValueError: StateDictError is both."""
    model = nn.Linear(2, 3)
    bad = {"weight": np.zeros((4, 2)), "bias": np.zeros(3)}
    for kind in (RuntimeError, ValueError):
        with pytest.raises(kind, match="size mismatch for weight"):
            model.load_state_dict(bad)


def test_a_checkpoint_loads_within_the_default_budget_and_a_smaller_one_refuses_it(tmp_path):
    net = trained_net()
    path = tmp_path / "net.npz"
    nn.save(net, path)
    assert list(nn.load(path)) == KEYS  # default budget: 1 GiB
    with zipfile.ZipFile(path) as archive:
        sizes = [info.file_size for info in archive.infolist()]
    assert list(nn.load(path, max_bytes=sum(sizes))) == KEYS  # exactly the budget
    with pytest.raises(ValueError) as err:
        nn.load(path, max_bytes=sum(sizes) - 1)
    message = str(err.value)
    assert "member 'fc2.bias.npy'" in message and f"{sizes[-1]} bytes" in message
    assert f"max_bytes={sum(sizes) - 1} bytes" in message
    assert "max_bytes keyword" in message and f"max_bytes={sum(sizes)})" in message
    with pytest.raises(ValueError, match=r"member 'conv.weight.npy' would decompress to "
                                         r"\d+ bytes.*max_bytes=100 bytes"):  # fmt: skip
        nn.load(path, max_bytes=100)


def test_a_compressed_npz_loads_with_the_same_numbers(tmp_path):
    state = trained_net().state_dict()
    np.savez_compressed(tmp_path / "c.npz", **state)
    loaded = nn.load(tmp_path / "c.npz")
    assert list(loaded) == KEYS
    for key, value in state.items():
        assert loaded[key].dtype == value.dtype
        np.testing.assert_array_equal(loaded[key], value)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444], ids=oct)
def test_saving_over_a_checkpoint_keeps_its_permission_bits(tmp_path, mode):
    path = tmp_path / "net.npz"
    nn.save({"w": np.zeros(2)}, path)
    path.chmod(mode)
    nn.save({"w": np.ones(3)}, path)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert nn.load(path)["w"].tolist() == [1.0, 1.0, 1.0]
    assert os.listdir(tmp_path) == ["net.npz"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_a_new_checkpoint_gets_ordinary_permissions_and_a_private_one_stays_private(
    tmp_path, monkeypatch
):
    umask = os.umask(0o022)
    try:
        nn.save({"w": np.zeros(2)}, tmp_path / "new.npz")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.npz").stat().st_mode) == 0o644
    (tmp_path / "new.npz").chmod(0o600)
    seen = []
    write_array = np.lib.format.write_array

    def spy(fp, array, **kwargs):  # the temporary file's mode while it is being written
        seen.extend(stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir() if ".tmp-" in p.name)
        return write_array(fp, array, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", spy)
    nn.save({"w": np.ones(2)}, tmp_path / "new.npz")
    assert seen == [0o600]


@pytest.mark.parametrize("error", [OSError("No space left on device"), KeyboardInterrupt()])
def test_a_save_that_fails_part_way_leaves_the_old_checkpoint_and_no_temporary_file(
    tmp_path, monkeypatch, error
):
    path = tmp_path / "net.npz"
    nn.save(trained_net(), path)
    before = path.read_bytes()
    write_array = np.lib.format.write_array
    calls = []

    def fail_on_the_third(fp, array, **kwargs):  # half a member written, then the failure
        calls.append(1)
        if len(calls) == 3:
            fp.write(b"\0" * 100)
            raise error
        return write_array(fp, array, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", fail_on_the_third)
    with pytest.raises(type(error)):
        nn.save(Net(seed=5), path)
    assert len(calls) == 3
    assert os.listdir(tmp_path) == ["net.npz"]
    assert path.read_bytes() == before
    monkeypatch.undo()
    assert list(nn.load(path)) == KEYS
