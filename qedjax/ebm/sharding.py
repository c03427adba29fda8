"""Data-parallel layout for EBM training: one mesh over the devices, the batch split, the rest replicated.

* **Mesh.** A 1-D :class:`jax.sharding.Mesh` (axis ``"data"``) over the visible devices of every
  process, or ``devices`` of them. Under ``jit`` the batch axis is sharded and XLA inserts the
  gradient all-reduce; parameters, power-iteration vectors, optimizer state, step and RNG key are
  replicated, so every device applies the same update.
* **Same numbers at any device count.** ``train.batch_size`` is the *global* batch (each device gets
  ``batch_size / N`` rows; it must divide evenly) and the learning-rate schedule counts optimizer
  steps, so N devices take the same steps on the same batches as one. Batches are sampled on the host
  from (seed, step) alone and dropout keys are counter-based (``jax_threefry_partitionable``), so
  only the order of floating-point reductions differs.
* **Embedding table.** Replicated by default: the head is small, a replicated table makes the
  per-step gather local (no communication besides the gradient all-reduce) and it fits easily up to
  a few million states. When a copy would take more than :data:`TABLE_FRACTION` of a device's memory
  the table is sharded **by rows** instead: each device gathers the rows it owns and one
  reduce-scatter of the ``B×(K+1)×D`` batch hands every device its rows — exact, since every row
  comes from exactly one device. If even ``1/N`` of the table does not fit, training is refused with
  a message that says how much memory it needs.
* **Multi-host.** :func:`initialize_distributed` starts ``jax.distributed`` when the process was
  launched with the standard variables (``JAX_COORDINATOR_ADDRESS`` + ``JAX_NUM_PROCESSES`` +
  ``JAX_PROCESS_ID``, or a multi-task ``srun`` / ``mpirun`` launch). Every process samples the same global
  batch and contributes the rows of its own devices (:meth:`Layout.put`).
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Callable, Literal, Mapping

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding
from jax.sharding import PartitionSpec as P

from qedjax.errors import ConfigError, DataError

AXIS = "data"
TABLE_FRACTION = 0.4  # of one device's memory: above it, shard the table by rows
TableLayout = Literal["auto", "replicated", "rows"]

# -- multi-host start-up -------------------------------------------------------------------------

def _env_int(env: Mapping[str, str], key: str, default: int) -> int:
    """An integer environment variable (unset or empty: ``default``); anything else is a ConfigError."""
    value = env.get(key, "")
    if not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{key}={value!r} is not an integer") from None


def distributed_requested(env: Mapping[str, str] | None = None) -> bool:
    """True when this process was launched as one of several (the variables JAX and launchers set)."""
    env = os.environ if env is None else env
    if env.get("JAX_COORDINATOR_ADDRESS"):
        return True
    if "SLURM_JOB_ID" in env and _env_int(env, "SLURM_STEP_NUM_TASKS", 1) > 1:
        return True  # an srun step (an salloc shell has SLURM_NTASKS but runs one process)
    return _env_int(env, "OMPI_COMM_WORLD_SIZE", 1) > 1


def initialize_distributed(env: Mapping[str, str] | None = None) -> bool:
    """Start ``jax.distributed`` if the launch asks for it (idempotent). Returns True when running
    multi-process. Must run before anything touches a JAX device; otherwise a one-line ConfigError."""
    env = os.environ if env is None else env
    if not distributed_requested(env):
        return False
    from jax._src import distributed as _dist  # the public API has no "already initialised?" query

    if _dist.global_state.client is not None:
        return True
    kwargs: dict[str, Any] = {}
    if env.get("JAX_COORDINATOR_ADDRESS"):
        kwargs["coordinator_address"] = env["JAX_COORDINATOR_ADDRESS"]
        for key, arg in (("JAX_NUM_PROCESSES", "num_processes"), ("JAX_PROCESS_ID", "process_id")):
            if env.get(key) is None:
                raise ConfigError(f"JAX_COORDINATOR_ADDRESS is set but {key} is not; set JAX_NUM_PROCESSES "
                                  "and JAX_PROCESS_ID on every process of a multi-host run")
            kwargs[arg] = _env_int(env, key, -1)
        if not 0 <= kwargs["process_id"] < kwargs["num_processes"]:
            raise ConfigError(f"JAX_PROCESS_ID={env['JAX_PROCESS_ID']!r} with JAX_NUM_PROCESSES="
                              f"{env['JAX_NUM_PROCESSES']!r}: the processes are numbered 0 to JAX_NUM_PROCESSES - 1")
    try:
        jax.distributed.initialize(**kwargs)
    except (RuntimeError, ValueError) as e:
        raise ConfigError(f"cannot start multi-host JAX: {str(e).splitlines()[0]}") from None
    return True


# -- device selection ----------------------------------------------------------------------------

def select_devices(n: int | None = None) -> list:
    """The first ``n`` devices (default: all), taken evenly from every process so that each host keeps
    feeding its own devices."""
    devices = jax.devices()
    if n is None:
        return devices
    if n < 1 or n > len(devices):
        raise ConfigError(f"--devices {n}: {len(devices)} device(s) visible "
                          f"({devices[0].platform}); choose 1..{len(devices)}")
    procs = jax.process_count()
    if procs == 1:
        return devices[:n]
    if n % procs:
        raise ConfigError(f"--devices {n} must be a multiple of the {procs} processes of this run")
    per = n // procs
    by_proc: dict[int, list] = {}
    for d in devices:
        by_proc.setdefault(d.process_index, []).append(d)
    return [d for p in sorted(by_proc) for d in by_proc[p][:per]]


def device_memory_bytes(device) -> int | None:
    """Memory one device can hold: its allocator limit (GPU/TPU), or host RAM shared by the CPU
    devices of this process (None when unknown)."""
    stats = device.memory_stats() if hasattr(device, "memory_stats") else None
    if stats and stats.get("bytes_limit"):
        return int(stats["bytes_limit"])
    if device.platform == "cpu":
        try:
            ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError, AttributeError):
            return None
        return int(ram // max(1, len(jax.local_devices())))
    return None


def choose_table_layout(table_bytes: int, n_devices: int, memory: int | None,
                        requested: TableLayout = "auto") -> Literal["replicated", "rows"]:
    """Replicated when a whole copy fits in :data:`TABLE_FRACTION` of a device, rows when ``1/N`` does;
    otherwise a :class:`DataError` that says how much memory the table needs."""
    if requested not in ("auto", "replicated", "rows"):
        raise ConfigError(f"table layout {requested!r}: expected auto, replicated or rows")
    if requested != "auto" or memory is None:
        return "replicated" if requested == "auto" else requested
    budget = TABLE_FRACTION * memory
    if table_bytes <= budget:
        return "replicated"
    if table_bytes / n_devices <= budget:
        return "rows"
    gib = 2.0 ** 30
    need = int(np.ceil(table_bytes / budget))
    raise DataError(f"the embedding table takes {table_bytes / gib:.1f} GiB and does not fit: sharded by "
                    f"rows over {n_devices} device(s) it needs {table_bytes / n_devices / gib:.1f} GiB each, "
                    f"over {TABLE_FRACTION:.0%} of {memory / gib:.1f} GiB; use at least {need} devices or "
                    "train on fewer states")


# -- the layout ----------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Layout:
    """Where every array of a training run lives."""

    mesh: Mesh
    table: Literal["replicated", "rows"]

    @property
    def n_devices(self) -> int:
        return self.mesh.devices.size

    @property
    def replicated(self) -> NamedSharding:
        return NamedSharding(self.mesh, P())

    def batch(self, ndim: int, axis: int = 0) -> NamedSharding:
        """Sharding of an array whose ``axis`` is the batch axis."""
        spec = [None] * ndim
        spec[axis] = AXIS
        return NamedSharding(self.mesh, P(*spec))

    @property
    def table_sharding(self) -> NamedSharding:
        return NamedSharding(self.mesh, P(AXIS, None) if self.table == "rows" else P())

    def put(self, x, sharding: NamedSharding) -> jax.Array:
        """A global array from a host value every process holds in full (each process fills its own
        devices' shards, so this also works multi-host)."""
        if jax.process_count() == 1:
            return jax.device_put(x, sharding)
        x = np.asarray(x)
        return jax.make_array_from_callback(x.shape, sharding, lambda index: x[index])

    def put_tree(self, tree, sharding: NamedSharding):
        return jax.tree.map(lambda a: self.put(a, sharding), tree)

    def put_table(self, table: np.ndarray) -> jax.Array:
        """The embedding table on the mesh (rows padded to a multiple of N when sharded by rows; the
        padding is never indexed: the host validates every row index)."""
        table = np.ascontiguousarray(table, np.float32)
        if self.table == "rows" and len(table) % self.n_devices:
            pad = self.n_devices - len(table) % self.n_devices
            table = np.concatenate([table, np.zeros((pad, table.shape[1]), np.float32)])
        return self.put(table, self.table_sharding)

    def check_batch(self, batch_size: int) -> None:
        if batch_size % self.n_devices:
            raise ConfigError(f"train.batch_size {batch_size} is the global batch and must divide evenly over "
                              f"{self.n_devices} devices; use a multiple of {self.n_devices} or --devices")

    def gather(self) -> Callable[[jax.Array, jax.Array], jax.Array]:
        """``gather(table, idx_M) -> rows (M, D)``, with ``idx_M`` sharded along the batch."""
        if self.table == "replicated":
            return lambda table, idx: jnp.take(table, idx, axis=0)
        return _rows_gather(self.mesh)

    def describe(self) -> dict:
        d = self.mesh.devices.flat[0]
        return {"devices": self.n_devices, "platform": d.platform, "processes": jax.process_count(),
                "table": self.table}


def _rows_gather(mesh: Mesh) -> Callable[[jax.Array, jax.Array], jax.Array]:
    """Gather from a table sharded by rows: every device looks up the indices it owns (zeros elsewhere)
    and a reduce-scatter over the mesh returns each device its batch shard. Exactly one device
    contributes each row, so the result equals a replicated gather bit for bit."""

    def local(table_R, idx_m):
        idx_M = jax.lax.all_gather(idx_m, AXIS, tiled=True)
        rows = table_R.shape[0]
        local_i = idx_M - jax.lax.axis_index(AXIS) * rows
        mine = (local_i >= 0) & (local_i < rows)
        x = jnp.take(table_R, jnp.clip(local_i, 0, rows - 1), axis=0)
        x = jnp.where(mine[:, None], x, jnp.zeros_like(x))
        return jax.lax.psum_scatter(x, AXIS, scatter_dimension=0, tiled=True)

    return jax.shard_map(local, mesh=mesh, in_specs=(P(AXIS, None), P(AXIS)), out_specs=P(AXIS, None))


def make_layout(devices: int | None = None, *, table_bytes: int = 0,
                table: TableLayout = "auto") -> Layout:
    """The mesh over the selected devices and the table layout for a table of ``table_bytes``."""
    chosen = select_devices(devices)
    # Only this process's devices report memory; hosts of one run are assumed alike (same layout).
    local = [d for d in chosen if d.process_index == jax.process_index()]
    memory = min((m for m in (device_memory_bytes(d) for d in local) if m), default=None)
    mode = choose_table_layout(table_bytes, len(chosen), memory, table)
    return Layout(Mesh(np.asarray(chosen), (AXIS,)), mode)
