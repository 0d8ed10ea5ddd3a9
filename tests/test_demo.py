"""The demo (`autograd-demo`, `python -m nn.demo`): a short run writes every file it documents."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nn
from nn import demo

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def short_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    args = demo.parse_args(["--epochs", "2", "--output", str(out), "--no-progress"])
    return out, demo.run(args)


def test_main_prints_accuracy_and_returns_zero(tmp_path, capsys):
    code = demo.main(["--quick", "--output", str(tmp_path), "--no-progress", "--seed", "1"])
    assert code == 0
    printed = capsys.readouterr().out
    found = dict(re.findall(r"(MLP|CNN) test accuracy: ([0-9.]+)", printed))
    assert set(found) == {"MLP", "CNN"}
    assert all(0.0 <= float(v) <= 1.0 for v in found.values())


def test_short_run_learns(short_run):
    _, result = short_run
    assert set(result.accuracy) == {"mlp", "cnn"}
    # two epochs already beat chance (0.1) by far on the digits
    assert result.accuracy["mlp"] > 0.5
    assert result.accuracy["cnn"] > 0.3
    for history in result.histories.values():
        assert len(history.loss) == 2 and len(history.test_accuracy) == 2
        assert np.all(np.isfinite(history.loss))


@pytest.mark.parametrize("name", ["mlp_graph.svg", "cnn_graph.svg", "curves.png"])
def test_writes_graphs_and_curves(short_run, name):
    out, _ = short_run
    path = out / name
    assert path.exists() and path.stat().st_size > 0
    head = path.read_bytes()[:200]
    assert (b"<svg" in path.read_bytes()) if name.endswith(".svg") else head.startswith(b"\x89PNG")


@pytest.mark.parametrize("name", ["mlp", "cnn"])
def test_saved_weights_load_back(short_run, name):
    out, _ = short_run
    path = out / f"{name}.npz"
    assert path.exists() and path.stat().st_size > 0
    state = nn.load(path)
    model = demo.make_mlp() if name == "mlp" else demo.make_cnn()
    model.load_state_dict(state)
    assert set(state) == set(model.state_dict())


def test_same_seed_same_result(tmp_path):
    runs = []
    for sub in ("a", "b"):
        args = demo.parse_args(
            ["--epochs", "1", "--output", str(tmp_path / sub), "--no-progress", "--seed", "3"]
        )
        runs.append(demo.run(args).histories["mlp"].loss)
    assert runs[0] == runs[1]


def test_help_exits_zero(capsys):
    with pytest.raises(SystemExit) as exc:
        demo.main(["--help"])
    assert exc.value.code == 0
    assert "--epochs" in capsys.readouterr().out


def test_rejects_bad_epochs(capsys):
    with pytest.raises(SystemExit) as exc:
        demo.main(["--epochs", "0"])
    assert exc.value.code == 2
    assert "--epochs" in capsys.readouterr().err


def test_runs_as_module():
    done = subprocess.run(
        [sys.executable, "-m", "nn.demo", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "autograd-demo" in done.stdout


@pytest.fixture(scope="module")
def charlm_run(tmp_path_factory):
    from nn import demo_charlm

    out = tmp_path_factory.mktemp("charlm")
    args = demo.parse_args(
        ["--task", "charlm", "--steps", "30", "--sample-length", "40", "--output", str(out),
         "--no-progress"]
    )  # fmt: skip
    return out, demo_charlm.run(args)


def test_charlm_learns_and_writes_its_files(charlm_run):
    out, result = charlm_run
    assert set(result.val_loss) == {"lstm", "transformer"}
    # 30 steps already beat a uniform guess over the ~100 characters (log 103 = 4.6)
    assert all(loss < 3.6 for loss in result.val_loss.values())
    assert 2.0 < result.bigram_loss < 2.6
    for name, text in result.samples.items():
        assert text.startswith('The "for" statement') and len(text) == 19 + 40, name
    assert (out / "charlm_curves.png").read_bytes().startswith(b"\x89PNG")
    for name in ("lstm", "transformer"):
        state = nn.load(out / f"{name}_lm.npz")
        assert any(key.startswith("embed.") for key in state)


def test_charlm_main_prints_losses_and_samples(tmp_path, capsys):
    argv = ["--task", "charlm", "--quick", "--steps", "4", "--sample-length", "5"]
    assert demo.main([*argv, "--output", str(tmp_path), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"lstm held-out loss: [0-9.]+ nats/char", printed)
    assert re.search(r"transformer held-out loss: [0-9.]+ nats/char", printed)
    assert "---- transformer sample ----" in printed


def test_charlm_same_seed_same_losses(tmp_path):
    from nn import demo_charlm

    runs = []
    for sub in ("a", "b"):
        argv = ["--task", "charlm", "--steps", "3", "--sample-length", "3", "--no-progress"]
        args = demo.parse_args([*argv, "--output", str(tmp_path / sub), "--seed", "5"])
        runs.append(demo_charlm.run(args).histories["transformer"].loss)
    assert runs[0] == runs[1]


def test_rejects_bad_steps(capsys):
    with pytest.raises(SystemExit) as exc:
        demo.main(["--task", "charlm", "--steps", "0"])
    assert exc.value.code == 2
    assert "--steps" in capsys.readouterr().err
