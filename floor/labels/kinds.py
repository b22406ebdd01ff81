"""What each kind of label says and where: plain data in, a Label out (pure, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# The job card of a repair order (SPEC 10.2) and the counter receipt of a sale (SPEC 9.3) live in their own modules.
from floor.labels.jobcard import JobCardData, jobcard_label
from floor.labels.layout import MARGIN, SHEET_SIZE, linear, matrix, text
from floor.labels.model import Box, Element, Label, Page, Symbology, UnknownKind
from floor.labels.receipt import ReceiptData, receipt_label
from floor.models.master import Role

KINDS = ("part", "bin", "wo", "core", "badge", "commands", "count", "gatepass", "receipt", "jobcard")

# Every CMD: verb of SPEC section 2 with its captions as the workshop words them.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("ISSUE", "Issue", "领用"),
    ("RETURN", "Return", "退库"),
    ("CORE", "Core return", "旧件回收"),
    ("RECEIVE", "Receive", "入库"),
    ("COUNT", "Count", "盘点"),
    ("MOVE", "Move", "移库"),
    ("START", "Start", "开工"),
    ("HOLD", "Hold", "暂停"),
    ("QC", "QC", "质检"),
    ("READY", "Ready", "待交车"),
    ("DELIVER", "Deliver", "交车"),
    ("REUSABLE", "Reusable", "可再用"),
    ("SCRAP", "Scrap", "报废"),
    ("WARRANTY", "Warranty", "三包索赔"),
    ("UNDO", "Undo", "撤销"),
    ("DONE", "Done", "完成"),
    # Clocking (SPEC 10.3): off the line, the line done.
    ("STOP", "Clock off", "停止计时"),
    ("FINISH", "Line done", "项目完工"),
)
QUANTITIES = tuple(range(1, 11))

# Page sizes in dots at 203 dpi.
PART_SIZE = (480, 240)  # 60 x 30 mm
BIN_SIZE = (812, 406)  # 100 x 50 mm
WO_SIZE = (812, 609)  # 100 x 75 mm
CORE_SIZE = (400, 240)  # 50 x 30 mm tag: small, hence DataMatrix
BADGE_SIZE = (640, 400)  # about a CR80 card


@dataclass(frozen=True)
class PartData:
    """What a part label shows."""

    part_no: str
    name: str = ""


@dataclass(frozen=True)
class BinData:
    """What a bin label shows."""

    code: str
    name: str = ""
    zone: str = ""


@dataclass(frozen=True)
class WorkOrderData:
    """What a job-card label shows."""

    number: str
    vehicle: str = ""
    customer: str = ""
    promised_at: datetime | None = None
    estimate_minutes: int | None = None
    plate: str = ""
    advisor: str = ""


@dataclass(frozen=True)
class GatePassData:
    """What a gate pass shows: the delivered job, its car, who handed it over and when."""

    number: str
    plate: str = ""
    vehicle: str = ""
    customer: str = ""
    delivered_at: datetime | None = None
    advisor: str = ""


@dataclass(frozen=True)
class CoreData:
    """What a core tag shows: the core, its job, its part and the day it was issued."""

    serial: str
    wo_number: str
    part_no: str
    part_name: str = ""
    issued_at: datetime | None = None


@dataclass(frozen=True)
class BadgeData:
    """What a badge shows."""

    badge: str
    name: str = ""
    role: str = ""


@dataclass(frozen=True)
class CountData:
    """What a count sheet shows: the session and the bins to count, in walking order."""

    id: str
    kind: str = "cycle"
    zone: str = ""
    blind: bool = True
    locations: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CommandsData:
    """The counter's command sheet; `title` names the station it hangs at."""

    title: str = ""


LabelData = (
    PartData
    | BinData
    | WorkOrderData
    | CoreData
    | BadgeData
    | CountData
    | CommandsData
    | GatePassData
    | ReceiptData
    | JobCardData
)


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else "-"


def part_label(d: PartData) -> Label:
    """A shelf/part label: part number, name, Code 128 of P:<part_no>."""
    w, h = PART_SIZE
    inner = w - 2 * MARGIN
    payload = f"P:{d.part_no}"
    els: list[Element] = [
        text(MARGIN, 12, 40, d.part_no, inner),
        text(MARGIN, 56, 28, d.name, inner),
        linear(MARGIN, 92, payload, inner, 100, 2),
        text(MARGIN, 200, 24, payload, inner),
    ]
    return Label("part", d.part_no, (Page(w, h, tuple(els)),))


def bin_label(d: BinData) -> Label:
    """A bin label: big code, name and zone, Code 128 of L:<code>."""
    w, h = BIN_SIZE
    inner = w - 2 * MARGIN
    payload = f"L:{d.code}"
    caption = " / ".join(x for x in (d.name, f"Zone 区 {d.zone}" if d.zone else "") if x)
    els: list[Element] = [
        text(MARGIN, 16, 70, d.code, inner),
        text(MARGIN, 96, 32, caption, inner),
        linear(MARGIN, 146, payload, inner, 170, 3),
        text(MARGIN, 334, 30, payload, inner),
    ]
    return Label("bin", d.code, (Page(w, h, tuple(els)),))


def wo_label(d: WorkOrderData) -> Label:
    """A job-card label: number, vehicle, customer, promised time, Code 128 of WO:<number>."""
    w, h = WO_SIZE
    inner = w - 2 * MARGIN
    payload = f"WO:{d.number}"
    estimate = f"  Est 预计 {d.estimate_minutes} min" if d.estimate_minutes else ""
    els: list[Element] = [
        text(MARGIN, 16, 64, f"WO {d.number}", inner),
        text(MARGIN, 96, 36, f"{d.plate}  {d.vehicle}".strip() if d.plate else f"Vehicle 车辆 {d.vehicle}", inner),
        text(MARGIN, 142, 36, f"Customer 客户 {d.customer}" + (f"  SA 顾问 {d.advisor}" if d.advisor else ""), inner),
        text(MARGIN, 188, 32, f"Promised 承诺 {_when(d.promised_at)}{estimate}", inner),
        Box(MARGIN, 234, inner, 2, 2),
        linear(MARGIN, 262, payload, inner, 220, 3),
        text(MARGIN, 500, 32, payload, inner),
    ]
    return Label("wo", d.number, (Page(w, h, tuple(els)),))


def gatepass_label(d: GatePassData) -> Label:
    """A gate pass: the plate large for the guard, job, customer, hand-over time, Code 128 of WO:<number>."""
    w, h = WO_SIZE
    inner = w - 2 * MARGIN
    payload = f"WO:{d.number}"
    els: list[Element] = [
        text(MARGIN, 16, 44, "GATE PASS 出门证", inner),
        text(MARGIN, 70, 80, d.plate or "-", inner),
        text(MARGIN, 160, 32, d.vehicle, inner),
        text(MARGIN, 200, 32, f"Customer 客户 {d.customer}", inner),
        text(MARGIN, 240, 30, f"Delivered 交车 {_when(d.delivered_at)}  SA 顾问 {d.advisor or '-'}", inner),
        Box(MARGIN, 282, inner, 2, 2),
        linear(MARGIN, 304, payload, inner, 200, 3),
        text(MARGIN, 520, 32, payload, inner),
    ]
    return Label("gatepass", d.number, (Page(w, h, tuple(els)),))


def core_label(d: CoreData) -> Label:
    """A core tag: DataMatrix of C:<serial> (the tag is small), job, part and issue date."""
    w, h = CORE_SIZE
    payload = f"C:{d.serial}"
    x2 = 150
    inner = w - x2 - 10
    els: list[Element] = [
        matrix(MARGIN, 30, payload, Symbology.DATAMATRIX, 5),
        text(x2, 14, 28, "CORE 旧件", inner),
        text(x2, 50, 30, d.serial, inner),
        text(x2, 92, 26, f"WO:{d.wo_number}", inner),
        text(x2, 128, 26, d.part_no, inner),
        text(x2, 164, 24, d.part_name, inner),
        text(MARGIN, 200, 24, _when(d.issued_at)[:10], w - 2 * MARGIN),
    ]
    return Label("core", d.serial, (Page(w, h, tuple(els)),))


def badge_label(d: BadgeData) -> Label:
    """A badge: the person's name and role, Code 128 of U:<badge>."""
    w, h = BADGE_SIZE
    inner = w - 2 * MARGIN
    payload = f"U:{d.badge}"
    known = Role.parse(d.role)
    role = f"{d.role} {known.zh if known else ''}".strip()
    els: list[Element] = [
        text(MARGIN, 20, 60, d.name or d.badge, inner),
        text(MARGIN, 92, 32, role, inner),
        linear(MARGIN, 150, payload, inner, 170, 3),
        text(MARGIN, 334, 30, payload, inner),
    ]
    return Label("badge", d.badge, (Page(w, h, tuple(els)),))


def _grid(items: list[tuple[str, str]], title: str, top: int = 100) -> Page:
    """A sheet page of barcodes in two columns, each with its caption underneath."""
    w, h = SHEET_SIZE
    col_w = (w - 2 * MARGIN) // 2
    rows = (len(items) + 1) // 2
    row_h = (h - top - MARGIN) // max(rows, 1)
    bar_h = min(90, row_h - 50)
    els: list[Element] = [text(MARGIN, 20, 56, title, w - 2 * MARGIN), Box(MARGIN, top - 16, w - 2 * MARGIN, 2, 2)]
    for i, (payload, caption) in enumerate(items):
        x = MARGIN + (i % 2) * col_w + 10
        y = top + (i // 2) * row_h
        els.append(linear(x, y, payload, col_w - 40, bar_h, 2))
        els.append(text(x, y + bar_h + 8, 28, caption, col_w - 30))
    return Page(w, h, tuple(els))


def commands_label(d: CommandsData) -> Label:
    """The counter's command sheet: every CMD: verb, then Q:1…Q:10, captioned in English and Chinese."""
    suffix = f" - {d.title}" if d.title and d.title != "all" else ""
    cmds = [(f"CMD:{verb}", f"{en} {zh}") for verb, en, zh in COMMANDS]
    qtys = [(f"Q:{n}", f"Qty 数量 {n}") for n in QUANTITIES]
    pages = (_grid(cmds, f"Commands 命令{suffix}"), _grid(qtys, f"Quantity 数量{suffix}"))
    return Label("commands", d.title or "all", pages)


def count_label(d: CountData, per_page: int = 8) -> Label:
    """A count sheet: CNT:<id> and, page by page, the bins to count with their L: barcodes."""
    w, h = SHEET_SIZE
    inner = w - 2 * MARGIN
    payload = f"CNT:{d.id}"
    kind = {"cycle": "Cycle count 月度小盘点", "full": "Full count 年度大盘点"}.get(d.kind, d.kind)
    head: list[Element] = [
        text(MARGIN, 16, 56, f"Count 盘点 {d.id}", inner),
        text(MARGIN, 84, 30, f"{kind}  Zone 区 {d.zone or '-'}{'  Blind 盲盘' if d.blind else ''}", inner),
        linear(MARGIN, 130, payload, inner, 150, 3),
        text(MARGIN, 290, 28, payload, inner),
        Box(MARGIN, 330, inner, 2, 2),
    ]
    chunks = [d.locations[i : i + per_page] for i in range(0, len(d.locations), per_page)] or [()]
    pages: list[Page] = []
    row_h = (h - 350 - MARGIN) // per_page
    for n, chunk in enumerate(chunks):
        els = list(head)
        if len(chunks) > 1:
            els.append(text(w - 200, 290, 28, f"{n + 1}/{len(chunks)}", 180))
        for i, code in enumerate(chunk):
            y = 350 + i * row_h
            els.append(linear(MARGIN, y, f"L:{code}", inner // 2, row_h - 24, 2))
            els.append(text(MARGIN + inner // 2 + 20, y + 20, 36, code, inner // 2 - 20))
            els.append(text(MARGIN + inner // 2 + 20, y + 64, 24, "Qty 数量 ______", inner // 2 - 20))
        pages.append(Page(w, h, tuple(els)))
    return Label("count", d.id, tuple(pages))


_BUILDERS = {
    PartData: part_label,
    BinData: bin_label,
    WorkOrderData: wo_label,
    CoreData: core_label,
    BadgeData: badge_label,
    CountData: count_label,
    CommandsData: commands_label,
    GatePassData: gatepass_label,
    ReceiptData: receipt_label,
    JobCardData: jobcard_label,
}


def build_label(data: LabelData) -> Label:
    """Lay out the label for one object's data."""
    builder = _BUILDERS.get(type(data))
    if builder is None:
        raise UnknownKind(f"no label layout for {type(data).__name__}")
    return builder(data)  # type: ignore[operator]
