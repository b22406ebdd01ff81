"""Scanned text to a typed code: internal prefixes, commands, quantities, GS1, plain barcodes."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from floor.core import vin
from floor.core.gs1.invalid import Gs1Invalid, Rule
from floor.core.gs1.retail import RETAIL_AIMS, check_retail
from floor.core.gs1.syntax import mod10, split_hri, split_message
from floor.core.inputs import ascii_int, is_ascii_digits

MAX_SCAN_BYTES = 4096
GS = "\x1d"
# AIM symbology identifiers whose data is GS1 element strings.
GS1_AIMS = {"]C1", "]d2", "]Q3", "]e0", "]J1"}
COMMANDS = (
    "ISSUE",
    "RETURN",
    "CORE",
    "RECEIVE",
    "COUNT",
    "MOVE",
    "START",
    "HOLD",
    "QC",
    "READY",
    "DELIVER",
    "REUSABLE",
    "SCRAP",
    "WARRANTY",
    "UNDO",
    "DONE",
    # Additions beyond SPEC section 2 (the contract allows adding).
    "SUPPLIER",
    "CUSTOMER",
    "WAIVE",
    "DISPATCH",
    "WASH",
    "CANCEL",
    "QUARANTINE",
    "RELEASE",
    "PASS",
    "FAIL",
    "REQUEST",
    # Clocking (SPEC 10.3): off the line, and the line done.
    "STOP",
    "FINISH",
)
_AIM_RE = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1c\x1e-\x1f\x7f]")


class Kind(enum.Enum):
    """What a scanned text means."""

    BADGE = "U"
    WORK_ORDER = "WO"
    LOCATION = "L"
    PART_LABEL = "P"
    CORE = "C"
    COUNT = "CNT"
    QTY = "Q"
    COMMAND = "CMD"
    GS1 = "GS1"
    BARCODE = "BARCODE"
    # Additions beyond SPEC section 2: a delivery's reference, a customer return's reason.
    DELIVERY = "DLV"
    RETURN_REASON = "RSN"
    # A sales order (SPEC 9.3): selects the sale at a counter (mode SALE).
    SALE = "SO"
    # SPEC 10.1 and 10.3: a vehicle by its VIN (floor.core.vin), a job card's labour line (`OP:<line id>`).
    VIN = "VIN"
    OPERATION = "OP"


PREFIXES = {
    "U:": Kind.BADGE,
    "WO:": Kind.WORK_ORDER,
    "L:": Kind.LOCATION,
    "P:": Kind.PART_LABEL,
    "C:": Kind.CORE,
    "CNT:": Kind.COUNT,
    "Q:": Kind.QTY,
    "CMD:": Kind.COMMAND,
    "DLV:": Kind.DELIVERY,
    "RSN:": Kind.RETURN_REASON,
    "SO:": Kind.SALE,
    "VIN:": Kind.VIN,
    "OP:": Kind.OPERATION,
}


class CodeError(ValueError):
    """A scan that cannot be read at all; `code` names the reason for the result."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class GS1Data:
    """The GS1 element strings floor uses: GTIN (14 digits), lot, serial, quantity."""

    gtin: str | None = None
    lot: str | None = None
    serial: str | None = None
    qty: int | None = None


@dataclass(frozen=True)
class Code:
    """A parsed scan: its kind, the value after the prefix, and the AIM identifier if any."""

    kind: Kind
    value: str
    text: str
    aim: str | None = None
    gs1: GS1Data | None = None
    qty: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def decode_raw(raw: bytes) -> str:
    """Decode a device's bytes to text, or raise CodeError for over-long or non-UTF-8 input."""
    if len(raw) > MAX_SCAN_BYTES:
        raise CodeError("too_long", limit=MAX_SCAN_BYTES, length=len(raw))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CodeError("bad_encoding") from None


def gtin14(digits: str) -> str | None:
    """Return a GTIN-8/12/13/14 in 14-digit form if its check digit is right, else None."""
    if not is_ascii_digits(digits) or len(digits) not in (8, 12, 13, 14):
        return None
    padded = digits.zfill(14)
    return padded if mod10(padded[:13]) == ord(padded[13]) - 48 else None


def parse_quantity(value: str) -> int:
    """Read a `Q:` quantity: a whole number from 1 to 9999."""
    qty = ascii_int(value, 1, 9999) if len(value) <= 4 else None
    if qty is None:
        raise CodeError("bad_qty", value=value[:20])
    return qty


_MISPRINT_ADVICE = (
    "The label is misprinted or was misread: rescan it; if it fails again, set the item aside and ask the "
    "supplier for a correct label (do not register this number as an alias)",
    "标签印错或读错：请重新扫描；仍失败则将该件搁置，请供应商提供正确标签（不要把此号码登记为别名）",
)
_LABEL_ADVICE = (
    "Set the item aside and ask the supplier for a correct label",
    "请将该件搁置，请供应商提供正确标签",
)
_SYNTAX_ADVICE = (
    "Rescan it; if it fails again and the label shows more than this, the scanner drops FNC1 separators "
    "(set it to send them as GS); otherwise set the item aside and ask the supplier for a correct label",
    "请重新扫描；仍失败且标签上的内容多于此，则扫描枪丢失了 FNC1 分隔符（请设置为以 GS 发送）；"
    "否则将该件搁置，请供应商提供正确标签",
)

# What to do next, by the rule broken: a wrong check digit is a misprint or a misread; a wrong
# length or character is often a scanner that drops FNC1 separators; anything else is the label.
_ADVICE = {
    Rule.CHECK_DIGIT: _MISPRINT_ADVICE,
    Rule.CHECK_PAIR: _MISPRINT_ADVICE,
    Rule.LENGTH: _SYNTAX_ADVICE,
    Rule.UNKNOWN_AI: _SYNTAX_ADVICE,
    Rule.CHARACTER: _SYNTAX_ADVICE,
    Rule.EMPTY: _SYNTAX_ADVICE,
}


def _gs1_refusal(exc: Gs1Invalid) -> CodeError:
    """The scan's refusal for a message that breaks a GS1 rule: which AI, which rule, what to do."""
    reason, reason_zh = exc.texts()
    advice, advice_zh = _ADVICE.get(exc.rule, _LABEL_ADVICE)
    return CodeError(
        "gs1_invalid",
        ai=exc.ai,
        rule=exc.rule.value,
        reason=reason,
        reason_zh=reason_zh,
        advice=advice,
        advice_zh=advice_zh,
    )


def _parse_gs1(text: str) -> GS1Data:
    try:
        pairs = split_hri(text) if text.startswith("(") else split_message(text)
    except Gs1Invalid as exc:
        raise _gs1_refusal(exc) from None
    found: dict[str, str] = dict(pairs)
    qty_text = found.get("30") or found.get("37")
    qty = None
    if qty_text is not None:
        qty = ascii_int(qty_text, 0, 10**8)
        if qty is None or not 1 <= qty <= 9999:
            raise CodeError("bad_qty", value=qty_text)
    return GS1Data(gtin=found.get("01"), lot=found.get("10"), serial=found.get("21"), qty=qty)


def parse_scan(raw_text: str) -> Code:
    """Parse one scanned text (already decoded) into a Code, or raise CodeError."""
    text = raw_text.strip(" \t\r\n")
    aim = None
    if _AIM_RE.match(text):
        aim, text = text[:3], text[3:]
    if not text:
        raise CodeError("empty")
    if _CONTROL_RE.search(text):
        raise CodeError("control_chars")
    if aim in GS1_AIMS or text.startswith(GS) or (GS in text and is_ascii_digits(text[:2])) or text.startswith("(01)"):
        data = _parse_gs1(text.lstrip(GS))
        if data.gtin is None:
            raise CodeError("gs1_no_gtin")
        return Code(Kind.GS1, data.gtin, text, aim, gs1=data, qty=data.qty)
    if GS in text:
        raise CodeError("control_chars")
    if aim in RETAIL_AIMS:
        try:
            check_retail(aim, text)
        except Gs1Invalid as exc:
            raise _gs1_refusal(exc) from None
    head = text.split(":", 1)[0].upper() + ":" if ":" in text[:5] else ""
    kind = PREFIXES.get(head)
    if kind is None:
        scanned_vin = vin.parse_scanned(text)  # a VIN without its prefix: Code 39 with a leading I, a DataMatrix
        if scanned_vin is not None:
            return Code(Kind.VIN, scanned_vin, text, aim)
        return Code(Kind.BARCODE, text, text, aim)
    value = text[len(head) :].strip()
    if not value:
        raise CodeError("empty_value", prefix=head)
    if kind is Kind.QTY:
        return Code(kind, value, text, aim, qty=parse_quantity(value))
    if kind is Kind.COMMAND:
        verb = value.upper()
        if verb not in COMMANDS:
            raise CodeError("unknown_command", verb=value[:40])
        return Code(kind, verb, text, aim)
    return Code(kind, value, text, aim)
