"""`floor decode IMAGE...`: decode image files with the camera reader's decoder (a configured camera's options)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from floor.cli.support import load_cli_config
from floor.scanners.camera import DEFAULT_SYMBOLOGIES, FrameDecoder
from floor.scanners.camera_decode import decode_image_bytes, escape, json_line


def decoder_for(device: str | None, config_path: str | None) -> FrameDecoder:
    """The decoder of a configured camera device (its symbologies and scale), else the defaults."""
    if device is None:
        return FrameDecoder()
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
