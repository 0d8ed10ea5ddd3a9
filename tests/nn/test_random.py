"""`autograd_core.manual_seed` makes initialisation, dropout and shuffling repeat exactly;
a layer's or loader's own `rng=`/`seed=` still overrides the engine's generator."""

import numpy as np

import autograd_core
import nn
import nn.functional as F
from autograd_core import Tensor

X = np.linspace(-1, 1, 24 * 4).reshape(24, 4)
Y = np.arange(24) % 3


def train_a_little(seed):
    """Init, dropout, a shuffled loader and a few SGD steps; every random draw from the
    engine's generator."""
    autograd_core.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 3))
    opt = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loader = nn.data.DataLoader(X, Y, batch_size=5, shuffle=True)
    losses, orders = [], []
    for _ in range(2):
        for xb, yb in loader:
            orders.append(yb.tolist())
            loss = F.cross_entropy(model(Tensor(xb, dtype=np.float32)), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    extra = F.dropout(Tensor(np.ones(6)), 0.5)
    return model.state_dict(), losses, orders, extra.data


def test_two_runs_after_manual_seed_are_bit_identical():
    state_a, losses_a, orders_a, extra_a = train_a_little(3)
    state_b, losses_b, orders_b, extra_b = train_a_little(3)
    assert losses_a == losses_b and orders_a == orders_b
    np.testing.assert_array_equal(extra_a, extra_b)
    for key in state_a:
        np.testing.assert_array_equal(state_a[key], state_b[key])
    state_c, losses_c, orders_c, _ = train_a_little(4)
    assert orders_c != orders_a and losses_c != losses_a
    assert not np.array_equal(state_c["0.weight"], state_a["0.weight"])


def test_a_layers_own_rng_overrides_the_engine_generator():
    autograd_core.manual_seed(0)
    a = nn.Linear(3, 2, rng=5)
    autograd_core.manual_seed(1)
    b = nn.Linear(3, 2, rng=5)
    c = nn.Linear(3, 2)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert not np.array_equal(a.weight.data, c.weight.data)
    drop = nn.Dropout(0.5, rng=np.random.default_rng(9))
    autograd_core.manual_seed(0)
    own = drop(Tensor(np.ones(50))).data
    again = nn.Dropout(0.5, rng=np.random.default_rng(9))(Tensor(np.ones(50))).data
    np.testing.assert_array_equal(own, again)


def test_a_loader_with_a_seed_ignores_manual_seed():
    def order(manual):
        autograd_core.manual_seed(manual)
        return next(iter(nn.data.DataLoader(Y, batch_size=24, shuffle=True, seed=7))).tolist()

    assert order(0) == order(1)


def test_init_functions_draw_from_the_engine_generator():
    autograd_core.manual_seed(11)
    w1 = nn.init.normal_(nn.Parameter(np.zeros((3, 3)))).data
    autograd_core.manual_seed(11)
    w2 = nn.init.normal_(nn.Parameter(np.zeros((3, 3)))).data
    np.testing.assert_array_equal(w1, w2)
