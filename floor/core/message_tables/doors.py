"""The web and kiosk rings' own refusals: a token's stations, the handheld's requests.

Their statuses are in `floor.http.errors.HTTP_STATUS`; their texts are here with every other code's,
so that one look-up renders any code.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.http.principal
    "station_denied": (
        "This token may only post for stations {stations}, not {station}",
        "此令牌只能用于工位 {stations}，不能用于 {station}",
    ),
    # floor.kiosk.handheld
    "bad_device": (
        "Bad device id (at most 64 letters, digits, : _ . -)",
        "设备编号无效（最多 64 个字母、数字、: _ . -）",
    ),
    "bad_lookup": ("Scan a part or a bin", "请扫描配件或库位"),
    "bad_frame": ("Send one JPEG or PNG frame (at most 4 MB)", "请发送一帧 JPEG 或 PNG 图像（最大 4 MB）"),
}
