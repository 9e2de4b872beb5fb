"""Small inline SVG charts for the brief: no JavaScript, no network, no plotting library.

Horizontal positions are percentages of the chart's width, so a chart fills its column on a
phone and on a desktop while its text keeps its size (a scaled ``viewBox`` would shrink labels
to nothing on a phone). Sparklines are small and fixed-size.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

INK = "#1f2933"
MUTED = "#7b8794"
ACCENT = "#2457a6"
BAR = "#c5d2e3"
GRID = "#e4e7eb"


def _f(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def columns(
    values: Sequence[float | None],
    labels: Sequence[str],
    highlight: int,
    title: str,
    height: int = 120,
) -> Markup:
    """A column per value (None draws no column), ``labels`` under them, ``highlight`` in the accent
    colour with its value above it."""
    top, bottom = 18, 18  # room for the highlighted value and the labels
    plot = height - top - bottom
    peak = max((v for v in values if v is not None), default=0) or 1
    slot = 100 / len(values)
    parts = [
        f'<svg class="chart" width="100%" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="0" x2="100%" y1="{top + plot}" y2="{top + plot}" stroke="{GRID}"/>',
    ]
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        centre = slot * (i + 0.5)
        if value is not None:
            h = plot * value / peak
            fill = ACCENT if i == highlight else BAR
            parts.append(
                f'<rect x="{_f(slot * i + slot * 0.15)}%" width="{_f(slot * 0.7)}%" '
                f'y="{_f(top + plot - h)}" height="{_f(h)}" fill="{fill}" rx="1.5"/>'
            )
            if i == highlight:
                parts.append(
                    f'<text x="{_f(centre)}%" y="{_f(top + plot - h - 5)}" text-anchor="middle" '
                    f'font-size="11" font-weight="600" fill="{INK}">{value:,.0f}</text>'
                )
        parts.append(
            f'<text x="{_f(centre)}%" y="{height - 4}" text-anchor="middle" font-size="10" '
            f'fill="{INK if i == highlight else MUTED}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(values: Sequence[float | None], title: str, width: int = 84, height: int = 22) -> Markup:
    """A line through the values (gaps where None) with the last one marked."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return Markup("")
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    pad = 3

    def point(i: int, v: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * i / (len(values) - 1)
        y = pad + (height - 2 * pad) * (1 - (v - low) / span) if high != low else height / 2
        return x, y

    segments, current = [], []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(point(i, v))
    if current:
        segments.append(current)
    parts = [
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for seg in segments:
        pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in seg)
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{MUTED}" stroke-width="1.4"/>')
    if values[-1] is not None:
        x, y = point(len(values) - 1, values[-1])
        parts.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="2.6" fill="{ACCENT}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def meter(share: float | None, previous: float | None, title: str, height: int = 12) -> Markup:
    """A 0-100% bar for ``share`` with a tick at ``previous`` (last week)."""
    if share is None:
        return Markup("")
    parts = [
        f'<svg class="meter" width="100%" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="2" width="100%" height="{height - 4}" fill="{GRID}" rx="2"/>',
        f'<rect x="0" y="2" width="{_f(100 * share)}%" height="{height - 4}" fill="{ACCENT}" rx="2"/>',
    ]
    if previous is not None:
        x = _f(min(max(100 * previous, 0.5), 99.5))
        parts.append(f'<line x1="{x}%" x2="{x}%" y1="0" y2="{height}" stroke="{INK}" stroke-width="1.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
