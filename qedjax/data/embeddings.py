"""Embedding-cache Parquet: ``state_pp`` (utf8) + ``embedding`` (fixed-size list of float32).

The encoder provenance (model, revision/hash, dtype, pooling, template id, text normaliser,
max_length, dim) is JSON in the schema metadata under ``qedjax.encoder_provenance``. The reader also
accepts burn-qed caches (``list<float32|float64|float16>``, no provenance).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from qedjax.errors import DataError, ProvenanceError
from qedjax.io import atomic_write

PROVENANCE_KEY = b"qedjax.encoder_provenance"
# Provenance fields that must agree for two sets of embeddings to be comparable.
PROVENANCE_FIELDS = ("model", "revision", "dtype", "quantize", "pooling", "template", "normalizer",
                     "max_length", "dim")
# Fields added after caches were first written: a cache that lacks one was made with this value.
PROVENANCE_DEFAULTS = {"quantize": "none"}


def provenance_value(prov: dict, key: str):
    """``prov[key]``, or the value older caches implied by leaving the field out."""
    value = prov.get(key)
    return PROVENANCE_DEFAULTS.get(key) if value is None else value


# Largest |component| accepted: encoders write O(1)..O(100); squares and sums of wider values overflow float32.
MAX_COMPONENT = 1e15


def validate_embeddings(emb: np.ndarray, where: str) -> None:
    """Reject NaN/Inf and all-zero vectors (burn-qed silently trained on 14.6% zero vectors)."""
    if emb.ndim != 2:
        raise DataError(f"{where}: embeddings must be 2-D (N, D), got shape {emb.shape}")
    finite = np.isfinite(emb).all(axis=1)
    if not finite.all():
        raise DataError(f"{where}: {int((~finite).sum())} of {len(emb)} embeddings contain NaN/Inf")
    zero = ~np.any(emb != 0, axis=1)
    if zero.any():
        raise DataError(f"{where}: {int(zero.sum())} of {len(emb)} embeddings are all-zero vectors")
    huge = np.abs(emb).max(axis=1) > MAX_COMPONENT
    if huge.any():
        raise DataError(f"{where}: {int(huge.sum())} of {len(emb)} embeddings have a component beyond ±{MAX_COMPONENT:g} "
                        "(no encoder writes such values; the head's float32 sums would overflow to NaN)")


def write_embeddings(path: str | Path, states: Sequence[str], emb: np.ndarray,
                     provenance: dict | None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    emb = np.ascontiguousarray(emb, dtype=np.float32)
    if len(states) != len(emb):
        raise DataError(f"{len(states)} states but {len(emb)} embeddings")
    validate_embeddings(emb, str(path))
    dim = emb.shape[1]
    values = pa.array(emb.reshape(-1), type=pa.float32())
    col = pa.FixedSizeListArray.from_arrays(values, dim)
    table = pa.table({"state_pp": pa.array(list(states), pa.utf8()), "embedding": col})
    if provenance is not None:
        prov = dict(provenance)
        prov.setdefault("dim", dim)
        if int(prov["dim"]) != dim:
            raise ProvenanceError(f"provenance says dim {prov['dim']} but embeddings have dim {dim}")
        table = table.replace_schema_metadata({PROVENANCE_KEY: json.dumps(prov, sort_keys=True).encode()})
    atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def read_provenance(path: str | Path) -> dict | None:
    """The encoder provenance recorded in a cache's schema metadata (None when it records none)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except (pa.ArrowException, OSError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: not a readable Parquet file ({_first_line(e)})") from None
    raw = meta.get(PROVENANCE_KEY)
    if not raw:
        return None
    try:
        prov = json.loads(raw)
    except (ValueError, RecursionError):
        raise DataError(f"{path}: its encoder provenance metadata is not valid JSON") from None
    if not isinstance(prov, dict):
        raise DataError(f"{path}: its encoder provenance metadata is not a JSON object")
    return prov


def _first_line(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0][:200] if text else type(e).__name__


def read_embeddings(path: str | Path, validate: bool = True) -> tuple[list[str], np.ndarray, dict | None]:
    """Return (states, float32 C-contiguous (N, D) array, provenance or None)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.exists():
        raise DataError(f"embeddings file not found: {path}")
    if path.is_dir():
        raise DataError(f"{path}: expected an embedding-cache file, got a directory")
    try:
        table = pq.read_table(path)
        table.validate(full=True)  # e.g. invalid UTF-8 in 'state_pp', caught here and not later
        for c in ("state_pp", "embedding"):
            if c not in table.column_names:
                raise DataError(f"{path}: not an embedding cache, missing column '{c}'")
        state_col = table.column("state_pp")
        if not (pa.types.is_string(state_col.type) or pa.types.is_large_string(state_col.type)):
            raise DataError(f"{path}: column 'state_pp' has type {state_col.type}, expected strings")
        if state_col.null_count:
            raise DataError(f"{path}: {state_col.null_count} of {len(state_col)} states are null")
        states = state_col.to_pylist()
        col = table.column("embedding").combine_chunks()
    except (pa.ArrowException, OSError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: not a readable Parquet file ({_first_line(e)})") from None
    typ = col.type
    if not (pa.types.is_fixed_size_list(typ) or pa.types.is_list(typ) or pa.types.is_large_list(typ)):
        raise DataError(f"{path}: column 'embedding' has type {typ}, expected a list of floats")
    if not pa.types.is_floating(typ.value_type):
        raise DataError(f"{path}: embedding values have type {typ.value_type}, expected float")
    if col.null_count:
        raise DataError(f"{path}: {col.null_count} of {len(col)} embeddings are null")
    if pa.types.is_fixed_size_list(typ):
        dim = typ.list_size
    else:
        lengths = np.asarray(col.value_lengths().to_numpy(zero_copy_only=False))
        if len(lengths) and (lengths != lengths[0]).any():
            raise DataError(f"{path}: embeddings have different lengths "
                            f"({int(lengths.min())}..{int(lengths.max())})")
        dim = int(lengths[0]) if len(lengths) else 0
    values = col.flatten()
    if values.null_count:
        raise DataError(f"{path}: {values.null_count} embedding values are null")
    if len(col) == 0:
        raise DataError(f"{path}: the embedding cache has no rows")
    if dim == 0:
        raise DataError(f"{path}: the embeddings have no components (dim 0)")
    with np.errstate(over="ignore"):  # float64 past float32's range becomes ±inf: refused below, not warned
        emb = values.to_numpy(zero_copy_only=False).astype(np.float32).reshape(len(col), dim)
    emb = np.ascontiguousarray(emb)
    if validate:
        validate_embeddings(emb, str(path))
    check_unique_states(states, emb, str(path))
    return states, emb, read_provenance(path)


def first_rows(states: Sequence[str]) -> np.ndarray:
    """For each row, the first row that holds the same state."""
    first: dict[str, int] = {}
    return np.fromiter((first.setdefault(s, i) for i, s in enumerate(states)), np.int64, len(states))


def check_unique_states(states: Sequence[str], emb: np.ndarray, where: str) -> None:
    """A state stored twice must have one vector: two different ones mean the cache mixes encodings."""
    first = first_rows(states)
    again = np.nonzero(first != np.arange(len(states)))[0]
    if len(again) == 0:
        return
    differs = again[np.any(emb[again] != emb[first[again]], axis=1)]
    if len(differs):
        example = str(states[differs[0]])[:60].replace("\n", "⏎")
        raise DataError(f"{where}: {len(differs)} state(s) appear twice with different vectors (e.g. "
                        f"{example!r}); the cache mixes two encodings: re-encode it into a new file")


def unique_states(states: Sequence[str], emb: np.ndarray) -> tuple[list[str], np.ndarray]:
    """``states`` and their vectors with every state once (its first row kept)."""
    keep = first_rows(states) == np.arange(len(states))
    if keep.all():
        return list(states), emb
    return [s for s, k in zip(states, keep) if k], np.ascontiguousarray(emb[keep])


def check_provenance(expected: dict | None, got: dict | None, what: str, *, missing_ok: bool = False) -> None:
    """Refuse embeddings from another encoder configuration (one line naming the differing field).

    A head trained without provenance (synthetic data, numpy users) accepts anything. A head that
    records its encoder refuses embeddings that record none, unless ``missing_ok`` (bare in-memory
    arrays handed over by a caller who vouches for them)."""
    if expected is None:
        return
    if got is None:
        if missing_ok:
            return
        raise ProvenanceError(f"{what}: records no encoder provenance, but the checkpoint was trained on "
                              f"'{expected.get('model')}' embeddings; encode the states with `qed encode` "
                              "using the checkpoint's encoder")
    for key in PROVENANCE_FIELDS:
        a, b = provenance_value(expected, key), provenance_value(got, key)
        if a is not None and b is not None and str(a) != str(b):
            raise ProvenanceError(f"{what}: encoder {key} differs (checkpoint: {a!r}, embeddings: {b!r}); "
                                  "re-encode with the checkpoint's encoder or retrain")


def shard_dir(output: str | Path) -> Path:
    """Where unfinished shards of the cache ``output`` live (a killed ``qed encode``, or embeddings
    that a search computed): the next encode into ``output`` counts them as cached and merges them."""
    output = Path(output)
    return output.with_name(output.name + ".partial")


def write_shard(output: str | Path, name: str, states: Sequence[str], emb: np.ndarray,
                provenance: dict | None) -> Path:
    """Write one shard beside the cache ``output`` (atomically, under a caller-chosen unique name)."""
    path = shard_dir(output) / f"shard-{name}.parquet"
    write_embeddings(path, states, emb, provenance)
    return path


def read_shards(output: str | Path, provenance: dict | None) -> tuple[list[str], list[np.ndarray]]:
    """The unfinished shards beside the cache ``output``; shards from another encoder are refused."""
    directory = shard_dir(output)
    states: list[str] = []
    vecs: list[np.ndarray] = []
    if not directory.is_dir():
        return states, vecs
    seen: set[str] = set()
    for shard in sorted(directory.glob("shard-*.parquet")):
        try:
            prov = read_provenance(shard)
            s, v, _ = read_embeddings(shard)
        except DataError:
            raise DataError(f"{output}: an unfinished run into it left a damaged shard; pass --overwrite "
                            "to start afresh") from None
        if provenance is not None and prov is not None:
            try:
                check_provenance(provenance, prov, str(shard))
            except ProvenanceError:
                raise ProvenanceError(f"{output}: an unfinished run into it used another encoder; repeat its "
                                      "settings, or pass --overwrite to start afresh") from None
        fresh = [i for i, x in enumerate(s) if x not in seen]  # workers may have encoded a state twice
        seen.update(s)
        if len(fresh) < len(s):
            s, v = [s[i] for i in fresh], v[fresh]
        if s:
            states.extend(s)
            vecs.append(v)
    return states, vecs
