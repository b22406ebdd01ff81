"""Import modules in this fresh interpreter and report every change a module's import made outside that module.

Run as `python -m tests.architecture.import_effects [--watch PACKAGE,...] [module ...]` (default: every module of
floor but the entry points, which build an app from FLOOR_CONFIG by design). An import hook runs a check
right after each module of a watched package has executed, nested imports included, so the module that made
a change is named, whatever imported it. Watched:
- SQLAlchemy's event registry: the listeners written in a watched package, on any target (a session's
  flush, an engine's connect, ...);
- the messages catalogue (`floor.core.messages.CATALOGUE`, `DERIVED`) and the scan wiring
  (`floor.core.wiring.SCAN_WIRING`), once loaded;
- every dict, list and set at module level of each watched module executed before: another module's table
  filled by an import (`helpers.MODE_NAMES.setdefault(...)` in a page module, `wiring.KINDS[...] = ...`).
Prints one JSON object: {"modules": n, "executed": n, "changed": {module: [what, ...]}, "failed": {module: error}}.
"""

from __future__ import annotations

import importlib
import importlib.abc
import json
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from functools import partial
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINTS = ("floor.wsgi", "floor.asgi")  # they build the app (and open its database) on import: their job


def _named(fn: Any) -> str:
    if isinstance(fn, partial):
        return f"partial({_named(fn.func)}, {sorted((k, _named(v)) for k, v in fn.keywords.items())})"
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


class Watcher:
    """The registries' state, read again after each watched module executes; what changed is put on that module."""

    def __init__(self, packages: Sequence[str]) -> None:
        self.packages = tuple(packages)
        self.changed: dict[str, list[str]] = {}
        self.executed = 0
        self.sizes: dict[str, int] = {}  # `module.name` -> entries, as its module (or the last change) left it
        self.state = self._registries()

    def watched(self, name: str) -> bool:
        """True for a module of a watched package."""
        return name.split(".")[0] in self.packages

    def _events(self) -> list[str]:
        """`event: function` of each listener SQLAlchemy holds that was written in a watched package."""
        registry = sys.modules.get("sqlalchemy.event.registry")
        if registry is None:
            return []
        keys: dict[Any, str] = {}
        for listeners in list(registry._collection_to_key.values()):
            for listener, key in list(listeners.items()):
                fn = listener()
                if fn is not None and self.watched(str(getattr(fn, "__module__", ""))):
                    keys[key] = f"{key[1]}: {_named(fn)}"
        return sorted(keys.values())

    def _registries(self) -> dict[str, Any]:
        state: dict[str, Any] = {"SQLAlchemy listeners": self._events()}
        messages = sys.modules.get("floor.core.messages")
        if messages is not None and hasattr(messages, "DERIVED"):
            state["the messages catalogue"] = (dict(messages.CATALOGUE), [_named(fn) for fn in messages.DERIVED])
        wiring = sys.modules.get("floor.core.wiring")
        if wiring is not None and hasattr(wiring, "SCAN_WIRING"):
            w = wiring.SCAN_WIRING
            state["the scan wiring"] = [
                sorted((str(k), _named(v)) for table in (w.kinds, w.commands, w.modes) for k, v in table.items()),
                {name: [_named(fn) for fn in fns] for name, fns in vars(w.hooks).items()},
                sorted((k, sorted(v)) for k, v in w.station_modes.items()),
            ]
        return state

    def _containers(self, module: ModuleType) -> dict[str, int]:
        return {
            f"{module.__name__}.{attr}": len(value)
            for attr, value in list(vars(module).items())
            if type(value) in (dict, list, set)
        }

    def after(self, module: ModuleType) -> None:
        """`module` has executed: note what it changed outside itself, then take its tables as it left them."""
        self.executed += 1
        found = []
        state = self._registries()
        for what, before in self.state.items():
            if state[what] != before:
                if what == "SQLAlchemy listeners":
                    found.append(f"{what} added: {sorted((Counter(state[what]) - Counter(before)).elements())}")
                else:
                    found.append(f"{what} changed")
        self.state = state
        for name, other in list(sys.modules.items()):
            if other is None or other is module or not self.watched(name):
                continue
            for key, size in self._containers(other).items():
                if key in self.sizes and self.sizes[key] != size:
                    found.append(f"{key} went from {self.sizes[key]} to {size} entries")
                self.sizes[key] = size
        self.sizes.update(self._containers(module))
        if found:
            self.changed.setdefault(module.__name__, []).extend(found)


class _Loader(importlib.abc.Loader):
    """The module's own loader, and the watcher's check once the module has executed."""

    def __init__(self, inner: Any, watcher: Watcher) -> None:
        self._inner = inner
        self._watcher = watcher

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        self._inner.exec_module(module)
        self._watcher.after(module)

    def __getattr__(self, name: str) -> Any:  # get_data, is_package, resource readers: the module's own loader's
        return getattr(self._inner, name)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds a watched module as the other finders do, and hands it the watching loader."""

    def __init__(self, watcher: Watcher) -> None:
        self._watcher = watcher

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> ModuleSpec | None:
        if not self._watcher.watched(fullname):
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _Loader(spec.loader, self._watcher)
                return spec
        return None


def main(packages: Sequence[str], modules: Sequence[str]) -> dict[str, Any]:
    """Import each module with the watcher installed; report what each watched module's import changed."""
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in packages)
    assert not loaded, f"run in a fresh interpreter: {loaded[:5]} are loaded already"
    watcher = Watcher(packages)
    sys.meta_path.insert(0, _Finder(watcher))
    failed: dict[str, str] = {}
    for module in modules:
        try:
            importlib.import_module(module)
        except BaseException as exc:
            failed[module] = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return {"modules": len(modules), "executed": watcher.executed, "changed": watcher.changed, "failed": failed}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from tests.architecture.modules import module_files

    args = sys.argv[1:]
    packages = ["floor"]
    if args[:1] == ["--watch"]:
        packages, args = args[1].split(","), args[2:]
    names = args or [m for m in module_files("floor") if m not in ENTRY_POINTS]
    for name in [m for m in sys.modules if m.split(".")[0] == "tests"]:
        del sys.modules[name]  # this runner's own modules: nothing of theirs is watched
    print(json.dumps(main(packages, names)))
