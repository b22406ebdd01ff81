"""Pictures for the kiosk as plain SVG text: the ABC Pareto curve and counting progress by zone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from floor.core.counts.abc import AbcResult

FONT = "font-family='Noto Sans CJK SC, Noto Sans, DejaVu Sans, sans-serif'"
COLORS = {"A": "#c0392b", "B": "#e6a117", "C": "#2e86c1", "done": "#27ae60", "todo": "#d5d8dc", "recount": "#e67e22"}


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-label='{escape(title)}'>"
        f"<title>{escape(title)}</title><rect width='100%' height='100%' fill='white'/>" + "".join(body) + "</svg>"
    )


def pareto_svg(result: AbcResult, width: int = 640, height: int = 360) -> str:
    """The Pareto curve: cumulative % of issue value over % of parts, bands coloured by computed class."""
    left, right, top, bottom = 56, 16, 36, 44
    w, h = width - left - right, height - top - bottom
    n = len(result.rows)
    body = [
        f"<text x='{left}' y='22' {FONT} font-size='16' font-weight='bold'>"
        f"ABC — 12-month issue value / 12个月领用金额 ({result.total.quantize(Decimal('0.01'))})"
        "</text>"
    ]
    # class bands along the x axis
    start = 0
    for cls in "ABC":
        k = sum(1 for r in result.rows if r.computed == cls)
        if k and n:
            x0, x1 = left + w * start / n, left + w * (start + k) / n
            body.append(
                f"<rect x='{x0:.1f}' y='{top}' width='{x1 - x0:.1f}' height='{h}' fill='{COLORS[cls]}' "
                f"fill-opacity='0.12'/><text x='{(x0 + x1) / 2:.1f}' y='{top + 18}' {FONT} font-size='14' "
                f"text-anchor='middle' fill='{COLORS[cls]}'>{cls} ({k})</text>"
            )
        start += k
    for pct in (0, 20, 40, 60, 80, 100):
        y = top + h - h * pct / 100
        body.append(
            f"<line x1='{left}' x2='{left + w}' y1='{y:.1f}' y2='{y:.1f}' stroke='#ccc' stroke-width='0.5'/>"
            f"<text x='{left - 6}' y='{y + 4:.1f}' {FONT} font-size='11' text-anchor='end'>{pct}%</text>"
        )
        x = left + w * pct / 100
        body.append(f"<text x='{x:.1f}' y='{top + h + 16}' {FONT} font-size='11' text-anchor='middle'>{pct}%</text>")
    body.append(
        f"<text x='{left + w / 2}' y='{height - 8}' {FONT} font-size='12' text-anchor='middle'>"
        "parts, by issue value / 配件（按领用金额排序）</text>"
    )
    points = [f"{left},{top + h}"]
    for i, r in enumerate(result.rows, 1):
        points.append(f"{left + w * i / n:.1f},{top + h - h * r.cumulative / 100:.1f}")
    if n:
        body.append(f"<polyline points='{' '.join(points)}' fill='none' stroke='#222' stroke-width='2'/>")
    body.append(f"<rect x='{left}' y='{top}' width='{w}' height='{h}' fill='none' stroke='#555'/>")
    return _svg(width, height, body, "ABC Pareto curve")


def progress_svg(progress: dict[str, Any], width: int = 640) -> str:
    """Counting progress: one bar per zone, bins counted of bins in the count (no quantities shown)."""
    zones = progress["zones"]
    row_h, top, left = 34, 40, 90
    height = top + row_h * max(1, len(zones)) + 16
    w = width - left - 110
    title = (
        f"Count {progress['id']}: {progress['bins_counted']}/{progress['bins']} bins — "
        f"盘点单 {progress['id']}：已盘 {progress['bins_counted']}/{progress['bins']} 个库位"
    )
    body = [f"<text x='12' y='24' {FONT} font-size='16' font-weight='bold'>{escape(title)}</text>"]
    for i, z in enumerate(zones):
        y = top + i * row_h
        done = z["counted"] / z["bins"] if z["bins"] else 0
        re = z["recounted"] / z["bins"] if z["bins"] else 0
        body.append(
            f"<text x='{left - 8}' y='{y + 19}' {FONT} font-size='14' text-anchor='end'>{escape(z['zone'])}</text>"
            f"<rect x='{left}' y='{y + 4}' width='{w}' height='22' fill='{COLORS['todo']}'/>"
            f"<rect x='{left}' y='{y + 4}' width='{w * done:.1f}' height='22' fill='{COLORS['done']}'/>"
            f"<rect x='{left}' y='{y + 4}' width='{w * re:.1f}' height='6' fill='{COLORS['recount']}'/>"
            f"<text x='{left + w + 8}' y='{y + 19}' {FONT} font-size='13'>{z['counted']}/{z['bins']}"
            f" ({done * 100:.0f}%)</text>"
        )
    return _svg(width, height, body, title)
