"""state_dict / load_state_dict and nn.save / nn.load (.npz, never pickle)."""

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
    assert target.fc1.weight.data is not before

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
    """PyTorch raises RuntimeError; issue 7 asks for ValueError: StateDictError is both."""
    model = nn.Linear(2, 3)
    bad = {"weight": np.zeros((4, 2)), "bias": np.zeros(3)}
    for kind in (RuntimeError, ValueError):
        with pytest.raises(kind, match="size mismatch for weight"):
            model.load_state_dict(bad)
