"""scaled_dot_product_attention, MultiheadAttention and TransformerEncoderLayer: against
NumPy references written here (PyTorch's equations, names and mask conventions), one
state dict's outputs as PyTorch gives them, finite differences (second order for
attention itself), and the errors for bad settings and masks."""

import numpy as np
import pytest

import autograd_core
import nn
import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def sdpa_reference(q, k, v, allowed=None, added=None, scale=None):
    scale = 1 / np.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ np.swapaxes(k, -1, -2) * scale
    if added is not None:
        scores = scores + added
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    return softmax(scores) @ v


Q, K, V = (
    rng(0).standard_normal((2, 3, 4, 5)),
    rng(1).standard_normal((2, 3, 6, 5)),
    rng(2).standard_normal((2, 3, 6, 7)),
)


def test_sdpa_matches_the_reference():
    np.testing.assert_allclose(
        F.scaled_dot_product_attention(Q, K, V).data, sdpa_reference(Q, K, V), rtol=1e-12
    )
    allowed = rng(3).random((4, 6)) > 0.3
    allowed[:, 0] = True
    got = F.scaled_dot_product_attention(Q, K, V, attn_mask=allowed)
    np.testing.assert_allclose(got.data, sdpa_reference(Q, K, V, allowed), rtol=1e-12)
    added = rng(4).standard_normal((3, 4, 6))
    got = F.scaled_dot_product_attention(Q, K, V, attn_mask=added, scale=0.3)
    np.testing.assert_allclose(got.data, sdpa_reference(Q, K, V, None, added, 0.3), rtol=1e-12)


def test_sdpa_causal_masks_later_keys():
    q = rng(5).standard_normal((3, 4))
    got = F.scaled_dot_product_attention(q, q, q, is_causal=True).data
    np.testing.assert_allclose(got[0], q[0], rtol=1e-12)  # the first query sees itself only
    causal = np.tril(np.ones((3, 3), bool))
    np.testing.assert_allclose(got, sdpa_reference(q, q, q, causal), rtol=1e-12)


def test_sdpa_row_with_nothing_to_attend_is_zero_and_has_zero_gradient():
    allowed = np.ones((4, 6), bool)
    allowed[1] = False
    q = Tensor(Q, requires_grad=True)
    out = F.scaled_dot_product_attention(q, K, V, attn_mask=allowed)
    np.testing.assert_array_equal(out.data[:, :, 1], 0.0)
    out.sum().backward()
    assert np.isfinite(q.grad.data).all() and not q.grad.data[:, :, 1].any()


def test_sdpa_masked_scores_get_exactly_zero_gradient():
    k = Tensor(K, requires_grad=True)
    allowed = np.ones((4, 6), bool)
    allowed[:, 2] = False  # key 2 never takes part
    F.scaled_dot_product_attention(Q, k, V, attn_mask=allowed).sum().backward()
    assert not k.grad.data[:, :, 2].any()


@pytest.mark.parametrize("mask", [None, "bool", "float", "causal"])
def test_sdpa_gradients_to_second_order(mask):
    r = rng(6)
    q, k, v = (
        r.standard_normal((2, 3, 2)),
        r.standard_normal((2, 4, 2)),
        r.standard_normal((2, 4, 3)),
    )
    options = {
        None: {},
        "bool": {"attn_mask": np.array([[1, 1, 0, 1], [0, 1, 1, 1], [1, 0, 0, 1]], bool)},
        "float": {"attn_mask": r.standard_normal((3, 4))},
        "causal": {"is_causal": True},
    }[mask]
    check_grads(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, **options), q, k, v)


# ---- multi-head attention ------------------------------------------------------------------


def pytorch_mha_state(embed, seed=0):
    r = rng(seed)
    return {
        "in_proj_weight": r.uniform(-0.5, 0.5, (3 * embed, embed)),
        "in_proj_bias": r.uniform(-0.5, 0.5, 3 * embed),
        "out_proj.weight": r.uniform(-0.5, 0.5, (embed, embed)),
        "out_proj.bias": r.uniform(-0.5, 0.5, embed),
    }


def mha_reference(query, key, value, state, heads, additive=None):
    """Time-major (L, N, E): out (L, N, E) and the head-averaged weights (N, L, S)."""
    e = query.shape[-1]
    w, b = state["in_proj_weight"], state["in_proj_bias"]
    q, k, v = (
        x @ w[i * e : (i + 1) * e].T + b[i * e : (i + 1) * e]
        for i, x in enumerate((query, key, value))
    )
    d = e // heads

    def split(x):  # (len, N, E) -> (N, heads, len, d)
        return x.reshape(x.shape[0], x.shape[1], heads, d).transpose(1, 2, 0, 3)

    scores = split(q) @ split(k).transpose(0, 1, 3, 2) / np.sqrt(d)
    if additive is not None:
        scores = scores + additive
    weights = softmax(scores)
    heads_out = (weights @ split(v)).transpose(2, 0, 1, 3).reshape(query.shape)
    return heads_out @ state["out_proj.weight"].T + state["out_proj.bias"], weights.mean(axis=1)


def loaded_mha(embed=8, heads=2, **kw):
    module = nn.MultiheadAttention(embed, heads, dtype=np.float64, **kw)
    state = pytorch_mha_state(embed)
    assert list(module.state_dict()) == list(state)  # PyTorch's names and order
    module.load_state_dict(state)
    return module, state


def test_mha_self_and_cross_attention_match_the_reference():
    module, state = loaded_mha()
    x = rng(7).standard_normal((5, 3, 8))
    out, weights = module(x, x, x)
    want_out, want_w = mha_reference(x, x, x, state, 2)
    np.testing.assert_allclose(out.data, want_out, rtol=1e-12)
    np.testing.assert_allclose(weights.data, want_w, rtol=1e-12)
    memory = rng(8).standard_normal((4, 3, 8))
    out, weights = module(x, memory, memory)
    want_out, want_w = mha_reference(x, memory, memory, state, 2)
    np.testing.assert_allclose(out.data, want_out, rtol=1e-12)
    assert weights.shape == (3, 5, 4)


def test_mha_masks_true_means_masked_out_as_pytorch():
    module, state = loaded_mha()
    x = rng(9).standard_normal((5, 3, 8))
    padding = np.zeros((3, 5), bool)
    padding[0, -2:] = True  # the last two keys of sequence 0 are padding
    banned = rng(10).random((5, 5)) > 0.8
    np.fill_diagonal(banned, False)
    additive = np.where(banned, -np.inf, 0.0) + np.where(padding, -np.inf, 0.0)[:, None, None, :]
    out, weights = module(x, x, x, key_padding_mask=padding, attn_mask=banned)
    want_out, want_w = mha_reference(x, x, x, state, 2, additive)
    np.testing.assert_allclose(out.data, want_out, rtol=1e-12)
    np.testing.assert_allclose(weights.data, want_w, rtol=1e-12, atol=1e-300)
    assert not weights.data[0, :, -2:].any()
    per_head = rng(11).standard_normal((3 * 2, 5, 5))  # (N * heads, L, S), a float mask
    out, _ = module(x, x, x, attn_mask=per_head)
    want_out, _ = mha_reference(x, x, x, state, 2, per_head.reshape(3, 2, 5, 5))
    np.testing.assert_allclose(out.data, want_out, rtol=1e-12)


def test_mha_layouts_and_weight_options():
    module, state = loaded_mha(batch_first=True)
    x = rng(12).standard_normal((3, 5, 8))  # (N, L, E)
    out, weights = module(x, x, x, average_attn_weights=False)
    want, _ = mha_reference(x.transpose(1, 0, 2), *[x.transpose(1, 0, 2)] * 2, state, 2)
    np.testing.assert_allclose(out.data, want.transpose(1, 0, 2), rtol=1e-12)
    assert weights.shape == (3, 2, 5, 5)
    out_1, weights_1 = module(x[0], x[0], x[0])  # unbatched (L, E)
    np.testing.assert_allclose(out_1.data, want[:, 0], rtol=1e-12)
    assert weights_1.shape == (5, 5)
    assert module(x, x, x, need_weights=False)[1] is None


def test_mha_with_kdim_and_vdim_has_separate_projections():
    module = nn.MultiheadAttention(8, 4, kdim=3, vdim=5, rng=0)
    names = [n for n, _ in module.named_parameters()]
    assert names == ["q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias",
                     "out_proj.weight", "out_proj.bias"]  # fmt: skip
    assert module.k_proj_weight.shape == (8, 3) and module.in_proj_weight is None
    out, _ = module(np.ones((2, 1, 8), np.float32), np.ones((4, 1, 3)), np.ones((4, 1, 5)))
    assert out.shape == (2, 1, 8)


def _pattern(shape, k):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * 0.7 + k) * 0.5).reshape(shape)


def test_a_pytorch_state_dict_gives_pytorchs_outputs():
    """Outputs and weights that PyTorch's MultiheadAttention (float64) gives here."""
    module = nn.MultiheadAttention(4, 2, dtype=np.float64)
    module.load_state_dict(
        {"in_proj_weight": _pattern((12, 4), 0), "in_proj_bias": _pattern((12,), 1),
         "out_proj.weight": _pattern((4, 4), 2), "out_proj.bias": _pattern((4,), 3)}
    )  # fmt: skip
    x = _pattern((3, 1, 4), 4) * 3
    out, weights = module(x, x, x)
    np.testing.assert_allclose(
        out.data[:, 0],
        [[-0.15282681351017896, -0.39407174519045435, -0.009031263972830217, -1.2133554825136361],
         [0.5205697855128384, -0.8915740008060522, 0.255087616552284, -1.2135706465443548],
         [-0.4396159197065455, 0.019067934528876618, -0.5007810298729585, -0.6998199313335989]],
        rtol=1e-13,
    )  # fmt: skip
    np.testing.assert_allclose(
        weights.data[0],
        [[0.25356298358630897, 0.47068186777600296, 0.27575514863768813],
         [0.6562775446928899, 0.05431818866649428, 0.28940426664061586],
         [0.0392965684651, 0.8851712460680251, 0.07553218546687493]],
        rtol=1e-13,
    )  # fmt: skip


def test_mha_gradients_against_finite_differences():
    state = pytorch_mha_state(4, seed=13)
    x = rng(14).standard_normal((3, 2, 4))
    banned = np.array([[0, 1, 0], [0, 0, 1], [0, 0, 0]], bool)

    def run(x, w, b, wo, bo):
        out, weights = F.multi_head_attention(x, x, x, 2, w, b, wo, bo, attn_mask=banned)
        return out.sum() + (weights * weights).sum()

    check_grads(run, x, *state.values())


def test_mha_init_as_pytorch():
    autograd_core.manual_seed(0)
    module = nn.MultiheadAttention(16, 4)
    bound = np.sqrt(6 / (16 + 48))  # xavier_uniform_ of (48, 16)
    assert np.abs(module.in_proj_weight.data).max() <= bound
    assert not module.in_proj_bias.data.any() and not module.out_proj.bias.data.any()
    assert np.abs(module.out_proj.weight.data).max() <= 1 / 4  # Linear's 1 / sqrt(fan_in)


def test_mha_dropout_applies_to_the_weights_in_training_only():
    autograd_core.manual_seed(1)
    module = nn.MultiheadAttention(8, 2, dropout=0.5)
    x = rng(15).standard_normal((4, 2, 8)).astype(np.float32)
    _, w1 = module(x, x, x, average_attn_weights=False)
    assert (w1.data == 0).any()
    module.eval()
    _, w2 = module(x, x, x, average_attn_weights=False)
    np.testing.assert_allclose(w2.data.sum(axis=-1), 1, rtol=1e-6)


# ---- transformer encoder -------------------------------------------------------------------


def layer_norm(x, weight, bias, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_matches_the_reference(norm_first):
    layer = nn.TransformerEncoderLayer(8, 2, 16, norm_first=norm_first, dtype=np.float64, rng=0)
    assert list(layer.state_dict()) == [
        "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
        "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight",
        "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
    ]  # fmt: skip
    assert [n for n, _ in layer.named_children()] == [
        "self_attn", "linear1", "dropout", "linear2", "norm1", "norm2", "dropout1", "dropout2"
    ]  # fmt: skip
    state = {k: v + rng(16).uniform(-0.2, 0.2, v.shape) for k, v in layer.state_dict().items()}
    layer.load_state_dict(state)
    layer.eval()
    x = rng(17).standard_normal((5, 3, 8))
    attn = {k.split(".", 1)[1]: v for k, v in state.items() if k.startswith("self_attn")}

    def sa(h):
        return mha_reference(h, h, h, attn, 2)[0]

    def ff(h):
        hidden = np.maximum(h @ state["linear1.weight"].T + state["linear1.bias"], 0)
        return hidden @ state["linear2.weight"].T + state["linear2.bias"]

    n1 = lambda h: layer_norm(h, state["norm1.weight"], state["norm1.bias"])  # noqa: E731
    n2 = lambda h: layer_norm(h, state["norm2.weight"], state["norm2.bias"])  # noqa: E731
    if norm_first:
        h = x + sa(n1(x))
        want = h + ff(n2(h))
    else:
        h = n1(x + sa(x))
        want = n2(h + ff(h))
    np.testing.assert_allclose(layer(x).data, want, rtol=1e-11, atol=1e-13)


def test_encoder_layer_gelu_causal_and_stack():
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation="gelu", rng=0)
    x = rng(18).standard_normal((4, 2, 8)).astype(np.float32)
    causal = np.triu(np.ones((4, 4), bool), k=1)
    y = layer(x, src_mask=causal)
    np.testing.assert_allclose(layer(x, is_causal=True).data, y.data, rtol=1e-6)
    np.testing.assert_allclose(layer(x[:1]).data[0], y.data[0], rtol=1e-5, atol=1e-6)
    encoder = nn.TransformerEncoder(layer, num_layers=2)
    assert list(encoder.state_dict())[0] == "layers.0.self_attn.in_proj_weight"
    np.testing.assert_allclose(encoder(x).data, layer(layer(x)).data, rtol=1e-6)
    loss = encoder(Tensor(x, requires_grad=True)).sum()
    loss.backward()
    assert encoder.layers[1].linear1.weight.grad is not None


def test_a_float32_layer_stays_float32_with_a_bool_or_float_mask():
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, rng=0).float()
    x = Tensor(rng(19).standard_normal((4, 2, 8)).astype(np.float32), requires_grad=True)
    causal = np.triu(np.ones((4, 4), bool), k=1)
    for mask in (causal, np.where(causal, -np.inf, 0.0)):  # the float mask is float64
        y = layer(x, src_mask=mask)
        assert y.dtype == np.float32
        y.sum().backward()
        assert x.grad.dtype == layer.linear1.weight.grad.dtype == np.float32
    q = Tensor(np.ones((2, 3, 4), np.float32))
    out = F.scaled_dot_product_attention(q, q, q, attn_mask=np.zeros((3, 3)))
    assert out.dtype == np.float32


def test_encoder_layer_dropout_repeats_after_manual_seed():
    def run():
        autograd_core.manual_seed(5)
        layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.3)
        return layer(np.ones((3, 2, 8), np.float32)).data

    np.testing.assert_array_equal(run(), run())


# ---- bad settings and masks -----------------------------------------------------------------


def test_embed_dim_not_divisible_by_num_heads():
    with pytest.raises(ValueError, match=r"MultiheadAttention: embed_dim \(10\) must be divisib"):
        nn.MultiheadAttention(10, 3)
    with pytest.raises(ValueError, match=r"choose num_heads among \[1, 2, 5, 10\]"):
        nn.TransformerEncoderLayer(10, 4)


def test_masks_of_the_wrong_shape_or_dtype():
    module = nn.MultiheadAttention(8, 2)
    x = np.zeros((5, 3, 8), np.float32)
    with pytest.raises(
        ValueError, match=r"MultiheadAttention \(embed_dim=8, num_heads=2\): .*attn_mask must "
    ):
        module(x, x, x, attn_mask=np.zeros((5, 4), bool))
    with pytest.raises(ValueError, match=r"key_padding_mask must have shape \(3, 5\)"):
        module(x, x, x, key_padding_mask=np.zeros((5, 3), bool))
    with pytest.raises(TypeError, match="attn_mask must be a bool mask or a float mask .* int64"):
        module(x, x, x, attn_mask=np.zeros((5, 5), np.int64))
    with pytest.raises(ValueError, match=r"attn_mask of shape \(4, 5\) does not broadcast to the"):
        F.scaled_dot_product_attention(Q, K, V, attn_mask=np.ones((4, 5), bool))
    with pytest.raises(TypeError, match="scaled_dot_product_attention: attn_mask must be a bool"):
        F.scaled_dot_product_attention(Q, K, V, attn_mask=np.ones((4, 6), np.int32))
    with pytest.raises(ValueError, match="either attn_mask or is_causal=True, not both"):
        F.scaled_dot_product_attention(Q, K, V, attn_mask=np.ones((4, 6), bool), is_causal=True)
    with pytest.raises(ValueError, match=r"q \(\.\.\., L, E\) and k \(\.\.\., S, E\) must share E"):
        F.scaled_dot_product_attention(Q, K[..., :4], V)
