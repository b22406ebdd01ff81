"""The counter receipt on the label printer (a 4 x 6 in sheet per page): a sale's lines, totals and,
for each core part sold, a `C:` tag to bring back with the old unit. Captions in English and Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field

from floor.labels.layout import MARGIN, SHEET_SIZE, linear, matrix, text
from floor.labels.model import Box, Element, Label, Page, Symbology

LINES_PER_PAGE = 14
TAGS_PER_PAGE = 4


@dataclass(frozen=True)
class ReceiptLine:
    """One line of a receipt."""

    part_no: str
    name: str
    qty: int
    price: str
    amount: str


@dataclass(frozen=True)
class ReceiptData:
    """What a counter receipt (or quote) shows."""

    number: str
    status: str
    customer: str
    lines: tuple[ReceiptLine, ...] = field(default_factory=tuple)
    goods: str = "0.00"
    core_total: str = "0.00"
    total: str = "0.00"
    core_tags: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (serial, part_no)
    at: str = ""


def receipt_label(d: ReceiptData) -> Label:
    """Pages of lines first (head with SO: barcode on each), then the core tags, four per page."""
    w, h = SHEET_SIZE
    inner = w - 2 * MARGIN
    title = "Receipt 收据" if d.status == "shipped" else "Quote 报价单"
    payload = f"SO:{d.number}"

    def head() -> list[Element]:
        return [
            text(MARGIN, 16, 52, f"{title} {d.number}", inner),
            text(MARGIN, 78, 28, f"Customer 客户 {d.customer}   {d.at}", inner),
            linear(MARGIN, 116, payload, inner // 2, 80, 2),
            text(MARGIN + inner // 2 + 20, 140, 28, payload, inner // 2 - 20),
            Box(MARGIN, 210, inner, 2, 2),
        ]

    pages: list[Page] = []
    chunks = [d.lines[i : i + LINES_PER_PAGE] for i in range(0, len(d.lines), LINES_PER_PAGE)] or [()]
    for n, chunk in enumerate(chunks):
        els = head()
        y = 226
        for ln in chunk:
            els.append(text(MARGIN, y, 28, f"{ln.part_no} {ln.name}", inner - 400))
            els.append(text(w - MARGIN - 380, y, 28, f"{ln.qty} x {ln.price} = {ln.amount}", 380))
            y += 48
        if n == len(chunks) - 1:
            els.append(Box(MARGIN, y + 4, inner, 2, 2))
            els.append(text(MARGIN, y + 20, 30, f"Goods 货款 {d.goods}", inner))
            els.append(text(MARGIN, y + 60, 30, f"Core charges 旧件押金 {d.core_total}", inner))
            els.append(text(MARGIN, y + 104, 40, f"Total 合计 {d.total}", inner))
        if len(chunks) > 1:
            els.append(text(w - 160, h - 50, 26, f"{n + 1}/{len(chunks)}", 140))
        pages.append(Page(w, h, tuple(els)))
    tags = list(d.core_tags)
    for i in range(0, len(tags), TAGS_PER_PAGE):
        els = [text(MARGIN, 16, 40, f"Core tags 旧件标签 SO:{d.number}", inner), Box(MARGIN, 66, inner, 2, 2)]
        for k, (serial, part_no) in enumerate(tags[i : i + TAGS_PER_PAGE]):
            y = 90 + k * 270
            els.append(matrix(MARGIN, y, f"C:{serial}", Symbology.DATAMATRIX, 6))
            els.append(text(MARGIN + 200, y + 10, 32, f"C:{serial}", inner - 200))
            els.append(text(MARGIN + 200, y + 56, 28, part_no, inner - 200))
            els.append(text(MARGIN + 200, y + 96, 24, "Bring the old unit back for the refund", inner - 200))
            els.append(text(MARGIN + 200, y + 130, 24, "旧件退回即退还押金", inner - 200))
        pages.append(Page(w, h, tuple(els)))
    return Label("receipt", d.number, tuple(pages))
