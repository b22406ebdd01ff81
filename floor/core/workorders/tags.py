"""Key fobs and job folders: a tag (barcode text or RFID EPC) bound to a job, and where it was last seen."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core import changes
from floor.core.codes import PREFIXES, gtin14
from floor.core.rows import RowError
from floor.core.workorders.status import WorkOrderError
from floor.models import Location, Part, PartBarcode, Tag, User, WorkOrder

JOB_TAG_KINDS = ("key", "folder", "wo")
MAX_TAG_LEN = 128


def normalise_code(code: str) -> str:
    """A tag code as stored: stripped; the scan path looks tags up case-insensitively."""
    return code.strip()


def tag_conflict(session: Session, code: str) -> tuple[str, str] | None:
    """What else a would-be tag's code already names, as (en, zh), or None.

    A tag is looked up before anything else a plain scan may mean (case-insensitively), so a tag that
    is also a part's number, EAN/GTIN or alias, a bin, a badge or a job number would take that code over
    at every station (issue 24). A badge is not named: the refusal must not tell whose it is.
    """
    key = code.upper()
    part_no = session.scalar(select(Part.part_no).where(func.upper(Part.part_no) == key).limit(1))
    if part_no is None:
        g14 = gtin14(code)
        alias = func.upper(PartBarcode.code) == key
        part_no = session.scalar(
            select(Part.part_no)
            .join(PartBarcode, PartBarcode.part_id == Part.id)
            .where(alias | (PartBarcode.gtin14 == g14) if g14 else alias)
            .limit(1)
        )
    if part_no is not None:
        return f"a code of part {part_no}", f"配件 {part_no} 的编码"
    bin_code = session.scalar(select(Location.code).where(func.upper(Location.code) == key).limit(1))
    if bin_code is not None:
        return f"bin {bin_code}", f"库位 {bin_code}"
    number = session.scalar(select(WorkOrder.number).where(func.upper(WorkOrder.number) == key).limit(1))
    if number is not None:
        return f"the number of job {number}", f"工单 {number} 的编号"
    if session.scalar(select(User.id).where(func.upper(User.badge) == key).limit(1)) is not None:
        return "a code in use", "已在使用的编码"
    return None


def tag_forms(code: str) -> set[str]:
    """The texts a scan of `code` may be matched as (upper case): itself and, for a GTIN, its other widths."""
    forms = {code.strip().upper()}
    g14 = gtin14(code.strip())
    if g14:  # GTIN-14, -13, -12 and -8 of one number are one product (the catalog matches them so)
        forms |= {g14, g14[1:], g14[2:]} | ({g14[6:]} if g14.startswith("000000") else set())
    return forms


def tag_registry(session: Session, only: set[str] | None = None) -> dict[str, tuple[str, str]]:
    """Every tag's code (upper case; of the codes `only`, if given) -> what holds it, as (en, zh).

    Read once for a file of rows: tags are few (key fobs, folders), a file may have thousands of rows.
    """
    tags = (
        select(Tag.code, WorkOrder.number, Location.code)
        .outerjoin(WorkOrder, WorkOrder.id == Tag.work_order_id)
        .outerjoin(Location, Location.id == Tag.location_id)
    )
    if only is not None:
        tags = tags.where(func.upper(Tag.code).in_(sorted(only)))
    found: dict[str, tuple[str, str]] = {}
    for code, number, bin_code in session.execute(tags).tuples():
        if number is not None:
            found[code.upper()] = (f"a tag of job {number}", f"工单 {number} 的标签")
        elif bin_code is not None:
            found[code.upper()] = (f"a tag of bin {bin_code}", f"库位 {bin_code} 的标签")
        else:
            found[code.upper()] = ("a tag", "一个标签")
    return found


def tag_holding(registry: Mapping[str, tuple[str, str]], code: str) -> tuple[str, str] | None:
    """The tag a NEW part number, alias, bin, badge or job number would collide with, as (en, zh), or None.

    The other side of `tag_conflict`: a tag is looked up before anything else a plain scan may mean, so a code
    made after the tag would be taken over by it at every station.
    """
    for form in tag_forms(code):
        if form in registry:
            return registry[form]
    return None


def row_not_a_tag(registry: Mapping[str, tuple[str, str]], field: str, code: str) -> None:
    """RowError (imports, master-data rows) when a NEW code is already a tag's code (`tag_holding`)."""
    held = tag_holding(registry, code)
    if held is not None:
        raise RowError(field, f"{code} is already {held[0]}: a scan of it would select that instead")


def refuse_if_tag(session: Session, code: str) -> None:
    """Refuse (`code_is_tag`) a new badge or job number that is already a tag's code."""
    held = tag_holding(tag_registry(session, tag_forms(code)), code)
    if held is not None:
        raise WorkOrderError("code_is_tag", code=code[:40], what=held[0], what_zh=held[1])


def bind_tag(session: Session, wo: WorkOrder, code: str, kind: str = "key", label: str = "") -> Tag:
    """Bind a tag to a job; a tag of a closed job is re-bound (fobs are reused), one of an open job is refused.

    Every path that binds a job's tag (the API, reception's key and folder tags) comes here, so the registry
    check (`tag_conflict`) holds for all of them.
    """
    code = normalise_code(code)
    if not code or len(code) > MAX_TAG_LEN or any(ord(c) < 32 for c in code):
        raise WorkOrderError("bad_tag", code=code[:40] or "-")
    if ":" in code[:5] and code.split(":", 1)[0].upper() + ":" in PREFIXES:
        # `WO:`, `L:` … already mean something when scanned; such a tag would never reach the tag registry.
        raise WorkOrderError("bad_tag", code=code[:40])
    if kind not in JOB_TAG_KINDS:
        raise WorkOrderError("bad_tag_kind", kind=str(kind)[:20], valid=", ".join(JOB_TAG_KINDS))
    if not wo.is_open:
        raise WorkOrderError("wo_status_closed", number=wo.number, from_status=wo.status, status=wo.status)
    clash = tag_conflict(session, code)
    if clash is not None:
        raise WorkOrderError("tag_conflict", code=code[:40], what=clash[0], what_zh=clash[1])
    tag = session.scalar(select(Tag).where(func.upper(Tag.code) == code.upper()))
    if tag is not None:
        if tag.location_id is not None:
            raise WorkOrderError("tag_in_use", code=code, owner="bin")
        owner = session.get(WorkOrder, tag.work_order_id) if tag.work_order_id else None
        if owner is not None and owner.id != wo.id and owner.is_open:
            raise WorkOrderError("tag_in_use", code=code, owner=f"job {owner.number}")
    else:
        tag = Tag(code=code)
        session.add(tag)
    tag.kind, tag.work_order_id, tag.label = kind, wo.id, label[:200]
    changes.publish(session, changes.JOBS, number=wo.number)
    return tag


def tag_seen(session: Session, tag_id: int, where: str, at: datetime) -> None:
    """Record where and when a tag was seen (does not reload master-data caches)."""
    tag = session.get(Tag, tag_id)
    if tag is not None and (tag.last_seen_at is None or tag.last_seen_at <= at):
        tag.last_seen_at, tag.last_seen_where = at, where[:128]
