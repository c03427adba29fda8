"""Every shipped TOML under configs/ loads with the loader of the command it documents (strict: an
unknown or misspelt key is an error), so a config the README points to can never rot."""

from pathlib import Path

import pytest

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


@pytest.mark.parametrize("name", ["demo.toml", "demo_int8.toml", "demo_bf16.toml", "iterate.toml",
                                  "iterate_bf16.toml"])
def test_iterate_configs_load(name):
    from qedjax.app.iterate import load_iterate_config

    cfg = load_iterate_config(CONFIGS / name)
    assert cfg.encoder["pooling"] == "mean-last4"
    if name == "demo_int8.toml":
        assert cfg.encoder["quantize"] == "int8-dynamic"
    if "bf16" in name:
        assert cfg.encoder["dtype"] == "bfloat16"
    if name.startswith("iterate"):
        assert cfg.iterate.iterations == 3


@pytest.mark.parametrize("name", ["encoder.toml", "encoder_shared_smollm2.toml"])
def test_encoder_configs_load(name):
    from encoder_bridge.encoder import load_encoder_config

    load_encoder_config(CONFIGS / name).validate()
