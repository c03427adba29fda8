"""Joining a Ray cluster, for every part of qedjax that runs on one (search executors, encoder actors).

Ray is optional (``pip install 'qedjax[ray]'``) and imported only when a function here runs. Without an
address :func:`connect_ray` starts a local Ray (stopped at exit); with one it joins a running cluster
(``ray start --head`` on one node, ``ray start --address HEAD:6379`` on the others). Imports neither
torch nor jax.
"""

from __future__ import annotations

import socket

from qedjax.errors import ConfigError


def import_ray():
    """The ``ray`` module, or a one-line ConfigError saying how to get it."""
    try:
        import ray
    except ImportError:
        raise ConfigError("--executor ray needs Ray, which is not installed: pip install 'qedjax[ray]'") from None
    return ray


def check_ray_address(address: str | None, timeout: float = 5.0) -> None:
    """Fail fast (Ray itself retries for minutes) when ``HOST:PORT`` or ``ray://HOST:PORT`` does not
    answer; ``auto`` and None are left to Ray."""
    if not address or address in ("auto", "local"):
        return
    hostport = address.split("://", 1)[-1].rstrip("/")
    host, sep, port = hostport.rpartition(":")
    if not sep or not port.isdigit():
        raise ConfigError(f"--ray-address {address}: expected HOST:PORT, ray://HOST:PORT or auto")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as e:
        raise ConfigError(f"--ray-address {address}: nothing answers there ({e.strerror or e}); start the head "
                          "node with `ray start --head` or check the address") from None


def connect_ray(address: str | None = None):
    """Join the cluster at ``address`` (``HOST:PORT``, ``auto`` or ``ray://HOST:PORT``), or start a
    local Ray when None. Idempotent within a process."""
    ray = import_ray()
    if ray.is_initialized():
        return ray
    check_ray_address(address)
    try:
        ray.init(address=address, include_dashboard=False, configure_logging=False, log_to_driver=True)
    except (ConnectionError, ValueError, RuntimeError) as e:
        where = f"--ray-address {address}" if address else "a local Ray"
        raise ConfigError(f"cannot start {where}: {_first_line(e)}") from None
    return ray


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return (text.splitlines()[0] if text else type(e).__name__)[:300]


def ray_cause(e: BaseException) -> str:
    """The telling line of a Ray error: why the actor died, or what its task raised."""
    lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
    for ln in lines:
        low = ln.lower()
        if not ln.startswith("File ") and any(k in low for k in (
                "error:", "exit", "killed", "died", "sigkill", "memory", "intended")):
            return ln[:300]
    return (lines[-1] if lines else type(e).__name__)[:300]
