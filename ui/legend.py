"""The map's legend as small inline pictures with words (our own markup; every text escaped)."""

from __future__ import annotations

import base64
from html import escape

from ecomap.i18n import Translator
from ecomap.render.interactive import legend
from ecomap.render.style import LINE_COLOUR, LINK_LINE, STRENGTH_LINES, STRESS_COLOUR

_SHAPES = {
    "person": '<circle cx="12" cy="12" r="8"/>',
    "group": '<polygon points="20,12 16,19 8,19 4,12 8,5 16,5"/>',
    "organisation": '<rect x="5" y="5" width="14" height="14"/>',
    "place": '<polygon points="12,4 20,19 4,19"/>',
    "pet": '<polygon points="12,3 21,12 12,21 3,12"/>',
}


def _line(key: str) -> str:
    if key == "stressful":
        ticks = "".join(
            f'<line x1="{x}" y1="5" x2="{x + 4}" y2="15" stroke="{STRESS_COLOUR}" stroke-width="2"/>'
            for x in (12, 22, 32)
        )
        return f'<line x1="2" y1="10" x2="46" y2="10" stroke="{LINE_COLOUR}" stroke-width="3"/>{ticks}'
    style = LINK_LINE if key == "link" else STRENGTH_LINES[key]
    dashes = f' stroke-dasharray="{",".join(map(str, style.dashes))}"' if style.dashes else ""
    line = f'<line x1="2" y1="10" x2="46" y2="10" stroke="{LINE_COLOUR}" stroke-width="{style.width}"{dashes}/>'
    if style.break_mark:
        line += (
            '<line x1="20" y1="10" x2="28" y2="10" stroke="#fff" stroke-width="8"/>'
            f'<line x1="17" y1="17" x2="23" y2="3" stroke="{LINE_COLOUR}" stroke-width="2"/>'
            f'<line x1="25" y1="17" x2="31" y2="3" stroke="{LINE_COLOUR}" stroke-width="2"/>'
        )
    return line


def _shape(kind: str) -> str:
    return f'<g fill="#90a4ae" stroke="{LINE_COLOUR}">{_SHAPES[kind]}</g>'


def _picture(width: int, height: int, body: str) -> str:
    """An SVG as an image (st.html keeps images, and the SVG holds none of a person's text)."""
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">{body}</svg>'
    return f'<img alt="" width="{width}" height="{height}" src="data:image/svg+xml;base64,{_b64(svg)}">'


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode("ascii")


def legend_html(t: Translator) -> str:
    """The legend: line styles, arrows, shapes and status, each drawn and named."""
    entries = legend(t)
    items = [f"<li>{_picture(48, 20, _line(key))}{escape(text)}</li>" for key, text in entries["lines"]]
    items += [f"<li>{_picture(24, 24, _shape(key))}{escape(text)}</li>" for key, text in entries["shapes"]]
    arrowheads = t("Arrowheads show which way support flows")
    items.append(f"<li>{escape(arrowheads)}</li>")
    items += [f"<li>{escape(text)}</li>" for _, text in entries["status"] + entries["highlight"]]
    style = (
        "<style>.ecomap-legend{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:4px 16px;"
        "font-size:15px}.ecomap-legend li{display:flex;align-items:center;gap:6px}</style>"
    )
    title = escape(t("How to read the map"))
    return f'{style}<ul class="ecomap-legend" aria-label="{title}">{"".join(items)}</ul>'
