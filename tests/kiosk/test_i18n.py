"""Every kiosk text has its Chinese translation, and the catalog compiles without a build step."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from floor.kiosk.i18n import SOURCE, compile_catalogs

KIOSK = Path(__file__).parents[2] / "floor" / "kiosk"


def _extracted() -> set[str]:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
    return {
        msg
        for _file, _line, msg, _comments, _ctx in extract_from_dir(str(KIOSK), method_map, keywords=keywords)
        if isinstance(msg, str)
    }


def test_every_kiosk_text_is_translated():
    """GIVEN the kiosk's Python and templates WHEN their texts are extracted THEN each has a zh translation."""
    with (SOURCE / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    translated = {m.id for m in catalog if m.id and m.string}
    missing = sorted(_extracted() - translated)
    assert not missing, f"add these to floor/kiosk/translations/zh: {missing}"


def test_catalogs_compile_into_a_cache_folder(tmp_path):
    """GIVEN only the .po files WHEN compiled THEN a .mo appears outside the source tree, named by content."""
    root = compile_catalogs(cache_root=tmp_path)
    mo = root / "zh" / "LC_MESSAGES" / "messages.mo"
    assert mo.is_file() and mo.stat().st_size > 1000
    assert not list(SOURCE.rglob("*.mo"))
    assert compile_catalogs(cache_root=tmp_path) == root


def test_no_text_is_translated_twice():
    """GIVEN the zh catalogue WHEN its msgids are listed THEN none appears twice (branches merged
    side by side would otherwise leave two translations, and the later one silently wins)."""
    text = (SOURCE / "zh" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    ids = []
    for block in text.split("\n\n"):  # an entry's msgid may go on over "..." continuation lines
        lines = block.splitlines()
        starts = [n for n, line in enumerate(lines) if line.startswith("msgid ")]
        if starts:
            rest = lines[starts[0] + 1 :]
            cont = rest[: next((n for n, x in enumerate(rest) if not x.startswith('"')), len(rest))]
            ids.append(lines[starts[0]] + "".join(cont))
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"keep one translation of each: {twice}"
