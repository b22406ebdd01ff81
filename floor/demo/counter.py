"""The parts counter and the store in the demo's history: counter sales (a few brought back), monthly cycle counts.

Through the calls the floor makes: a sale is quoted, confirmed (it holds the stock), picked by scan at the counter
and collected; a customer brings a part back within `[returns] days` by scan (into quarantine) and the storekeeper
puts it back on the shelf after a look (RELEASE). On the first Tuesday of a month a storekeeper counts two bins of
each zone on the handheld, a unit more or less here and there, and the supervisor, who did not count, approves the
count with their PIN (four eyes, SPEC 10.6). Each write is audited as the API audits it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from floor.core.audit import record
from floor.demo import stockplan

# `sim` below is the history's day (floor.demo.history._Day: the shelf, the people, the one clock's steps, the
# scanner) and `result` its History; typed Any so that this module does not import the history that calls it.

RETURN_SHARE = 0.05  # of sales, one unit comes back within the returns window
COUNT_BINS_PER_ZONE = 2
MISCOUNT = 0.03  # of counted lines, the shelf is a unit off the book


def counter_day(sim: Any, day: Any, result: Any) -> None:
    """A working day at the counter: returns brought back today, then one or two sales."""
    for _day, number, part in [r for r in sim.returns_due if r[0] == day]:
        _take_back(sim, day, number, part, result)
    sim.returns_due = [r for r in sim.returns_due if r[0] != day]
    rate = stockplan.SALES_PER_WEEK / 6  # sales a working day, on average
    for _ in range(int(rate) + (sim.rng.random() < rate % 1)):
        _sale(sim, day, result)


def _sale(sim: Any, day: Any, result: Any) -> None:
    from floor.config.settings import sales_settings
    from floor.core.sales import orders

    basket = [(p, min(q, sim.shelf.on_hand[p])) for p, q in stockplan.counter_basket(sim.shelf, sim.rng)]
    basket = [(p, q) for p, q in basket if q > 0]
    lines = [{"part_no": p, "qty": q} for p, q in basket]
    if not lines:
        return
    customer = f"T{sim.rng.randint(1, 3):02d}" if sim.rng.random() < 0.3 else f"C{sim.rng.randint(1, 80):03d}"
    at = sim.at(day, 10 + sim.rng.random() * 5)
    via, settings = f"U:{sim.store.badge}", sales_settings(sim.cfg)
    with sim.db.writing() as s:
        sale = orders.create_sale(s, settings, sim.store, customer, lines, at, roles=sim.roles)
        record(s, via, "sales.quote", f"SO:{sale.number}", total=str(orders.sale_total(orders.lines_of(s, sale))[0]))
        orders.confirm_sale(s, settings, sale, sim.store, at, roles=sim.roles)
        record(s, via, "sales.confirm", f"SO:{sale.number}", status=sale.status)
        number = str(sale.number)
    texts = [via, f"SO:{number}"]
    for part, qty in basket:
        texts += [f"L:{sim.shelf.bin[part]}", f"Q:{qty}", f"P:{part}"]
        sim.shelf.on_hand[part] -= qty
    sim.scan("counter-1", texts, result)
    with sim.db.writing() as s:
        sale = orders.sale_by_number(s, number, lock=True)
        orders.ship_sale(s, sale, sim.store, at + timedelta(minutes=5), collected=True, roles=sim.roles)
        record(s, via, "sales.ship", f"SO:{number}", status=sale.status, collected=True)
    result.sales += 1
    if sim.rng.random() < RETURN_SHARE:  # brought back within the window: the wrong one, or not needed after all
        back = day + timedelta(days=sim.rng.randint(1, 5))
        sim.returns_due.append((back, number, basket[0][0]))


def _take_back(sim: Any, day: Any, number: str, part: str, result: Any) -> None:
    """One unit of a sold part brought back: into quarantine, looked at, back on its shelf."""
    sim.at(day, 11)
    via = f"U:{sim.store.badge}"
    sim.scan("counter-1", [via, "RSN:customer_reason", f"SO:{number}", f"P:{part}", "CMD:DONE"], result)
    sim.at(day, 16)
    sim.scan("counter-1", [via, "CMD:RELEASE", f"L:{sim.shelf.bin[part]}", f"P:{part}", "CMD:DONE"], result)
    sim.shelf.on_hand[part] += 1
    result.returns += 1


def cycle_count(sim: Any, day: Any, result: Any) -> None:
    """The month's cycle count: two bins a zone, counted on the handheld by a storekeeper, approved by the supervisor."""
    from floor.config.settings import count_settings
    from floor.core.counts.approval import approve_count
    from floor.core.counts.plans import create_count

    by_bin: dict[str, list[str]] = {}
    for part, code in sorted(sim.shelf.bin.items()):
        if sim.shelf.on_hand[part] > 0:
            by_bin.setdefault(code, []).append(part)
    zones: dict[str, list[str]] = {}
    for code in sorted(by_bin):
        zones.setdefault(code[0], []).append(code)
    bins = [b for codes in zones.values() for b in sim.rng.sample(codes, min(COUNT_BINS_PER_ZONE, len(codes)))]
    if not bins:
        return
    counter_badge = sim.counter_person.badge
    sim.at(day, 7.5)
    with sim.db.writing() as s:
        count = create_count(s, "cycle", codes=bins, badge=counter_badge, note="monthly cycle count")
        record(s, f"U:{counter_badge}", "counts.open", f"CNT:{count.id}", bins=len(bins))
        count_id = count.id
    texts = [f"U:{counter_badge}", f"CNT:{count_id}"]
    counted: dict[str, int] = {}
    for code in bins:
        texts.append(f"L:{code}")
        for part in by_bin[code]:
            book = sim.shelf.on_hand[part]
            qty = max(book + (sim.rng.choice((-1, 1)) if sim.rng.random() < MISCOUNT else 0), 0)
            counted[part] = qty
            if qty:
                texts += [f"Q:{qty}", f"P:{part}"]
    sim.at(day, 7.75)
    sim.scan("handheld-1", [*texts, "CMD:DONE"], result)
    at = sim.at(day, 8.5)
    with sim.db.writing() as s:
        done = approve_count(
            s,
            count_id,
            sim.sup.badge,
            count_settings(sim.cfg),
            override_recount=True,
            at=at,
            roles=sim.roles,
            pin=sim.pin,
        )
        record(s, f"U:{sim.sup.badge}", "counts.approve", f"CNT:{count_id}", adjustments=done["adjustments"])
    for part, qty in counted.items():
        sim.shelf.on_hand[part] = qty
    result.counts += 1
