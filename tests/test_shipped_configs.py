"""Every shipped TOML under configs/ loads with the loader of the command it documents (strict: an
unknown or misspelt key is an error), and the files that document defaults say what the code does:
the defaults live in the config dataclasses, so a file that lists them can never drift from them."""

import dataclasses
import re
from pathlib import Path

import pytest

from qedjax.config import load_toml, read_toml, to_dict, tomllib
from qedjax.errors import ConfigError

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
ITERATE = ["demo.toml", "demo_int8.toml", "demo_bf16.toml", "iterate.toml", "iterate_bf16.toml",
           "iterate_policy.toml", "iterate_policy_tuned.toml"]


def _raw(name: str) -> dict:
    return tomllib.loads((CONFIGS / name).read_text(encoding="utf-8"))


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = list(v) if isinstance(v, tuple) else v
    return out


def test_every_shipped_config_is_tested():
    """A new file under configs/ must be added to one of the tests below."""
    named = set(ITERATE) | set(DOCUMENTED) | set(VARIANTS) | set(ABLATIONS)
    assert {p.relative_to(CONFIGS).as_posix() for p in CONFIGS.rglob("*.toml")} == named


@pytest.mark.parametrize("name", ITERATE)
def test_iterate_configs_load(name):
    from qedjax.app.iterate_config import load_iterate_config

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


def _demo_default():
    from qedjax.app.iterate_config import IterateConfig

    return IterateConfig()


def _command_defaults() -> dict:
    """What each table of demo.toml is measured against: the default of the command it belongs to."""
    from encoder_bridge.encoder import EncoderConfig
    from qedjax.ebm.config import EBMConfig
    from qedjax.search.config import SearchConfig

    return {"search": to_dict(SearchConfig()), "encoder": to_dict(EncoderConfig()), "ebm": to_dict(EBMConfig())}


def test_demo_toml_is_the_code_defaults():
    """configs/demo.toml lists [iterate] in full and, in [search], [encoder] and [ebm.*], exactly the
    settings where the demo differs from qed search / qed encode / qed train-ebm — at the values the
    code holds. Loading it changes nothing."""
    from encoder_bridge.encoder import EncoderConfig
    from qedjax.app.iterate_config import load_iterate_config

    assert load_iterate_config(CONFIGS / "demo.toml") == load_iterate_config(None)
    demo = _demo_default()
    code = _flat(to_dict(dataclasses.replace(demo, encoder=to_dict(EncoderConfig(**demo.encoder)))))
    listed = _flat(_raw("demo.toml"))
    assert {k: code[k] for k in listed} == listed  # every value is the code's
    iterate_fields = {f"iterate.{f.name}" for f in dataclasses.fields(_demo_default().iterate)}
    assert iterate_fields <= set(listed)
    commands = _command_defaults()
    for table, default in commands.items():
        differs = {f"{table}.{k}" for k, v in _flat(default).items() if code.get(f"{table}.{k}") != v}
        assert {k for k in listed if k.startswith(f"{table}.")} == differs, table


def test_overlays_name_only_what_they_change():
    """Files built on the demo name only settings that differ from the file they build on."""
    code = _flat(to_dict(_demo_default()))
    for name in ("demo_int8.toml", "demo_bf16.toml"):
        for k, v in _flat(_raw(name)).items():
            assert code.get(k) != v, (name, k)
    iterate = _raw("iterate.toml")
    assert iterate["base"] == "demo.toml" and iterate["iterate"]["iterations"] == 3
    for k, v in _flat({k: v for k, v in iterate.items() if k != "base"}).items():
        assert code.get(k) != v, ("iterate.toml", k)
    assert _raw("iterate_bf16.toml")["base"] == "iterate.toml"


DOCUMENTED = {  # files that document a command's defaults: every field, at the code's value
    "search.toml": ("qedjax.search.config", "SearchConfig"),
    "ebm.toml": ("qedjax.ebm.config", "EBMConfig"),
    "encoder.toml": ("encoder_bridge.encoder", "EncoderConfig"),
    "lean.toml": ("qedjax.envs.lean_config", "LeanConfig"),
    "policy.toml": ("encoder_bridge.policy.config", "PolicyConfig"),
}


# Settings a defaults file shows only as a comment: setting the key at all changes what the command
# does (a Lean config's per-tactic timeout, once set, wins over the search config's).
COMMENTED = {"lean.toml": {"lean_repl.tactic_timeout", "leandojo.timeout"}}


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_a_defaults_file_lists_every_setting_at_the_codes_value(name):
    import importlib

    module, cls = DOCUMENTED[name]
    config_class = getattr(importlib.import_module(module), cls)
    code = _flat(to_dict(config_class()))
    unset = {k for k, v in code.items() if v is None}  # TOML has no null: such a setting is a comment
    unset |= COMMENTED.get(name, set())
    assert _flat(_raw(name)) == {k: v for k, v in code.items() if k not in unset}
    text = (CONFIGS / name).read_text(encoding="utf-8")
    for key in unset:
        assert re.search(rf"^# {re.escape(key.split('.')[-1])} = ", text, re.M), (name, key)
    for key in COMMENTED.get(name, ()):  # shown at the code's value
        value = repr(code[key]).replace("True", "true").replace("False", "false")
        assert re.search(rf"^# {re.escape(key.split('.')[-1])} = {re.escape(value)}\b", text, re.M), (name, key)
    assert load_toml(config_class, CONFIGS / name) == config_class()


VARIANTS = {  # other settings for a command: they load with its loader
    "ebm_burnqed.toml": "ebm",
    "encoder_shared_smollm2.toml": "encoder",
    "policy_3m.toml": "policy",
    "policy_lora.toml": "policy",
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variants_load(name):
    if VARIANTS[name] == "ebm":
        from qedjax.ebm.config import EBMConfig

        assert load_toml(EBMConfig, CONFIGS / name) != EBMConfig()
    elif VARIANTS[name] == "policy":
        from encoder_bridge.policy.config import PolicyConfig, load_policy_config

        assert load_policy_config(CONFIGS / name) != PolicyConfig()
    else:
        from encoder_bridge.encoder import load_encoder_config

        load_encoder_config(CONFIGS / name).validate()


ABLATIONS = ["ablations/fast.toml", "ablations/smaller.toml", "ablations/objective.toml", "ablations/value.toml"]  # rows files: tests/app/test_ablate.py


def test_a_partial_table_keeps_the_commands_other_defaults(tmp_path):
    """`[search] value_mode = "bound"` in an iterate config changes that key only: the other search and
    training settings stay the demo's, not the bare SearchConfig / TrainConfig defaults."""
    from qedjax.app.iterate_config import load_iterate_config

    p = tmp_path / "it.toml"
    p.write_text('[search]\nvalue_mode = "bound"\n[ebm.train]\nlr = 0.002\n[encoder]\ndtype = "bfloat16"\n')
    cfg, demo = load_iterate_config(p), load_iterate_config(None)
    assert cfg.search.value_mode == "bound" and cfg.ebm.train.lr == 0.002
    assert cfg.search.max_nodes == demo.search.max_nodes == 20
    assert cfg.search.concurrent_theorems == demo.search.concurrent_theorems == 256
    assert cfg.ebm.train.total_steps == demo.ebm.train.total_steps == 1000
    assert cfg.ebm.model == demo.ebm.model
    assert cfg.encoder == {"pooling": "mean-last4", "dtype": "bfloat16"}  # the [encoder] table too


def test_base_files_chain_and_the_later_file_wins(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.toml").write_text('[iterate]\niterations = 2\nseed = 5\n[search]\nnum_candidates = 4\n')
    (tmp_path / "sub" / "b.toml").write_text('base = "../a.toml"\n[iterate]\nseed = 7\n')
    (tmp_path / "c.toml").write_text('base = "sub/b.toml"\n[search]\nmax_nodes = 9\n')
    assert read_toml(tmp_path / "c.toml") == {"iterate": {"iterations": 2, "seed": 7},
                                              "search": {"num_candidates": 4, "max_nodes": 9}}
    from qedjax.app.iterate_config import load_iterate_config

    cfg = load_iterate_config(tmp_path / "c.toml")
    assert (cfg.iterate.iterations, cfg.iterate.seed, cfg.search.num_candidates, cfg.search.max_nodes) == (2, 7, 4, 9)
    assert cfg.search.value_mode == "lazy"  # the demo's, under every file
    (tmp_path / "a.toml").write_text('base = "c.toml"\n')
    with pytest.raises(ConfigError, match="cycle"):
        read_toml(tmp_path / "c.toml")
    (tmp_path / "d.toml").write_text('base = "missing.toml"\n')
    with pytest.raises(ConfigError, match="missing.toml.*the base of"):
        read_toml(tmp_path / "d.toml")
    (tmp_path / "e.toml").write_text('base = "d.toml"\n[iterate]\nbogus = 1\n')
    (tmp_path / "d.toml").write_text('[iterate]\nseed = 1\n')
    with pytest.raises(ConfigError, match="unknown key 'bogus'"):
        load_iterate_config(tmp_path / "e.toml")
