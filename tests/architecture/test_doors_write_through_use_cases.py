"""The kiosk writes only through use cases: no kiosk module opens a write transaction itself.

Every act both doors offer is one function in floor/application that opens its transaction, asks the door's gate who
acts, calls the core and audits (docs/ARCHITECTURE.md); the kiosk page only parses the form and answers. A page that
opened `db.writing()` itself would be a second way through the same act.
"""

from __future__ import annotations

import ast
from pathlib import Path

KIOSK = Path(__file__).resolve().parents[2] / "floor" / "kiosk"


def _writes(source: str) -> list[int]:
    """Lines that call `.writing(` on anything (a Database's write transaction)."""
    tree = ast.parse(source)
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "writing"
    ]


def test_the_check_finds_a_write_transaction():
    """GIVEN a page function that opens a write WHEN checked THEN its line is named (the check can fail)."""
    assert _writes("def page():\n    with fa.db.writing() as s:\n        pass\n") == [2]
    assert _writes("def page():\n    with fa.db.reading() as s:\n        pass\n") == []


def test_no_kiosk_module_opens_a_write_transaction():
    """GIVEN every module of floor/kiosk WHEN read THEN none calls `.writing(`: its writes go through floor.application."""
    found = {
        str(path.relative_to(KIOSK.parent.parent)): lines
        for path in sorted(KIOSK.rglob("*.py"))
        if (lines := _writes(path.read_text(encoding="utf-8")))
    }
    assert not found, f"kiosk modules opening their own write transaction (use a floor.application use case): {found}"
