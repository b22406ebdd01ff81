"""The modules of floor's packages and the import statements in them, read from the source (no import)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("floor", "hardware_sim")


@dataclass(frozen=True)
class Import:
    """One module named by an import statement: where the statement is and what it says."""

    importer: str
    imported: str
    line: int
    text: str


def module_files(package: str) -> dict[str, Path]:
    """Dotted name -> file of every module of the package; folders without `__init__.py` (Alembic's scripts) are not."""
    found: dict[str, Path] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if not all((ROOT.joinpath(*parts[:i]) / "__init__.py").exists() for i in range(1, len(parts))):
            continue
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _named(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, str | None]]:
    """(module, name) pairs a statement names, relative imports resolved; `name` is None for `import x.y`."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name, None
        return
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    for alias in node.names:
        yield base, alias.name


def imports(modules: dict[str, Path]) -> list[Import]:
    """Every import of one of `modules` by another, wherever the statement is: module level, in a function, under
    `TYPE_CHECKING`. `from p import x` names `p` (its `__init__` runs and `x` is read from it) and `p.x` if
    that is a module; `import p.x` names `p.x`."""
    found: list[Import] = []
    for module, path in modules.items():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for base, name in _named(module, is_package, node):
                targets = [base] if name is None or f"{base}.{name}" not in modules else [base, f"{base}.{name}"]
                for target in targets:
                    while target and target not in modules:  # `import floor.core.x.Name`: the module part
                        target = target.rpartition(".")[0]
                    if target and target != module:
                        found.append(Import(module, target, node.lineno, lines[node.lineno - 1].strip()))
    return found
