"""Use cases of SPEC 9.4 for the JSON API and the kiosk alike: receive a car, keep a signature, hand the car over.

Each opens its transaction, calls the core (which checks the actor against the site's role table),
queues its label and writes its one audit entry with the actor text `who` and the station; the door
then marks the write as audited. Refusals are the core's coded errors (`WorkOrderError`, `NotAllowed`,
`BadgeError`, `unknown_wo`) and `RowError` for a bad field of the car's row: each door answers them in
its own way. The answers carry no URLs: the JSON API adds its links.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from floor import clock
from floor.config import Config
from floor.config.settings import vin_check_digit
from floor.core.audit import record
from floor.core.master import receive_car
from floor.core.workorders import bind_tag, handover, reception
from floor.core.workorders.lookup import job_by_number
from floor.db import Database
from floor.labels.service import PrintQueue
from floor.models import User

# The reception body's text fields besides the car's row, with their longest allowed length.
TEXTS: dict[str, int] = {"number": 64, "key_tag": 128, "folder_tag": 128, "printer": 64}
# What `receive` reads: the job's row (the number is optional: the day's next by default), its tags, the label printer.
RECEPTION_BODY = (*reception.JOB_COLUMNS, "key_tag", "folder_tag", "printer")
_ROW = (*reception.JOB_DETAILS, *reception.FIELDS)


def reception_row(data: Mapping[str, Any]) -> dict[str, Any]:
    """The car's row of a reception body (the core checks each field)."""
    return {k: data[k] for k in _ROW if k in data}


def queue_label(session: Session, cfg: Config, printer: str | None, kind: str, object_id: str) -> dict[str, Any]:
    """Queue a label on a printer when one is named (savepoint: a failure queues nothing, the job still stands)."""
    out: dict[str, Any] = {"kind": kind}
    if not printer:
        out["queued"] = None
        return out
    try:
        with session.begin_nested():
            out["queued"] = PrintQueue(cfg.printers).enqueue(session, printer, kind, object_id)
    except Exception as exc:  # an unknown printer or an unencodable text: the job itself still stands
        out["queued"], out["note"] = None, f"not queued: {exc}"[:200]
    return out


def receive(
    db: Database,
    cfg: Config,
    data: Mapping[str, Any],
    texts: Mapping[str, str | None],
    actor: User | None,
    who: str,
    station: str | None = None,
) -> dict[str, Any]:
    """Receive a car: number the job (the day's next unless `texts` names one), bind its tags, queue its label."""
    row = reception_row(data)
    with db.writing() as s:
        if actor is not None and not row.get("advisor"):
            row["advisor"] = actor.name  # the advisor at the desk, unless another is named
        day = clock.now().astimezone(ZoneInfo(cfg.timezone or "UTC")).strftime("%y%m%d")
        number = texts.get("number") or reception.next_number(s, day)
        # The core checks `reception` against the site's table: the kiosk's form reaches here with a bare badge.
        wo, warnings = receive_car(
            s, number, row, cfg.timezone, actor=actor, roles=cfg.role_table(), vin_check_digit=vin_check_digit(cfg)
        )
        tags = []
        for kind in ("key", "folder"):
            code = texts.get(f"{kind}_tag")
            if code:
                tag = bind_tag(s, wo, code, kind, wo.plate or wo.vehicle or "")
                tags.append({"code": tag.code, "kind": kind})
        s.flush()
        label = queue_label(s, cfg, texts.get("printer"), "wo", wo.number)
        record(
            s,
            who,
            "reception",
            wo.number,
            station=station,
            plate=wo.plate,
            mileage=wo.mileage,
            tags=tags,
            warnings=warnings,
        )
        return {"number": wo.number, "warnings": warnings, "tags": tags, "label": label, **reception.reception_json(wo)}


def store_signature(
    db: Database, cfg: Config, number: str, png: bytes, actor: User | None, who: str, station: str | None = None
) -> dict[str, Any]:
    """Keep a decoded signature with a job; the core refuses it (`role_denied`) unless `actor` may hand over."""
    with db.writing() as s:
        wo = job_by_number(s, number)
        sig = handover.save_signature(s, wo, png, actor, clock.now(), roles=cfg.role_table())
        size = f"{sig.width}x{sig.height}"
        record(s, who, "signature", wo.number, station=station, bytes=len(png), size=size)
        return {"number": wo.number, "signed": True, "width": sig.width, "height": sig.height, "bytes": len(png)}


def deliver_job(
    db: Database,
    cfg: Config,
    number: str,
    actor: User | None,
    who: str,
    signature: str | None,
    printer: str | None,
    station: str | None = None,
) -> dict[str, Any]:
    """DELIVER with the signature (kept first when given) and the gate pass on `printer` (else the site's)."""
    png = handover.decode_signature(signature) if signature else None
    with db.writing() as s:
        wo = job_by_number(s, number)
        change = handover.deliver(
            s, wo, actor, clock.now(), signature=png, require_signature=cfg.require_signature, roles=cfg.role_table()
        )
        s.flush()
        gatepass = queue_label(s, cfg, printer or cfg.delivery_printer, "gatepass", wo.number)
        record(s, who, "deliver", wo.number, station=station, signed=handover.has_signature(s, wo.id))
        return {"number": wo.number, "status": wo.status, "at": change.at.isoformat(), "gatepass": gatepass}
