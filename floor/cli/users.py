"""`floor users set-pin BADGE`: give a person the PIN that says yes to privileged acts (SPEC 10.6).

The PIN is read from standard input when it is not a terminal (`echo 4821 | floor users set-pin S-001`),
else asked twice without echo. Setting a PIN also lifts a lockout after wrong tries.
"""

from __future__ import annotations

import getpass
import sys

import click

from floor.cli.support import load_cli_config
from floor.core import messages
from floor.core.authority import BadgeError, resolve_badge
from floor.core.pins import set_pin
from floor.core.scanning.context import Reject


def _read_pin() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    pin = getpass.getpass("New PIN: ")
    if getpass.getpass("Again: ") != pin:
        raise click.ClickException("the two PINs differ; nothing was changed")
    return pin


@click.group("users")
def users() -> None:
    """People: PINs."""


@users.command("set-pin")
@click.argument("badge")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, help="floor.toml")
def set_pin_command(badge: str, config_path: str | None) -> None:
    """Set the PIN of the person with BADGE (read from stdin when it is not a terminal)."""
    from floor.db import Database
    from floor.db.migrate import upgrade

    cfg = load_cli_config(config_path)
    assert cfg is not None
    pin = _read_pin()
    db = Database.from_config(cfg)
    try:
        upgrade(db.engine)
        with db.writing() as s:
            user = resolve_badge(s, badge)
            set_pin(s, user, pin, actor="cli:set-pin")
            name = user.name
    except (BadgeError, Reject) as exc:
        raise click.ClickException(messages.render(exc.code, exc.params)[0]) from None
    finally:
        db.dispose()
    click.echo(f"PIN set for {name}")
