"""Measurement-only instruments (prop's truth-table oracle and exact distance) must never feed
training, calibration or a learned value's search. This guard makes that a checked rule.

Code that must stay blind wraps itself in :func:`forbid_measurement`; every measurement instrument
calls :func:`check_measurement` on entry and raises :class:`MeasurementLeak` inside such a block.
The search engine searches under the guard unless its environment or value scorer is itself a
measurement instrument (the perfect-distance ceiling, ``tauto``); the pipeline trains, subsamples and
calibrates under it. Framework-free: the search core may import it.

Why a context variable, when the pipeline wires everything else through arguments: the guard is not
wiring but a scope. An instrument (the oracle, the distance) is reached through scorers, environments
and callbacks that have no reason to carry a flag, and a leak must be caught however deep it happens.
A context variable is also thread- and task-local, so a measurement run beside a blind one in another
thread does not trip the guard.
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator

_FORBIDDEN: contextvars.ContextVar[str | None] = contextvars.ContextVar("qedjax_measurement_forbidden",
                                                                        default=None)


class MeasurementLeak(RuntimeError):
    """A measurement-only instrument was consulted where only search data may be used."""


@contextlib.contextmanager
def forbid_measurement(where: str) -> Iterator[None]:
    token = _FORBIDDEN.set(where)
    try:
        yield
    finally:
        _FORBIDDEN.reset(token)


def check_measurement(instrument: str) -> None:
    where = _FORBIDDEN.get()
    if where is not None:
        raise MeasurementLeak(f"{instrument} was consulted during {where}; it is a measurement tool and must "
                              "never feed training, calibration or a learned value's search")


def uses_measurement(*parts) -> bool:
    """Whether any of ``parts`` declares itself a measurement instrument (``uses_oracle = True``)."""
    return any(bool(getattr(p, "uses_oracle", False)) for p in parts if p is not None)
