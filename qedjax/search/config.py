"""Search configuration (burn-qed v1 defaults). Strict: unknown keys are errors naming key and file.

Weights lie in [0, 1e6] and temperatures in [1e-6, 1e6], so that a priority term (weight × log-prob or
value ÷ temperature) stays finite and keeps its precision for any log-prob or value a search meets."""

from __future__ import annotations

import dataclasses
from typing import Literal

from qedjax.config import setting

ALGORITHMS = ("best-first", "puct")
PUCT_ONLY = ("algorithm", "c_puct", "value_center")  # fields that only PUCT reads (its identity names them)
SINCE_DEFAULT = ("depth_bonus",)  # later fields: a search identifies by one only when it is set


@dataclasses.dataclass(frozen=True)
class SearchConfig:
    max_nodes: int = setting(600, ge=1)  # node expansions per theorem (the budget that `qed eval --budgets` varies)
    max_depth: int = setting(50, ge=1)  # nodes at this depth are not expanded
    num_candidates: int = setting(32, ge=1, le=100_000)  # tactics asked of the policy per expansion
    alpha: float = setting(0.5, ge=0.0, le=1e6)  # weight of the policy's cumulative log-prob
    depth_bonus: float = setting(0.0, ge=0.0, le=1e6)  # best-first: nats added to the cumulative log-prob per
    # level of depth, so that a long proof is not outranked by every shallow sibling (0: burn-qed's priority)
    beta: float = setting(0.5, ge=0.0, le=1e6)  # weight of the value (−energy)
    t_llm: float = setting(1.0, ge=1e-6, le=1e6)  # policy temperature in the priority (burn-qed's best run: 40.4)
    t_ebm: float = setting(1.0, ge=1e-6, le=1e6)  # value temperature in the priority
    timeout_per_theorem: float = setting(600.0, gt=0.0, le=1e9)  # seconds of wall time
    tactic_timeout: float = setting(30.0, gt=0.0, le=1e9)  # seconds per tactic (passed to the environment)
    batch_expansion_size: int = setting(1, ge=1)  # nodes popped per step (one batched policy call)
    batch_encode_size: int = setting(8, ge=1)  # states per value-scorer call at most
    value_mode: Literal["eager", "lazy", "bound"] = "eager"  # best-first: when children are scored (frontier.py)
    value_bound_margin: float = setting(0.0, ge=0.0, le=1e6)  # bound mode: the optimistic value is the best seen + this × t_ebm
    concurrent_theorems: int = setting(1, ge=1)  # theorems searched together in one process, their value calls pooled
    ebm_min_depth: int = 0  # below this depth the value term is off
    ebm_ramp_depth: int = 0  # then it ramps linearly to beta over this many levels
    probe_tactics: str = "env"  # "env" (the environment's own list), "none", or "tac1, tac2, ..."
    probe_log_prob: float = setting(-10.0, ge=-1e6, le=0.0)
    harvest_siblings: bool = False  # after a proof, apply the proof path's untried candidates too
    algorithm: Literal["best-first", "puct"] = "best-first"  # what to expand next: see best_first.py, puct.py
    c_puct: float = setting(1.0, ge=0.0, le=1e6)  # PUCT: weight of the exploration term c · P · √N / (1 + n)
    value_center: float | None = None  # PUCT: value v ↦ sigmoid((v − center) / t_ebm); None: the root's value

    def validate(self) -> None:
        for name in ("max_nodes", "max_depth", "num_candidates", "batch_expansion_size",
                     "batch_encode_size", "concurrent_theorems"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        if self.t_llm <= 0 or self.t_ebm <= 0:
            raise ValueError("t_llm and t_ebm must be > 0")
        if self.alpha < 0 or self.beta < 0:
            raise ValueError("alpha and beta must be >= 0")
        if self.timeout_per_theorem <= 0 or self.tactic_timeout <= 0:
            raise ValueError("timeouts must be > 0")
        if self.ebm_min_depth < 0 or self.ebm_ramp_depth < 0:
            raise ValueError("ebm_min_depth and ebm_ramp_depth must be >= 0")
        if self.value_mode not in ("eager", "lazy", "bound"):
            raise ValueError("value_mode must be 'eager', 'lazy' or 'bound'")
        if not self.value_bound_margin >= 0:
            raise ValueError("value_bound_margin must be >= 0")
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"algorithm must be one of {', '.join(repr(a) for a in ALGORITHMS)}")
        if not self.c_puct > 0:
            raise ValueError("c_puct must be > 0")
        if not self.depth_bonus >= 0:
            raise ValueError("depth_bonus must be >= 0")
        if self.depth_bonus and self.algorithm != "best-first":
            raise ValueError("depth_bonus is best-first's (PUCT's prior is each step's own log-prob)")

    def identity(self) -> dict:
        """The fields that make two searches the same (a resume fingerprint's ``config``): every field,
        except PUCT's own when the search is best-first and later fields left at their defaults, so
        earlier runs keep the identity they had (a resume does not refuse them)."""
        out = dataclasses.asdict(self)
        if self.algorithm == "best-first":
            for name in PUCT_ONLY:
                del out[name]
        defaults = SearchConfig()
        for name in SINCE_DEFAULT:
            if out[name] == getattr(defaults, name):
                del out[name]
        return out

    def probes(self, env=None) -> tuple[str, ...]:
        """The probe tactics for ``env``: its own ``probe_tactics`` for "env", none, or an explicit list."""
        if self.probe_tactics.strip() in ("none", ""):
            return ()
        if self.probe_tactics.strip() == "env":
            return tuple(getattr(env, "probe_tactics", ()) or ())
        return tuple(t.strip() for t in self.probe_tactics.split(",") if t.strip())

    def beta_at(self, depth: int) -> float:
        if depth < self.ebm_min_depth:
            return 0.0
        if self.ebm_ramp_depth <= 0:
            return self.beta
        return self.beta * min(1.0, (depth - self.ebm_min_depth + 1) / self.ebm_ramp_depth)
