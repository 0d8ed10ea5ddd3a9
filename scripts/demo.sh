#!/usr/bin/env bash
# README command one: install everything, then run the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh demo
.venv/bin/autograd-demo "$@"
