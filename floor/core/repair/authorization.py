"""The customer's yes, per line (SPEC 10.2): authorized or declined, how, who took it, when.

One call is one answer of the customer (`repair_decisions`), naming the proposed lines they said
yes to and those they declined; each line keeps the price it was answered at
(`repair_decision_lines`). An answer by signature carries the signature (a PNG from the tablet's
pad, floor.core.signatures); declining a line marked `safety` needs one. A declined part line
gives its stock back to the shelf and the jobs waiting for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from floor.core import audit, changes, signatures
from floor.core.authority import RoleTable
from floor.core.demand import rules as demand
from floor.core.repair.errors import TAKE_YES, RepairError, require
from floor.core.repair.lines import check_open, line_of, lock_job, recount
from floor.models import PartRequest, RepairDecision, RepairDecisionLine, RepairLine, WorkOrder
from floor.models.repair import ConsentHow, LineKind, LineStatus
from floor.models.requests import RequestStatus

MAX_LINES = 200


@dataclass
class Answer:
    """What one answer of the customer did: the decision, the lines said yes and no to, the units freed."""

    decision: RepairDecision
    authorized: list[RepairLine]
    declined: list[RepairLine]
    freed: int = 0


def _ids(values: object, name: str) -> list[object]:
    if values is None:
        return []
    if not isinstance(values, list) or len(values) > MAX_LINES:
        raise RepairError("bad_line_field", field=name, detail=f"must be a list of at most {MAX_LINES} line ids")
    return values


def _proposed(session: Session, wo: WorkOrder, ids: Sequence[object]) -> list[RepairLine]:
    lines = [line_of(session, wo, i) for i in ids]
    for line in lines:
        if line.status != LineStatus.PROPOSED.value:
            raise RepairError("line_not_proposed", id=line.id, status=line.status)
    return lines


def authorize(
    session: Session,
    wo: WorkOrder,
    lines: object,
    declined: object,
    how: object,
    actor: Any,
    via: str,
    at: datetime,
    *,
    roles: RoleTable,
    signature: bytes | None = None,
) -> Answer:
    """Record the customer's answer on proposed lines (`take_authorization`); every check comes before any write."""
    require(roles, actor, TAKE_YES)
    check_open(wo)
    lock_job(session, wo)
    manner = ConsentHow.parse(how)
    if manner is None:
        raise RepairError("bad_consent_how", how=str(how)[:20])
    yes_ids, no_ids = _ids(lines, "lines"), _ids(declined, "declined")
    if not yes_ids and not no_ids:
        raise RepairError("no_lines_answered")
    yes, no = _proposed(session, wo, yes_ids), _proposed(session, wo, no_ids)
    named = [ln.id for ln in yes + no]
    twice = next((i for i in named if named.count(i) > 1), None)
    if twice is not None:
        raise RepairError("line_twice", id=twice)
    if manner is ConsentHow.SIGNATURE and signature is None:
        raise RepairError("signature_missing")
    if signature is not None:
        signatures.check_png(signature)
    unsigned_safety = next((ln for ln in no if ln.safety), None)
    if unsigned_safety is not None and (manner is not ConsentHow.SIGNATURE or signature is None):
        raise RepairError("safety_needs_signature", id=unsigned_safety.id)
    decision = RepairDecision(
        work_order_id=wo.id, how=manner.value, taken_by=getattr(actor, "id", None), at=at, signature_png=signature
    )
    session.add(decision)
    session.flush()
    answer = Answer(decision, yes, no)
    for status, group in ((LineStatus.AUTHORIZED, yes), (LineStatus.DECLINED, no)):
        for line in group:
            line.status, line.decision_id = status.value, decision.id
            session.add(
                RepairDecisionLine(decision_id=decision.id, line_id=line.id, status=status.value, price=line.price)
            )
    for line in no:
        answer.freed += _give_back(session, line, getattr(actor, "id", None), at)
    recount(session, wo)
    audit.record(
        session,
        via,
        "repair_answer",
        f"WO:{wo.number}",
        at=at,
        how=manner.value,
        authorized=[ln.id for ln in yes],
        declined=[ln.id for ln in no],
        signed=signature is not None,
    )
    changes.publish(session, changes.JOBS, number=wo.number)
    return answer


def _give_back(session: Session, line: RepairLine, closed_by: int | None, at: datetime) -> int:
    """A declined part line's request closes: what it held goes to the shelf and the jobs waiting."""
    if line.kind != LineKind.PART.value or line.request_id is None:
        return 0
    request = session.get(PartRequest, line.request_id)
    if request is None or request.status in (RequestStatus.CANCELLED, RequestStatus.ISSUED):
        return 0
    return demand.withdraw(session, request, closed_by, at)
