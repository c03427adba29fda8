#!/usr/bin/env bash
# Set everything up, then run the whole test suite, slow, ray and multiprocess tests included (CPU, no
# network), in QEDJAX_TEST_WORKERS pytest-xdist workers (default 2; each test file runs in one worker;
# 1 runs in this process). Extra arguments go to pytest, e.g. the quick loop:
# -m "not slow and not ray and not multiprocess".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 JAX_PLATFORMS="${JAX_PLATFORMS:-cpu}"
workers="${QEDJAX_TEST_WORKERS:-2}"
if [ "$workers" = "1" ]; then
  python -m pytest -q "$@"
else
  python -m pytest -q -n "$workers" --dist loadfile "$@"
fi
