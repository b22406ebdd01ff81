"""The camera decoder on photographed barcodes: it reads at least what the better of pyzbar and zxing-cpp reads."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from pyzbar import pyzbar

from floor.scanners.camera import FrameDecoder
from floor.scanners.camera_decode import escape
from floor.scanners.photos import PHOTOS, SYMBOLOGIES, photo_set, read_rate


def _pyzbar(gray) -> set[bytes]:
    return {r.data for r in pyzbar.decode(gray)}


def _zxing(gray) -> set[bytes]:
    return {r.bytes for r in zxingcpp.read_barcodes(gray)}


@pytest.mark.parametrize("symbology", SYMBOLOGIES)
def test_default_decoder_reads_at_least_the_better_library(symbology: str) -> None:
    """GIVEN the photographs of one symbology WHEN read by pyzbar alone, zxing-cpp alone (their defaults) and
    floor's default decoder THEN floor reads at least as many as the better library, and more than none."""
    photos = photo_set(symbology)
    assert len(photos) >= 19
    decoder = FrameDecoder()
    ours = read_rate(photos, lambda g: {d.data for d in decoder.decode(g)})
    by_zbar = read_rate(photos, _pyzbar)
    by_zxing = read_rate(photos, _zxing)
    assert ours >= max(by_zbar, by_zxing), (symbology, ours, by_zbar, by_zxing)
    assert ours > 0.5


def test_floor_decode_prints_file_aim_and_data(tmp_path: Path) -> None:
    """GIVEN a photo of a QR code, one of a DataMatrix and a file that is no image WHEN `floor decode` runs
    THEN it prints `<file>TAB<AIM><data>` for each code (a backslash escaped), names the bad file on stderr, exits 1."""
    from floor.cli.main import main

    qr = PHOTOS / "qrcode" / "qrcode-1_1.webp"
    dm = PHOTOS / "datamatrix" / "datamatrix-2_01.webp"
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    result = CliRunner().invoke(main, ["decode", str(qr), str(dm), str(bad)])
    lines = result.stdout.splitlines()
    assert lines == [
        f"{qr}\t]Q1" + escape((PHOTOS / "qrcode" / "qrcode-1_1.txt").read_text().strip()),
        f"{dm}\t]d1" + escape((PHOTOS / "datamatrix" / "datamatrix-2_01.txt").read_text().strip()),
    ]
    assert f"{bad}: not an image" in result.stderr and result.exit_code == 1


def test_floor_decode_with_a_device_uses_its_symbologies(tmp_path: Path) -> None:
    """GIVEN a camera device limited to QR codes WHEN a DataMatrix photo is decoded with --device THEN nothing is
    printed; an unknown device is a clear error."""
    from floor.cli.main import main

    cfg = tmp_path / "floor.toml"
    cfg.write_text(
        '[database]\nurl = "sqlite:///x.db"\n[[stations]]\nname = "dock-1"\nkind = "receiving"\n'
        '[[devices]]\nname = "cam"\nkind = "camera"\nurl = "0"\nstation = "dock-1"\nsymbologies = ["qrcode"]\n'
    )
    dm = str(PHOTOS / "datamatrix" / "datamatrix-2_01.webp")
    result = CliRunner().invoke(main, ["decode", "--config", str(cfg), "--device", "cam", dm])
    assert result.exit_code == 0 and result.stdout == ""
    unknown = CliRunner().invoke(main, ["decode", "--config", str(cfg), "--device", "nope", dm])
    assert unknown.exit_code != 0 and "no device 'nope'" in unknown.output
