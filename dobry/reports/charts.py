"""Charts drawn on the server as SVG: no script, readable on old phones, printable. Each
chart names itself for screen readers; the page puts its data table beside it."""

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from dobry.core.numbers import plain_number

WIDTH, HEIGHT, GAP, TOP, BOTTOM = 600, 200, 6, 18, 22


def bar_chart(points: Sequence[tuple[str, Decimal]], *, title: str) -> str:
    """Bars for (label, value) points, each value written above its bar."""
    ceiling = max([value for _label, value in points] + [Decimal(1)])
    count = max(len(points), 1)
    bar = (WIDTH - GAP * (count + 1)) / count
    plot = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for number, (label, value) in enumerate(points):
        height = float(value / ceiling) * plot
        x = GAP + number * (bar + GAP)
        y = TOP + plot - height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
            f'class="chart-bar"><title>{escape(label)}: {plain_number(value)}</title></rect>'
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle" '
            f'class="chart-label">{escape(label)}</text>'
        )
        if value:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{max(y - 4, 12):.1f}" text-anchor="middle" '
                f'class="chart-value">{plain_number(value)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
