"""Shared fixtures for device tests: an in-memory sink, device configs, reader lifecycles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from floor.config import DeviceConfig
from floor.scanners.base import DeviceReader, ReaderState
from floor.scanners.memory_sink import MemorySink


@pytest.fixture
def sink() -> MemorySink:
    """A fresh in-memory sink."""
    return MemorySink()


def device(url: str, kind: str = "serial-scanner", name: str = "scanner-1", **options: Any) -> DeviceConfig:
    """A device config as the TOML loader would build it."""
    return DeviceConfig(name=name, kind=kind, url=url, station="counter-1", options=options)


@pytest.fixture
def running() -> Iterator[Callable[[DeviceReader], DeviceReader]]:
    """Start readers and make sure they are stopped after the test."""
    started: list[DeviceReader] = []

    def start(reader: DeviceReader, wait: bool = True) -> DeviceReader:
        reader.start()
        started.append(reader)
        if wait:
            assert reader.wait_state(ReaderState.CONNECTED, 3.0), reader.status()
        return reader

    yield start
    for reader in started:
        reader.stop()
