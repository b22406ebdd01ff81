"""A job's lines (SPEC 10.2): labour from the catalogue, parts as request lines that hold stock; prices, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from floor import clock
from floor.core import messages, reservations
from floor.core.repair.concerns import add_concern
from floor.core.repair.lines import add_line as add
from floor.core.repair.lines import change_line, line_of
from floor.core.repair.settings import BillingSettings
from floor.core.scanning.context import Reject
from floor.models import Part, PartRequest, RepairLine, WorkOrder
from tests.repair_factories import ROLES, add_line, answer, job_of, person


def _line(db, line_id):
    with db.reading() as s:
        line = s.get(RepairLine, line_id)
        request = s.get(PartRequest, line.request_id) if line.request_id else None
        held = reservations.held(s, reservations.Holder("request", request.id, request.work_order_id)) if request else 0
        wo = s.get(WorkOrder, line.work_order_id)
        return line, request, held, wo


def _count(db) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(RepairLine)) or 0)


def test_a_labour_line_is_priced_from_the_catalogue_and_the_rate(garage):
    """GIVEN the labour rate 380.00 WHEN OIL-CHG (0.8 h) is added, and ALT-RR with its 1.75 h given as 2 THEN they are
    proposed at 304.00 and 760.00; the hours default to the operation's."""
    first, status, price = add_line(garage, "1001", kind="labour", op="oil-chg", pay="customer")
    assert (status, price) == ("proposed", "304.00")
    second = add_line(garage, "1001", kind="labour", op="ALT-RR", hours="2", pay="warranty")
    assert second[1:] == ("proposed", "760.00")
    line, request, _held, wo = _line(garage, first)
    assert (line.kind, line.hours, line.qty, line.pay, request, line.supplement) == (
        "labour",
        Decimal("0.80"),
        1,
        "customer",
        None,
        False,
    )
    assert wo.parts_unauthorized == 0  # labour lines are not counted for the issue scan


def test_a_part_line_is_a_request_line_that_reserves_stock(garage):
    """GIVEN 3 brake pads on the shelf WHEN a part line asks for 2 THEN it is priced at the sell price (2 × 58.33), its
    request line holds the 2, and the job counts one part line the customer has not said yes to."""
    line_id, status, price = add_line(garage, "1001", kind="part", part_no="BP-400", qty=2, pay="customer")
    assert (status, price) == ("proposed", "116.66")
    line, request, held, wo = _line(garage, line_id)
    assert request is not None and (request.qty, request.status, held) == (2, "reserved", 2)
    assert line.part_id == request.part_id and wo.parts_unauthorized == 1


def test_one_rounding_half_up_per_line(garage):
    """GIVEN a unit price 58.335 WHEN 3 are sold THEN 175.005 is rounded once, half-up, to 175.01 (not to even)."""
    assert add_line(garage, "1001", kind="part", part_no="BP-400", qty="3", unit_price="58.335", pay="customer")[2] == (
        "175.01"
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"kind": "labour", "op": "NOPE", "pay": "customer"}, "unknown_operation"),
        ({"kind": "labour", "op": "DIAG", "pay": "cash"}, "bad_pay_type"),
        ({"kind": "labour", "op": "DIAG", "pay": None}, "bad_pay_type"),
        ({"kind": "service", "op": "DIAG", "pay": "customer"}, "bad_line_kind"),
        ({"kind": "labour", "op": "DIAG", "pay": "customer", "hours": "0"}, "bad_hours"),
        ({"kind": "labour", "op": "DIAG", "pay": "customer", "hours": "-1"}, "bad_hours"),
        ({"kind": "labour", "op": "DIAG", "pay": "customer", "hours": "1.234"}, "bad_hours"),
        ({"kind": "labour", "op": "DIAG", "pay": "customer", "hours": "NaN"}, "bad_hours"),
        ({"kind": "labour", "op": "DIAG", "pay": "customer", "qty": 3}, "bad_line_field"),
        ({"kind": "part", "part_no": "NOPE-1", "pay": "customer"}, "unknown_part"),
        ({"kind": "part", "part_no": "OF-100", "qty": 0, "pay": "customer"}, "bad_request_qty"),
        ({"kind": "part", "part_no": "OF-100", "qty": -2, "pay": "customer"}, "bad_request_qty"),
        ({"kind": "part", "part_no": "OF-100", "qty": "two", "pay": "customer"}, "bad_request_qty"),
        ({"kind": "part", "part_no": "OF-100", "qty": 1.5, "pay": "customer"}, "bad_request_qty"),
        ({"kind": "part", "part_no": "OF-100", "hours": "1", "pay": "customer"}, "bad_line_field"),
        ({"kind": "part", "part_no": "OF-100", "pay": "customer", "unit_price": "-3"}, "bad_unit_price"),
        ({"kind": "part", "part_no": "OF-100", "pay": "customer", "concern": 999}, "unknown_concern"),
        ({"kind": "part", "part_no": "OF-100", "pay": "customer", "safety": "maybe"}, "bad_line_field"),
    ],
)
def test_bad_lines_are_refused_and_change_nothing(garage, data, code):
    """GIVEN a line with one thing wrong (unknown operation or part, quantity <= 0, unknown pay type, ...) THEN a coded
    refusal with an English and a Chinese message, and no line, request or reservation is written."""
    with pytest.raises(Reject) as refused:
        add_line(garage, "1001", **data)
    assert refused.value.code == code
    en, zh = messages.render(refused.value.code, refused.value.params)
    assert en and zh and en != zh and "?" not in en
    assert _count(garage) == 0
    with garage.reading() as s:
        assert s.scalar(select(func.count()).select_from(PartRequest)) == 0


def test_lines_on_closed_jobs_and_who_may_write_them(garage):
    """GIVEN delivered job 1003 THEN no line is added to it; a technician may not add lines (role_denied)."""
    with pytest.raises(Reject) as closed:
        add_line(garage, "1003", kind="labour", op="DIAG", pay="customer")
    assert closed.value.code == "job_closed_lines"
    assert "交车" in messages.render(closed.value.code, closed.value.params)[1]
    with pytest.raises(Reject) as denied:
        add_line(garage, "1001", badge="T001", kind="labour", op="DIAG", pay="customer")
    assert denied.value.code == "role_denied"
    assert _count(garage) == 0


def test_prices_need_a_rate_and_a_sell_price(garage):
    """GIVEN no labour rate, or a part without a sell price THEN the line is refused saying what to set."""
    with garage.writing() as s, pytest.raises(Reject) as no_rate:
        add(
            s,
            job_of(s, "1001"),
            {"kind": "labour", "op": "DIAG", "pay": "customer"},
            person(garage, "ADV1"),
            "U:ADV1",
            clock.now(),
            roles=ROLES,
            billing=BillingSettings(),
        )
    assert no_rate.value.code == "no_labour_rate"
    assert _count(garage) == 0
    with garage.writing() as s:
        s.execute(update(Part).where(Part.part_no == "SP-200").values(sell_price=None))
    with pytest.raises(Reject) as no_price:
        add_line(garage, "1001", kind="part", part_no="SP-200", pay="customer")
    assert no_price.value.code == "no_sell_price"
    assert add_line(garage, "1001", kind="part", part_no="SP-200", pay="internal", unit_price="5")[2] == "5.00"


def test_a_concern_of_another_job_is_not_this_jobs(garage):
    """GIVEN a concern written on job 1002 THEN a line of job 1001 cannot name it."""
    with garage.writing() as s:
        concern = add_concern(s, job_of(s, "1002"), "Noise", person(garage, "ADV1"), "U:ADV1", clock.now(), roles=ROLES)
        other = concern.id
    with pytest.raises(Reject) as refused:
        add_line(garage, "1001", kind="labour", op="DIAG", pay="customer", concern=other)
    assert refused.value.code == "unknown_concern"


def _change(db, number, line_id, badge="ADV1", **data):
    with db.writing() as s:
        wo = job_of(s, number)
        line = change_line(
            s, wo, line_of(s, wo, line_id), data, person(db, badge), f"U:{badge}", clock.now(), roles=ROLES
        )
        return line.status, str(line.price)


def test_a_line_changed_after_the_yes_is_asked_again(garage):
    """GIVEN an authorized part line of 2 pads WHEN the advisor reprices it THEN refused (a supervisor's act); the
    supervisor changes it to 3 at a new price THEN it is proposed again, its request holds 3, and the job counts it."""
    line_id = add_line(garage, "1001", kind="part", part_no="BP-400", qty=2, pay="customer")[0]
    assert _change(garage, "1001", line_id, qty=1) == ("proposed", "58.33")  # before the yes: the advisor may
    assert _change(garage, "1001", line_id, qty=2) == ("proposed", "116.66")
    answer(garage, "1001", [line_id])
    assert _line(garage, line_id)[3].parts_unauthorized == 0
    with pytest.raises(Reject) as denied:
        _change(garage, "1001", line_id, qty=3)
    assert denied.value.code == "role_denied"
    assert _change(garage, "1001", line_id, badge="SUP1", qty=3, unit_price="50") == ("proposed", "150.00")
    line, request, held, wo = _line(garage, line_id)
    assert (request.qty, held, wo.parts_unauthorized, line.decision_id) == (3, 3, 1, None)
    assert _change(garage, "1001", line_id, note="customer brings own oil") == ("proposed", "150.00")


def test_a_part_lines_quantity_shrinks_and_frees_stock(garage):
    """GIVEN a line holding 3 pads WHEN it is changed to 1 THEN its request holds 1 and 2 are free again."""
    line_id = add_line(garage, "1001", kind="part", part_no="BP-400", qty=3, pay="customer")[0]
    assert _line(garage, line_id)[2] == 3
    _change(garage, "1001", line_id, qty="1")
    assert _line(garage, line_id)[1:3][1] == 1
    with garage.reading() as s:
        assert reservations.scan_demand(s, {}, _line(garage, line_id)[0].part_id)[0] == 1


def test_declined_and_done_lines_do_not_change(garage):
    """GIVEN a declined line THEN changing it is refused (`line_closed`): a new line is added instead."""
    line_id = add_line(garage, "1001", kind="labour", op="DIAG", pay="customer")[0]
    answer(garage, "1001", [], [line_id])
    with pytest.raises(Reject) as refused:
        _change(garage, "1001", line_id, hours="1")
    assert refused.value.code == "line_closed"


def test_lines_after_the_first_answer_are_a_supplement(garage):
    """GIVEN the customer answered once WHEN another line is added THEN it is marked as a supplement."""
    first = add_line(garage, "1001", kind="labour", op="DIAG", pay="customer")[0]
    answer(garage, "1001", [first])
    later = add_line(garage, "1001", kind="labour", op="BRK-FRT", pay="customer")[0]
    assert (_line(garage, first)[0].supplement, _line(garage, later)[0].supplement) == (False, True)


def test_locking_the_job_keeps_what_the_transaction_changed(garage):
    """GIVEN a change to the job not yet written in this transaction (a status move of the same batch) WHEN a line
    write locks the job's row THEN the change survives (written first, then read back with the lock)."""
    from floor.core.repair.lines import lock_job

    with garage.writing() as s:
        wo = job_of(s, "1001")
        wo.team = "Bay 3"
        lock_job(s, wo)
        assert wo.team == "Bay 3"
    with garage.reading() as s:
        assert job_of(s, "1001").team == "Bay 3"
