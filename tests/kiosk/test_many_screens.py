"""64 open kiosk screens on `floor serve`: the API still answers, and every screen hears of a change."""

from __future__ import annotations

import http.client
import socket
import time
from pathlib import Path

from floor.db import Database
from floor.service.http import WSGI_THREADS
from tests.factories import load_small_shop
from tests.trust.support import Server, post_json, write_config

SCREENS = 64


def _open_stream(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"GET /kiosk/events HTTP/1.1\r\nHost: kiosk\r\nAccept: text/event-stream\r\n\r\n")
    return sock


def _read_until(sock: socket.socket, marker: bytes, timeout: float) -> bytes:
    data = b""
    deadline = time.monotonic() + timeout
    while marker not in data:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_64_open_screens_do_not_starve_the_api(db: Database, tmp_path: Path):
    """GIVEN `floor serve` with 64 event streams open (twice its pool of request threads)
    WHEN a client calls the API and then creates a job
    THEN the API answers, and every one of the 64 streams receives the `jobs` event."""
    assert SCREENS > WSGI_THREADS  # streams holding pool threads would leave none for the API
    load_small_shop(db)
    server = Server(write_config(tmp_path, db.url, ["counter-1"]))
    server.start(60)
    streams: list[socket.socket] = []
    try:
        for _ in range(SCREENS):
            streams.append(_open_stream(server.port))
        for sock in streams:
            assert b"event: hello" in _read_until(sock, b"event: hello", 10)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.request("GET", "/api/workorders/board")
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read()
        conn.close()
        status, body = post_json(server.port, "/api/workorders", {"number": "MANY-1"}, timeout=5)
        assert status == 201, body
        for sock in streams:
            assert b"event: jobs" in _read_until(sock, b"event: jobs", 5)
    finally:
        for sock in streams:
            sock.close()
        server.close()
