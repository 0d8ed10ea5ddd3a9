"""Module, Parameter, Sequential and ModuleList: registration, walking, modes, repr."""

from collections import OrderedDict

import numpy as np
import pytest

import nn
from autograd_core import Tensor
from autograd_core.engine import topological_order


class MLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(4, 8, rng=0)
        self.act = nn.ReLU()
        self.bn = nn.BatchNorm1d(8)
        self.fc2 = nn.Linear(8, 3, rng=1)

    def forward(self, x):
        return self.fc2(self.bn(self.act(self.fc1(x))))


class Custom(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(np.zeros((3, 4)))
        self.register_buffer("count", np.zeros(2, dtype=np.int64))
        self.inner = MLP()

    def forward(self, x):
        return self.inner(x @ self.w)


def test_parameter_is_a_float_leaf_requiring_grad():
    p = nn.Parameter([1, 2, 3])
    assert isinstance(p, Tensor) and p.requires_grad and p.is_leaf
    assert p.dtype == np.float64
    assert nn.Parameter(np.ones(2, np.float32)).dtype == np.float32
    assert not nn.Parameter(np.ones(2), requires_grad=False).requires_grad
    assert repr(p).startswith("Parameter containing:")


def test_parameters_are_registered_in_assignment_order_with_pytorch_names():
    names = [name for name, _ in MLP().named_parameters()]
    assert names == ["fc1.weight", "fc1.bias", "bn.weight", "bn.bias", "fc2.weight", "fc2.bias"]
    m = Custom()
    assert [n for n, _ in m.named_parameters()][:3] == ["w", "inner.fc1.weight", "inner.fc1.bias"]
    assert [n for n, _ in m.named_buffers()] == [
        "count",
        "inner.bn.running_mean",
        "inner.bn.running_var",
        "inner.bn.num_batches_tracked",
    ]
    assert len(list(m.parameters())) == 7
    assert [n for n, _ in m.named_parameters(recurse=False)] == ["w"]


def test_shared_parameters_and_modules_are_listed_once():
    m = nn.Module()
    lin = nn.Linear(2, 2)
    m.a = lin
    m.b = lin
    assert len(list(m.parameters())) == 2
    assert [n for n, _ in m.named_modules()] == ["", "a"]
    assert len(list(m.children())) == 1


def test_children_and_modules():
    m = MLP()
    assert [n for n, _ in m.named_children()] == ["fc1", "act", "bn", "fc2"]
    assert [type(c).__name__ for c in m.children()] == ["Linear", "ReLU", "BatchNorm1d", "Linear"]
    c = Custom()
    names = [n for n, _ in c.named_modules()]
    assert names == ["", "inner", "inner.fc1", "inner.act", "inner.bn", "inner.fc2"]
    assert list(c.modules())[0] is c


def test_module_knows_its_name_in_its_parent():
    m = Custom()
    assert m._name is None
    assert m.inner._name == "inner"
    assert m.inner.fc1._name == "fc1"
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    assert [layer._name for layer in seq] == ["0", "1"]
    named = nn.Sequential(OrderedDict(fc=nn.Linear(2, 2), act=nn.Tanh()))
    assert named.fc._name == "fc" and named[1]._name == "act"


def test_reassigning_and_deleting_attributes():
    m = MLP()
    m.fc2 = nn.Linear(8, 5)  # replaces the child, same position
    assert [n for n, _ in m.named_children()][-1] == "fc2"
    assert m.fc2.out_features == 5
    m.fc1.bias = None
    assert "fc1.bias" not in dict(m.named_parameters())
    with pytest.raises(TypeError, match="assign an nn.Parameter or None"):
        m.fc1.weight = np.zeros((8, 4))
    with pytest.raises(TypeError, match="sub-module"):
        m.act = 3
    del m.act
    assert "act" not in dict(m.named_children())
    with pytest.raises(AttributeError, match="no attribute 'act'"):
        m.act  # noqa: B018


def test_buffers_are_read_only_arrays_replaced_by_assignment():
    m = Custom()
    assert isinstance(m.count, np.ndarray) and not m.count.flags.writeable
    m.count = m.count + 1
    assert m.count.tolist() == [1, 1]
    with pytest.raises(TypeError, match="buffer holds numbers"):
        m.count = np.array(["a"])
    m.register_buffer("scratch", np.zeros(3), persistent=False)
    assert "scratch" not in m.state_dict()
    assert "scratch" in dict(m.named_buffers())


def test_registration_errors_are_clear():
    class Forgot(nn.Module):
        def __init__(self) -> None:
            self.w = nn.Parameter(np.zeros(2))

    with pytest.raises(AttributeError, match="super\\(\\).__init__\\(\\)"):
        Forgot()
    m = nn.Module()
    with pytest.raises(KeyError, match="without '.'"):
        m.register_parameter("a.b", nn.Parameter(np.zeros(1)))
    with pytest.raises(KeyError, match="already has a method"):
        m.register_buffer("forward", np.zeros(1))
    with pytest.raises(TypeError, match="nn.Parameter"):
        m.register_parameter("w", Tensor(np.zeros(1), requires_grad=True))
    with pytest.raises(NotImplementedError, match="Module has no forward"):
        m(1.0)


def test_train_and_eval_propagate_to_every_submodule():
    m = Custom()
    assert all(sub.training for sub in m.modules())
    assert m.eval() is m
    assert not any(sub.training for sub in m.modules())
    m.inner.train()
    assert not m.training and all(sub.training for sub in m.inner.modules())
    with pytest.raises(ValueError, match="True or False"):
        m.train("yes")


def test_zero_grad_clears_every_gradient():
    m = MLP()
    m(Tensor(np.ones((5, 4), np.float32))).sum().backward()
    assert all(p.grad is not None for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())


def test_call_tags_recorded_ops_with_the_module_scope():
    m = MLP()
    x = Tensor(np.ones((5, 4), np.float32), requires_grad=True)
    y = m(x)
    assert y._node.scope == (m, m.fc2)
    modules = [
        [s for s in t._node.scope if isinstance(s, nn.Module)]
        for t in topological_order([y])
        if t._node
    ]
    scopes = {tuple(map(id, m)) for m in modules}  # composite layers (linear, ...) nest inside
    assert scopes == {(id(m), id(layer)) for layer in m.children()}
    assert (x * 2)._node.scope == ()


def test_requires_grad_and_dtype_conversion():
    m = MLP().requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())
    m.double()
    assert all(p.dtype == np.float64 for p in m.parameters())
    assert m.bn.running_mean.dtype == np.float64
    assert m.bn.num_batches_tracked.dtype == np.int64
    with pytest.raises(TypeError, match="floating"):
        m.to(np.int32)


def test_apply_visits_children_before_parents():
    seen = []
    Custom().apply(lambda mod: seen.append(type(mod).__name__))
    assert seen == ["Linear", "ReLU", "BatchNorm1d", "Linear", "MLP", "Custom"]


def test_repr_is_nested_and_shows_shapes():
    text = repr(Custom())
    expected = """Custom(
  (w): Parameter(shape=(3, 4), dtype=float64)
  (count): Buffer(shape=(2,), dtype=int64)
  (inner): MLP(
    (fc1): Linear(in_features=4, out_features=8, bias=True)
    (act): ReLU()
    (bn): BatchNorm1d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
    (fc2): Linear(in_features=8, out_features=3, bias=True)
  )
)"""
    assert text == expected
    conv = nn.Conv2d(1, 8, 3, padding=1, bias=False)
    want = "Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)"
    assert repr(conv) == want


def test_sequential_indexing_len_iteration_and_forward():
    seq = nn.Sequential(nn.Linear(3, 4, rng=0), nn.ReLU(), nn.Linear(4, 2, rng=1))
    assert len(seq) == 3
    assert isinstance(seq[0], nn.Linear) and seq[-1] is seq[2]
    tail = seq[1:]
    assert isinstance(tail, nn.Sequential) and len(tail) == 2 and tail[0] is seq[1]
    assert [n for n, _ in tail.named_children()] == ["1", "2"]
    assert [type(layer).__name__ for layer in seq] == ["Linear", "ReLU", "Linear"]
    x = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    by_hand = seq[2](seq[1](seq[0](x)))
    np.testing.assert_array_equal(seq(x).data, by_hand.data)
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    seq.append(nn.Sigmoid())
    assert len(seq) == 4 and seq[3]._name == "3"
    with pytest.raises(IndexError, match="out of range"):
        seq[4]
    with pytest.raises(TypeError, match="not an nn.Module"):
        nn.Sequential(nn.ReLU(), np.tanh)


def test_module_list_registers_its_modules():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(layers) == 3 and len(list(layers.parameters())) == 6
    assert [n for n, _ in layers.named_parameters()][:2] == ["0.weight", "0.bias"]
    assert layers[-1] is list(layers)[2]
