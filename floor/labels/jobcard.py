"""The printed job card of a repair order (SPEC 10.2, 10.3), on the label printer (4 x 6 in pages): the job's
`WO:` barcode, the customer's concerns, and its lines, each labour line with its `OP:<line id>` barcode for
the technician to clock on. Declined lines are listed without a barcode. Captions in English and Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from floor.labels.layout import MARGIN, SHEET_SIZE, linear, text
from floor.labels.model import Box, Element, Label, Page
from floor.models.repair import PayType

HEAD_BOTTOM = 236
LABOUR_ROW = 150  # an OP: barcode and its caption
TEXT_ROW = 44
CONCERN_ROW = 40


@dataclass(frozen=True)
class JobCardLine:
    """One line as the card shows it."""

    id: int
    kind: str  # labour | part
    what: str  # the operation's code and name, or the part number and name
    amount: str  # hours for labour, a quantity for parts
    pay: str
    status: str


@dataclass(frozen=True)
class JobCardData:
    """What a job card shows."""

    number: str
    plate: str = ""
    vehicle: str = ""
    vin: str = ""
    customer: str = ""
    concerns: tuple[str, ...] = field(default_factory=tuple)
    lines: tuple[JobCardLine, ...] = field(default_factory=tuple)


def _row_height(line: JobCardLine) -> int:
    return LABOUR_ROW if line.kind == "labour" and line.status != "declined" else TEXT_ROW


def jobcard_label(d: JobCardData) -> Label:
    """Pages with the head (WO: barcode) on each; the concerns first, then the lines."""
    w, h = SHEET_SIZE
    inner = w - 2 * MARGIN
    payload = f"WO:{d.number}"

    def head() -> list[Element]:
        return [
            text(MARGIN, 16, 52, f"Job card 工单 {d.number}", inner),
            text(MARGIN, 76, 28, f"{d.plate}  {d.vehicle}".strip() or "-", inner),
            text(MARGIN, 110, 24, f"VIN {d.vin or '-'}   Customer 客户 {d.customer or '-'}", inner),
            linear(MARGIN, 142, payload, inner // 2, 70, 2),
            text(MARGIN + inner // 2 + 20, 160, 28, payload, inner // 2 - 20),
            Box(MARGIN, HEAD_BOTTOM - 14, inner, 2, 2),
        ]

    rows: list[tuple[int, list[Element]]] = []  # (height, elements at y = 0)
    rows.append((CONCERN_ROW, [text(MARGIN, 0, 30, "Concerns 故障描述", inner)]))
    for n, words in enumerate(d.concerns or ("-",), 1):
        rows.append((CONCERN_ROW, [text(MARGIN, 0, 26, f"{n}. {words}" if d.concerns else "-", inner)]))
    rows.append((CONCERN_ROW + 10, [text(MARGIN, 10, 30, "Work 维修项目", inner)]))
    for ln in d.lines:
        caption = f"{ln.what}  {ln.amount}  {ln.pay} {PayType.shown(ln.pay, 'zh') if PayType.parse(ln.pay) else ''}  [{ln.status}]"
        if ln.kind == "labour" and ln.status != "declined":
            op = f"OP:{ln.id}"
            rows.append(
                (
                    LABOUR_ROW,
                    [
                        text(MARGIN, 0, 26, caption, inner),
                        linear(MARGIN, 34, op, inner // 2, 80, 2),
                        text(MARGIN + inner // 2 + 20, 60, 28, op, inner // 2 - 20),
                    ],
                )
            )
        else:
            rows.append((TEXT_ROW, [text(MARGIN, 0, 26, caption, inner)]))
    pages: list[list[Element]] = []
    els, y = head(), HEAD_BOTTOM
    for height, parts in rows:
        if y + height > h - MARGIN - 40:
            pages.append(els)
            els, y = head(), HEAD_BOTTOM
        els.extend(_moved(e, y) for e in parts)
        y += height
    pages.append(els)
    out = []
    for n, page in enumerate(pages, 1):
        if len(pages) > 1:
            page.append(text(w - 160, h - 50, 26, f"{n}/{len(pages)}", 140))
        out.append(Page(w, h, tuple(page)))
    return Label("jobcard", d.number, tuple(out))


def _moved(element: Element, dy: int) -> Element:
    return replace(element, y=element.y + dy)
