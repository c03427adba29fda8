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
    if name == "demo_bf16.toml":
        assert cfg.search.value_mode == "bound" and cfg.search.max_nodes == 20  # the rest stays the demo's
    if name.startswith("iterate"):
        assert cfg.iterate.iterations == 3


@pytest.mark.parametrize("name", ["encoder.toml", "encoder_shared_smollm2.toml"])
def test_encoder_configs_load(name):
    from encoder_bridge.encoder import load_encoder_config

    load_encoder_config(CONFIGS / name).validate()


def test_a_partial_table_keeps_the_commands_other_defaults(tmp_path):
    """`[search] value_mode = "bound"` in an iterate config changes that key only: the other search and
    training settings stay the demo's, not the bare SearchConfig / TrainConfig defaults."""
    from qedjax.app.iterate import load_iterate_config

    p = tmp_path / "it.toml"
    p.write_text('[search]\nvalue_mode = "bound"\n[ebm.train]\nlr = 0.002\n')
    cfg, demo = load_iterate_config(p), load_iterate_config(None)
    assert cfg.search.value_mode == "bound" and cfg.ebm.train.lr == 0.002
    assert cfg.search.max_nodes == demo.search.max_nodes == 20
    assert cfg.search.concurrent_theorems == demo.search.concurrent_theorems == 256
    assert cfg.ebm.train.total_steps == demo.ebm.train.total_steps == 3000
    assert cfg.ebm.model == demo.ebm.model
