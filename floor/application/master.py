"""Use case of master-data edits (parts, bins, people, jobs, opening stock), for the JSON API and the kiosk alike.

Both doors save rows the way `floor import` does (`floor.core.master.Importer`): the kiosk's admin page one
row, the API one or several. Each door finds who acts in its own words (the kiosk's badge, the API's token
and optional badge) and names its audit entry as before (`kiosk.edit_parts`, `api.parts`); the use case opens
the write transaction, checks the person against the site's role table again, writes the rows and records
that one entry. Refusals: `RowError` (`RowRefused` says which row), `SupervisorError` (the last active
supervisor stays one), `NotAllowed`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from floor.config import Config
from floor.config.settings import vin_check_digit
from floor.core.audit import record
from floor.core.master import Importer
from floor.core.rows import RowError
from floor.db import Database
from floor.models import User

# The role-table action of saving each kind (a CSV import of a kind is `import:<kind>`).
EDIT_ACTIONS = {
    "parts": "edit_parts",
    "locations": "edit_locations",
    "users": "edit_users",
    "workorders": "create_job",
    "stock": "edit_stock",
}


class RowRefused(RowError):
    """One row of several is wrong: `index` says which (from 0), `field` and `message` what."""

    def __init__(self, index: int, exc: RowError) -> None:
        super().__init__(exc.field, exc.message)
        self.index = index


@dataclass(frozen=True)
class Saved:
    """What a save wrote: each row's key (part number, bin code, badge, job number) and the warnings to look at."""

    keys: list[str]
    warnings: list[dict[str, str]] = field(default_factory=list)


def key_of(obj: Any) -> str:
    """The key a saved row is known by."""
    return str(
        getattr(obj, "part_no", None)
        or getattr(obj, "code", None)
        or getattr(obj, "badge", None)
        or getattr(obj, "number", None)
        or obj
    )


def save_rows(
    db: Database,
    cfg: Config,
    kind: str,
    rows: Sequence[Mapping[str, Any]],
    actor: User | None,
    who: str,
    audit: str,
    *,
    audit_object: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> Saved:
    """Create or update `rows` of `kind` in one transaction, audited as `audit` by `who` (object: the keys)."""
    with db.writing() as s:
        if actor is not None:  # an API token alone: the door checked it against the same table
            cfg.role_table().require(s.get(User, actor.id) or actor, EDIT_ACTIONS[kind])
        importer = Importer(s, cfg.timezone, actor_id=actor.id if actor else None, vin_check_digit=vin_check_digit(cfg))
        keys = []
        for i, row in enumerate(rows):
            try:
                keys.append(key_of(importer.apply(kind, row)))
            except RowError as exc:
                raise RowRefused(i, exc) from None
        importer.finish()
        record(s, who, audit, audit_object if audit_object is not None else ", ".join(keys), **(details or {}))
        return Saved(keys, list(importer.warnings))
