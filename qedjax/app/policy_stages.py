"""The stages expert iteration adds when it learns the policy too: train the tactic LM on every proof
found so far, probe the separation of a representation, encode states with the policy's own features,
and decide which policy to keep. Like :mod:`qedjax.app.stages`, each is a function of what it needs,
recorded once in the manifest; the torch side is imported only inside a stage that runs.

Training data are the searches' own proofs (never the oracle); the decision reads the validation
split's policy-only searches and the probe on search labels (positive = on a found proof path).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from qedjax.app.manifest import Steps
from qedjax.app.separation import separation_metrics
from qedjax.config import from_dict, to_dict
from qedjax.data.proof_paths import proof_path_steps
from qedjax.data.trajectory import read_trajectories
from qedjax.guard import forbid_measurement
from qedjax.io import atomic_write_text

SAMPLE_TOML = "policy_sample.toml"


def lm_config(table: dict, where: str = "[policy.lm]"):
    """The tactic LM's :class:`~encoder_bridge.policy.config.PolicyConfig` from ``[policy.lm]``."""
    from encoder_bridge.policy.config import PolicyConfig
    return from_dict(PolicyConfig, table, where)


def write_sample_config(table: dict, path: Path) -> str:
    """The ``[sample]`` table searches load the LM with (a file, since search parts are built from a
    picklable spec in every worker); rewritten only when it changes."""
    sample = to_dict(lm_config(table).sample)
    lines = ["[sample]"]
    for key, value in sample.items():
        text = ("true" if value else "false") if isinstance(value, bool) else (
            f'"{value}"' if isinstance(value, str) else repr(value))
        lines.append(f"{key} = {text}")
    text = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write_text(path, text)
    return str(path)


def proof_steps(searches: Sequence[Path], proofs: str = "all") -> list[dict]:
    """The (state, tactic) steps of every proof in ``searches``, or of each theorem's shortest
    (``proofs = "shortest"``, :func:`~qedjax.data.proof_paths.proof_path_steps`); every proof is read
    file by file, in the files' order."""
    if proofs != "all":
        return proof_path_steps([str(p) for p in searches], proofs)
    steps: list[dict] = []
    for p in searches:
        steps += proof_path_steps([str(p)])
    return steps


def train_policy(steps: Steps, name: str, searches: Sequence[Path], output: Path, table: dict,
                 init: str | None, epochs: float | None = None, proofs: str = "all") -> dict:
    """Train the tactic LM into ``output`` on the proofs of ``searches`` (every one or each theorem's
    shortest, ``proofs``; deduplicated, split by theorem): from scratch, or fine-tuning ``init``;
    ``epochs`` overrides the config's. Resumes a killed run from its last checkpoint."""
    def run() -> dict:
        from encoder_bridge.policy.data import prepare
        from encoder_bridge.policy.prompt import RECORD_FILE
        from encoder_bridge.policy.train import STATE_DIR
        from encoder_bridge.policy.train import train_policy as train

        cfg = lm_config(table)
        if epochs is not None:
            cfg = dataclasses.replace(cfg, train=dataclasses.replace(cfg.train, epochs=float(epochs), steps=0))
        with forbid_measurement("policy training"):
            data = prepare(proof_steps(searches, proofs), cfg.train.valid_fraction, cfg.train.seed)
            resume = (output / STATE_DIR / "meta.json").is_file() and not (output / RECORD_FILE).is_file()
            rec = train(data, output, cfg, init=init, resume=resume, progress=False, log=steps.log)
        t = rec["train"]
        return {"pairs": t["pairs"], "steps": t["steps"], "seconds_training": t["seconds"], "init": init,
                "data": t["data"], "final_valid": t["final_valid"],
                "cpu_seconds": t.get("cpu_seconds_this_run")}

    from encoder_bridge.policy.prompt import RECORD_FILE

    return steps.once(name, run, present=output / RECORD_FILE,
                      done=lambda r: f"{r['pairs']} pairs, {r['steps']} steps, validation "
                                     f"top-1 {100 * ((r.get('final_valid') or {}).get('top1') or 0):.1f}%")


def probe_sample(train_file: Path, max_states: int, seed: int) -> tuple[list[str], np.ndarray]:
    """Up to ``max_states`` distinct training states, half positive (on a found proof path) and half
    negative where there are enough, by the search's own labels (never the oracle)."""
    with forbid_measurement("the separation probe"):
        c = read_trajectories([train_file])
    label: dict[str, bool] = {}
    for s, lab in zip(c["state_pp"], c["label"]):
        if s and lab in ("positive", "negative"):
            label[s] = label.get(s, False) or lab == "positive"
    pos = sorted(s for s, v in label.items() if v)
    neg = sorted(s for s, v in label.items() if not v)
    rng = np.random.default_rng(seed)
    half = max_states // 2
    n_pos = min(len(pos), max(half, max_states - len(neg)))
    n_neg = min(len(neg), max_states - n_pos)
    take = [pos[i] for i in sorted(rng.choice(len(pos), n_pos, replace=False))] + \
           [neg[i] for i in sorted(rng.choice(len(neg), n_neg, replace=False))]
    return take, np.array([True] * n_pos + [False] * n_neg)


def probe(steps: Steps, name: str, states: Sequence[str], labels: np.ndarray,
          embed: Callable[[Sequence[str]], np.ndarray]) -> dict:
    """burn-qed's separation probe of ``embed``'s vectors of ``states``: centroid L2, norm gap, delta
    cosine, 5-fold linear-probe accuracy (:mod:`qedjax.app.separation`)."""
    def run() -> dict:
        if len(set(labels.tolist())) < 2:
            return {"skipped": "the searches found no positive (or no negative) states"}
        return separation_metrics(embed(states), labels)

    return steps.once(name, run, quiet=True)


def policy_features(model_dir: str, layers: Sequence[int]):
    """The policy's features as an encoder (the torch side, imported here)."""
    from encoder_bridge.policy.features import PolicyEncoder

    return PolicyEncoder(model_dir, layers)


def encode(steps: Steps, name: str, states: list[str], cache: Path, make_encoder: Callable[[], object]) -> dict:
    """Encode ``states`` into the provenance-checked cache ``cache`` with ``make_encoder()`` (built only
    when the step runs; states already cached are not encoded again)."""
    def run() -> dict:
        from encoder_bridge.cache import encode_to_cache

        enc = make_encoder()
        s = encode_to_cache(enc, states, cache, checkpoint_every=4096)
        return {"encoded": s.encoded, "cached": s.cached, "truncated": s.truncated, "rejected": s.rejected}

    return steps.once(name, run)


@dataclasses.dataclass(frozen=True)
class Guard:
    centroid_ratio: float = 0.9
    accuracy_drop: float = 0.02


def collapsed(kept: dict | None, candidate: dict | None, guard: Guard) -> list[str]:
    """Why the candidate's representation counts as collapsed against the kept one's (burn-qed's
    iteration-5 rule): centroid L2 below ``centroid_ratio`` × the kept one's, or linear-probe
    accuracy lower by more than ``accuracy_drop``. Empty: no collapse (or nothing to compare)."""
    if not kept or not candidate or "centroid_l2" not in kept or "centroid_l2" not in candidate:
        return []
    reasons = []
    if candidate["centroid_l2"] < guard.centroid_ratio * kept["centroid_l2"]:
        reasons.append(f"centroid L2 {candidate['centroid_l2']:.3g} < {guard.centroid_ratio:g} × the kept "
                       f"policy's {kept['centroid_l2']:.3g}")
    drop = kept["logreg_cv_accuracy"] - candidate["logreg_cv_accuracy"]
    if drop > guard.accuracy_drop + 1e-12:
        reasons.append(f"linear-probe accuracy {100 * candidate['logreg_cv_accuracy']:.1f}% is "
                       f"{100 * drop:.1f} points below the kept policy's {100 * kept['logreg_cv_accuracy']:.1f}%")
    return reasons


def decide(candidate_solved: list[int], kept_solved: list[int], reasons_collapse: list[str],
           force: bool) -> tuple[bool, list[str]]:
    """Keep the candidate policy unless it solves fewer validation theorems policy-only at the largest
    budget than the kept policy, or collapses the probe; ``force`` overrides the probe only."""
    reasons = []
    if candidate_solved[-1] < kept_solved[-1]:
        reasons.append(f"it solves {candidate_solved[-1]} validation theorems policy-only at the largest budget, "
                       f"the kept policy {kept_solved[-1]}")
    if reasons_collapse:
        if force:
            reasons_collapse = []
        else:
            reasons += [f"the separation probe collapsed: {r}" for r in reasons_collapse]
    return not reasons, reasons
