"""Vehicles and their VINs."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.vin
    "bad_vin": (
        "VIN {vin} is not 17 letters and digits (no I, O or Q)",
        "车架号 {vin} 不是 17 位字母数字（不含 I、O、Q）",
    ),
    "bad_vin_check": (
        "VIN {vin}: the check digit (9th character) should be {expected}, not {found}; check the VIN for a typo",
        "车架号 {vin}：校验位（第 9 位）应为 {expected}，而不是 {found}；请核对车架号",
    ),
    # floor.core.vehicles.errors
    "unknown_vehicle": (
        "No vehicle with VIN or plate {key}: register it at reception",
        "没有车架号或车牌为 {key} 的车辆：请在接车时登记",
    ),
    "bad_vehicle_field": ("Vehicle {field}: {detail}", "车辆信息 {field}：{detail}"),
    "plate_moved": (
        "Plate {plate} was on vehicle {old_vin}; it is now on {vin}",
        "车牌 {plate} 原属车辆 {old_vin}，现已改登记到 {vin}",
    ),
    # floor.core.vehicles.scans
    "vehicle_opened": (
        "Vehicle {vin} ({plate}): no open job; {declined} declined item(s) to offer again",
        "车辆 {vin}（{plate}）：无在修工单；{declined} 项曾拒绝的项目可再次推荐",
    ),
    "vehicle_job_opened": (
        "Vehicle {vin} ({plate}): job {number}; {declined} declined item(s) to offer again",
        "车辆 {vin}（{plate}）：工单 {number}；{declined} 项曾拒绝的项目可再次推荐",
    ),
}
