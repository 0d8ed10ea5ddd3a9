#!/usr/bin/env bash
# Creates .venv and installs the package with the given extras (default: demo), plus
# the system graphviz `dot` program when it is missing. Usage: bash scripts/setup.sh EXTRAS
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-demo}"
if ! command -v dot >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing graphviz (the dot program) with apt-get..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz) >/dev/null
  else
    echo "The graphviz 'dot' program is missing and cannot be installed from here." >&2
    echo "Install it: Debian/Ubuntu 'sudo apt-get install graphviz', macOS 'brew install graphviz'," >&2
    echo "conda 'conda install -c conda-forge graphviz'. Continuing: graphs will not render." >&2
  fi
fi
# The browser tests (tests/autograd_core/test_explore_browser.py) drive Debian's chromium
# through its chromium-driver; they are installed with the test extras (dev).
case ",${extras}," in
  *,dev,*)
    if ! command -v chromedriver >/dev/null 2>&1; then
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing chromium and chromium-driver (for the browser tests) with apt-get..."
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
          apt-get install -y -qq chromium chromium-driver) >/dev/null
      else
        echo "chromium and chromium-driver are missing: the browser tests need them." >&2
        echo "Install them: Debian/Ubuntu 'sudo apt-get install chromium chromium-driver'." >&2
      fi
    fi
    ;;
esac
# pip's "a new release of pip is available" notice is not something to act on here: the
# next line upgrades pip in .venv anyway.
export PIP_DISABLE_PIP_VERSION_CHECK=1
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# Editable: the venv imports this checkout's autograd_core, ops and nn (a .pth entry for
# the repository, see package-dir in pyproject.toml).
.venv/bin/python -m pip install -q -e ".[${extras}]"
