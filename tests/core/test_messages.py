"""Every result code a handler can produce has an English and a Chinese message."""

from __future__ import annotations

import ast
from pathlib import Path

import floor
from floor.core import messages, plugins
from floor.core.counts import approval, plans
from floor.core.receiving import deliveries
from floor.core.returns import customer, supplier
from floor.core.scanning import engine

# Imported for the messages they register: every scan handler, the engine, the count rules.
REGISTERING = (plugins, engine, approval, plans, deliveries, customer, supplier)

SOURCES = Path(floor.__file__).parent


def _result_codes() -> set[tuple[str, str]]:
    """(file, code) for every literal first argument of a result or a coded domain error."""
    found = set()
    for path in SOURCES.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("Reject", "Outcome", "CodeError", "StockFlowError", "WorkOrderError", "CountError")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add((str(path.relative_to(SOURCES)), node.args[0].value))
    return found


def test_every_result_code_has_both_languages():
    """GIVEN all handlers WHEN their result codes are collected THEN each renders to distinct en and zh text."""
    codes = _result_codes()
    assert len(codes) > 40  # the collector found the handlers at all
    missing = sorted(f"{where}: {code}" for where, code in codes if not messages.known(code))
    assert missing == []
    for _where, code in codes:
        en, zh = messages.render(code, {})
        assert en and zh and en != code, code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{code}: no Chinese in {zh!r}"
