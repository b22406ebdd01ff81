"""Where scan handlers are registered: by code kind, by command verb, by mode for part scans.

The core registers the session and stock handlers; work orders, cores and
counts register theirs from their own modules (see `floor/core/plugins.py`).
"""

from __future__ import annotations

from collections.abc import Callable

from floor.core.catalog import PartInfo
from floor.core.codes import Kind
from floor.core.scanning.context import Outcome, ScanContext

Handler = Callable[[ScanContext], Outcome]
PartHandler = Callable[[ScanContext, PartInfo], Outcome]
Hook = Callable[..., None]

KIND_HANDLERS: dict[Kind, Handler] = {}
COMMAND_HANDLERS: dict[str, Handler] = {}
MODE_HANDLERS: dict[str, PartHandler] = {}
# Modes a station kind may enter; a mode verb elsewhere is rejected.
STATION_MODES: dict[str, set[str]] = {
    "counter": {"ISSUE", "RETURN", "CORE", "MOVE", "RECEIVE"},
    "receiving": {"RECEIVE", "MOVE", "RETURN"},
    "stocktake": {"COUNT", "MOVE"},
    "kiosk": set(),
}
MODE_VERBS = ("ISSUE", "RETURN", "RECEIVE", "MOVE", "CORE", "COUNT")
# Hooks: "issued"(ctx, part, qty, wo, move, outcome), "returned"(ctx, part, qty, wo, move, outcome),
# "received"(ctx, part, qty, location, move, outcome), "undone"(ctx, event_id),
# "batch_parts"(session, cache, part_ids): a batch's parts, before its first scan (to read ahead in one query)
HOOKS: dict[str, list[Hook]] = {"issued": [], "returned": [], "received": [], "undone": [], "batch_parts": []}


def on_kind(kind: Kind) -> Callable[[Handler], Handler]:
    """Register the handler of a code kind."""

    def deco(fn: Handler) -> Handler:
        KIND_HANDLERS[kind] = fn
        return fn

    return deco


def on_command(*verbs: str) -> Callable[[Handler], Handler]:
    """Register the handler of one or more `CMD:` verbs."""

    def deco(fn: Handler) -> Handler:
        for verb in verbs:
            COMMAND_HANDLERS[verb] = fn
        return fn

    return deco


def on_mode(mode: str) -> Callable[[PartHandler], PartHandler]:
    """Register what a part scan does in a mode."""

    def deco(fn: PartHandler) -> PartHandler:
        MODE_HANDLERS[mode] = fn
        return fn

    return deco


def hook(name: str) -> Callable[[Hook], Hook]:
    """Subscribe to a scan-path event (issued, returned, undone)."""

    def deco(fn: Hook) -> Hook:
        HOOKS[name].append(fn)
        return fn

    return deco


def run_hooks(name: str, *args: object) -> None:
    """Call every subscriber of an event, in registration order."""
    for fn in HOOKS[name]:
        fn(*args)
