"""The configuration reference (docs/reference/config.md), generated from the registry of tables and keys.

Every table and key floor.toml may hold is a dataclass field in `floor.config.tables.TABLES`; this page is
written from those classes (their docstrings, field types, defaults and the comment beside each field), so
the reference cannot drift from what the config reader accepts. `floor docs` writes it; a test compares.
"""

from __future__ import annotations

import dataclasses
import inspect
import io
import tokenize
from collections.abc import Mapping
from typing import Any

from floor.config.tables import TABLES

ARRAYS = {"stations", "devices", "printers"}  # written as [[name]]: one table per entry


def _field_comments(cls: type) -> dict[str, str]:
    """The comment on each field's line, or on the lines just above it, in the class's source."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    out: dict[str, str] = {}
    lines = source.splitlines()
    for number, line in enumerate(lines, 1):
        name = line.strip().split(":", 1)[0]
        if not name.isidentifier() or ":" not in line or line.strip().startswith(("def ", "class ", "#")):
            continue
        above: list[str] = []
        back = number - 1
        while back in comments and lines[back - 1].strip().startswith("#"):
            above.insert(0, comments[back])
            back -= 1
        text = " ".join([*above, comments.get(number, "")]).strip()
        if text:
            out.setdefault(name, text)
    return out


def _default(f: dataclasses.Field[Any]) -> str:
    if f.default is not dataclasses.MISSING:
        return "(none)" if f.default is None else f"`{f.default!r}`".replace("'", '"')
    if f.default_factory is not dataclasses.MISSING:
        value = f.default_factory()
        return f"`{value!r}`".replace("'", '"') if value not in ({}, [], ()) else "(empty)"
    return "**required**"


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell (a `|`, even in a code span, would split the cell)."""
    return text.replace("|", "\\|")


def _type(f: dataclasses.Field[Any]) -> str:
    text = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    return f"`{text}`"


def _doc(cls: type, name: str) -> str:
    text = inspect.cleandoc(cls.__doc__ or "").replace("\n", " ")
    prefix = f"[{name}]:"
    return text[len(prefix) :].strip() if text.startswith(prefix) else text


def _table(name: str, cls: type, out: list[str], level: int = 2) -> None:
    title = f"[[{name}]]" if name in ARRAYS else f"[{name}]"
    out += [f"{'#' * level} `{title}`", "", _doc(cls, name), ""]
    comments = _field_comments(cls)
    rows = []
    nested: list[tuple[str, type]] = []
    for f in dataclasses.fields(cls):
        if "flat" in f.metadata:
            keys = ", ".join(f"`{k}`" for k in f.metadata["flat"])
            what = comments.get(f.name, "options of this kind of entry, beside the fixed keys")
            rows.append(f"| {keys} | | | {_cell(what)} |")
            continue
        note = comments.get(f.name, "")
        if "table" in f.metadata:
            nested.append((f"{name}.{f.name}", f.metadata["table"]))
            note = (note + " " if note else "") + f"entries: see `[{name}.{f.name}]` below"
        rows.append(f"| `{f.name}` | {_cell(_type(f))} | {_cell(_default(f))} | {_cell(note)} |")
    if rows:
        out += ["| key | type | default | what it is |", "|---|---|---|---|", *rows, ""]
    for sub_name, sub_cls in nested:
        _table(sub_name, sub_cls, out, level + 1)


def _mapping(name: str, table: Mapping[str, Any], out: list[str]) -> None:
    out += [
        f"## `[{name}]`",
        "",
        "Overrides of the role table: `action = [roles...]`. The actions and their default roles:",
        "",
    ]
    out += ["| action | default roles |", "|---|---|"]
    out += [f"| `{action}` | {', '.join(sorted(roles)) or '(nobody)'} |" for action, roles in sorted(table.items())]
    out.append("")


def markdown() -> str:
    """The whole configuration reference as Markdown."""
    out = [
        "# Configuration reference",
        "",
        "Generated from `floor/config/tables.py` by `floor docs` (do not edit by hand; a test compares).",
        "A key or table not listed here is refused when the config is read, naming the nearest known one.",
        "",
    ]
    for name, table in TABLES.items():
        if isinstance(table, type) and dataclasses.is_dataclass(table):
            _table(name, table, out)
        elif isinstance(table, Mapping):
            _mapping(name, table, out)
    return "\n".join(out).rstrip() + "\n"
