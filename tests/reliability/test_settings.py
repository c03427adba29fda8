"""One validation layer for numbers (issue 29, item 1): every numeric config field, whether set by a TOML
key or by a command-line flag, is checked by the same rules (its range, 64-bit integers, finite floats,
the class's combinations, the memory it would take), before anything uses it.

Hypothesis draws values of every type and size (negative, huge, tiny, past 64 bits, NaN, lists, text)
for every numeric field of every config class, and checks that the TOML key and the flag agree and that
what is accepted is usable."""

from __future__ import annotations

import dataclasses
import math
import os
import typing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qedjax.config import (
    INT64_END,
    available_memory,
    check_value,
    field_range,
    from_dict,
    numeric_type,
    replace_path,
    to_dict,
)
from qedjax.ebm.config import EBMConfig
from qedjax.envs.lean_config import LeanConfig
from qedjax.errors import ConfigError
from qedjax.search.config import SearchConfig

from .conftest import assert_refused, qed_run

FUZZ = settings(max_examples=int(os.environ.get("QEDJAX_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _classes():
    from encoder_bridge.encoder import EncoderConfig  # torch-free module
    from encoder_bridge.policy.config import PolicyConfig
    from qedjax.app.iterate_config import IterateConfig

    return [SearchConfig, EBMConfig, EncoderConfig, IterateConfig, LeanConfig, PolicyConfig]


def numeric_fields(cls, prefix: str = "") -> list[tuple[type, str]]:
    """(class, dotted key) of every int/float field (tuples of them included), nested tables too."""
    out = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        if dataclasses.is_dataclass(tp):
            out += numeric_fields(tp, f"{prefix}{f.name}.")
        elif numeric_type(tp) is not None:
            out.append(f"{prefix}{f.name}")
    return out


FIELDS = [(cls, key) for cls in _classes() for key in numeric_fields(cls)]

# Values of every kind a user can type: edges of the int types, huge and tiny floats, the wrong types.
EDGES = [0, 1, -1, 7, 2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**64, 10**12, 10**30,
         0.0, -0.0, 1e-6, 1e-7, 1e6, 1e6 + 1, 1e15, 1e16, 1e300, -1e300, 5e-324, 1e-310, 1e-300, 0.5, 0.999999,
         1.0, 12.0, float("nan"), float("inf"), float("-inf")]
numbers = st.one_of(st.sampled_from(EDGES), st.integers(-2**70, 2**70), st.integers(-10, 10**7),
                    st.floats(allow_nan=True, allow_infinity=True), st.floats(-1e7, 1e7))
values = st.one_of(numbers, numbers, st.booleans(), st.none(), st.text(max_size=4),
                   st.lists(numbers, max_size=3), st.dictionaries(st.text(max_size=3), numbers, max_size=2))


def _nested(dotted: str, value) -> dict:
    out: dict = value
    for part in reversed(dotted.split(".")):
        out = {part: out}
    return out


def _get(obj, dotted: str):
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _field(cls, dotted: str):
    head, _, rest = dotted.partition(".")
    hints = typing.get_type_hints(cls)
    f = next(f for f in dataclasses.fields(cls) if f.name == head)
    return _field(hints[head], rest) if rest else (f, hints[head])


def _toml(cls, dotted, value):
    try:
        return from_dict(cls, _nested(dotted, value), "c.toml"), None
    except ConfigError as e:
        return None, str(e)


@FUZZ
@given(st.sampled_from(FIELDS), values)
def test_a_toml_key_accepts_only_usable_numbers(field, value):
    """Accepted: the stored value is the given one, a 64-bit integer or a finite float inside the field's
    range. Refused: one line naming the file and the key."""
    cls, dotted = field
    obj, err = _toml(cls, dotted, value)
    if obj is None:
        assert err.startswith("c.toml") and "\n" not in err
        return
    got = _get(obj, dotted)
    f, tp = _field(cls, dotted)
    rng = field_range(f, tp)
    if got is None:  # an optional setting left unset (TOML itself cannot write null)
        assert value is None and type(None) in typing.get_args(tp), (dotted, value)
        return
    for v in got if isinstance(got, tuple) else (got,):
        assert not isinstance(v, bool) and isinstance(v, (int, float)), (dotted, v)
        assert -INT64_END <= v < INT64_END if isinstance(v, int) else math.isfinite(v)
        assert rng.contains(v), (dotted, v, rng)


@FUZZ
@given(st.sampled_from(FIELDS), values)
def test_a_flag_and_its_toml_key_give_the_same_verdict(field, value):
    """``replace_path`` is what every CLI override goes through: it accepts exactly what the TOML key
    accepts, and the flag's click type (the field's own rules) accepts what ``check_value`` does."""
    from qedjax_cli.common import setting_type

    cls, dotted = field
    obj, err = _toml(cls, dotted, value)
    try:
        replaced = replace_path(from_dict(cls, {}, "defaults"), dotted, value, where="--flag")
    except ConfigError as e:
        assert obj is None, f"the flag refused what the key accepts: {e}"
        assert str(e).startswith("--flag")
    else:
        assert obj is not None, f"the flag accepted what the key refuses: {err}"
        assert to_dict(replaced) == to_dict(obj)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        import click

        try:
            check_value(cls, dotted, value)
            ok = True
        except ConfigError:
            ok = False
        try:
            setting_type(cls, dotted).convert(repr(value) if isinstance(value, float) else str(value), None, None)
            flag_ok = True
        except click.BadParameter:
            flag_ok = False
        assert flag_ok == ok, (dotted, value)


def other_fields(cls, prefix: str = "") -> list[str]:
    """Dotted keys of every field that is not numeric: strings, choices, flags, lists of strings."""
    out = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        if dataclasses.is_dataclass(tp):
            out += other_fields(tp, f"{prefix}{f.name}.")
        elif numeric_type(tp) is None:
            out.append(f"{prefix}{f.name}")
    return out


OTHER = [(cls, key) for cls in _classes() for key in other_fields(cls)]
# What a TOML file can hold where text, a choice or a flag is expected: every TOML type (dates included),
# text of any script, control characters, the empty string, and the words of the choices in other cases.
texts = st.one_of(st.text(max_size=6), st.sampled_from(["", " ", "\x00", "ｅａｇｅｒ", "EAGER", "eager ", "None", "true",
                                                      "⊢", "a" * 300]))
toml_values = st.one_of(texts, st.booleans(), numbers, st.datetimes(), st.dates(), st.times(),
                        st.lists(st.one_of(texts, numbers, st.booleans()), max_size=3),
                        st.dictionaries(st.text(max_size=3), texts, max_size=2))


def _type_holds(tp, value) -> bool:
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return value in typing.get_args(tp)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_type_holds(a, value) for a in typing.get_args(tp))
    if origin in (tuple, list):
        inner = [a for a in typing.get_args(tp) if a is not Ellipsis]
        return isinstance(value, tuple) and all(_type_holds(inner[0], v) for v in value) if inner else True
    if tp is type(None):
        return value is None
    if tp is bool:
        return isinstance(value, bool)
    if tp is str:
        return isinstance(value, str)
    if tp is dict:
        return isinstance(value, dict)
    return True


@FUZZ
@given(st.sampled_from(OTHER), toml_values)
def test_a_toml_key_of_text_choice_or_flag_accepts_only_its_type(field, value):
    """Accepted: a value of the field's own type (a choice among its choices, a real bool, text for text);
    a date is never text. Refused: one line naming the file and the key, never another exception."""
    cls, dotted = field
    obj, err = _toml(cls, dotted, value)
    if obj is None:
        assert err.startswith("c.toml") and "\n" not in err, err
        return
    f, tp = _field(cls, dotted)
    assert _type_holds(tp, _get(obj, dotted)), (dotted, value, _get(obj, dotted))


sizes = st.one_of(st.integers(1, 64), st.integers(1, 10**13), st.sampled_from([1, 2**31, 10**9, 10**12]))


@FUZZ
@given(batch=sizes, k=sizes, hidden=st.lists(sizes, min_size=1, max_size=3), val=sizes, per_call=sizes)
def test_ebm_sizes_are_refused_when_they_cannot_fit(batch, k, hidden, val, per_call):
    data = {"train": {"batch_size": batch, "val_batches": val, "steps_per_call": min(per_call, 2**31 - 1)},
            "sampler": {"k_negatives": k}, "model": {"hidden_dims": hidden}}
    try:
        cfg = from_dict(EBMConfig, data, "ebm.toml")
    except ConfigError as e:
        assert "would need" in str(e) and "of memory" in str(e) and "\n" not in str(e), e
        return
    assert cfg.memory_needed(1)[1] <= available_memory()


finite_floats = st.one_of(st.sampled_from([0.0, 1e-300, 1e-7, 1e-6, 1.0, 1e6, 1e300, 5e-324]),
                          st.floats(0, 1e300, allow_nan=False), st.floats(-1e300, 0, allow_nan=False))


@FUZZ
@given(alpha=finite_floats, beta=finite_floats, t_llm=finite_floats, t_ebm=finite_floats,
       probe=finite_floats, margin=finite_floats)
def test_accepted_priority_settings_keep_priorities_finite(alpha, beta, t_llm, t_ebm, probe, margin):
    """α·log-prob/T_llm + β·value/T_ebm stays finite and exact enough to order nodes for every accepted
    setting, for log-probs and values as large as a search meets (a 1e6-step proof of log-prob −1e6 each)."""
    data = {"alpha": alpha, "beta": beta, "t_llm": t_llm, "t_ebm": t_ebm, "probe_log_prob": probe,
            "value_bound_margin": margin}
    try:
        c = from_dict(SearchConfig, data, "s.toml")
    except ConfigError:
        return
    for lp in (-1e12, -1.0, -1e-3, 0.0):
        for v in (-1e6, -1.0, 0.0, 1e6):
            p = c.alpha * lp / c.t_llm + c.beta * v / c.t_ebm
            assert math.isfinite(p)
            bound = c.beta * (v + c.value_bound_margin * c.t_ebm) / c.t_ebm
            assert math.isfinite(bound)
    assert math.isfinite(c.probe_log_prob * c.alpha / c.t_llm)


def test_an_accepted_search_config_searches(tmp_path):
    """The widest settings the layer accepts still search (and prove) a theorem."""
    from qedjax.envs.prop import PropEnvironment
    from qedjax.envs.prop.policy import HeuristicPolicy
    from qedjax.interfaces import Theorem
    from qedjax.search.engine import search_theorem

    class Length:
        def score(self, states):
            import numpy as np

            return -np.array([len(s) for s in states], np.float64)

    thm = Theorem("t", "theorem t (p q : Prop) : p ∧ q → q ∧ p")
    for kw in ({"alpha": 1e6, "t_llm": 1e-6, "beta": 1e6, "t_ebm": 1e-6},
               {"alpha": 0.0, "beta": 1e6, "t_ebm": 1e-6, "probe_log_prob": -1e6, "value_bound_margin": 1e6,
                "value_mode": "bound"},
               {"alpha": 1e6, "t_llm": 1e6, "beta": 0.0, "timeout_per_theorem": 1e9, "tactic_timeout": 1e9}):
        cfg = from_dict(SearchConfig, {"max_nodes": 40, **kw}, "s.toml")
        result = search_theorem(thm, PropEnvironment(), HeuristicPolicy(seed=0), Length(), cfg)
        assert result.proved, kw


def test_every_override_flag_is_typed_by_its_config_field():
    """The flags that set config keys take their type and range from the field itself: a flag can never
    accept what the key refuses, nor the reverse (the encoder's max_length once differed)."""
    from qedjax_cli.common import SettingType
    from qedjax_cli.main import qed

    from qedjax.app.runs import SEARCH_OVERRIDES

    expected = {("search", f"--{k.replace('_', '-')}"): k for k in SEARCH_OVERRIDES
                if numeric_type(typing.get_type_hints(SearchConfig)[k]) is not None}
    assert len(expected) >= 8
    expected.update({("train-ebm", f"--{k.replace('_', '-')}"): d for k, d in [
        ("k_negatives", "sampler.k_negatives"), ("hard_ratio", "sampler.hard_ratio"), ("lr", "train.lr"),
        ("medium_ratio", "sampler.medium_ratio"), ("dropout", "model.dropout"), ("batch_size", "train.batch_size"),
        ("seed", "train.seed"), ("steps", "train.total_steps")]})
    expected.update({("encode", "--batch-size"): "batch_size", ("encode", "--max-length"): "max_length"})
    for (command, flag), dotted in expected.items():
        opt = next(p for p in qed.commands[command].params if flag in p.opts)
        assert isinstance(opt.type, SettingType) and opt.type.dotted == dotted, (command, flag)


@pytest.mark.parametrize("args, fragments", [
    (["search", "--split", "test", "--seed", "-1"], ["--seed", "-1"]),
    (["search", "--split", "test", "--seed", str(2**64)], ["--seed", "64 bits"]),
    (["search", "--split", "test", "--alpha", "1e300"], ["--alpha", "1e+300"]),
    (["search", "--split", "test", "--t-ebm", "1e-300"], ["--t-ebm"]),
    (["search", "--split", "test", "--max-nodes", str(2**63)], ["--max-nodes", "64 bits"]),
    (["iterate", "--workdir", "w", "--seed", str(2**70)], ["--seed"]),
    (["prop", "gen", "--output", "b", "--seed", "-2"], ["--seed"]),
    (["prop", "gen", "--output", "b", "--count", str(10**12)], ["--count"]),
    (["train-ebm", "--trajectories", "t.parquet", "--embeddings", "e.parquet", "--output", "o",
      "--steps", str(2**32)], ["--steps", "2**31"]),
])
def test_out_of_range_flags_are_usage_errors(tmp_path, monkeypatch, args, fragments):
    monkeypatch.chdir(tmp_path)
    assert_refused(qed_run(*args, *(["--output", "o.parquet"] if args[0] == "search" else [])), *fragments)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("toml, fragments", [
    ("[train]\nbatch_size = 1000000000000\n", ["ebm.toml", "train.batch_size", "would need", "memory"]),
    ("[model]\nhidden_dims = [1000000000000]\n", ["ebm.toml", "hidden_dims", "would need"]),
    ("[sampler]\nk_negatives = 1000000000000\n", ["ebm.toml", "k_negatives", "would need"]),
    ("[train]\nval_batches = 1000000000000\n", ["ebm.toml", "val_batches", "would need"]),
    ("[train]\nseed = -1\n", ["ebm.toml", "train.seed"]),
    (f"[train]\nseed = {2**70}\n", ["ebm.toml", "train.seed", "64 bits"]),
    ("[train]\ntotal_steps = 4294967296\n", ["ebm.toml", "total_steps"]),
    ("[model]\nwarmup_iterations = 1000000000000\n", ["ebm.toml", "warmup_iterations"]),
    ("[model]\nlog_temperature_max = 1e300\n", ["ebm.toml", "log_temperature_max"]),
])
def test_ebm_toml_sizes_and_seeds_are_refused_before_training(tmp_path, synthetic, toml, fragments):
    cfg = tmp_path / "ebm.toml"
    cfg.write_text(toml)
    assert_refused(qed_run("train-ebm", "--trajectories", synthetic["traj"], "--embeddings", synthetic["emb"],
                           "--output", tmp_path / "run", "--config", cfg, "--quiet"), *fragments)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ebm.toml"]


@pytest.mark.parametrize("toml, fragments", [
    ("alpha = 1e300\n", ["search.toml", "alpha"]),
    ("t_llm = 1e-300\n", ["search.toml", "t_llm"]),
    ("beta = 2.0\nt_ebm = 1e-310\n", ["search.toml", "t_ebm"]),
    ("probe_log_prob = 1e308\n", ["search.toml", "probe_log_prob"]),
    ("tactic_timeout = 1e300\n", ["search.toml", "tactic_timeout"]),
    (f"max_nodes = {2**70}\n", ["search.toml", "max_nodes", "64 bits"]),
    ("num_candidates = 1000000000000\n", ["search.toml", "num_candidates"]),
])
def test_search_toml_numbers_are_refused(tmp_path, toml, fragments):
    cfg = tmp_path / "search.toml"
    cfg.write_text(toml)
    assert_refused(qed_run("search", "--split", "test", "--max-theorems", "1", "--config", cfg, "--quiet",
                           "--output", tmp_path / "t.parquet"), *fragments)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["search.toml"]


def test_encoder_toml_and_flag_agree_on_max_length(tmp_path):
    """The flag refused max_length 1 and the TOML key accepted it: one rule now, and a length past the
    model's positions is refused when the model is known, before any state is encoded."""
    states = tmp_path / "s.jsonl"
    states.write_text('{"state_pp": "p"}\n')
    cfg = tmp_path / "enc.toml"
    for toml in ("max_length = 1\n", "max_length = 7\n", "batch_size = 0\n", "token_budget = -1\n"):
        cfg.write_text(toml)
        assert_refused(qed_run("encode", "--input", states, "--output", tmp_path / "e.parquet", "--config", cfg,
                               "--quiet"), "enc.toml")
    assert_refused(qed_run("encode", "--input", states, "--output", tmp_path / "e.parquet", "--max-length", "7",
                           "--quiet"), "--max-length")
    assert not (tmp_path / "e.parquet").exists()
