"""The udev rules parse as udev reads them and name only real sysfs attributes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

UDEV = Path(__file__).resolve().parents[2] / "udev"
RULE_FILES = sorted(UDEV.glob("*.rules"))
MATCH_KEYS = {
    "ACTION",
    "DEVPATH",
    "KERNEL",
    "KERNELS",
    "SUBSYSTEM",
    "SUBSYSTEMS",
    "DRIVER",
    "DRIVERS",
    "ATTR",
    "ATTRS",
    "ENV",
    "TAG",
    "TAGS",
    "TEST",
    "PROGRAM",
    "RESULT",
    "NAME",
    "SYMLINK",
}
ASSIGN_KEYS = {
    "ENV",
    "TAG",
    "SYMLINK",
    "GROUP",
    "OWNER",
    "MODE",
    "NAME",
    "RUN",
    "IMPORT",
    "OPTIONS",
    "GOTO",
    "LABEL",
    "ATTR",
}
# sysfs attribute names of USB devices and interfaces that rules commonly match.
SYSFS_ATTRS = {
    "idVendor",
    "idProduct",
    "serial",
    "manufacturer",
    "product",
    "bcdDevice",
    "bInterfaceClass",
    "bInterfaceSubClass",
    "bInterfaceProtocol",
    "bInterfaceNumber",
    "bDeviceClass",
    "busnum",
    "devnum",
    "devpath",
    "interface",
    "speed",
}
KEYS_WITH_ATTR = {"ATTR", "ATTRS", "ENV", "IMPORT", "TEST"}
TOKEN = re.compile(r'(?P<key>[A-Z_]+)(?:\{(?P<attr>[^}]+)\})?(?P<op>==|!=|\+=|-=|:=|=)"(?P<val>[^"]*)"')


def parse_line(line: str) -> list[tuple[str, str | None, str, str]]:
    """Split one rule line into (key, attr, operator, value), failing on anything udev would reject."""
    tokens = []
    pos = 0
    while pos < len(line):
        m = TOKEN.match(line, pos)
        assert m, f"cannot parse at column {pos}: {line[pos:]!r}"
        tokens.append((m["key"], m["attr"], m["op"], m["val"]))
        pos = m.end()
        if pos < len(line):
            assert line[pos : pos + 2] == ", ", f"expected ', ' between keys at column {pos}: {line!r}"
            pos += 2
    return tokens


def rules(path: Path) -> list[list[tuple[str, str | None, str, str]]]:
    """Every rule of a file, parsed."""
    return [parse_line(line) for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]


def test_rule_files_exist() -> None:
    """GIVEN the udev folder
    WHEN it is listed
    THEN there is at least one rules file and the reader unit template."""
    assert RULE_FILES
    assert (UDEV / "floor-reader@.service").is_file()


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_rule_parses_with_valid_keys_and_operators(path: Path) -> None:
    """GIVEN each rule line
    WHEN parsed into key, attribute, operator and quoted value
    THEN keys are udev keys used with a fitting operator, and attributes appear only where allowed."""
    for rule in rules(path):
        for key, attr, op, _ in rule:
            if op in ("==", "!="):
                assert key in MATCH_KEYS, f"{key} cannot be matched"
            else:
                assert key in ASSIGN_KEYS, f"{key} cannot be assigned"
            assert (attr is not None) == (key in KEYS_WITH_ATTR), f"{key}{{{attr}}}"


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_attrs_name_real_sysfs_attributes_and_vendor_ids_are_hex(path: Path) -> None:
    """GIVEN every ATTR/ATTRS key
    WHEN its attribute name is checked
    THEN it is a real sysfs attribute, and idVendor/idProduct values are 4 lower-case hex digits."""
    seen = 0
    for rule in rules(path):
        for key, attr, _, val in rule:
            if key in ("ATTR", "ATTRS"):
                seen += 1
                assert attr in SYSFS_ATTRS, f"unknown sysfs attribute {attr!r}"
                if attr in ("idVendor", "idProduct"):
                    assert re.fullmatch(r"[0-9a-f]{4}", val), val
    assert seen > 0


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_gotos_have_labels_and_floor_essentials_are_set(path: Path) -> None:
    """GIVEN the whole file
    WHEN gotos, labels and assignments are collected
    THEN every GOTO has its LABEL, and the group, ModemManager ignore, systemd tag and wants are there."""
    parsed = [tok for rule in rules(path) for tok in rule]
    labels = {v for k, _, _, v in parsed if k == "LABEL"}
    assert all(v in labels for k, _, _, v in parsed if k == "GOTO")
    assert ("GROUP", None, "=", "floor") in parsed
    assert ("ENV", "ID_MM_DEVICE_IGNORE", "=", "1") in parsed
    assert ("TAG", None, "+=", "systemd") in parsed
    wants = [v for k, a, _, v in parsed if (k, a) == ("ENV", "SYSTEMD_WANTS")]
    assert wants and all(w.startswith("floor-reader@") and w.endswith(".service") for w in wants)
    assert any(k == "SYMLINK" and v.startswith("floor/") for k, _, _, v in parsed)


def test_bad_lines_are_caught_by_the_parser() -> None:
    """GIVEN lines with a missing quote, a missing comma and a stray word
    WHEN parsed
    THEN each is refused, so the checks above have teeth."""
    for bad in ['SUBSYSTEM=="tty, GROUP="floor"', 'SUBSYSTEM=="tty" GROUP="floor"', 'junk, GROUP="floor"']:
        with pytest.raises(AssertionError):
            parse_line(bad)
