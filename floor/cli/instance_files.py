"""Files `floor init` writes into an instance: the config, private to its owner, with its own session key."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

# The sample's commented-out key line, replaced by a generated key so every worker of one
# instance (gunicorn -w N) signs kiosk sessions with the same key.
_KEY_LINE = re.compile(r"^#\s*secret_key\s*=.*$", re.MULTILINE)


def with_secret_key(text: str, key: str | None = None) -> str:
    """The sample config text with `[server] secret_key` set to a new random key."""
    line = f'secret_key = "{key or secrets.token_hex(32)}"   # signs kiosk sessions; shared by all workers'
    out, n = _KEY_LINE.subn(line, text, count=1)
    if n == 0:
        raise ValueError("the sample config has no secret_key line to fill in")
    return out


def write_private_config(path: Path, sample: str) -> None:
    """Create `path` with mode 0600 (it holds tokens and the session key); refuse to overwrite."""
    # O_EXCL + mode at creation: the file is never readable by others, not even for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(with_secret_key(sample))
    os.chmod(path, 0o600)  # the umask can only remove bits; this states the intent
