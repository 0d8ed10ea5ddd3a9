"""Code written for micrograd or PyTorch runs as written, with the same numbers.

micrograd's README example and its demo's training loop are copied verbatim (only the
import of `Value` is replaced); the expected values of the README example are the ones
its README prints. The demo's training is checked against the same training written by
hand in NumPy (forward, backward and update), from the same initial weights."""

import random

import numpy as np
import pytest

import nn
from autograd_core import Tensor, explain, no_grad

Value = lambda v: Tensor(v, requires_grad=True)  # noqa: E731 - the one line of glue


def test_micrograds_readme_example_runs_verbatim():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    assert f"{g.data:.4f}" == "24.7041"  # prints 24.7041, the outcome of this forward pass
    g.backward()
    assert f"{a.grad.data:.4f}" == "138.8338"  # the numerical value of dg/da
    assert f"{b.grad.data:.4f}" == "645.5773"  # the numerical value of dg/db
    assert f"{g:.4f}" == "24.7041" and f"{a.grad:.4f}" == "138.8338"


# ---- micrograd's nn.py, verbatim ---------------------------------------------------------


class Module:
    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0

    def parameters(self):
        return []


class Neuron(Module):
    def __init__(self, nin, nonlin=True):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    def __init__(self, nin, nout, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MLP(Module):
    def __init__(self, nin, nouts):
        sz = [nin] + nouts
        self.layers = [
            Layer(sz[i], sz[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def _reference_training(weights, X, y, steps):
    """The demo's training by hand: a 2-16-16-1 ReLU MLP, SVM max-margin loss plus L2,
    full batch, SGD with a decaying rate. Returns the loss of each step."""
    Ws = [w.copy() for w in weights[0::2]]
    bs = [b.copy() for b in weights[1::2]]
    losses = []
    for k in range(steps):
        hs, zs = [X], []
        for i, (W, b) in enumerate(zip(Ws, bs)):
            z = hs[-1] @ W.T + b
            zs.append(z)
            hs.append(np.maximum(z, 0) if i < len(Ws) - 1 else z)
        score = hs[-1][:, 0]
        margin = 1 - y * score
        data_loss = np.maximum(margin, 0).mean()
        reg = 1e-4 * sum((W**2).sum() + (b**2).sum() for W, b in zip(Ws, bs))
        losses.append(data_loss + reg)
        delta = (-(y * (margin > 0)) / len(y))[:, None]
        grads = []
        for i in reversed(range(len(Ws))):
            if i < len(Ws) - 1:
                delta = delta * (zs[i] > 0)
            grads.append((delta.T @ hs[i] + 2e-4 * Ws[i], delta.sum(0) + 2e-4 * bs[i]))
            delta = delta @ Ws[i]
        lr = 1.0 - 0.9 * k / 100
        for i, (dW, db) in zip(reversed(range(len(Ws))), grads):
            Ws[i] = Ws[i] - lr * dW
            bs[i] = bs[i] - lr * db
    return losses


def test_micrograds_demo_training_loop_runs_verbatim_with_the_same_numbers():
    from sklearn.datasets import make_moons

    np.random.seed(1337)
    random.seed(1337)
    X, y = make_moons(n_samples=40, noise=0.1)
    y = y * 2 - 1  # make y be -1 or 1
    model = MLP(2, [16, 16, 1])  # 2-layer neural network
    weights = [np.array([[p.item() for p in n.w] for n in layer.neurons]) for layer in model.layers]
    biases = [np.array([n.b.item() for n in layer.neurons]) for layer in model.layers]
    start = [a for pair in zip(weights, biases) for a in pair]

    # loss function
    def loss(batch_size=None):
        # inline DataLoader :)
        if batch_size is None:
            Xb, yb = X, y
        else:
            ri = np.random.permutation(X.shape[0])[:batch_size]
            Xb, yb = X[ri], y[ri]
        inputs = [list(map(Value, xrow)) for xrow in Xb]

        # forward the model to get scores
        scores = list(map(model, inputs))

        # svm "max-margin" loss
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss

        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    seen = []
    printed = []
    # optimization
    for k in range(8):
        # forward
        total_loss, acc = loss()

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad

        if k % 1 == 0:
            printed.append(f"step {k} loss {total_loss.data}, accuracy {acc * 100}%")
        seen.append(total_loss.item())

    np.testing.assert_allclose(seen, _reference_training(start, X, y, 8), rtol=1e-12)
    assert seen[-1] < seen[0]
    assert printed[0].startswith("step 0 loss ") and printed[0].endswith("%")


def test_a_pytorch_style_loop_with_item_f_strings_and_data_updates():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3
    model = nn.Linear(3, 1)
    lr, log = 0.1, []
    for step in range(60):
        loss = ((model(x) - y) ** 2).mean()
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        log.append(f"step {step}: loss {loss:.4f} ({loss.item():.2e})")
    assert log[0].startswith("step 0: loss ") and float(log[-1].split()[3]) < 1e-3
    np.testing.assert_allclose(model.weight.numpy(), [[1.0, -2.0, 0.5]], atol=0.02)
    assert model.weight.dtype == np.float32 and model.weight.is_leaf


def test_data_updates_rebind_and_never_write_a_saved_array():
    w = Value([1.0, 2.0])
    y = (w * w).sum()  # the graph saves w's array
    saved = w.numpy()
    w.data -= 0.5
    w.data += np.array([0.0, 1.0])
    w.data *= 2
    w.data /= 4
    np.testing.assert_array_equal(w.numpy(), [0.25, 1.25])
    np.testing.assert_array_equal(saved, [1.0, 2.0])  # untouched
    alias = w.data
    alias -= 0.25  # through a name, as NumPy's in-place semantics: the tensor changes
    np.testing.assert_array_equal(w.numpy(), [0.0, 1.0])
    with pytest.raises(RuntimeError, match="had its .data replaced"):
        y.backward(create_graph=True)


@pytest.mark.parametrize(
    "write",
    [
        lambda t: t.data.__setitem__(0, 5.0),
        lambda t: t.data.__setitem__(slice(None), 0.0),
        lambda t: t.data.fill(0.0),
    ],
    ids=["element", "slice", "fill"],
)
def test_writing_into_data_element_wise_names_the_tensor_and_the_fix(write):
    t = Tensor([1.0, 2.0], requires_grad=True, name="w")
    with pytest.raises(ValueError, match=r"tensor 'w' \(shape \(2,\)\).*read-only.*t\.data ="):
        write(t)
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])


def test_an_in_place_update_of_part_of_data_is_refused():
    t = Tensor([1.0, 2.0], name="w")
    part = t.data[:1]
    with pytest.raises(ValueError, match=r"part of tensor 'w'.*t\.data = new_values"):
        part += 1


def test_augmented_operators_rebind_non_leaves_and_refuse_on_leaves_that_require_grad():
    a = Value(2.0)
    c = a * 3
    node = c
    c += 1  # rebinds: c is a new node, the old one stays in the graph
    assert c is not node and c.op == "add" and node.op == "multiply"
    with pytest.raises(RuntimeError, match=r"leaf that requires grad.*t = t \+ u.*no_grad\(\)"):
        a += 1
    with no_grad():
        a += 1  # updates the value, keeps the tensor
    assert a.item() == 3.0 and a.is_leaf and a.requires_grad
    k = Tensor(1.0)
    same = k
    k *= 4  # nothing to record: the same tensor, new value
    assert k is same and k.item() == 4.0


def test_numbers_from_one_element_tensors_as_python_gives_them():
    t = Tensor(2.71828, requires_grad=True)
    assert f"{t:.3f}" == "2.718" and format(t, ".2e") == "2.72e+00"
    assert float(t) == 2.71828 and int(Tensor(3.9)) == 3 and round(t, 2) == 2.72
    assert round(Tensor(2.5)) == 2 and bool(Tensor(1.0)) and not bool(Tensor(0.0))
    assert f"{Tensor([1.0, 2.0])}" == str(Tensor([1.0, 2.0]))
    np.testing.assert_array_equal(round(Tensor([1.26, 2.5]), 1).numpy(), [1.3, 2.5])
    with pytest.raises(TypeError, match=r"float\(\) needs a tensor with exactly one element"):
        float(Tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match=r"format\(t, '\.2f'\) needs .* shape \(2,\)"):
        f"{Tensor([1.0, 2.0]):.2f}"


def test_repr_shows_data_dtype_requires_grad_and_the_op():
    x = Tensor([1.0, 2.0], requires_grad=True)
    assert repr(x * 2) == "Tensor([2., 4.], dtype=float64, requires_grad=True, op=multiply)"
    assert repr(Tensor(1, dtype=np.int32)) == "Tensor(1, dtype=int32)"


def test_micrograds_zero_grad_by_assignment():
    p = Value([1.0, 2.0])
    p.grad = 0
    (p * 3).sum().backward()
    np.testing.assert_array_equal(p.grad.numpy(), [3.0, 3.0])
    with pytest.raises(ValueError, match=r"shape \(3,\).*must have the tensor's shape"):
        p.grad = Tensor(np.ones(3))


def test_explain_names_tensors_as_the_caller_did():
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    loss = (a * 2).sum()
    loss.backward()
    message = explain(b, loss).message
    assert "from b to loss" in message and " x " not in message
    unnamed = explain(Tensor([1.0], requires_grad=True), (a * 3).sum()).message
    assert "the leaf of shape (1,)" in unnamed and "the result of sum (shape ())" in unnamed
