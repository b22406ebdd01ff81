"""A year of simulated history for `floor demo` (SPEC 10.5): so /kiosk/reports looks like a working shop on first run.

Everything goes through the calls the floor itself makes: the opening stock (sized to the demand,
floor.demo.stockplan) is imported a year ago (it counts as received that day), receipts and issues are
scans through the real `ScanService`, jobs are received with a vehicle and a concern, get a labour line
and the parts the car needs (request lines holding stock), which the customer says yes to, are clocked
on and finished, pass final QC, are invoiced and paid through the cashier's use cases (the invoice sets
the next service) and delivered through the status machine; warranty claims run their steps; follow-up
calls are logged (a low score opens a complaint, which runs its steps), a car back within 30 days is
flagged and the advisor confirms or dismisses it; an exchange battery's old unit comes back to the counter by scan
before the car is handed over, or the supervisor waives it (floor.demo.cores); the counter sells and takes a few parts back, the
store counts bins every month (floor.demo.counter). Time is stepped on the one clock (`floor.clock`, a
pinned clock that does not tick), never the machine's; the clock in force before is put back at the end.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from floor import clock
from floor.config import Config
from floor.config.settings import aftersales_settings, billing_settings
from floor.core import vin
from floor.core.audit import record
from floor.core.master import Importer
from floor.core.pins import set_pin
from floor.core.results import ScanInput
from floor.core.workorders.lookup import job_by_number
from floor.demo import stockplan
from floor.models import Part, User, WorkOrder

CONCERNS = [
    ("OIL", "Service due: oil and filter"),
    ("BRK", "Brakes squeal when stopping"),
    ("DIAG", "Engine warning light on"),
    ("AC", "Air conditioning blows warm"),
    ("SUSP", "Knocking over bumps"),
    ("BAT", "Hard to start in the morning"),
]
OPERATIONS = [
    {"code": "OIL", "name": "Engine oil and filter change", "name_zh": "更换机油机滤", "hours": "0.8"},
    {"code": "BRK", "name": "Brake pads replace", "name_zh": "更换刹车片", "hours": "1.2"},
    {"code": "DIAG", "name": "Diagnosis", "name_zh": "故障诊断", "hours": "0.5"},
    {"code": "AC", "name": "Air conditioning service", "name_zh": "空调保养", "hours": "1.0"},
    {"code": "SUSP", "name": "Shock absorbers replace", "name_zh": "更换减震器", "hours": "2.0"},
    {"code": "BAT", "name": "Battery test and replace", "name_zh": "蓄电池检测更换", "hours": "0.4"},
]
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
WARRANTY_SHARE = 0.05  # of jobs, paid by the maker: the invoice's warranty lines make a claim
DEMO_PIN = "2468"  # the demo supervisor's (SUP01) PIN
# Complaints that come in by phone, in person or online (besides low follow-up scores): a few a month, by
# what a service department usually hears, most often about the work itself and the time it took.
WALK_IN_COMPLAINTS = 0.1  # a working day's chance
COMPLAINTS = [
    (35, "quality", "The noise is still there after the repair"),
    (20, "time", "The car was ready two hours after the promised time"),
    (15, "price", "The bill is higher than the estimate I was given"),
    (12, "service", "Nobody called me back about the extra work"),
    (10, "parts", "The part fitted was not the brand I asked for"),
    (5, "damage", "A scratch on the door that was not there before"),
    (3, "other", "The courtesy car was not clean"),
]


def make_vin(rng: random.Random) -> str:
    """A random VIN with a correct check digit in position 9."""
    body = "LSV" + "".join(rng.choice(VIN_CHARS) for _ in range(14))
    return body[:8] + vin.check_digit(body[:8] + "0" + body[9:]) + body[9:]


@dataclass
class History:
    """What was built, for the demo's message and the bench."""

    jobs: int = 0
    scans: int = 0
    followups: int = 0
    complaints: int = 0
    comebacks: int = 0
    sales: int = 0
    returns: int = 0
    counts: int = 0
    cores: int = 0  # old parts scanned back at the counter
    days: int = 0
    delivered: dict[str, datetime] = field(default_factory=dict)


def build_history(
    db: Any, cfg: Config, rows: dict[str, list[dict[str, Any]]], end: datetime, days: int = 365
) -> History:
    """Import the sample master data and opening stock `days` ago, then simulate every day up to `end`.

    Imports locations, parts, users and stock (not the sample's open jobs: `floor demo` adds those for
    today). Leaves the one clock as it found it.
    """
    from floor.application.scan_service import ScanService

    zone = ZoneInfo(cfg.timezone or "UTC")
    first_day = (end.astimezone(zone) - timedelta(days=days)).date()
    pinned = clock.PinnedClock(datetime.combine(first_day, time(7, 30), tzinfo=zone), ticking=False)
    previous = clock.install(pinned)
    try:
        rng = random.Random(2026)
        shelf = stockplan.plan_stock(rows, rng)
        _import_master(db, rows, rng)
        service = ScanService(cfg, db, group_commit=False)
        sim = _Day(db, cfg, service, shelf, rng, zone, pinned)
        sim.cost = {p["part_no"]: Decimal(p["unit_cost"]) for p in rows["parts"]}
        result = History()
        for n in range(days):
            day = first_day + timedelta(days=n)
            if day.isoweekday() > 6:  # the workshop works Monday to Saturday
                continue
            sim.run(day, result)
            result.days += 1
        sim.close_out(result)
        return result
    finally:
        clock.install(previous)


def _import_master(db: Any, rows: dict[str, list[dict[str, Any]]], rng: random.Random) -> None:
    """Master data and the opening stock (received today, a year ago), customers, vehicles, operations, prices."""
    from floor.demo.sample_data import MAKES, MODELS, PLATES, _name

    with db.writing() as s:
        imp = Importer(s)
        for kind in ("locations", "parts", "users", "stock"):
            for row in rows[kind]:
                imp.apply(kind, row)
        for n in range(80):
            imp.apply(
                "customers",
                {
                    "code": f"C{n + 1:03d}",
                    "name": _name(rng),
                    "phone": f"139 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
                },
            )
        for n in range(300):
            j = rng.choices(range(len(MAKES)), weights=[stockplan.MAKE_SHARE[m] for m in MAKES])[0]
            imp.apply(
                "vehicles",
                {
                    "vin": make_vin(rng),
                    "plate": f"{PLATES[n % len(PLATES)]}H{10000 + n}",
                    "make": MAKES[j],
                    "model": MODELS[j],
                    "year": str(rng.randint(2014, 2025)),
                    "customer": f"C{n % 80 + 1:03d}",
                },
            )
        for n, name in enumerate(("Huang's Garage", "Quick Fix Auto", "City Fleet")):
            imp.apply(
                "customers", {"code": f"T{n + 1:02d}", "name": name, "phone": f"021 5550 {n:04d}", "kind": "trade"}
            )
        for op in OPERATIONS:
            imp.apply("operations", op)
        imp.finish()
        # The supervisor's PIN says yes to counts and late returns (SPEC 10.6); `floor demo` prints it.
        set_pin(s, s.scalars(select(User).where(User.badge == "SUP01")).one(), DEMO_PIN, actor="demo")
        # Sell prices: cost plus 40 % (the parts margin the reports show).
        s.execute(update(Part).values(sell_price=Part.unit_cost * 1.4))


class _Day:
    """One working day of the shop, in order: receipts, reception, work, deliveries, calls, complaints."""

    def __init__(
        self,
        db: Any,
        cfg: Config,
        service: Any,
        shelf: stockplan.Shelf,
        rng: random.Random,
        zone: ZoneInfo,
        pinned: Any,
    ) -> None:
        from floor.models import Vehicle

        self.db, self.cfg, self.service, self.shelf, self.rng, self.zone, self.pinned = (
            db,
            cfg,
            service,
            shelf,
            rng,
            zone,
            pinned,
        )
        self.cost: dict[str, Decimal] = {}
        self.roles = cfg.role_table()
        self.settings = aftersales_settings(cfg)
        self.billing = billing_settings(cfg)
        if self.billing.labour_rate == 0:
            from floor.core.repair.settings import BillingSettings

            self.billing = BillingSettings(labour_rate=self.billing.labour_rate + 380, tax_pct=self.billing.tax_pct)
        with db.reading() as s:
            people = list(s.scalars(select(User)))
            for u in people:
                s.expunge(u)
            self.vehicles = [(v.vin, v.customer_id) for v in s.scalars(select(Vehicle))]
            self.makes = {v.vin: v.make for v in s.scalars(select(Vehicle))}
            # Exchange parts (the core flag): issuing one makes a core due back before the car is handed over.
            self.core_parts_by_id = {p.id: p.part_no for p in s.scalars(select(Part).where(Part.is_core.is_(True)))}
        self.core_parts = set(self.core_parts_by_id.values())
        self.waiting: dict[str, Any] = {}  # job -> the day its customer collects the car and brings the old part
        self.in_shop: set[str] = set()  # the cars of those jobs: not received again meanwhile
        self.core_jobs = 0  # jobs that fitted an exchange part so far
        # The sample workshop's people by badge (floor.demo.sample_data.users): the role table decides what they may do.
        by_badge = {u.badge: u for u in people}
        self.techs = [u for b, u in sorted(by_badge.items()) if b.startswith("T")]
        self.advisor, self.foreman = by_badge["ADV01"], by_badge["FOR01"]
        self.sup, self.store = by_badge["SUP01"], by_badge["S001"]
        self.counter_person, self.pin = by_badge["S002"], DEMO_PIN  # who counts the bins; the supervisor's PIN
        self.returns_due: list[tuple[Any, str, str]] = []  # (day, sale number, part) of parts coming back
        self.seq = 0
        self.number = 0
        self.open_complaints: list[tuple[int, datetime]] = []
        self.mileage: dict[str, int] = {}

    def at(self, day: Any, hour: float) -> datetime:
        """Set the one clock to `hour` o'clock of `day` (site time) and return that instant."""
        moment = datetime.combine(day, time(0), tzinfo=self.zone) + timedelta(hours=hour)
        self.pinned.advance(moment - clock.now())
        return clock.now()

    def scan(self, station: str, texts: list[str], result: History) -> None:
        """One batch of scans at a station, now; a refused scan stops the history (the shelf would be wrong)."""
        inputs = []
        for t in texts:
            self.seq += 1
            inputs.append(ScanInput(t.encode("utf-8"), self.seq, clock.now()))
        for text, out in zip(texts, self.service.submit(station, f"history-{station}", inputs), strict=True):
            if not out.ok:
                raise RuntimeError(f"demo history: {station} refused {text!r}: {out.code} {out.message}")
        result.scans += len(texts)

    def run(self, day: Any, result: History) -> None:
        """The day in a few transactions and scan batches (a year in well under a minute)."""
        from floor.demo import cores, counter

        if day.isoweekday() == 1:
            self.receive(day, result)
        if day.day <= 7 and day.isoweekday() == 2:  # the first Tuesday of the month: a cycle count
            counter.cycle_count(self, day, result)
        techs = self.rng.sample(self.techs, self.rng.randint(2, 3))  # one clock at a time: a job each
        with self.db.writing() as s:  # the morning: cars received, then dispatched and started
            jobs = [self.reception(s, day, tech, result) for tech in techs]
            for number, _op, tech, _parts in jobs:
                self.start(s, day, number, tech)
        texts: list[str] = []
        for number, _op, tech, parts in jobs:
            if parts:
                texts += [f"U:{tech.badge}", f"WO:{number}"]
                for part, qty in parts:
                    texts += [f"L:{self.shelf.bin[part]}", f"Q:{qty}", f"P:{part}"]
                texts.append("CMD:DONE")
        if texts:
            self.at(day, 12)
            self.scan("counter-1", texts, result)
        cores.old_parts(self, day, jobs, result)
        collected = cores.collected_today(self, day, result)
        counter.counter_day(self, day, result)
        with self.db.writing() as s:  # the afternoon: delivered; the evening: calls and complaints
            for number, _op, tech, _parts in jobs:
                self.deliver(s, day, number, tech, result)
            for number in collected:  # finished days ago, waiting for the customer and the old part
                self.hand_over(s, number, self.at(day, 16 + self.rng.random()), result)
            self.calls(s, day, result)
            self.complaint_steps(s, day)
            self.claim_steps(s, day)

    def receive(self, day: Any, result: History) -> None:
        """Monday's delivery from the supplier: the reorder quantity of every part at or below its reorder point."""
        self.at(day, 8)
        texts = [f"U:{self.store.badge}", "CMD:RECEIVE"]
        for part, qty in stockplan.order(self.shelf):
            texts += [f"L:{self.shelf.bin[part]}", f"Q:{qty}", f"P:{part}"]
            self.shelf.on_hand[part] += qty
        if len(texts) > 2:
            self.scan("dock-1", [*texts, "CMD:DONE"], result)

    def reception(self, s: Any, day: Any, tech: User, result: History) -> tuple[str, str, User, list[tuple[str, int]]]:
        """A car comes in: a job with its vehicle and concern, a labour line and the parts it needs (request lines that
        hold stock); the customer says yes to the labour and the parts on the shelf, and declines (comes back for)
        a part that is not; maybe a comeback. Returns the job, its operation, technician and the parts to issue."""
        from floor.core.aftersales import comebacks
        from floor.core.repair.authorization import authorize
        from floor.core.repair.concerns import add_concern
        from floor.core.repair.lines import add_line

        at = self.at(day, 8.25 + self.rng.random())
        recent = [v for v, when in result.delivered.items() if at - when < timedelta(days=25) and v not in self.in_shop]
        if recent and self.rng.random() < 0.02:
            car = self.rng.choice(recent)  # back again: a comeback
        else:  # a car not seen for a month: a visit of its own
            car = self.rng.choice(self.vehicles)[0]
            while car in self.in_shop or at - result.delivered.get(car, at - timedelta(days=60)) < timedelta(days=31):
                car = self.rng.choice(self.vehicles)[0]
        km = self.mileage.get(car, self.rng.randint(8000, 90000)) + self.rng.randint(300, 6000)
        self.mileage[car] = km
        self.number += 1
        number = f"H{day.strftime('%y%m%d')}-{self.number % 1000:03d}"
        op, words = self.rng.choice(CONCERNS)
        pay = "warranty" if self.rng.random() < WARRANTY_SHARE else "customer"
        via = f"U:{self.advisor.badge}"
        imp = Importer(s)
        wo = imp.apply("workorders", {"number": number, "vin": car, "mileage": str(km), "advisor": self.advisor.name})
        imp.finish()
        s.flush()
        add_concern(s, wo, words, self.advisor, via, at, roles=self.roles)
        line = add_line(
            s,
            wo,
            {"kind": "labour", "op": op, "pay": pay},
            self.advisor,
            via,
            at,
            roles=self.roles,
            billing=self.billing,
        )
        yes, no, parts = [line.id], [], []
        for part, qty in stockplan.fitted(self.shelf, op, self.makes.get(car, ""), self.rng):
            price = str((self.cost[part] * Decimal("1.4")).quantize(Decimal("0.01")))
            data = {"kind": "part", "part_no": part, "qty": qty, "pay": pay, "unit_price": price}
            pline = add_line(s, wo, data, self.advisor, via, at, roles=self.roles, billing=self.billing)
            if self.shelf.on_hand[part] >= qty:
                yes.append(pline.id)
                parts.append((part, qty))
                self.shelf.on_hand[part] -= qty
            else:
                no.append(pline.id)
        authorize(s, wo, yes, no, "in_person", self.advisor, via, at, roles=self.roles)
        flag = comebacks.flag_of(s, wo, self.settings)
        if flag is not None:
            confirmed = self.rng.random() < 0.7
            comebacks.decide(
                s, wo, flag["of"], confirmed, None, self.advisor, via, at, roles=self.roles, settings=self.settings
            )
            result.comebacks += confirmed
        result.jobs += 1
        return number, op, tech, parts

    def start(self, s: Any, day: Any, number: str, tech: User) -> None:
        """Dispatched to the technician, who starts and clocks onto the labour line."""
        from floor.core.clocking import clocks
        from floor.core.workorders.status import change_status
        from floor.models import RepairLine

        at = self.at(day, 9.5 + self.rng.random())
        wo = job_by_number(s, number)
        change_status(s, wo, "dispatched", self.foreman, at, technician_id=tech.id, roles=self.roles)
        change_status(s, wo, "in_progress", tech, at, roles=self.roles)
        line = s.scalar(select(RepairLine).where(RepairLine.work_order_id == wo.id))
        clocks.clock_on(s, line, tech, at, roles=self.roles)

    def deliver(self, s: Any, day: Any, number: str, tech: User, result: History) -> None:
        """The line finished, final QC passed, ready, invoiced and paid, handed over (unless its old part is awaited)."""
        from floor.core.clocking import clocks
        from floor.core.workorders.qc import pass_qc
        from floor.core.workorders.status import change_status

        done = self.at(day, 13 + self.rng.random() * 4)
        wo = job_by_number(s, number)
        clocks.finish(s, tech, done, roles=self.roles)
        change_status(s, wo, "qc", tech, done, roles=self.roles)
        pass_qc(s, wo, self.foreman, done, roles=self.roles)
        change_status(s, wo, "ready", self.foreman, done, roles=self.roles)
        self.bill(s, wo, done + timedelta(minutes=15))
        if number in self.waiting:
            self.in_shop.add(wo.vin or "")
        else:
            self.hand_over(s, number, done + timedelta(minutes=20), result)

    def hand_over(self, s: Any, number: str, at: datetime, result: History) -> None:
        """The advisor hands the car over (DELIVER: QC passed, paid, every core back or waived)."""
        from floor.core.workorders.status import change_status

        self.pinned.advance(at - clock.now())
        wo = job_by_number(s, number)
        change_status(s, wo, "delivered", self.advisor, at, roles=self.roles)
        result.delivered[wo.vin or ""] = at
        self.in_shop.discard(wo.vin or "")

    def bill(self, s: Any, wo: WorkOrder, at: datetime) -> None:
        """The cashier invoices the ready job through the cashier's use case (which sets the next service) and takes
        its payment: card mostly, some cash, a few transfers (the core's payment and its audit row, as the use case
        writes them, without the invoice's JSON view the history does not read)."""
        from floor.application import billing
        from floor.core.billing.invoicing import find_invoice
        from floor.core.billing.settle import pay

        self.pinned.advance(at - clock.now())
        via = f"U:{self.advisor.badge}"
        shown = billing.invoice_in(s, self.cfg, wo.number, self.advisor)
        if Decimal(shown["due"]) > 0:
            method = self.rng.choices(("card", "cash", "transfer"), weights=(6, 3, 1))[0]
            invoice = find_invoice(s, shown["number"])
            paid = pay(s, invoice, self.advisor, via, at, method=method, amount=shown["due"], roles=self.roles)
            record(
                s, via, "billing.payment", invoice.number, method=method, amount=str(paid.amount), status=invoice.status
            )

    def calls(self, s: Any, day: Any, result: History) -> None:
        """The advisor's calls of the day: most reach the customer, a few score low and open a complaint."""
        from floor.core.aftersales import followups

        now = self.at(day, 17.8)
        via = f"U:{self.advisor.badge}"
        followups.open_due(s, self.settings, now)
        for row in followups.listing(s, "open", now, self.settings, today_only=True):
            fu = followups.get(s, row["id"])
            reached = self.rng.random() < 0.8
            score = self.rng.choices([10, 9, 8, 7, 6, 4], weights=[45, 30, 14, 6, 3, 2])[0] if reached else None
            done = followups.log_call(
                s, fu, reached, score, None, self.advisor, via, now, roles=self.roles, settings=self.settings
            )
            result.followups += reached
            if done.complaint is not None:
                self.open_complaints.append((done.complaint.id, now))
                result.complaints += 1
        if self.rng.random() < WALK_IN_COMPLAINTS:
            self.walk_in_complaint(s, now, result)

    def walk_in_complaint(self, s: Any, now: datetime, result: History) -> None:
        """A customer rings or comes in about a job delivered in the last three weeks, and the advisor classifies it."""
        from floor.core.aftersales import complaints
        from floor.models.workorders import WorkOrder

        since = now - timedelta(days=21)
        recent = s.scalars(
            select(WorkOrder.id)
            .where(WorkOrder.status == "delivered", WorkOrder.closed_at >= since)
            .order_by(WorkOrder.id)
        ).all()
        if not recent:
            return
        _weight, category, text = self.rng.choices(COMPLAINTS, weights=[w for w, _c, _t in COMPLAINTS])[0]
        channel = self.rng.choice(["phone", "phone", "in_person", "online"])
        intake = complaints.Intake(channel, category, text, work_order_id=self.rng.choice(recent))
        c = complaints.open_complaint(
            s, intake, self.advisor, f"U:{self.advisor.badge}", now, roles=self.roles, settings=self.settings
        )
        self.open_complaints.append((c.id, now))
        result.complaints += 1

    def complaint_steps(self, s: Any, day: Any) -> None:
        """Complaints move on: assigned and answered the next day (now and then late), resolved, closed."""
        from floor.core.aftersales import complaints

        now = self.at(day, 18)
        adv, fore, sup = f"U:{self.advisor.badge}", f"U:{self.foreman.badge}", f"U:{self.sup.badge}"
        still = []
        for cid, opened in self.open_complaints:
            c = complaints.get(s, cid)
            age = (now - opened).days
            if c.status == "open" and age >= (1 if self.rng.random() < 0.85 else 3):
                note = "Please call the customer"
                complaints.step(s, c, "assign", note, self.advisor, adv, now, roles=self.roles, to=self.foreman)
                complaints.step(
                    s, c, "respond", "Called back, car booked in", self.foreman, fore, now, roles=self.roles
                )
            elif c.status == "responded" and age >= 3:
                complaints.step(s, c, "resolve", "Work redone at no charge", self.foreman, fore, now, roles=self.roles)
            elif c.status == "resolved":
                complaints.step(s, c, "close", "Customer satisfied; report filed", self.sup, sup, now, roles=self.roles)
            if c.status != "closed":
                still.append((cid, opened))
        self.open_complaints = still

    def claim_steps(self, s: Any, day: Any) -> None:
        """Warranty claims move on: submitted by the advisor after two days, approved by the supervisor (with PIN)
        after a week, credited by the maker about a month later."""
        from floor.core.sales import claims
        from floor.models import WarrantyClaim

        now = self.at(day, 18.2)
        steps = [("draft", 2, "submit", self.advisor), ("submitted", 7, "approve", self.sup)]
        steps.append(("approved", 30, "credit", self.sup))
        for status, days, action, who in steps:
            for claim in s.scalars(
                select(WarrantyClaim).where(
                    WarrantyClaim.status == status, WarrantyClaim.created_at <= now - timedelta(days=days)
                )
            ):
                pin = self.pin if action != "submit" else None
                claims.step(s, claim, action, who, now, roles=self.roles, pin=pin)
                record(s, f"U:{who.badge}", f"claims.{action}", claim.claim_no, status=claim.status)

    def close_out(self, result: History) -> None:
        """The last day's follow-ups opened (the call list of today is there) and the parts classed A, B or C."""
        from floor.config.settings import count_settings
        from floor.core.aftersales import followups
        from floor.core.counts.abc import recompute_abc

        with self.db.writing() as s:
            followups.open_due(s, self.settings, clock.now())
            # The ABC classes as the nightly job keeps them (the runtime's scheduler): the reports' Pareto by class.
            recompute_abc(s, count_settings(self.cfg).abc_cutoffs, clock.now())
