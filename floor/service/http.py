"""The production HTTP server of `floor serve`: uvicorn, with open kiosk screens on its event loop.

Why this shape: a kiosk screen keeps one server-sent-events connection open all day.
Under a thread-per-request WSGI server each such connection pins a thread, so 64 screens
fill an 8 x 8 gunicorn deployment and the API starves. Here `/kiosk/events` is a native
asyncio endpoint (`floor.http.live.sse_asgi`): an open screen costs a coroutine and a
socket, not a thread. Every other request runs the Flask app unchanged on a bounded
thread pool (a2wsgi), so the app code stays synchronous; `POST /api/scans` is read and
answered whole around that pool (floor.service.whole_request), the rest is streamed.

Device readers and print workers are not started here; `Runtime` starts them once, in the
one process that runs `floor serve`.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import uvicorn
from a2wsgi import WSGIMiddleware
from flask import Flask

from floor.http.app import FloorApp
from floor.http.live import Broadcaster, sse_asgi
from floor.service.whole_request import serve_whole

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SSE_PATH = "/kiosk/events"
SCANS_PATH = "/api/scans"  # run whole, not streamed across threads (floor.service.whole_request)
WSGI_THREADS = 32  # concurrent ordinary requests (scans, pages, API); SSE streams are not counted here
KEEP_ALIVE_S = 75  # gateways and kiosks reuse one connection between requests


def asgi_app(app: Flask, threads: int = WSGI_THREADS, stopping: Callable[[], bool] = lambda: False) -> ASGIApp:
    """The Flask app as ASGI, with the kiosk's event stream served natively on the loop.

    `stopping()` turns true at shutdown: open streams then end instead of holding the server up.
    """
    wsgi = WSGIMiddleware(app, workers=threads)  # type: ignore[arg-type]
    limit = int(app.config["MAX_CONTENT_LENGTH"])
    fa: FloorApp = app.extensions["floor"]
    broadcaster: Broadcaster | None = fa.broadcaster
    assert broadcaster is not None, "init_kiosk sets it when the app is created"

    async def floor_asgi(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":  # gunicorn's uvicorn worker asks; nothing to start or stop here
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] == "http" and scope["path"] == SSE_PATH and scope["method"] == "GET":
            await sse_asgi(broadcaster, receive, send, stopping=stopping)
        elif scope["type"] == "http" and scope["path"] == SCANS_PATH and scope["method"] == "POST":
            await serve_whole(app, wsgi.executor, limit, scope, receive, send)
        else:
            await wsgi(scope, receive, send)  # type: ignore[arg-type]

    return floor_asgi


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (0 = any free port); OSError with advice if the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this. Without it every response waited ~40 ms for the
    # client's delayed ACK (Nagle), which the bench's single-scan p99 showed at once.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise OSError(
            f"port {port} on {host} is already in use; stop the other program or choose another port with --port"
        ) from None
    sock.listen(2048)
    sock.setblocking(False)
    return sock


class HttpServer:
    """uvicorn on one bound socket, run in the calling thread (`run`) or a background one (`start`)."""

    def __init__(self, app: Flask, host: str, port: int, threads: int = WSGI_THREADS) -> None:
        self.sock = bind(host, port)
        self.port: int = self.sock.getsockname()[1]
        self.url = f"http://{'[' + host + ']' if ':' in host else host}:{self.port}"
        config = uvicorn.Config(
            asgi_app(app, threads, stopping=lambda: self.server.should_exit),
            lifespan="off",
            http="h11",
            loop="asyncio",
            access_log=False,
            log_level="warning",
            timeout_keep_alive=KEEP_ALIVE_S,
            # Open streams end within a second of shutdown (`stopping`); screens reconnect by themselves.
            timeout_graceful_shutdown=5,
        )
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C / SIGTERM when in the main thread)."""
        try:
            asyncio.run(self.server.serve(sockets=[self.sock]))
        finally:
            self.sock.close()

    def start(self) -> None:
        """Serve from a background thread; returns once the server accepts connections."""
        self._thread = threading.Thread(target=self.run, name="floor-http", daemon=True)
        self._thread.start()
        while not self.server.started and self._thread.is_alive():
            self._thread.join(0.01)

    def stop(self) -> None:
        """Ask the server to finish and wait for it."""
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
