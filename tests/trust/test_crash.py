"""Crash safety (SPEC section 7): an acknowledged scan is never lost and never applied twice.

A real `floor serve` runs in a subprocess with two serial scanners on simulator ptys.
API senders post numbered batches, pty "people" scan one code at a time and wait
for the beep. The server is SIGKILLed at random moments several times and restarted.
API senders resend every batch that got no answer (same device + seq); a pty
scan that got no beep is scanned again, as a person would. At the end every
answered scan must be in the event log exactly once, its stock moves must be
exactly its reported effects, and the books must agree.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from floor.db import Database
from hardware_sim.scanner import ScannerSim
from tests.trust.support import Server, check_books, load_workshop, stock_levels, write_config

pytestmark = pytest.mark.slow

PARTS = {**{f"P{i:02d}": 100_000 for i in range(8)}, "LOW1": 30, "LOW2": 12, "ALT": 5_000}
API_STATIONS = 3
API_BATCHES = 24
BATCH = 40
PTY_SCANS = 150
KILLS = 4
ACK, NAK = b"\x06", b"\x15"


def _random_scan(rnd: random.Random) -> str:
    roll = rnd.random()
    if roll < 0.55:
        return f"P:P{rnd.randrange(8):02d}"
    if roll < 0.65:
        return rnd.choice(["P:LOW1", "P:LOW2"])
    if roll < 0.72:
        return f"Q:{rnd.randint(2, 4)}"
    if roll < 0.78:
        return "P:ALT"
    if roll < 0.84:
        return rnd.choice(["CMD:RETURN", "CMD:ISSUE"])
    if roll < 0.90:
        return "CMD:UNDO"
    if roll < 0.95:
        return rnd.choice(["NOPE-404", "WO:NOPE", "Q:0", "L:NOWHERE", "CMD:FLY"])
    return "L:" + rnd.choice(["A-01-01", "B-01-01"])


class Control:
    """Whether the server is up; senders wait on it after a failed request."""

    def __init__(self) -> None:
        self.up = threading.Event()
        self.kills = 0
        self.errors: list[str] = []


class ApiSender(threading.Thread):
    """Posts numbered batches; a batch without an answer is resent until it gets one."""

    def __init__(self, ctrl: Control, port: int, index: int) -> None:
        super().__init__(name=f"api-sender-{index}", daemon=True)
        self.ctrl, self.port = ctrl, port
        self.station, self.device = f"api-{index}", f"api-dev-{index}"
        rnd = random.Random(1000 + index)
        texts = ["U:T1", f"WO:W{index}"] + [_random_scan(rnd) for _ in range(API_BATCHES * BATCH - 2)]
        self.batches = [
            [{"data": t, "seq": b * BATCH + i + 1} for i, t in enumerate(texts[b * BATCH : (b + 1) * BATCH])]
            for b in range(API_BATCHES)
        ]
        self.results: dict[int, dict[str, Any]] = {}
        self.resends = 0

    def run(self) -> None:
        conn: http.client.HTTPConnection | None = None
        for batch in self.batches:
            body = json.dumps({"station": self.station, "device": self.device, "scans": batch})
            while True:
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
                    conn.request("POST", "/api/scans", body, {"Content-Type": "application/json"})
                    resp = conn.getresponse()
                    data = resp.read()
                except (OSError, http.client.HTTPException):
                    # A kill mid-answer shows as a reset (OSError) or a cut-off body
                    # (IncompleteRead, an HTTPException): either way there was no answer.
                    if conn is not None:
                        conn.close()
                    conn = None
                    self.resends += 1
                    if not self.ctrl.up.wait(30):
                        self.ctrl.errors.append(f"{self.name}: server never came back")
                        return
                    continue
                if resp.status != 200:
                    self.ctrl.errors.append(f"{self.name}: HTTP {resp.status} {data[:200]!r}")
                    return
                for r in json.loads(data)["results"]:
                    first = self.results.setdefault(r["seq"], r)
                    if first is not r and (first["event_id"], first["code"]) != (r["event_id"], r["code"]):
                        self.ctrl.errors.append(f"{self.name}: seq {r['seq']} answered differently on resend")
                break
        if conn is not None:
            conn.close()


class PtyPerson(threading.Thread):
    """Scans one code at a time on a simulated scanner and waits for the beep; no beep: scan again."""

    def __init__(self, ctrl: Control, sim: ScannerSim, index: int) -> None:
        super().__init__(name=f"pty-person-{index}", daemon=True)
        self.ctrl, self.sim = ctrl, sim
        rnd = random.Random(2000 + index)
        self.texts: list[bytes] = [b"U:T2", f"WO:W{API_STATIONS + index}".encode()]
        for _ in range(PTY_SCANS - 2):
            self.texts.append(b"\xfe\xff\x80garbage" if rnd.random() < 0.04 else _random_scan(rnd).encode())
        self.sent: list[tuple[bytes, bool | None]] = []  # (text, ok) with ok None when no beep came

    def _ready(self) -> bool:
        return self.ctrl.up.wait(30) and self.sim.wait_host(30)

    def run(self) -> None:
        i = 0
        while i < len(self.texts):
            if not self._ready():
                self.ctrl.errors.append(f"{self.name}: server or port never came back")
                return
            kills = self.ctrl.kills
            before = len(self.sim.received())
            self.sim.scan(self.texts[i])
            deadline = time.monotonic() + 15
            answer = b""
            while time.monotonic() < deadline:
                answer = self.sim.wait_received(before + 1, 0.05)[before:]
                if answer or self.ctrl.kills != kills:
                    break
            if not answer and self.ctrl.kills != kills:
                self._ready()
                time.sleep(0.2)  # a beep written just before the kill is read by now
                answer = self.sim.received()[before:]
            if not answer:
                if self.ctrl.kills == kills:
                    self.ctrl.errors.append(f"{self.name}: no beep for {self.texts[i]!r} while the server was up")
                    return
                self.sent.append((self.texts[i], None))  # no beep: the person scans it again
                continue
            if len(answer) != 1 or answer not in (ACK, NAK):
                self.ctrl.errors.append(f"{self.name}: unexpected answer {answer!r}")
                return
            self.sent.append((self.texts[i], answer == ACK))
            i += 1


def _explains(sent: list[tuple[bytes, bool | None]], events: list[tuple[bytes, bool]]) -> bool:
    """True when the logged events are the sent scans minus some unanswered ones, in order."""
    states = {0}
    for raw, ok in sent:
        nxt: set[int] = set()
        for j in states:
            if j < len(events) and events[j][0] == raw and (ok is None or events[j][1] == ok):
                nxt.add(j + 1)
            if ok is None:
                nxt.add(j)  # an unanswered scan may or may not have been stored before the kill
        states = nxt
        if not states:
            return False
    return len(events) in states


def _add_moves(into: Counter[tuple[str, str]], effects: dict[str, Any]) -> None:
    for m in effects.get("moves", []) if isinstance(effects, dict) else []:
        into[(m["part_no"], m["bin"])] += int(m["qty"])


def test_sigkill_loses_and_doubles_nothing(db: Database, tmp_path: Path) -> None:
    """GIVEN `floor serve` with two pty scanners and three API stations on a fresh database
    WHEN thousands of scans arrive while the server is SIGKILLed and restarted four times, senders resending
    THEN every answered scan is logged once with its answer, its moves are its effects, and the books agree."""
    load_workshop(db, PARTS, jobs=API_STATIONS + 2, core_parts=("ALT",))
    opening = stock_levels(db)
    sims = [ScannerSim(tmp_path / f"scanner-{i}") for i in range(2)]
    devices = [
        {
            "name": f"pty-{i}",
            "kind": "serial-scanner",
            "url": sims[i].path,
            "station": f"pty-st-{i}",
            "terminator": "CR",
            "ack": "06",
            "nak": "15",
        }
        for i in range(2)
    ]
    cfg = write_config(tmp_path, db.url, [f"api-{i}" for i in range(API_STATIONS)] + ["pty-st-0", "pty-st-1"], devices)
    server = Server(cfg)
    ctrl = Control()
    restarts: list[float] = []
    try:
        server.start()
        ctrl.up.set()
        senders = [ApiSender(ctrl, server.port, i) for i in range(API_STATIONS)]
        people = [PtyPerson(ctrl, sims[i], i) for i in range(2)]
        for t in (*senders, *people):
            t.start()
        rnd = random.Random(7)
        for _ in range(KILLS):
            time.sleep(rnd.uniform(0.6, 1.8))
            ctrl.up.clear()
            for sim in sims:
                sim.host_opened.clear()
            server.kill()
            ctrl.kills += 1
            restarts.append(server.start())
            ctrl.up.set()
        for t in (*senders, *people):
            t.join(60)
        assert not any(t.is_alive() for t in (*senders, *people)), "senders did not finish"
        assert not ctrl.errors, ctrl.errors
    finally:
        server.close()
        for sim in sims:
            sim.close()

    # The kills landed while traffic flowed: some requests got no answer and were resent.
    assert ctrl.kills == KILLS and sum(s.resends for s in senders) >= 1
    expected: Counter[tuple[str, str]] = Counter(opening)
    with db.reading() as s:
        for sender in senders:
            assert sorted(sender.results) == list(range(1, API_BATCHES * BATCH + 1))
            logged = {
                seq: (eid, code, ok, json.loads(eff))
                for seq, eid, code, ok, eff in s.execute(
                    text("SELECT seq, id, code, ok, effects FROM scan_events WHERE device = :d"), {"d": sender.device}
                )
            }
            assert len(logged) == API_BATCHES * BATCH
            for seq, r in sender.results.items():
                eid, code, ok, effects = logged[seq]
                assert (r["event_id"], r["code"], r["ok"]) == (eid, code, bool(ok)), f"seq {seq}"
                _add_moves(expected, r["effects"])
        for person in people:
            events = [
                (bytes(raw), bool(ok), json.loads(eff))
                for raw, ok, eff in s.execute(
                    text("SELECT raw, ok, effects FROM scan_events WHERE device = :d ORDER BY seq"),
                    {"d": f"pty-{person.name[-1]}"},
                )
            ]
            assert sum(1 for _, ok in person.sent if ok is not None) == len(person.texts)
            assert _explains(person.sent, [(raw, ok) for raw, ok, _ in events]), "pty log does not match the beeps"
            for _, _, effects in events:
                _add_moves(expected, effects)
        # Each event's stock moves are exactly what it reported.
        per_event: dict[int, Counter[tuple[str, str]]] = {}
        for eid, part_no, code, qty in s.execute(
            text(
                "SELECT m.event_id, p.part_no, l.code, m.qty FROM stock_moves m JOIN parts p ON p.id = m.part_id "
                "JOIN locations l ON l.id = m.location_id WHERE m.event_id IS NOT NULL"
            )
        ):
            per_event.setdefault(int(eid), Counter())[(part_no, code)] += int(qty)
        for eid, effects in s.execute(text("SELECT id, effects FROM scan_events WHERE ok")):
            want: Counter[tuple[str, str]] = Counter()
            _add_moves(want, json.loads(effects))
            got = per_event.get(int(eid), Counter())
            assert {k: v for k, v in got.items() if v} == {k: v for k, v in want.items() if v}, f"event {eid}"
    assert {k: v for k, v in stock_levels(db).items() if v} == {k: v for k, v in expected.items() if v}
    books = check_books(db)
    assert books["cores"] > 0 and books["events"] >= API_STATIONS * API_BATCHES * BATCH
    assert max(restarts) < 10
