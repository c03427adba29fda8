"""Strict config loading: TOML tables → frozen dataclasses. Unknown keys and wrong types are errors.

The defaults live in the dataclasses. A TOML file names only what it changes, and may start from
another file: a top-level ``base = "other.toml"`` (relative to the file's own folder) loads that file
first and lays this one's keys over it, table by table (``configs/iterate.toml`` is
``configs/demo.toml`` with three rounds). Bases chain; a cycle is an error.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from pathlib import Path
from typing import Any, TypeVar

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from qedjax.errors import ConfigError

T = TypeVar("T")


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
    validate = getattr(obj, "validate", None)
    if validate is not None:
        try:
            validate()
        except ValueError as e:
            raise ConfigError(f"{where}: {e}") from None
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


def read_toml(path: str | Path, _seen: tuple[Path, ...] = ()) -> dict:
    """A TOML file's tables with its ``base`` chain resolved: the base's tables, this file's laid over."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"config file not found: {p}" + (f" (the base of {_seen[-1]})" if _seen else ""))
    if p.resolve() in _seen:
        raise ConfigError(f"{p}: base files form a cycle ({' -> '.join(map(str, (*_seen, p.resolve())))})")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{p}: invalid TOML ({e})") from None
    base = data.pop(BASE_KEY, None)
    if base is None:
        return data
    if not isinstance(base, str) or not base:
        raise ConfigError(f"{p}: '{BASE_KEY}' must be the path of another TOML file")
    return _merge(read_toml(p.parent / Path(base).expanduser(), (*_seen, p.resolve())), data)


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


def replace_path(obj: T, dotted: str, value: Any) -> T:
    """Return a copy of a nested frozen dataclass with ``a.b`` set to ``value`` (type-checked)."""
    head, _, rest = dotted.partition(".")
    if not any(f.name == head for f in dataclasses.fields(obj)):
        raise ConfigError(f"unknown config key '{dotted}'")
    if rest:
        return dataclasses.replace(obj, **{head: replace_path(getattr(obj, head), rest, value)})
    hints = typing.get_type_hints(type(obj))
    new = dataclasses.replace(obj, **{head: _coerce(value, hints[head], dotted)})
    validate = getattr(new, "validate", None)
    if validate is not None:
        try:
            validate()
        except ValueError as e:
            raise ConfigError(f"{dotted}: {e}") from None
    return new
