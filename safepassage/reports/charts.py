"""Bar charts as SVG, drawn on the server: no script, no font or image from anywhere else, so a
chart opens the same in a browser, in a report and over Tor."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _

FONT = "DejaVu Sans, Verdana, sans-serif"
BAR = 16
TOP = 34
MAX_LABEL = 38


@dataclass(frozen=True)
class Layout:
    """Wide: labels left of the bars (a screen, a report, the downloaded file). Narrow: each label
    above its bar, so that the text stays readable on a 360-pixel phone."""

    width: int
    label_width: int  # 0: the label goes above the bar
    row: int
    room_for_text: int  # kept right of the longest bar for its figure


WIDE = Layout(640, 220, 24, 230)
NARROW = Layout(340, 0, 42, 150)


@dataclass
class Bar:
    label: str
    value: int | None  # None: hidden
    note: str = ""  # e.g. "at least"
    partial: bool = False  # only the part public sources report is shown; the rest is hidden


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(title: str, bars: list[Bar], *, hidden_text: str | None = None, key: str = "c",
              layout: Layout = WIDE) -> str:
    """A horizontal bar chart; a hidden figure shows as a hatched box saying so. `key` keeps the
    ids of several charts on one page apart."""
    hidden_text = hidden_text or _("hidden")
    height = TOP + layout.row * max(len(bars), 1) + 12
    top = max([b.value or 0 for b in bars] + [1])
    left = layout.label_width or 8
    span = layout.width - left - layout.room_for_text
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<defs><pattern id="{key}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef0f2"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#9aa4ae" stroke-width="2"/></pattern></defs>',
        f'<rect width="{layout.width}" height="{height}" fill="#fff"/>',
        f'<text x="8" y="20" font-size="14" font-weight="bold" fill="#1b1f24">{escape(title)}</text>',
    ]
    if not bars:
        nothing = _("Nothing to show.")
        out.append(f'<text x="8" y="{TOP + 14}" fill="#5b6570">{escape(nothing)}</text>')
    for i, bar in enumerate(bars):
        y = TOP + i * layout.row
        if layout.label_width:
            out.append(f'<text x="{left - 8}" y="{y + 12}" text-anchor="end" fill="#1b1f24">'
                       f"<title>{escape(bar.label)}</title>{escape(_short(bar.label))}</text>")
        else:
            out.append(f'<text x="{left}" y="{y + 12}" fill="#1b1f24">{escape(_short(bar.label, 50))}</text>')
            y += 18
        if bar.value is None:
            out.append(f'<rect x="{left}" y="{y}" width="40" height="{BAR}" fill="url(#{key}-hatch)" '
                       f'stroke="#9aa4ae"/>')
            out.append(f'<text x="{left + 48}" y="{y + 12}" fill="#5b6570" font-style="italic">'
                       f"{escape(hidden_text)}</text>")
            continue
        w = round(span * bar.value / top) if bar.value else 0
        out.append(f'<rect x="{left}" y="{y}" width="{max(w, 1 if bar.value else 0)}" height="{BAR}" '
                   f'fill="#1f5f8b"/>')
        text = f"{bar.note} {bar.value}".strip()
        if bar.partial:
            out.append(f'<rect x="{left + w}" y="{y}" width="24" height="{BAR}" fill="url(#{key}-hatch)" '
                       f'stroke="#9aa4ae"/>')
            w += 24
            text = _("%(figure)s, the rest hidden") % {"figure": text}
        out.append(f'<text x="{left + w + 6}" y="{y + 12}" fill="#1b1f24">{escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out)
