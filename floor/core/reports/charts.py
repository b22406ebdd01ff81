"""Report pictures as plain SVG text (server-rendered, no scripts, no styles): sparklines and bar charts."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from floor.core.counts.charts import COLORS, FONT, _svg

INK = "#1f2d3d"
MUTED = "#8a96a3"


def sparkline_svg(values: Sequence[float | None], title: str, width: int = 220, height: int = 56) -> str:
    """A 12-month trend: a line through the known values, gaps where a month has none, the last point marked."""
    pad = 6
    known = [v for v in values if v is not None]
    body: list[str] = []
    if known:
        lo, hi = min(known), max(known)
        span = (hi - lo) or 1.0
        n = max(1, len(values) - 1)
        pts: list[list[str]] = [[]]
        last: tuple[float, float] | None = None
        for i, v in enumerate(values):
            if v is None:
                pts.append([])
                continue
            x = pad + (width - 2 * pad) * i / n
            y = height - pad - (height - 2 * pad) * (v - lo) / span
            pts[-1].append(f"{x:.1f},{y:.1f}")
            last = (x, y)
        for run in pts:
            if len(run) > 1:
                body.append(f"<polyline points='{' '.join(run)}' fill='none' stroke='{INK}' stroke-width='2'/>")
        if last:
            body.append(f"<circle cx='{last[0]:.1f}' cy='{last[1]:.1f}' r='3.5' fill='{COLORS['A']}'/>")
    else:
        body.append(
            f"<text x='{width / 2}' y='{height / 2 + 4}' {FONT} font-size='12' text-anchor='middle' fill='{MUTED}'>—</text>"
        )
    return _svg(width, height, body, title)


def bars_svg(
    items: Sequence[tuple[str, float]], title: str, unit: str = "", width: int = 560, percent: bool = False
) -> str:
    """Horizontal bars, one per (label, value), the value written at the bar's end."""
    row_h, top, left = 30, 36, 130
    height = top + row_h * max(1, len(items)) + 12
    w = width - left - 110
    peak = max((v for _, v in items), default=0) or 1
    body = [f"<text x='12' y='24' {FONT} font-size='16' font-weight='bold'>{escape(title)}</text>"]
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        frac = value if percent else value / peak
        shown = f"{value * 100:.1f}%" if percent else f"{value:,.2f}{unit}" if unit else f"{value:,.0f}"
        body.append(
            f"<text x='{left - 8}' y='{y + 18}' {FONT} font-size='13' text-anchor='end'>{escape(label)}</text>"
            f"<rect x='{left}' y='{y + 4}' width='{w}' height='20' fill='{COLORS['todo']}'/>"
            f"<rect x='{left}' y='{y + 4}' width='{w * max(0.0, min(1.0, frac)):.1f}' height='20' fill='{COLORS['C']}'/>"
            f"<text x='{left + w + 8}' y='{y + 18}' {FONT} font-size='13'>{escape(shown)}</text>"
        )
    if not items:
        body.append(f"<text x='{left}' y='{top + 18}' {FONT} font-size='13' fill='{MUTED}'>—</text>")
    return _svg(width, height, body, title)


def pareto_classes_svg(items: Sequence[tuple[str, float]], title: str, width: int = 560, height: int = 300) -> str:
    """Stock value by ABC class: a bar per class (largest first) and the cumulative share as a line."""
    left, right, top, bottom = 40, 50, 56, 36
    w, h = width - left - right, height - top - bottom
    total = sum(v for _, v in items) or 1.0
    peak = max((v for _, v in items), default=0) or 1.0
    body = [f"<text x='12' y='24' {FONT} font-size='16' font-weight='bold'>{escape(title)}</text>"]
    n = max(1, len(items))
    slot = w / n
    cum = 0.0
    points: list[str] = []
    for i, (cls, value) in enumerate(items):
        x = left + slot * i + slot * 0.15
        bh = h * value / peak
        color = COLORS.get(cls, MUTED)
        cum += value
        body.append(
            f"<rect x='{x:.1f}' y='{top + h - bh:.1f}' width='{slot * 0.7:.1f}' height='{bh:.1f}' fill='{color}'/>"
            f"<text x='{x + slot * 0.35:.1f}' y='{top + h + 18}' {FONT} font-size='14' text-anchor='middle'>"
            f"{escape(cls)}</text>"
            f"<text x='{x + slot * 0.35:.1f}' y='{top + h - bh - 6:.1f}' {FONT} font-size='12' text-anchor='middle'>"
            f"{value:,.0f}</text>"
        )
        points.append(f"{left + slot * (i + 0.5):.1f},{top + h - h * cum / total:.1f}")
    for pct in (0, 50, 100):
        y = top + h - h * pct / 100
        body.append(
            f"<line x1='{left}' x2='{left + w}' y1='{y:.1f}' y2='{y:.1f}' stroke='#ccc' stroke-width='0.5'/>"
            f"<text x='{left + w + 6}' y='{y + 4:.1f}' {FONT} font-size='11'>{pct}%</text>"
        )
    if len(points) > 1:
        body.append(f"<polyline points='{' '.join(points)}' fill='none' stroke='{INK}' stroke-width='2'/>")
    body.append(f"<rect x='{left}' y='{top}' width='{w}' height='{h}' fill='none' stroke='#555'/>")
    return _svg(width, height, body, title)


def paired_bars_svg(
    labels: Sequence[str],
    first: Sequence[float | None],
    second: Sequence[float | None],
    names: tuple[str, str],
    title: str,
    width: int = 560,
    height: int = 260,
) -> str:
    """Two bars per label (e.g. per month: credited and owed), a legend naming the two, the largest value written."""
    left, right, top, bottom = 16, 16, 56, 34
    n = max(1, len(labels))
    slot = (width - left - right) / n
    # Names wider than their slot (a dozen technicians) would run into each other: they are slanted, and the
    # picture grows downwards by what the slant needs.
    widest = max((_text_width(label, 10) for label in labels), default=0.0)
    slanted = widest > slot * 0.95
    if slanted:
        grow = int(widest * 0.6)
        height, bottom = height + grow, bottom + grow
        left += max(0, int(widest * 0.82 - slot * 0.5))  # the first name reaches left of its bars
        slot = (width - left - right) / n
    w, h = width - left - right, height - top - bottom
    peak = max((v or 0.0 for v in (*first, *second)), default=0.0) or 1.0
    colors = (COLORS["done"], COLORS["recount"])
    body = [f"<text x='12' y='24' {FONT} font-size='16' font-weight='bold'>{escape(title)}</text>"]
    for i, (name, color) in enumerate(zip(names, colors, strict=True)):
        key_x = 12 + i * 170
        body.append(
            f"<rect x='{key_x}' y='34' width='12' height='12' fill='{color}'/>"
            f"<text x='{key_x + 18}' y='45' {FONT} font-size='12'>{escape(name)}</text>"
        )
    bar = slot * 0.36
    for i, label in enumerate(labels):
        x = left + slot * i + slot * 0.12
        for j, (series, color) in enumerate(((first, colors[0]), (second, colors[1]))):
            value = series[i] if i < len(series) else None
            bh = h * (value or 0.0) / peak
            body.append(
                f"<rect x='{x + j * bar:.1f}' y='{top + h - bh:.1f}' width='{bar:.1f}' height='{bh:.1f}' fill='{color}'>"
                f"<title>{escape(label)} {escape(names[j])}: {(value or 0.0):,.2f}</title></rect>"
            )
        lx, ly = x + bar, top + h + 16
        if slanted:
            body.append(
                f"<text x='{lx:.1f}' y='{ly}' {FONT} font-size='10' text-anchor='end' "
                f"transform='rotate(-35 {lx:.1f} {ly})'>{escape(label)}</text>"
            )
        else:
            body.append(
                f"<text x='{lx:.1f}' y='{ly}' {FONT} font-size='10' text-anchor='middle'>{escape(label)}</text>"
            )
    body.append(
        f"<line x1='{left}' x2='{left + w}' y1='{top + h}' y2='{top + h}' stroke='#555'/>"
        f"<text x='{left + w}' y='{top - 4}' {FONT} font-size='11' text-anchor='end' fill='{MUTED}'>"
        f"max {peak:,.2f}</text>"
    )
    return _svg(width, height, body, title)


def _text_width(text: str, size: float) -> float:
    """About how wide a label is drawn: a CJK character is a full em, other characters about 0.6 of one."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)
