"""Where a run's theorems are searched: in this process, in local worker processes, or on Ray actors.

Every executor keeps one contract, so all give the same results for the same seeds:

* a worker (this process, a spawned process, a Ray actor) builds its parts **once** from the
  picklable zero-argument ``factory`` (``qedjax.app.parts.parts_factory(spec)``), then runs
  ``work(parts, item)`` for whole theorems;
* results go back to the driver, which alone flushes them (:mod:`qedjax.search.runner`), so the
  per-theorem flush, resume and the resume fingerprint do not depend on the executor, and workers
  need no shared file system;
* a worker that dies mid-theorem (a crash, an OOM kill, a lost node) costs exactly that theorem: a
  fresh worker takes its place, the theorems queued behind it are queued again, and the theorem it was
  running is tried once more; a theorem that was running at two deaths comes back as
  ``lost(item, reason)`` and the run goes on. (One retry, because a Ray actor that dies just after
  finishing a theorem can take that theorem's reply with it, so the theorem at the head of its queue
  is not certainly the one that killed it.)

Ray is optional (``pip install 'qedjax[ray]'``) and imported only when a Ray executor runs. Without
an address it starts a local Ray (stopped at exit); with one it joins a running cluster
(``ray start --head`` on one node, ``ray start --address HEAD:6379`` on the others).
"""

from __future__ import annotations

import abc
import collections
import contextlib
import dataclasses
import multiprocessing as mp
import os
import signal
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator

from qedjax.cluster import check_ray_address, connect_ray, import_ray, ray_cause
from qedjax.errors import ConfigError

Item = Any  # what the runner hands a worker for one theorem (picklable)
Result = Any  # what ``work`` returns for it (picklable)
Work = Callable[[Any, Item], Result]
Lost = Callable[[Item, str], Result]

KINDS = ("local", "ray")


class Executor(abc.ABC):
    """Runs ``work(parts, item)`` for every item on workers that each built ``parts = factory()``."""

    kind: str = "local"
    workers: int = 1

    @abc.abstractmethod
    def imap(self, factory: Callable[[], Any], work: Work, items: Iterable[Item], lost: Lost) -> Iterator[Result]:
        """One result per item (lost ones included), in completion order: the caller orders them."""

    def describe(self) -> str:
        return self.kind


class InProcess(Executor):
    """This process is the one worker (``--workers 1``; an unexpected error surfaces as a traceback)."""

    def imap(self, factory, work, items, lost):
        parts = factory()
        for item in items:
            yield work(parts, item)

    def describe(self) -> str:
        return "in-process"


# -- workers that can die: the shared scheduler --------------------------------------------------

class _Died(Exception):
    """The worker running the head item of a slot is gone (``reason`` says why)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass
class _Slot:
    worker: Any
    inflight: collections.deque  # (token, item) in submission order: the head is the one running


class _Backend(abc.ABC):
    """How one kind of worker is started, fed, watched and stopped."""

    @abc.abstractmethod
    def start(self, n: int) -> list:
        """``n`` workers whose parts are built (raises what building them raised)."""

    @abc.abstractmethod
    def submit(self, worker, item) -> Any:
        """Queue ``item`` on ``worker``; returns a token for its result."""

    @abc.abstractmethod
    def ready(self, slots: list[_Slot]) -> list[_Slot]:
        """Block until the head result (or the death) of at least one slot is known; those slots."""

    @abc.abstractmethod
    def result(self, slot: _Slot) -> Result:
        """The head item's result, or :class:`_Died`."""

    @abc.abstractmethod
    def stop(self, worker) -> None: ...


def _schedule(backend: _Backend, n: int, items: Iterable[Item], lost: Lost, depth: int,
              attempts: int = 2) -> Iterator[Result]:
    """Keep ``depth`` items queued on each of ``n`` workers. On a death the items queued on that worker go
    back to the front of the queue; the one at the head (running, or finished with its reply lost) is
    given up as lost only when it has been at the head at ``attempts`` deaths, and runs alone on its
    worker until then."""
    todo = collections.deque(items)
    deaths: collections.Counter = collections.Counter()  # id(item) → deaths it was at the head of
    if not todo:
        return
    slots: list[_Slot] = []
    try:
        slots = [_Slot(w, collections.deque()) for w in backend.start(n)]

        def feed(slot: _Slot) -> None:
            while todo and len(slot.inflight) < depth:
                # an item retried after a death runs alone, so the next death is certainly its own
                if slot.inflight and (deaths[id(todo[0])] or deaths[id(slot.inflight[-1][1])]):
                    break
                item = todo.popleft()
                slot.inflight.append((backend.submit(slot.worker, item), item))

        for s in slots:
            feed(s)
        while any(s.inflight for s in slots):
            for slot in backend.ready([s for s in slots if s.inflight]):
                _, item = slot.inflight[0]
                try:
                    result = backend.result(slot)
                except _Died as d:
                    slot.inflight.popleft()
                    deaths[id(item)] += 1
                    again = [it for _, it in slot.inflight]  # queued behind it: not their fault
                    if deaths[id(item)] >= attempts:
                        yield lost(item, d.reason)
                    else:
                        again.insert(0, item)
                    todo.extendleft(reversed(again))
                    slot.inflight.clear()
                    backend.stop(slot.worker)
                    slot.worker = backend.start(1)[0]
                    continue
                slot.inflight.popleft()
                yield result
            for s in slots:
                feed(s)
    finally:
        for s in slots:
            backend.stop(s.worker)


# -- local processes -----------------------------------------------------------------------------

def _process_main(conn, factory, work) -> None:
    """A spawned worker: build the parts, then answer items until the driver closes the pipe. Ctrl-C
    in a terminal reaches every process of the group: the driver alone handles it (it stops the
    workers and reports), so a worker ignores it instead of printing a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def send(message) -> bool:  # False: the driver is gone (killed, SIGTERM): end quietly, no traceback
        try:
            conn.send(message)
            return True
        except (EOFError, OSError):
            return False

    try:
        parts = factory()
    except BaseException as e:  # noqa: BLE001 - handed to the driver, which raises it
        send(("error", e))
        return
    if not send(("ready", os.getpid())):
        return
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):  # the driver is gone
            return
        if item is None:
            return
        try:
            result = ("ok", work(parts, item))
        except BaseException as e:  # noqa: BLE001
            result = ("error", e)
        if not send(result):
            return


@dataclasses.dataclass
class _Proc:
    process: Any
    conn: Any


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"worker process killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"worker process killed by signal {-code}"
    return f"worker process exited with code {code}"


class _Processes(_Backend):
    def __init__(self, factory, work):
        self.ctx = mp.get_context("spawn")
        self.factory, self.work = factory, work

    def start(self, n):
        procs = []
        for _ in range(n):
            parent, child = self.ctx.Pipe()
            p = self.ctx.Process(target=_process_main, args=(child, self.factory, self.work), daemon=True)
            p.start()
            child.close()
            procs.append(_Proc(p, parent))
        try:
            for p in procs:
                self._expect(p, "ready")
        except _Died as d:
            for p in procs:
                self.stop(p)
            raise ConfigError(f"a worker process could not build its search parts: {d.reason}") from None
        except BaseException:
            for p in procs:
                self.stop(p)
            raise
        return procs

    def _expect(self, proc: _Proc, kind: str):
        try:
            tag, value = proc.conn.recv()
        except (EOFError, OSError):
            proc.process.join(timeout=5)
            raise _Died(_exit_reason(proc.process.exitcode)) from None
        if tag == "error":
            raise value
        return value

    def submit(self, worker, item):
        with contextlib.suppress(OSError):  # already dead: ready() sees its sentinel, result() says why
            worker.conn.send(item)

    def ready(self, slots):
        by = {}
        for s in slots:
            by[s.worker.conn] = s
            by[s.worker.process.sentinel] = s
        got = wait(list(by))
        return list({id(by[x]): by[x] for x in got}.values())

    def result(self, slot):
        return self._expect(slot.worker, "ok")

    def stop(self, worker):
        with contextlib.suppress(OSError, ValueError):
            worker.conn.send(None)
        worker.process.join(timeout=2)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=5)
        worker.conn.close()


class LocalProcesses(Executor):
    """``workers`` spawned processes on this machine, each with its own parts."""

    def __init__(self, workers: int, depth: int = 2):
        self.workers = workers
        self.depth = depth

    def imap(self, factory, work, items, lost):
        return _schedule(_Processes(factory, work), self.workers, items, lost, self.depth)

    def describe(self) -> str:
        return f"{self.workers} local processes"


# -- Ray actors ----------------------------------------------------------------------------------

class _Actor:
    """A Ray actor that owns one set of parts (built once) and searches theorems with them."""

    def __init__(self, factory, work):
        # Several actors may share a GPU: never let JAX take most of its memory up front.
        os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
        self.parts = factory()
        self.work = work

    def ready(self) -> int:
        return os.getpid()

    def run(self, item):
        return self.work(self.parts, item)


class _Actors(_Backend):
    def __init__(self, ray, factory, work, num_cpus: float):
        self.ray = ray
        self.cls = ray.remote(num_cpus=num_cpus, max_restarts=0, max_task_retries=0)(_Actor)
        self.factory, self.work = factory, work

    def start(self, n):
        ray = self.ray
        actors = [self.cls.remote(self.factory, self.work) for _ in range(n)]
        try:
            ray.get([a.ready.remote() for a in actors])
        except ray.exceptions.RayError as e:
            for a in actors:
                ray.kill(a)
            raise ConfigError(f"a Ray actor could not build its search parts: {ray_cause(e)}") from None
        return actors

    def submit(self, worker, item):
        return worker.run.remote(item)

    def ready(self, slots):
        heads = {s.inflight[0][0]: s for s in slots}
        done, _ = self.ray.wait(list(heads), num_returns=1)
        more, _ = self.ray.wait(list(heads), num_returns=len(heads), timeout=0)
        return [heads[r] for r in dict.fromkeys([*done, *more])]

    def result(self, slot):
        try:
            return self.ray.get(slot.inflight[0][0])
        except self.ray.exceptions.RayActorError as e:
            raise _Died(f"Ray actor died: {ray_cause(e)}") from None

    def stop(self, worker):
        with contextlib.suppress(Exception):
            self.ray.kill(worker)


class RayActors(Executor):
    """``workers`` Ray actors (``num_cpus`` each) anywhere on the cluster, each with its own parts."""

    kind = "ray"

    def __init__(self, workers: int, address: str | None = None, *, depth: int = 2, num_cpus: float = 1.0):
        self.workers = workers
        self.address = address
        self.depth = depth
        self.num_cpus = num_cpus

    def describe(self) -> str:
        return f"{self.workers} Ray actors"

    def imap(self, factory, work, items, lost):
        items = list(items)
        if not items:
            return iter(())
        ray = connect_ray(self.address)
        cpus = ray.cluster_resources().get("CPU", 0)
        if cpus < self.workers * self.num_cpus:
            raise ConfigError(f"--workers {self.workers}: the Ray cluster has {cpus:g} CPUs and each actor "
                              f"needs {self.num_cpus:g}; ask for fewer workers or add nodes")
        return _schedule(_Actors(ray, factory, work, self.num_cpus), self.workers, items, lost, self.depth)


# -- choosing an executor ------------------------------------------------------------------------

def make_executor(kind: str = "local", workers: int = 1, address: str | None = None) -> Executor:
    """``local``: this process for one worker, spawned processes for more; ``ray``: Ray actors (a local
    Ray, or the cluster at ``address``)."""
    if kind not in KINDS:
        raise ConfigError(f"unknown executor '{kind}' ({', '.join(KINDS)})")
    if workers < 1:
        raise ConfigError("--workers must be >= 1")
    if kind == "ray":
        import_ray()  # fail before any output exists
        check_ray_address(address)
        return RayActors(workers, address)
    if address is not None:
        raise ConfigError("--ray-address needs --executor ray")
    return InProcess() if workers <= 1 else LocalProcesses(workers)


def resolve(executor: Executor | str | None, workers: int = 1) -> Executor:
    """An executor from an instance, or a kind name (None: ``local``) with ``workers``."""
    if isinstance(executor, Executor):
        return executor
    return make_executor(executor or "local", workers)
