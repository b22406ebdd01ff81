"""A tiny real HTTP floor server for gateway tests: POST /api/scans with device+seq idempotency."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeFloorServer:
    """Applies each (device, seq) once, answers repeats with duplicate=true; can be stopped and restarted."""

    def __init__(self, token: str = "t0k") -> None:
        self.token = token
        self.applied: list[tuple[str, int, str]] = []
        self.requests = 0
        self.drop_next_answers = 0
        self.refuse_with: int | None = None
        # A batch holding a scan with this data is answered `poison_status` (a server that trips on it).
        self.poison: str | None = None
        self.poison_status = 500
        self.alerts: list[dict[str, Any]] = []  # POST /api/gateway/alerts bodies
        self._first: dict[tuple[str, int], dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.port = 0
        self.httpd: ThreadingHTTPServer | None = None

    def start(self) -> FakeFloorServer:
        """Listen on 127.0.0.1 (the same port again after a restart)."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Authorization") != f"Bearer {server.token}":
                    return self._answer(401, {"error": "bad token"})
                if self.path == "/api/gateway/alerts":
                    with server._lock:
                        server.alerts.append(json.loads(body))
                    return self._answer(201, {"recorded": True})
                if server.refuse_with is not None:
                    return self._answer(server.refuse_with, {"error": "refused by test"})
                try:
                    req = json.loads(body)
                    if server.poison is not None and any(s.get("data") == server.poison for s in req["scans"]):
                        return self._answer(server.poison_status, {"error": "poisoned batch"})
                    results = server.apply(req["station"], req["device"], req["scans"])
                except (ValueError, KeyError, TypeError) as exc:
                    return self._answer(400, {"error": str(exc)})
                with server._lock:
                    if server.drop_next_answers:
                        server.drop_next_answers -= 1
                        self.close_connection = True
                        return  # applied, but the answer is lost on the way back
                self._answer(200, {"results": results})

            def _answer(self, status: int, doc: dict[str, Any]) -> None:
                data = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening: connections are refused until start() again."""
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def apply(self, station: str, device: str, scans: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Apply scans once per device+seq, like the real service."""
        out = []
        with self._lock:
            self.requests += 1
            for scan in scans:
                key = (device, int(scan["seq"]))
                if key in self._first:
                    out.append({**self._first[key], "duplicate": True})
                    continue
                ok = not str(scan["data"]).startswith("BAD")
                result = {
                    "seq": key[1],
                    "ok": ok,
                    "code": "ok" if ok else "unknown",
                    "message": "Accepted" if ok else "Unknown code",
                    "duplicate": False,
                }
                self._first[key] = result
                self.applied.append((device, key[1], scan["data"]))
                out.append(result)
        return out
