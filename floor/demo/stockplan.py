"""The demo's parts demand and the stock that answers it, so the history's stock figures look like a real store.

A parts manager sizes the shelf to what the workshop and the counter use: each part's reorder point covers two weeks of
its demand and its reorder quantity three (both at least a job's units of it), the opening stock sits between the two, and the Monday order
brings the reorder quantity of every part at or below its reorder point. A part asked for only a few times a year is
ordered for the job, not stocked (its request line is not met from stock: the fill rate is high, not 100 %); a part
nobody asks for (alternators, starters, timing kits) keeps the odd unit on the shelf without a warning line: the dead stock
a real store carries. The result is a turnover of about 4-8 a year and 45-90 days of supply.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from floor.demo.sample_data import MAKES

# How often the makes come in (VW and Toyota most, BMW and Hyundai least): a part's demand follows its make.
MAKE_SHARE = dict(zip(MAKES, (20, 16, 14, 10, 10, 8, 8, 6, 4, 4), strict=True))
# Per operation: (part family, units, probability) of what the job fits. A battery is an exchange part (a core): its
# old unit must come back, or be waived, before the car is handed over (floor.demo.cores).
JOB_PARTS: dict[str, list[tuple[str, int, float]]] = {
    "OIL": [("OF", 1, 1.0), ("AF", 1, 0.5), ("CF", 1, 0.3), ("GS", 1, 0.8), ("SP", 4, 0.15), ("FF", 1, 0.1)],
    "BRK": [("BP", 1, 1.0), ("BD", 2, 0.4)],
    "DIAG": [("SN", 1, 0.5), ("FU", 2, 0.3), ("SP", 4, 0.2)],
    "AC": [("CF", 1, 1.0)],
    "SUSP": [("SA", 2, 1.0), ("TR", 1, 0.5)],
    "BAT": [("BT", 1, 0.7), ("FU", 2, 0.5), ("BL", 2, 0.6), ("WB", 2, 0.3)],
}
# What walk-in and trade customers buy at the counter: (family, weight, most units on a line).
COUNTER_PARTS = [("OF", 6, 4), ("WB", 5, 2), ("BL", 5, 6), ("SP", 4, 8), ("FU", 3, 10), ("AF", 3, 2), ("BP", 2, 2)]
JOBS_PER_WEEK = 15.0  # 2-3 cars a day, Monday to Saturday
SALES_PER_WEEK = 9.0  # one or two counter sales a working day
LINES_PER_SALE = 2.0
SLOW = 0.1  # units a week: a part asked for less often is ordered for the job, not stocked
LEFT_OVER = 0.06  # of the parts not stocked, the share with a unit left over on the shelf (dead stock)


@dataclass
class Shelf:
    """Each part's one bin, on-hand (as the simulation tracks it), reorder point and quantity."""

    bin: dict[str, str] = field(default_factory=dict)
    on_hand: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reorder_point: dict[str, int] = field(default_factory=dict)
    reorder_qty: dict[str, int] = field(default_factory=dict)
    by_family_make: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))


def _make_of(part: dict[str, Any]) -> str:
    return str(part["name"]).rsplit(" ", 1)[-1]


def weekly_demand(parts: list[dict[str, Any]]) -> dict[str, float]:
    """Expected units a week per part: the jobs' fitted parts and the counter's sales, by family and make."""
    total_share = sum(MAKE_SHARE.values())
    per_fam_make: dict[tuple[str, str], int] = defaultdict(int)
    for p in parts:
        per_fam_make[(p["part_no"].split("-")[0], _make_of(p))] += 1
    fam_units: dict[str, float] = defaultdict(float)
    for uses in JOB_PARTS.values():
        for fam, units, prob in uses:
            fam_units[fam] += JOBS_PER_WEEK / len(JOB_PARTS) * units * prob
    weights = sum(w for _, w, _ in COUNTER_PARTS)
    for fam, w, most in COUNTER_PARTS:
        fam_units[fam] += SALES_PER_WEEK * LINES_PER_SALE * w / weights * (most + 1) / 2
    out: dict[str, float] = {}
    for p in parts:
        fam, make = p["part_no"].split("-")[0], _make_of(p)
        share = MAKE_SHARE.get(make, 1) / total_share / max(per_fam_make[(fam, make)], 1)
        out[p["part_no"]] = fam_units.get(fam, 0.0) * share
    return out


def plan_stock(rows: dict[str, list[dict[str, Any]]], rng: random.Random) -> Shelf:
    """Set each part's reorder point and quantity from its demand and write the opening stock (one bin a part).

    Changes `rows["parts"]` and replaces `rows["stock"]` (the rows the history imports); returns the shelf.
    """
    demand = weekly_demand(rows["parts"])
    first_bin: dict[str, str] = {}
    for row in rows["stock"]:
        first_bin.setdefault(row["part_no"], row["location"])
    shelf = Shelf()
    stock: list[dict[str, Any]] = []
    pack: dict[str, int] = {}
    for uses in JOB_PARTS.values():
        for fam, units, _prob in uses:
            pack[fam] = max(pack.get(fam, 1), units)
    for part in rows["parts"]:
        no, d = part["part_no"], demand[part["part_no"]]
        family = no.split("-")[0]
        shelf.bin[no] = first_bin[no]
        shelf.by_family_make[(family, _make_of(part))].append(no)
        if d >= SLOW:  # a line's units (four plugs, two shocks) fit within both, so one job never empties the shelf
            rop, rq = max(math.ceil(2 * d), pack.get(family, 1)), max(math.ceil(3 * d), pack.get(family, 1))
            qty = rop + rng.randint(0, rq)
        else:  # asked for a few times a year at most, or never: not stocked; now and then a unit left over
            rop, rq = 0, 0
            qty = 1 if rng.random() < LEFT_OVER else 0
        part["reorder_point"], part["reorder_qty"] = str(rop), str(rq)
        shelf.reorder_point[no], shelf.reorder_qty[no] = rop, rq
        if qty:
            shelf.on_hand[no] = qty
            stock.append({"part_no": no, "location": shelf.bin[no], "qty": str(qty)})
    rows["stock"] = stock
    return shelf


def fitted(shelf: Shelf, op: str, make: str, rng: random.Random) -> list[tuple[str, int]]:
    """The parts (part_no, units) a job of operation `op` on a car of `make` fits."""
    out = []
    for fam, units, prob in JOB_PARTS[op]:
        choices = shelf.by_family_make.get((fam, make))
        if choices and rng.random() < prob:
            out.append((choices[0] if len(choices) == 1 or rng.random() < 0.7 else choices[1], units))
    return out


def counter_basket(shelf: Shelf, rng: random.Random) -> list[tuple[str, int]]:
    """What a counter customer buys: one to three lines of the counter's families, for the makes on the road."""
    lines: dict[str, int] = {}
    makes, shares = list(MAKE_SHARE), list(MAKE_SHARE.values())
    for _ in range(rng.choice((1, 2, 2, 3))):
        fam, _w, most = rng.choices(COUNTER_PARTS, weights=[w for _, w, _ in COUNTER_PARTS])[0]
        choices = shelf.by_family_make.get((fam, rng.choices(makes, weights=shares)[0]))
        if choices:
            no = choices[0]
            lines[no] = lines.get(no, 0) + rng.randint(1, most)
    return list(lines.items())


def order(shelf: Shelf) -> list[tuple[str, int]]:
    """Monday's order: the reorder quantity of every part at or below its reorder point (and at least back above it)."""
    out = []
    for no, rop in sorted(shelf.reorder_point.items()):
        if rop > 0 and shelf.on_hand[no] <= rop:
            qty = shelf.reorder_qty[no]
            while shelf.on_hand[no] + qty <= rop:
                qty += shelf.reorder_qty[no]
            out.append((no, qty))
    return out
