"""Device benchmarks: serial scan-to-ACK latency, RFID read throughput, camera decode rate."""

from __future__ import annotations

import multiprocessing
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from floor.config import DeviceConfig
from floor.core.epc import encode_sgtin96
from floor.core.results import ScanSink
from floor.scanners.base import ReaderState
from floor.scanners.camera import FrameDecoder
from floor.scanners.memory_sink import MemorySink
from floor.scanners.rfid import RfidSerialReader
from floor.scanners.serial_scanner import SerialScannerReader
from hardware_sim.camera import CameraSim, Shot
from hardware_sim.scanner import ScannerSim


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 2 else (values[0] if values else 0.0)


def _drive_scanners(
    conn: Any, scanners: int, rate_per_s: float, seconds: float, text: Callable[[int, int], str]
) -> None:
    """Child process: the people with scanners. Own the ptys, scan at a fixed rate, time each ACK."""
    sims = [ScannerSim() for _ in range(scanners)]
    conn.send([s.path for s in sims])
    conn.recv()  # the service's readers have the ports open
    latencies: list[float] = []
    lock = threading.Lock()

    def drive(i: int, sim: ScannerSim) -> None:
        sim.wait_host(5.0)
        end = time.monotonic() + seconds
        n = 0
        next_at = time.monotonic() + i / (scanners * rate_per_s)  # stagger like real users
        while time.monotonic() < end:
            time.sleep(max(0.0, next_at - time.monotonic()))
            got = len(sim.received())
            t0 = time.perf_counter()
            sim.scan(text(i, n))
            data = sim.wait_received(got + 1, timeout=1.0)
            ms = (time.perf_counter() - t0) * 1000 if len(data) > got else 1000.0
            with lock:
                latencies.append(ms)
            n += 1
            next_at += 1 / rate_per_s

    threads = [threading.Thread(target=drive, args=(i, s)) for i, s in enumerate(sims)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conn.send(latencies)
    conn.recv()  # keep the ptys until the readers are stopped
    for sim in sims:
        sim.close()


def serial_scan_to_ack_ms(
    sink: ScanSink,
    scanners: int = 20,
    rate_per_s: float = 5.0,
    seconds: float = 3.0,
    station: Callable[[int], str] = lambda i: "counter-1",
    text: Callable[[int, int], str] = lambda i, n: f"P:BENCH-{i}-{n}",
) -> dict[str, float]:
    """N simulated scanners on ptys at a fixed rate; ms from a scan's last byte written to its ACK read.

    The simulated scanners run in their own process, as real ones are separate hardware:
    in the service's process their forty threads would compete with it for the interpreter.
    """
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_drive_scanners, args=(child, scanners, rate_per_s, seconds, text), daemon=True)
    proc.start()
    paths = parent.recv()
    readers = [
        SerialScannerReader(DeviceConfig(f"bench-{i}", "serial-scanner", path, station(i)), sink)
        for i, path in enumerate(paths)
    ]
    try:
        for r in readers:
            r.start()
        for r in readers:
            r.wait_state(ReaderState.CONNECTED, 5.0)
        parent.send("go")
        if not parent.poll(seconds + 60):
            raise RuntimeError("the simulated scanners did not finish")
        latencies: list[float] = parent.recv()
    finally:
        for r in readers:
            r.stop()
        parent.send("done")
        proc.join(10)
    return {"p99": _p99(latencies), "p50": statistics.median(latencies), "scans": float(len(latencies))}


def rfid_reads_per_s(reads: int = 100_000, tags: int = 500) -> float:
    """Raw reads per second through a pty line reader: frame, parse, fold, record, deliver."""
    sink = MemorySink()
    epcs = [encode_sgtin96("04012345678901", i) for i in range(tags)]
    payload = b"".join(f"{epcs[i % tags]},{1 + i % 4},-{50 + i % 30}\r\n".encode() for i in range(reads))
    with ScannerSim() as sim:  # any pty device will do as the reader's far end
        reader = RfidSerialReader(DeviceConfig("bench-rfid", "rfid-reader", sim.path, "counter-1"), sink)
        reader.start()
        try:
            sim.wait_host(5.0)
            t0 = time.perf_counter()
            writer = threading.Thread(target=sim.write, args=(payload,))
            writer.start()
            deadline = time.monotonic() + 60
            while reader.tags.reads < reads and time.monotonic() < deadline:
                time.sleep(0.005)
            elapsed = time.perf_counter() - t0
            writer.join()
        finally:
            reader.stop()
    return reader.tags.reads / elapsed


def camera_frames_per_s(
    frames: int = 60, symbologies: tuple[str, ...] = ("code128", "ean13", "qrcode"), empty: bool = False
) -> dict[str, float]:
    """1280x720 frames per second through the camera reader's default decoding (`decode_stream`), one core.

    `wall`: frames / elapsed time; `cpu`: frames / this thread's CPU time (the per-core figure,
    steady when other processes share the machine). Frames hold three codes with noise, blur and
    rotation as from a camera, or (`empty`) no code at all: the pyramid's turn comes on those.
    """
    import cv2

    sim = CameraSim(1280, 720, seed=5)
    shots = [
        Shot(
            [] if empty else [("code128", f"P:PART-{i}"), ("ean13", "4012345678901"), ("qrcode", f"WO:{1000 + i}")],
            rotation_deg=4 * (i % 3),
            noise_sigma=6,
            blur=3 if i % 2 else 0,
        )
        for i in range(6)
    ]
    images = [sim.frame(shots[i % len(shots)], i) for i in range(12)]
    decoder = FrameDecoder(symbologies)
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)  # one core: OpenCV's resize would otherwise fan out
    try:
        found = 0
        t0, c0 = time.perf_counter(), time.thread_time()
        for i in range(frames):
            found += len(decoder.decode_stream(images[i % len(images)]))
        elapsed, cpu = time.perf_counter() - t0, time.thread_time() - c0
    finally:
        cv2.setNumThreads(threads)
    if not empty and found < frames * 2:
        raise RuntimeError(f"camera bench decoded too little ({found} codes in {frames} frames)")
    if empty and found:
        raise RuntimeError(f"camera bench read {found} codes in empty frames")
    return {"wall": frames / elapsed, "cpu": frames / max(cpu, 1e-9)}


def camera_read_rate_photos() -> dict[str, Any]:
    """Share of the photographed barcodes (tests/data/photos) read per symbology: floor's default, pyzbar, zxing-cpp."""
    import zxingcpp
    from pyzbar import pyzbar

    from floor.scanners.photos import PHOTOS, SYMBOLOGIES, photo_set, read_rate

    if not PHOTOS.is_dir():
        return {"camera_read_rate_photos_skipped": f"{PHOTOS} not found (a source checkout has it)"}
    decoder = FrameDecoder()
    out: dict[str, Any] = {}
    started = time.perf_counter()
    n = 0
    for sym in SYMBOLOGIES:
        photos = photo_set(sym)
        n += len(photos)
        out[f"camera_read_rate_photos_{sym}"] = round(
            read_rate(photos, lambda g: {d.data for d in decoder.decode(g)}), 3
        )
        out[f"camera_read_rate_photos_{sym}_pyzbar"] = round(
            read_rate(photos, lambda g: {r.data for r in pyzbar.decode(g)}), 3
        )
        out[f"camera_read_rate_photos_{sym}_zxingcpp"] = round(
            read_rate(photos, lambda g: {r.bytes for r in zxingcpp.read_barcodes(g)}), 3
        )
        out[f"camera_read_rate_photos_{sym}_n"] = len(photos)
    out["camera_read_rate_photos_s"] = round(time.perf_counter() - started, 2)
    return out


def serial_to_real_service(scanners: int = 20, seconds: float = 10.0) -> dict[str, float]:  # the "_bare" figures
    """Scan-to-ACK through the real scan service on SQLite (FULL): each scanner at its own counter, issuing parts."""
    from pathlib import Path

    from floor.application.scan_service import ScanService
    from floor.bench.bench_core import PARTS, _load_data, _write_config
    from floor.config import load_config
    from floor.core.results import ScanInput
    from floor.db import Database

    with tempfile.TemporaryDirectory() as tmp:
        cfg_path = _write_config(Path(tmp), f"sqlite:///{Path(tmp) / 'bench.db'}", scanners, "FULL")
        _load_data(cfg_path)
        cfg = load_config(cfg_path)
        db = Database.from_config(cfg)
        service = ScanService(cfg, db)
        for i in range(scanners):  # badge and job at each counter, so every timed scan issues a part
            service.submit(f"counter-{i}", f"setup-{i}", [ScanInput(b"U:T1"), ScanInput(f"WO:W{i % 8}".encode())])
        try:
            return serial_scan_to_ack_ms(
                service,
                scanners,
                seconds=seconds,
                station=lambda i: f"counter-{i}",
                text=lambda i, n: f"P:P{(i * 7 + n) % PARTS:04d}",
            )
        finally:
            db.dispose()


def serial_through_serve(scanners: int = 20, seconds: float = 10.0, rate_per_s: float = 5.0) -> dict[str, float]:
    """Scan-to-ACK as users get it: `floor serve` in its own process runs the readers of N pty scanners.

    Each scanner is a configured device at its own counter (SQLite, FULL), so the figure includes
    the whole runtime of `floor serve`: HTTP server, kiosk feed, print workers, ABC scheduler.
    """
    from pathlib import Path

    from floor.bench.bench_core import PARTS, _load_data, _post, _Server, _write_config

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    text = lambda i, n: f"P:P{(i * 7 + n) % PARTS:04d}"  # noqa: E731
    proc = ctx.Process(target=_drive_scanners, args=(child, scanners, rate_per_s, seconds, text), daemon=True)
    proc.start()
    paths: list[str] = parent.recv()
    server = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            devices = [{"name": f"scanner-{i}", "station": f"counter-{i}", "url": p} for i, p in enumerate(paths)]
            cfg_path = _write_config(Path(tmp), f"sqlite:///{Path(tmp) / 'bench.db'}", scanners, "FULL", devices)
            _load_data(cfg_path)
            server = _Server(cfg_path)
            import http.client

            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            for i in range(scanners):  # badge and job at each counter, so every timed scan issues a part
                body = {
                    "station": f"counter-{i}",
                    "device": f"setup-{i}",
                    "scans": [{"data": "U:T1"}, {"data": f"WO:W{i % 8}"}],
                }
                if not all(r["ok"] for r in _post(conn, body)):
                    raise RuntimeError("bench setup scans were refused")
            conn.close()
            parent.send("go")
            if not parent.poll(seconds + 60):
                raise RuntimeError("the simulated scanners did not finish")
            latencies: list[float] = parent.recv()
    finally:
        if server is not None:
            server.stop()
        parent.send("done")
        proc.join(10)
    return {"p99": _p99(latencies), "p50": statistics.median(latencies), "scans": float(len(latencies))}


def run(sink: ScanSink | None = None, quick: bool = False) -> dict[str, Any]:
    """All device figures. The headline serial ACK figures come through a running `floor serve`
    (20 scanners at 5 scans/s, each at its own counter; and 2 scanners); the `_bare` figures beside
    them drive the same scanners against a bare ScanService in this process.

    Each ACK run lasts 10 s (1,000 scans with 20 scanners), so its p99 rests on ten samples.
    """
    seconds = 3.0 if quick else 10.0
    if sink is not None:
        serial = serial_scan_to_ack_ms(sink, seconds=seconds)
        return {
            "serial_scan_to_ack_ms_p99": round(serial["p99"], 3),
            "serial_scan_to_ack_ms_p50": round(serial["p50"], 3),
            "serial_scan_to_ack_sink": type(sink).__name__,
        }
    figures: dict[str, Any] = {}
    for n, suffix in ((20, ""), (2, "_2_scanners")):
        served = serial_through_serve(n, seconds)
        bare = serial_to_real_service(n, seconds)
        figures[f"serial_scan_to_ack_ms_p99{suffix}"] = round(served["p99"], 3)
        figures[f"serial_scan_to_ack_ms_p50{suffix}"] = round(served["p50"], 3)
        figures[f"serial_scan_to_ack_scans{suffix}"] = int(served["scans"])
        figures[f"serial_scan_to_ack_ms_p99{suffix}_bare"] = round(bare["p99"], 3)
        figures[f"serial_scan_to_ack_ms_p50{suffix}_bare"] = round(bare["p50"], 3)
    figures["serial_scan_to_ack_sink"] = "floor serve (sqlite, synchronous=FULL); _bare: ScanService in-process"
    figures["serial_scan_to_ack_ms_p99_target"] = 10
    cam = camera_frames_per_s()
    cam_dm = camera_frames_per_s(symbologies=("code128", "ean13", "qrcode", "datamatrix"))
    cam_empty = camera_frames_per_s(symbologies=("code128", "ean13", "qrcode", "datamatrix"), empty=True)
    figures.update(
        {
            "rfid_reads_per_s": round(rfid_reads_per_s()),
            # The camera reader's default (zxing-cpp at full scale first, DataMatrix on): frames/s on one core.
            "camera_frames_per_s": round(cam_dm["wall"], 1),
            "camera_frames_per_s_cpu": round(cam_dm["cpu"], 1),
            "camera_frames_per_s_without_datamatrix": round(cam["wall"], 1),
            "camera_frames_per_s_empty_frames": round(cam_empty["wall"], 1),
            "camera_frames_per_s_empty_frames_cpu": round(cam_empty["cpu"], 1),
            "camera_frame": "1280x720",
            "camera_cores": 1,
            "cpu_count": os.cpu_count(),
        }
    )
    figures.update(camera_read_rate_photos())
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
