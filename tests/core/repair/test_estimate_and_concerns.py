"""The estimate (totals per pay type, tax on the customer's part, what is due) and the concerns (SPEC 10.2)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from floor import clock
from floor.core import messages
from floor.core.repair.concerns import add_concern, concern_of, concerns_of, update_concern
from floor.core.repair.estimate import estimate
from floor.core.scanning.context import Reject
from tests.repair_factories import BILLING, ROLES, add_line, answer, job_of, person


def test_estimate_totals_tax_and_due(garage):
    """GIVEN customer, warranty and internal lines and a declined one WHEN estimated at 13 % tax THEN each pay type adds
    its rounded lines, the tax is on the customer's total only (54.6858 -> 54.69), due = customer + tax, and the
    declined line is listed with its price but adds to nothing."""
    oil = add_line(garage, "1001", kind="labour", op="OIL-CHG", pay="customer")[0]
    add_line(garage, "1001", kind="labour", op="ALT-RR", pay="warranty")
    add_line(garage, "1001", kind="part", part_no="BP-400", qty=2, pay="customer")
    add_line(garage, "1001", kind="part", part_no="SP-200", pay="internal")
    diag = add_line(garage, "1001", kind="labour", op="DIAG", pay="customer")[0]
    answer(garage, "1001", [oil], [diag])
    with garage.reading() as s:
        got = estimate(s, job_of(s, "1001").id, BILLING).json()
    assert got["totals"] == {"customer": "420.66", "warranty": "665.00", "internal": "6.45"}
    assert (got["tax_pct"], got["tax"], got["due"], got["declined_total"]) == ("13", "54.69", "475.35", "190.00")
    first = got["lines"][0]
    assert (first["op"], first["name_zh"], first["hours"], first["unit_price"], first["price"], first["status"]) == (
        "OIL-CHG",
        "更换机油机滤",
        "0.80",
        "380.00",
        "304.00",
        "authorized",
    )
    assert [line["status"] for line in got["lines"]] == ["authorized", "proposed", "proposed", "proposed", "declined"]
    assert got["lines"][2]["part_no"] == "BP-400" and got["lines"][4]["status_zh"] == "客户拒绝"


def test_an_estimate_of_forty_lines_is_one_query(garage):
    """GIVEN a job of 40 lines WHEN estimated THEN one statement reads them all (bench: estimate_ms < 100)."""
    for i in range(20):
        add_line(garage, "1001", kind="labour", op=("OIL-CHG", "DIAG")[i % 2], pay="customer")
        add_line(garage, "1001", kind="part", part_no=("OF-100", "SP-200")[i % 2], pay="customer", unit_price="1")
    with garage.reading() as s:
        wo_id = job_of(s, "1001").id
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(garage.engine, "before_cursor_execute", listener)
        try:
            got = estimate(s, wo_id, BILLING)
        finally:
            event.remove(garage.engine, "before_cursor_execute", listener)
    assert len(got.lines) == 40 and len(seen) == 1


def test_concerns_in_the_customers_words_then_cause_and_correction(garage):
    """GIVEN an advisor WHEN the customer's words are written THEN the technician adds cause and correction; the
    advisor may not diagnose on a storekeeper's badge, words are required and bounded, and closed jobs refuse."""
    advisor, tech, store = person(garage, "ADV1"), person(garage, "T001"), person(garage, "S001")
    with garage.writing() as s:
        wo = job_of(s, "1001")
        first = add_concern(s, wo, "  Squeal when braking, front left  ", advisor, "U:ADV1", clock.now(), roles=ROLES)
        add_concern(s, wo, "发动机故障灯亮", advisor, "U:ADV1", clock.now(), roles=ROLES)
        first_id = first.id
    with garage.writing() as s:
        wo = job_of(s, "1001")
        update_concern(
            s,
            wo,
            concern_of(s, wo, first_id),
            {"cause": "Pads worn to 2 mm", "correction": "Replaced front pads"},
            tech,
            "U:T001",
            clock.now(),
            roles=ROLES,
        )
    with garage.reading() as s:
        rows = [(c.text, c.cause, c.correction) for c in concerns_of(s, job_of(s, "1001").id)]
    assert rows == [
        ("Squeal when braking, front left", "Pads worn to 2 mm", "Replaced front pads"),
        ("发动机故障灯亮", None, None),
    ]
    refusals = [
        (lambda s, wo: add_concern(s, wo, "", advisor, "-", clock.now(), roles=ROLES), "bad_concern_text"),
        (lambda s, wo: add_concern(s, wo, "x" * 2001, advisor, "-", clock.now(), roles=ROLES), "bad_concern_text"),
        (lambda s, wo: add_concern(s, wo, "bell\x07", advisor, "-", clock.now(), roles=ROLES), "bad_concern_text"),
        (lambda s, wo: add_concern(s, wo, 42, advisor, "-", clock.now(), roles=ROLES), "bad_concern_text"),
        (lambda s, wo: add_concern(s, wo, "Noise", tech, "-", clock.now(), roles=ROLES), "role_denied"),
        (lambda s, wo: concern_of(s, wo, 999_999), "unknown_concern"),
        (
            lambda s, wo: update_concern(
                s, wo, concern_of(s, wo, first_id), {"cause": "x"}, store, "-", clock.now(), roles=ROLES
            ),
            "role_denied",
        ),
        (
            lambda s, wo: update_concern(s, wo, concern_of(s, wo, first_id), {}, tech, "-", clock.now(), roles=ROLES),
            "bad_concern_text",
        ),
    ]
    for call, code in refusals:
        with garage.writing() as s, pytest.raises(Reject) as refused:
            call(s, job_of(s, "1001"))
        assert refused.value.code == code
        assert "?" not in messages.render(refused.value.code, refused.value.params)[1]
    with garage.writing() as s, pytest.raises(Reject) as closed:
        add_concern(s, job_of(s, "1003"), "Noise", advisor, "-", clock.now(), roles=ROLES)
    assert closed.value.code == "job_closed_lines"
    with garage.reading() as s:
        assert len(concerns_of(s, job_of(s, "1001").id)) == 2
