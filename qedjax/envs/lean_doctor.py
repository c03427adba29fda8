"""``qed lean doctor``: what a machine still lacks to run ``--env lean-repl`` on real Lean, and the fix
for each. Checks only; it installs nothing and starts no REPL."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Callable

from qedjax.envs.lean_config import LeanREPLSettings

_RELEASE = re.compile(r"v\d+\.\d+\.\d+(?:-rc\d+)?")
ELAN_FIX = ("install elan (Lean's toolchain manager), then open a new shell:\n"
            "curl https://raw.githubusercontent.com/leanprover/elan/master/elan-init.sh -sSf | sh")


@dataclasses.dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _toolchain(d: Path) -> str | None:
    """The folder's ``lean-toolchain`` (None when it has none); one that cannot be read or decoded
    comes back as it reads (replacement characters, or empty), for the release check to name."""
    f = d / "lean-toolchain"
    if not f.is_file():
        return None
    try:
        return f.read_bytes().decode("utf-8", errors="replace").strip()
    except OSError:
        return ""


def _version_of(toolchain: str | None) -> str:
    return (toolchain or "").removeprefix("leanprover/lean4:")


def _run(cmd: list[str], cwd: Path | None) -> tuple[bool, str]:
    try:
        r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, str(e)
    out = (r.stdout or r.stderr).strip().splitlines()
    return r.returncode == 0, out[0] if out else f"exit code {r.returncode}"


def diagnose(settings: LeanREPLSettings, which: Callable[[str], str | None] = shutil.which
             ) -> list[Check]:
    """Every check, in the order a user fixes them."""
    s = settings
    checks: list[Check] = []
    if importlib.util.find_spec("lean_interact") is None:
        checks.append(Check("lean-interact", False, "not installed",
                            "pip install -e '.[lean]'   (or: pip install lean-interact)"))
    else:
        checks.append(Check("lean-interact", True, importlib.metadata.version("lean-interact")))

    elan = which("elan")
    checks.append(Check("elan", True, elan) if elan else Check("elan", False, "not on PATH", ELAN_FIX))

    project = Path(s.project_dir) if s.project_dir else None
    project_toolchain = _toolchain(project) if project and project.is_dir() else None
    lake = which(s.lake_path) if os.sep not in s.lake_path else (s.lake_path if Path(s.lake_path).is_file()
                                                                   else None)
    if lake is None:
        checks.append(Check("lake", False, f"'{s.lake_path}' not found",
                            "elan installs lake with a Lean toolchain: elan default "
                            f"leanprover/lean4:{_version_of(project_toolchain) or 'stable'}"))
    else:
        ok, out = _run([lake, "--version"], project if project_toolchain else None)
        checks.append(Check("lake", ok, out if ok else f"{lake} --version failed: {out}",
                            "" if ok else "elan toolchain list; elan default leanprover/lean4:<version>"))

    new_project = ("lake new lean_project math && cd lean_project && lake exe cache get && lake build\n"
                   "then set lean_repl.project_dir in configs/lean.toml")
    if project is None:
        checks.append(Check("Lean project", False, "lean_repl.project_dir is not set", new_project))
    elif not project.is_dir():
        checks.append(Check("Lean project", False, f"{project} is a file, not a Lake project folder"
                            if project.exists() else f"{project} does not exist", new_project))
    elif project_toolchain is None or not any((project / f).is_file()
                                              for f in ("lakefile.lean", "lakefile.toml")):
        checks.append(Check("Lean project", False, f"{project} has no lean-toolchain or lakefile",
                            new_project))
    elif not _RELEASE.fullmatch(_version_of(project_toolchain)):
        checks.append(Check("Lean project", False, f"{project}: lean-toolchain '{project_toolchain}' is not a "
                            "Lean release (leanprover/lean4:vX.Y.Z); the REPL is built per release",
                            f"pin a release in {project / 'lean-toolchain'}, e.g. leanprover/lean4:v4.24.0 "
                            "(the one its Mathlib needs)"))
    else:
        checks.append(Check("Lean project", True, f"{project} ({project_toolchain})"))
        mathlib = project / ".lake" / "packages" / "mathlib"
        built = [mathlib / ".lake" / "build" / "lib" / "lean" / "Mathlib.olean",
                 mathlib / ".lake" / "build" / "lib" / "Mathlib.olean"]
        if not mathlib.is_dir():
            checks.append(Check("Mathlib", False, "not a dependency of the project (needed by miniF2F)",
                                "add mathlib to the lakefile (`lake new NAME math` does), then "
                                f"cd {project} && lake update && lake exe cache get"))
        elif not any(b.is_file() for b in built):
            checks.append(Check("Mathlib", False, "fetched but not built",
                                f"cd {project} && lake exe cache get && lake build"))
        else:
            checks.append(Check("Mathlib", True, str(mathlib)))

    version = _version_of(project_toolchain)
    if s.repl_path:
        repl = Path(s.repl_path)
        binary = repl / ".lake" / "build" / "bin" / "repl"
        build_fix = (f"cd {repl} && git checkout {s.repl_rev}_lean-toolchain-{version or '<lean version>'} "
                     "&& lake build")
        if not repl.is_dir():
            checks.append(Check("REPL build", False, f"lean_repl.repl_path {repl} is not a folder",
                                f"git clone <the REPL repository> {repl}\n" + build_fix))
        elif not binary.is_file():
            checks.append(Check("REPL build", False, f"{binary} missing", build_fix))
        elif project_toolchain and _toolchain(repl) and _version_of(_toolchain(repl)) != version:
            checks.append(Check("REPL build", False, f"REPL is for {_toolchain(repl)}, the project "
                                f"for {project_toolchain}", build_fix))
        else:
            checks.append(Check("REPL build", True, str(binary)))
    else:
        fetch = ("let lean-interact fetch and build it once (needs git and network):\n"
                 "python -c \"from qedjax.envs.lean_repl import LeanREPLEnvironment as E; "
                 "E.from_config('configs/lean.toml').repl_config()\"\n"
                 "or clone the REPL, `lake build` it and set lean_repl.repl_path")
        if importlib.util.find_spec("lean_interact") is None or not version:
            checks.append(Check("REPL build", False, "unknown until lean-interact and the project are "
                                "in place", fetch))
        else:
            from lean_interact.utils import DEFAULT_CACHE_DIR, DEFAULT_REPL_GIT_URL

            git = s.repl_git or DEFAULT_REPL_GIT_URL
            owner, repo = git.rstrip("/").removesuffix(".git").split("/")[-2:]
            binary = (Path(DEFAULT_CACHE_DIR) / owner / repo / f"repl_{s.repl_rev}_lean-toolchain-{version}"
                      / ".lake" / "build" / "bin" / "repl")
            checks.append(Check("REPL build", True, str(binary)) if binary.is_file()
                          else Check("REPL build", False, f"not built yet for {version} ({binary})", fetch))
    return checks


def report(checks: list[Check], config_name: str) -> str:
    """One screen: each check, and the fix under each one that failed."""
    lines = [f"qed lean doctor ({config_name})"]
    for c in checks:
        lines.append(f"  {'ok     ' if c.ok else 'MISSING'}  {c.name}: {c.detail}")
        if not c.ok and c.fix:
            lines += [f"           fix: {line}" if i == 0 else f"                {line}"
                      for i, line in enumerate(c.fix.splitlines())]
    bad = sum(not c.ok for c in checks)
    lines.append("ready: `qed search --env lean-repl` can run" if not bad
                 else f"{bad} of {len(checks)} checks failed: Lean cannot run here yet")
    return "\n".join(lines)
