"""Every result code a handler can produce has an English and a Chinese message."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import floor
from floor.core import messages, wiring
from floor.core.counts import approval, plans
from floor.core.receiving import deliveries
from floor.core.returns import customer, supplier
from floor.core.scanning import engine
from floor.core.workorders import handover, reception

# Imported for the messages they register: every scan handler, the engine, the count rules.
REGISTERING = (wiring, engine, approval, plans, deliveries, customer, supplier, handover, reception)

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
                and node.func.id
                in (
                    "Reject",
                    "Outcome",
                    "CodeError",
                    "StockFlowError",
                    "WorkOrderError",
                    "CountError",
                    "SaleError",
                    "DemandError",
                )
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


def test_every_message_renders_as_the_full_path_does() -> None:
    """GIVEN every registered code, with all its fields given, or a role, an action, a mode or a status among them
    WHEN rendered THEN the text is the one the full path (derived values, '?' for missing) gives."""
    from floor.core.messages import _MESSAGES, render_full

    samples: list[dict[str, object]] = [
        {},
        {"role": "technician", "action": "issue", "allowed": ["storekeeper"], "mode": "ISSUE", "status": "open"},
    ]
    checked = 0
    for code, (en, zh) in sorted(_MESSAGES.items()):
        names = {n for t in (en, zh) for _x, n, _s, _c in string.Formatter().parse(t) if n}
        for extra in samples:
            params = {**{n: f"<{n}>" for n in names}, **extra}
            assert messages.render(code, params) == render_full(en, zh, params), code
            some = dict(list(params.items())[: len(params) // 2])  # fields missing: the full path's '?'
            assert messages.render(code, some) == render_full(en, zh, some), code
            checked += 1
    assert checked > 200
