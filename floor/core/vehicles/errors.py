"""The vehicle file's refusal (`VehicleError`) and the messages of its codes."""

from __future__ import annotations

from floor.core import messages
from floor.core.scanning.context import Reject
from floor.core.vin import VinError

messages.register(
    {
        "unknown_vehicle": (
            "No vehicle with VIN or plate {key}: register it at reception",
            "没有车架号或车牌为 {key} 的车辆：请在接车时登记",
        ),
        "bad_vehicle_field": ("Vehicle {field}: {detail}", "车辆信息 {field}：{detail}"),
        "plate_moved": (
            "Plate {plate} was on vehicle {old_vin}; it is now on {vin}",
            "车牌 {plate} 原属车辆 {old_vin}，现已改登记到 {vin}",
        ),
    }
)


class VehicleError(Reject):
    """A vehicle rule refused: a bad VIN or field, an unknown vehicle (HTTP status by code in the web ring)."""


def vin_refusal(exc: VinError) -> VehicleError:
    """The VIN rule's error as the vehicle file's refusal (same code and parameters)."""
    return VehicleError(exc.code, **exc.params)
