"""The standalone interactive HTML of a map: one file that opens in any browser with no internet.

The page is ours, not a template's: a heading, the map filling the window, then the legend and
the map in words. vis-network (the copy shipped inside the pyvis package, as the app uses) and
the drawing shared with the app's map (``draw.js``) are written into the page, so it makes no
request, and a Content-Security-Policy lets nothing else run or load. Names and notes never
become markup in a script: the map travels as JSON with ``<``, ``>`` and ``&`` escaped, and
names are drawn as canvas text. In the heading, the legend and the words every text is escaped.

On load and whenever the window changes size, the view is fitted: the whole of the outer ring,
and a little beyond it (:data:`ecomap.layout.VIEW_EDGE`), sits in the middle of the map's area.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import escape
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ecomap.conversation import summary_line, tie_rows
from ecomap.i18n import Translator, translator
from ecomap.layout import VIEW_EDGE
from ecomap.model import EcoMap
from ecomap.render.interactive import MapData, full_edge, full_node, legend, vis_data
from ecomap.render.style import (
    BACKGROUND,
    HOPED_FOR_OPACITY,
    LINE_COLOUR,
    LINK_COLOUR,
    LINK_LINE,
    PAST_COLOUR,
    PERSON_COLOUR,
    SECTOR_COLOURS,
    STRENGTH_LINES,
    STRESS_COLOUR,
)
from ecomap.vocab import SECTORS

__all__ = ["FIT_MARGIN_PX", "PageData", "drawing_js", "script_json", "standalone_html", "vis_network_path"]

#: The space left between the fitted map and the edges of its area, in CSS pixels.
FIT_MARGIN_PX = 8
#: The legend's groups that the standalone page draws (it highlights no findings).
_LEGEND_GROUPS = ("lines", "arrows", "shapes", "status")


class PageData(MapData):
    """What the page's script reads: the map's data with every node and edge filled in, and the fit.

    The view shows ``viewEdge`` times ``radius`` from the centre in every direction, with
    ``marginPx`` to spare.
    """

    viewEdge: float
    marginPx: int


def drawing_js() -> str:
    """The shared drawing script (rings, stress ticks, the cut-off break)."""
    return (Path(__file__).with_name("draw.js")).read_text(encoding="utf-8")


def vis_network_path() -> Path:
    """vis-network's JavaScript as shipped inside the installed pyvis package (found without importing it)."""
    spec = find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("pyvis is not installed: it ships the vis-network the map is drawn with")
    return Path(spec.origin).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element, whatever the strings hold.

    >>> script_json({"name": "</script><script>alert(1)</script>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# -- the page's script and style ---------------------------------------------------------------------

#: Builds the network from the page's data and keeps the whole map fitted to its area.
_PAGE_JS = """
(() => {
  const data = JSON.parse(document.getElementById("ecomap-data").textContent);
  const container = document.getElementById("ecomap-map");
  const edges = new vis.DataSet(data.edges);
  const network = new vis.Network(container, { nodes: new vis.DataSet(data.nodes), edges }, {
    autoResize: false,
    physics: false,
    layout: { improvedLayout: false },
    interaction: { dragView: true, zoomView: true, hover: false, keyboard: false, selectConnectedEdges: false },
    nodes: { chosen: false, labelHighlightBold: false },
    edges: { smooth: false, chosen: false, arrows: { to: { scaleFactor: 0.9 }, from: { scaleFactor: 0.9 } } },
  });
  function fit() {
    const width = container.clientWidth;
    const height = container.clientHeight;
    if (!width || !height) return;
    network.setSize(`${width}px`, `${height}px`);
    const scale = Math.max(0.01, (Math.min(width, height) / 2 - data.marginPx) / (data.radius * data.viewEdge));
    network.moveTo({ position: { x: 0, y: 0 }, scale, animation: false });
    container.dataset.fitted = `${width}x${height}`;
  }
  network.on("beforeDrawing", (ctx) => drawRings(ctx, data));
  network.on("afterDrawing", (ctx) => drawMarks(ctx, network, edges, data));
  new ResizeObserver(fit).observe(container);
  window.addEventListener("resize", fit);
  fit();
  container.ecomapNetwork = network;
  window.network = network; // as pyvis named it, for tools that read an exported page
})();
"""

_PAGE_CSS = """
html, body { margin: 0; padding: 0; }
body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #111; background: #fff; }
.ecomap-screen { display: flex; flex-direction: column; height: 100vh; height: 100dvh; }
.ecomap-screen > header { flex: none; display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 16px;
  padding: 6px 12px; border-bottom: 1px solid #d0d7de; }
h1 { margin: 0; font-size: 1.2rem; overflow-wrap: anywhere; }
nav a { color: #1f4b99; margin-right: 12px; }
#ecomap-map { flex: 1 1 0; min-height: 0; position: relative; overflow: hidden; background: #fff; }
main { max-width: 60rem; padding: 0 16px 32px; }
h2 { font-size: 1.1rem; margin: 24px 0 8px; }
.ecomap-legend { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px 20px; }
.ecomap-legend li { display: flex; align-items: center; gap: 8px; }
.ecomap-legend svg { flex: none; }
.ecomap-words, .ecomap-words ul { padding-left: 1.25rem; }
.ecomap-words li { margin: 4px 0; overflow-wrap: anywhere; }
.ecomap-ring { font-weight: bold; }
"""


def _without_source_map(js: str) -> str:
    return re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)


def _script(js: str) -> str:
    """A script to write into the page as it is: refused if its text could end the element early."""
    if re.search(r"</script|<!--", js, re.IGNORECASE):
        raise ValueError("a script written into the page must not hold '</script' or '<!--'")
    return js


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


# -- the legend ----------------------------------------------------------------------------------------

_SHAPES = {
    "person": '<circle cx="12" cy="12" r="8"/>',
    "group": '<polygon points="20,12 16,19 8,19 4,12 8,5 16,5"/>',
    "organisation": '<rect x="5" y="5" width="14" height="14"/>',
    "place": '<polygon points="12,4 20,19 4,19"/>',
    "pet": '<polygon points="12,3 21,12 12,21 3,12"/>',
}
#: Where the arrowheads are for each flow, in a picture with the person (a dot) at its left end.
_ARROWHEADS = {
    "to_person": ('<polygon points="8,10 17,5 17,15"/>',),
    "from_person": ('<polygon points="47,10 38,5 38,15"/>',),
    "both": ('<polygon points="8,10 17,5 17,15"/>', '<polygon points="47,10 38,5 38,15"/>'),
}


def _line_picture(key: str) -> str:
    if key == "stressful":
        ticks = "".join(
            f'<line x1="{x}" y1="4" x2="{x + 4}" y2="16" stroke="{STRESS_COLOUR}" stroke-width="2"/>'
            for x in (12, 22, 32)
        )
        return f'<line x1="2" y1="10" x2="46" y2="10" stroke="{LINE_COLOUR}" stroke-width="3"/>{ticks}'
    style = LINK_LINE if key == "link" else STRENGTH_LINES.get(key)
    if style is None:
        return ""
    colour = LINK_COLOUR if key == "link" else LINE_COLOUR
    dashes = f' stroke-dasharray="{",".join(map(str, style.dashes))}"' if style.dashes else ""
    line = f'<line x1="2" y1="10" x2="46" y2="10" stroke="{colour}" stroke-width="{style.width}"{dashes}/>'
    if style.break_mark:
        line += (
            f'<line x1="20" y1="10" x2="28" y2="10" stroke="{BACKGROUND}" stroke-width="8"/>'
            f'<line x1="17" y1="17" x2="23" y2="3" stroke="{LINE_COLOUR}" stroke-width="2"/>'
            f'<line x1="25" y1="17" x2="31" y2="3" stroke="{LINE_COLOUR}" stroke-width="2"/>'
        )
    return line


def _arrow_picture(key: str) -> str:
    if key not in _ARROWHEADS:
        return ""
    heads = "".join(_ARROWHEADS[key])
    return (
        f'<circle cx="4" cy="10" r="4" fill="{PERSON_COLOUR}"/>'
        f'<line x1="8" y1="10" x2="46" y2="10" stroke="{LINE_COLOUR}" stroke-width="3"/>'
        f'<g fill="{LINE_COLOUR}">{heads}</g>'
    )


def _status_picture(key: str) -> str:
    colour = SECTOR_COLOURS["family"]
    fills = {"hoped_for": (colour, HOPED_FOR_OPACITY, colour), "past": (BACKGROUND, 1.0, PAST_COLOUR)}
    if key not in fills:
        return ""
    fill, opacity, border = fills[key]
    return (
        f'<circle cx="12" cy="12" r="8" fill="{fill}" fill-opacity="{opacity}" stroke="{border}" '
        'stroke-width="2" stroke-dasharray="4,3"/>'
    )


def _picture(group: str, key: str) -> str:
    """The legend's small drawing of one entry, as inline SVG (it holds none of a person's text)."""
    if group == "shapes":
        body = (
            f'<g fill="{LINK_COLOUR}" stroke="{LINE_COLOUR}" stroke-width="1.5">{_SHAPES[key]}</g>'
            if key in _SHAPES
            else ""
        )
        width, height = 24, 24
    else:
        draw = {"lines": _line_picture, "arrows": _arrow_picture, "status": _status_picture}[group]
        body = draw(key)
        width, height = (24, 24) if group == "status" else (48, 20)
    if not body:
        return ""
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" aria-hidden="true" '
        f'focusable="false">{body}</svg>'
    )


def _legend_html(t: Translator) -> str:
    entries = legend(t)
    items = [
        f"<li>{_picture(group, key)}<span>{escape(text)}</span></li>"
        for group in _LEGEND_GROUPS
        for key, text in entries[group]
    ]
    return f'<ul class="ecomap-legend">{"".join(items)}</ul>'


# -- the map in words ----------------------------------------------------------------------------------


def _words_html(m: EcoMap, t: Translator) -> str:
    """Each ring, and in it each tie with every word the map's table has about it (see ``tie_rows``)."""
    shown_elsewhere = {t("Name"), t("Ring")}
    items: dict[str, list[str]] = {sector: [] for sector in SECTORS}
    for tie, row in zip(m.ties, tie_rows(m, t=t), strict=True):
        cells = "; ".join(
            f"{escape(key)}: {escape(value)}" for key, value in row.items() if value and key not in shown_elsewhere
        )
        items[tie.sector].append(
            f'<li class="ecomap-tie"><b>{escape(tie.name)}</b>{": " + cells if cells else ""}</li>'
        )
    rings = []
    for sector, term in SECTORS.items():
        label, ties = t(term.label), items[sector]
        heading = label if ties else t("{sector}: no one on the map yet.", sector=label)
        inner = f"<ul>{''.join(ties)}</ul>" if ties else ""
        rings.append(f'<li><span class="ecomap-ring">{escape(heading)}</span>{inner}</li>')
    if m.links:
        names = {tie.id: tie.name for tie in m.ties}
        stressful = " (" + t("can be stressful") + ")"
        pairs = "; ".join(
            t("{a} and {b}", a=names[a], b=names[b]) + (stressful if link.stressful else "")
            for link in m.links
            for a, b in [link.between]
        )
        who_knows_whom = t("Who knows whom: {pairs}.", pairs=pairs)
        rings.append(f"<li>{escape(who_knows_whom)}</li>")
    return f'<p>{escape(summary_line(m, t=t))}</p><ul class="ecomap-words">{"".join(rings)}</ul>'


# -- the page --------------------------------------------------------------------------------------------


def _page_data(m: EcoMap, *, t: Translator) -> PageData:
    data = vis_data(m, t=t)
    return {
        **data,
        "nodes": [full_node(node, data) for node in data["nodes"]],
        "edges": [full_edge(edge, data) for edge in data["edges"]],
        "viewEdge": VIEW_EDGE,
        "marginPx": FIT_MARGIN_PX,
    }


def standalone_html(m: EcoMap, *, t: Translator | None = None) -> str:
    """A complete HTML page with the interactive map, fitted to the window, that works offline.

    The page is in the reader's language (``t``): its heading, the legend and the map in words,
    a list of the rings with each tie in its ring.

    >>> from ecomap.model import example
    >>> page = standalone_html(example())
    >>> page.startswith("<!DOCTYPE html>"), '<html lang="en">' in page, "<title>Ecomap: Alys Pritchard</title>" in page
    (True, True, True)
    >>> re.search(r"(src|href)=.?https?:", page) is None, "new vis.Network" in page
    (True, True)
    """
    t = t or translator()
    scripts = [
        _script(_without_source_map(vis_network_path().read_text(encoding="utf-8"))),
        _script(drawing_js() + _PAGE_JS),
    ]
    policy = (
        "default-src 'none'; "
        f"script-src {' '.join(_csp_hash(js) for js in scripts)}; "
        f"style-src {_csp_hash(_PAGE_CSS)}; "
        "base-uri 'none'; form-action 'none'"
    )
    title = escape(t("Ecomap: {name}", name=m.person.name))
    legend_title = escape(t("How to read the map"))
    words_title = escape(t("The map in words"))
    return "".join(
        [
            "<!DOCTYPE html>\n",
            f'<html lang="{escape(t.language)}">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n',
            f"<title>{title}</title>\n<style>{_PAGE_CSS}</style>\n</head>\n<body>\n",
            '<div class="ecomap-screen">\n<header>',
            f"<h1>{title}</h1>",
            f'<nav><a href="#ecomap-legend">{legend_title}</a><a href="#ecomap-words">{words_title}</a></nav>',
            "</header>\n",
            f'<div id="ecomap-map" role="img" aria-label="{escape(summary_line(m, t=t))}"></div>\n</div>\n',
            "<main>\n",
            f'<section aria-labelledby="ecomap-legend"><h2 id="ecomap-legend">{legend_title}</h2>',
            _legend_html(t),
            "</section>\n",
            f'<section aria-labelledby="ecomap-words"><h2 id="ecomap-words">{words_title}</h2>',
            _words_html(m, t),
            "</section>\n</main>\n",
            f'<script type="application/json" id="ecomap-data">{script_json(_page_data(m, t=t))}</script>\n',
            *(f"<script>{js}</script>\n" for js in scripts),
            "</body>\n</html>\n",
        ]
    )
