"""Every result and refusal code has an English and a Chinese message, from one catalogue that no import changes."""

from __future__ import annotations

import ast
import json
import string
import subprocess
import sys
from pathlib import Path

import pytest

import floor
from floor.core import messages
from floor.core.message_tables import people, sales

SOURCES = Path(floor.__file__).parent
ROOT = SOURCES.parent

# Built with a result code first (not refusals): the scan results.
RESULTS = ("Outcome",)


def _name(node: ast.expr) -> str | None:
    """`Name` of `Name(...)` and of `module.Name(...)`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _refusal_classes(trees: dict[Path, ast.Module]) -> tuple[set[str], set[str]]:
    """The names of Refusal and of every class of floor that derives from it, read from the source; and those of
    them whose `__init__` takes something else than the code first (`NotAllowed(action, ...)`)."""
    bases: dict[str, set[str]] = {}
    not_code_first: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(filter(None, map(_name, node.bases)))
                for init in (f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"):
                    if [a.arg for a in (*init.args.posonlyargs, *init.args.args)][1:2] != ["code"]:
                        not_code_first.add(node.name)
    found = {"Refusal"}
    grew = True
    while grew:
        more = {cls for cls, of in bases.items() if of & found} - found
        found |= more
        grew = bool(more)
    return found, not_code_first


def _result_codes() -> set[tuple[str, str]]:
    """(file, code) for every literal code a result or a refusal of floor is built with: `Reject("code", ...)`,
    `super().__init__("code", ...)` in a refusal class, `code = "code"` in its body."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in SOURCES.rglob("*.py")}
    refusals, not_code_first = _refusal_classes(trees)
    found = set()
    for path, tree in trees.items():
        where = str(path.relative_to(SOURCES))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name in refusals):
            for node in ast.walk(cls):
                init = isinstance(node, ast.Call) and ast.unparse(node.func) == "super().__init__"
                if (
                    init
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    found.add((where, node.args[0].value))
            for stmt in cls.body:
                target = stmt.target if isinstance(stmt, ast.AnnAssign) else None
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    target = stmt.targets[0]
                value = getattr(stmt, "value", None)
                is_code = isinstance(target, ast.Name) and target.id == "code" and isinstance(value, ast.Constant)
                if is_code and cls.name != "Refusal":  # the base's placeholder, never raised as such
                    found.add((where, value.value))  # type: ignore[union-attr]
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and _name(node.func) in (refusals - not_code_first) | set(RESULTS)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add((where, node.args[0].value))
    return found


def test_the_collector_sees_refusal_subclasses():
    """GIVEN the source THEN refusals built through a subclass of a subclass (PinError, Refused, NotAllowed) count."""
    codes = {code for _where, code in _result_codes()}
    assert {"bad_pin", "station_denied", "role_denied", "unknown_part", "no_sell_price"} <= codes


def test_every_result_code_has_both_languages():
    """GIVEN all results and refusals raised in floor WHEN their codes are collected THEN each renders to distinct
    en and zh text."""
    codes = _result_codes()
    assert len(codes) > 300  # the collector found the refusals at all
    missing = sorted(f"{where}: {code}" for where, code in codes if not messages.known(code))
    assert missing == []
    for _where, code in codes:
        en, zh = messages.render(code, {})
        assert en and zh and en != code, code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{code}: no Chinese in {zh!r}"


def test_every_message_renders_as_the_full_path_does() -> None:
    """GIVEN every code, with all its fields given, or a role, an action, a mode or a status among them
    WHEN rendered THEN the text is the one the full path (derived values, '?' for missing) gives."""
    samples: list[dict[str, object]] = [
        {},
        {"role": "technician", "action": "issue", "allowed": ["storekeeper"], "mode": "ISSUE", "status": "open"},
    ]
    checked = 0
    for code, (en, zh) in sorted(messages.CATALOGUE.items()):
        names = {n for t in (en, zh) for _x, n, _s, _c in string.Formatter().parse(t) if n}
        for extra in samples:
            params = {**{n: f"<{n}>" for n in names}, **extra}
            assert messages.render(code, params) == messages.render_full(en, zh, params), code
            some = dict(list(params.items())[: len(params) // 2])  # fields missing: the full path's '?'
            assert messages.render(code, some) == messages.render_full(en, zh, some), code
            checked += 1
    assert checked > 200


def test_a_code_defined_twice_fails_loudly():
    """GIVEN two tables that define one code (with another text, or even the same) WHEN joined THEN an error names
    the code and both tables; the catalogue itself joins without one."""
    other = {"no_sell_price": ("No price", "无价格")}
    with pytest.raises(ValueError, match=r"'no_sell_price' is defined in 'sales' and in 'repair'"):
        messages.join((("sales", sales.MESSAGES), ("repair", other)))
    with pytest.raises(ValueError, match="defined in 'people' and in 'people again'"):
        messages.join((("people", people.MESSAGES), ("people again", people.MESSAGES)))
    assert len(messages.join(messages.TABLES)) == sum(len(table) for _name, table in messages.TABLES)


def test_nothing_adds_to_the_catalogue_at_run_time():
    """GIVEN the catalogue WHEN a code is added to it THEN it refuses: it is read-only."""
    with pytest.raises(TypeError):
        messages.CATALOGUE["new_code"] = ("New", "新")  # type: ignore[index]


def test_importing_only_the_catalogue_gives_every_code():
    """GIVEN a fresh interpreter that imports floor.core.messages and nothing else of floor WHEN every code raised in
    floor is looked up THEN each has its two texts, and the catalogue is the one this process (which imported the
    whole suite's modules) holds; role and action names are derived as well."""
    codes = sorted({code for _where, code in _result_codes()})
    script = (
        "import json, sys\n"
        "from floor.core import messages\n"
        "codes = json.loads(sys.stdin.read())\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('floor.core.'))\n"
        "print(json.dumps({'unknown': [c for c in codes if not messages.known(c)],\n"
        "    'catalogue': {c: list(p) for c, p in messages.CATALOGUE.items()},\n"
        "    'denied': messages.render('role_denied', {'name': 'Li', 'role': 'technician', 'action': 'issue'}),\n"
        "    'handlers': [m for m in loaded if '.scans' in m or 'wiring' in m or m.endswith('handlers')]}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, input=json.dumps(codes), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    fresh = json.loads(done.stdout.strip().splitlines()[-1])
    assert fresh["handlers"] == []  # no handler or wiring module was needed for the look-ups
    assert fresh["unknown"] == []
    assert fresh["catalogue"] == {code: list(pair) for code, pair in messages.CATALOGUE.items()}
    assert fresh["denied"] == list(
        messages.render("role_denied", {"name": "Li", "role": "technician", "action": "issue"})
    )
    assert "Technician" in fresh["denied"][0]
