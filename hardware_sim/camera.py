"""A simulated camera: frames with rendered barcodes, noise, blur and rotation, as arrays or a video file."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import zxingcpp

FORMATS = {
    "code128": zxingcpp.BarcodeFormat.Code128,
    "ean13": zxingcpp.BarcodeFormat.EAN13,
    "qrcode": zxingcpp.BarcodeFormat.QRCode,
    "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
}
# Module size in pixels per format: what a label ~30 cm from a 720p camera looks like.
_SCALE = {"code128": 3, "ean13": 3, "qrcode": 6, "datamatrix": 8}


def render_symbol(kind: str, text: str, scale: int | None = None) -> np.ndarray:
    """A barcode as a grayscale image with its quiet zone (black on white)."""
    code = zxingcpp.create_barcode(text, FORMATS[kind])
    img: np.ndarray[Any, Any] = np.array(
        code.to_image(scale=scale or _SCALE[kind], add_quiet_zones=True), dtype=np.uint8
    )
    if kind in ("code128", "ean13"):
        img = cv2.resize(img, (img.shape[1], max(img.shape[0], 120)), interpolation=cv2.INTER_NEAREST)
    return img


@dataclass
class Shot:
    """What the camera sees for a number of frames: these codes, placed and distorted like this."""

    codes: Sequence[tuple[str, str]]
    frames: int = 1
    rotation_deg: float = 0.0
    noise_sigma: float = 0.0
    blur: int = 0
    background: int = 200


@dataclass
class CameraSim:
    """Renders frames of a given size for a sequence of shots (deterministic for a seed)."""

    width: int = 1280
    height: int = 720
    seed: int = 1
    _cache: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def frame(self, shot: Shot, index: int = 0) -> np.ndarray:
        """One grayscale frame of the shot; `index` varies the noise from frame to frame."""
        canvas: np.ndarray[Any, Any] = np.full((self.height, self.width), shot.background, np.uint8)
        cols = 1 if len(shot.codes) == 1 else 2
        cell_w, cell_h = self.width // cols, self.height // ((len(shot.codes) + cols - 1) // cols or 1)
        for i, (kind, text) in enumerate(shot.codes):
            sym = self._symbol(kind, text)
            if shot.rotation_deg:
                sym = _rotate(sym, shot.rotation_deg + 3 * i)
            h, w = min(sym.shape[0], cell_h), min(sym.shape[1], cell_w)
            y = (i // cols) * cell_h + (cell_h - h) // 2
            x = (i % cols) * cell_w + (cell_w - w) // 2
            canvas[y : y + h, x : x + w] = sym[:h, :w]
        if shot.blur:
            k = shot.blur | 1
            canvas = cv2.GaussianBlur(canvas, (k, k), 0)
        if shot.noise_sigma:
            rng = np.random.default_rng(self.seed * 1_000_003 + index)
            noise = rng.normal(0.0, shot.noise_sigma, canvas.shape)
            canvas = np.clip(canvas.astype(np.float32) + noise, 0, 255).astype(np.uint8)
        return canvas

    def frames(self, shots: Sequence[Shot]) -> Iterator[np.ndarray]:
        """Every frame of the shots in order."""
        n = 0
        for shot in shots:
            for _ in range(shot.frames):
                yield self.frame(shot, n)
                n += 1

    def write_video(self, path: str | Path, shots: Sequence[Shot], fps: float = 10.0) -> int:
        """Write the shots to a video file (MJPG in .avi) and return the frame count."""
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (self.width, self.height))
        if not writer.isOpened():
            raise OSError(f"cannot write video {path}")
        count = 0
        try:
            for gray in self.frames(shots):
                writer.write(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
                count += 1
        finally:
            writer.release()
        return count

    def _symbol(self, kind: str, text: str) -> np.ndarray:
        key = (kind, text)
        if key not in self._cache:
            self._cache[key] = render_symbol(kind, text)
        return self._cache[key]


def _rotate(img: np.ndarray, degrees: float) -> np.ndarray:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(img, m, (nw, nh), borderValue=255)


def random_shots(codes: Sequence[tuple[str, str]], count: int, seed: int = 1) -> list[Shot]:
    """Shots showing one random code each, with random rotation, noise and blur (for the demo)."""
    rnd = random.Random(seed)
    return [
        Shot(
            [rnd.choice(codes)],
            frames=rnd.randint(5, 20),
            rotation_deg=rnd.uniform(-15, 15),
            noise_sigma=rnd.uniform(0, 8),
            blur=rnd.choice([0, 3]),
        )
        for _ in range(count)
    ]
