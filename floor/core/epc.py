"""RFID EPC text: recognise EPC hex and decode SGTIN-96 to GTIN-14 + serial (pure, no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyepc import SGTIN
from pyepc.exceptions import DecodingError

# EPC banks are whole 16-bit words; 96 bits (24 hex digits) is by far the common size,
# 496 bits is the largest EPC a Gen2 tag can hold.
_EPC_HEX_RE = re.compile(r"^(?:[0-9A-Fa-f]{4}){6,31}$")
SGTIN96_HEADER = "30"


@dataclass(frozen=True)
class Sgtin:
    """An SGTIN read from a tag: the trade item (GTIN-14) and its serial number."""

    gtin: str
    serial: str
    company_prefix: str
    filter_value: int


def normalize_epc(text: str) -> str | None:
    """Return the EPC in upper-case hex if `text` looks like one (24 to 124 hex digits), else None."""
    candidate = text.strip()
    return candidate.upper() if _EPC_HEX_RE.match(candidate) else None


def is_epc(text: str) -> bool:
    """True when the text is EPC hex as RFID readers report it."""
    return normalize_epc(text) is not None


def decode_sgtin96(epc_hex: str) -> Sgtin | None:
    """Decode an SGTIN-96 EPC to GTIN-14 and serial; None for other schemes or invalid tags."""
    epc = normalize_epc(epc_hex)
    if epc is None or len(epc) != 24 or not epc.startswith(SGTIN96_HEADER):
        return None
    try:
        sgtin = SGTIN.decode(epc)
    except (DecodingError, ValueError, KeyError, IndexError):
        # pyepc raises a mix of these for impossible partitions and digit counts.
        return None
    filter_value = (int(epc[2:4], 16) >> 5) & 0x7
    return Sgtin(
        gtin=sgtin.gtin, serial=str(sgtin.serial_number), company_prefix=sgtin.company_prefix, filter_value=filter_value
    )


def encode_sgtin96(gtin: str, serial: int, company_prefix_digits: int = 7, filter_value: int = 1) -> str:
    """Encode a GTIN-14 (or 8/12/13) and numeric serial as SGTIN-96 hex, e.g. for test tags."""
    g = gtin.zfill(14)
    indicator, prefix = g[0], g[1 : 1 + company_prefix_digits]
    item_ref = g[1 + company_prefix_digits : 13]
    tag = SGTIN(company_prefix=prefix, indicator=indicator, item_ref=item_ref, serial_number=str(serial))
    return str(tag.encode(SGTIN.BinarySchemes.SGTIN_96, SGTIN.FilterValues(str(filter_value)))).upper()
