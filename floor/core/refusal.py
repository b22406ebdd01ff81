"""The one base of every rule's refusal: a code and its message parameters, and no HTTP status.

The text of a code is in `floor.core.messages` (English and Chinese); the web ring maps the code
to an HTTP status in one table (`floor.http.errors.HTTP_STATUS`) and answers every refusal in one
JSON shape from one handler. The kinds below this one (`Reject` for scans and stock, `CountError`,
`ReportError`, `BadgeError`, `NotAllowed`, ...) only add how they are built.
"""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """A rule refused: `code` names it, `params` fill its message, `details` ride along in an answer."""

    code: str = "refused"
    params: dict[str, Any]
    details: dict[str, Any]

    def __init__(self, code: str, /, **params: Any) -> None:
        # Positional-only, so a message parameter may itself be named `code` (a bin's code).
        super().__init__(code)
        self.code = code
        self.params = params
        self.details = {}
