"""What every `floor` subcommand shares: finding and loading the config, with errors a person can act on."""

from __future__ import annotations

import click

from floor.config import Config, ConfigError, find_config, load_config

NO_CONFIG = (
    "no floor.toml found (looked at --config, $FLOOR_CONFIG, ./floor.toml and the instance folder); "
    "create one with `floor init`"
)


def load_cli_config(explicit: str | None = None, instance: str | None = None, required: bool = True) -> Config | None:
    """The config by the contract's search order; a missing or broken one is a ClickException."""
    path = find_config(explicit, instance)
    if path is None:
        if required:
            raise click.ClickException(NO_CONFIG)
        return None
    try:
        return load_config(path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
