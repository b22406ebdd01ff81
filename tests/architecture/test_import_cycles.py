"""No import cycle anywhere in floor (or hardware_sim), counting every import statement: those inside
functions and under `TYPE_CHECKING` too, which import-linter's layers cannot order."""

from __future__ import annotations

from collections import defaultdict

from tests.architecture.modules import PACKAGES, Import, imports, module_files


def strongly_connected(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative: the graph is deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return found


def _cycles() -> tuple[list[list[str]], list[Import]]:
    modules = {}
    for package in PACKAGES:
        modules.update(module_files(package))
    found = imports(modules)
    edges: dict[str, set[str]] = defaultdict(set)
    for imp in found:
        edges[imp.importer].add(imp.imported)
    components = strongly_connected(sorted(modules), {m: edges[m] for m in modules})
    return [c for c in components if len(c) > 1], found


def _describe(component: list[str], found: list[Import]) -> str:
    members = set(component)
    inside = sorted({(i.importer, i.line, i.imported, i.text) for i in found if {i.importer, i.imported} <= members})
    lines = [f"    {importer}:{line} -> {imported}    {text}" for importer, line, imported, text in inside]
    return f"a cycle of {len(component)} modules: {', '.join(component)}\n" + "\n".join(lines)


def test_strongly_connected_components_are_found():
    """GIVEN a graph with a three-module loop and a tail WHEN its components are found THEN the loop is one of them."""
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert sorted(strongly_connected(["a", "b", "c", "d"], edges)) == [["a", "b", "c"], ["d"]]


def test_no_import_cycle_in_floor():
    """Every strongly connected component of the import graph is one module: no cycle, not even between the doors."""
    cycles, found = _cycles()
    assert not cycles, "import cycles:\n" + "\n".join(_describe(c, found) for c in cycles)
