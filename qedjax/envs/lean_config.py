"""Settings of the two Lean backends, loaded strictly from ``configs/lean.toml`` (unknown keys are
errors). ``[lean_repl]`` configures ``--env lean-repl``; ``[leandojo]`` configures ``--env leandojo``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from qedjax.config import from_dict, load_toml, read_toml

# lean-interact's REPL fork tags its releases ``<rev>_lean-toolchain-<lean version>``; the tag
# v1.3.18_lean-toolchain-v4.24.0 exists (Lean v4.24.0 = miniF2F-lean4's and Mathlib's v4.24.0).
# lean-interact 0.11.6 itself defaults to v1.3.19 and supports Lean v4.8.0-rc1 .. v4.36.0-rc1.
DEFAULT_REPL_REV = "v1.3.18"
MAX_TIMEOUT = 1e9  # seconds (~31 years), as the search config's tactic_timeout


@dataclasses.dataclass(frozen=True)
class LeanREPLSettings:
    project_dir: str = ""  # a lake project (with Mathlib built); "" = Lean core only, no imports
    repl_path: str = ""  # a built REPL checkout; "" = lean-interact fetches and builds repl_git@repl_rev
    repl_rev: str = DEFAULT_REPL_REV  # used only when repl_path is ""
    repl_git: str = ""  # "" = lean-interact's default REPL repository
    lake_path: str = "lake"
    build_repl: bool = True  # `lake build` the REPL when the environment first starts
    default_header: str = ""  # imports/opens for statements that carry none, e.g. "import Mathlib"
    command_timeout: float = 600.0  # seconds for the header (imports) and for the statement
    tactic_timeout: float = 30.0  # seconds per tactic
    max_restarts: int = 3  # Lean restarts per theorem before it fails with the reason
    memory_limit_mb: int = 0  # hard address-space limit per Lean process (Linux); 0 = none

    def validate(self) -> None:
        if self.command_timeout <= 0 or self.tactic_timeout <= 0:
            raise ValueError("timeouts must be > 0")
        if max(self.command_timeout, self.tactic_timeout) > MAX_TIMEOUT:
            # lean-interact waits with a thread join, which overflows past ~9.2e9 s
            raise ValueError(f"timeouts must be at most {MAX_TIMEOUT:g} seconds")
        if self.max_restarts < 0:
            raise ValueError("max_restarts must be >= 0")
        if self.memory_limit_mb < 0:
            raise ValueError("memory_limit_mb must be >= 0 (0 = no limit)")
        if not self.lake_path:
            raise ValueError("lake_path must not be empty")


@dataclasses.dataclass(frozen=True)
class LeanDojoSettings:
    timeout: int = 30  # seconds per tactic (lean-dojo's Dojo timeout)
    max_restarts: int = 3

    def validate(self) -> None:
        if not 0 < self.timeout <= MAX_TIMEOUT:
            raise ValueError(f"timeout must be > 0 and at most {MAX_TIMEOUT:g} seconds")
        if self.max_restarts < 0:
            raise ValueError("max_restarts must be >= 0")


@dataclasses.dataclass(frozen=True)
class LeanConfig:
    lean_repl: LeanREPLSettings = LeanREPLSettings()
    leandojo: LeanDojoSettings = LeanDojoSettings()


def load_lean_config(path: str | Path | None = None) -> LeanConfig:
    """``configs/lean.toml``-style file → :class:`LeanConfig` (None → all defaults). Relative
    ``project_dir`` / ``repl_path`` / ``lake_path`` (when a path, not a bare name looked up on PATH)
    are taken relative to the config file's folder; ``~`` is the home folder."""
    return load_lean_config_keys(path)[0]


def load_lean_config_keys(path: str | Path | None = None) -> tuple[LeanConfig, frozenset[str]]:
    """:func:`load_lean_config` and the keys the file (with its ``base`` chain) sets, dotted
    (``"lean_repl.tactic_timeout"``): a key the file sets wins over the search config's even at
    its default value, one it leaves out does not."""
    if path is None:
        return load_toml(LeanConfig, None), frozenset()
    data = read_toml(path)
    given = frozenset(f"{table}.{key}" for table, body in data.items() if isinstance(body, dict)
                     for key in body)
    cfg = from_dict(LeanConfig, data, str(path))
    base = Path(path).resolve().parent
    repl = cfg.lean_repl
    # lake_path: a bare name ("lake") is looked up on PATH; a path is a path, as the other two
    keys = ("project_dir", "repl_path") + (("lake_path",) if "/" in repl.lake_path or
                                           repl.lake_path.startswith("~") else ())
    fixed = {k: str(base / getattr(repl, k)) for k in keys
             if getattr(repl, k) and not Path(getattr(repl, k)).expanduser().is_absolute()}
    fixed.update({k: str(Path(getattr(repl, k)).expanduser()) for k in keys
                  if k not in fixed and getattr(repl, k)})
    return (dataclasses.replace(cfg, lean_repl=dataclasses.replace(repl, **fixed)) if fixed else cfg), given
