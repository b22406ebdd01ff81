"""Supervisor approval: thresholds, who may approve, once only, immutable afterwards; the API's bad input."""

from __future__ import annotations

from sqlalchemy import func, select

from floor.models import CountSession, StockMove
from tests.web.counts.conftest import adjust_moves, by_line, levels, open_count, scan


def _count_b02(store, service, clock, qty: int, minute: float = 1) -> int:
    """A count of B-02-01 (book: 4 OF-100) with `qty` OF-100 counted."""
    count_id = open_count(store, clock, locations=["B-02-01"])
    res = scan(
        service,
        "handheld-1",
        ("U:S001", clock(minute)),
        (f"CNT:{count_id}", clock(minute)),
        ("L:B-02-01", clock(minute)),
        (f"Q:{qty}", clock(minute + 1)),
        ("P:OF-100", clock(minute + 1)),
    )
    assert res[-1].code == "counted", res[-1].message
    return count_id


def _moves(db) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(StockMove)))


def test_recount_required_over_quantity_threshold(store, service, clock, client):
    """GIVEN 1 counted against a book of 4 (|-3| > 2 units) WHEN a supervisor approves
    THEN 409 naming the bin to recount, and nothing is posted."""
    count_id = _count_b02(store, service, clock, 1)
    before = _moves(store)
    res = client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert res.status_code == 409
    assert res.get_json()["bins"] == ["B-02-01"] and "recount required" in res.get_json()["error"]
    assert _moves(store) == before


def test_recount_required_over_value_threshold_only(store, service, clock, client):
    """GIVEN A-01-01 with ALT-300 (210.00 each) counted 1 short: 1 unit is under the quantity threshold
    WHEN approving THEN the 210.00 value is over 100.00, so a recount is required."""
    count_id = open_count(store, clock, locations=["A-01-01"])
    scan(
        service,
        "handheld-1",
        ("U:S001", clock(1)),
        (f"CNT:{count_id}", clock(1)),
        ("L:A-01-01", clock(1)),
        ("Q:10", clock(2)),
        ("P:OF-100", clock(2)),
        ("Q:16", clock(2)),
        ("P:SP-200", clock(2)),
        ("P:ALT-300", clock(2)),
        ("Q:3", clock(2)),
        ("P:BP-400", clock(2)),
    )
    report = client.get(f"/api/counts/{count_id}/variance").get_json()
    flagged = [ln["part_no"] for ln in report["lines"] if ln["recount_required"]]
    assert flagged == ["ALT-300"] and report["totals"]["shortage_value"] == "210.00"
    assert client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468"}).status_code == 409


def test_small_variance_approves_and_posts_one_adjustment(store, service, clock, client):
    """GIVEN 3 counted against 4 (within thresholds) WHEN SUP1 approves with reason theft
    THEN one -1 adjust move with ref CNT:<id>, the bin holds 3, the line carries the reason."""
    count_id = _count_b02(store, service, clock, 3)
    res = client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468", "reason": "theft"})
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["adjustments"] == 1 and res.get_json()["net_value"] == "-8.50"
    assert adjust_moves(store) == [(f"CNT:{count_id}", -1)]
    assert levels(store)[("B-02-01", "OF-100")] == 3
    line = client.get(f"/api/counts/{count_id}/variance").get_json()["lines"][0]
    assert (line["counted"], line["expected"], line["variance"], line["reason"]) == (3, 4, -1, "theft")


def test_approval_by_non_supervisor_is_refused(store, service, clock, client):
    """GIVEN a count WHEN a storekeeper's badge, an unknown badge or no badge approves THEN 403/400 and nothing changes."""
    count_id = _count_b02(store, service, clock, 3)
    for body, status in (({"badge": "S001"}, 403), ({"badge": "NOPE"}, 403), ({}, 400), ({"badge": ""}, 400)):
        res = client.post(f"/api/counts/{count_id}/approve", json=body)
        assert res.status_code == status, body
        assert "error" in res.get_json()
    assert (
        "allowed: Supervisor"
        in client.post(f"/api/counts/{count_id}/approve", json={"badge": "S001", "pin": "2468"}).get_json()["error"]
    )
    assert adjust_moves(store) == []
    with store.reading() as s:
        assert s.get(CountSession, count_id).status == "open"


def test_approving_twice_is_refused(store, service, clock, client):
    """GIVEN an approved count WHEN it is approved again THEN 409 and no second adjustment."""
    count_id = _count_b02(store, service, clock, 3)
    assert client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468"}).status_code == 200
    again = client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert again.status_code == 409 and "already approved" in again.get_json()["error"]
    assert adjust_moves(store) == [(f"CNT:{count_id}", -1)]
    assert levels(store)[("B-02-01", "OF-100")] == 3


def test_counting_into_an_approved_count_is_rejected(store, service, clock, client):
    """GIVEN an approved count and a handheld still in it WHEN more is counted, or the sheet is scanned again
    THEN both are rejected and the approved line is unchanged."""
    count_id = _count_b02(store, service, clock, 3)
    assert client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468"}).status_code == 200
    res = scan(service, "handheld-1", ("P:OF-100", clock(3)), (f"CNT:{count_id}", clock(3)), ("CMD:COUNT", clock(3)))
    assert [r.code for r in res[:2]] == ["count_closed", "count_closed"]
    assert "approved" in res[0].message
    assert res[2].code == "count_closed"
    assert by_line(client.get(f"/api/counts/{count_id}/variance").get_json()) == {("B-02-01", "OF-100"): (3, 4, -1)}
    assert (
        client.post(
            f"/api/counts/{count_id}/reasons",
            json={"lines": [{"location": "B-02-01", "part_no": "OF-100", "reason": "damage"}]},
        ).status_code
        == 409
    )


def test_uncounted_bins_block_approval_unless_partial(store, service, clock, client):
    """GIVEN a zone-A count with only A-01-02 counted WHEN approved THEN 409 listing A-01-01;
    WHEN approved with allow_partial THEN only the counted bin is adjusted."""
    count_id = open_count(store, clock, zone="A")
    scan(
        service,
        "handheld-1",
        ("U:S001", clock(1)),
        (f"CNT:{count_id}", clock(1)),
        ("L:A-01-02", clock(1)),
        ("P:BP-400", clock(2)),
    )
    res = client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert res.status_code == 409 and res.get_json()["bins"] == ["A-01-01"]
    ok = client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468", "allow_partial": True})
    assert ok.status_code == 200 and ok.get_json()["uncounted_bins"] == ["A-01-01"]
    assert adjust_moves(store) == [(f"CNT:{count_id}", 1)]
    assert levels(store)[("A-01-02", "BP-400")] == 1 and levels(store)[("A-01-01", "BP-400")] == 3


def test_reason_codes_are_checked(store, service, clock, client):
    """GIVEN a count with one variance line WHEN reasons name a bad code or a line not in the count THEN 400;
    WHEN a good reason is recorded ahead of approval THEN approval keeps it."""
    count_id = _count_b02(store, service, clock, 3)
    bad = [
        {"location": "B-02-01", "part_no": "OF-100", "reason": "lost"},
        {"location": "A-01-01", "part_no": "OF-100", "reason": "damage"},
    ]
    for item in bad:
        res = client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468", "reasons": [item]})
        assert res.status_code == 400, item
    assert (
        client.post(
            f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468", "reason": "gone"}
        ).status_code
        == 400
    )
    assert client.post(
        f"/api/counts/{count_id}/reasons",
        json={"lines": [{"location": "B-02-01", "part_no": "OF-100", "reason": "misplaced"}]},
    ).get_json() == {"ok": True, "updated": 1}
    assert client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468"}).status_code == 200
    assert client.get(f"/api/counts/{count_id}/variance").get_json()["lines"][0]["reason"] == "misplaced"
    assert adjust_moves(store) == [(f"CNT:{count_id}", -1)]


def test_approve_function_for_the_kiosk(store, service, clock, cfg):
    """GIVEN a count WHEN the kiosk calls approve_count with a supervisor badge THEN it posts and returns the summary."""
    from floor.config.settings import count_settings
    from floor.core.counts import CountError
    from floor.core.counts.approval import approve_count
    from floor.http.errors import http_status

    count_id = _count_b02(store, service, clock, 5)
    try:
        with store.writing() as s:
            approve_count(s, count_id, "T001", count_settings(cfg), roles=cfg.role_table())
        raise AssertionError("a technician approved a count")
    except CountError as exc:
        # The one role table's refusal, naming who may approve (so the kiosk says whose badge to fetch).
        assert exc.code == "role_denied" and "(allowed: Supervisor)" in exc.message
        assert exc.message_zh.endswith("无权审批盘点（可由主管操作）")
        assert http_status(exc.code) == 403
    with store.writing() as s:
        out = approve_count(
            s,
            count_id,
            "SUP1",
            count_settings(cfg),
            default_reason="receiving_error",
            roles=cfg.role_table(),
            pin="2468",
        )
    assert out["adjustments"] == 1 and out["overage_value"] == "8.50"
    assert levels(store)[("B-02-01", "OF-100")] == 5


def test_count_api_rejects_bad_requests(store, client):
    """GIVEN the shop WHEN counts are opened with bad bodies THEN each is a 4xx JSON error and no count exists."""
    bad = [
        ({"kind": "weekly", "zone": "A"}, 400),
        ({"zone": "A"}, 400),
        ({"kind": "cycle", "zone": "Z"}, 400),
        ({"kind": "cycle", "locations": ["A-01-01", "NOPE-1"]}, 400),
        ({"kind": "cycle", "locations": "A-01-01"}, 400),
        ({"kind": "cycle", "locations": []}, 400),
        ({"kind": "cycle", "zone": "A", "locations": ["A-01-01"]}, 400),
        ({"kind": "cycle", "zone": "A", "blind": "yes"}, 400),
        ({"kind": "cycle", "zone": 5}, 400),
        ({"kind": "full", "zone": "A", "badge": "NOPE"}, 403),  # unknown_badge
    ]
    for body, status in bad:
        res = client.post("/api/counts", json=body)
        assert res.status_code == status, (body, res.get_json())
        assert res.get_json()["error"]
    assert client.post("/api/counts", data="{", content_type="application/json").status_code == 400
    assert client.post("/api/counts", data="kind=cycle").status_code == 400
    assert client.post("/api/counts", json=[1]).status_code == 400
    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(CountSession)) == 0
    for url in (
        "/api/counts/999/variance",
        "/api/counts/999",
        "/api/counts/999/variance.csv",
        "/api/counts/999/progress.svg",
        "/api/counts/abc/variance",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/api/counts/999/approve", json={"badge": "SUP1", "pin": "2468"}).status_code == 404
    assert client.get("/api/counts/due?date=2026-13-01").status_code == 400


def test_open_count_overlap_and_contract_shape(store, client):
    """GIVEN an open count of zone A WHEN another count names A-01-01 THEN 409; a full count of zone B answers {"id"}."""
    first = client.post("/api/counts", json={"kind": "cycle", "zone": "A", "blind": True})
    assert first.status_code == 201 and set(first.get_json()) == {"id"}
    clash = client.post("/api/counts", json={"kind": "cycle", "locations": ["A-01-01"]})
    assert clash.status_code == 409 and clash.get_json()["counts"] == [first.get_json()["id"]]
    full = client.post("/api/counts", json={"kind": "full", "zone": "B"})
    assert full.status_code == 201
    view = client.get(f"/api/counts/{full.get_json()['id']}").get_json()
    assert (view["kind"], view["bins"], view["bins_counted"], view["blind"]) == ("full", 1, 0, True)


def test_api_token_guards_count_writes(store, db):
    """GIVEN API tokens configured WHEN a count is opened or approved without the token THEN 401; with it, 201."""
    from floor.service.factory import create_app
    from tests.conftest import make_config
    from tests.web.counts.conftest import COUNTS

    app = create_app(make_config(api={"tokens": ["s3cret"]}, counts=COUNTS), db, {"TESTING": True})
    client = app.test_client()
    assert client.post("/api/counts", json={"kind": "cycle", "zone": "A"}).status_code == 401
    assert client.post("/api/counts/1/approve", json={"badge": "SUP1", "pin": "2468"}).status_code == 401
    assert client.post("/api/abc/recompute").status_code == 401
    ok = client.post("/api/counts", json={"kind": "cycle", "zone": "A"}, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 201


def test_variance_page_is_bilingual_and_escaped(store, service, clock, client):
    """GIVEN a counted bin WHEN the variance page is fetched THEN it lists the line in both languages."""
    count_id = _count_b02(store, service, clock, 3)
    page = client.get(f"/api/counts/{count_id}/variance.html")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "盘盈盘亏" in html and "Shortage / 盘亏: 1 (8.50)" in html and "<td>OF-100</td>" in html
    assert ">-1</td>" in html


def test_approval_that_drops_below_the_warning_line_raises_the_alert(store, service, clock, client):
    """GIVEN 3 brake pads (warning line 2) WHEN a count finds 1 and is approved
    THEN the adjustment raises the low-stock alert at once, as an issue would."""
    count_id = open_count(store, clock, locations=["A-01-01"])
    scan(
        service,
        "handheld-1",
        ("U:S001", clock(1)),
        (f"CNT:{count_id}", clock(1)),
        ("L:A-01-01", clock(1)),
        ("Q:10", clock(2)),
        ("P:OF-100", clock(2)),
        ("Q:16", clock(2)),
        ("P:SP-200", clock(2)),
        ("Q:2", clock(2)),
        ("P:ALT-300", clock(2)),
        ("P:BP-400", clock(2)),
    )
    res = client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468", "reason": "damage"})
    assert res.status_code == 200, res.get_json()
    events = client.get("/api/alerts/log?part_no=BP-400").get_json()["events"]
    assert events and events[-1]["part_no"] == "BP-400", events
    assert "raised" in str(events[-1]), events


def test_a_shortage_trims_the_holds_above_stock(store, service, clock, client):
    """GIVEN job 1001 holding all 14 oil filters WHEN a count of B-02-01 finds 3 of 4 and is approved
    THEN the hold shrinks to the 13 on hand (partial, 1 on backorder): reserved never exceeds on-hand."""
    body = {"badge": "T001", "lines": [{"part_no": "OF-100", "qty": 14}]}
    assert client.post("/api/workorders/1001/requests", json=body).get_json()["lines"][0]["reserved"] == 14
    count_id = _count_b02(store, service, clock, 3)
    res = client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468", "reason": "theft"})
    assert res.status_code == 200, res.get_json()
    part = client.get("/api/parts/OF-100").get_json()
    assert (part["on_hand"], part["reserved"]) == (13, 13)
    line = client.get("/api/workorders/1001").get_json()["requests"][0]
    assert (line["reserved"], line["status"]) == (13, "partial")
