"""The interactive map's data: vis-network nodes and edges, rings and legend, from a map.

The component in the app and the standalone HTML export both draw from this. Only
data leaves here, never HTML: names become canvas text, and nothing is parsed as markup.

Examples
--------
>>> from ecomap.model import example
>>> data = vis_data(example())
>>> [n["id"] for n in data["nodes"]]
['@person', 't1']
>>> edge = data["edges"][0]
>>> edge["width"], edge["arrows"], edge["strength"]
(7, {'from': {'enabled': True}, 'to': {'enabled': True}}, 'strong')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ecomap.analysis import Finding
from ecomap.graph import PERSON
from ecomap.i18n import Translator, translator
from ecomap.layout import RINGS, Spot, place, to_xy
from ecomap.model import EcoMap, Tie
from ecomap.render.style import (
    ASSET_HALO,
    EMPTY_SEAT_ANGLE,
    GAP_MARKER,
    HOPED_FOR_OPACITY,
    KIND_SHAPES,
    LINE_COLOUR,
    LINK_LINE,
    PAST_COLOUR,
    PERSON_COLOUR,
    RING_FILLS,
    SECTOR_COLOURS,
    STRENGTH_LINES,
    STRESS_COLOUR,
)
from ecomap.vocab import FLOWS, KINDS, SECTORS, STRENGTHS

#: The map's radius in vis-network's world units; the view is scaled to fit.
WORLD_RADIUS = 500
LABEL_WIDTH = 150
FONT_SIZE = 28
#: Arial's metrics where the tablet has it; DejaVu Sans Condensed is as wide where it has not.
FONT_FACE = "Arial, 'Liberation Sans', 'DejaVu Sans Condensed', sans-serif"

_ARROWS = {
    "to_person": {"from": {"enabled": True}},
    "from_person": {"to": {"enabled": True}},
    "both": {"from": {"enabled": True}, "to": {"enabled": True}},
    "none": {},
}


def _alpha(colour: str, opacity: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{opacity})"


#: What every node shares, set once in the network's options rather than on each node.
NODE_DEFAULTS: dict[str, Any] = {
    "size": 16,
    "borderWidth": 2,
    "shapeProperties": {"borderDashes": False},
    "font": {
        "size": FONT_SIZE,
        "face": FONT_FACE,
        "color": "#111111",
        "strokeWidth": 5,
        "strokeColor": "#ffffff",
        "bold": {"mod": ""},
    },
    "widthConstraint": {"maximum": LABEL_WIDTH},
    "shadow": {"enabled": False},
    "gapMarker": False,
}


def full_node(node: Mapping[str, Any], defaults: Mapping[str, Any] = NODE_DEFAULTS) -> dict[str, Any]:
    """A node with every default filled in (the app's map does the same in the browser).

    >>> full_node({"id": "t1", "font": {"color": "#999999"}})["font"]["size"]
    28
    """
    full = dict(node)
    for key, value in defaults.items():
        if key not in full:
            full[key] = value
        elif isinstance(value, dict) and isinstance(full[key], dict):
            full[key] = {**value, **full[key]}
    return full


def _tie_node(tie: Tie, spot: Spot, *, selected: bool) -> dict[str, Any]:
    colour = PAST_COLOUR if tie.status == "past" else SECTOR_COLOURS[tie.sector]
    opacity = HOPED_FOR_OPACITY if tie.status == "hoped_for" else 1.0
    node: dict[str, Any] = {
        "id": tie.id,
        "label": tie.name,
        "x": round(spot.x * WORLD_RADIUS, 1),
        "y": round(spot.y * WORLD_RADIUS, 1),
        "shape": KIND_SHAPES[tie.kind],
        "color": {
            "background": _alpha(colour, opacity) if tie.status != "past" else "#ffffff",
            "border": PERSON_COLOUR if selected else _alpha(colour, max(opacity, 0.6)),
        },
        "sector": tie.sector,
    }
    if selected:
        node["borderWidth"] = 4
    if tie.status != "current":
        node["shapeProperties"] = {"borderDashes": [5, 4]}
        node["font"] = {"color": _alpha("#000000", 0.55)}
        node["status"] = tie.status
    return node


def _tie_edge(tie: Tie) -> dict[str, Any]:
    line = STRENGTH_LINES[tie.strength]
    faint = tie.status != "current"
    colour = PAST_COLOUR if tie.status == "past" else LINE_COLOUR
    return {
        "id": f"tie:{tie.id}",
        "from": PERSON,
        "to": tie.id,
        "width": line.width,
        "dashes": list(line.dashes) if line.dashes else (faint and [6, 6]) or False,
        "color": {"color": _alpha(colour, HOPED_FOR_OPACITY) if tie.status == "hoped_for" else colour},
        "arrows": _ARROWS[tie.flow],
        "strength": tie.strength,
        "stressful": tie.stressful,
        "breakMark": line.break_mark,
        "kind": "tie",
    }


def vis_data(
    m: EcoMap,
    *,
    t: Translator | None = None,
    selected: str | None = None,
    link_from: str | None = None,
    highlight: Sequence[Finding] = (),
    spots: Mapping[str, Spot] | None = None,
) -> dict[str, Any]:
    """Everything the interactive map draws, as JSON-ready data.

    ``selected`` marks the tie being edited; ``link_from`` the tie a new link starts from.
    ``highlight`` holds the findings to show (see :func:`ecomap.analysis.findings`): ties that are
    assets get a halo, ties with an area to explore a dashed marker, and a family or community
    ring with no one in it an empty seat. ``spots`` is the layout, when the caller has kept it
    (see :func:`ecomap.layout.layout_key`).
    """
    t = t or translator()
    spots = spots if spots is not None else place(m)
    nodes: list[dict[str, Any]] = [
        {
            "id": PERSON,
            "label": m.person.called,
            "x": 0,
            "y": 0,
            "shape": "dot",
            "size": 26,
            "color": {"background": PERSON_COLOUR, "border": PERSON_COLOUR},
            "font": {"size": FONT_SIZE + 4, "strokeWidth": 6},
            "fixed": True,
            "kind": "centre",
        }
    ]
    nodes += [_tie_node(tie, spots[tie.id], selected=tie.id in (selected, link_from)) for tie in m.ties]
    edges = [_tie_edge(tie) for tie in m.ties]
    edges += [
        {
            "id": f"link:{a}:{b}",
            "from": a,
            "to": b,
            "width": LINK_LINE.width,
            "dashes": list(LINK_LINE.dashes),
            "color": {"color": "#78909c"},
            "arrows": {},
            "stressful": link.stressful,
            "breakMark": False,
            "kind": "link",
        }
        for link in m.links
        for a, b in [link.between]
    ]
    empty_seats: list[dict[str, Any]] = []
    if highlight:
        assets = {f.tie for f in highlight if f.kind == "asset" and f.tie}
        gaps = {f.tie for f in highlight if f.kind == "gap" and f.tie}
        for node in nodes:
            if node["id"] in assets:
                node["shadow"] = {"enabled": True, "color": ASSET_HALO, "size": 22, "x": 0, "y": 0}
            node["gapMarker"] = node["id"] in gaps
        for f in highlight:
            if f.id == "empty-sector":
                inner, outer = RINGS[f.params["sector"]]
                x, y = to_xy(EMPTY_SEAT_ANGLE, (inner + outer) / 2)
                empty_seats.append({"x": x * WORLD_RADIUS, "y": y * WORLD_RADIUS, "label": "?"})
    return {
        "radius": WORLD_RADIUS,
        "nodeDefaults": NODE_DEFAULTS,
        "nodes": nodes,
        "emptySeats": empty_seats,
        "edges": edges,
        "rings": [
            {
                "sector": sector,
                "label": t(SECTORS[sector].label),
                "inner": inner,
                "outer": outer,
                "fill": RING_FILLS[sector],
                "colour": SECTOR_COLOURS[sector],
            }
            for sector, (inner, outer) in RINGS.items()
        ],
        "stressColour": STRESS_COLOUR,
        "gapColour": GAP_MARKER,
        "selected": selected,
        "linkFrom": link_from,
    }


def legend(t: Translator | None = None) -> dict[str, list[tuple[str, str]]]:
    """The legend's entries in words, by group: what each line, mark and shape means.

    >>> legend()["lines"][0]
    ('strong', 'Strong: Thick solid line')
    """
    t = t or translator()
    return {
        "lines": [(key, f"{t(term.label)}: {t(term.description)}") for key, term in STRENGTHS.items()]
        + [("stressful", t("Stressful: tick marks across the line")), ("link", t("They know each other: dotted line"))],
        "arrows": [(key, t(term.label)) for key, term in FLOWS.items() if key != "none"],
        "shapes": [(key, t(term.label)) for key, term in KINDS.items()],
        "status": [
            ("hoped_for", t("Hoped for: faint, with a dashed outline")),
            ("past", t("In the past: grey, with a dashed outline")),
        ],
        "highlight": [
            ("asset", t("A warm glow: something strong")),
            ("gap", t("A blue dashed ring: something to explore")),
            ("empty", t("A dashed circle with a question mark: a ring with no one in it yet")),
        ],
    }
