"""`POST /api/scans` through `floor serve`, whose scan requests run whole (floor.service.whole_request):
plain, chunked, too large, cut off, and resent bodies, each answered as Flask answers them, nothing lost or doubled."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from floor.db import Database
from floor.service.factory import MAX_REQUEST_BYTES
from tests.factories import load_small_shop
from tests.trust.support import Server, post_json, snapshot, write_config

HEADERS = {"Content-Type": "application/json"}


def _batch(device: str, *texts: str) -> dict[str, Any]:
    return {"station": "counter-1", "device": device, "scans": [{"data": t, "seq": i + 1} for i, t in enumerate(texts)]}


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


def _post_chunked(port: int, data: bytes, size: int = 1000) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/api/scans", _chunks(data, size), HEADERS, encode_chunked=True)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    finally:
        conn.close()


def _on_hand(port: int, part_no: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", f"/api/parts/{part_no}")
        return int(json.loads(conn.getresponse().read())["on_hand"])
    finally:
        conn.close()


def test_scan_requests_run_whole_and_answer_as_flask_does(db: Database, tmp_path: Path) -> None:
    """GIVEN `floor serve` WHEN scan batches arrive plain, chunked, resent, too large or cut off
    THEN each plain or chunked batch is applied once, a resend is flagged duplicate, a body over the
    limit is a 413 and a cut-off body changes nothing, and the server goes on answering."""
    load_small_shop(db)
    server = Server(write_config(tmp_path, db.url, ["counter-1"]))
    server.start(60)
    try:
        start = _on_hand(server.port, "OF-100")
        status, body = post_json(server.port, "/api/scans", _batch("d1", "U:T001", "WO:1001", "P:OF-100"))
        assert status == 200, body
        assert [r["code"] for r in body["results"]] == ["actor_set", "wo_set", "issued"]
        assert "已领用" in body["results"][2]["message_zh"]  # the answer's UTF-8 crosses whole

        chunked = json.dumps(_batch("d2", "U:T001", "WO:1001", "P:OF-100", "P:OF-100")).encode()
        status, body = _post_chunked(server.port, chunked, size=7)
        assert status == 200, body
        assert [r["code"] for r in body["results"]][-2:] == ["issued", "issued"]
        assert _on_hand(server.port, "OF-100") == start - 3

        status, body = _post_chunked(server.port, chunked)  # the same device and seqs again
        assert status == 200 and all(r["duplicate"] for r in body["results"]), body
        assert _on_hand(server.port, "OF-100") == start - 3

        before = snapshot(db)
        big = json.dumps(_batch("d3", "U:T001", "WO:1001", "P:OF-100", "x" * MAX_REQUEST_BYTES)).encode()
        status, body = post_json(server.port, "/api/scans", json.loads(big))
        assert status == 413 and "error" in body, body
        status, body = _post_chunked(server.port, big, size=256 * 1024)
        assert status == 413 and "error" in body, body

        # A client that sends half its body and hangs up: nothing is applied, nothing is answered.
        half = json.dumps(_batch("d4", "U:T001", "WO:1001", "P:OF-100")).encode()
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            head = f"POST /api/scans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(half)}\r\n\r\n"
            sock.sendall(head.encode() + half[: len(half) // 2])
        status, body = post_json(server.port, "/api/scans", {"station": "counter-1", "scans": "no"})
        assert status == 400 and "scans" in body["error"], body
        assert snapshot(db) == before
        log = server.log_text()  # a resend logs its (expected) unique-index retry at INFO; nothing may fail
        assert " ERROR " not in log and "Exception in ASGI" not in log, log[-3000:]
    finally:
        server.close()
