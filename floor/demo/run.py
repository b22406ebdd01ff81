"""`floor demo`: embedded SQLite, sample data, simulated devices producing live activity.

Everything the demo shows goes through the real paths: the counter scanner is
a pty the real serial reader opens, the key-cabinet RFID reader is a pty the
real RFID reader opens, core tags go through the real print queue to a
simulated Zebra printer, and the handheld posts batches to the real API.
"""

from __future__ import annotations

import http.client
import json
import logging
import random
import shutil
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from floor import clock
from floor.config import load_config
from floor.config.settings import billing_settings
from floor.core.authority import RoleTable
from floor.core.repair.settings import BillingSettings
from floor.demo import sample_data

log = logging.getLogger("floor.demo")


def _config_text(folder: Path, port: int, scanner: str, rfid: str, printer_url: str) -> str:
    return f"""# Written by `floor demo`; devices point at simulators.
[database]
url = "sqlite:///{folder.resolve() / "floor.db"}"
sqlite_synchronous = "FULL"

[server]
host = "127.0.0.1"
port = {port}

[site]
timezone = "UTC"

[kiosk]
require_enrolment = false   # the demo's kiosk pages work in any browser

[billing]
labour_rate = "380.00"
tax_pct = 13

[[stations]]
name = "counter-1"
kind = "counter"
default_location = "A-01-01"
printer = "counter-zebra"
require_badge = true

[[stations]]
name = "counter-2"          # no simulated people here: yours to try with curl or the kiosk
kind = "counter"
default_location = "A-01-01"
printer = "counter-zebra"
require_badge = true

[[stations]]
name = "dock-1"
kind = "receiving"
default_location = "R-00-01"

[[stations]]
name = "handheld-1"
kind = "stocktake"

[[stations]]
name = "kiosk-1"
kind = "kiosk"
require_badge = false

[[stations]]
name = "key-cabinet"
kind = "kiosk"
require_badge = false

[[devices]]
name = "counter-scanner"
kind = "serial-scanner"
url = "{scanner}"
station = "counter-1"
terminator = "CR"
ack = "06"
nak = "15"

[[devices]]
name = "key-cabinet-reader"
kind = "rfid-reader"
url = "{rfid}"
station = "key-cabinet"

[[printers]]
name = "counter-zebra"
url = "{printer_url}"
"""


def load_sample_data(
    db: Any,
    now: datetime,
    roles: RoleTable,
    billing: BillingSettings | None = None,
    kinds: tuple[str, ...] = ("locations", "parts", "users", "workorders", "stock"),
) -> dict[str, list[dict[str, Any]]]:
    """Import the sample workshop (`kinds` of its rows) and bind an RFID key fob to each job (`roles`: the site's table).

    Each of today's jobs gets its car by VIN, the customer's concerns, labour and part lines the customer said yes
    to (every fourth declines a recommendation, which its vehicle's file then offers again), and the jobs at work
    have their technician clocked on (`billing`: the demo site's labour rate and tax).
    """
    from floor.core.epc import encode_sgtin96
    from floor.core.master import Importer
    from floor.core.repair.operations import save_operation
    from floor.models import Part, StockLevel, Tag, User, WorkOrder

    rows = sample_data.workshop(now)
    for i, row in enumerate(rows["workorders"]):
        row["vin"] = sample_data.vin(i)
    with db.writing() as session:
        imp = Importer(session)
        for kind in kinds:
            for row in rows[kind]:
                imp.apply(kind, row)
        imp.finish()
        for op in sample_data.OPERATIONS:
            save_operation(session, op)
        techs = [u for u in session.scalars(select(User).where(User.role == "technician"))]
        advisor = session.scalar(select(User).where(User.role == "advisor").order_by(User.id).limit(1))
        # Today's part lines ask for parts on the shelf (after the history, the stock the demand sized), as most do.
        stocked = set(
            session.scalars(
                select(Part.part_no).join(StockLevel, StockLevel.part_id == Part.id).where(StockLevel.qty > 1)
            )
        )
        parts = [p for p in rows["parts"] if p["part_no"] in stocked] or rows["parts"]
        today = [r["number"] for r in rows["workorders"]]  # not the history's jobs
        for i, wo in enumerate(
            session.scalars(select(WorkOrder).where(WorkOrder.number.in_(today)).order_by(WorkOrder.id))
        ):
            epc = encode_sgtin96("06901234000012", 500000 + i)
            session.add(Tag(code=epc, kind="key", work_order_id=wo.id, label=f"Key {i + 1}"))
            start = now - timedelta(minutes=20 + (i * 37) % 200)
            labour = _repair_order(session, wo, i, advisor, parts[(i * 7) % len(parts)], start, roles, billing)
            _progress_job(session, wo, techs[i % len(techs)], i, now, roles, labour)
    return rows


def _repair_order(
    session: Any,
    wo: Any,
    i: int,
    advisor: Any,
    part: dict[str, Any],
    start: datetime,
    roles: RoleTable,
    billing: BillingSettings | None,
) -> list[Any]:
    """The demo job's concerns and lines, answered by the customer before work starts; its labour lines."""
    from decimal import Decimal

    from floor.core.repair.authorization import authorize
    from floor.core.repair.concerns import add_concern
    from floor.core.repair.lines import add_line

    price = billing or BillingSettings(Decimal("380.00"), Decimal("13"))
    at = start - timedelta(minutes=15)
    via = f"U:{advisor.badge}"
    pay = "warranty" if i % 5 == 4 else "customer"
    labour, parts, declined = [], [], []
    for words, op in sample_data.concerns_of_job(i):
        concern = add_concern(session, wo, words, advisor, via, at, roles=roles)
        line = {"kind": "labour", "op": op, "pay": pay, "concern": concern.id}
        labour.append(add_line(session, wo, line, advisor, via, at, roles=roles, billing=price))
    if i % 2 == 0:  # a part for the work, priced at cost + 40 %
        unit = str((Decimal(part["unit_cost"]) * Decimal("1.4")).quantize(Decimal("0.01")))
        line = {"kind": "part", "part_no": part["part_no"], "qty": 1, "pay": pay, "unit_price": unit}
        parts.append(add_line(session, wo, line, advisor, via, at, roles=roles, billing=price))
    if i % 4 == 1:  # a recommendation the customer declines today
        line = {"kind": "labour", "op": "ALIGN", "pay": "customer"}
        declined.append(add_line(session, wo, line, advisor, via, at, roles=roles, billing=price))
    how = ("in_person", "phone")[i % 2]
    yes = [ln.id for ln in labour + parts]
    authorize(session, wo, yes, [ln.id for ln in declined], how, advisor, via, at, roles=roles)
    return labour


# Where each demo job stands, by its position: a morning's mix of stages on the board.
_PATHS = [
    [],
    ["dispatched"],
    ["in_progress"],
    ["in_progress"],
    ["in_progress", "on_hold"],
    ["in_progress", "qc"],
    ["in_progress", "qc", "washing"],
    ["in_progress", "qc", "ready"],
    ["in_progress"],
]


def _progress_job(
    session: Any, wo: Any, tech: Any, i: int, now: datetime, roles: RoleTable, labour: list[Any] | None = None
) -> None:
    """Move a demo job through the first stages of its day, backdated so times in stage look real.

    Its technician clocks onto its first labour line when it starts, and finishes every labour line before QC.
    """
    from sqlalchemy import select

    from floor.core.clocking import clocks
    from floor.core.workorders.qc import pass_qc
    from floor.core.workorders.status import change_status
    from floor.models import User

    path = _PATHS[i % len(_PATHS)]
    start = now - timedelta(minutes=20 + (i * 37) % 200)
    for step, status in enumerate(path):
        at = start + timedelta(minutes=step * 25)
        if status == "qc" and labour:  # the work is done: each line finished in turn
            for n, line in enumerate(labour):
                clocks.clock_on(session, line, tech, min(at - timedelta(minutes=12 - n), now), roles=roles)
                clocks.finish(session, tech, min(at - timedelta(minutes=2), now), roles=roles)
        inspector = None
        if status in ("washing", "ready"):  # final inspection by someone the role table lets pass QC
            inspector = session.scalar(select(User).where(User.role.in_(roles.roles_for("pass_qc"))).limit(1))
            if wo.qc_passed_at is None:
                pass_qc(session, wo, inspector, min(at, now), roles=roles)
        change_status(
            session,
            wo,
            status,
            inspector if status == "ready" else None,  # QC -> READY is `pass_qc` too: it needs the badge
            min(at, now),
            technician_id=tech.id,
            hold_reason="parts" if status == "on_hold" else None,
            roles=roles,
        )
        if status == "in_progress" and labour:  # the technician clocks onto the job card's first line
            clocks.clock_on(session, labour[0], tech, min(at, now), roles=roles)


class Activity(threading.Thread):
    """Simulated people at work: the counter scanner, the key cabinet, a handheld, the kiosk, technicians clocking."""

    def __init__(
        self, scanner: Any, rfid: Any, base_url: str, rows: dict[str, list[dict[str, Any]]], tags: list[str]
    ) -> None:
        super().__init__(name="demo-activity", daemon=True)
        self.scanner, self.rfid, self.base_url, self.rows, self.tags = scanner, rfid, base_url, rows, tags
        self.stop_event = threading.Event()
        self.rng = random.Random(42)
        self.seq = int(time.time() * 1000)

    def _pause(self, lo: float = 0.6, hi: float = 2.0) -> None:
        self.stop_event.wait(self.rng.uniform(lo, hi))

    def _post(self, station: str, device: str, texts: list[str]) -> None:
        host, port = self.base_url.split("//")[1].split(":")
        scans = []
        for text in texts:
            self.seq += 1
            scans.append({"data": text, "seq": self.seq, "at": clock.now().isoformat()})
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            conn.request(
                "POST",
                "/api/scans",
                json.dumps({"station": station, "device": device, "scans": scans}),
                {"Content-Type": "application/json"},
            )
            conn.getresponse().read()
        finally:
            conn.close()

    def counter_visit(self) -> None:
        """A technician fetches parts for a job at the counter (through the pty scanner)."""
        tech = self.rng.choice([u for u in self.rows["users"] if u["role"] == "technician"])
        wo = self.rng.choice(self.rows["workorders"])
        self.scanner.scan_and_wait(f"U:{tech['badge']}")
        self._pause(0.3, 0.8)
        self.scanner.scan_and_wait(f"WO:{wo['number']}")
        parts = {p["part_no"]: p for p in self.rows["parts"]}
        stocked = [s for s in self.rows["stock"] if int(s["qty"]) > 0]
        for _ in range(self.rng.randint(1, 3)):
            self._pause(0.4, 1.2)
            line = self.rng.choice(stocked)
            part = parts[line["part_no"]]
            self.scanner.scan_and_wait(f"L:{line['location']}")  # the storekeeper picks from the part's bin
            if self.rng.random() < 0.3:
                self.scanner.scan_and_wait(f"Q:{self.rng.randint(2, 4)}")
            code = part["barcodes"] if self.rng.random() < 0.5 else f"P:{part['part_no']}"
            self.scanner.scan_and_wait(code, aim="]E0" if code.isdigit() else None)
        if self.rng.random() < 0.15:
            self.scanner.scan_and_wait("4712345678901")  # an unknown barcode: the NAK beep
        self.scanner.scan_and_wait("CMD:DONE")

    def job_moves(self) -> None:
        """The foreman moves a job on at the kiosk."""
        wo = self.rng.choice(self.rows["workorders"])
        verb = self.rng.choice(["START", "START", "HOLD", "QC", "READY"])
        # The foreman's badge: passing QC (QC -> READY) is the role table's `pass_qc`.
        self._post("kiosk-1", "kiosk-1-wedge", ["U:FOR01", f"WO:{wo['number']}", f"CMD:{verb}", "CMD:DONE"])

    def _get(self, path: str) -> dict[str, Any]:
        host, port = self.base_url.split("//")[1].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            return json.loads(body) if resp.status == 200 else {}
        finally:
            conn.close()

    def clocking(self) -> None:
        """A technician at the kiosk clocks onto a line of a job at work (its card's OP: barcode), off, or finishes."""
        tech = self.rng.choice([u for u in self.rows["users"] if u["role"] == "technician"])
        wo = self.rng.choice(self.rows["workorders"])
        job = self._get(f"/api/workorders/{wo['number']}")
        lines = [ln["id"] for ln in job.get("lines", []) if ln["kind"] == "labour" and ln["status"] == "authorized"]
        if job.get("status") != "in_progress" or not lines:
            return
        verb = self.rng.choice(["OP", "OP", "OP", "STOP", "FINISH"])
        then = f"OP:{self.rng.choice(lines)}" if verb == "OP" else f"CMD:{verb}"
        self._post("kiosk-1", "kiosk-1-wedge", [f"U:{tech['badge']}", then, "CMD:DONE"])

    def key_cabinet(self) -> None:
        """A key fob passes the cabinet's RFID antenna, read several times."""
        if self.tags:
            self.rfid.read(self.rng.choice(self.tags), antenna=self.rng.randint(1, 2), rssi=-50.0, times=3)

    def run(self) -> None:
        actions = [
            self.counter_visit,
            self.counter_visit,
            self.job_moves,
            self.clocking,
            self.clocking,
            self.key_cabinet,
        ]
        while not self.stop_event.is_set():
            try:
                self.rng.choice(actions)()
            except Exception:  # the demo keeps going whatever a simulated person does
                log.exception("demo activity step failed")
            self._pause()

    def stop(self) -> None:
        """Stop after the current step."""
        self.stop_event.set()


def run_demo(folder: Path, host: str, port: int, fresh: bool, seconds: float | None, history_days: int = 365) -> None:
    """Prepare the demo instance (with `history_days` of simulated history), start everything, run until Ctrl-C or `seconds`."""
    from floor.core.epc import encode_sgtin96
    from floor.service.runtime import Runtime
    from hardware_sim.printer import start_printer
    from hardware_sim.rfid import RfidSerialSim
    from hardware_sim.scanner import ScannerSim

    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    scanner = ScannerSim(folder / "counter-scanner")
    rfid = RfidSerialSim(folder / "key-cabinet-reader")
    printer = start_printer(pty=False, tcp_port=0)
    cfg_path = folder / "floor.toml"
    cfg_path.write_text(
        _config_text(
            folder,
            port,
            str(folder.resolve() / "counter-scanner"),
            str(folder.resolve() / "key-cabinet-reader"),
            printer.tcp_url or "",
        )
    )
    cfg = load_config(cfg_path)
    rt = Runtime(cfg)
    now = clock.now()
    if fresh:  # a year of history first (master data and opening stock a year ago), then today's open jobs
        from floor.demo.history import build_history

        click.echo(f"building {history_days} days of history …")
        built = build_history(rt.db, cfg, sample_data.workshop(now), now, days=history_days)
        click.echo(
            f"  {built.jobs} jobs, {built.followups} follow-ups reached, {built.complaints} complaints, "
            f"{built.sales} counter sales ({built.returns} brought back), {built.counts} cycle counts, "
            f"{built.cores} old parts back"
        )
        rows = load_sample_data(rt.db, now, cfg.role_table(), billing_settings(cfg), kinds=("workorders",))
    else:
        rows = sample_data.workshop(now)
    tags = [encode_sgtin96("06901234000012", 500000 + i) for i in range(len(rows["workorders"]))]
    rt.start_background()
    try:
        base = rt.serve(host, port, block=False)
    except OSError as exc:
        scanner.close()
        rfid.close()
        printer.close()
        raise click.ClickException(str(exc)) from None
    scanner.wait_host(10)
    rfid.wait_host(10)
    activity = Activity(scanner, rfid, base, rows, tags)
    activity.start()
    click.echo("\nfloor demo is running — sample workshop, simulated scanner, RFID key cabinet and label printer.")
    for path in (
        "/kiosk/",
        "/kiosk/counter/counter-1",
        "/kiosk/counter/counter-2",
        "/kiosk/board",
        "/kiosk/alerts",
        "/kiosk/labels",
        "/kiosk/reports",
        "/kiosk/followups",
        "/kiosk/complaints",
    ):
        click.echo(f"  {base}{path}")
    click.echo(f"  API: curl {base}/api/parts/{rows['parts'][0]['part_no']}")
    click.echo(f"  config: {cfg_path}   database: {folder / 'floor.db'}")
    if fresh:  # privileged acts (approving a count, a late return, a claim) need the supervisor's PIN (SPEC 10.6)
        from floor.demo.history import DEMO_PIN

        click.echo(f"  supervisor: badge SUP01, PIN {DEMO_PIN} (demo only)")
    click.echo("Press Ctrl-C to stop.\n")
    try:
        if seconds is None:
            while True:
                time.sleep(3600)
        else:
            time.sleep(seconds)
    except KeyboardInterrupt:
        click.echo("stopping …")
    finally:
        activity.stop()
        activity.join(5)
        rt.stop()
        scanner.close()
        rfid.close()
        printer.close()
