"""Camera decoding on simulated frames and a simulated video file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from floor.scanners.base import DeviceReader, ReaderState
from floor.scanners.camera import CameraReader, FrameDecoder
from floor.scanners.memory_sink import MemorySink
from hardware_sim.camera import CameraSim, Shot
from tests.scanners.conftest import device

SIM = CameraSim(seed=3)
MIXED = Shot(
    [("code128", "P:OIL-5W30"), ("ean13", "4012345678901"), ("qrcode", "WO:1001"), ("datamatrix", "P:FILTER-9")],
    rotation_deg=6,
    noise_sigma=6,
    blur=3,
)


def test_decoder_reads_code128_ean13_qr_with_aim_ids_despite_noise_blur_rotation() -> None:
    """GIVEN a 1280x720 frame with rotated, blurred, noisy Code 128, EAN-13 and QR labels
    WHEN decoded with the default settings
    THEN all three are read, each with its AIM symbology identifier."""
    found = {d.raw for d in FrameDecoder(("code128", "ean13", "qrcode")).decode(SIM.frame(MIXED))}
    assert found == {b"]C0P:OIL-5W30", b"]E04012345678901", b"]Q1WO:1001"}


def test_zbar_cannot_read_datamatrix_but_zxing_fallback_does() -> None:
    """GIVEN the same frame with an OEM-style DataMatrix
    WHEN decoded by zbar alone and then with datamatrix enabled (zxing-cpp)
    THEN zbar alone misses it and the combined decoder reads it as ]d1."""
    frame = SIM.frame(MIXED)
    zbar_only = FrameDecoder(("code128", "ean13", "qrcode")).decode(frame)
    assert all(d.data != b"P:FILTER-9" for d in zbar_only)
    both = FrameDecoder(("code128", "ean13", "qrcode", "datamatrix")).decode(frame)
    assert b"]d1P:FILTER-9" in {d.raw for d in both}


def test_camera_reader_on_video_file_folds_repeats(
    tmp_path: Path, sink: MemorySink, running: Callable[..., DeviceReader]
) -> None:
    """GIVEN a video: a QR for 10 frames, nothing for 15, the QR again for 5, then an EAN-13
    WHEN a camera reader plays it at 50 fps with a 0.2 s repeat window
    THEN the QR is reported twice (once per appearance), the EAN once, and the reader stops at the end."""
    video = tmp_path / "bench.avi"
    sim = CameraSim(width=640, height=360)
    count = sim.write_video(
        video,
        [
            Shot([("qrcode", "WO:1001")], frames=10),
            Shot([], frames=15),
            Shot([("qrcode", "WO:1001")], frames=5),
            Shot([("ean13", "4012345678901")], frames=5),
        ],
    )
    reader = running(
        CameraReader(device(str(video), kind="camera", fps=50, repeat_s=0.2, decode_scale=1.0), sink), wait=False
    )
    assert reader.wait_state(ReaderState.STOPPED, 5.0)
    assert isinstance(reader, CameraReader) and reader.frames == count == 35
    assert sink.texts() == ["]Q1WO:1001", "]Q1WO:1001", "]E04012345678901"]


def test_missing_camera_is_retried(sink: MemorySink, running: Callable[..., DeviceReader]) -> None:
    """GIVEN a stream URL nothing answers
    WHEN the camera reader starts
    THEN it reports reconnecting with an error."""
    reader = running(CameraReader(device("/nonexistent/camera.avi", kind="camera", loop=True), sink), wait=False)
    assert reader.wait_state(ReaderState.RECONNECTING, 3.0)
    assert "cannot open" in (reader.status().last_error or "")
