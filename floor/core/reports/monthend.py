"""The month-end report: the month's counts and their causes, adjustments, dead stock and KPIs.

A storekeeper or supervisor writes a handling proposal per cause until a supervisor signs the
month (once it has ended by the clock). Signing stores the report as a snapshot: from then on the
month's report is the snapshot, whatever changes later. Changes are stamped with the clock, so
anything done after the month ended lands in a later month's report.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from floor.core.counts.variance import variance_rows
from floor.core.reports import ReportError
from floor.core.reports.deadstock import DEFAULT_DAYS, dead_stock, summary
from floor.core.reports.kpis import CENT, KPI_KEYS, count_accuracy, kpis
from floor.core.reports.period import Period, month_key, month_period, previous_months
from floor.models import CountSession, MonthEnd, User, UTCDateTime
from floor.models.counts import VarianceReason

CAUSES = (*VarianceReason.values(), "dead_stock", "adjustments")
TREND_MONTHS = 3  # the previous months the month's KPIs are set against
MAX_PROPOSAL = 2000

_ADJUSTMENTS = text(
    """
SELECT p.part_no, l.code, m.qty, m.qty * m.unit_cost, m.ref, m.at
FROM stock_moves m JOIN parts p ON p.id = m.part_id JOIN locations l ON l.id = m.location_id
WHERE m.reason = 'adjust' AND m.at >= :start AND m.at < :end
ORDER BY m.at, m.id
"""
).bindparams(bindparam("start", type_=UTCDateTime), bindparam("end", type_=UTCDateTime))


def _money(value: Decimal) -> float:
    return float(value.quantize(CENT))


def _variance_by_reason(session: Session, count_ids: list[int]) -> dict[str, dict[str, Any]]:
    """Overage and shortage (units and value at the frozen unit cost) per variance reason."""
    out: dict[str, dict[str, Any]] = {}
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 5)
    for count_id in count_ids:
        for r in variance_rows(session, count_id):
            if not r.variance:
                continue
            s = sums[r.reason or "unknown"]
            s[4] += 1
            if r.variance > 0:
                s[0] += r.variance
                s[1] += r.unit_cost * r.variance
            else:
                s[2] += -r.variance
                s[3] += r.unit_cost * -r.variance
    for reason, s in sorted(sums.items()):
        out[reason] = {
            "lines": int(s[4]),
            "overage_qty": int(s[0]),
            "overage_value": _money(s[1]),
            "shortage_qty": int(s[2]),
            "shortage_value": _money(s[3]),
            "net_value": _money(s[1] - s[3]),
        }
    return out


def _adjustments(session: Session, period: Period) -> dict[str, Any]:
    """The month's `adjust` moves: count approvals (ref CNT:<id>) summed, other corrections listed."""
    moves = units = 0
    total = Decimal(0)
    other: list[dict[str, Any]] = []
    for part_no, code, qty, value, ref, at in session.execute(_ADJUSTMENTS, {"start": period.start, "end": period.end}):
        v = Decimal(str(value or 0))
        if ref and str(ref).startswith("CNT:"):
            moves += 1
            units += int(qty)
            total += v
        else:
            when = UTCDateTime().process_result_value(at, None)  # type: ignore[arg-type]
            other.append(
                {
                    "part_no": part_no,
                    "location": code,
                    "qty": int(qty),
                    "value": _money(v),
                    "ref": ref,
                    "at": when.isoformat() if when else None,
                }
            )
    return {
        "from_counts": {"moves": moves, "qty": units, "value": _money(total)},
        "other": other,
        "other_value": _money(sum((Decimal(str(o["value"])) for o in other), Decimal(0))),
    }


def _kpi_row(report: dict[str, Any]) -> dict[str, Any]:
    # warranty claims (credited in the month, owed at its end) ride along beside the SPEC keys
    return {**{k: report.get(k) for k in KPI_KEYS}, "warranty_claims": report.get("warranty_claims")}


def month_kpis(session: Session, month: Period, now: datetime) -> dict[str, Any]:
    """A month's KPI row: the signed snapshot's if the month is signed, else computed now."""
    row = session.get(MonthEnd, month_key(month))
    if row is not None and row.snapshot is not None:
        return {"month": row.month, "signed": True, **_kpi_row(row.snapshot["kpis"])}
    return {"month": month_key(month), "signed": False, **_kpi_row(kpis(session, month, now))}


def build_report(session: Session, month: str, now: datetime, tz: tzinfo) -> dict[str, Any]:
    """The month's report (the month of the site's calendar, `tz`) computed from the records as they are now."""
    period = month_period(month, tz)
    row = session.get(MonthEnd, month)
    as_of = min(period.end, now)
    counts = session.scalars(
        select(CountSession.id)
        .where(
            CountSession.status == "approved",
            CountSession.approved_at >= period.start,
            CountSession.approved_at < period.end,
        )
        .order_by(CountSession.approved_at, CountSession.id)
    ).all()
    accuracy = count_accuracy(session, period)
    dead = dead_stock(session, as_of, DEFAULT_DAYS, now)
    this = kpis(session, period, now)
    trend = [month_kpis(session, p, now) for p in previous_months(period, TREND_MONTHS)]
    trend.append({"month": month, "signed": False, **_kpi_row(this)})
    return {
        "month": month,
        **period.as_dict(),
        "status": "open",
        "signed": None,
        "generated_at": now.isoformat(),
        "counts": accuracy["counts"],
        "count_accuracy": {k: accuracy[k] for k in ("bins", "bins_without_variance", "accuracy", "value_accuracy")},
        "variance_by_reason": _variance_by_reason(session, list(counts)),
        "adjustments": _adjustments(session, period),
        "dead_stock": {**summary(dead), "days": DEFAULT_DAYS, "as_of": as_of.isoformat(), "top": dead_top(dead)},
        "kpis": this,
        "trend": trend,
        "causes": list(CAUSES),
        "proposals": {c: (row.proposals or {}).get(c, "") for c in CAUSES} if row else dict.fromkeys(CAUSES, ""),
    }


def dead_top(lines: list[dict[str, Any]], n: int = 20) -> list[dict[str, Any]]:
    """The n most valuable dead lines."""
    return sorted(lines, key=lambda line: (-line["value"], line["part_no"], line["location"]))[:n]


def month_end(session: Session, month: str, now: datetime, tz: tzinfo) -> dict[str, Any]:
    """The month's report (in the site's time zone `tz`): the snapshot once signed, else computed now."""
    month_period(month, tz)
    row = session.get(MonthEnd, month)
    if row is not None and row.snapshot is not None:
        return _without_badge(row.snapshot)
    return build_report(session, month, now, tz)


def _without_badge(report: dict[str, Any]) -> dict[str, Any]:
    """A snapshot as it is shown: one signed before SPEC 10.6 kept the signer's badge, which no answer carries."""
    signed = report.get("signed")
    if isinstance(signed, dict) and "badge" in signed:
        report = {**report, "signed": {k: v for k, v in signed.items() if k != "badge"}}
    return report


def _locked_row(session: Session, month: str, now: datetime) -> MonthEnd:
    """The month's row, created if missing, locked for this transaction (two signers cannot both win)."""
    pg = session.get_bind().dialect.name == "postgresql"
    insert = pg_insert if pg else sqlite_insert
    session.execute(
        insert(MonthEnd).values(month=month, proposals={}, updated_at=now).on_conflict_do_nothing(),
    )
    row = session.get(MonthEnd, month, with_for_update=True, populate_existing=True)
    assert row is not None  # inserted above or already there
    return row


def _signed_refusal(session: Session, row: MonthEnd) -> ReportError:
    who = session.get(User, row.signed_by) if row.signed_by else None
    at = row.signed_at.isoformat() if row.signed_at else "-"
    return ReportError("month_signed", month=row.month, name=who.name if who else "-", at=at)


def set_proposals(session: Session, month: str, proposals: Any, user: User | None, now: datetime) -> dict[str, str]:
    """Replace the handling proposals of the named causes; refused once the month is signed."""
    month_period(month)
    if not isinstance(proposals, dict) or not proposals:
        raise ReportError(
            "bad_proposal", detail=f"'proposals' must be an object of cause -> text; causes: {', '.join(CAUSES)}"
        )
    clean: dict[str, str] = {}
    for cause, value in proposals.items():
        if cause not in CAUSES:
            raise ReportError("bad_proposal", detail=f"unknown cause {str(cause)[:40]!r}; causes: {', '.join(CAUSES)}")
        if not isinstance(value, str) or len(value) > MAX_PROPOSAL:
            raise ReportError("bad_proposal", detail=f"{cause}: a text of at most {MAX_PROPOSAL} characters")
        clean[cause] = value.strip()
    row = _locked_row(session, month, now)
    if row.snapshot is not None:
        raise _signed_refusal(session, row)
    row.proposals = {**(row.proposals or {}), **clean}  # a new dict, so the JSON column is written
    row.updated_at = now
    row.updated_by = user.id if user else None
    session.flush()
    return {c: row.proposals.get(c, "") for c in CAUSES}


def sign(session: Session, month: str, user: User, now: datetime, tz: tzinfo) -> dict[str, Any]:
    """Sign and freeze a month that has ended where the site is (`tz`): store its report as the snapshot.

    A second signature is refused.
    """
    period = month_period(month, tz)
    if now < period.end:
        raise ReportError("month_not_ended", month=month, from_=(period.last + timedelta(days=1)).isoformat())
    row = _locked_row(session, month, now)
    if row.snapshot is not None:
        raise _signed_refusal(session, row)
    report = build_report(session, month, now, tz)
    report["status"] = "signed"
    report["signed"] = {"name": user.name, "role": user.role, "at": now.isoformat()}  # never the badge (SPEC 10.6)
    row.snapshot = report
    row.signed_at = now
    row.signed_by = user.id
    session.flush()
    return report
