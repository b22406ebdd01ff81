"""Handheld figures (SPEC 9.6), measured in headless Chromium at phone size against a running `floor serve`.

- `handheld_scan_to_ack_ms_p95` / `_median`: from the page's scan (the Enter handler's call: stored
  in IndexedDB, POST /api/scans) to its row shown as accepted. Target: under 150 ms.
- `handheld_offline_upload_s`: 5,000 scans queued while offline (the page's own IndexedDB queue), then
  the network returns: seconds until the page holds no pending scan (every one acknowledged by the
  server, through the page's own sender, batches of 500). Target: under 10 s.
- `handheld_upload_server_only_s`: the same 5,000 count scans posted by Python in the same batches,
  no browser: what the server alone takes. `handheld_upload_post_ms_total` / `_store_ms_total`:
  the page's own split of its upload (waiting for POST answers / writing results to IndexedDB).
Left out (with `handheld_skipped` saying why) when Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE: dict[str, Any] = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

_MEASURE = """async (n) => {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const s = await window.floorHandheld.scan('P:HB-1');
    await new Promise((resolve, reject) => {
      const check = () => {
        const li = document.querySelector(`#scans li[data-seq="${s.seq}"][data-device="${s.device}"]`);
        if (li && li.dataset.state === 'ok') return resolve();
        if (li && li.dataset.state === 'rejected') return reject(new Error(li.innerText));
        requestAnimationFrame(check);
      };
      check();
    });
    times.push(performance.now() - t0);
  }
  return times;
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _instance(folder: Path, port: int) -> Path:
    """A floor.toml and a migrated SQLite database with one bin, one part and a storekeeper."""
    from floor.config import load_config
    from floor.core.master import Importer
    from floor.db import Database
    from floor.db.migrate import upgrade

    cfg_path = folder / "floor.toml"
    cfg_path.write_text(
        f'[database]\nurl = "sqlite:///{folder / "hh.db"}"\nsqlite_synchronous = "NORMAL"\n'
        f'[server]\nhost = "127.0.0.1"\nport = {port}\n'
        '[[stations]]\nname = "handheld-1"\nkind = "stocktake"\nrequire_badge = true\nidle_timeout_s = 3600\n'
    )
    db = Database.from_config(load_config(cfg_path))
    upgrade(db.engine)
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "HB-01", "zone": "H"})
        imp.apply("parts", {"part_no": "HB-1", "name": "Bench part", "unit_cost": "1.00"})
        imp.apply("users", {"badge": "S1", "name": "Bench storekeeper", "role": "storekeeper"})
        imp.apply("stock", {"part_no": "HB-1", "location": "HB-01", "qty": "10"})
        imp.finish()
    db.dispose()
    return cfg_path


def _serve(cfg_path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "floor.cli.main", "serve", "--config", str(cfg_path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"floor serve exited: {proc.stderr.read().decode()[-500:] if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/handheld/", timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("floor serve did not answer within 30 s")


def _count(url: str) -> int:
    import json

    body = json.dumps({"kind": "cycle", "locations": ["HB-01"]}).encode()
    req = urllib.request.Request(f"{url}/api/counts", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return int(json.loads(resp.read())["id"])


def measure(url: str, rounds: int, queued: int) -> dict[str, Any]:
    """Scan-to-ack and the offline queue's upload, in one phone-sized Chromium page."""
    from playwright.sync_api import sync_playwright

    count_id = _count(url)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(**PHONE)
            page = context.new_page()
            page.goto(f"{url}/handheld/handheld-1")
            page.wait_for_function("() => document.body.dataset.ready === '1'", timeout=20000)
            for text in ("U:S1", f"CNT:{count_id}", "L:HB-01"):
                page.evaluate("(t) => window.floorHandheld.scan(t)", text)
                page.wait_for_function("() => document.body.dataset.pending === '0'", timeout=10000)
            page.evaluate(_MEASURE, 5)  # warm-up
            times = sorted(page.evaluate(_MEASURE, rounds))

            context.set_offline(True)
            page.evaluate(
                "async (n) => { for (let i = 0; i < n; i++) await window.floorHandheld.addScan('P:HB-1'); }", queued
            )
            if page.evaluate("window.floorHandheld.pending()") != queued:
                raise RuntimeError("the offline queue does not hold every scan")
            context.set_offline(False)
            upload_s = (
                page.evaluate(
                    """async () => {
                      Object.assign(window.floorHandheld.stats, { batches: 0, postMs: 0, storeMs: 0 });
                      const t0 = performance.now();
                      window.dispatchEvent(new Event('online'));
                      while ((await window.floorHandheld.pending()) > 0) await new Promise(r => setTimeout(r, 20));
                      return performance.now() - t0;
                    }"""
                )
                / 1000
            )
            device = page.evaluate("document.body.dataset.device")
            stats = page.evaluate("window.floorHandheld.stats")
            rejected = page.evaluate("document.querySelectorAll('#scans li[data-state=\"rejected\"]').length")
        finally:
            browser.close()
    return {
        "handheld_scan_to_ack_ms_p95": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "handheld_scan_to_ack_ms_median": round(statistics.median(times), 1),
        "handheld_scan_to_ack_rounds": rounds,
        "handheld_offline_upload_s": round(upload_s, 2),
        "handheld_offline_upload_scans": queued,
        "handheld_offline_upload_rejected_shown": rejected,
        "handheld_device": device,
        "handheld_count_id": count_id,
        "handheld_upload_post_ms_total": round(stats["postMs"]),
        "handheld_upload_store_ms_total": round(stats["storeMs"]),
    }


def server_only(url: str, count_id: int, scans: int, batch: int = 500) -> float:
    """Seconds for the server to apply `scans` count scans posted straight to /api/scans in batches."""
    import json

    def post(texts: list[str], first: int) -> None:
        body = {
            "station": "handheld-1",
            "device": "bench-direct",
            "scans": [{"data": t, "seq": first + i} for i, t in enumerate(texts)],
        }
        req = urllib.request.Request(
            f"{url}/api/scans", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=120) as resp:
            results = json.loads(resp.read())["results"]
        if not all(r["ok"] for r in results):
            raise RuntimeError(f"direct upload rejected: {next(r for r in results if not r['ok'])}")

    post(["U:S1", f"CNT:{count_id}", "L:HB-01"], 1)
    t0 = time.perf_counter()
    for first in range(4, 4 + scans, batch):
        post(["P:HB-1"] * min(batch, 4 + scans - first), first)
    return time.perf_counter() - t0


def _applied(folder: Path, device: str) -> int:
    """How many scans of the page's device the server recorded (each device+seq once)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{folder / 'hh.db'}")
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(text("SELECT count(*) FROM scan_events WHERE device = :d"), {"d": device}).scalar_one()
            )
    finally:
        engine.dispose()


def run(quick: bool = False) -> dict[str, Any]:
    """Start `floor serve` on a free port with a small instance and measure the handheld page in Chromium."""
    if not os.path.exists(CHROMIUM):
        return {"handheld_skipped": f"{CHROMIUM} not installed"}
    try:
        import playwright  # noqa: F401
    except ImportError:
        return {"handheld_skipped": "playwright not installed"}
    folder = Path(tempfile.mkdtemp(prefix="floor-bench-handheld-"))
    port = _free_port()
    proc = _serve(_instance(folder, port), port)
    try:
        figures = measure(f"http://127.0.0.1:{port}", rounds=30 if quick else 100, queued=5000)
        applied = _applied(folder, str(figures.pop("handheld_device")))
        expected = 3 + 5 + figures["handheld_scan_to_ack_rounds"] + figures["handheld_offline_upload_scans"]
        if applied != expected:  # exactly once: every scan of the page is in the books, none twice
            raise RuntimeError(f"the server holds {applied} scans of the handheld, expected {expected}")
        figures["handheld_scans_applied"] = applied
        count_id = int(figures.pop("handheld_count_id"))
        figures["handheld_upload_server_only_s"] = round(server_only(f"http://127.0.0.1:{port}", count_id, 5000), 2)
        figures["handheld_server"] = "floor serve (subprocess), SQLite NORMAL"
        return figures
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(folder, ignore_errors=True)
