"""Expert iteration's settings: the ``[iterate]`` table, and the demo's search, encoder and head.

These dataclasses hold the defaults of ``qed demo`` and ``qed iterate``, and nothing else does:
``configs/demo.toml`` lists them for readers (``tests/test_shipped_configs.py`` checks it against this
module), and every other config file names only what it changes (``base = "demo.toml"`` where it
builds on another file; see :mod:`qedjax.config`). Where the demo differs from a command's own
defaults (``qed search``: :class:`~qedjax.search.config.SearchConfig`, ``qed train-ebm``:
:class:`~qedjax.ebm.config.EBMConfig`, ``qed encode``: the encoder's), the field below says so.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

from qedjax.config import from_dict, load_toml, setting
from qedjax.data.proof_paths import PROOF_SELECTIONS
from qedjax.ebm.config import EBMConfig, LossConfig, TrainConfig
from qedjax.errors import ConfigError, DataError
from qedjax.search.config import SearchConfig
from qedjax.search.theorems import load_theorems

REFERENCE_VALUES = ("length", "distance")
DTYPE_CHOICES = ("auto", "float32", "bfloat16", "int8-dynamic")  # qed demo / qed iterate --dtype


@dataclasses.dataclass(frozen=True)
class IterateSettings:
    theorems: str = ""  # "" = the shipped prop benchmark, "hard" = its hard tier (difficulties 9-12)
    env: str = "prop"
    iterations: int = 1
    train_split: str = "train"
    valid_split: str = "valid"  # temperatures and the kept head are chosen here, never on eval_split
    eval_split: str = "test"
    # The demo's sizes, chosen to finish in about three minutes on 2 CPU cores with the held-out table
    # within 2 theorems of the larger settings (docs/results.md); configs/iterate.toml sets the larger
    # ones (1,000 / 240 / 12 negatives / 3,000 steps) for runs of several rounds.
    max_train_theorems: int = 600
    max_eval_theorems: int = 240
    max_valid_theorems: int = 120
    train_max_nodes: int = 30
    budgets: tuple[int, ...] = (3, 5, 10, 20)
    negatives_per_theorem: int = 2  # besides the positives' siblings, encoded for training
    seed: int = 0  # policy seeds, theorem sample and EBM seed derive from it
    policy_noise: float = setting(0.8, ge=0.0, le=1e3)  # std of the heuristic policy's noise
    calibrate: bool = True  # T_llm from the training search's cumulative log-probs
    # T_ebm = the value's spread × a multiplier, chosen on the validation split by a climb from the grid's
    # middle (qedjax.app.temperatures.climb): centred where the demo's head and the ceiling pick
    t_value_grid: tuple[float, ...] = (0.125, 0.0625, 0.03125, 0.015625, 0.0078125)
    keep_best: bool = True  # a round whose head does worse on the validation split keeps the previous head
    references: tuple[str, ...] = REFERENCE_VALUES  # measurement-only values evaluated once
    quality_states: int = 1000  # held-out search states every iteration's head is measured on
    workers: int = 1

    def validate(self) -> None:
        if self.iterations < 1 or self.max_train_theorems < 1 or self.max_eval_theorems < 1:
            raise ValueError("iterations and theorem counts must be >= 1")
        if self.train_max_nodes < 1 or self.negatives_per_theorem < 0 or self.workers < 1:
            raise ValueError("train_max_nodes and workers must be >= 1, negatives_per_theorem >= 0")
        if not self.budgets or min(self.budgets) < 1:
            raise ValueError("budgets must be positive")
        if len({self.train_split, self.valid_split, self.eval_split}) < 3:
            raise ValueError("train_split, valid_split and eval_split must all differ (held-out evaluation)")
        if not self.t_value_grid or min(self.t_value_grid) <= 0:
            raise ValueError("t_value_grid must hold positive multipliers")
        if self.max_valid_theorems < 1:
            raise ValueError("max_valid_theorems must be >= 1")
        unknown = set(self.references) - set(REFERENCE_VALUES)
        if unknown:
            raise ValueError(f"unknown reference value(s) {sorted(unknown)} (known: {', '.join(REFERENCE_VALUES)})")
        if self.env != "prop" and "distance" in self.references:
            raise ValueError("the perfect-distance reference exists only for env = \"prop\"")


POLICY_INITS = ("scratch", "continue")


@dataclasses.dataclass(frozen=True)
class PolicySettings:
    """``[policy]``: expert iteration over the policy too (off: the heuristic searches every round).

    Round 1 searches with the heuristic; every round then trains the tactic LM on every proof found
    so far, keeps the earlier policy when the new one solves fewer validation theorems policy-only at
    the largest budget (or, when the head reads the policy's features, collapses the separation
    probe), and the head is trained on the kept policy's searches. See :mod:`qedjax.app.policy_round`."""

    train: bool = False
    init: str = "scratch"  # scratch: a new model on all proofs so far | continue: fine-tune the kept one
    continue_epochs: float = 5.0  # init = "continue": passes over the pairs (scratch: lm.train's)
    proofs: str = "all"  # the LM's data: every proof found so far | "shortest": each theorem's shortest
    train_theorems: int = 0  # train-split theorems a learned policy searches per round (0 = all of the sample)
    feature_layers: tuple[int, ...] = setting((-4, -3, -2, -1), ge=-1024, le=1024)  # encoder.model = "policy": hidden states (0 = the
    # embeddings, -1 = the last layer) mean-pooled over the prompt, concatenated
    compare_encoders: bool = True  # also train, tune and evaluate a head on the other encoder (measured)
    compare_model: str = ""  # encoder.model = "policy": the comparison head's Hugging Face encoder ("" = the
    # [encoder] table's other keys with the shipped MiniLM)
    guard: bool = True  # refuse a policy that collapses the separation probe (encoder.model = "policy")
    guard_centroid_ratio: float = 0.9  # collapse: centroid L2 below this × the kept policy's
    guard_accuracy_drop: float = 0.02  # ... or linear-probe accuracy lower by more than this
    probe_states: int = 2000  # positive and negative training states the probe is computed on (at most)
    hard_theorems: str = ""  # a second theorem file evaluated every round, a table of its own ("" = none;
    # "hard" = the shipped hard tier, difficulties 9-12: qedjax/envs/prop/data/benchmark_hard.json)
    hard_train: bool = False  # its train split is searched every round too, beside the train sample
    depth_bonus_grid: tuple[float, ...] = setting((), ge=0.0, le=100.0)  # each policy's [search] depth_bonus
    # chosen on the validation split (policy-only, every budget: the heuristic when the run starts, each new
    # LM before it is kept or refused), from these values (empty: [search] depth_bonus for every policy)
    # the tactic LM's own tables (configs/policy.toml's [model], [tokenizer], [prompt], [train], [sample])
    lm: dict = dataclasses.field(default_factory=dict)

    def validate(self) -> None:
        if self.init not in POLICY_INITS:
            raise ValueError(f"init must be one of {', '.join(POLICY_INITS)}")
        if self.proofs not in PROOF_SELECTIONS:
            raise ValueError(f"proofs must be one of {', '.join(PROOF_SELECTIONS)}")
        if self.continue_epochs <= 0 or self.train_theorems < 0 or self.probe_states < 10:
            raise ValueError("continue_epochs > 0, train_theorems >= 0, probe_states >= 10")
        if not self.feature_layers:
            raise ValueError("feature_layers must name at least one hidden layer")
        if not 0 < self.guard_centroid_ratio <= 1 or not 0 <= self.guard_accuracy_drop < 1:
            raise ValueError("0 < guard_centroid_ratio <= 1 and 0 <= guard_accuracy_drop < 1")
        if self.hard_train and not self.hard_theorems:
            raise ValueError("hard_train = true needs hard_theorems (\"hard\": the shipped hard tier, or a theorem file)")
        if self.hard_theorems not in ("", "hard") and not Path(self.hard_theorems).is_file():
            raise ValueError(f"hard_theorems: theorem file not found: {self.hard_theorems}")


@dataclasses.dataclass(frozen=True)
class IterateConfig:
    iterate: IterateSettings = IterateSettings()
    # qed search's defaults are burn-qed's (600 nodes, 32 candidates, probes, eager scoring, one theorem
    # at a time); the demo searches small budgets with 8 candidates and no probes, scores a state when it
    # reaches the top of the frontier, and pools the value calls of 256 theorems searched together.
    search: SearchConfig = SearchConfig(max_nodes=20, num_candidates=8, probe_tactics="none", value_mode="lazy",
                                        concurrent_theorems=256, batch_encode_size=256)
    # EncoderConfig keys (a table: the torch side is imported only to encode). The mean of MiniLM's last
    # four layers, concatenated (4 × 384-d), ranks held-out states by distance to QED better than the
    # last layer's mean (qed encode's default).
    encoder: dict = dataclasses.field(default_factory=lambda: {"pooling": "mean-last4"})
    # InfoNCE + 10 × the distance loss on hindsight bounds (every proof the searches found bounds the
    # remaining length of its ancestors), so the energy also ranks states of different theorems by
    # distance to QED; a short schedule with a larger learning rate and batch than qed train-ebm's.
    ebm: EBMConfig = EBMConfig(loss=LossConfig(distance_weight=10.0), train=TrainConfig(
        total_steps=1000, warmup_steps=100, batch_size=64, lr=1e-3, log_every=100, val_every=500,
        checkpoint_every=1000))
    policy: PolicySettings = PolicySettings()


def load_iterate_config(path: str | Path | None, *, seed: int | None = None, calibrate: bool | None = None,
                        workers: int | None = None, iterations: int | None = None,
                        dtype: str | None = None) -> IterateConfig:
    """Strict TOML (unknown keys are errors, the ``[encoder]`` table included; a ``base`` file first)
    plus command-line overrides. ``seed`` sets the run seed and the EBM's training seed together;
    ``dtype`` the encoder's precision (:func:`with_dtype`)."""
    cfg = load_toml(IterateConfig, path)
    if dtype is not None:
        cfg = dataclasses.replace(cfg, encoder=with_dtype(cfg.encoder, dtype))
    check_encoder_table(cfg.encoder, f"{path or 'defaults'}: [encoder]")
    check_policy_table(cfg, f"{path or 'defaults'}")
    it = cfg.iterate
    overrides = {"calibrate": calibrate, "workers": workers, "iterations": iterations, "seed": seed}
    it = dataclasses.replace(it, **{k: v for k, v in overrides.items() if v is not None})
    if seed is not None:
        cfg = dataclasses.replace(cfg, ebm=dataclasses.replace(
            cfg.ebm, train=dataclasses.replace(cfg.ebm.train, seed=seed)))
    try:
        it.validate()
    except ValueError as e:
        raise ConfigError(f"{path or 'defaults'}: [iterate] {e}") from None
    return dataclasses.replace(cfg, iterate=it)


def check_policy_table(cfg: IterateConfig, where: str) -> None:
    """``[policy.lm]`` strictly (the keys of the tactic LM's config, torch-free), and the settings that
    only make sense with a learned policy."""
    from encoder_bridge.policy.config import PolicyConfig  # torch-free dataclasses

    lm = from_dict(PolicyConfig, cfg.policy.lm, f"{where}: [policy.lm]")
    if cfg.policy.train:
        check_policy_resources(cfg, lm, where)
    if cfg.encoder.get("model") == "policy" and not cfg.policy.train:
        raise ConfigError(f"{where}: [encoder] model = \"policy\" reads the learned policy's features; "
                          "set [policy] train = true")
    if cfg.policy.depth_bonus_grid and cfg.search.algorithm == "puct":
        raise ConfigError(f"{where}: [policy] depth_bonus_grid: the depth bonus is best-first's; PUCT "
                          "(algorithm = \"puct\") takes none")
    if cfg.policy.train and cfg.iterate.env != "prop":
        raise ConfigError(f"{where}: [policy] train = true needs env = \"prop\" (round 1 searches with its "
                          "heuristic policy)")


def check_policy_resources(cfg: IterateConfig, lm, where: str) -> None:
    """What a learned policy needs only after the first round's searches, checked before them: the
    feature layers its LM will have, its hard-tier theorem file, the peft package for LoRA, a CUDA device
    where one is asked for."""
    pol = cfg.policy
    n = lm.model.num_layers
    bad = [i for i in pol.feature_layers if not -(n + 1) <= i <= n]
    if bad:  # the separation probe of every new LM reads them, whatever the head reads
        raise ConfigError(f"{where}: [policy] feature_layers {bad} out of range for the tactic LM's {n} layers "
                          f"([policy.lm.model] num_layers; 0 = embeddings, 1..{n} or -1..-{n + 1})")
    if pol.hard_theorems and pol.hard_theorems != "hard":
        it = cfg.iterate
        for split in (it.eval_split, *((it.train_split,) if pol.hard_train else ())):
            try:
                found = load_theorems(pol.hard_theorems, split)
            except DataError as e:
                raise ConfigError(f"{where}: [policy] hard_theorems: {e}") from None
            if not found:
                raise ConfigError(f"{where}: [policy] hard_theorems {pol.hard_theorems}: no theorems in its "
                                  f"'{split}' split")
    if lm.train.method == "lora" and importlib.util.find_spec("peft") is None:
        raise ConfigError(f"{where}: [policy.lm.train] method = \"lora\" needs the peft package (the 'policy' "
                          "extra: pip install -e \".[policy]\"), or use method = \"full\"")
    wants_cuda = [t for t, dev in (("[policy.lm.train]", lm.train.device), ("[policy.lm.sample]", lm.sample.device),
                                   ("[encoder]", cfg.encoder.get("device"))) if dev == "cuda"]
    if wants_cuda:
        from encoder_bridge.encoder import resolve_device

        try:
            resolve_device("cuda")
        except ConfigError as e:
            raise ConfigError(f"{where}: {' and '.join(wants_cuda)} device = \"cuda\": {e}") from None


def check_encoder_table(table: dict, where: str) -> None:
    """Validate the ``[encoder]`` table strictly without importing torch (the keys of EncoderConfig)."""
    from encoder_bridge.encoder import EncoderConfig  # light: encoder_bridge.encoder imports torch lazily

    from_dict(EncoderConfig, table, where)


def with_dtype(encoder_table: dict, dtype: str) -> dict:
    """``encoder_table`` with the precision ``dtype`` names: ``auto``, ``float32``, ``bfloat16`` or
    ``int8-dynamic`` (float32 with int8 dynamic quantisation). Settings at their defaults are left out,
    so ``auto`` gives the same table as none given."""
    if dtype not in DTYPE_CHOICES:
        raise ConfigError(f"dtype must be one of {', '.join(DTYPE_CHOICES)}")
    table = {k: v for k, v in encoder_table.items() if k not in ("dtype", "quantize")}
    if dtype == "int8-dynamic":
        return {**table, "dtype": "float32", "quantize": "int8-dynamic"}
    return table if dtype == "auto" else {**table, "dtype": dtype}
