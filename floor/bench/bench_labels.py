"""Label benchmarks: ZPL labels and PNG previews generated per second, on a realistic mix of kinds."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from floor.labels.kinds import BadgeData, BinData, CoreData, LabelData, PartData, WorkOrderData, build_label
from floor.labels.preview import modules, symbol_image, to_png
from floor.labels.textgfx import text_graphic, text_mask
from floor.labels.zpl import to_zpl

# Part names as a Chinese dealer's catalogue words them; they repeat across part numbers.
NAMES = [
    "机油滤清器 Oil filter",
    "空气滤清器 Air filter",
    "前刹车片 Front brake pads",
    "火花塞 Spark plug",
    "雨刮片 Wiper blade",
    "发电机 Alternator",
    "起动机 Starter",
    "水泵 Water pump",
    "正时皮带 Timing belt",
    "空调滤芯 Cabin filter",
    "刹车盘 Brake disc",
    "减震器 Shock absorber",
    "蓄电池 Battery",
    "节温器 Thermostat",
    "氧传感器 O2 sensor",
    "点火线圈 Ignition coil",
]
TECHS = ["李师傅", "王强", "张伟", "刘洋", "陈杰", "Zhao Min"]
ROLES = ["technician", "storekeeper", "supervisor", "advisor", "foreman"]
AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def sample(n: int) -> list[LabelData]:
    """n label data of mixed kinds with unique ids: half parts, then bins, cores, job cards, badges."""
    out: list[LabelData] = []
    for i in range(n):
        k = i % 10
        if k < 5:
            out.append(PartData(f"{90000 + i}-YZZD{i % 7}", NAMES[i % len(NAMES)]))
        elif k < 7:
            out.append(BinData(f"{'ABCDEF'[i % 6]}-{i % 40:02d}-{i % 9:02d}", "Shelf 货架", "ABCDEF"[i % 6]))
        elif k == 7:
            out.append(CoreData(f"{1000 + i}-ALT-{i}", str(1000 + i), f"27060-{i:05d}", NAMES[i % len(NAMES)], AT))
        elif k == 8:
            out.append(WorkOrderData(str(100000 + i), f"粤B{i:05d} Camry", TECHS[i % len(TECHS)], AT, 90))
        else:
            out.append(BadgeData(f"T{i:04d}", TECHS[i % len(TECHS)], ROLES[i % len(ROLES)]))
    return out


def _clear_caches() -> None:
    for cached in (text_graphic, text_mask, modules, symbol_image):
        cached.cache_clear()


def _rate(fn: Any, items: list[LabelData]) -> float:
    """Labels per second over one pass of distinct labels, starting with cold caches."""
    _clear_caches()
    start = time.perf_counter()
    for d in items:
        fn(build_label(d))
    return len(items) / (time.perf_counter() - start)


def run(quick: bool = False) -> dict[str, float]:
    """Measure label generation: {"zpl_labels_per_s": …, "png_labels_per_s": …} (targets 2000 and 200)."""
    n = 300 if quick else 4000
    items = sample(n)
    zpl = _rate(to_zpl, items)
    png = _rate(to_png, items[: n // 4])
    # Worst case: every label carries Chinese text never drawn before (no cache hits).
    unique = [PartData(f"U{i}", f"配件{i}号 {NAMES[i % len(NAMES)]}") for i in range(n // 4)]
    _clear_caches()
    start = time.perf_counter()
    for d in unique:
        to_zpl(build_label(d))
    cold = len(unique) / (time.perf_counter() - start)
    return {
        "zpl_labels_per_s": round(zpl, 1),
        "png_labels_per_s": round(png, 1),
        "zpl_uncached_cjk_labels_per_s": round(cold, 1),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run()))
