"""Encoding on Ray: the states split over encoder actors, written into the usual embedding cache.

:class:`RayEncoderPool` looks like an :class:`~encoder_bridge.encoder.HFEncoder` to
:func:`~encoder_bridge.cache.encode_to_cache` (``provenance``, ``truncated``, ``encode``), so the cache
keeps all its rules: provenance checked, already-cached states skipped, each chunk written as a shard
before the next starts (a killed run resumes), one merge at the end, nothing stored twice.

Each actor loads the frozen backbone once. With GPUs in the cluster there is one actor per GPU
(``num_gpus=1`` each, so Ray gives each its own device); without, one actor per node, holding all of
that node's CPUs for torch's threads. With ``dtype = "auto"`` the first actor chooses the dtype on its
machine and the others run in it. Every actor must report the same provenance (same model files
everywhere), or the run is refused. Never imports jax.
"""

from __future__ import annotations

import collections
import dataclasses
import math
from typing import Callable, Sequence

import numpy as np

from encoder_bridge.cache import provenance_diff
from encoder_bridge.encoder import EncoderConfig, HFEncoder
from qedjax.cluster import connect_ray, ray_cause
from qedjax.errors import DataError, ProvenanceError


class _EncoderActor:
    def __init__(self, config: EncoderConfig):
        self.encoder = HFEncoder(config)

    def provenance(self) -> dict:
        return self.encoder.provenance

    def encode(self, states: list[str]) -> tuple[np.ndarray, int]:
        before = self.encoder.truncated
        vecs = self.encoder.encode(states)
        return vecs, self.encoder.truncated - before


def plan_actors(resources: dict, nodes: int, requested: int | None) -> tuple[int, dict]:
    """(actor count, Ray resource options per actor): one per GPU, else one per node with its CPUs."""
    gpus = int(resources.get("GPU", 0))
    if gpus:
        n = requested or gpus
        if n > gpus:
            raise DataError(f"--devices {n}: the Ray cluster has {gpus} GPUs (one encoder actor per GPU)")
        return n, {"num_gpus": 1, "num_cpus": 1}
    cpus_per_node = max(1, int(resources.get("CPU", 1)) // max(nodes, 1))
    n = requested or max(nodes, 1)
    return n, {"num_cpus": max(1, cpus_per_node * max(nodes, 1) // n)}


class RayEncoderPool:
    """Encoder actors on a Ray cluster behind the encoder interface the cache uses."""

    def __init__(self, config: EncoderConfig, *, actors: int | None = None, address: str | None = None,
                 log: Callable[[str], None] | None = None):
        config.validate()
        ray = connect_ray(address)
        self.ray = ray
        nodes = sum(1 for nd in ray.nodes() if nd.get("Alive"))
        n, options = plan_actors(ray.cluster_resources(), nodes, actors)
        device = "cuda" if "num_gpus" in options else "cpu"
        if config.device == "cuda" and device == "cpu":
            raise DataError("--device cuda: the Ray cluster has no GPUs")
        actor_config = dataclasses.replace(config, device=device)
        cls = ray.remote(max_restarts=0, **options)(_EncoderActor)
        self.actors = []
        try:
            if actor_config.dtype == "auto":  # the first actor chooses; the others run in its dtype
                self.actors.append(cls.remote(actor_config))
                dtype = ray.get(self.actors[0].provenance.remote())["dtype"]
                actor_config = dataclasses.replace(actor_config, dtype=dtype)
            self.actors += [cls.remote(actor_config) for _ in range(n - len(self.actors))]
            provenances = ray.get([a.provenance.remote() for a in self.actors])
        except ray.exceptions.RayError as e:
            self.close()
            raise DataError(f"a Ray encoder actor could not load the model: {ray_cause(e)}") from None
        for p in provenances[1:]:
            diff = provenance_diff(provenances[0], p)
            if diff is not None:
                self.close()
                raise ProvenanceError(f"Ray encoder actors disagree on the encoder ({diff}); install the same "
                                      "model files on every node")
        self.provenance = provenances[0]
        self.truncated = 0
        self.config = config
        if log is not None:
            log(f"encoding on {n} Ray actor(s) ({device})")

    def encode(self, states: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embeddings of ``states`` in order; pieces go to whichever actor is free (two queued each)."""
        states = list(states)
        out = np.zeros((len(states), int(self.provenance["dim"])), np.float32)
        if not states:
            return out
        size = max(1, min(self.config.batch_size * 2, math.ceil(len(states) / len(self.actors))))
        todo = collections.deque(range(0, len(states), size))
        inflight: dict = {}

        def feed(actor) -> None:
            while todo and sum(1 for a, _ in inflight.values() if a is actor) < 2:
                start = todo.popleft()
                inflight[actor.encode.remote(states[start:start + size])] = (actor, start)

        ray = self.ray
        for a in self.actors:
            feed(a)
        while inflight:
            done, _ = ray.wait(list(inflight), num_returns=1)
            actor, start = inflight.pop(done[0])
            try:
                vecs, truncated = ray.get(done[0])
            except ray.exceptions.RayError as e:
                raise DataError(f"a Ray encoder actor failed ({ray_cause(e)}); finished shards are kept: run "
                                "the same command again to resume") from None
            out[start:start + len(vecs)] = vecs
            self.truncated += truncated
            if progress is not None:
                progress(len(vecs))
            feed(actor)
        return out

    def close(self) -> None:
        for a in self.actors:
            try:
                self.ray.kill(a)
            except Exception:  # noqa: BLE001 - already gone
                pass
        self.actors = []
