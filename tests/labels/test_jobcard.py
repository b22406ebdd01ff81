"""The printed job card of a repair order (SPEC 10.2, 10.3): concerns, lines, an OP: barcode per labour line."""

from __future__ import annotations

from collections import Counter

from floor import clock
from floor.core.repair.concerns import add_concern
from floor.db import Database
from floor.labels.service import make_label, render_label
from tests.labels.helpers import decode_zxing, png_image
from tests.repair_factories import ROLES, add_line, answer, job_of, load_repair_shop, person


def test_job_card_lists_concerns_and_lines_with_an_op_barcode_per_labour_line(shop: Database) -> None:
    """GIVEN a job with a concern, two labour lines (one declined), a part line WHEN its card is laid out THEN it
    says the concern and every line, and carries WO: and OP:<id> of the labour line not declined; the PNG decodes."""
    load_repair_shop(shop)
    with shop.writing() as s:
        add_concern(s, job_of(s, "1001"), "刹车异响 Squeal", person(shop, "ADV1"), "U:ADV1", clock.now(), roles=ROLES)
    brakes = add_line(shop, "1001", kind="labour", op="BRK-FRT", pay="customer")[0]
    pads = add_line(shop, "1001", kind="part", part_no="BP-400", qty=2, pay="customer")[0]
    diag = add_line(shop, "1001", kind="labour", op="DIAG", pay="warranty")[0]
    answer(shop, "1001", [brakes, pads], [diag])
    with shop.reading() as s:
        label = make_label(s, "jobcard", "WO:1001")
        png = render_label(s, "jobcard", "1001", "png")
    assert label.payloads == ["WO:1001", f"OP:{brakes}"]
    words = [e.text for p in label.pages for e in p.elements if hasattr(e, "text")]
    assert any("刹车异响" in w for w in words)
    assert any("BRK-FRT" in w and "1.20 h" in w for w in words)
    assert any("BP-400" in w and "x2" in w for w in words)
    assert any("DIAG" in w and "declined" in w for w in words)
    assert isinstance(png, bytes)
    assert Counter(decode_zxing(png_image(png))) == Counter(label.payloads)


def test_a_long_job_card_runs_over_pages_with_the_job_on_each(shop: Database) -> None:
    """GIVEN 12 labour lines WHEN the card is laid out THEN it has several pages, each with WO:, every OP: once."""
    load_repair_shop(shop)
    ids = [add_line(shop, "1001", kind="labour", op="OIL-CHG", pay="internal")[0] for _ in range(12)]
    with shop.reading() as s:
        label = make_label(s, "jobcard", "1001")
    assert len(label.pages) > 1
    assert label.payloads.count("WO:1001") == len(label.pages)
    assert [p for p in label.payloads if p.startswith("OP:")] == [f"OP:{i}" for i in ids]
