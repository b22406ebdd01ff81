"""Customer returns against a sale, sales statistics, customers, the printed quote/receipt and the receipt label."""

from __future__ import annotations

import csv
import io

import pytest

from tests.web.sales.conftest import new_sale, scan

# Dates come from the pinned clock (promises, deadlines, closing time, periods).
pytestmark = pytest.mark.clock


def _shipped(client, customer: str, lines, badge: str = "S001") -> str:  # type: ignore[no-untyped-def]
    number = new_sale(client, customer, lines)
    assert client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"}).get_json()["status"] == "approved"
    texts = ["U:S001", f"SO:{number}"]
    for ln in lines:
        texts += [f"Q:{ln['qty']}", f"P:{ln['part_no']}"]
    assert all(r["ok"] for r in scan(client, "counter-1", *texts))
    assert client.post(f"/api/sales/{number}/ship", json={"badge": badge, "collected": True}).status_code == 200
    return number


def test_return_against_a_sale_checks_sold_minus_returned(client, store) -> None:  # type: ignore[no-untyped-def]
    number = _shipped(client, "R1", [{"part_no": "SP-200", "qty": 3}])
    body = {"badge": "S001", "part_no": "SP-200", "qty": 2, "reason": "wrong_spec", "sale_ref": f"SO:{number}"}
    ok = client.post("/api/returns", json=body)
    assert ok.status_code == 201, ok.get_data(as_text=True)
    assert ok.get_json()["sale_ref"] == f"SO:{number}"
    too_many = client.post("/api/returns", json=body)
    assert too_many.status_code == 409 and too_many.get_json()["code"] == "return_exceeds_sold"
    assert too_many.get_json()["error_zh"]
    unknown = client.post("/api/returns", json={**body, "qty": 1, "sale_ref": "SO:777777"})
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "unknown_sale"
    # By scan: RSN:, then SO:, then the part.
    res = scan(client, "counter-1", "U:S001", "RSN:wrong_spec", f"SO:{number}", "P:SP-200", "P:SP-200")
    assert [r["code"] for r in res[2:]] == ["sale_return_set", "return_received", "return_exceeds_sold"]


def test_stats_by_customer_part_and_day(client, store, cfg) -> None:  # type: ignore[no-untyped-def]
    _shipped(client, "R1", [{"part_no": "OF-100", "qty": 2}, {"part_no": "SP-200", "qty": 4}])
    _shipped(client, "T1", [{"part_no": "OF-100", "qty": 1}])
    new_sale(client, "T1", [{"part_no": "OF-100", "qty": 5}])  # a quote is not a sale yet
    stats = client.get("/api/sales/stats?from=2026-11-01&to=2026-11-30").get_json()
    assert stats["totals"] == {"sales": 2, "qty": 7, "revenue": "62.00", "cost": "42.50", "margin": "19.50"}
    by_customer = {r["customer"]: (r["sales"], r["qty"], r["revenue"]) for r in stats["by_customer"]}
    assert by_customer == {"R1": (1, 6, "50.00"), "T1": (1, 1, "12.00")}
    by_part = {r["part_no"]: (r["qty"], r["revenue"]) for r in stats["by_part"]}
    assert by_part == {"OF-100": (3, "36.00"), "SP-200": (4, "26.00")}
    assert [(d["day"], d["sales"]) for d in stats["by_day"]] == [("2026-11-23", 2)]
    rows = list(
        csv.reader(io.StringIO(client.get("/api/sales/stats.csv?from=2026-11-01&to=2026-11-30").get_data(as_text=True)))
    )
    assert rows[0][:3] == ["group", "key", "name"] and rows[-1][:2] == ["day", "2026-11-23"]
    empty = client.get("/api/sales/stats?from=2026-10-01&to=2026-10-31").get_json()
    assert empty["totals"]["sales"] == 0 and empty["by_day"] == []
    bad = client.get("/api/sales/stats?from=yesterday")
    assert bad.status_code == 400


def test_customers_api(client, store) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/api/customers", json={"code": "T9", "name": "Fleet Co", "phone": "1", "kind": "trade"})
    assert resp.status_code == 201 and resp.get_json()["kind"] == "trade"
    bad = client.post("/api/customers", json={"code": "X", "name": "x", "kind": "vip"})
    assert bad.status_code == 400 and bad.get_json()["code"] == "bad_customer_kind"
    codes = [c["code"] for c in client.get("/api/customers").get_json()["customers"]]
    assert codes == ["R1", "T1", "T9"]


def test_printed_quote_and_receipt(client, store) -> None:  # type: ignore[no-untyped-def]
    number = _shipped(client, "T1", [{"part_no": "ALT-300", "qty": 1}])
    en = client.get(f"/kiosk/sales/{number}/print?lang=en").get_data(as_text=True)
    assert f"Receipt {number}" in en and f"C:S{number}-1-1" in en and "sale_print.css" in en
    with client.get("/kiosk/static/sale_print.css") as sheet:  # a static file: close its handle
        assert sheet.status_code == 200 and "@page { size: A4" in sheet.get_data(as_text=True)
    zh = client.get(f"/kiosk/sales/{number}/print?lang=zh").get_data(as_text=True)
    assert f"收据 {number}" in zh and "旧件押金" in zh
    quote = new_sale(client, "R1", [{"part_no": "OF-100", "qty": 1}])
    assert f"Quote {quote}" in client.get(f"/kiosk/sales/{quote}/print?lang=en").get_data(as_text=True)
    assert client.get("/kiosk/sales/000999/print").status_code == 404
    zpl = client.post("/api/labels", json={"kind": "receipt", "id": f"SO:{number}", "format": "zpl"})
    assert zpl.status_code == 200, zpl.get_data(as_text=True)
    text = zpl.get_data(as_text=True)
    assert text.count("^XA") == 2  # the receipt page and a page of core tags
    assert f"C:S{number}-1-1" in text and f"SO:{number}" in text


def test_counter_page_shows_the_sale(client, store) -> None:  # type: ignore[no-untyped-def]
    number = new_sale(client, "R1", [{"part_no": "OF-100", "qty": 2}, {"part_no": "SP-200", "qty": 1}])
    client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"})
    scan(client, "counter-1", "U:S001", f"SO:{number}", "P:OF-100")
    page = client.get("/kiosk/counter/counter-1").get_data(as_text=True)
    assert 'id="sale-lines"' in page and "1 / 3" in page


def test_customers_csv_import(store) -> None:  # type: ignore[no-untyped-def]
    from floor.imports import import_csv

    ok = import_csv(store, "customers", b"code,name,phone,kind\nC7,Garage Qian,0571-1,trade\nC8,Walk-in,,\n")
    assert ok.ok and ok.rows == 2
    bad = import_csv(store, "customers", b"code,name,phone,kind\nC9,Somebody,,vip\n")
    assert not bad.ok and "retail or trade" in str(bad.errors[0])
    from sqlalchemy import select

    from floor.models import Customer

    with store.reading() as s:
        kinds = dict(s.execute(select(Customer.code, Customer.kind)).all())
    assert kinds == {"R1": "retail", "T1": "trade", "C7": "trade", "C8": "retail"}


def test_stats_days_follow_the_site_zone_across_dst(store) -> None:  # type: ignore[no-untyped-def]
    """Local days are cut at the site's midnight, also on the night summer time ends (Europe/Berlin)."""
    from datetime import UTC, datetime
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from floor.core.sales.stats import _offset_segments, sales_stats
    from floor.models import Customer, Sale

    berlin = ZoneInfo("Europe/Berlin")
    times = [
        datetime(2026, 10, 24, 21, 30, tzinfo=UTC),  # 23:30 CEST on the 24th
        datetime(2026, 10, 24, 22, 30, tzinfo=UTC),  # 00:30 CEST on the 25th
        datetime(2026, 10, 25, 22, 30, tzinfo=UTC),  # 23:30 CET on the 25th
        datetime(2026, 10, 25, 23, 30, tzinfo=UTC),  # 00:30 CET on the 26th
    ]
    with store.writing() as s:
        cid = s.scalar(select(Customer.id).where(Customer.code == "R1"))
        for i, at in enumerate(times):
            s.add(
                Sale(
                    number=f"D{i}",
                    customer_id=cid,
                    status="shipped",
                    created_at=at,
                    shipped_at=at,
                    qty_total=1,
                    goods_total=Decimal(10),
                    cost_total=Decimal(4),
                )
            )
    start, end = datetime(2026, 10, 20, tzinfo=UTC), datetime(2026, 10, 30, tzinfo=UTC)
    assert [seg[2] for seg in _offset_segments(start, end, berlin)] == [7200, 3600]
    with store.reading() as s:
        stats = sales_stats(s, start, end, berlin)
    assert [(d["day"], d["sales"]) for d in stats["by_day"]] == [
        ("2026-10-24", 1),
        ("2026-10-25", 2),
        ("2026-10-26", 1),
    ]
    assert stats["totals"]["revenue"] == "40.00" and stats["by_customer"][0]["sales"] == 4


def test_a_return_after_the_window_needs_a_supervisor(client, store, pinned_clock) -> None:  # type: ignore[no-untyped-def]
    """GIVEN a sale shipped 8 days ago ([returns] days = 7 by default) WHEN the storekeeper takes a return of it THEN
    it is refused (return_window_passed, 409, both languages) by API and by scan, nothing enters quarantine; a
    supervisor accepts it; within the window the storekeeper may."""
    from datetime import timedelta

    late = _shipped(client, "R1", [{"part_no": "SP-200", "qty": 3}])
    pinned_clock.advance(timedelta(days=8))
    body = {"badge": "S001", "part_no": "SP-200", "qty": 1, "reason": "customer_reason", "sale_ref": f"SO:{late}"}
    refused = client.post("/api/returns", json=body)
    assert (refused.status_code, refused.get_json()["code"]) == (409, "return_window_passed")
    assert refused.get_json()["error_zh"]
    res = scan(client, "counter-1", "U:S001", "RSN:customer_reason", f"SO:{late}", "P:SP-200", "CMD:DONE")
    assert res[-2]["code"] == "return_window_passed"
    assert client.get("/api/returns").get_json()["returns"] == []
    assert client.post("/api/returns", json={**body, "badge": "SUP1"}).status_code == 201
    fresh = _shipped(client, "R1", [{"part_no": "SP-200", "qty": 1}])
    assert client.post("/api/returns", json={**body, "sale_ref": f"SO:{fresh}"}).status_code == 201
