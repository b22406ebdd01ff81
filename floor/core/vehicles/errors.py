"""The vehicle file's refusal (`VehicleError`) and the messages of its codes."""

from __future__ import annotations

from floor.core.scanning.context import Reject
from floor.core.vin import VinError


class VehicleError(Reject):
    """A vehicle rule refused: a bad VIN or field, an unknown vehicle (HTTP status by code in the web ring)."""


def vin_refusal(exc: VinError) -> VehicleError:
    """The VIN rule's error as the vehicle file's refusal (same code and parameters)."""
    return VehicleError(exc.code, **exc.params)
