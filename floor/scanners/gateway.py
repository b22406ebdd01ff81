"""A ScanSink for a remote floor server: local durable outbox first, then `POST {server}/api/scans`.

When is the scanner's ACK given? As soon as the scans are committed to the outbox, and no
later than `result_wait_s` (default 0.5 s). If the server answers within that time the
reader gets the server's real results (a rejected scan beeps NAK as it would locally);
otherwise it gets a "queued" accepted result and the scanner beeps "stored", the real
result reaching the server's event log and kiosk later.

Waiting for the server and answering NAK on a timeout would be wrong: the scan is already
stored and will be delivered, so the user's rescan would apply it twice. Delivery is
exactly once in effect: scans keep their device + seq, and the server answers a seq it has
already applied with its first result (`"duplicate": true`), so retries after a lost answer
change nothing.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from floor import clock
from floor.core.results import ScanInput, ScanResult
from floor.scanners.outbox import Outbox, OutboxScan

log = logging.getLogger("floor.gateway")
# 4xx answers that are about the gateway, not the batch (a token being fixed, a busy server):
# retried. Every other 4xx refuses the batch as sent: retrying cannot fix it.
RETRY_HTTP = {401, 403, 408, 425, 429}
# The same 5xx this many times in a row for the same batch: the batch itself trips the server.
QUARANTINE_AFTER_5XX = 5
ALERTS_PATH = "/api/gateway/alerts"


class ServerRefused(Exception):
    """The server rejected the request itself (4xx): the batch will never be accepted as sent."""


class ServerFault(OSError):
    """The server answered 5xx: retried, and quarantined when the same batch gets the same 5xx repeatedly."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status


def _queued(seq: int | None) -> ScanResult:
    return ScanResult(True, "queued", "Stored; sending to the server", "已保存，正在发送到服务器", seq=seq)


def _from_json(seq: int | None, r: dict[str, Any]) -> ScanResult:
    return ScanResult(
        bool(r.get("ok")),
        str(r.get("code", "")),
        str(r.get("message", "")),
        str(r.get("message_zh", r.get("message", ""))),
        seq=seq,
        duplicate=bool(r.get("duplicate", False)),
        event_id=r.get("event_id"),
        effects=r.get("effects") or {},
    )


def scan_json(scan: OutboxScan) -> dict[str, Any]:
    """One scan as the API takes it; bytes that are not UTF-8 also travel as base64 in `data_b64`."""
    item: dict[str, Any] = {"data": scan.data.decode("utf-8", "replace"), "seq": scan.seq, "at": scan.at}
    try:
        scan.data.decode("utf-8")
    except UnicodeDecodeError:
        item["data_b64"] = base64.b64encode(scan.data).decode("ascii")
    return item


class GatewaySink:
    """Stores scans durably, delivers them in order in a background thread, retrying with backoff."""

    def __init__(
        self,
        outbox: str | Path | Outbox,
        server: str,
        token: str | None = None,
        *,
        result_wait_s: float = 0.5,
        http_timeout_s: float = 10.0,
        backoff_max_s: float = 10.0,
        quarantine_after_5xx: int = QUARANTINE_AFTER_5XX,
    ) -> None:
        self.outbox = outbox if isinstance(outbox, Outbox) else Outbox(outbox)
        self.url = server.rstrip("/") + "/api/scans"
        self.alerts_url = server.rstrip("/") + ALERTS_PATH
        self.quarantine_after_5xx = quarantine_after_5xx
        # (first outbox id of the batch, HTTP status) -> how many times in a row it was answered so
        self._faults: tuple[int, int, int] | None = None
        self.token = token
        self.result_wait_s = result_wait_s
        self.http_timeout_s = http_timeout_s
        self.backoff_max_s = backoff_max_s
        self.last_error: str | None = None
        self.server_up: bool | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._delivered = threading.Condition()
        self._thread: threading.Thread | None = None

    # -- ScanSink ---------------------------------------------------------
    def submit(self, station: str, device: str, scans: list[ScanInput]) -> list[ScanResult]:
        """Commit scans to the outbox, then give the server a short chance to answer them."""
        ids = self.outbox.add(station, device, scans, clock.now())
        self._wake.set()
        with self._delivered:
            self._delivered.wait_for(lambda: len(self.outbox.results(ids)) == len(ids), self.result_wait_s)
        got = self.outbox.results(ids)
        return [_from_json(s.seq, got[i]) if i in got else _queued(s.seq) for s, i in zip(scans, ids)]

    def last_seq(self, device: str) -> int:
        """The last seq stored in the outbox for this device."""
        return self.outbox.last_seq(device)

    # -- delivery ---------------------------------------------------------
    def start(self) -> None:
        """Start the delivery thread."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="gateway-delivery", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop delivering (pending scans stay in the outbox for next time)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self.http_timeout_s + 1)

    def status(self) -> dict[str, Any]:
        """Outbox counts, whether the server was reachable last time, and the last error."""
        return {
            "server": self.url,
            "server_up": self.server_up,
            "last_error": self.last_error,
            **self.outbox.counts(),
            "quarantined": self.outbox.quarantined(),
        }

    def deliver_once(self) -> int:
        """POST the next batch; return how many scans were settled (0 when nothing is pending)."""
        batch = self.outbox.next_batch()
        if not batch:
            return 0
        try:
            answer = self._post(
                {"station": batch[0].station, "device": batch[0].device, "scans": [scan_json(s) for s in batch]}
            )
        except ServerRefused as exc:
            return self._quarantine(batch, str(exc))
        except ServerFault as exc:
            head = batch[0].id
            same = self._faults is not None and self._faults[:2] == (head, exc.status)
            times = self._faults[2] + 1 if same and self._faults is not None else 1
            self._faults = (head, exc.status, times)
            if times < self.quarantine_after_5xx:
                raise
            return self._quarantine(batch, f"{exc} ({times} times in a row)")
        self._faults = None
        by_seq = {r.get("seq"): r for r in answer.get("results", []) if isinstance(r, dict)}
        settled = {s.id: by_seq[s.seq] for s in batch if s.seq in by_seq}
        self.outbox.mark_delivered(settled)
        with self._delivered:
            self._delivered.notify_all()
        return len(settled)

    def _quarantine(self, batch: list[OutboxScan], error: str) -> int:
        """Park a batch the server will never accept, raise an alert, and go on with the next scans."""
        log.error(
            "QUARANTINED %d scans of %s (seq %d-%d): the server refused them: %s",
            len(batch),
            batch[0].device,
            batch[0].seq,
            batch[-1].seq,
            error,
        )
        self._faults = None
        self.outbox.quarantine(batch, error)
        self.report_alerts()
        with self._delivered:
            self._delivered.notify_all()
        return len(batch)

    def report_alerts(self) -> int:
        """Tell the server of quarantines it has not heard of (shown on its kiosk alerts page); return how many."""
        told = 0
        for alert in self.outbox.quarantined(only_unreported=True):
            body = {k: alert[k] for k in ("station", "device", "first_seq", "last_seq", "scans", "error")}
            try:
                self._post(body, self.alerts_url)
            except (OSError, ServerRefused) as exc:
                log.warning("could not report quarantine %s to the server: %s", alert["id"], exc)
                break
            self.outbox.mark_reported(alert["id"])
            told += 1
        return told

    def _post(self, body: dict[str, Any], url: str | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(url or self.url, data=json.dumps(body).encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.http_timeout_s) as resp:
                answer = json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            if 400 <= exc.code < 500 and exc.code not in RETRY_HTTP:
                raise ServerRefused(f"HTTP {exc.code}: {detail}") from None
            if exc.code >= 500:
                raise ServerFault(exc.code, detail) from None
            raise OSError(f"HTTP {exc.code}: {detail}") from None
        except ValueError as exc:
            raise OSError(f"server answer is not JSON: {exc}") from None
        if not isinstance(answer, dict):
            raise OSError("server answer is not a JSON object")
        return answer

    def _run(self) -> None:
        delay = 0.1
        while not self._stop.is_set():
            self._wake.clear()  # before looking, so a scan added meanwhile is not slept through
            try:
                settled = self.deliver_once()
            except OSError as exc:  # URLError, refused, reset, timeout, 5xx
                if self.server_up is not False:
                    log.warning("server %s unreachable, scans stay queued: %s", self.url, exc)
                self.server_up, self.last_error = False, str(exc)
                self._stop.wait(delay)  # not woken by new scans: no hammering a server that is down
                delay = min(delay * 2, self.backoff_max_s)
                continue
            if self.server_up is not True:
                log.info("server %s reachable, delivering", self.url)
                self.report_alerts()  # quarantines raised while the server could not be told
            self.server_up, delay = True, 0.1
            if not settled:
                self._wake.wait(1.0)
