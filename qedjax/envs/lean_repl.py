"""Lean 4 through the Lean REPL's JSON protocol, driven by lean-interact's own client
(``LeanREPLConfig``, ``LeanServer``, ``Command``, ``ProofStep``; extra ``lean``, imported lazily).

One REPL process per theorem (``--env lean-repl``). The session sends the theorem's header (imports,
``open``s) as one command, then ``<statement> := by sorry`` in that environment, and starts from the
``proofState`` of that ``sorry``. Each tactic is a ``ProofStep`` on a proof-state id:

* goals left → Success (goals joined by a blank line, as Lean prints them);
* no goals and ``proofStatus`` "Completed" → ProofComplete;
* an error message → Failed with Lean's text and position (``line:col: error: …``);
* a tactic that leaves or introduces a ``sorry`` (``sorries`` in the reply, a proof status
  "contains sorry", or Lean's "declaration uses `sorry`" warning) → Failed: ``sorry`` never counts;
* a timeout (lean-interact kills the process) or a crash → restart, replay, and after
  ``max_restarts`` fail the theorem with the reason (:mod:`qedjax.envs.lean_common`).

Proof-state ids are per process. :class:`LeanServer` is used rather than ``AutoLeanServer``
because the latter restarts Lean on its own under memory pressure, which would silently turn our
ids stale; here every restart goes through the session, which replays. ``close`` kills the process.
The session reads the REPL's stderr as it comes (lean-interact reads it only after a death, and a full
pipe would block Lean); a crash's reason ends with the last line Lean wrote there.
"""

from __future__ import annotations

import collections
import dataclasses
import threading
from pathlib import Path
from typing import Any

from qedjax.envs.lean_common import (
    LEAN_PROBE_TACTICS,
    USES_SORRY,
    LeanCrash,
    LeanStartError,
    LeanTimeout,
    RestartingSession,
    Step,
)
from qedjax.envs.lean_config import LeanREPLSettings, load_lean_config
from qedjax.envs.lean_text import ReplInput, repl_input
from qedjax.errors import ConfigError, ParseError
from qedjax.interfaces import Failed, ProofComplete, Theorem


def format_messages(messages) -> str:
    """Lean messages (lean-interact ``Message``) as ``line:col: severity: text`` lines."""
    return "\n".join(f"{m.start_pos.line}:{m.start_pos.column}: {m.severity}: {m.data}"
                     for m in messages)


class LeanREPLSession(RestartingSession):
    """One theorem in one REPL process (replaced on timeouts and crashes)."""

    def __init__(self, theorem: Theorem, text: ReplInput, env: LeanREPLEnvironment):
        self.theorem = theorem
        self.text = text
        self._env = env
        self._server = None
        self._stderr: collections.deque = collections.deque()
        self._drain: threading.Thread | None = None
        super().__init__(env.settings.max_restarts)

    def _call(self, request, timeout: float):
        try:
            return self._server.run(request, timeout=timeout)
        except TimeoutError as e:  # lean-interact has killed the process
            raise LeanTimeout(str(e).splitlines()[0] if str(e) else "no answer in time") from None
        except (OSError, ValueError) as e:  # EOF, dead process, broken pipe, unparsable reply
            why = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
            last = self._stderr_tail()
            raise LeanCrash(f"{why} (stderr: {last})" if last else why) from None

    def _drain_stderr(self) -> None:
        """Read the REPL's stderr as it comes (keeping its last lines): lean-interact reads it only
        once the process has died, and a REPL whose stderr pipe is full (Lean's PANIC messages,
        ``dbg_trace``) blocks until killed."""
        proc = getattr(self._server, "_proc", None)
        pipe = getattr(proc, "stderr", None)
        if pipe is None:
            return
        pipe = getattr(pipe, "buffer", pipe)  # bytes: a byte that is not UTF-8 must not stop the drain
        tail = self._stderr = collections.deque(maxlen=20)

        def drain():
            try:
                for line in pipe:
                    if isinstance(line, bytes):
                        line = line.decode("utf-8", errors="replace")
                    tail.append(line.rstrip("\n"))
            except (OSError, ValueError):  # closed by kill
                pass

        self._drain = threading.Thread(target=drain, name="lean-repl-stderr", daemon=True)
        self._drain.start()

    def _stderr_tail(self) -> str:
        """The last non-empty line the REPL wrote to stderr, once its drain has read what it can
        (a dead process's stderr ends at once; a live one is waited for briefly)."""
        if self._drain is not None:
            self._drain.join(timeout=0.2)
        return next((x.strip() for x in reversed(self._stderr) if x.strip()), "")

    def _launch(self) -> Step:
        from lean_interact import Command
        from lean_interact.interface import LeanError

        try:
            self._server = self._env.new_server()
        except (OSError, ValueError) as e:  # the process died at once
            raise LeanCrash(f"could not start the REPL: {e}") from None
        self._drain_stderr()
        timeout = self._env.settings.command_timeout
        env_id = None
        if self.text.header:
            resp = self._call(Command(cmd=self.text.header), timeout)
            if isinstance(resp, LeanError):
                raise LeanStartError(f"the header was refused: {resp.message}")
            if resp.has_errors():
                raise LeanStartError("the header does not elaborate: "
                                     + format_messages(resp.get_errors()))
            env_id = resp.env
        resp = self._call(Command(cmd=self.text.command, env=env_id), timeout)
        if isinstance(resp, LeanError):
            raise LeanStartError(f"the statement was refused: {resp.message}")
        if resp.has_errors():
            raise LeanStartError("the statement does not elaborate: " + format_messages(resp.get_errors()))
        sorries = [s for s in resp.sorries if s.proof_state is not None]
        if len(sorries) != 1:
            raise LeanStartError(f"expected one `sorry` to start from, Lean returned {len(sorries)}")
        return Step(sorries[0].proof_state, sorries[0].goal, 1)

    def _run(self, raw: Any, tactic: str) -> Step | ProofComplete | Failed:
        from lean_interact import ProofStep
        from lean_interact.interface import LeanError

        if not tactic.strip():
            return Failed("empty tactic")
        resp = self._call(ProofStep(proof_state=raw, tactic=tactic), self._env.settings.tactic_timeout)
        if isinstance(resp, LeanError):
            return Failed(resp.message)
        if resp.has_errors():
            return Failed(format_messages(resp.get_errors()))
        if resp.sorries or "sorry" in resp.proof_status or any(USES_SORRY.search(m.data)
                                                                for m in resp.messages):
            return Failed("the tactic leaves a `sorry` (not accepted as a proof)")
        if resp.proof_status.startswith("Error"):
            return Failed(f"Lean: {resp.proof_status}")
        if resp.goals:
            return Step(resp.proof_state, "\n\n".join(resp.goals), len(resp.goals))
        if resp.proof_status == "Completed":
            return ProofComplete()
        return Failed(f"no goals left but Lean reports the proof as: {resp.proof_status}")

    def _shutdown(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            try:
                server.kill()
            except Exception:  # noqa: BLE001 - it may be dead already
                pass


class LeanREPLEnvironment:
    """``--env lean-repl``: one lean-interact ``LeanServer`` per theorem.

    ``settings`` names the Lean project, the REPL and the timeouts (``[lean_repl]`` in
    ``configs/lean.toml``). lean-interact's ``LeanREPLConfig`` (which may fetch and build the REPL) is
    made once, when the first theorem starts.
    """

    name = "lean-repl"
    probe_tactics: tuple[str, ...] = LEAN_PROBE_TACTICS

    def __init__(self, settings: LeanREPLSettings | None = None):
        self.settings = settings or LeanREPLSettings()
        self._config = None

    @classmethod
    def from_config(cls, path: str | Path | None = None, **overrides) -> LeanREPLEnvironment:
        """From the ``[lean_repl]`` table of a ``configs/lean.toml``-style file, with overrides
        (e.g. ``tactic_timeout`` from the search config)."""
        settings = load_lean_config(path).lean_repl
        if overrides:
            try:
                settings = dataclasses.replace(settings, **overrides)
                settings.validate()
            except (TypeError, ValueError) as e:
                raise ConfigError(f"lean_repl: {e}") from None
        return cls(settings)

    def repl_config(self):
        """lean-interact's ``LeanREPLConfig`` for these settings (made once)."""
        if self._config is None:
            try:
                from lean_interact import LeanREPLConfig, LocalProject
            except ImportError:
                raise ConfigError("--env lean-repl needs the 'lean' extra: pip install 'qedjax[lean]'") from None
            s = self.settings
            kwargs: dict[str, Any] = dict(lake_path=s.lake_path, build_repl=s.build_repl,
                                          memory_hard_limit_mb=s.memory_limit_mb or None)
            if s.project_dir:
                if not Path(s.project_dir).is_dir():
                    raise ConfigError(f"lean_repl.project_dir {s.project_dir} is not a directory "
                                      "(run `qed lean doctor`)")
                kwargs["project"] = LocalProject(directory=s.project_dir, lake_path=s.lake_path,
                                                 auto_build=False)
            if s.repl_path:
                kwargs["local_repl_path"] = s.repl_path
            else:
                kwargs["repl_rev"] = s.repl_rev
                if s.repl_git:
                    kwargs["repl_git"] = s.repl_git
            try:
                self._config = LeanREPLConfig(**kwargs)
            except Exception as e:  # noqa: BLE001 - any failure here (a git clone without network
                # raises git's own GitCommandError, a failed `lake update` CalledProcessError) is the
                # setup's, the same for every theorem
                first = str(e).strip().splitlines()[0] if str(e).strip() else ""
                raise ConfigError(f"lean-interact could not set up the REPL ({type(e).__name__}"
                                  f"{': ' + first if first else ''}); run `qed lean doctor`") from None
        return self._config

    def new_server(self):
        """A fresh REPL process (lean-interact ``LeanServer``)."""
        from lean_interact import LeanServer

        return LeanServer(self.repl_config())

    def text_for(self, theorem: Theorem) -> ReplInput:
        """The exact commands this environment sends to open ``theorem`` (no Lean needed)."""
        return repl_input(theorem, self.settings.project_dir, self.settings.default_header)

    def start(self, theorem: Theorem) -> LeanREPLSession:
        try:
            text = self.text_for(theorem)
        except ParseError as e:
            raise LeanStartError(f"cannot send {theorem.name} to Lean: {e.message}") from None
        return LeanREPLSession(theorem, text, self)
