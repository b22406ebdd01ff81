"""Apply a batch of scans from one device of one station, in order, in one transaction.

The caller owns the transaction (the service retries it on lock conflicts);
this module only reads and writes through the given session. Re-sent scans
(same device and seq) get their first result back and change nothing.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from floor import clock
from floor.core import messages, rawsql
from floor.core.catalog import PART_KINDS, VERSION_KEY, get_catalog
from floor.core.codes import Code, CodeError, Kind, decode_raw, parse_scan
from floor.core.label_queue import LabelQueue
from floor.core.ledger import IdAllocator, Ledger, NegativeStock
from floor.core.results import ScanInput, ScanResult
from floor.core.scanning.context import Outcome, Reject, ScanContext, ScanWiring, StationState, refuse_negative
from floor.core.site import Site, Station
from floor.models import MetaValue, ScanEvent, StockMove
from floor.models.base import table_of

log = logging.getLogger(__name__)
CLOCK_SKEW = timedelta(minutes=5)
_EVENTS = table_of(ScanEvent)
_EVENT_COLUMNS = tuple(c.name for c in _EVENTS.columns)
_INSERT_EVENTS = rawsql.insert_into(_EVENTS, _EVENT_COLUMNS)
_MARK_UNDONE = rawsql.update_where(_EVENTS, ["undone_by"], ["id"])
_META, _MOVES = MetaValue.__tablename__, StockMove.__tablename__
_VERSION = rawsql.Statement(f'SELECT "value" FROM "{_META}" WHERE "key" = ?')
# SQLite: the writer holds the database lock, so the next ids are max(id)+1, read with the version.
_VERSION_AND_IDS = rawsql.Statement(
    f'SELECT (SELECT "value" FROM "{_META}" WHERE "key" = ?), (SELECT max("id") FROM "{_EVENTS.name}"),'
    f' (SELECT max("id") FROM "{_MOVES}")'
)


@dataclass
class _Batch:
    """What one call to `apply_scans` has produced so far."""

    events: list[dict[str, Any]]
    by_seq: dict[int, ScanResult]
    undone: dict[int, int]
    cache: dict[Any, Any]
    wiring: ScanWiring
    careful: bool = False
    labels: LabelQueue | None = None


class NeedsCareful(Exception):
    """A rejected scan had already written ORM changes; rerun the batch with a savepoint per scan."""


def count_flushes(session: Session, _ctx: Any) -> None:
    """Count a session's flushes (`_orm_mark`): an after_flush listener, installed by `floor.core.wiring`."""
    session.info["floor_flushes"] = session.info.get("floor_flushes", 0) + 1


def _orm_mark(session: Session) -> tuple[int, set[Any], set[Any]]:
    """What the ORM holds unflushed now; compared after a rejected scan to see if it wrote anything."""
    return session.info.get("floor_flushes", 0), set(session.new), set(session.dirty)


# json.dumps(effects, default=str) with the encoder built once, not once per scan.
_effects_json = json.JSONEncoder(default=str).encode

Parsed = tuple[str, "Code | CodeError"]


def _parse(scan: ScanInput) -> Parsed:
    """Decode and parse one scan; the error is kept, not raised, so the batch goes on."""
    text = ""
    try:
        text = decode_raw(scan.raw)
        return text, parse_scan(text)
    except CodeError as exc:
        return text, exc
    except Exception as exc:  # a parser bug (e.g. the GS1 library on "\x1d]") rejects this scan, not the batch
        # The trace as text: a kept exc_info would hold the batch's frames (and its DB session) alive.
        log.error("scan parser failed on %r:\n%s", text[:80], traceback.format_exc())
        return text, CodeError("unreadable", detail=type(exc).__name__)


def _prefetch_levels(parsed: list[Parsed], catalog: Any, ledger: Ledger) -> set[int]:
    """Load the stock levels of every part the batch names with one query, not one per scan; return the parts."""
    part_ids: set[int] = set()
    for _text, code in parsed:
        if isinstance(code, CodeError):
            continue
        try:
            part = catalog.part_named(code)
        except Exception:  # a lookup bug on one scan: the scan rejects itself later, the batch goes on
            log.error("level prefetch failed on %r:\n%s", code.text[:80], traceback.format_exc())
            continue
        if part is not None:
            part_ids.add(part.id)
    if part_ids:
        ledger.prefetch(part_ids)
    return part_ids


def _prior_results(session: Session, device: str, seqs: list[int]) -> dict[int, ScanResult]:
    found: dict[int, ScanResult] = {}
    for i in range(0, len(seqs), 500):
        chunk = seqs[i : i + 500]
        rows = session.execute(
            select(
                ScanEvent.seq,
                ScanEvent.ok,
                ScanEvent.code,
                ScanEvent.message,
                ScanEvent.message_zh,
                ScanEvent.id,
                ScanEvent.effects,
            ).where(ScanEvent.device == device, ScanEvent.seq.in_(chunk))
        )
        for seq, ok, code, msg, msg_zh, eid, effects in rows:
            found[seq] = ScanResult(ok, code, msg, msg_zh, seq, True, eid, json.loads(effects or "{}"))
    return found


def _dispatch(ctx: ScanContext) -> Outcome:
    code, kinds = ctx.code, ctx.wiring.kinds
    if code.kind is Kind.BARCODE:
        tag = ctx.catalog.tags.get(code.value.upper())
        if tag is not None and Kind.BARCODE in kinds:
            return kinds[Kind.BARCODE](ctx)
    if code.kind in PART_KINDS:
        part = ctx.part()
        mode = ctx.state.mode
        if mode is None:
            raise Reject("no_mode")
        part_handler = ctx.wiring.modes.get(mode)
        if part_handler is None:
            raise Reject("not_supported", what=mode)
        return part_handler(ctx, part)
    handler = kinds.get(code.kind)
    if handler is None:
        raise Reject("not_supported", what=code.kind.value)
    return handler(ctx)


def _prelude(session: Session, pg: bool, ledger: Ledger, event_ids: IdAllocator) -> str:
    """The master-data version, and on SQLite the next free ids, in one round trip."""
    if pg:
        rows = rawsql.run(session, _VERSION, (VERSION_KEY,))
        return rows[0][0] if rows else ""
    row = rawsql.run(session, _VERSION_AND_IDS, (VERSION_KEY,))[0]
    event_ids.seed(row[1])
    ledger.ids.seed(row[2])
    return row[0] or ""


class ScanTxn:
    """The scan side of one write transaction, shared by every batch applied in it.

    Group commit applies several devices' batches in one transaction; sharing the
    ledger, the id allocators, the master-data snapshot, the station rows and the
    buffered event rows means one prelude and one flush per transaction, not per batch.
    """

    def __init__(self, session: Session, wiring: ScanWiring, labels: LabelQueue | None = None) -> None:
        self.session = session
        self.wiring = wiring  # the handlers and hooks (floor.core.wiring.SCAN_WIRING)
        self.labels = labels
        self.pg = session.get_bind().dialect.name == "postgresql"
        self.ledger = Ledger(session)
        self.event_ids = IdAllocator(session, table_of(ScanEvent), block=64)
        self.catalog = get_catalog(session, _prelude(session, self.pg, self.ledger, self.event_ids))
        self.ledger.locations = self.catalog.locations
        self.states: dict[str, StationState] = {}
        self.events: list[dict[str, Any]] = []
        self.undone: dict[int, int] = {}
        self.cache: dict[Any, Any] = {}

    def state(self, station: str) -> StationState:
        """The station's session, loaded (and on PostgreSQL locked) once per transaction."""
        if station not in self.states:
            self.states[station] = StationState.load(self.session, station, lock=self.pg)
        return self.states[station]

    def apply(
        self,
        cfg: Site,
        station_name: str,
        device: str,
        scans: Iterable[ScanInput],
        received_at: datetime | None = None,
        careful: bool = False,
        check_prior: bool = True,
    ) -> list[ScanResult]:
        """Apply one device's scans in order; one result each (duplicates flagged)."""
        station = cfg.station(station_name)
        scans = list(scans)
        received = received_at or clock.now()
        seqs = sorted({s.seq for s in scans if s.seq is not None})
        prior = _prior_results(self.session, device, seqs) if seqs and check_prior else {}
        state = self.state(station.name)
        batch = _Batch(self.events, {}, self.undone, self.cache, self.wiring, careful, self.labels)
        parsed = [_parse(scan) for scan in scans]
        part_ids = _prefetch_levels(parsed, self.catalog, self.ledger)
        if part_ids:
            for read_ahead in self.wiring.hooks.batch_parts:
                read_ahead(self.session, self.cache, part_ids)
        results: list[ScanResult] = []
        for scan, (text, code) in zip(scans, parsed):
            if scan.seq is not None:
                first = prior.get(scan.seq) or batch.by_seq.get(scan.seq)
                if first is not None:
                    results.append(
                        ScanResult(
                            first.ok,
                            first.code,
                            first.message,
                            first.message_zh,
                            scan.seq,
                            True,
                            first.event_id,
                            first.effects,
                        )
                    )
                    continue
            result = _apply_one(
                self.session,
                cfg,
                station,
                device,
                scan,
                text,
                code,
                received,
                state,
                self.catalog,
                self.ledger,
                self.event_ids.next(),
                batch,
            )
            if scan.seq is not None:
                batch.by_seq[scan.seq] = result
            results.append(result)
        return results

    def finish(self) -> None:
        """Write the buffered events, moves, levels and station rows."""
        session = self.session
        if self.events:
            rawsql.run_many(session, _INSERT_EVENTS, [tuple(e[n] for n in _EVENT_COLUMNS) for e in self.events])
            self.events.clear()
        self.ledger.flush()
        rawsql.run_many(session, _MARK_UNDONE, [(by, undone_id) for undone_id, by in self.undone.items()])
        self.undone.clear()
        for state in self.states.values():
            state.save(session)
        if session.new or session.dirty or session.deleted:  # handlers' ORM rows (cores, status changes, ...)
            session.flush()


def apply_scans(
    session: Session,
    cfg: Site,
    wiring: ScanWiring,
    station_name: str,
    device: str,
    scans: Iterable[ScanInput],
    received_at: datetime | None = None,
    careful: bool = False,
    check_prior: bool = True,
    labels: LabelQueue | None = None,
) -> list[ScanResult]:
    """Apply scans in order in the session's transaction; return one result each (duplicates flagged).

    `wiring` says what each code does (`floor.core.wiring.SCAN_WIRING`).

    Raises ConfigError for an unknown station, and NeedsCareful when a rejected scan
    had written ORM changes: the caller rolls back and calls again with careful=True,
    which wraps each scan in a savepoint (slower, so only when needed).
    With check_prior=False re-sent scans are not looked up first: the unique index on
    (device, seq) then fails the insert, and the caller retries with the check.
    """
    cfg.station(station_name)  # an unknown station fails before any database work
    txn = ScanTxn(session, wiring, labels)
    results = txn.apply(cfg, station_name, device, scans, received_at, careful, check_prior)
    txn.finish()
    return results


def _apply_one(
    session: Session,
    cfg: Site,
    station: Station,
    device: str,
    scan: ScanInput,
    text: str,
    parsed: Code | CodeError,
    received: datetime,
    state: StationState,
    catalog: Any,
    ledger: Ledger,
    event_id: int,
    batch: _Batch,
) -> ScanResult:
    """Apply one scan and buffer its event row; a rejection leaves stock, session and ORM as they were."""
    at = scan.at or received
    outcome: Outcome | None = None
    reject: Reject | None = None
    if isinstance(parsed, CodeError):
        reject = Reject(parsed.code, **parsed.params)
    elif scan.at is not None and scan.at > received + CLOCK_SKEW:
        reject = Reject("bad_time", at=scan.at.isoformat())
    else:
        # The idle timeout is time passing, not this scan: it clears even if the scan is then rejected.
        if state.last_scan_at is not None and (at - state.last_scan_at).total_seconds() > station.idle_timeout_s:
            state.clear()
        ctx = ScanContext(
            session,
            cfg,
            station,
            device,
            catalog,
            ledger,
            state,
            event_id,
            at,
            parsed,
            batch.wiring,
            text,
            cache=batch.cache,
            labels=batch.labels,
        )
        outcome, reject = _run_handler(ctx, batch.careful)
        if outcome is not None:
            state.last_scan_at = at
            if outcome.txn:
                state.last_txn_event_id = event_id
            for undone in ctx.undone:
                batch.undone[undone] = event_id
    if outcome is not None:
        code_name, params, effects, ok = outcome.code, outcome.params, outcome.effects, True
    else:
        assert reject is not None
        code_name, params, effects, ok = reject.code, reject.params, {}, False
    en, zh = messages.render(code_name, params)
    batch.events.append(
        {
            "id": event_id,
            "station": station.name,
            "device": device,
            "seq": scan.seq,
            "raw": scan.raw,
            # NUL cannot be stored in a PostgreSQL text column; the raw bytes keep the real scan.
            "text": text.strip()[:4096].replace("\x00", "\ufffd"),
            "aim": None if isinstance(parsed, CodeError) else parsed.aim,
            "device_at": scan.at,
            "received_at": received,
            "ok": ok,
            "code": code_name,
            "message": en,
            "message_zh": zh,
            "effects": _effects_json(effects),
            "actor_id": state.actor_id,
            "work_order_id": state.work_order_id,
            "undone_by": None,
            "is_txn": bool(outcome and outcome.txn),
        }
    )
    return ScanResult(ok, code_name, en, zh, scan.seq, False, event_id, effects)


def _run_handler(ctx: ScanContext, careful: bool) -> tuple[Outcome | None, Reject | None]:
    """Dispatch the scan; on rejection undo its stock journal, session changes and (careful) savepoint."""
    session, state, ledger = ctx.session, ctx.state, ctx.ledger
    before = state.snapshot()
    ledger.mark()
    savepoint = session.begin_nested() if careful else None
    orm_before = None if careful else _orm_mark(session)
    try:
        outcome = _dispatch(ctx)
        if savepoint is not None:
            savepoint.commit()
        return outcome, None
    except Reject as exc:
        reject = exc
    except NegativeStock as exc:
        part = ctx.catalog.parts.get(exc.part_id)
        loc = ctx.catalog.locations.get(exc.location_id)
        reject = refuse_negative(exc, part.part_no if part else exc.part_id, loc.code if loc else exc.location_id)
    except SQLAlchemyError:
        if savepoint is None:
            raise NeedsCareful() from None
        log.exception("scan failed in the database for %r at %s", ctx.raw_text[:80], ctx.station.name)
        reject = Reject("internal_error")
    except Exception:  # a bug must not lose the rest of the batch nor leave half a scan
        log.exception("scan handler failed for %r at %s", ctx.raw_text[:80], ctx.station.name)
        reject = Reject("internal_error")
    ledger.rollback_to_mark()
    state.__dict__.update(before.__dict__)
    if savepoint is not None:
        savepoint.rollback()
    elif _orm_mark(session) != orm_before:
        raise NeedsCareful()
    return None, reject
