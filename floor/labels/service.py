"""The labels feature as the rest of floor uses it: render, enqueue, printer status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.orm import Session

from floor.config import PrinterConfig
from floor.labels import queue
from floor.labels.data import load, normalise_id, zone_bins
from floor.labels.kinds import build_label
from floor.labels.model import Label, LabelError
from floor.labels.preview import sheet_png, sheet_svg, to_png, to_svg
from floor.labels.status import cached, live_status
from floor.labels.zpl import to_zpl
from floor.models import PrintJob

if TYPE_CHECKING:
    from floor.labels.worker import PrintWorkers

Format = Literal["zpl", "png", "svg"]
FORMATS = ("zpl", "png", "svg")


class UnknownPrinter(LabelError, LookupError):
    """The printer is not configured."""


def make_label(session: Session, kind: str, object_id: str) -> Label:
    """Lay out the label of one object from the database."""
    return build_label(load(session, kind, object_id))


def render(label: Label, fmt: str = "zpl", cjk_font: str | None = None) -> bytes | str:
    """A laid-out label as ZPL (str), PNG (bytes) or SVG (str)."""
    if fmt == "zpl":
        return to_zpl(label, cjk_font)
    if fmt == "png":
        return to_png(label)
    if fmt == "svg":
        return to_svg(label)
    raise LabelError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")


def render_label(session: Session, kind: str, object_id: str, fmt: str = "zpl") -> bytes | str:
    """Render one object's label: 'zpl' and 'svg' give str, 'png' gives bytes."""
    if fmt not in FORMATS:
        raise LabelError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    return render(make_label(session, kind, object_id), fmt)


def render_sheets(session: Session, kind: str, object_ids: list[str], fmt: str = "png") -> list[bytes] | list[str]:
    """Many labels on A4 sheets (PNG or SVG, one document per sheet), e.g. to print on an office printer."""
    labels = [make_label(session, kind, oid) for oid in object_ids]
    if fmt == "png":
        return sheet_png(labels)
    if fmt == "svg":
        return sheet_svg(labels)
    raise LabelError(f"sheets come as png or svg, not {fmt!r}")


def _check_printer(printer: str, printers: dict[str, PrinterConfig] | None) -> PrinterConfig | None:
    if not printer:
        raise UnknownPrinter("no printer named")
    if printers is not None and printer not in printers:
        raise UnknownPrinter(f"unknown printer {printer!r}; configured: {', '.join(printers) or 'none'}")
    return printers.get(printer) if printers is not None else None


def enqueue_label(
    session: Session,
    printer: str,
    kind: str,
    object_id: str,
    *,
    batch: str | None = None,
    printers: dict[str, PrinterConfig] | None = None,
) -> PrintJob:
    """Render an object's label now and queue it for `printer`; flushed into the caller's transaction, not committed.

    Pass `printers` (cfg.printers) to reject unknown printer names here rather than at print time.
    """
    cfg_printer = _check_printer(printer, printers)
    cjk_font = cfg_printer.options.get("cjk_font") if cfg_printer else None
    label = make_label(session, kind, object_id)
    return queue.add_job(
        session, printer, kind, normalise_id(kind, object_id), str(render(label, "zpl", cjk_font)), batch=batch
    )


def enqueue_labels(
    session: Session,
    printer: str,
    kind: str,
    object_ids: list[str],
    *,
    batch: str | None = None,
    printers: dict[str, PrinterConfig] | None = None,
) -> list[PrintJob]:
    """Queue several labels as one batch; all of them or (on an unknown id) none."""
    cfg_printer = _check_printer(printer, printers)
    cjk_font = cfg_printer.options.get("cjk_font") if cfg_printer else None
    rendered = [
        (normalise_id(kind, oid), str(render(make_label(session, kind, oid), "zpl", cjk_font))) for oid in object_ids
    ]
    batch = batch or (f"{kind}-{len(object_ids)}" if len(object_ids) > 1 else None)
    return [queue.add_job(session, printer, kind, oid, zpl, batch=batch) for oid, zpl in rendered]


def enqueue_zone_bins(
    session: Session, printer: str, zone: str, printers: dict[str, PrinterConfig] | None = None
) -> list[PrintJob]:
    """Queue the bin labels of every active bin in a zone as one batch."""
    codes = zone_bins(session, zone)
    if not codes:
        raise LabelError(f"zone {zone!r} has no bins")
    return enqueue_labels(session, printer, "bin", codes, batch=f"zone-{zone}", printers=printers)


def printer_status(
    cfg_printer: PrinterConfig, timeout: float | None = None, workers: PrintWorkers | None = None
) -> dict[str, Any]:
    """The printer's state (ready / fault / offline / unknown) with its faults.

    While a print worker of `workers` (this process's print workers) owns the printer its
    latest ~HS answer is returned (a second connection could disturb it); otherwise the
    printer is asked now, and silence within the timeout is reported as a fault.
    """
    if workers is not None and workers.running(cfg_printer.name):
        last = cached(cfg_printer.name)
        if last is not None:
            return last
    return live_status(cfg_printer, timeout)


@dataclass
class PrintQueue:
    """The print queue as the core sees it (`floor.core.workorders.printing.LabelQueue`)."""

    printers: dict[str, PrinterConfig] | None = None

    def enqueue(self, session: Session, printer: str, kind: str, object_id: str) -> int:
        """Render a label and queue it in the caller's transaction; returns the print job id."""
        return int(enqueue_label(session, printer, kind, object_id, printers=self.printers).id)

    def cancel(self, session: Session, job_id: int) -> bool:
        """Cancel a job that has not started sending."""
        return queue.cancel(session, job_id)
