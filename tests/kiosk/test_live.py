"""Live updates: the broadcaster, the SSE stream, and the cross-process fallback."""

from __future__ import annotations

import threading

from floor.core.changes import Change
from floor.core.results import ScanInput
from floor.db import Database
from floor.http.live import EVERYTHING, Broadcaster, event_name, sse_stream


def test_event_names_are_safe_for_hx_trigger():
    """GIVEN station names with odd characters WHEN turned into event names THEN only [A-Za-z0-9_-] remain."""
    assert event_name("station", "counter-1") == "station-counter-1"
    assert event_name("station", "bay 3/<b>") == "station-bay_3__b_"
    assert event_name("scan") == "scan"


def test_feed_change_becomes_station_and_topic_events():
    """GIVEN a broadcaster WHEN the feed delivers a scan at a station and a job change
    THEN readers get the station's event, `scan` and `jobs`."""
    b = Broadcaster()
    start = b.last
    b.on_changes([Change("scan", {"station": "counter-1", "last_id": 7}), Change("jobs", {"number": "J1"})])
    n, names = b.since(start, 0.1)
    assert names == ["station-counter-1", "scan", "jobs"] and n == start + 3


def test_waiting_reader_wakes_on_publish():
    """GIVEN a reader waiting for events WHEN another thread publishes THEN the reader returns at once with it."""
    b = Broadcaster()
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.extend(b.since(b.last, 5.0)[1]))
    reader.start()
    b.publish("master")
    reader.join(2.0)
    assert not reader.is_alive() and got == ["master"]


def test_reader_far_behind_gets_a_full_refresh():
    """GIVEN more events than the history keeps WHEN a stale reader asks THEN it is told to refresh everything."""
    b = Broadcaster()
    for i in range(600):
        b.publish(f"station-s{i}")
    _, names = b.since(0, 0.1)
    assert names == list(EVERYTHING) and "jobs" in names


def test_sse_stream_says_hello_then_names_events():
    """GIVEN an SSE stream WHEN an event is published THEN it arrives as `event: <name>`."""
    b = Broadcaster()
    stream = sse_stream(b)
    assert next(stream).startswith("retry: 1000\nevent: hello")
    b.publish("station-counter-1")
    assert next(stream) == "event: station-counter-1\ndata: station-counter-1\n\n"
    stream.close()


def test_sse_endpoint_streams_over_http(client, shop):
    """GIVEN the app WHEN /kiosk/events is requested THEN it is an uncached text/event-stream starting with hello."""
    resp = client.get("/kiosk/events", buffered=False)
    assert resp.mimetype == "text/event-stream" and resp.headers["Cache-Control"] == "no-cache"
    first = next(resp.response)
    assert (first.decode() if isinstance(first, bytes) else first).startswith("retry: 1000")
    resp.close()


def test_scan_in_another_process_reaches_listeners(cfg, shop):
    """GIVEN a listening broadcaster on this process's database
    WHEN a ScanService on a second Database (as another gunicorn worker would have) commits a scan
    THEN the station's event arrives within about a second: by LISTEN/NOTIFY on PostgreSQL, by the poller on SQLite."""
    from floor.application.scan_service import ScanService

    b = Broadcaster(shop, poll_s=0.1)
    shop.feed.subscribe(b.on_changes)
    other_db = Database(shop.url)
    b.attach()
    try:
        start = b.last
        other = ScanService(cfg, other_db)
        # Let the poller note the newest id before the scan, as a long-running worker would have.
        import time

        time.sleep(0.3)
        other.submit("counter-2", "other-process", [ScanInput(b"U:T001")])
        n, names = start, []
        deadline = time.monotonic() + 2.0
        while "station-counter-2" not in names and time.monotonic() < deadline:
            n, more = b.since(n, 0.5)
            names += more
        assert "station-counter-2" in names and "scan" in names
    finally:
        b.detach()
        shop.feed.unsubscribe(b.on_changes)
        other_db.dispose()


def test_app_service_feeds_the_kiosk_broadcaster(app, shop):
    """GIVEN the app WHEN a scan is submitted through its service THEN the kiosk broadcaster has the station event."""
    fa = app.extensions["floor"]
    b = fa.broadcaster
    start = b.last
    fa.service.submit("counter-1", "dev", [ScanInput(b"U:T001")])
    assert "station-counter-1" in b.since(start, 0.1)[1]
