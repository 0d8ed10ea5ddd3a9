"""RNN, LSTM, GRU and their cells: against NumPy references written here from PyTorch's
equations (with PyTorch's parameter names, layouts and gate orders, so a PyTorch
state_dict loads), one case worked by hand, finite differences (second order for the
cells), unbatched and batch-first layouts, init, and the errors for bad inputs."""

import math

import numpy as np
import pytest

import autograd_core
import nn
import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng

GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# ---- NumPy references, one step and a whole sequence ----------------------------------


def rnn_step(x, h, w_ih, w_hh, b_ih, b_hh):
    return np.tanh(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)


def lstm_step(x, state, w_ih, w_hh, b_ih, b_hh):
    h, c = state
    i, f, g, o = np.split(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh, 4, axis=-1)
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def gru_step(x, h, w_ih, w_hh, b_ih, b_hh):
    a_r, a_z, a_n = np.split(x @ w_ih.T + b_ih, 3, axis=-1)
    b_r, b_z, b_n = np.split(h @ w_hh.T + b_hh, 3, axis=-1)
    r, z = sigmoid(a_r + b_r), sigmoid(a_z + b_z)
    n = np.tanh(a_n + r * b_n)
    return (1 - z) * n + z * h


STEP = {"RNN": rnn_step, "LSTM": lstm_step, "GRU": gru_step}


def reference(kind, x, state_dict, num_layers, bidirectional, h0=None, c0=None):
    """Time-major x (T, N, I): out (T, N, D*H) and the final states (L*D, N, H)."""
    directions = 2 if bidirectional else 1
    hidden = state_dict["weight_hh_l0"].shape[1]
    steps, batch = x.shape[:2]
    finals_h, finals_c, layer_input = [], [], x
    for layer in range(num_layers):
        outputs = []
        for d, suffix in enumerate(["", "_reverse"][:directions]):
            w = [state_dict[f"{n}_l{layer}{suffix}"] for n in ("weight_ih", "weight_hh")]
            w += [state_dict[f"{n}_l{layer}{suffix}"] for n in ("bias_ih", "bias_hh")]
            k = layer * directions + d
            h = np.zeros((batch, hidden)) if h0 is None else h0[k]
            c = np.zeros((batch, hidden)) if c0 is None else c0[k]
            out = np.zeros((steps, batch, hidden))
            for t in range(steps)[::-1] if d else range(steps):
                if kind == "LSTM":
                    h, c = STEP[kind](layer_input[t], (h, c), *w)
                else:
                    h = STEP[kind](layer_input[t], h, *w)
                out[t] = h
            outputs.append(out)
            finals_h.append(h)
            finals_c.append(c)
        layer_input = np.concatenate(outputs, axis=-1)
    return layer_input, np.stack(finals_h), np.stack(finals_c)


def pytorch_state_dict(kind, input_size, hidden, num_layers, bidirectional, seed=0):
    """Random arrays under PyTorch's names and shapes, in PyTorch's order."""
    g, directions, r = GATES[kind], 2 if bidirectional else 1, rng(seed)
    state = {}
    for layer in range(num_layers):
        width = input_size if layer == 0 else directions * hidden
        for suffix in ["", "_reverse"][:directions]:
            state[f"weight_ih_l{layer}{suffix}"] = r.uniform(-0.6, 0.6, (g * hidden, width))
            state[f"weight_hh_l{layer}{suffix}"] = r.uniform(-0.6, 0.6, (g * hidden, hidden))
            state[f"bias_ih_l{layer}{suffix}"] = r.uniform(-0.6, 0.6, (g * hidden,))
            state[f"bias_hh_l{layer}{suffix}"] = r.uniform(-0.6, 0.6, (g * hidden,))
    return state


def loaded(kind, input_size, hidden, num_layers=1, bidirectional=False, **kw):
    module = getattr(nn, kind)(
        input_size, hidden, num_layers, bidirectional=bidirectional, dtype=np.float64, **kw
    )
    state = pytorch_state_dict(kind, input_size, hidden, num_layers, bidirectional)
    assert list(module.state_dict()) == list(state)  # PyTorch's names, in PyTorch's order
    module.load_state_dict(state)
    return module, state


# ---- sequences against the references ---------------------------------------------------

SETTINGS = [(1, False), (2, False), (1, True), (2, True)]


@pytest.mark.parametrize("kind", sorted(GATES))
@pytest.mark.parametrize("num_layers, bidirectional", SETTINGS)
def test_sequence_matches_the_numpy_reference(kind, num_layers, bidirectional):
    module, state = loaded(kind, 3, 4, num_layers, bidirectional)
    x = rng(1).standard_normal((5, 2, 3))
    out, final = module(x)
    want_out, want_h, want_c = reference(kind, x, state, num_layers, bidirectional)
    h_n = final[0] if kind == "LSTM" else final
    assert out.shape == (5, 2, 4 * (2 if bidirectional else 1))
    np.testing.assert_allclose(out.data, want_out, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(h_n.data, want_h, rtol=1e-12, atol=1e-14)
    if kind == "LSTM":
        np.testing.assert_allclose(final[1].data, want_c, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kind", sorted(GATES))
def test_initial_state_batch_first_and_unbatched(kind):
    module, state = loaded(kind, 3, 4, 2, True)
    x = rng(2).standard_normal((5, 2, 3))
    h0, c0 = rng(3).standard_normal((2, 4, 2, 4))
    hx = (h0, c0) if kind == "LSTM" else h0
    out, _ = module(x, hx)
    want, _, _ = reference(kind, x, state, 2, True, h0, c0 if kind == "LSTM" else None)
    np.testing.assert_allclose(out.data, want, rtol=1e-12, atol=1e-14)

    module.batch_first = True
    out_bf, _ = module(x.transpose(1, 0, 2), hx)
    np.testing.assert_allclose(out_bf.data, want.transpose(1, 0, 2), rtol=1e-12, atol=1e-14)

    one = (h0[:, 1], c0[:, 1]) if kind == "LSTM" else h0[:, 1]
    out_1, final_1 = module(x[:, 1], one)  # one unbatched sequence: batch_first does not apply
    assert out_1.shape == (5, 8)
    assert (final_1[0] if kind == "LSTM" else final_1).shape == (4, 4)
    np.testing.assert_allclose(out_1.data, want[:, 1], rtol=1e-12, atol=1e-14)


def test_relu_rnn_and_no_bias():
    module = nn.RNN(3, 2, nonlinearity="relu", bias=False, dtype=np.float64, rng=0)
    assert [n for n, _ in module.named_parameters()] == ["weight_ih_l0", "weight_hh_l0"]
    x = rng(4).standard_normal((4, 1, 3))
    h = np.zeros((1, 2))
    for t in range(4):
        h = np.maximum(x[t] @ module.weight_ih_l0.data.T + h @ module.weight_hh_l0.data.T, 0)
    np.testing.assert_allclose(module(x)[1].data[0], h, rtol=1e-12)


def test_lstm_without_bias_and_in_float32():
    module, state = loaded("LSTM", 3, 4, 2, True)
    bare = nn.LSTM(3, 4, 2, bias=False, bidirectional=True, dtype=np.float64)
    bare.load_state_dict({n: v for n, v in state.items() if n.startswith("weight")})
    x = rng(5).standard_normal((5, 2, 3))
    zeroed = {n: (0 * v if n.startswith("bias") else v) for n, v in state.items()}
    want, want_h, want_c = reference("LSTM", x, zeroed, 2, True)
    out, (h_n, c_n) = bare(x)
    np.testing.assert_allclose(out.data, want, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(c_n.data, want_c, rtol=1e-12, atol=1e-14)
    module.float()
    x32 = Tensor(x.astype(np.float32), requires_grad=True)
    out, (h_n, c_n) = module(x32)
    assert out.dtype == h_n.dtype == c_n.dtype == np.float32
    (out.sum() + c_n.sum()).backward()
    assert x32.grad.dtype == module.weight_hh_l1.grad.dtype == np.float32


def test_lstm_sequence_second_derivatives():
    _, state = loaded("LSTM", 2, 2, 1, True)
    weights = [state[n] for n in state]
    x = rng(10).standard_normal((3, 1, 2))

    def run(x, *w):
        out, (h_n, c_n) = F.lstm(x, None, [w[:4], w[4:]], bidirectional=True)
        return (out * out).sum() + (h_n * c_n).sum()

    check_grads(run, x, *weights)


def test_lstm_worked_by_hand():
    """input_size = hidden_size = 1, one step from h = 0.5, c = -1, every weight 0.5 and
    every bias 0.1: each gate's pre-activation is 0.5 x + 0.1 + 0.5 h + 0.1 = 1.45 at
    x = 2, so c' = s (-1) + s tanh(1.45) and h' = s tanh(c') with s = sigmoid(1.45)."""
    cell = nn.LSTMCell(1, 1, dtype=np.float64)
    cell.load_state_dict(
        {"weight_ih": np.full((4, 1), 0.5), "weight_hh": np.full((4, 1), 0.5),
         "bias_ih": np.full(4, 0.1), "bias_hh": np.full(4, 0.1)}
    )  # fmt: skip
    h, c = cell(np.array([[2.0]]), (np.array([[0.5]]), np.array([[-1.0]])))
    s = 1 / (1 + math.exp(-1.45))
    c_want = -s + s * math.tanh(1.45)
    assert c.item() == pytest.approx(c_want, rel=1e-14)
    assert h.item() == pytest.approx(s * math.tanh(c_want), rel=1e-14)


def _pattern(shape, k):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * 0.7 + k) * 0.5).reshape(shape)


# Outputs that PyTorch's LSTM and GRU (float64) give for these weights and input.
PYTORCH_OUTPUTS = {
    "LSTM": [
        [-0.22496765358839488, -0.17039982390139277],
        [-0.44985017682331224, 0.059968968468968785],
        [-0.2876104842253617, 0.1013230237985814],
    ],
    "GRU": [
        [-0.38607708544363106, -0.36243067054645933],
        [-0.6246039109856965, 0.03231852100452226],
        [-0.49222406744470987, 0.22156317604324488],
    ],
}


@pytest.mark.parametrize("kind", sorted(PYTORCH_OUTPUTS))
def test_a_pytorch_state_dict_gives_pytorchs_outputs(kind):
    g = GATES[kind]
    module = getattr(nn, kind)(2, 2, dtype=np.float64)
    module.load_state_dict(
        {"weight_ih_l0": _pattern((2 * g, 2), 0), "weight_hh_l0": _pattern((2 * g, 2), 1),
         "bias_ih_l0": _pattern((2 * g,), 2), "bias_hh_l0": _pattern((2 * g,), 3)}
    )  # fmt: skip
    x = np.array([[[0.5, -1.0]], [[1.5, 0.25]], [[-0.75, 2.0]]])
    out, _ = module(x)
    np.testing.assert_allclose(out.data[:, 0], PYTORCH_OUTPUTS[kind], rtol=1e-13)


# ---- cells -------------------------------------------------------------------------------

CELLS = {"RNN": (nn.RNNCell, F.rnn_cell), "LSTM": (nn.LSTMCell, F.lstm_cell),
         "GRU": (nn.GRUCell, F.gru_cell)}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(CELLS))
def test_cell_matches_the_reference_batched_and_unbatched(kind):
    cell = CELLS[kind][0](3, 4, dtype=np.float64, rng=5)
    names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    assert [n for n, _ in cell.named_parameters()] == names
    g = GATES[kind]
    assert [p.shape for p in cell.parameters()] == [(g * 4, 3), (g * 4, 4), (g * 4,), (g * 4,)]
    w = [p.data for p in cell.parameters()]
    x, (h, c) = rng(6).standard_normal((2, 3)), rng(7).standard_normal((2, 2, 4))
    if kind == "LSTM":
        got, want = cell(x, (h, c)), lstm_step(x, (h, c), *w)
        np.testing.assert_allclose(got[0].data, want[0], rtol=1e-12)
        np.testing.assert_allclose(got[1].data, want[1], rtol=1e-12)
        np.testing.assert_allclose(cell(x[0], (h[0], c[0]))[0].data, want[0][0], rtol=1e-12)
        zero = lstm_step(x, (0 * h, 0 * c), *w)[0]
        np.testing.assert_allclose(cell(x)[0].data, zero, rtol=1e-12)
    else:
        want = STEP[kind](x, h, *w)
        np.testing.assert_allclose(cell(x, h).data, want, rtol=1e-12)
        np.testing.assert_allclose(cell(x[0], h[0]).data, want[0], rtol=1e-12)
        np.testing.assert_allclose(cell(x).data, STEP[kind](x, 0 * h, *w), rtol=1e-12)


@pytest.mark.parametrize("kind", sorted(CELLS))
def test_cell_gradients_to_second_order(kind):
    g, r = GATES[kind], rng(8)
    x, h, c = r.standard_normal((2, 3)), r.standard_normal((2, 2)), r.standard_normal((2, 2))
    w_ih, w_hh = r.standard_normal((2 * g, 3)) * 0.5, r.standard_normal((2 * g, 2)) * 0.5
    b_ih, b_hh = r.standard_normal(2 * g) * 0.5, r.standard_normal(2 * g) * 0.5
    if kind == "LSTM":
        fn = lambda *a: ops_sum(F.lstm_cell(a[0], (a[1], a[2]), *a[3:]))  # noqa: E731
        check_grads(fn, x, h, c, w_ih, w_hh, b_ih, b_hh)
    else:
        check_grads(CELLS[kind][1], x, h, w_ih, w_hh, b_ih, b_hh)


def ops_sum(pair):
    h, c = pair
    return h * 2 + c  # both outputs reach the checked value


@pytest.mark.parametrize("kind", sorted(GATES))
def test_sequence_gradients_against_finite_differences(kind):
    _, state = loaded(kind, 2, 2, 2, True)
    names = list(state)
    x = rng(9).standard_normal((3, 2, 2))

    def run(x, *weights):
        per_layer = [weights[i : i + 4] for i in range(0, len(weights), 4)]
        fn = {"RNN": F.rnn, "LSTM": F.lstm, "GRU": F.gru}[kind]
        out, final = fn(x, None, per_layer, bidirectional=True)
        return out.sum() + (final[1] if kind == "LSTM" else final).sum()

    check_grads(run, x, *[state[n] for n in names], second_order=False)


def test_rnn_graph_draws_with_module_clusters():
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.LSTM(2, 3, rng=0)
            self.head = nn.Linear(3, 1, rng=0)

        def forward(self, x):
            out, _ = self.rnn(x)
            return self.head(out)

    loss = Model()(Tensor(np.ones((3, 1, 2), np.float32))).sum()
    source = loss.draw().source
    assert 'label="rnn: LSTM(2, 3)"' in source and 'label="head: Linear(3, 1)"' in source
    loss.backward()


# ---- modules: init, dropout, repr ---------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(GATES))
def test_init_is_uniform_within_one_over_sqrt_hidden(kind):
    autograd_core.manual_seed(0)
    module = getattr(nn, kind)(5, 16, num_layers=2)
    for name, p in module.named_parameters():
        assert p.dtype == np.float32
        assert np.abs(p.data).max() <= 0.25, name  # 1 / sqrt(16)
    assert np.abs(module.weight_ih_l1.data).max() > 0.24


def test_dropout_between_layers_only_in_training():
    autograd_core.manual_seed(0)
    module = nn.GRU(3, 4, num_layers=2, dropout=0.5, dtype=np.float64)
    x = rng(10).standard_normal((4, 2, 3))
    first, second = module(x)[0].data, module(x)[0].data
    assert not np.array_equal(first, second)  # a new mask each call
    module.eval()
    np.testing.assert_array_equal(module(x)[0].data, module(x)[0].data)
    want, _, _ = reference("GRU", x, module.state_dict(), 2, False)
    np.testing.assert_allclose(module(x)[0].data, want, rtol=1e-12)


def test_repr_like_pytorch():
    assert repr(nn.LSTM(10, 20, num_layers=2, batch_first=True)) == (
        "LSTM(10, 20, num_layers=2, batch_first=True)"
    )
    assert repr(nn.GRUCell(3, 4, bias=False)) == "GRUCell(3, 4, bias=False)"
    assert repr(nn.RNN(3, 4, nonlinearity="relu", bidirectional=True)) == (
        "RNN(3, 4, bidirectional=True, nonlinearity='relu')"
    )


# ---- bad input ----------------------------------------------------------------------------


def test_a_2d_state_for_batched_input_says_what_to_give():
    lstm = nn.LSTM(3, 4)
    with pytest.raises(ValueError) as err:
        lstm(np.zeros((5, 2, 3)), (np.zeros((1, 4)), np.zeros((1, 4))))
    message = str(err.value)
    assert message.startswith("LSTM (input_size=3, hidden_size=4, num_layers=1): lstm: ")
    assert "(5, 2, 3) is batched (3-d), so h_0 must be 3-d, (1, 2, 4)" in message
    assert "unbatched sequence give a 2-d input" in message


def test_a_3d_state_for_unbatched_input_says_what_to_give():
    with pytest.raises(ValueError, match=r"\(5, 3\) is 2-d, one unbatched.*must be 2-d, \(1, 4\)"):
        nn.GRU(3, 4)(np.zeros((5, 3)), np.zeros((1, 2, 4)))


def test_wrong_input_rank_feature_size_and_state_shape():
    rnn = nn.RNN(3, 4, num_layers=2)
    with pytest.raises(ValueError, match=r"RNN .*expected a batched input \(seq_len, batch, inp"):
        rnn(np.zeros((2, 5, 2, 3)))
    with pytest.raises(ValueError, match=r"has 5 features on its last axis, but the layer takes "):
        rnn(np.zeros((4, 2, 5)))
    with pytest.raises(
        ValueError, match=r"h_0 must have shape \(2, 2, 4\) \(num_layers \* num_directions, bat"
    ):
        rnn(np.zeros((4, 2, 3)), np.zeros((1, 2, 4)))
    with pytest.raises(ValueError, match=r"LSTMCell .*lstm_cell: c must have shape \(2, 4\)"):
        nn.LSTMCell(3, 4)(np.zeros((2, 3)), (np.zeros((2, 4)), np.zeros((3, 4))))
    with pytest.raises(ValueError, match=r"GRUCell .*gru_cell: expected input \(batch, input_si"):
        nn.GRUCell(3, 4)(np.zeros((1, 2, 3)))
    with pytest.raises(ValueError, match="nonlinearity must be 'tanh' or 'relu'; got 'sigmoid'"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(TypeError, match="hx must be a pair"):
        nn.LSTM(3, 4)(np.zeros((4, 2, 3)), np.zeros((1, 2, 4)))
