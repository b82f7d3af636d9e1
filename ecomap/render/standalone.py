"""The standalone interactive HTML of a map, made with pyvis, that opens with no internet.

pyvis (``cdn_resources="in_line"``) puts vis-network inside the page. It also links
Bootstrap from the web for menus we do not use, so those links are removed; and it
escapes nothing, so only data goes in: names travel as JSON with ``<``, ``>`` and ``&``
escaped, and are drawn as canvas text. The rings and Hartman's marks are drawn by the
same script as the app's map (``draw.js``).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from ecomap.i18n import Translator, translator
from ecomap.model import EcoMap
from ecomap.render.interactive import full_edge, full_node, vis_data

__all__ = ["drawing_js", "script_json", "standalone_html"]

_BOOTSTRAP = re.compile(r"<(link|script)\b[^>]*https?://[^>]*>(\s*</script>)?", re.IGNORECASE)
_NODE_KEYS = (
    "label",
    "x",
    "y",
    "shape",
    "size",
    "borderWidth",
    "color",
    "shapeProperties",
    "font",
    "widthConstraint",
    "fixed",
    "shadow",
)
_EDGE_KEYS = ("width", "dashes", "color", "arrows")


def drawing_js() -> str:
    """The shared drawing script (rings, stress ticks, the cut-off break)."""
    return (Path(__file__).with_name("draw.js")).read_text(encoding="utf-8")


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


def standalone_html(m: EcoMap, *, t: Translator | None = None) -> str:
    """A complete HTML page with the interactive map, working offline.

    >>> from ecomap.model import example
    >>> page = standalone_html(example())
    >>> re.search(r"(src|href)=.?https?:", page) is None, "vis.Network" in page
    (True, True)
    """
    from pyvis.network import Network

    t = t or translator()
    data = vis_data(m, t=t)
    net = Network(height="92vh", width="100%", directed=False, cdn_resources="in_line", notebook=False)
    edges = [full_edge(edge, data) for edge in data["edges"]]
    for node in (full_node(node, data) for node in data["nodes"]):
        net.add_node(str(node["id"]), **{k: node[k] for k in _NODE_KEYS if k in node}, physics=False)
    for edge in edges:
        net.add_edge(str(edge["from"]), str(edge["to"]), **{k: edge[k] for k in _EDGE_KEYS})
    net.set_options(
        json.dumps(
            {
                "physics": {"enabled": False},
                "interaction": {"dragView": True, "zoomView": True, "hover": False},
                "edges": {"smooth": False},
                "layout": {"improvedLayout": False},
            }
        )
    )
    page = net.generate_html(notebook=False)
    page = _BOOTSTRAP.sub("", page)
    marks = {
        "rings": data["rings"],
        "radius": data["radius"],
        "stressColour": data["stressColour"],
        "backgroundColour": data["backgroundColour"],
        "edges": [{k: e[k] for k in ("from", "to", "stressful", "breakMark", "color")} for e in edges],
    }
    title = f"<title>{html.escape(t('Ecomap'))}: {html.escape(m.person.called)}</title>"
    extra = (
        "<script>\n" + drawing_js() + "\nconst ecomapMarks = " + script_json(marks) + ";\n"
        "const ecomapEdges = { get: () => ecomapMarks.edges };\n"
        "network.on('beforeDrawing', (ctx) => drawRings(ctx, ecomapMarks));\n"
        "network.on('afterDrawing', (ctx) => drawMarks(ctx, network, ecomapEdges, ecomapMarks));\n"
        "network.redraw();\n</script>\n"
    )
    page = page.replace("<head>", '<head>\n<meta charset="utf-8">\n' + title, 1)
    return page.replace("</body>", extra + "</body>", 1)
