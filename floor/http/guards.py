"""Request guards every route shares: ids in URLs, JSON depth, and text no database can store.

These turn whole classes of hostile input into a clear 4xx before any view runs:
ids beyond 64 bits (the drivers raise OverflowError), JSON nested thousands deep
(RecursionError in the parser), and NUL characters or lone surrogates (PostgreSQL and
the UTF-8 encoder refuse them with an exception, not a row).
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest
from werkzeug.routing import BaseConverter, ValidationError

from floor.core.inputs import valid_id

MAX_JSON_DEPTH = 32
_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_STEP = [1 if c in b"[{" else -1 for c in range(256)]  # only brackets are looked up
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class InputError(BadRequest):
    """A request refused before any view ran; `code` is machine-readable."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(description=message)
        self.error_code = code


class IdConverter(BaseConverter):
    """`<int:…>` in every route: ASCII digits naming a row id 1..2**31-1 (MAX_ROW_ID), else 404 (no such object)."""

    regex = r"[0-9]{1,30}"
    weight = 50
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = valid_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


def json_depth(data: bytes | str) -> int:
    """How deeply arrays and objects nest in a JSON text (strings skipped), without parsing it.

    Every POST body passes here, so the work is done by C: strings cut out, then the brackets
    turned into +1/-1 steps whose running sum's peak is the depth.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if b"\\" in raw:
        outside = _STRINGS.sub(b"", raw)
    else:  # no escapes: every quote opens or closes a string, so every other piece is outside them
        outside = b"".join(raw.split(b'"')[::2])
    brackets = outside.translate(None, _NOT_BRACKETS)
    return max(0, max(accumulate(map(_STEP.__getitem__, brackets)), default=0))


def bad_text(value: Any) -> str | None:
    """A description of the first string in `value` (nested) that no database can store, else None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _BAD_TEXT.search(item)
            if found:
                return "a NUL character" if found.group() == "\x00" else "an unpaired UTF-16 surrogate"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return None


def check_json_text(data: bytes | str) -> None:
    """Raise InputError when a JSON text nests deeper than MAX_JSON_DEPTH."""
    if json_depth(data) > MAX_JSON_DEPTH:
        raise InputError(f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels", "json_too_deep")


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing too-deep nesting before the recursive parser sees it."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        if json_depth(s) > MAX_JSON_DEPTH:
            raise ValueError(f"JSON nests deeper than {MAX_JSON_DEPTH} levels")
        return json.loads(s, **kwargs)


def _check_request() -> None:
    where = bad_text([request.path, list(request.args.items(multi=True))])
    if where is None and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        where = bad_text(list(request.form.items(multi=True)))
    if where is not None:
        raise InputError(f"the request contains {where}, which is not allowed in any field", "bad_text")


def install(app: Flask) -> None:
    """Put the guards on an app: before its blueprints register, so every rule uses the id converter."""
    app.url_map.converters["int"] = IdConverter
    app.json = GuardedJSONProvider(app)
    app.before_request(_check_request)
