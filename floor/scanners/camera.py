"""Cameras as scanners: OpenCV video source, zxing-cpp and zbar decoding.

The device URL is a video device index ("0"), a file path or a stream URL (rtsp://, http://).
Options:
  symbologies   list of names, default ["code128", "ean13", "qrcode", "datamatrix"]
                (also ean8, upca, upce, code39, i25, aztec, pdf417)
  decode_scale  frames are resized by this factor before decoding (default 1.0: zxing-cpp
                reads a 720p frame at full scale at well over 30 fps on one core; 0.5 is
                cheaper on slow boxes and loses small or distant labels)
  pyramid_every on a run of frames with nothing found, every n-th one is also tried at other
                scales (default 8)
  repeat_s      the same code is not reported again within this many seconds (default 2.0)
  loop          for files: start again at the end (default false: the reader stops)
  fps           pace file playback at this rate (default 0: as fast as decoding goes)
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from ctypes import c_void_p, cast, string_at
from dataclasses import dataclass

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
# zxing-cpp reads every symbology floor knows; zbar only the 1D ones and QR.
ZXING_FORMATS = {
    "code128": zxingcpp.BarcodeFormat.Code128,
    "ean13": zxingcpp.BarcodeFormat.EAN13,
    "ean8": zxingcpp.BarcodeFormat.EAN8,
    "upca": zxingcpp.BarcodeFormat.UPCA,
    "upce": zxingcpp.BarcodeFormat.UPCE,
    "code39": zxingcpp.BarcodeFormat.Code39,
    "i25": zxingcpp.BarcodeFormat.ITF,
    "qrcode": zxingcpp.BarcodeFormat.QRCode,
    "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
    "aztec": zxingcpp.BarcodeFormat.Aztec,
    "pdf417": zxingcpp.BarcodeFormat.PDF417,
}
DEFAULT_SYMBOLOGIES = ("code128", "ean13", "qrcode", "datamatrix")
# Scales tried (zxing thorough, then zbar) when the fast pass finds nothing: small codes in photos
# read after upscaling, blurred and noisy ones after shrinking.
PYRAMID = (1.5, 0.5)
_AIM_BY_TYPE = {sym.value: aim for sym, aim in ZBAR_SYMBOLS.values()}


@dataclass(frozen=True)
class Decoded:
    """One code found in a frame: AIM symbology identifier and its text, read in the symbol's character set."""

    aim: str
    text: str

    @property
    def data(self) -> bytes:
        """The text as UTF-8, the encoding floor's scan path reads."""
        return self.text.encode("utf-8", "replace")

    @property
    def raw(self) -> bytes:
        """The scan as a serial scanner would send it: AIM prefix then data."""
        return self.aim.encode("ascii") + self.data


def zbar_text(data: bytes) -> str:
    """zbar's data as text: zbar hands over QR text converted to UTF-8; 1D codes carry ISO 8859-1."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


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
                out.append(Decoded(_AIM_BY_TYPE.get(symbol.contents.type, ""), zbar_text(data)))
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
    """zxing-cpp first at full scale, zbar where zxing finds nothing, then a pyramid of scales.

    On the photo set (tests/data/photos) zxing-cpp reads more DataMatrix, QR and Code 128,
    zbar more EAN-13; in this order, plus the pyramid, they read at least as much as the
    better of the two on every symbology (tests/scanners/test_camera_photos.py).

    `decode` (a still image: `floor decode`, the handheld's frame upload) runs every stage
    until one finds something. `decode_stream` (the camera reader) runs the cheap stages on
    every frame (zxing at full scale without its 90° turns and inversions, zbar at half scale)
    and, on every `pyramid_every`-th frame in a row with nothing found, ONE of the costly
    stages in turn: empty frames stay cheap, and a code held in view gets every stage within
    a second.
    """

    def __init__(
        self, symbologies: tuple[str, ...] = DEFAULT_SYMBOLOGIES, scale: float = 1.0, pyramid_every: int = 8
    ) -> None:
        unknown = [s for s in symbologies if s not in ZBAR_SYMBOLS and s not in ZXING_FORMATS]
        if unknown:
            raise ValueError(f"unknown symbologies {unknown}; known: {', '.join(ZXING_FORMATS)}")
        self.scale = scale
        self.pyramid_every = max(1, int(pyramid_every))
        zbar_names = tuple(s for s in symbologies if s in ZBAR_SYMBOLS)
        self.zbar = ZbarDecoder(zbar_names) if zbar_names else None
        self.zxing_formats = zxingcpp.BarcodeFormats([ZXING_FORMATS[s] for s in symbologies if s in ZXING_FORMATS])
        self._empty_run = 0
        self._next_stage = 0

    def _gray(self, frame: np.ndarray) -> np.ndarray:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
        if self.scale != 1.0:
            gray = cv2.resize(gray, None, fx=self.scale, fy=self.scale, interpolation=cv2.INTER_AREA)
        return gray

    def _zxing(self, gray: np.ndarray, thorough: bool) -> list[Decoded]:
        if not self.zxing_formats:
            return []
        # The fast pass skips zxing's 90° turns and inverted images: they triple the cost of a
        # DataMatrix search on a 720p frame; the thorough stages try them.
        # TextMode.Plain: the text in the character set the symbol declares (ECI), else as zxing-cpp
        # guesses it (Shift_JIS for QR Kanji, ISO 8859-1 for QR bytes), with GS1's FNC1 kept as GS.
        # Its raw bytes would print Shift_JIS or Latin-1 as garbage and reach the scan path as non-UTF-8.
        results = zxingcpp.read_barcodes(
            gray,
            formats=self.zxing_formats,
            try_rotate=thorough,
            try_invert=thorough,
            text_mode=zxingcpp.TextMode.Plain,
        )
        return [Decoded(r.symbology_identifier, r.text) for r in results]

    def _zbar(self, gray: np.ndarray) -> list[Decoded]:
        return self.zbar.decode(gray) if self.zbar is not None else []

    def _stages(self, gray: np.ndarray) -> list[Callable[[], list[Decoded]]]:
        """The costly stages, in the order a still image tries them."""
        stages: list[Callable[[], list[Decoded]]] = [
            lambda: self._zbar(gray),
            lambda: self._zxing(gray, True),
        ]
        for factor in PYRAMID:
            if factor > 1 and min(gray.shape) * factor > 1600:
                continue  # upscaling only helps small codes in small images; skip it for big frames
            stages.append(functools.partial(self._scaled, gray, factor))
        return stages

    def _scaled(self, gray: np.ndarray, factor: float) -> list[Decoded]:
        interp = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
        small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=interp)
        return self._zxing(small, True) or self._zbar(small)

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        """Every code in one BGR or grayscale image, trying every stage until one finds something."""
        gray = self._gray(frame)
        found = self._zxing(gray, False)
        for stage in self._stages(gray):
            if found:
                break
            found = stage()
        return _unique(found)

    def decode_stream(self, frame: np.ndarray) -> list[Decoded]:
        """Codes in one camera frame: the cheap stages, plus one costly stage on every n-th empty frame."""
        gray = self._gray(frame)
        found = self._zxing(gray, False)
        if not found and self.zbar is not None:
            found = self.zbar.decode(cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))
        if not found:
            self._empty_run += 1
            if self._empty_run % self.pyramid_every == 0:
                stages = self._stages(gray)
                found = stages[self._next_stage % len(stages)]()
                self._next_stage += 1
        if found:
            self._empty_run = 0
            self._next_stage = 0
        return _unique(found)


def _unique(found: list[Decoded]) -> list[Decoded]:
    seen: set[bytes] = set()
    out = []
    for d in found:
        if d.raw not in seen:
            seen.add(d.raw)
            out.append(d)
    return out


def video_source(url: str) -> int | str:
    """A device index for digit-only URLs, else the path or stream URL as given."""
    return int(url) if url.isdigit() else url


class CameraReader(DeviceReader):
    """A `camera` device: decodes frames and reports each code once per quiet window."""

    kind = "camera"

    def __init__(self, device: DeviceConfig, sink: ScanSink) -> None:
        super().__init__(device, sink)
        symbologies = tuple(device.option("symbologies", DEFAULT_SYMBOLOGIES))
        self.decoder = FrameDecoder(
            symbologies, float(device.option("decode_scale", 1.0)), int(device.option("pyramid_every", 8))
        )
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
        codes = [d.raw for d in self.decoder.decode_stream(frame) if self.repeat.admit(d.raw)]
        self.deliver(codes)

    def _disconnect(self) -> None:
        cap, self._cap = self._cap, None
        if cap is not None:
            cap.release()

    @property
    def finished(self) -> bool:
        """True when a file source has played to its end."""
        return self.status().state is ReaderState.STOPPED
