"""Sample data of a realistic dealer workshop: a few hundred parts, bins in zones, people, open jobs.

Pure and deterministic (seeded), so the demo, the benchmarks and tests see the
same workshop. Rows use the CSV columns of the contract.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from floor import clock
from floor.core import vin as vins

Row = dict[str, Any]

# (family, name, cost range, core?, reorder point, reorder qty, zone)
FAMILIES = [
    ("OF", "Oil filter", (6, 18), False, 10, 40, "A"),
    ("AF", "Air filter", (9, 30), False, 6, 20, "A"),
    ("CF", "Cabin filter", (8, 25), False, 6, 20, "A"),
    ("FF", "Fuel filter", (12, 45), False, 4, 12, "A"),
    ("SP", "Spark plug", (3, 14), False, 24, 96, "A"),
    ("BP", "Brake pad set", (25, 90), False, 4, 12, "B"),
    ("BD", "Brake disc", (30, 120), False, 2, 8, "B"),
    ("WB", "Wiper blade", (6, 22), False, 8, 30, "A"),
    ("BT", "Battery 12V", (70, 180), True, 2, 6, "C"),
    ("ALT", "Alternator (exchange)", (180, 420), True, 1, 2, "C"),
    ("STR", "Starter motor (exchange)", (150, 380), True, 1, 2, "C"),
    ("WP", "Water pump", (40, 160), False, 1, 4, "C"),
    ("TB", "Timing belt kit", (60, 220), False, 1, 3, "C"),
    ("SA", "Shock absorber", (45, 160), False, 2, 6, "D"),
    ("CV", "Drive shaft (exchange)", (120, 320), True, 1, 2, "D"),
    ("BL", "Bulb", (1, 12), False, 20, 80, "A"),
    ("FU", "Fuse", (0.5, 3), False, 40, 200, "A"),
    ("GS", "Gasket", (2, 30), False, 6, 20, "B"),
    ("SN", "Sensor", (25, 140), False, 2, 6, "B"),
    ("TR", "Tie rod end", (18, 70), False, 2, 6, "D"),
]
MAKES = ["VW", "Toyota", "Honda", "Buick", "BYD", "Geely", "Nissan", "Audi", "BMW", "Hyundai"]
MODELS = ["Passat", "Corolla", "Civic", "Excelle", "Han", "Emgrand", "Sylphy", "A4L", "325Li", "Elantra"]
PLATES = "京沪粤苏浙川鄂湘"
SURNAMES = ["Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Zhu"]
GIVEN = ["Wei", "Fang", "Min", "Jie", "Yang", "Lei", "Jun", "Tao", "Ming", "Hua", "Qiang", "Li", "Na", "Bo"]


def _ean13(payload12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(payload12))
    return payload12 + str((10 - total % 10) % 10)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def locations(zones: str = "ABCD", aisles: int = 4, levels: int = 5) -> list[Row]:
    """Bins `Z-AA-LL` in zones A–D, a receiving dock, a quarantine and a core bin."""
    rows: list[Row] = [
        {"code": f"{z}-{a:02d}-{lv:02d}", "name": f"Zone {z} aisle {a} level {lv}", "zone": z}
        for z in zones
        for a in range(1, aisles + 1)
        for lv in range(1, levels + 1)
    ]
    rows += [
        {"code": "R-00-01", "name": "Receiving dock", "zone": "R", "kind": "receiving"},
        {"code": "Q-00-01", "name": "Quarantine (returns)", "zone": "Q", "kind": "quarantine"},
        {"code": "K-00-01", "name": "Core store (old parts)", "zone": "K", "kind": "core"},
    ]
    return rows


def parts(count: int = 300, seed: int = 7) -> list[Row]:
    """`count` parts spread over the families, each with an EAN-13 alias; some are cores."""
    rng = random.Random(seed)
    rows: list[Row] = []
    for i in range(count):
        fam, name, (lo, hi), core, rop, rq, _zone = FAMILIES[i % len(FAMILIES)]
        make = MAKES[(i // len(FAMILIES)) % len(MAKES)]
        cost = round(rng.uniform(lo, hi), 2)
        rows.append(
            {
                "part_no": f"{fam}-{1000 + i}",
                "name": f"{name} {make}",
                "unit_cost": f"{cost:.2f}",
                "barcodes": _ean13(f"69{i:010d}"),
                "core": "yes" if core else "no",
                "reorder_point": str(rop),
                "reorder_qty": str(rq),
            }
        )
    return rows


def users() -> list[Row]:
    """Technicians, storekeepers, a supervisor, advisors and a foreman."""
    rng = random.Random(3)
    rows = [{"badge": f"T{n:03d}", "name": _name(rng), "role": "technician"} for n in range(1, 13)]
    rows += [{"badge": f"S{n:03d}", "name": _name(rng), "role": "storekeeper"} for n in range(1, 4)]
    rows += [
        {"badge": "SUP01", "name": _name(rng), "role": "supervisor"},
        {"badge": "ADV01", "name": _name(rng), "role": "advisor"},
        {"badge": "ADV02", "name": _name(rng), "role": "advisor"},
        {"badge": "FOR01", "name": _name(rng), "role": "foreman"},
    ]
    return rows


def workorders(count: int = 36, now: datetime | None = None, seed: int = 11) -> list[Row]:
    """Open jobs promised over the next hours, some already late."""
    rng = random.Random(seed)
    now = now or clock.now()
    rows = []
    for i in range(count):
        promised = now + timedelta(minutes=rng.randint(-90, 8 * 60))
        plate = f"{rng.choice(PLATES)}A·{rng.randint(10000, 99999)}"
        j = rng.randrange(len(MAKES))
        rows.append(
            {
                "number": str(24001 + i),
                "vehicle": f"{plate} {MAKES[j]} {MODELS[j]}",
                "customer": _name(rng),
                "promised_at": promised.replace(microsecond=0).isoformat(),
                "estimate_minutes": str(rng.choice([30, 45, 60, 90, 120, 180, 240])),
            }
        )
    return rows


# The labour catalogue (SPEC 10.2): flat-rate hours per operation.
OPERATIONS: list[Row] = [
    {"code": "OIL-CHG", "name": "Engine oil and filter change", "name_zh": "更换机油机滤", "hours": "0.8"},
    {"code": "BRK-FRT", "name": "Front brake pads replace", "name_zh": "更换前刹车片", "hours": "1.2"},
    {"code": "DIAG", "name": "Diagnosis", "name_zh": "故障诊断", "hours": "0.5"},
    {"code": "AC-SVC", "name": "Air conditioning service", "name_zh": "空调保养", "hours": "1.0"},
    {"code": "ALIGN", "name": "Wheel alignment", "name_zh": "四轮定位", "hours": "0.7"},
    {"code": "SPARK", "name": "Spark plugs replace", "name_zh": "更换火花塞", "hours": "0.9"},
]
# What customers say, in their words, and the operation that answers it.
CONCERNS: list[tuple[str, str]] = [
    ("保养到期 Service due", "OIL-CHG"),
    ("刹车时有异响 Squeal when braking", "BRK-FRT"),
    ("发动机故障灯亮 Engine light on", "DIAG"),
    ("空调不凉 A/C not cold", "AC-SVC"),
    ("加速无力 Weak when accelerating", "SPARK"),
]
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def vin(i: int) -> str:
    """A VIN of the i-th demo car, with its right check digit (a Chinese maker's WMI, `L...`)."""
    rng = random.Random(1000 + i)
    body = "LSV" + "".join(rng.choice(_VIN_CHARS) for _ in range(14))
    return body[:8] + vins.check_digit(body) + body[9:]


def concerns_of_job(i: int) -> list[tuple[str, str]]:
    """The i-th demo job's concerns: one or two, with their operations."""
    first = CONCERNS[i % len(CONCERNS)]
    return [first] if i % 3 else [first, CONCERNS[(i + 2) % len(CONCERNS)]]


def stock(part_rows: list[Row], loc_rows: list[Row], seed: int = 5) -> list[Row]:
    """Opening balances: each part in one or two bins of its family's zone."""
    rng = random.Random(seed)
    by_zone: dict[str, list[str]] = {}
    for loc in loc_rows:
        by_zone.setdefault(loc["zone"], []).append(loc["code"])
    rows = []
    for i, part in enumerate(part_rows):
        zone = FAMILIES[i % len(FAMILIES)][6]
        bins = by_zone.get(zone) or by_zone[next(iter(by_zone))]
        rop = int(part["reorder_point"])
        # Most parts sit comfortably above their warning line; about one in eight is running low.
        low = rng.random() < 0.12
        for code in rng.sample(bins, 1 if rng.random() < 0.7 else 2):
            qty = rng.randint(0, max(rop - 1, 0)) if low else rng.randint(rop, rop * 3 + 4)
            rows.append({"part_no": part["part_no"], "location": code, "qty": str(qty)})
    return rows


def workshop(now: datetime | None = None, part_count: int = 300) -> dict[str, list[Row]]:
    """Every kind of sample row, in import order."""
    locs = locations()
    prts = parts(part_count)
    return {
        "locations": locs,
        "parts": prts,
        "users": users(),
        "workorders": workorders(now=now),
        "stock": stock(prts, locs),
    }
