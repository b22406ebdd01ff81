"""The bad-input catalogue, issue 24 part: non-ASCII digits and edge dates anywhere a client sends them.

Only ASCII digits are digits in every path, query and body field (as in scans): `٢٠٢٦-١١` and
`２０２６-１１` are not months and `"٣"` is not a price. Dates at the ends of the calendar (year 1
and 9999, where a day either side overflows) are a clear 4xx, never a 500. Each case also checks
that nothing changed.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from floor.core import inputs
from floor.core.reports import ReportError
from floor.core.reports.period import month_period, parse_period
from floor.db import Database
from floor.models import JobSignature, MonthEnd
from tests.trust.support import snapshot

ARABIC_MONTH = "٢٠٢٦-١٠"  # Arabic-Indic 2026-10, a month that has ended by the pinned clock
FULLWIDTH_MONTH = "２０２６-１０"
MIXED_MONTH = "2026-1٠"


def _month_ends(db: Database) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(MonthEnd)) or 0)


# -- months in paths and queries -----------------------------------------------------------------------
@pytest.mark.parametrize("month", [ARABIC_MONTH, FULLWIDTH_MONTH, MIXED_MONTH], ids=["arabic", "fullwidth", "mixed"])
def test_month_end_sign_takes_ascii_digits_only(client: Any, shop: Database, month: str) -> None:
    """GIVEN a supervisor WHEN they sign a month written in non-ASCII digits THEN 400 bad_month, no month frozen
    (issue 24: each of these froze another copy of the month)."""
    before = snapshot(shop)
    resp = client.post(f"/api/reports/month-end/{month}/sign", json={"badge": "SUP1", "pin": "2468"})
    assert (resp.status_code, resp.get_json()["code"]) == (400, "bad_month"), resp.get_json()
    proposals = client.post(f"/api/reports/month-end/{month}/proposals", json={"badge": "SUP1", "proposals": {}})
    assert (proposals.status_code, proposals.get_json()["code"]) == (400, "bad_month")
    assert _month_ends(shop) == 0
    assert snapshot(shop) == before


@pytest.mark.parametrize("month", [ARABIC_MONTH, FULLWIDTH_MONTH, "", "9999-12", "0001-01", "2026-13"])
def test_month_end_report_month_is_ascii_and_in_range(client: Any, shop: Database, month: str) -> None:
    """GIVEN the month-end report and its CSV WHEN `?month=` is non-ASCII, empty or at the calendar's edge
    THEN 400 bad_month (9999-12 was a 500: its next month does not exist)."""
    for url in ("/api/reports/month-end", "/api/reports/month-end.csv"):
        resp = client.get(url, query_string={"month": month})
        assert (resp.status_code, resp.get_json()["code"]) == (400, "bad_month"), (url, resp.get_data()[:200])


def test_month_end_sign_at_the_calendar_edge_is_a_400(client: Any, shop: Database) -> None:
    """GIVEN a supervisor WHEN they sign 9999-12 THEN 400 bad_month, not a 500, and nothing is stored."""
    before = snapshot(shop)
    resp = client.post("/api/reports/month-end/9999-12/sign", json={"badge": "SUP1", "pin": "2468"})
    assert (resp.status_code, resp.get_json()["code"]) == (400, "bad_month")
    assert _month_ends(shop) == 0 and snapshot(shop) == before


def test_month_end_still_signs_an_ascii_month(client: Any, shop: Database) -> None:
    """GIVEN the same supervisor WHEN they sign 2026-10 in ASCII digits THEN it is signed (the check is not too wide)."""
    resp = client.post("/api/reports/month-end/2026-10/sign", json={"badge": "SUP1", "pin": "2468"})
    assert resp.status_code == 201, resp.get_json()
    assert _month_ends(shop) == 1


# -- report periods ------------------------------------------------------------------------------------
KPI_EDGES = [
    "from=0001-01-01&to=0001-01-31",
    "from=9999-12-01&to=9999-12-31",
    "from=2026-11-01&to=9999-12-31",
    "from=%D9%A2%D9%A0%D9%A2%D9%A6-11-01&to=2026-11-20",  # Arabic-Indic year
    "from=&to=2026-11-20",
    "from=2026-11-01&to=",
]


@pytest.mark.parametrize("query", KPI_EDGES, ids=["year-1", "year-9999", "to-9999", "arabic", "from-empty", "to-empty"])
def test_kpis_dates_at_the_edge_are_a_400(client: Any, shop: Database, query: str) -> None:
    """GIVEN the KPI report and its CSV WHEN from/to are at the calendar's edge, non-ASCII or empty
    THEN 400 bad_period (years 1 and 9999 were a 500)."""
    for url in ("/api/reports/kpis", "/api/reports/kpis.csv"):
        resp = client.get(f"{url}?{query}")
        assert (resp.status_code, resp.get_json()["code"]) == (400, "bad_period"), (url, resp.get_data()[:200])


def test_kpis_without_dates_still_default_to_the_last_30_days(client: Any, shop: Database) -> None:
    """GIVEN the KPI report WHEN no from/to are given THEN the last 30 days (absent is not empty)."""
    resp = client.get("/api/reports/kpis")
    assert resp.status_code == 200 and resp.get_json()["days"] == 30


def test_periods_and_months_in_the_core_refuse_the_calendar_edges() -> None:
    """GIVEN the report period parsers WHEN given the years 1 and 9999 THEN ReportError, so no caller can overflow."""
    today = inputs.parse_day("2026-11-23")
    for first, last in [("0001-01-01", "0001-01-31"), ("9999-12-01", "9999-12-31")]:
        with pytest.raises(ReportError):
            parse_period(first, last, today)
    for month in ("9999-12", "0001-01", ARABIC_MONTH, FULLWIDTH_MONTH):
        with pytest.raises(ReportError):
            month_period(month)


# -- appointments ----------------------------------------------------------------------------------------
APPOINTMENT_DAYS = ["0001-01-01", "9999-12-31", "２０２６-11-24", "٢٠٢٦-11-24", ""]


@pytest.mark.parametrize("day", APPOINTMENT_DAYS, ids=["year-1", "year-9999", "fullwidth", "arabic", "empty"])
def test_appointment_days_at_the_edge_are_a_400(client: Any, shop: Database, day: str) -> None:
    """GIVEN the appointments list and its parts WHEN `?date=` is at the calendar's edge, non-ASCII or empty
    THEN 400 naming the date (years 1 and 9999 were a 500)."""
    for url in ("/api/appointments", "/api/appointments/parts"):
        resp = client.get(url, query_string={"date": day})
        assert resp.status_code == 400, (url, resp.get_data()[:200])
        assert "date" in resp.get_json()["error"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2999-12-31x", "٢٠٢٦-11-24"])
def test_kiosk_appointments_day_at_the_edge_is_a_400_page(client: Any, shop: Database, day: str) -> None:
    """GIVEN the kiosk's appointments page WHEN `?date=` is at the calendar's edge or not a date
    THEN a 400 page with the coded message (9999-12-31 was a 500)."""
    resp = client.get("/kiosk/appointments", query_string={"date": day})
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert "bad_appointment_day" in resp.get_data(as_text=True)


def test_kiosk_appointments_last_day_of_the_range_renders(client: Any, shop: Database) -> None:
    """GIVEN the kiosk's appointments page WHEN the day is the last one allowed THEN it renders (its next day exists)."""
    assert client.get("/kiosk/appointments?date=2999-12-31").status_code == 200


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "٢٠٢٦-11-24T09:00"])
def test_appointment_time_at_the_edge_is_a_400(client: Any, shop: Database, at: str) -> None:
    """GIVEN booking a visit WHEN `at` is at the calendar's edge or not ASCII THEN 400 bad_appointment_time."""
    before = snapshot(shop)
    body = {
        "badge": "SUP1",
        "at": at,
        "customer": "Ma",
        "plate": "沪A12345",
        "lines": [{"part_no": "OF-100", "qty": 1}],
    }
    resp = client.post("/api/appointments", json=body)
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert snapshot(shop) == before


# -- numbers in bodies --------------------------------------------------------------------------------------
@pytest.mark.parametrize("price", ["٣", "３", "1_0", "1e2", "NaN", "²"])
def test_sale_price_takes_ascii_digits_only(client: Any, shop: Database, price: str) -> None:
    """GIVEN a counter sale WHEN a line's price is written in non-ASCII digits (or as 1_0, 1e2, NaN)
    THEN 400 bad_price and no sale (issue 24: "٣" was taken as 3.00)."""
    from floor.core.sales.customers import upsert_customer

    with shop.writing() as s:
        upsert_customer(s, "R1", "Walk-in Ma", "13800000000", "retail")
    before = snapshot(shop)
    line = {"part_no": "OF-100", "qty": 1, "price": price}
    resp = client.post("/api/sales", json={"badge": "SUP1", "customer": "R1", "lines": [line]})
    assert (resp.status_code, resp.get_json()["code"]) == (400, "bad_price"), resp.get_json()
    assert snapshot(shop) == before


# -- the one home: a property over every parser -------------------------------------------------------------
# Characters Python's int(), Decimal() or a \d regex take as digits, but that are not ASCII.
NON_ASCII_DIGITS = [c for c in map(chr, range(0x80, 0x10000)) if c.isdigit() or c.isdecimal() or c.isnumeric()]


@st.composite
def _with_foreign_digit(draw: st.DrawFn, template: str) -> str:
    """`template` (ASCII digits) with one or more digits swapped for a non-ASCII digit."""
    places = [i for i, c in enumerate(template) if c.isdigit()]
    chosen = draw(st.lists(st.sampled_from(places), min_size=1, unique=True))
    chars = list(template)
    for i in chosen:
        chars[i] = draw(st.sampled_from(NON_ASCII_DIGITS))
    return "".join(chars)


TEMPLATES = st.sampled_from(["2026-11-23", "2026-11", "2026-11-23T08:00:00Z", "12", "12.50", "3", "2026"])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(data=st.data(), template=TEMPLATES)
def test_no_non_ascii_digit_is_accepted_by_any_input_parser(data: st.DataObject, template: str) -> None:
    """GIVEN any date, month, time, whole number or decimal text with a non-ASCII digit in it
    WHEN it passes through the shared parsers (floor.core.inputs) and those built on them (report periods and
    months, sale prices, labour hours, CSV money, appointment times) THEN every one refuses it."""
    from floor.core import appointments, rows
    from floor.core.repair.operations import parse_hours
    from floor.core.rows import RowError
    from floor.core.sales.errors import SaleError
    from floor.core.sales.orders import _decimal

    text = data.draw(_with_foreign_digit(template))
    assert inputs.ascii_int(text) is None and inputs.valid_id(text) is None
    assert not inputs.is_ascii_digits(text)
    assert inputs.ascii_decimal(text) is None
    assert parse_hours(text) is None
    for parse in (inputs.parse_day, inputs.parse_month, inputs.parse_moment):
        with pytest.raises(inputs.MomentError):
            parse(text)
    with pytest.raises(ReportError):
        month_period(text)
    with pytest.raises(ReportError):
        parse_period(text, None, inputs.parse_day("2026-11-23"))
    with pytest.raises(SaleError):
        _decimal(text, "OF-100")
    with pytest.raises(RowError):
        rows.money({"unit_cost": text}, "unit_cost")
    with pytest.raises(appointments.AppointmentError):
        appointments.parse_at(text, "UTC")


@pytest.mark.parametrize(
    "text,value",
    [("12", "12"), ("12.50", "12.50"), (" 4 ", "4"), ("-3", "-3"), (".5", "0.5"), (3, "3"), (2.5, "2.5")],
)
def test_ascii_decimal_reads_plain_numbers(text: object, value: str) -> None:
    """GIVEN plain ASCII numbers (text or JSON numbers) WHEN read by ascii_decimal THEN their value."""
    from decimal import Decimal

    assert inputs.ascii_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "+", "1e3", "1_0", "NaN", "inf", "١٢", True, None, float("nan"), "9" * 41])
def test_ascii_decimal_refuses_anything_else(text: object) -> None:
    """GIVEN text that is not a plain ASCII decimal WHEN read THEN None."""
    assert inputs.ascii_decimal(text) is None


# -- signatures ------------------------------------------------------------------------------------------
def _signature_cases() -> list[tuple[str, bytes, str]]:
    import io
    import struct
    import zlib

    from PIL import Image

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    def png(img: Image.Image) -> bytes:
        out = io.BytesIO()
        img.save(out, format="PNG")
        return out.getvalue()

    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 200, 80, 8, 0, 0, 0, 0))
    return [
        ("all-white", png(Image.new("RGB", (400, 150), "white")), "signature_blank"),
        ("all-transparent", png(Image.new("RGBA", (400, 150), (0, 0, 0, 0))), "signature_blank"),
        ("all-black", png(Image.new("L", (400, 150), 0)), "signature_blank"),
        (
            "undecodable",
            b"\x89PNG\r\n\x1a\n" + ihdr + chunk(b"IDAT", b"garbage") + chunk(b"IEND", b""),
            "bad_signature",
        ),
        (
            "rows-missing",
            b"\x89PNG\r\n\x1a\n" + ihdr + chunk(b"IDAT", zlib.compress(b"\x00" * 201)) + chunk(b"IEND", b""),
            "bad_signature",
        ),
    ]


@pytest.mark.parametrize("case", _signature_cases(), ids=lambda c: c[0] if isinstance(c, tuple) else str(c))
def test_a_signature_must_decode_and_have_ink(client: Any, shop: Database, case: tuple[str, bytes, str]) -> None:
    """GIVEN an open job WHEN the customer's signature is blank, solid, or a PNG that does not decode
    THEN 400 with its code, on the signature and on DELIVER, and nothing is kept (issue 24: an all-white image and
    an undecodable PNG were accepted)."""
    import base64

    _, data, code = case
    url = "data:image/png;base64," + base64.b64encode(data).decode()
    before = snapshot(shop)
    resp = client.post("/api/workorders/1001/signature", json={"badge": "ADV1", "png": url})
    assert (resp.status_code, resp.get_json()["code"]) == (400, code), resp.get_json()
    resp = client.post("/api/workorders/1001/deliver", json={"badge": "ADV1", "signature": url})
    assert resp.status_code == 400 and resp.get_json()["code"] == code, resp.get_json()
    assert snapshot(shop) == before
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(JobSignature)) == 0


# -- ids past the 32-bit keys ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "method,url",
    [
        ("GET", "/api/counts/5411444410253873152"),
        ("GET", "/api/counts/5411444410253873152/variance"),
        ("GET", "/api/counts/2147483648/variance.csv"),
        ("GET", "/api/counts/2147483648/variance.html"),
        ("POST", "/api/print-jobs/2147483648/reprint"),
    ],
)
def test_ids_past_32_bits_are_a_404_not_a_500(client: Any, shop: Database, method: str, url: str) -> None:
    """GIVEN routes naming a row by id WHEN the id fits 64 bits but not the 32-bit key THEN 404 (schemathesis found
    PostgreSQL's "integer out of range" as a 500)."""
    before = snapshot(shop)
    resp = client.open(url, method=method, json={"badge": "SUP1"})
    assert resp.status_code == 404, resp.get_data(as_text=True)[:300]
    assert snapshot(shop) == before


@pytest.mark.parametrize(
    "query", ["from=9999-12-01&to=9999-12-31", "from=0001-01-01", "from=&to=2026-11-20", "to=٢٠٢٦-11-20"]
)
def test_complaint_stats_dates_at_the_edge_are_a_400(client: Any, shop: Database, query: str) -> None:
    """GIVEN complaint statistics WHEN from/to are at the calendar's edge, empty or non-ASCII THEN 400 (schemathesis:
    an empty date fell back to the default)."""
    for url in ("/api/complaints/stats", "/api/complaints/stats.csv"):
        resp = client.get(f"{url}?{query}")
        assert resp.status_code == 400, (url, resp.get_data(as_text=True)[:200])
