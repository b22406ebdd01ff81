"""PINs (SPEC 10.6): hashed with scrypt, verified, locked after 5 wrong tries; the approver check with four eyes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from floor import clock
from floor.cli.main import main
from floor.core.authority import NotAllowed, RoleTable
from floor.core.pins import MAX_TRIES, PinError, check_approver, record_failure, set_pin, verify_pin
from floor.core.scanning.context import Reject
from floor.db import Database
from floor.models import AuditEntry, User


def _user(s, badge: str) -> User:
    return s.scalars(select(User).where(User.badge == badge)).one()


def test_pin_is_stored_hashed_with_its_parameters_and_verifies(shop: Database) -> None:
    """GIVEN a PIN set WHEN stored THEN only an scrypt hash with salt and parameters is kept; the PIN verifies."""
    with shop.writing() as s:
        set_pin(s, _user(s, "SUP1"), "4821", actor="test")
        set_pin(s, _user(s, "S001"), "4821", actor="test")
    with shop.writing() as s:
        sup, store = _user(s, "SUP1"), _user(s, "S001")
        assert sup.pin_hash and sup.pin_hash.startswith("scrypt$16384$8$1$") and "4821" not in sup.pin_hash
        assert sup.pin_hash != store.pin_hash  # a per-user salt
        verify_pin(s, sup, "4821", now=clock.now())
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "set_pin")).all()
        assert len(audit) == 2 and all("4821" not in (a.details or "") for a in audit)


@pytest.mark.parametrize("pin", ["12", "1234567890123", "12a4", "١٢٣٤", "", None])
def test_a_pin_is_4_to_12_ascii_digits(shop: Database, pin: object) -> None:
    """GIVEN a PIN too short, too long or not ASCII digits WHEN set THEN bad_pin_format, nothing stored."""
    with shop.writing() as s:
        before = _user(s, "SUP1").pin_hash
        with pytest.raises(Reject) as exc:
            set_pin(s, _user(s, "SUP1"), pin, actor="test")  # type: ignore[arg-type]
        assert exc.value.code == "bad_pin_format"
        assert _user(s, "SUP1").pin_hash == before


def test_missing_unset_and_wrong_pins_are_refused(shop: Database) -> None:
    """GIVEN no PIN given / none set / a wrong one WHEN verified THEN pin_required / pin_not_set / bad_pin."""
    with shop.writing() as s:
        sup = _user(s, "SUP1")
        sup.pin_hash = None  # the small shop gives everyone a PIN: this one has none yet
        with pytest.raises(PinError) as exc:
            verify_pin(s, sup, "1234", now=clock.now())
        assert exc.value.code == "pin_not_set"
        set_pin(s, sup, "4821", actor="test")
        with pytest.raises(PinError) as exc:
            verify_pin(s, sup, None, now=clock.now())
        assert exc.value.code == "pin_required"
        with pytest.raises(PinError) as exc:
            verify_pin(s, sup, "4822", now=clock.now())
        assert exc.value.code == "bad_pin" and exc.value.params["left"] == MAX_TRIES - 1
        assert sup.pin_failures == 1
        verify_pin(s, sup, "4821", now=clock.now())  # a good PIN clears the count
        assert sup.pin_failures == 0


def test_five_wrong_tries_lock_until_reset_or_15_minutes(shop: Database) -> None:
    """GIVEN 5 wrong PINs WHEN the right one follows THEN pin_locked (says what to do); 15 min later or after a reset it works."""
    now = clock.now()
    with shop.writing() as s:
        sup = _user(s, "SUP1")
        set_pin(s, sup, "4821", actor="test")
        codes = []
        for _ in range(MAX_TRIES):
            with pytest.raises(PinError) as exc:
                verify_pin(s, sup, "0000", now=now)
            codes.append(exc.value.code)
        assert codes == ["bad_pin"] * (MAX_TRIES - 1) + ["pin_locked"]
        with pytest.raises(PinError) as exc:
            verify_pin(s, sup, "4821", now=now + timedelta(minutes=14))
        assert exc.value.code == "pin_locked"
        from floor.core import messages

        en, zh = messages.render("pin_locked", exc.value.params)
        assert "supervisor" in en and "主管" in zh
        verify_pin(s, sup, "4821", now=now + timedelta(minutes=16))
        assert sup.pin_failures == 0


def test_a_wrong_try_is_recorded_again_after_a_rollback(shop: Database) -> None:
    """GIVEN a wrong PIN whose transaction rolled back WHEN record_failure runs THEN the count holds, idempotently."""
    with shop.writing() as s:
        set_pin(s, _user(s, "SUP1"), "4821", actor="test")
    caught: PinError | None = None
    try:
        with shop.writing() as s:
            verify_pin(s, _user(s, "SUP1"), "1111", now=clock.now())
    except PinError as exc:
        caught = exc
    assert caught is not None and caught.user_id is not None
    for _ in range(2):
        with shop.writing() as s:
            record_failure(s, caught.user_id, caught.failures, now=clock.now())
    with shop.reading() as s:
        assert _user(s, "SUP1").pin_failures == 1


def test_check_approver_role_four_eyes_and_pin(shop: Database) -> None:
    """GIVEN approvers WHEN checked THEN a technician is role_denied, the doer four_eyes, a wrong PIN bad_pin."""
    roles = RoleTable()
    with shop.writing() as s:
        sup = _user(s, "SUP1")
        set_pin(s, sup, "4821", actor="test")
        set_pin(s, _user(s, "T001"), "1111", actor="test")
        with pytest.raises(NotAllowed):
            check_approver(s, "T001", "1111", doer_id=None, act="approve_count", roles=roles)
        with pytest.raises(PinError) as exc:
            check_approver(s, "U:SUP1", "4821", doer_id=[None, sup.id], act="approve_count", roles=roles)
        assert exc.value.code == "four_eyes"
        with pytest.raises(PinError) as exc:
            check_approver(s, sup, "9999", doer_id=None, act="approve_count", roles=roles)
        assert exc.value.code == "bad_pin"
        assert check_approver(s, "SUP1", "4821", doer_id=_user(s, "T001").id, act="approve_count", roles=roles) is sup


def test_cli_set_pin_reads_stdin(shop: Database, tmp_path: Path) -> None:
    """GIVEN `floor users set-pin SUP1` with the PIN on stdin WHEN run THEN the PIN verifies; a bad one fails clearly."""
    conf = tmp_path / "floor.toml"
    conf.write_text(f'[database]\nurl = "{shop.url}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["users", "set-pin", "SUP1", "--config", str(conf)], input="4821\n")
    assert result.exit_code == 0, result.output
    assert "Chen Jie" in result.output and "4821" not in result.output
    with shop.writing() as s:
        verify_pin(s, _user(s, "SUP1"), "4821", now=clock.now())
    bad = CliRunner().invoke(main, ["users", "set-pin", "SUP1", "--config", str(conf)], input="12\n")
    assert bad.exit_code != 0 and "4 to 12 digits" in bad.output
    unknown = CliRunner().invoke(main, ["users", "set-pin", "NOBODY", "--config", str(conf)], input="1234\n")
    assert unknown.exit_code != 0 and "NOBODY" in unknown.output
