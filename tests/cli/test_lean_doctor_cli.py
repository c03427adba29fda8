"""``qed lean doctor``: one screen of what is missing to run on real Lean, with the fix for each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from qedjax_cli.lean import lean

from qedjax.envs.lean_doctor import diagnose, report
from tests.envs.lean_standin import make_standin


def _toml(path: Path, **repl) -> Path:
    path.write_text("[lean_repl]\n" + "".join(f'{k} = "{v}"\n' for k, v in repl.items()))
    return path


def _fake_elan(bin_dir: Path) -> None:
    bin_dir.mkdir(parents=True, exist_ok=True)
    (bin_dir / "elan").write_text("#!/bin/sh\necho 'elan 4.1.2 (standin)'\n")
    (bin_dir / "elan").chmod(0o755)


def _mathlib_built(project: Path) -> None:
    olean = project / ".lake" / "packages" / "mathlib" / ".lake" / "build" / "lib" / "lean" / "Mathlib.olean"
    olean.parent.mkdir(parents=True)
    olean.write_bytes(b"")


def test_nothing_installed_lists_every_missing_piece_with_its_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    cfg = _toml(tmp_path / "lean.toml", project_dir="no_such_project")
    res = CliRunner().invoke(lean, ["doctor", "--config", str(cfg)])
    assert res.exit_code == 1
    out = res.output
    for name in ("elan: not on PATH", "lake: 'lake' not found", "Lean project:", "REPL build:"):
        assert f"MISSING  {name}" in out, out
    assert "elan-init.sh" in out and "lake new lean_project math" in out
    assert "checks failed: Lean cannot run here yet" in out
    assert len(out.splitlines()) <= 25  # one screen


def test_a_complete_installation_passes(tmp_path, monkeypatch):
    standin = make_standin(tmp_path)
    _fake_elan(tmp_path / "elanbin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'elanbin'}{os.pathsep}{os.environ['PATH']}")
    _mathlib_built(standin.project_dir)
    cfg = _toml(tmp_path / "lean.toml", project_dir=standin.project_dir, repl_path=standin.repl_dir,
                lake_path=standin.lake)
    res = CliRunner().invoke(lean, ["doctor", "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    assert "MISSING" not in res.output and "ready:" in res.output
    assert "lake: Lake version 5.0.0-standin" in res.output


def test_repl_built_for_another_lean_and_mathlib_not_built(tmp_path):
    standin = make_standin(tmp_path)
    (standin.project_dir / "lean-toolchain").write_text("leanprover/lean4:v4.24.0\n")
    (standin.project_dir / ".lake" / "packages" / "mathlib").mkdir(parents=True)
    settings = standin.settings()
    checks = {c.name: c for c in diagnose(settings, which=lambda name: None)}
    assert not checks["REPL build"].ok and "v4.33.0-rc2" in checks["REPL build"].detail
    assert "git checkout v1.3.18_lean-toolchain-v4.24.0 && lake build" in checks["REPL build"].fix
    assert not checks["Mathlib"].ok and "lake exe cache get" in checks["Mathlib"].fix
    assert checks["Lean project"].ok and checks["lake"].ok  # lake given as a path
    text = report(list(checks.values()), "x.toml")
    assert text.count("MISSING") == 3  # elan, Mathlib, REPL build


def test_a_bad_config_is_one_error_line_and_exit_2(tmp_path):
    cfg = tmp_path / "lean.toml"
    cfg.write_text("[lean_repl]\nprojectdir = 'x'\n")
    res = CliRunner().invoke(lean, ["doctor", "--config", str(cfg)])
    assert res.exit_code == 2
    assert res.output.strip().splitlines()[-1].startswith("error:") and "projectdir" in res.output


@pytest.mark.parametrize("missing", ["lean_interact"])
def test_missing_lean_interact_is_reported(tmp_path, monkeypatch, missing):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n, *a: None if n == missing else real(n, *a))
    checks = {c.name: c for c in diagnose(make_standin(tmp_path).settings(), which=lambda n: None)}
    assert not checks["lean-interact"].ok and "pip install" in checks["lean-interact"].fix
