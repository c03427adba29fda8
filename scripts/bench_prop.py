#!/usr/bin/env python3
"""Throughput of the prop environment and the heuristic policy (one core, pure Python), with a baseline.

The workload replays every shipped proof and applies each policy candidate at every state on the way
(successful and failing tactics alike, as search does). The same workload is timed twice in one run:
on this checkout and on the ``prop`` environment of a baseline git ref (default ``main``), extracted
with ``git archive`` and timed in a subprocess. Prints the machine, versions, both rates and their
ratio. Target: >= 60,000 tactic applications/s on one core of an idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]


def build_workload(n_theorems: int, candidates: int, index: str | None) -> list[dict]:
    """Per theorem: its statement and, per proof step, the step and the policy's candidates there."""
    from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
    from qedjax.envs.prop.bench import load_index
    from qedjax.interfaces import Success, Theorem

    env, policy = PropEnvironment(), HeuristicPolicy(seed=0)
    work = []
    for r in load_index(index)[:n_theorems]:
        s = env.start(Theorem(r["name"], r["statement"]))
        st = s.initial_state
        steps = []
        for tac in r["proof"]:
            steps.append({"step": tac, "try": [c.tactic for c in policy.propose([st], candidates)[0]]})
            res = s.apply(st, tac)
            if isinstance(res, Success):
                st = res.state
        work.append({"name": r["name"], "statement": r["statement"], "steps": steps})
    return work


def time_workload(work: list[dict], repeats: int) -> dict:
    """Replay the workload with the ``qedjax`` importable now; best of ``repeats`` (warm parse cache)."""
    from qedjax.envs.prop import PropEnvironment
    from qedjax.interfaces import Success, Theorem

    env = PropEnvironment()
    items = []
    for w in work:
        s = env.start(Theorem(w["name"], w["statement"]))
        st = s.initial_state
        for step in w["steps"]:
            items.extend((s, st, t) for t in step["try"])
            items.append((s, st, step["step"]))
            res = s.apply(st, step["step"])
            if isinstance(res, Success):
                st = res.state

    def apply_all() -> None:
        for s, st, tac in items:
            s.apply(st, tac)

    apply_all()  # warm the tactic-parse cache, as a long search would
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        apply_all()
        best = min(best, time.perf_counter() - t0)
    return {"applications": len(items), "seconds": best, "rate": len(items) / best}


def _worker(impl: str, workload: str, repeats: int) -> None:
    """Subprocess entry: time the workload against the ``qedjax`` tree under ``impl``."""
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in type(f).__module__]
    sys.path.insert(0, impl)
    import qedjax

    assert str(Path(qedjax.__file__).resolve()).startswith(str(Path(impl).resolve())), qedjax.__file__
    work = json.loads(Path(workload).read_text(encoding="utf-8"))
    print(json.dumps(time_workload(work, repeats)))


def baseline(ref: str, workload_path: Path, repeats: int, tmp: Path) -> dict:
    archive = tmp / "base.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), ref, "qedjax"],
                   check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(tmp / "base")
    out = subprocess.run([sys.executable, __file__, "--worker", str(tmp / "base"), str(workload_path),
                          str(repeats)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _worker(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--theorems", type=int, default=2400, help="how many shipped theorems to use")
    ap.add_argument("--candidates", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--index", help="theorem index JSON (default: the shipped benchmark)")
    ap.add_argument("--baseline-ref", default="main", help="git ref timed as the baseline ('' to skip)")
    args = ap.parse_args()

    import qedjax
    from qedjax.envs.prop import HeuristicPolicy
    from qedjax.envs.prop.env import goals_of  # noqa: F401  (imported for the same import cost)

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"machine: {platform.machine()} {platform.processor() or ''} | python {platform.python_version()}"
          f" | qedjax {qedjax.__version__} @ {commit or '?'} (+ working tree) | cpus {os.cpu_count()} "
          "(benchmark uses 1)")
    work = build_workload(args.theorems, args.candidates, args.index)
    n_states = sum(len(w["steps"]) for w in work)
    print(f"workload: {len(work)} theorems, {n_states} states, proof steps + {args.candidates} policy "
          "candidates per state")

    current = time_workload(work, args.repeats)
    base = None
    if args.baseline_ref:
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "work.json"
            path.write_text(json.dumps(work, ensure_ascii=False), encoding="utf-8")
            base = baseline(args.baseline_ref, path, args.repeats, Path(d))

    from qedjax.interfaces import ProofState

    policy = HeuristicPolicy(seed=0)
    states = []
    from qedjax.envs.prop import PropEnvironment
    from qedjax.interfaces import Success, Theorem

    env = PropEnvironment()
    for w in work:
        s = env.start(Theorem(w["name"], w["statement"]))
        st = s.initial_state
        for step in w["steps"]:
            states.append(st)
            res = s.apply(st, step["step"])
            if isinstance(res, Success):
                st = res.state
    assert all(isinstance(x, ProofState) for x in states)
    t0 = time.perf_counter()
    policy.propose(states, args.candidates)
    t_pol = time.perf_counter() - t0

    print(f"{'measure':<52}{'applications':>14}{'per second':>14}")
    print(f"{'tactic applications, this checkout':<52}{current['applications']:>14,}{current['rate']:>14,.0f}")
    if base is not None:
        print(f"{'tactic applications, baseline ' + args.baseline_ref:<52}{base['applications']:>14,}"
              f"{base['rate']:>14,.0f}")
        print(f"ratio this checkout / {args.baseline_ref}: {current['rate'] / base['rate']:.2f}x")
    print(f"{'policy proposals (states, n=' + str(args.candidates) + ')':<52}{len(states):>14,}"
          f"{len(states) / t_pol:>14,.0f}")
    print(f"target >= 60,000 applications/s: {current['rate'] / 60000:.2f}x "
          f"({'met' if current['rate'] >= 60000 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
