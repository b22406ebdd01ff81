"""`floor decode IMAGE...`: decode image files with the camera reader's decoder (a configured camera's options)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from floor.cli.support import load_cli_config
from floor.scanners.camera import DEFAULT_SYMBOLOGIES, FrameDecoder
from floor.scanners.camera_decode import decode_image_bytes


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
@click.argument("images", nargs=-1, required=True, type=click.Path(dir_okay=False))
def decode_command(device: str | None, config_path: str | None, images: tuple[str, ...]) -> None:
    """Decode image files; print one line per code found: <file>TAB<AIM><data>."""
    decoder = decoder_for(device, config_path)
    failed = 0
    for name in images:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            click.echo(f"{name}: {exc.strerror or exc}", err=True)
            failed += 1
            continue
        codes = decode_image_bytes(data, decoder)
        if codes is None:
            click.echo(f"{name}: not an image", err=True)
            failed += 1
            continue
        for code in codes:
            text = code.data.decode("utf-8", "backslashreplace")
            click.echo(f"{name}\t{code.aim}{text}")
    if failed:
        sys.exit(1)
