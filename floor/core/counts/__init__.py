"""Cycle counts and stocktakes: ABC classes, count plans, counting by scans, variance, approval.

Modules: `settings` (the [counts] config table), `abc` (classification and its
scheduler), `plans` (due list, creating sessions), `handlers` (scan handlers,
wired in `floor.core.wiring`), `variance` (expected as of the moment
counted, one set-based query), `approval` (supervisor approval posts
adjustments), `charts` (Pareto curve and progress as SVG).
"""

from __future__ import annotations

from typing import Any

from floor.core import messages
from floor.core.refusal import Refusal


class CountError(Refusal):
    """A count request refused by a rule: a message code with its parameters (en and zh in `floor.core.messages`).

    `details` are extra values an API answer carries besides the message (e.g. the bins concerned).
    The web ring maps the code to an HTTP status (`floor.http.errors`).
    """

    def __init__(self, code: str, /, details: dict[str, Any] | None = None, **params: Any) -> None:
        en, zh = messages.render(code, params)
        super().__init__(code, **params)
        self.args = (en,)
        self.details = details or {}
        self.message = en
        self.message_zh = zh
