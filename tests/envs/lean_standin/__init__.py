"""Stand-ins for a Lean installation, wired so that lean-interact's own client code runs unchanged.

:func:`make_standin` lays out what lean-interact expects of a real installation — a ``lake`` (here a
small script), a REPL checkout whose ``.lake/build/bin/repl`` is the transcript-replaying stand-in
(:mod:`repl_standin`), and a Lean project directory with a ``lean-toolchain`` — and returns the
settings that point ``LeanREPLEnvironment`` at them. lean-interact then launches
``lake env <repl>`` in the project as it would for real Lean.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENDORED_TRANSCRIPTS = HERE.parents[1] / "data" / "repl_transcripts"
LEAN_TOOLCHAIN = "leanprover/lean4:v4.33.0-rc2\n"  # the toolchain the transcripts were recorded with


def _script(path: Path, target: Path, *args: str) -> None:
    quoted = " ".join(f'"{a}"' for a in args)
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "{target}" {quoted} "$@"\n')
    path.chmod(0o755)


@dataclasses.dataclass
class StandinLean:
    root: Path
    repl_dir: Path
    project_dir: Path
    lake: Path
    state_dir: Path
    faults_file: Path

    def settings(self, **overrides):
        from qedjax.envs.lean_config import LeanREPLSettings

        kw = dict(project_dir=str(self.project_dir), repl_path=str(self.repl_dir),
                  lake_path=str(self.lake), build_repl=True, command_timeout=30.0,
                  tactic_timeout=3.0, max_restarts=3)
        kw.update(overrides)
        return LeanREPLSettings(**kw)

    def set_faults(self, rules: list[dict]) -> None:
        self.faults_file.write_text(json.dumps(rules))

    def started(self) -> list[int]:
        """Pids of every stand-in REPL process started so far, in order."""
        f = self.state_dir / "starts"
        return [int(x) for x in f.read_text().split()] if f.exists() else []

    def live(self) -> list[int]:
        """Started REPL processes that are still running (zombies count as gone)."""
        import psutil

        out = []
        for pid in self.started():
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    out.append(pid)
            except psutil.NoSuchProcess:
                pass
        return out


def make_standin(tmp_path: Path, transcripts: list[Path] | None = None,
                 faults: list[dict] | None = None) -> StandinLean:
    root = Path(tmp_path) / "standin_lean"
    repl_dir = root / "repl"
    bin_dir = repl_dir / ".lake" / "build" / "bin"
    project = root / "project"
    state = root / "state"
    for d in (bin_dir, project, state, root / "bin"):
        d.mkdir(parents=True, exist_ok=True)
    (repl_dir / "lean-toolchain").write_text(LEAN_TOOLCHAIN)
    (project / "lean-toolchain").write_text(LEAN_TOOLCHAIN)
    (project / "lakefile.toml").write_text('name = "standin"\n')
    faults_file = root / "faults.json"
    faults_file.write_text(json.dumps(faults or []))
    args = []
    for t in transcripts or [VENDORED_TRANSCRIPTS]:
        args += ["--transcripts", str(t)]
    _script(bin_dir / "repl", HERE / "repl_standin.py", *args, "--faults", str(faults_file),
            "--state-dir", str(state))
    lake = root / "bin" / "lake"
    _script(lake, HERE / "lake_standin.py")
    assert os.access(lake, os.X_OK)
    return StandinLean(root, repl_dir, project, lake, state, faults_file)


def read_transcript(stem: Path) -> list[tuple[dict, dict]]:
    """(request, recorded reply) pairs of ``stem.in`` / ``stem.expected.out``."""
    from tests.envs.lean_standin.repl_standin import read_objects

    reqs = read_objects(Path(f"{stem}.in").read_text(encoding="utf-8"))
    reps = read_objects(Path(f"{stem}.expected.out").read_text(encoding="utf-8"))
    assert len(reqs) == len(reps), stem
    return list(zip(reqs, reps))


def transcript_traces(stem: Path) -> list[dict]:
    """The transcript's tactic steps as LeanDojo-style traced tactics ``{state_before, tactic,
    state_after}`` (goals joined by a blank line; ``"no goals"`` when the proof is completed), so
    the scripted Dojo replays the same real Lean states as the stand-in REPL."""
    pp: dict[int, str] = {}
    out = []
    for req, rep in read_transcript(stem):
        if "cmd" in req:
            for s in rep.get("sorries", []):
                pp[s["proofState"]] = s["goal"]
        elif "tactic" in req and req.get("proofState") in pp:
            before = pp[req["proofState"]]
            if rep.get("goals"):
                after = "\n\n".join(rep["goals"])
                pp[rep["proofState"]] = after
            elif rep.get("proofStatus") == "Completed":
                after = "no goals"
            else:
                continue
            out.append({"state_before": before, "tactic": req["tactic"], "state_after": after})
    return out
