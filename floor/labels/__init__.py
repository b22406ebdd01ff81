"""Labels and printing: label layouts, ZPL II, PNG/SVG previews, printer transports, the print queue."""

from floor.labels.kinds import KINDS
from floor.labels.model import LabelError, UnencodableError, UnknownKind, UnknownObject
from floor.labels.service import (
    FORMATS,
    UnknownPrinter,
    enqueue_label,
    enqueue_labels,
    enqueue_zone_bins,
    make_label,
    printer_status,
    render_label,
    render_sheets,
)

__all__ = [
    "FORMATS",
    "KINDS",
    "LabelError",
    "UnencodableError",
    "UnknownKind",
    "UnknownObject",
    "UnknownPrinter",
    "enqueue_label",
    "enqueue_labels",
    "enqueue_zone_bins",
    "make_label",
    "printer_status",
    "render_label",
    "render_sheets",
]
