"""Who acts on a use case's write: the door's check, run first inside the use case's own transaction.

Each door knows its own way of naming the person (the JSON API: the body's badge and the request's token; the kiosk:
a scanned badge, worded refusals) and passes it in as a `Gate`; the use case then calls the core, which checks the
role table again and writes the audit entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from floor.models import User

Gate = Callable[[Session], User]
