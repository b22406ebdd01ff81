"""Exchange parts in the demo's history: the old part (core) of a job comes back to the counter, or is waived.

Issuing an exchange part (a part with the core flag, the demo's batteries) makes a due core with a tag (the issue
scan's hook); the job cannot be handed over until the core is back or waived (floor.core.workorders.status). Most
old parts come back the same afternoon, scanned at the counter by their tag (`C:<serial>`) or, the tag lost, in
CORE mode by the part; some come back days later, when the customer collects the car (the job waits at ready);
a few the supervisor waives with their PIN (the customer kept the old part), as `POST /api/cores/<serial>/waive`
does. Each write is audited as the scan or the API audits it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from floor.core.audit import record
from floor.core.pins import verify_pin
from floor.core.workorders import cores as core_rules
from floor.core.workorders.lookup import job_by_number
from floor.models import Core, User

# `sim` is the history's day (floor.demo.history._Day) and `result` its History; typed Any so that this module does
# not import the history that calls it.

# By the job's turn among the jobs that fit an exchange part (not by chance: a short history has its share too).
WAIVED_EVERY = 12  # one in twelve is waived by the supervisor (the customer kept the old part)
LATE_EVERY = 5  # one in five comes back only when the car is collected, days later
LATE_DAYS = (1, 1, 2, 2, 3, 4, 6, 9, 12, 16)  # days until a late core comes back (the car waits at ready)
TAG_LOST = 0.2  # of the returns, the tag is lost: CORE mode and the part instead


def old_parts(sim: Any, day: Any, jobs: list[tuple[str, str, Any, list[tuple[str, int]]]], result: Any) -> None:
    """After the morning's issues: today's cores come back, wait for the car's collection, or are waived."""
    for number, _op, _tech, parts in jobs:
        if not any(part in sim.core_parts for part, _qty in parts):
            continue
        sim.core_jobs += 1
        if sim.core_jobs % WAIVED_EVERY == WAIVED_EVERY // 2:
            _waive(sim, day, number)
        elif sim.core_jobs % LATE_EVERY == LATE_EVERY // 2:
            sim.waiting[number] = day + timedelta(days=sim.rng.choice(LATE_DAYS))
        else:
            _bring_back(sim, day, number, result)


def collected_today(sim: Any, day: Any, result: Any) -> list[str]:
    """The waiting jobs whose customer comes today with the old part: the core scanned back; returns the jobs."""
    due = sorted(number for number, back in sim.waiting.items() if back <= day)
    for number in due:
        _bring_back(sim, day, number, result)
        del sim.waiting[number]
    return due


def _bring_back(sim: Any, day: Any, number: str, result: Any) -> None:
    """The storekeeper at the counter scans the old part(s) of a job back: by tag, or by part in CORE mode."""
    with sim.db.reading() as s:
        wo = job_by_number(s, number)
        due = [
            (c.serial, c.part_id)
            for c in s.scalars(select(Core).where(Core.work_order_id == wo.id, Core.status == "due"))
        ]
    sim.at(day, 12.25 + sim.rng.random() * 0.6)
    texts = [f"U:{sim.store.badge}", f"WO:{number}"]
    for serial, part_id in due:
        if sim.rng.random() < TAG_LOST:
            texts += ["CMD:CORE", f"P:{sim.core_parts_by_id[part_id]}"]
        else:
            texts.append(f"C:{serial}")
    sim.scan("counter-1", [*texts, "CMD:DONE"], result)
    result.cores += len(due)


def _waive(sim: Any, day: Any, number: str) -> None:
    """The supervisor waives the job's cores with their PIN, as the API's waiver does (role table, PIN, audit)."""
    at = sim.at(day, 12.25 + sim.rng.random() * 0.6)
    note = "old part kept by the customer"
    with sim.db.writing() as s:
        sup = s.get(User, sim.sup.id)
        verify_pin(s, sup, sim.pin, now=at, action="waive_core")
        wo = job_by_number(s, number)
        due = list(s.scalars(select(Core).where(Core.work_order_id == wo.id, Core.status == "due")))
        core_rules.waive(s, due, sup, at, note, roles=sim.roles)
        for core in due:
            record(s, f"U:{sim.sup.badge}", "waive_core", f"C:{core.serial}", work_order=number, note=note)
