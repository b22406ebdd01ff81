"""Cameras as scanners: OpenCV video source, pyzbar decoding, optional zxing-cpp for DataMatrix.

The device URL is a video device index ("0"), a file path or a stream URL (rtsp://, http://).
Options:
  symbologies  list of names, default ["code128", "ean13", "qrcode", "datamatrix"];
               "datamatrix" (and "aztec", "pdf417") are read with zxing-cpp, which zbar cannot do
  decode_scale frames are shrunk by this factor before decoding (default 0.5: a 720p frame
               decodes in a quarter of the time and averages out sensor noise; use 1.0 for
               small or distant labels)
  repeat_s     the same code is not reported again within this many seconds (default 2.0)
  loop         for files: start again at the end (default false: the reader stops)
  fps          pace file playback at this rate (default 0: as fast as decoding goes)
"""

from __future__ import annotations

import time
from ctypes import c_void_p, cast, string_at
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import zxingcpp
from pyzbar import wrapper as zb
from pyzbar.pyzbar import ZBarSymbol

from floor.config import DeviceConfig
from floor.core.results import ScanSink
from floor.scanners.base import DeviceGone, DeviceReader, ReaderState
from floor.scanners.folding import RepeatFilter

ZBAR_SYMBOLS = {
    "code128": (ZBarSymbol.CODE128, "]C0"),
    "ean13": (ZBarSymbol.EAN13, "]E0"),
    "ean8": (ZBarSymbol.EAN8, "]E4"),
    "upca": (ZBarSymbol.UPCA, "]E0"),
    "upce": (ZBarSymbol.UPCE, "]E0"),
    "code39": (ZBarSymbol.CODE39, "]A0"),
    "i25": (ZBarSymbol.I25, "]I0"),
    "qrcode": (ZBarSymbol.QRCODE, "]Q1"),
}
ZXING_FORMATS = {
    "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
    "aztec": zxingcpp.BarcodeFormat.Aztec,
    "pdf417": zxingcpp.BarcodeFormat.PDF417,
}
DEFAULT_SYMBOLOGIES = ("code128", "ean13", "qrcode", "datamatrix")
_AIM_BY_TYPE = {sym.value: aim for sym, aim in ZBAR_SYMBOLS.values()}


@dataclass(frozen=True)
class Decoded:
    """One code found in a frame: AIM symbology identifier and data."""

    aim: str
    data: bytes

    @property
    def raw(self) -> bytes:
        """The scan as a serial scanner would send it: AIM prefix then data."""
        return self.aim.encode("ascii") + self.data


class ZbarDecoder:
    """A long-lived zbar image scanner restricted to the wanted symbologies."""

    def __init__(self, symbologies: tuple[str, ...]) -> None:
        self._scanner = zb.zbar_image_scanner_create()
        for sym in ZBarSymbol:
            zb.zbar_image_scanner_set_config(self._scanner, sym, zb.ZBarConfig.CFG_ENABLE, 0)
        for name in symbologies:
            zb.zbar_image_scanner_set_config(self._scanner, ZBAR_SYMBOLS[name][0], zb.ZBarConfig.CFG_ENABLE, 1)

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """All codes zbar finds in a grayscale frame."""
        gray = np.ascontiguousarray(gray)
        height, width = gray.shape
        pixels = gray.tobytes()
        image = zb.zbar_image_create()
        try:
            zb.zbar_image_set_format(image, 0x30303859)  # fourcc "Y800": 8-bit gray
            zb.zbar_image_set_size(image, width, height)
            zb.zbar_image_set_data(image, cast(pixels, c_void_p), len(pixels), None)  # type: ignore[arg-type]  # ctypes takes bytes here; typeshed does not say so
            if zb.zbar_scan_image(self._scanner, image) <= 0:
                return []
            out = []
            symbol = zb.zbar_image_first_symbol(image)
            while symbol:
                data = string_at(zb.zbar_symbol_get_data(symbol), zb.zbar_symbol_get_data_length(symbol))
                out.append(Decoded(_AIM_BY_TYPE.get(symbol.contents.type, ""), data))
                symbol = zb.zbar_symbol_next(symbol)
            return out
        finally:
            zb.zbar_image_destroy(image)

    def close(self) -> None:
        """Free the zbar scanner."""
        if self._scanner:
            zb.zbar_image_scanner_destroy(self._scanner)
            self._scanner = None


class FrameDecoder:
    """zbar for 1D and QR codes, zxing-cpp only for what zbar cannot read (DataMatrix and kin)."""

    def __init__(self, symbologies: tuple[str, ...] = DEFAULT_SYMBOLOGIES, scale: float = 0.5) -> None:
        unknown = [s for s in symbologies if s not in ZBAR_SYMBOLS and s not in ZXING_FORMATS]
        if unknown:
            raise ValueError(f"unknown symbologies {unknown}; known: {', '.join([*ZBAR_SYMBOLS, *ZXING_FORMATS])}")
        self.scale = scale
        zbar_names = tuple(s for s in symbologies if s in ZBAR_SYMBOLS)
        self.zbar = ZbarDecoder(zbar_names) if zbar_names else None
        formats = [ZXING_FORMATS[s] for s in symbologies if s in ZXING_FORMATS]
        self.zxing_formats: Any = None
        for f in formats:
            self.zxing_formats = f if self.zxing_formats is None else self.zxing_formats | f

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        """Decode one BGR or grayscale frame."""
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
        if self.scale != 1.0:
            gray = cv2.resize(gray, None, fx=self.scale, fy=self.scale, interpolation=cv2.INTER_AREA)
        found = self.zbar.decode(gray) if self.zbar else []
        if self.zxing_formats is not None:
            for r in zxingcpp.read_barcodes(gray, formats=self.zxing_formats):
                found.append(Decoded(r.symbology_identifier, r.bytes))
        return found


def video_source(url: str) -> int | str:
    """A device index for digit-only URLs, else the path or stream URL as given."""
    return int(url) if url.isdigit() else url


class CameraReader(DeviceReader):
    """A `camera` device: decodes frames and reports each code once per quiet window."""

    kind = "camera"

    def __init__(self, device: DeviceConfig, sink: ScanSink) -> None:
        super().__init__(device, sink)
        symbologies = tuple(device.option("symbologies", DEFAULT_SYMBOLOGIES))
        self.decoder = FrameDecoder(symbologies, float(device.option("decode_scale", 0.5)))
        self.repeat = RepeatFilter(float(device.option("repeat_s", 2.0)))
        self.loop = bool(device.option("loop", False))
        self.fps = float(device.option("fps", 0))
        self.frames = 0
        self._cap: cv2.VideoCapture | None = None
        self._next_frame_at = 0.0

    def _connect(self) -> None:
        cap = cv2.VideoCapture(video_source(self.device.url))
        if not cap.isOpened():
            cap.release()
            raise OSError(f"cannot open video source {self.device.url}")
        self._cap = cap

    def _pump(self) -> None:
        cap = self._cap
        assert cap is not None
        if self.fps:
            delay = self._next_frame_at - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)
            self._next_frame_at = max(self._next_frame_at, time.monotonic()) + 1 / self.fps
        ok, frame = cap.read()
        if not ok:
            if isinstance(video_source(self.device.url), str) and not self.loop and "://" not in self.device.url:
                self._stop.set()  # a file that has ended: nothing more will come
                return
            raise DeviceGone("no frame from video source")
        self.frames += 1
        codes = [d.raw for d in self.decoder.decode(frame) if self.repeat.admit(d.raw)]
        self.deliver(codes)

    def _disconnect(self) -> None:
        cap, self._cap = self._cap, None
        if cap is not None:
            cap.release()

    @property
    def finished(self) -> bool:
        """True when a file source has played to its end."""
        return self.status().state is ReaderState.STOPPED
