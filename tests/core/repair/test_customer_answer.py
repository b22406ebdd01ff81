"""The customer's yes, per line (SPEC 10.2): how, who took it, when; declined safety items need a signature;
a declined part line gives its stock back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from floor.core import audit, messages, reservations
from floor.core.scanning.context import Reject
from floor.models import PartRequest, RepairDecision, RepairDecisionLine, RepairLine, User, WorkOrder
from tests.repair_factories import add_line, answer
from tests.web.reception.helpers import png


def _status(db, *ids):
    with db.reading() as s:
        return [s.get(RepairLine, i).status for i in ids]


def _decisions(db) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(RepairDecision)) or 0)


@pytest.fixture
def proposal(garage):
    """Job 1001 with three proposed lines: brake pads labour (a safety item), 2 pads, an oil change."""
    brakes = add_line(garage, "1001", kind="labour", op="BRK-FRT", pay="customer", safety=True)[0]
    pads = add_line(garage, "1001", kind="part", part_no="BP-400", qty=2, pay="customer", safety="no")[0]
    oil = add_line(garage, "1001", kind="labour", op="OIL-CHG", pay="customer")[0]
    return garage, brakes, pads, oil


def test_yes_to_some_lines_no_to_others(proposal):
    """GIVEN three proposed lines WHEN the customer, by signature on the tablet, says yes to the brakes and the pads and
    no to the oil change THEN each line has its status and the answer, who took it and when are kept with the prices."""
    db, brakes, pads, oil = proposal
    done = answer(db, "1001", [brakes, pads], [oil], how="signature", signature=png())
    assert _status(db, brakes, pads, oil) == ["authorized", "authorized", "declined"]
    with db.reading() as s:
        decision = s.get(RepairDecision, done.decision.id)
        taker = s.get(User, decision.taken_by)
        assert (decision.how, taker.name, decision.signature_png[:4]) == ("signature", "Liu Yang", b"\x89PNG")
        kept = {r.line_id: (r.status, str(r.price)) for r in s.scalars(select(RepairDecisionLine))}
        assert kept == {brakes: ("authorized", "456.00"), pads: ("authorized", "116.66"), oil: ("declined", "304.00")}
        assert s.get(RepairLine, oil).decision_id == decision.id
        entry = audit.entries(s, action="repair_answer")[0]
        assert entry["actor"] == "U:ADV1" and entry["object"] == "WO:1001"


def test_a_declined_part_line_gives_its_stock_back(proposal):
    """GIVEN the 2 pads held for the proposal WHEN the customer declines them (in person) THEN the request closes and
    the 2 units are free again; the job's count of part lines without a yes stays 1 (declined)."""
    db, brakes, pads, oil = proposal
    with db.reading() as s:
        line = s.get(RepairLine, pads)
        holder = reservations.Holder("request", line.request_id, line.work_order_id)
        assert reservations.held(s, holder) == 2
    freed = answer(db, "1001", [brakes, oil], [pads]).freed
    assert freed == 2
    with db.reading() as s:
        assert reservations.held(s, holder) == 0
        assert s.get(PartRequest, line.request_id).status == "cancelled"
        assert s.scalar(select(WorkOrder.parts_unauthorized).where(WorkOrder.number == "1001")) == 1


@pytest.mark.parametrize(
    ("how", "signature", "code"),
    [
        ("phone", None, "safety_needs_signature"),
        ("in_person", None, "safety_needs_signature"),
        ("signature", None, "signature_missing"),
        ("signature", b"not a png", "bad_signature"),
        ("fax", None, "bad_consent_how"),
        (None, None, "bad_consent_how"),
    ],
)
def test_a_declined_safety_item_needs_the_customers_signature(proposal, how, signature, code):
    """GIVEN the brakes marked as a safety item WHEN the customer declines them without a usable signature (or the
    answer's manner is unknown) THEN refused with a coded en/zh message, and nothing is recorded."""
    db, brakes, pads, oil = proposal
    with pytest.raises(Reject) as refused:
        answer(db, "1001", [oil], [brakes], how=how, signature=signature)
    assert refused.value.code == code
    en, zh = messages.render(refused.value.code, refused.value.params)
    assert en != zh
    assert _status(db, brakes, pads, oil) == ["proposed"] * 3 and _decisions(db) == 0


def test_declining_a_safety_item_with_a_signature(proposal):
    """GIVEN the customer's signature WHEN the safety item is declined THEN it is recorded as declined."""
    db, brakes, pads, oil = proposal
    answer(db, "1001", [oil, pads], [brakes], how="signature", signature=png())
    assert _status(db, brakes, pads, oil) == ["declined", "authorized", "authorized"]


def test_bad_answers_change_nothing(proposal):
    """GIVEN proposed lines WHEN an answer names no line, an unknown or another job's line, a line twice, a line
    already answered, or comes from a technician THEN refused, and nothing changes."""
    db, brakes, pads, oil = proposal
    other = add_line(db, "1002", kind="labour", op="DIAG", pay="customer")[0]
    cases = [
        (([], []), {}, "no_lines_answered"),
        (([999_999], []), {}, "unknown_line"),
        ((["1"], []), {}, "unknown_line"),
        (([other], []), {}, "unknown_line"),
        (([oil], [oil]), {}, "line_twice"),
        (([oil, oil], []), {}, "line_twice"),
        (([oil], []), {"badge": "T001"}, "role_denied"),
        (([oil], []), {"badge": "S001"}, "role_denied"),
    ]
    for (yes, no), extra, code in cases:
        with pytest.raises(Reject) as refused:
            answer(db, "1001", yes, no, **extra)
        assert refused.value.code == code, (yes, no, extra)
    assert _status(db, brakes, pads, oil) == ["proposed"] * 3 and _decisions(db) == 0
    answer(db, "1001", [oil])
    with pytest.raises(Reject) as again:
        answer(db, "1001", [oil])
    assert again.value.code == "line_not_proposed"
    assert "客户已确认" in messages.render(again.value.code, again.value.params)[1]
    with pytest.raises(Reject) as closed:
        answer(db, "1003", [oil])
    assert closed.value.code == "job_closed_lines"
