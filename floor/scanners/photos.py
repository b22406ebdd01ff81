"""The photographed-barcode set (tests/data/photos) and read rates over it, for the camera test and bench."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

PHOTOS = Path(__file__).resolve().parents[2] / "tests" / "data" / "photos"
SYMBOLOGIES = ("ean13", "code128", "datamatrix", "qrcode")


def photo_set(symbology: str, root: Path = PHOTOS) -> list[tuple[np.ndarray, bytes]]:
    """(grey image, expected text) for every photo of one symbology."""
    out = []
    for path in sorted((root / symbology).iterdir()):
        if path.suffix == ".txt":
            continue
        img = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if img is None:
            raise ValueError(f"{path} is not an image")
        out.append((img, path.with_suffix(".txt").read_bytes().strip()))
    return out


def read_rate(photos: list[tuple[np.ndarray, bytes]], read: Callable[[np.ndarray], set[bytes]]) -> float:
    """The share of photos whose expected text is among what `read` returns."""
    if not photos:
        return 0.0
    return sum(1 for img, want in photos if want in read(img)) / len(photos)
