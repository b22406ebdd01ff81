"""Kiosk languages: English and Simplified Chinese per kiosk (?lang= then cookie), catalogs compiled on start.

Only the .po files are kept in the source tree. At app start each one is compiled
with babel's own API into a folder private to this process (made by mkdtemp: an
unpredictable name, mode 0700, removed at exit), so a fresh `pip install -e .` (or a
read-only install) needs no build step, never serves a stale .mo, and no other user
of the machine can plant a catalog where the kiosk reads it (a fixed name under /tmp
could be created first by anyone).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request

LANGUAGES = {"en": "English", "zh": "中文"}
HTML_LANG = {"en": "en", "zh": "zh-CN"}
COOKIE = "floor_lang"
SOURCE = Path(__file__).parent / "translations"
_compiled: dict[str, Path] = {}  # .po digest -> this process's private folder
_lock = threading.Lock()


def _remove(folder: Path, owner_pid: int) -> None:
    # Only the process that made the folder removes it: forked workers (gunicorn --preload)
    # inherit the exit hook but still share the folder with their siblings.
    if os.getpid() == owner_pid:
        shutil.rmtree(folder, ignore_errors=True)


def compile_catalogs(source: Path = SOURCE, cache_root: Path | None = None) -> Path:
    """Compile every <lang>/LC_MESSAGES/*.po under source; return the folder holding the .mo files."""
    pos = sorted(source.glob("*/LC_MESSAGES/*.po"))
    digest = hashlib.sha1(b"".join(p.read_bytes() for p in pos)).hexdigest()[:16]
    if cache_root is None:
        with _lock:
            if digest not in _compiled:
                _compiled[digest] = Path(tempfile.mkdtemp(prefix="floor-kiosk-i18n-"))
                atexit.register(_remove, _compiled[digest], os.getpid())
            cache_root = _compiled[digest]
    root = cache_root / f"floor-kiosk-i18n-{digest}"
    for po in pos:
        mo = root / po.relative_to(source).with_suffix(".mo")
        if mo.exists():
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as fh:
            catalog = read_po(fh)
        tmp = mo.with_suffix(f".{id(catalog)}.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog)
        tmp.replace(mo)  # atomic: several workers may compile at once
    return root


def default_language(app: Flask) -> str:
    """The site's default kiosk language: [kiosk] language in the config, else English."""
    cfg = app.config.get("FLOOR")
    lang = str(getattr(cfg, "raw", {}).get("kiosk", {}).get("language", "en")) if cfg else "en"
    return lang if lang in LANGUAGES else "en"


def current_language() -> str:
    """The language of this request: ?lang=, then the kiosk's cookie, then the site default."""
    from flask import current_app

    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    kept = request.cookies.get(COOKIE)
    if kept in LANGUAGES:
        return kept
    return default_language(current_app)
