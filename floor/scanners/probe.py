"""Is a configured device reachable right now? A quick look without taking the device over."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

from floor.config import DeviceConfig


def probe(device: DeviceConfig, timeout: float = 0.5) -> tuple[bool, str]:
    """(present, detail) for a device URL: a device node exists, a TCP port answers, a file is there."""
    url = device.url
    if url.isdigit():
        node = f"/dev/video{url}"
        return os.path.exists(node), node
    parts = urlsplit(url)
    if parts.scheme in ("socket", "rfc2217", "http", "https", "tcp", "rtsp"):
        port = parts.port or {"http": 80, "https": 443, "rtsp": 554}.get(parts.scheme)
        if not parts.hostname or not port:
            return False, "no host or port in URL"
        try:
            with socket.create_connection((parts.hostname, port), timeout=timeout):
                return True, f"{parts.hostname}:{port} answers"
        except OSError as exc:
            return False, f"{parts.hostname}:{port}: {exc.strerror or exc}"
    if "://" in url:
        return True, f"{parts.scheme}:// URL, not probed"
    if os.path.exists(url):
        real = os.path.realpath(url)
        return True, real if real != url else "present"
    return False, "no such device"
