"""The known-keys check: a table or key no config dataclass of `TABLES` declares is refused, with a did-you-mean."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from floor.config.model import ConfigError
from floor.config.tables import TABLES


def _schema(ref: type | Mapping[str, Any]) -> type | Mapping[str, Any]:
    if isinstance(ref, Mapping):
        return ref
    assert isinstance(ref, type) and is_dataclass(ref), f"{ref!r} is not a config dataclass"
    return ref


def _known(schema: type | Mapping[str, Any]) -> dict[str, Any]:
    """Key -> nested schema (or None) for every key a table of this dataclass (or mapping) may hold."""
    if isinstance(schema, Mapping):  # keys named elsewhere, values checked by the parser
        return dict.fromkeys(schema)
    keys: dict[str, Any] = {}
    for f in fields(schema):
        if "flat" in f.metadata:
            keys.update(dict.fromkeys(f.metadata["flat"]))
        elif "named_tables" in f.metadata:
            keys[f.name] = _Named(f.metadata["named_tables"])
        elif f.metadata.get("strings"):
            keys[f.name] = _OrStrings(f.metadata["table"])
        else:
            keys[f.name] = f.metadata.get("table")
    return keys


@dataclass(frozen=True)
class _OrStrings:
    """A key whose value is an array of bare strings and tables, each table a `schema`."""

    schema: type


@dataclass(frozen=True)
class _Named:
    """A key whose value is a table of tables by name, each a `schema`."""

    schema: type


def _unknown(key: str, known: Any, where: str, what: str = "key") -> ConfigError:
    near = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]!r}?" if near else f"; known: {', '.join(sorted(known))}"
    return ConfigError(f"{where}: unknown {what} {key!r}{hint}")


def _check_table(value: Any, ref: type | Mapping[str, Any], where: str) -> None:
    if isinstance(value, list):  # an array of tables: [[stations]]
        for i, item in enumerate(value):
            name = f" ({item['name']})" if isinstance(item, dict) and isinstance(item.get("name"), str) else ""
            _check_table(item, ref, f"{where} #{i + 1}{name}")
        return
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    known = _known(_schema(ref))
    for key, sub in value.items():
        if key not in known:
            raise _unknown(key, known, where)
        if isinstance(known[key], _Named):
            if not isinstance(sub, dict):
                raise ConfigError(f"{where}.{key} must be a table of tables by name")
            for name, table in sub.items():
                _check_table(table, known[key].schema, f"{where}.{key}.{name}")
        elif isinstance(known[key], _OrStrings):
            if isinstance(sub, list):  # the strings are the parser's to check; the tables are checked here
                for i, item in enumerate(sub):
                    if isinstance(item, dict):
                        _check_table(item, known[key].schema, f"{where}.{key} #{i + 1}")
        elif known[key] is not None:
            _check_table(sub, known[key], f"{where}.{key}")


def check_known_keys(data: dict[str, Any]) -> None:
    """Refuse any table or key that no config dataclass declares, naming the nearest known one."""
    for name, value in data.items():
        if name not in TABLES:
            raise _unknown(name, TABLES, "config", what="table")
        where = f"[[{name}]]" if isinstance(value, list) else f"[{name}]"
        _check_table(value, TABLES[name], where)
