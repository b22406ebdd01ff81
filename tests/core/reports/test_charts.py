"""The paired-bars picture keeps its names readable: slanted when they are wider than their slot, never clipped."""

from __future__ import annotations

import re

from floor.core.reports.charts import paired_bars_svg

NAMES = ["Chen Ming", "Huang Qiang", "Liu Hua", "Liu Jie", "Sun Tao", "Wu Fang", "Wu Wei", "Yang Hua", "Zhou Bo"]


def _labels(svg: str) -> list[str]:
    return re.findall(r"<text x='([\d.]+)' y='[\d.]+' [^>]*font-size='10'[^>]*>", svg)


def test_a_few_short_names_stand_level_under_their_bars():
    """GIVEN three short names WHEN drawn THEN they are level (no rotation) and the picture keeps its height."""
    svg = paired_bars_svg(["A", "B", "C"], [1, 2, 3], [1, 1, 1], ("x", "y"), "t")
    assert "rotate(" not in svg and "height='260'" in svg and len(_labels(svg)) == 3


def test_a_dozen_names_are_slanted_and_the_picture_grows_to_hold_them():
    """GIVEN thirteen technicians' names (wider than their slots) WHEN drawn THEN each is slanted, the picture is
    taller than the level one, and the first name's start stays inside the picture."""
    names = [*NAMES, "Zhou Min", "Zhou Tao", "Zhu Tao", "欧阳建国"]
    svg = paired_bars_svg(names, [5.0] * 13, [2.0] * 13, ("clocked", "sold"), "Technicians")
    assert svg.count("rotate(-35") == 13
    height = int(re.search(r"height='(\d+)'", svg).group(1))
    assert height > 260
    first_x = float(_labels(svg)[0])
    assert first_x - len("Chen Ming") * 6 * 0.82 >= 0  # the slanted name's start, left of its anchor
