"""Labels as plain data: pages of text, barcode and box elements in printer dots."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

DPI = 203  # the common thermal head; every coordinate below is in dots at this density


class LabelError(ValueError):
    """A label cannot be made: unknown kind, unknown object or a payload that cannot be encoded."""


class UnknownKind(LabelError):
    """The label kind is not one of KINDS."""


class UnknownObject(LabelError, LookupError):
    """The object the label is for does not exist."""


class UnencodableError(LabelError):
    """The payload cannot be encoded in the chosen symbology (or does not fit the label)."""


class Symbology(str, Enum):
    """Barcode symbologies floor prints."""

    CODE128 = "code128"
    GS1_128 = "gs1_128"
    QR = "qr"
    DATAMATRIX = "datamatrix"

    @property
    def is_2d(self) -> bool:
        """True for matrix codes (QR, DataMatrix)."""
        return self in (Symbology.QR, Symbology.DATAMATRIX)


@dataclass(frozen=True)
class Text:
    """A single line of text; `height` is the cap-to-descender height in dots, clipped at `max_width`."""

    x: int
    y: int
    height: int
    text: str
    max_width: int


@dataclass(frozen=True)
class Barcode:
    """A symbol: for linear codes `height` is the bar height, `module` the narrow bar width in dots."""

    x: int
    y: int
    payload: str
    symbology: Symbology
    module: int
    height: int = 0


@dataclass(frozen=True)
class Box:
    """A rectangle outline (or a line when one side equals the thickness)."""

    x: int
    y: int
    width: int
    height: int
    thickness: int = 2


Element = Text | Barcode | Box


@dataclass(frozen=True)
class Page:
    """One physical label: its size in dots and what is printed on it."""

    width: int
    height: int
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class Label:
    """A label of some kind for one object; most have one page, sheets have several."""

    kind: str
    object_id: str
    pages: tuple[Page, ...]

    @property
    def payloads(self) -> list[str]:
        """Every barcode payload on the label, in page and drawing order."""
        return [e.payload for p in self.pages for e in p.elements if isinstance(e, Barcode)]
