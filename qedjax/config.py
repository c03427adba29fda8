"""Strict config loading: TOML tables → frozen dataclasses. Unknown keys and wrong types are errors.

The defaults live in the dataclasses. A TOML file names only what it changes, and may start from
another file: a top-level ``base = "other.toml"`` (relative to the file's own folder) loads that file
first and lays this one's keys over it, table by table (``configs/iterate.toml`` is
``configs/demo.toml`` with three rounds). Bases chain; a cycle is an error.

This is the one validation layer for settings, whether they come from a TOML key or a command-line flag
(the CLI builds its option types from the same fields: ``qedjax_cli.common.setting_type``):

* every number is checked against its field's :class:`Range` (``setting(default, ge=…, le=…)`` in the
  dataclass) before it is used; a field without one gets the default for its type: integers are counts,
  sizes, steps or seeds in [0, 2⁶³), floats are finite and at most 10¹⁵ in magnitude;
* then the class's own ``validate()`` checks combinations (e.g. weights against temperatures);
* then a class with ``memory_needed()`` is refused when what it names cannot fit in this machine's
  memory, with the amount it would need (a batch of 10¹² rows fails here, not in the allocator).
"""

from __future__ import annotations

import dataclasses
import math
import os
import typing
from pathlib import Path
from typing import Any, TypeVar

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from qedjax.errors import ConfigError
from qedjax.io import not_text, read_text

T = TypeVar("T")

INT64_END = 2**63  # first integer past int64: numpy, JAX and Parquet hold nothing beyond it
FLOAT_LIMIT = 1e15  # no setting means anything past this magnitude (e.g. 1e15 s is 30 million years)


@dataclasses.dataclass(frozen=True)
class Range:
    """The accepted values of one numeric setting (``None``: unbounded on that side)."""

    min: float | None = None
    max: float | None = None
    min_open: bool = False
    max_open: bool = False

    def contains(self, value: float) -> bool:
        if self.min is not None and (value <= self.min if self.min_open else value < self.min):
            return False
        if self.max is not None and (value >= self.max if self.max_open else value > self.max):
            return False
        return True

    def describe(self) -> str:
        lo = "" if self.min is None else ("> " if self.min_open else ">= ") + _num(self.min)
        hi = "" if self.max is None else ("< " if self.max_open else "<= ") + _num(self.max)
        if lo and hi:
            return f"in {'(' if self.min_open else '['}{_num(self.min)}, {_num(self.max)}{')' if self.max_open else ']'}"
        return lo or hi or "any number"


def _num(x: float) -> str:
    if isinstance(x, int) and abs(x) >= 10**6:
        if x > 0 and x & (x - 1) == 0:
            return f"2**{x.bit_length() - 1}"
        return f"{x:.3g}"
    return f"{x:g}" if isinstance(x, float) else str(x)


INT_DEFAULT = Range(0, INT64_END, max_open=True)  # counts, sizes, steps and seeds
FLOAT_DEFAULT = Range(-FLOAT_LIMIT, FLOAT_LIMIT)
SEED = Range(0, INT64_END, max_open=True)


def setting(default: Any = dataclasses.MISSING, *, ge: float | None = None, gt: float | None = None,
            le: float | None = None, lt: float | None = None, default_factory: Any = dataclasses.MISSING,
            ) -> Any:
    """A dataclass field with the range its value (or each element of a tuple value) must lie in."""
    rng = Range(gt if gt is not None else ge, lt if lt is not None else le, min_open=gt is not None,
                max_open=lt is not None)
    return dataclasses.field(default=default, default_factory=default_factory, metadata={"range": rng})


def numeric_type(tp: Any) -> Any:
    """int or float for a numeric field (tuples of them, optional ones), else None."""
    origin = typing.get_origin(tp)
    if origin in (tuple, list):
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        return numeric_type(args[0]) if args else None
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        found = {numeric_type(a) for a in typing.get_args(tp) if a is not type(None)}
        return found.pop() if len(found) == 1 else None
    return tp if tp in (int, float) else None


def field_range(field: dataclasses.Field, tp: Any) -> Range | None:
    """The range a field's numbers must lie in: its own (``setting``), else its type's default."""
    base = numeric_type(tp)
    if base is None:
        return None
    own = field.metadata.get("range")
    if own is not None:
        return own
    return INT_DEFAULT if base is int else FLOAT_DEFAULT


def check_range(value: Any, rng: Range | None, where: str) -> None:
    if rng is None or value is None or isinstance(value, bool):
        return
    if isinstance(value, (tuple, list)):
        for i, v in enumerate(value):
            check_range(v, rng, f"{where}[{i}]")
        return
    if not isinstance(value, (int, float)):
        return
    if isinstance(value, int) and not -INT64_END <= value < INT64_END:
        raise ConfigError(f"{where}: {_num(value)} does not fit in 64 bits (must be {rng.describe()})")
    if not rng.contains(value):
        raise ConfigError(f"{where}: {value!r} is out of range (must be {rng.describe()})")


def _field(cls: type, name: str) -> tuple[dataclasses.Field, Any]:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    if name not in fields:
        raise ConfigError(f"unknown config key '{name}' (known: {', '.join(fields)})")
    return fields[name], typing.get_type_hints(cls)[name]


def resolve_field(cls: type, dotted: str) -> tuple[dataclasses.Field, Any]:
    """The dataclass field named by ``a.b.c`` under ``cls``, and its type."""
    head, _, rest = dotted.partition(".")
    f, tp = _field(cls, head)
    if rest:
        if not dataclasses.is_dataclass(tp):
            raise ConfigError(f"unknown config key '{dotted}'")
        return resolve_field(tp, rest)
    return f, tp


def check_value(cls: type, dotted: str, value: Any, where: str | None = None) -> Any:
    """``value`` coerced to the type of field ``dotted`` of ``cls`` and checked against its range (not
    against the other fields: :func:`check_config` does that on the whole config)."""
    f, tp = resolve_field(cls, dotted)
    where = dotted if where is None else where
    out = _coerce(value, tp, where)
    check_range(out, field_range(f, tp), where)
    return out


def available_memory() -> int:
    """Bytes of memory this machine has (physical RAM; ``QEDJAX_MEMORY_BYTES`` overrides it)."""
    override = os.environ.get("QEDJAX_MEMORY_BYTES")
    if override:
        try:
            value = float(override)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value >= 1):  # "inf" overflowed int(); "-5" or "0" refused everything
            raise ConfigError(f"QEDJAX_MEMORY_BYTES={override!r} is not a positive number of bytes (unset it "
                              "to use this machine's memory)")
        return int(value)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 1 << 50


def bytes_text(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if abs(n) < 1024 or unit == "EiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} EiB"


def check_memory(what: str, needed: float, where: str, limit: int | None = None) -> None:
    """Refuse ``what`` when it needs more than this machine's memory (``limit``: another bound)."""
    have = available_memory() if limit is None else limit
    if needed > have:
        raise ConfigError(f"{where}: {what} would need {bytes_text(needed)} of memory; this machine has "
                          f"{bytes_text(have)}")


def check_config(obj: Any, where: str) -> None:
    """Every rule of a config object, nested ones first: field ranges, ``validate()`` (combinations),
    ``memory_needed()`` (sizes that cannot fit). Raises :class:`ConfigError` naming ``where``."""
    hints = typing.get_type_hints(type(obj))
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            check_config(value, f"{where}.{f.name}")
        else:
            check_range(value, field_range(f, hints[f.name]), f"{where}.{f.name}")
    validate = getattr(obj, "validate", None)
    if validate is not None:
        try:
            validate()
        except (ValueError, ConfigError) as e:  # a lookup inside validate() may raise a ConfigError itself
            text = str(e)
            raise ConfigError(text if text.startswith(f"{where}") else f"{where}: {text}") from None
    memory = getattr(obj, "memory_needed", None)
    if memory is not None:
        need = memory()
        if need is not None:
            check_memory(need[0], need[1], where)


def _coerce(value: Any, tp: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table, got {type(value).__name__}")
        return from_dict(tp, value, where)
    if origin in (tuple, list):
        args = typing.get_args(tp)
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: expected a list, got {type(value).__name__}")
        inner = args[0] if args else Any
        return tuple(_coerce(v, inner, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is typing.Literal:
        if value not in typing.get_args(tp):
            raise ConfigError(f"{where}: {value!r} is not one of {', '.join(map(repr, typing.get_args(tp)))}")
        return value
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        for a in args:
            if a is type(None):
                continue
            try:
                return _coerce(value, a, where)
            except ConfigError:
                continue
        raise ConfigError(f"{where}: invalid value {value!r}")
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        if not math.isfinite(value):
            raise ConfigError(f"{where}: expected a finite number, got {value!r}")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        return value
    if tp is dict or typing.get_origin(tp) is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table, got {value!r}")
        return value
    return value


def from_dict(cls: type[T], data: dict, where: str = "config") -> T:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = [k for k in data if k not in fields]
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(fields)})")
    data = dict(data)
    for k, v in data.items():
        default = _field_default(fields[k])
        if isinstance(v, dict) and dataclasses.is_dataclass(default) and not isinstance(default, type):
            # a table lays its keys over the field's own default (e.g. the demo's search settings),
            # not over the nested class's bare defaults
            data[k] = _merge(to_dict(default), v)
        elif isinstance(v, dict) and isinstance(default, dict):
            data[k] = _merge(default, v)  # a free-form table (e.g. [encoder]) over its default keys
    kwargs = {k: _coerce(v, hints[k], f"{where}.{k}") for k, v in data.items()}
    try:
        obj = cls(**kwargs)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{where}: {e}") from None
    check_config(obj, where)
    return obj


def _field_default(field: dataclasses.Field):
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def _merge(base: dict, over: dict) -> dict:
    """``over`` laid onto ``base``, tables merged key by key (unknown keys are kept, to be refused)."""
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_toml(cls: type[T], path: str | Path | None) -> T:
    """Load ``cls`` from a TOML file (defaults where keys are absent); None → all defaults."""
    if path is None:
        return from_dict(cls, {}, cls.__name__)
    p = Path(path)
    return from_dict(cls, read_toml(p), str(p))


BASE_KEY = "base"
MAX_BASE_DEPTH = 64  # files in one base chain: deeper is a generated loop, not a config


def read_toml(path: str | Path, _seen: tuple[Path, ...] = ()) -> dict:
    """A TOML file's tables with its ``base`` chain resolved: the base's tables, this file's laid over.
    A base path is relative to the folder of the file that names it (of the file itself, where the
    config given is a symbolic link to it: what its text means does not depend on how it is reached)."""
    p = Path(path)
    base = f" (the base of {_seen[-1]})" if _seen else ""
    if p.is_dir():
        raise ConfigError(f"{p}: is a directory{base}; expected a TOML config file")
    if not p.is_file():
        if p.exists():  # a pipe or a device such as /dev/null
            raise ConfigError(f"{p}: not a regular file{base}; expected a TOML config file")
        raise ConfigError(f"config file not found: {p}{base}")
    if p.resolve() in _seen:
        raise ConfigError(f"{p}: base files form a cycle ({' -> '.join(map(str, (*_seen, p.resolve())))})")
    try:
        data = tomllib.loads(read_text(p))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{p}: invalid TOML ({e})") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{p}: {not_text(p, e)}; a TOML file is UTF-8 text") from None
    base = data.pop(BASE_KEY, None)
    if base is None:
        return data
    if not isinstance(base, str) or not base:
        raise ConfigError(f"{p}: '{BASE_KEY}' must be the path of another TOML file")
    if len(_seen) >= MAX_BASE_DEPTH:
        raise ConfigError(f"{p}: its base chain is more than {MAX_BASE_DEPTH} files long (from {_seen[0]})")
    folder = p.resolve().parent if p.is_symlink() else p.parent
    return _merge(read_toml(folder / Path(base).expanduser(), (*_seen, p.resolve())), data)


def to_dict(obj) -> dict:
    def conv(v):
        if dataclasses.is_dataclass(v):
            return {f.name: conv(getattr(v, f.name)) for f in dataclasses.fields(v)}
        if isinstance(v, tuple):
            return [conv(x) for x in v]
        return v
    return conv(obj)


def overlay(obj: T, table: dict, where: str = "config") -> T:
    """``obj`` (a config dataclass) with ``table``'s keys laid over it, as a config file's would be."""
    return from_dict(type(obj), _merge(to_dict(obj), table), where)


def replace_path(obj: T, dotted: str, value: Any, where: str | None = None) -> T:
    """Return a copy of a nested frozen dataclass with ``a.b`` set to ``value``, checked as a TOML key
    would be (type, range, then the whole config's combinations and memory); errors name ``where``
    (default: the dotted key)."""
    where = dotted if where is None else where
    new = _replace(obj, dotted, check_value(type(obj), dotted, value, where))
    check_config(new, where)
    return new


def _replace(obj: Any, dotted: str, value: Any) -> Any:
    head, _, rest = dotted.partition(".")
    if rest:
        return dataclasses.replace(obj, **{head: _replace(getattr(obj, head), rest, value)})
    return dataclasses.replace(obj, **{head: value})
