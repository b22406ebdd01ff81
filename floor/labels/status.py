"""Asking a printer how it is (~HS) and remembering the last answer per printer."""

from __future__ import annotations

import threading
from typing import Any

from floor import clock
from floor.config import PrinterConfig
from floor.labels.hoststatus import HS_COMMAND, HostStatus, HostStatusError, parse_host_status
from floor.labels.transport import DEFAULT_TIMEOUT, PrinterOffline, Transport, open_transport

_cache: dict[str, dict[str, Any]] = {}
_lock = threading.Lock()


class NoAnswer(PrinterOffline):
    """The printer took the ~HS but did not answer in time: paper out, head open, or a dead printer."""


def query(transport: Transport, timeout: float) -> HostStatus:
    """Send ~HS and parse the answer; raise NoAnswer when nothing (or garbage) comes back in time."""
    transport.write(HS_COMMAND)
    data = transport.read_until_frames(3, timeout)
    try:
        return parse_host_status(data)
    except HostStatusError as exc:
        raise NoAnswer(
            f"no answer to ~HS within {timeout:.1f} s (paper out, head open or switched off?)" if not data else str(exc)
        ) from None


def status_dict(
    name: str, url: str, st: HostStatus | None, error: str | None = None, state: str | None = None
) -> dict[str, Any]:
    """The JSON shape of a printer's status: state is ready, fault, offline or unknown (no back channel)."""
    if state is None:
        state = ("ready" if st.ready else "fault") if st else "fault"
    if st is not None:
        faults = st.faults
    else:
        faults = {"unknown": [], "offline": ["offline"]}.get(state, ["no_answer"])
    return {
        "name": name,
        "url": url,
        "state": state,
        "ready": state == "ready",
        "faults": faults,
        "error": error,
        "formats_in_buffer": st.formats_in_buffer if st else None,
        "checked_at": clock.now().isoformat(),
    }


def remember(name: str, status: dict[str, Any]) -> None:
    """Keep the latest status of a printer (workers call this after each ~HS)."""
    with _lock:
        _cache[name] = status


def cached(name: str) -> dict[str, Any] | None:
    """The last known status of a printer, or None."""
    with _lock:
        return _cache.get(name)


def check_enabled(cfg_printer: PrinterConfig) -> bool:
    """False for printers configured without a back channel (`status = false`)."""
    return bool(cfg_printer.options.get("status", True))


def live_status(cfg_printer: PrinterConfig, timeout: float | None = None) -> dict[str, Any]:
    """Open the printer, ask ~HS, close; a missing answer within the timeout is a fault."""
    timeout = float(timeout if timeout is not None else cfg_printer.options.get("timeout", DEFAULT_TIMEOUT))
    name, url = cfg_printer.name, cfg_printer.url
    try:
        transport = open_transport(url, {**cfg_printer.options, "timeout": timeout})
    except PrinterOffline as exc:
        result = status_dict(name, url, None, str(exc), "offline")
    else:
        try:
            if check_enabled(cfg_printer):
                result = status_dict(name, url, query(transport, timeout))
            else:
                result = status_dict(name, url, None, None, "unknown")
        except NoAnswer as exc:
            result = status_dict(name, url, None, str(exc), "fault")
        except PrinterOffline as exc:
            result = status_dict(name, url, None, str(exc), "offline")
        finally:
            transport.close()
    remember(name, result)
    return result
