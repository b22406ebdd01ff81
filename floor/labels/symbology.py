"""Which payloads each symbology can carry, and how wide a linear symbol will be (pure)."""

from __future__ import annotations

import re

from floor.core.inputs import is_ascii_digits
from floor.labels.model import Symbology, UnencodableError

MAX_LINEAR_CHARS = 80
MAX_MATRIX_BYTES = 500

# GS1 Application Identifiers (by first two digits) whose data has a fixed length:
# (AI length, data length). No FNC1 separator is needed after them.
_FIXED_AI: dict[str, tuple[int, int]] = {
    "00": (2, 18),
    "01": (2, 14),
    "02": (2, 14),
    "03": (2, 14),
    "04": (2, 16),
    "20": (2, 2),
    "41": (3, 13),
    **{str(n): (2, 6) for n in range(11, 20)},
    **{str(n): (4, 6) for n in range(31, 37)},
}
_GS1_ELEMENT = re.compile(r"\(([0-9]{2,4})\)([^()]+)")


def is_gs1(payload: str) -> bool:
    """True when the payload is a GS1 element string in bracketed form, e.g. (01)…(10)…."""
    return payload.startswith("(") and parse_gs1(payload, strict=False) is not None


def parse_gs1(payload: str, strict: bool = True) -> list[tuple[str, str]] | None:
    """Split '(01)0950…(10)AB' into [('01', '0950…'), ('10', 'AB')]; raise (or None) if malformed."""
    elements = _GS1_ELEMENT.findall(payload)
    if not elements or "".join(f"({a}){d}" for a, d in elements) != payload:
        if strict:
            raise UnencodableError(f"not a GS1 element string: {payload!r}")
        return None
    for ai, data in elements:
        fixed = _FIXED_AI.get(ai[:2])
        if fixed is not None:
            ok = len(ai) == fixed[0] and len(data) == fixed[1] and is_ascii_digits(data)
        else:
            ok = len(data) <= 90 and all(32 < ord(c) < 127 for c in data)
        if not ok:
            if strict:
                raise UnencodableError(f"GS1 AI ({ai}) has invalid data {data!r}")
            return None
    return elements


def gs1_raw(payload: str) -> str:
    """The GS1 data as transmitted: AIs and data, FNC1 (GS, \\x1d) after variable-length fields."""
    parts: list[str] = []
    elements = parse_gs1(payload) or []
    for i, (ai, data) in enumerate(elements):
        parts.append(ai + data)
        if ai[:2] not in _FIXED_AI and i < len(elements) - 1:
            parts.append("\x1d")
    return "".join(parts)


def check(payload: str, symbology: Symbology) -> None:
    """Raise UnencodableError when `payload` cannot be printed in `symbology`."""
    if not payload:
        raise UnencodableError("empty barcode payload")
    if symbology is Symbology.GS1_128:
        parse_gs1(payload)
        return
    if symbology is Symbology.CODE128:
        bad = [c for c in payload if not 32 <= ord(c) < 127]
        if bad:
            raise UnencodableError(
                f"Code 128 carries printable ASCII only; {payload!r} has {''.join(bad)!r} (use qr or datamatrix)"
            )
        if len(payload) > MAX_LINEAR_CHARS:
            raise UnencodableError(
                f"{len(payload)} characters is too long for a Code 128 label (max {MAX_LINEAR_CHARS})"
            )
        return
    if any(ord(c) < 32 for c in payload):
        raise UnencodableError(f"control characters cannot be printed in {symbology.value}: {payload!r}")
    if len(payload.encode("utf-8")) > MAX_MATRIX_BYTES:
        raise UnencodableError(f"payload too long for a {symbology.value} label (max {MAX_MATRIX_BYTES} bytes)")
    if symbology is Symbology.DATAMATRIX and not payload.isascii():
        # Zebra's ^BX has no ECI: non-ASCII bytes are read back as Latin-1 by most scanners.
        raise UnencodableError(f"DataMatrix labels carry ASCII only; {payload!r} is not (use qr)")


def code128_modules(payload: str) -> int:
    """Modules in a Code 128 symbol in automatic mode (runs of 4+ digits packed in pairs), quiet zones excluded."""
    symbols = 0
    for run in re.findall(r"[0-9]{4,}|[^0-9]+|[0-9]{1,3}", payload):  # only ASCII digits pack in pairs
        if is_ascii_digits(run) and len(run) >= 4:
            symbols += len(run) // 2 + (len(run) % 2) * 2 + 1  # pairs, an odd digit back in B, code switch
        else:
            symbols += len(run)
    return 11 * (symbols + 2) + 13  # start and check symbols, 13-module stop


def gs1_128_modules(payload: str) -> int:
    """Modules in a GS1-128 symbol: FNC1 first, then its data (same packing estimate)."""
    return code128_modules(gs1_raw(payload).replace("\x1d", "~")) + 22


def fit_module(payload: str, symbology: Symbology, width: int, preferred: int = 2) -> int:
    """The widest module (≤ preferred) at which a linear symbol fits `width` dots; raise if none does."""
    check(payload, symbology)
    modules = gs1_128_modules(payload) if symbology is Symbology.GS1_128 else code128_modules(payload)
    for module in range(preferred, 0, -1):
        if modules * module <= width:
            return module
    raise UnencodableError(f"{payload!r} is too long for a {width}-dot wide label ({modules} modules)")
