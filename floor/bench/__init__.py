"""The benchmark suite behind `floor bench`: each `bench_<area>.py` module's `run()` returns figures."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import time
import traceback
from collections.abc import Callable
from typing import Any

AREAS_FIRST = ("core",)


def areas() -> list[str]:
    """Every benchmark area, core first."""
    found = [m.name[len("bench_") :] for m in pkgutil.iter_modules(__path__) if m.name.startswith("bench_")]
    return sorted(found, key=lambda a: (a not in AREAS_FIRST, a))


def run_all(
    only: list[str] | None = None, quick: bool = False, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Run the chosen areas; a failing area reports its error instead of figures."""
    figures: dict[str, Any] = {}
    for area in areas():
        if only and area not in only:
            continue
        if progress:
            progress(f"bench {area} …")
        started = time.perf_counter()
        try:
            # Declared plugin loading: every bench_<area>.py in this package is an area, found by
            # name so a new area needs no registration (and a broken one cannot stop the others).
            module = importlib.import_module(f"floor.bench.bench_{area}")
            kwargs = {"quick": quick} if "quick" in inspect.signature(module.run).parameters else {}
            figures.update(module.run(**kwargs))
        except Exception as exc:  # one broken area must not hide the others' figures
            figures[f"{area}_error"] = f"{type(exc).__name__}: {exc}"
            if progress:
                progress(traceback.format_exc())
        figures[f"{area}_bench_s"] = round(time.perf_counter() - started, 2)
    return figures


def failed_areas(figures: dict[str, Any]) -> list[str]:
    """The areas whose run reported `<area>_error` instead of figures (`floor bench` then exits non-zero)."""
    return [area for area in areas() if f"{area}_error" in figures]
