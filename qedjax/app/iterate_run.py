"""What every round of one expert-iteration run shares (:class:`Run`) and what it measures once
(:class:`Baseline`): handed explicitly to the stages of :mod:`qedjax.app.iterate` and
:mod:`qedjax.app.policy_round`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from qedjax.app.iterate_config import IterateConfig
from qedjax.app.manifest import Steps
from qedjax.app.parts import PartsSpec
from qedjax.app.stages import TheoremSet
from qedjax.app.training_data import BoundsSource
from qedjax.search.executors import Executor


@dataclasses.dataclass(frozen=True)
class Run:
    """What every round of one run shares, handed to each stage explicitly."""

    cfg: IterateConfig
    workdir: Path
    steps: Steps
    executor: Executor  # where every search runs
    devices: int | None  # training devices (None: every visible one)
    bounds: BoundsSource  # search trees → the distance loss's bounds
    train: TheoremSet
    valid: TheoremSet
    held_out: TheoremSet
    budgets: list[int]

    def spec(self, **kw) -> PartsSpec:
        return PartsSpec(env=self.cfg.iterate.env, policy_noise=self.cfg.iterate.policy_noise, **kw)

    @property
    def eval_config(self):
        return dataclasses.replace(self.cfg.search, max_nodes=self.budgets[-1])

    def path(self, *parts: str) -> Path:
        return self.workdir.joinpath(*parts)


@dataclasses.dataclass(frozen=True)
class Baseline:
    """Measured once per run: policy-only on the held-out split, the reference values, and the fixed
    held-out states every round's head is measured on."""

    policy: dict  # eval result
    references: dict[str, dict]  # value → eval result (with its "t_ebm")
    quality_states: list[str]
    quality_cols: dict
