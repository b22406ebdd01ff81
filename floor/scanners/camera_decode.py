r"""Decoding still images with the camera reader's decoder: `floor decode` and the handheld's frame upload.

`floor decode` prints one line per code, `<file>TAB<AIM><text>`, with the text read in the
character set the symbol declares (ECI), else as zxing-cpp reads it. So that a line is always
one code, `escape` writes control characters as escapes: a backslash as `\\`, TAB, LF and CR
as `\t`, `\n`, `\r`, other control characters (GS1's FNC1 separator GS among them) as `\xHH`,
and the Unicode line and paragraph separators as `\u2028`, `\u2029`; the file name likewise.
`--json` prints one JSON object per line instead, `{"file", "aim", "text"}`, in ASCII with JSON's escapes.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import click
import cv2
import numpy as np

from floor.scanners.camera import DEFAULT_SYMBOLOGIES, Decoded, FrameDecoder

_decoder: FrameDecoder | None = None


def decode_image_bytes(data: bytes, decoder: FrameDecoder | None = None) -> list[Decoded] | None:
    """Every code in an encoded image (JPEG, PNG, WebP, ...); None when the bytes are not an image."""
    global _decoder
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None:
        return None
    if decoder is None:
        _decoder = _decoder or FrameDecoder()
        decoder = _decoder
    return decoder.decode(img)


def decoder_for(device: str | None, config_path: str | None) -> FrameDecoder:
    """The decoder of a configured camera device (its symbologies and scale), else the defaults."""
    if device is None:
        return FrameDecoder()
    from floor.cli.support import load_cli_config

    cfg = load_cli_config(config_path)
    assert cfg is not None
    dev = cfg.devices.get(device)
    if dev is None:
        raise click.ClickException(f"no device {device!r}; configured: {', '.join(cfg.devices) or 'none'}")
    if dev.kind != "camera":
        raise click.ClickException(f"device {device!r} is a {dev.kind}, not a camera")
    try:
        return FrameDecoder(
            tuple(dev.option("symbologies", DEFAULT_SYMBOLOGIES)),
            float(dev.option("decode_scale", 1.0)),
            int(dev.option("pyramid_every", 8)),
        )
    except (TypeError, ValueError) as exc:
        raise click.ClickException(f"device {device!r}: {exc}") from None


_NAMED_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape_char(char: str) -> str:
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    if unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs"):  # Cs: a file name's undecodable bytes
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def escape(text: str) -> str:
    """The text on one line: backslash, control characters and line separators as escapes (see the module)."""
    if text.isprintable() and "\\" not in text:
        return text  # the common case: nothing to escape
    return "".join(_escape_char(c) for c in text)


def json_line(name: str, code: Decoded) -> str:
    """One code as a JSON object on one line, in ASCII (every other character as a JSON \\u escape)."""
    return json.dumps({"file": name, "aim": code.aim, "text": code.text})


@click.command("decode")
@click.option("--device", default=None, help="Use this camera device's options (symbologies, decode_scale).")
@click.option("--config", "config_path", default=None, help="Config file (with --device).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print one JSON object per code and line: {"file", "aim", "text"}.',
)
@click.argument("images", nargs=-1, required=True, type=click.Path(dir_okay=False))
def decode_command(device: str | None, config_path: str | None, as_json: bool, images: tuple[str, ...]) -> None:
    r"""Decode image files; print one line per code found: <file>TAB<AIM><text>.

    The text is read in the character set the symbol declares (ECI), else as zxing-cpp reads it.
    Backslash, control characters and line separators in it (and in the file name) are escaped
    as \\, \t, \n, \r, \xHH (GS1's separator GS is \x1d), \u2028 and \u2029, so one line is
    always one code. --json prints {"file", "aim", "text"} per line instead, in ASCII with JSON's
    escapes. Files that cannot be read are named on stderr and the exit status is 1.
    """
    decoder = decoder_for(device, config_path)
    failed = 0
    for name in images:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            click.echo(f"{escape(name)}: {exc.strerror or exc}", err=True)
            failed += 1
            continue
        codes = decode_image_bytes(data, decoder)
        if codes is None:
            click.echo(f"{escape(name)}: not an image", err=True)
            failed += 1
            continue
        for code in codes:
            click.echo(json_line(name, code) if as_json else f"{escape(name)}\t{code.aim}{escape(code.text)}")
    if failed:
        sys.exit(1)
