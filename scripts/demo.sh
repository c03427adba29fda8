#!/usr/bin/env bash
# Set everything up, then run the main job on the embedded default: `qed demo`.
# Extra arguments go to `qed demo` (e.g. --output DIR --seed 1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 JAX_PLATFORMS="${JAX_PLATFORMS:-cpu}"
qed demo "$@"
