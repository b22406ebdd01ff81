"""A thread per printer that drains its queue in order, once, surviving faults and restarts."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from floor import clock
from floor.config import Config, PrinterConfig
from floor.labels import queue
from floor.labels.status import NoAnswer, check_enabled, query, remember, status_dict
from floor.labels.transport import DEFAULT_TIMEOUT, PrinterOffline, Transport, open_transport

log = logging.getLogger(__name__)
SessionFactory = Callable[[], Session]


class PrintWorker(threading.Thread):
    """Sends the queued jobs of one printer; `stop_event` ends it, `wake()` skips the idle wait."""

    def __init__(
        self,
        cfg_printer: PrinterConfig,
        session_factory: SessionFactory,
        stop_event: threading.Event | None = None,
        poll_s: float = 0.2,
        status_every_s: float = 5.0,
        recover: bool = True,
    ) -> None:
        super().__init__(name=f"print-{cfg_printer.name}", daemon=True)
        self.printer = cfg_printer
        self.session_factory = session_factory
        self.stop_event = stop_event or threading.Event()
        self.poll_s = poll_s
        self.status_every_s = status_every_s
        self.timeout = float(cfg_printer.options.get("timeout", DEFAULT_TIMEOUT))
        self.recovered = 0
        self.recover = recover
        self._wake = threading.Event()
        self._transport: Transport | None = None
        self._fault_streak = 0

    def wake(self) -> None:
        """New jobs were committed: look at the queue now."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to finish and wait for it."""
        self.stop_event.set()
        self._wake.set()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        """Recover jobs left 'sending', then send jobs until stopped."""
        try:
            if self.recover:
                with self.session_factory() as s:
                    self.recovered = queue.recover(s, self.printer.name)
                    s.commit()
            if self.recovered:
                log.warning(
                    "printer %s: %d job(s) were interrupted by a restart and are not resent",
                    self.printer.name,
                    self.recovered,
                )
            idle_s = 0.0
            while not self.stop_event.is_set():
                try:
                    wait = self.step()
                except Exception:  # a DB hiccup must not kill the printer's thread
                    log.exception("printer %s: worker step failed", self.printer.name)
                    self._close()
                    wait = 1.0
                if wait > 0:
                    self._close()  # idle: free the printer's single raw port for others
                    idle_s += wait
                    if idle_s >= self.status_every_s:
                        idle_s = 0.0
                        self._refresh_status()
                    self._wake.wait(wait)
                    self._wake.clear()
                else:
                    idle_s = 0.0
        finally:
            self._close()

    def step(self) -> float:
        """Try to send the head job once; return how long to wait before the next step (0 = go on)."""
        name = self.printer.name
        with self.session_factory() as s:
            job = queue.head(s, name)
            if job is None:
                return self.poll_s
            now = clock.now()
            if job.next_try_at and job.next_try_at > now:
                return min((job.next_try_at - now).total_seconds(), self.poll_s * 5)
            job_id, payload = job.id, job.payload.encode("utf-8")
            s.rollback()  # hold no transaction (nor SQLite's write lock) while talking to the printer
            try:
                transport = self._connect()
                if check_enabled(self.printer):
                    st = query(transport, self.timeout)
                    remember(name, status_dict(name, self.printer.url, st))
                    if not st.ready:
                        return self._fault(s, job_id, "printer not ready: " + ", ".join(st.faults), None)
            except NoAnswer as exc:
                return self._fault(s, job_id, str(exc), "fault")
            except PrinterOffline as exc:
                return self._fault(s, job_id, str(exc), "offline")
            if not queue.claim(s, job_id):
                s.rollback()
                return 0.0
            s.commit()  # 'sending' is durable before the first byte leaves
            try:
                transport.write(payload)
            except PrinterOffline as exc:
                # write() raising means not all bytes left, so the closing ^XZ did not: not printed.
                queue.mark_unsent(s, job_id, str(exc))
                s.commit()
                self._close()
                return queue.backoff_s(self._fault_streak + 1)
            queue.mark_printed(s, job_id)
            s.commit()
            self._fault_streak = 0
            return 0.0

    def _fault(self, s: Session, job_id: int, error: str, state: str | None) -> float:
        """The printer cannot take the head job now: hold it (and so the rest) with growing backoff."""
        self._fault_streak += 1
        delay = queue.backoff_s(self._fault_streak)
        if state is not None:
            remember(self.printer.name, status_dict(self.printer.name, self.printer.url, None, error, state))
        log.info("printer %s: %s; retrying in %.1f s", self.printer.name, error, delay)
        queue.hold(s, job_id, error, delay)
        s.commit()
        self._close()  # a silent printer may need a fresh connection once it is back
        return delay

    def _connect(self) -> Transport:
        if self._transport is None:
            self._transport = open_transport(self.printer.url, self.printer.options)
        return self._transport

    def _close(self) -> None:
        if self._transport is not None:
            try:
                self._transport.close()
            except OSError:
                pass
            self._transport = None

    def _refresh_status(self) -> None:
        from floor.labels.status import live_status

        live_status(self.printer, self.timeout)


class PrintWorkers:
    """One PrintWorker per configured printer, started and stopped together."""

    def __init__(self, cfg: Config, session_factory: SessionFactory, **options: Any) -> None:
        self.stop_event = threading.Event()
        self.workers = {
            name: PrintWorker(p, session_factory, self.stop_event, **options) for name, p in cfg.printers.items()
        }

    def start(self) -> PrintWorkers:
        """Start every worker thread."""
        for w in self.workers.values():
            w.start()
        return self

    def wake(self, printer: str | None = None) -> None:
        """Wake one printer's worker (or all)."""
        for name, w in self.workers.items():
            if printer is None or name == printer:
                w.wake()

    def running(self, printer: str) -> bool:
        """Whether this process's worker for `printer` is running (and so owns its connection)."""
        worker = self.workers.get(printer)
        return worker is not None and worker.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop every worker and wait for them."""
        self.stop_event.set()
        for w in self.workers.values():
            w.stop(timeout)


def start_print_workers(cfg: Config, session_factory: SessionFactory, **options: Any) -> PrintWorkers:
    """Start draining the print queue of every configured printer (used by `floor serve` and `floor demo`)."""
    return PrintWorkers(cfg, session_factory, **options).start()
