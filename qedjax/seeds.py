"""Named seed derivation: one run seed, one independent stream per purpose (no magic offsets).

``derive(seed, "train-search", 2)`` hashes the run seed together with the purpose, so streams never
collide by accident (``seed + 1`` for one purpose is ``seed`` of the next run for another) and a
reader sees what each stream is for.
"""

from __future__ import annotations

import hashlib


def derive(seed: int, *purpose: str | int) -> int:
    """A 31-bit seed for ``purpose`` derived from the run ``seed`` (stable across runs and machines)."""
    text = "\x1f".join(str(p) for p in (int(seed), *purpose))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "little") & 0x7FFFFFFF
