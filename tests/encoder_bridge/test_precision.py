"""dtype = "auto": the encoder's precision follows a measurement on the machine at hand (here a fake
clock), cached per machine and model; a named dtype always wins; provenance records what ran."""

import json

import numpy as np
import pytest

from encoder_bridge import precision
from encoder_bridge.encoder import EncoderConfig, HFEncoder, choose_precision
from encoder_bridge.precision import MIN_COSINE, MIN_SPEEDUP, decide, measure


class FakeClock:
    """Seconds per timed pass by dtype. ``measure`` times float32, then bfloat16, ``repeats`` times,
    reading the clock before and after each pass."""

    def __init__(self, float32: float, bfloat16: float):
        self.passes = [float32, bfloat16]
        self.calls = 0
        self.now = 0.0

    def __call__(self) -> float:
        if self.calls % 2:  # the end of a pass
            self.now += self.passes[(self.calls // 2) % 2]
        self.calls += 1
        return self.now


def refuse_to_measure() -> float:
    raise AssertionError("measured although a measurement was cached")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache, on a machine taken as idle (the load per CPU is 0)."""
    import encoder_bridge.encoder as encoder_module

    monkeypatch.setenv("QEDJAX_CACHE", str(tmp_path))
    monkeypatch.setattr(encoder_module, "system_load", lambda: 0.0)
    return tmp_path / "precision"


@pytest.fixture
def config(tiny_bert):
    return EncoderConfig(model=str(tiny_bert), batch_size=8)


STATES = ["⊢ p", "p q : Prop\nh : p ∧ q\n⊢ q ∧ p"]


@pytest.mark.slow
@pytest.mark.parametrize("f32, bf16, chosen", [(1.0, 0.5, "bfloat16"), (1.0, 1.0, "float32"), (0.6, 1.0, "float32")])
def test_the_choice_follows_the_clock_and_the_encoder_runs_in_it(cache, config, f32, bf16, chosen):
    clock = FakeClock(f32, bf16)
    choice = choose_precision(config, timer=clock, states=STATES)
    assert clock.calls == 12  # 3 timed passes of each dtype, two clock readings each
    assert (choice.dtype, choice.how) == (chosen, "measured")
    assert choice.seconds_per_state == pytest.approx({"float32": f32 / 2, "bfloat16": bf16 / 2})
    assert choice.cosine > MIN_COSINE
    assert chosen in choice.line() and "x as fast as float32" in choice.reason
    enc = HFEncoder(config)  # the cached measurement decides; nothing is timed again
    assert enc.precision.dtype == chosen and enc.precision.how == "cached"
    assert enc.provenance["dtype"] == enc.config.dtype == chosen
    assert str(next(enc.backbone.parameters()).dtype) == f"torch.{chosen}"
    assert enc.encode(STATES).dtype == np.float32


@pytest.mark.slow
def test_a_measured_choice_builds_the_same_vectors_as_the_named_dtype(cache, config, monkeypatch):
    import encoder_bridge.encoder as encoder_module

    monkeypatch.setattr(encoder_module, "probe_states", lambda: STATES)  # fewer states to time
    auto = HFEncoder(config)  # measures with the real clock, then keeps the model it measured
    assert auto.precision.how == "measured" and auto.config.dtype in ("float32", "bfloat16")
    named = HFEncoder(EncoderConfig(model=config.model, batch_size=8, dtype=auto.config.dtype))
    assert named.precision.how == "forced" and named.provenance == auto.provenance
    np.testing.assert_array_equal(auto.encode(STATES), named.encode(STATES))


@pytest.mark.slow
def test_the_cache_is_reused_and_invalidated(cache, config, monkeypatch):
    choose_precision(config, timer=FakeClock(1.0, 0.5), states=STATES)
    files = list(cache.glob("*.json"))
    assert len(files) == 1
    record = json.loads(files[0].read_text())
    assert record["model"] == config.model.rsplit("/", 1)[-1] and record["machine"]["torch"]
    again = choose_precision(config, timer=refuse_to_measure, states=STATES)
    assert (again.dtype, again.how) == ("bfloat16", "cached")
    # refresh measures again and replaces the record
    assert choose_precision(config, timer=FakeClock(1.0, 2.0), states=STATES, refresh=True).dtype == "float32"
    assert choose_precision(config, timer=refuse_to_measure).dtype == "float32"
    # a damaged record is measured again (and rewritten whole)
    for damage in ("{not json", json.dumps({**record, "seconds_per_state": {"float32": "fast"}}), "[]"):
        files[0].write_text(damage)
        assert choose_precision(config, timer=FakeClock(1.0, 0.5), states=STATES).how == "measured"
        assert choose_precision(config, timer=refuse_to_measure).dtype == "bfloat16"
    # another torch, another CPU or other model weights: another key, measured afresh
    import encoder_bridge.encoder as encoder_module

    real = precision.machine_identity
    for change in ({"torch": "0.0.1"}, {"cpu_flags": "0" * 16}, {"cpu": "another CPU"}):
        monkeypatch.setattr(encoder_module, "machine_identity", lambda device, change=change: {**real(device), **change})
        assert choose_precision(config, timer=FakeClock(1.0, 2.0), states=STATES).how == "measured"
    assert len(list(cache.glob("*.json"))) == 4
    machine = real("cpu")
    assert len({precision.cache_key(machine, "m", "rev1"), precision.cache_key(machine, "m", "rev2"),
                precision.cache_key(machine, "other", "rev1")}) == 3  # other weights, another model


@pytest.mark.slow
def test_a_busy_machine_is_not_timed_and_keeps_float32_until_it_is_idle(cache, config):
    busy = choose_precision(config, load=lambda: 9.0, timer=refuse_to_measure)
    assert (busy.dtype, busy.how) == ("float32", "busy") and "busy" in busy.reason
    assert not cache.exists()  # nothing cached: the next idle run measures
    assert choose_precision(config, load=lambda: 0.5, timer=FakeClock(1.0, 0.5), states=STATES).how == "measured"
    assert choose_precision(config, load=lambda: 9.0, timer=refuse_to_measure).how == "cached"  # busy or not
    assert choose_precision(config, load=lambda: None, timer=FakeClock(1.0, 0.5), states=STATES,
                            refresh=True).how == "measured"  # no load average on this OS: measured


def test_a_named_dtype_or_int8_is_never_measured(cache, config):
    for dtype in ("float32", "bfloat16"):
        forced = choose_precision(EncoderConfig(model=config.model, dtype=dtype), timer=refuse_to_measure)
        assert (forced.dtype, forced.how) == (dtype, "forced")
    q = choose_precision(EncoderConfig(model=config.model, quantize="int8-dynamic"), timer=refuse_to_measure)
    assert (q.dtype, q.how) == ("float32", "quantize")
    assert not cache.exists()


@pytest.mark.slow
def test_provenance_rebuilds_the_dtype_that_made_the_vectors(cache, config):
    """A head trained on bfloat16 embeddings gets a bfloat16 encoder back, whatever this machine now
    prefers; a provenance from before dtype was recorded means float32."""
    choose_precision(config, timer=FakeClock(1.0, 0.5), states=STATES)
    bf = HFEncoder(config)
    assert bf.provenance["dtype"] == "bfloat16"
    choose_precision(config, timer=FakeClock(0.5, 1.0), states=STATES, refresh=True)  # now float32 wins here
    rebuilt = HFEncoder.from_provenance(bf.provenance)
    assert rebuilt.config.dtype == "bfloat16" and rebuilt.precision.how == "forced"
    old = {k: v for k, v in HFEncoder(EncoderConfig(model=config.model, dtype="float32")).provenance.items()
           if k != "dtype"}
    choose_precision(config, timer=FakeClock(1.0, 0.5), states=STATES, refresh=True)  # bfloat16 wins again
    assert HFEncoder.from_provenance(old).config.dtype == "float32"


def test_a_model_handed_in_runs_and_is_recorded_in_its_own_dtype(config):
    import torch

    base = HFEncoder(EncoderConfig(model=config.model, dtype="float32"))
    half = HFEncoder(EncoderConfig(model=config.model), model=base.backbone.to(torch.bfloat16),
                     tokenizer=base.tokenizer, name=base.name, revision=base.revision)
    assert half.provenance["dtype"] == "bfloat16" and half.precision.how == "model"


def test_decide_needs_speed_and_accuracy():
    slow, fast = {"float32": 0.01, "bfloat16": 0.02}, {"float32": 0.02, "bfloat16": 0.01}
    assert decide(fast, 0.9999)[0] == "bfloat16"
    assert decide(slow, 0.9999)[0] == "float32"
    edge = {"float32": MIN_SPEEDUP * 0.01, "bfloat16": 0.01}
    assert decide(edge, 0.9999)[0] == "bfloat16"
    assert decide({"float32": 0.99 * MIN_SPEEDUP * 0.01, "bfloat16": 0.01}, 0.9999)[0] == "float32"
    dtype, reason = decide(fast, 0.93)  # int8's cosine: too far, however fast
    assert dtype == "float32" and "cosine" in reason
    assert decide({"float32": 0.01}, None)[0] == "float32"


def test_measure_interleaves_passes_and_compares_to_float32():
    order = []

    def encoder(name, scale):
        def encode(states):
            order.append(name)
            return np.ones((len(states), 3)) * np.arange(1, 4) * scale
        return encode

    seconds, cosine = measure({"float32": encoder("f", 1.0), "bfloat16": encoder("b", 2.0)}, ["a", "b"],
                              repeats=2, timer=FakeClock(3.0, 1.0))
    assert order == ["f", "b", "f", "b", "f", "b"]  # warm-ups, then interleaved timed passes
    assert seconds == {"float32": 1.5, "bfloat16": 0.5} and cosine == pytest.approx(1.0)
