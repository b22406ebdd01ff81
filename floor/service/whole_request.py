"""The scan API's requests run whole: the body read on the event loop, the Flask app run once on the pool.

Why: a2wsgi streams a request across threads. The body read, the status line, each body chunk
and the end of the answer each cross from the worker thread to the event loop and wait there:
about ten thread switches a request, ~0.8 ms on a 2-core station PC before the app does
anything. `POST /api/scans` (every batch of every scanner, gateway and handheld) has a small
body and one JSON document as its answer, so here it crosses twice: to the pool with the whole
body, back with the whole answer. Every other route keeps a2wsgi's streaming.

A body over the app's limit is cut at limit + 1 bytes and handed to Flask anyway, which
answers 413 exactly as on any other route. A chunked body (no Content-Length) is read too,
where a2wsgi hands Flask an empty one.
"""

from __future__ import annotations

import asyncio
import contextvars
import io
from collections.abc import Callable, Iterable, MutableMapping
from concurrent.futures import Executor
from typing import Any, cast

from a2wsgi.wsgi import build_environ

Message = MutableMapping[str, Any]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def call_whole(app: WSGIApp, environ: dict[str, Any]) -> Answer:
    """Run a WSGI app on a complete request; return its status, headers and whole body (on a pool thread)."""
    head: list[Any] = []
    parts: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        # Called again with exc_info (PEP 3333), the new status replaces the old: nothing is sent before the app ends.
        head[:] = [
            int(status.split(" ", 1)[0]),
            [(name.strip().lower().encode("latin1"), value.strip().encode("latin1")) for name, value in headers],
        ]
        return parts.append

    body = app(environ, start_response)
    try:
        parts.extend(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return head[0], head[1], b"".join(parts)


async def serve_whole(
    app: WSGIApp,
    executor: Executor,
    limit: int,
    scope: Message,
    receive: Callable[[], Any],
    send: Callable[[Message], Any],
) -> None:
    """Answer one HTTP request by reading it whole, running `app` once on `executor`, sending the answer whole."""
    body = bytearray()
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return  # the client left before its request was complete: nothing was applied
        body += message.get("body", b"")
        more = bool(message.get("more_body", False))
        if len(body) > limit:
            del body[limit + 1 :]  # enough for Flask to see it is too large; the rest is never read
            break
    environ = cast(dict[str, Any], build_environ(scope, io.BytesIO(bytes(body))))  # type: ignore[arg-type]
    # The body handed on is whole and de-chunked: say its length. A chunked body is then read (werkzeug
    # sees an empty one otherwise), and one cut at limit + 1 bytes is refused by Flask's own 413.
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["CONTENT_LENGTH"] = str(len(body))
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()  # what a2wsgi passes on too: the loop's context variables
    status, headers, content = await loop.run_in_executor(executor, context.run, call_whole, app, environ)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})
