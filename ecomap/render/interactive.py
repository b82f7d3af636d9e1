"""The interactive map's data: vis-network nodes and edges, rings and legend, from a map.

The component in the app and the standalone HTML export both draw from this. Only
data leaves here, never HTML: names become canvas text, and nothing is parsed as markup.

Examples
--------
>>> from ecomap.model import example
>>> data = vis_data(example())
>>> [n["id"] for n in data["nodes"]]
['@person', 't1']
>>> edge = full_edge(data["edges"][0], data)
>>> edge["width"], edge["arrows"], edge["strength"]
(7, 'to, from', 'strong')
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict

from ecomap.analysis import Finding
from ecomap.i18n import Translator, translator
from ecomap.layout import RING_MARGIN, RINGS, Label, Spot, person_label, place, tie_label, to_xy
from ecomap.model import NAME_MAX, PERSON, EcoMap, Tie
from ecomap.render.style import (
    ASSET_HALO,
    BACKGROUND,
    EMPTY_SEAT_ANGLE,
    GAP_MARKER,
    HOPED_FOR_OPACITY,
    KIND_SHAPES,
    LINE_COLOUR,
    LINK_COLOUR,
    LINK_LINE,
    PAST_COLOUR,
    PERSON_COLOUR,
    RING_FILLS,
    SECTOR_COLOURS,
    STRENGTH_LINES,
    STRESS_COLOUR,
)
from ecomap.vocab import FLOWS, KINDS, ROLES, SECTORS, STATUSES, STRENGTHS

__all__ = [
    "EDGE_DEFAULTS",
    "FOCUS_COLOUR",
    "NODE_DEFAULTS",
    "VIEW_HEIGHTS",
    "WORLD_RADIUS",
    "AddForm",
    "BarWords",
    "EditorChoices",
    "FocusRequest",
    "FrameValues",
    "KeyboardWords",
    "MapData",
    "MapMessage",
    "Point",
    "Ring",
    "Seat",
    "SyncMessage",
    "TieValues",
    "ViewHeight",
    "add_form",
    "bar_words",
    "composed",
    "frame",
    "frame_values",
    "full_edge",
    "full_node",
    "keyboard_words",
    "legend",
    "link_values",
    "map_message",
    "pack",
    "sync_message",
    "tie_values",
    "undo_values",
    "vis_data",
]

#: The map's radius in vis-network's world units; the view is scaled to fit.
WORLD_RADIUS = 500
LABEL_WIDTH = 150
FONT_SIZE = 28
#: Arial's metrics where the tablet has it; DejaVu Sans Condensed is as wide where it has not.
FONT_FACE = "Arial, 'Liberation Sans', 'DejaVu Sans Condensed', sans-serif"

#: The keyboard's focus, on the map and on every control of the app: near black, 3:1 or more against
#: the page, the grey fields and the accent colour of a chosen option (WCAG 2.4.7 and 2.4.11).
FOCUS_COLOUR = "#0b0c0c"

#: vis-network's arrowheads for each flow: the person is each tie line's "from" end.
_ARROWS = {"to_person": "from", "from_person": "to", "both": "to, from", "none": ""}


class Ring(TypedDict):
    """One ring of the map: its sector, its name in the reader's language, its limits and colours."""

    sector: str
    label: str
    inner: float
    outer: float
    fill: str
    colour: str


class Point(TypedDict):
    """A place on the map in vis-network's world units (the person at 0, 0)."""

    x: float
    y: float


class Seat(Point):
    """An empty seat: a ring with no one in it, drawn as a dashed circle with a mark."""

    label: str


class MapData(TypedDict):
    """Everything a drawing of the map reads: the app's map, the change map and the standalone HTML.

    Nodes and edges carry only what differs from their named style (``styles``) and the defaults;
    :func:`full_node` and :func:`full_edge` (and ``withDefaults`` in the browser) fill them in.
    """

    radius: int
    nodeDefaults: dict[str, Any]
    edgeDefaults: dict[str, Any]
    styles: dict[str, dict[str, Any]]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    emptySeats: list[Seat]
    rings: list[Ring]
    stressColour: str
    gapColour: str
    backgroundColour: str


class BarWords(TypedDict):
    """The words of the map's own bar, which the browser shows for whichever tie is selected
    (see :func:`bar_words`): each strength and status by its key, and the toggles' and buttons' words."""

    group: str
    strengths: list[tuple[str, str]]
    stressful: str
    gets: str
    gives: str
    statuses: list[tuple[str, str]]
    link: str
    linkHint: str
    undo: str
    notSaved: str


#: A tie's values as the browser draws and the bar changes them: the index of its strength in
#: ``STRENGTHS``, of its status in ``STATUSES``, and its flags (:data:`STRESSFUL`, :data:`GETS`, :data:`GIVES`).
TieValues = tuple[int, int, int]
STRESSFUL, GETS, GIVES = 1, 2, 4


class FrameValues(TypedDict):
    """The ties' values and the links as the map's frame carries them: as they were when the frame
    last changed, so that the frame stays the same bytes; the :class:`SyncMessage` carries only what
    differs from them (see :func:`frame_values`)."""

    ties: dict[str, TieValues]
    links: list[tuple[str, str, int]]


#: The choices of the editor beside the map that the map draws at once when one is tapped: for each
#: field the bar changes (``strength``, ``stressful``, ``status``), its options' values in the order the
#: editor shows them, as the bar's edits carry them (``ui/tie_editor.py`` says which).
EditorChoices = dict[str, list[Any]]


class AddForm(TypedDict):
    """What the map's own small form to add someone needs, to ask and to draw them at once (see :func:`add_form`)."""

    titles: dict[str, str]
    name: str
    role: str
    add: str
    cancel: str
    empty: str
    nameMax: int
    roles: dict[str, list[tuple[str, str, str]]]


class ViewHeight(TypedDict):
    """How much of the window's height the map takes in a window wider than tall, and in one taller than wide."""

    wide: float
    upright: float


class KeyboardWords(TypedDict):
    """What the map says to someone using the keyboard (see :func:`keyboard_words`)."""

    hint: str
    position: str
    strengths: dict[str, str]
    stressful: str


class FocusRequest(TypedDict):
    """A control for the page to focus once its run has finished: its Streamlit key, and a count that
    tells one request from the next (the same control asked for twice is focused twice)."""

    key: str
    asked: int


class SyncMessage(TypedDict):
    """What the map's small second element carries with every run (``ui/ecomap_map.js`` ``sync``):
    everything that a tap on the map or its bar changes, so that the map's own element (the frame:
    names, places, rings; :func:`frame`) stays the same bytes, and is sent as a reference, while only
    the bar's values change. Built only by :func:`sync_message`.
    """

    version: int | str
    applied: int
    refused: dict[str, Any] | None
    ties: dict[str, TieValues]
    links: list[tuple[str, str, int]] | None
    selected: str | None
    editor: dict[str, str] | None
    editorSeen: int
    linkFrom: str | None
    editable: bool
    canUndo: bool
    undo: dict[str, Any] | None
    description: str
    focus: FocusRequest | None


class MapMessage(MapData):
    """What the app's two-way map component receives (``ui/ecomap_map.js`` reads exactly this).

    Built only by :func:`map_message`; sent by :func:`pack`.
    """

    heightShare: ViewHeight
    ringMargin: float
    pendingColour: str
    bar: BarWords | None
    values: FrameValues
    editorChoices: EditorChoices | None
    vocab: dict[str, list[str]]
    selectedLook: dict[str, Any]
    keyboard: KeyboardWords | None
    adding: AddForm | None
    textScale: float
    visUrl: str
    scriptUrl: str


#: The map's share of the window's height, by view: beside the tools (upright, above them, leaving the
#: lower part of the screen to the tools' sheet), alone, or comparing two versions.
VIEW_HEIGHTS: dict[str, ViewHeight] = {
    "map": {"wide": 0.72, "upright": 0.45},
    "calm": {"wide": 0.86, "upright": 0.86},
    "change": {"wide": 0.62, "upright": 0.62},
}


def _alpha(colour: str, opacity: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{opacity})"


#: What every node shares; the browser fills it in, so it crosses the wire once per message.
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
#: What every line shares (a tie's line, from the person).
EDGE_DEFAULTS: dict[str, Any] = {
    "from": PERSON,
    "label": None,  # so that a mark the change map wrote on a line goes when the comparison changes
    "color": {"color": LINE_COLOUR},
    "dashes": False,
    "arrows": "",
    "stressful": False,
    "breakMark": False,
    "kind": "tie",
}


def _fill(item: Mapping[str, Any], *layers: Mapping[str, Any]) -> dict[str, Any]:
    full = dict(item)
    for layer in layers:
        for key, value in layer.items():
            if key not in full:
                full[key] = value
            elif isinstance(value, dict) and isinstance(full[key], dict):
                full[key] = {**value, **full[key]}
    return full


def full_node(node: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """A node of ``data`` with its style and every default filled in, as the app's map does in the browser.

    >>> from ecomap.model import example
    >>> data = vis_data(example())
    >>> node = full_node(data["nodes"][1], data)
    >>> node["font"]["size"], node["sector"], node["shapeProperties"]
    (28, 'family', {'borderDashes': False})
    """
    return _fill(node, data["styles"].get(node.get("style", ""), {}), data["nodeDefaults"])


def full_edge(edge: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """An edge of ``data`` with its style and every default filled in (see :func:`full_node`)."""
    return _fill(edge, data["styles"].get(edge.get("style", ""), {}), data["edgeDefaults"])


def _node_style(sector: str, status: str) -> dict[str, Any]:
    colour = PAST_COLOUR if status == "past" else SECTOR_COLOURS[sector]
    opacity = HOPED_FOR_OPACITY if status == "hoped_for" else 1.0
    style: dict[str, Any] = {
        "sector": sector,
        "color": {
            "background": _alpha(colour, opacity) if status != "past" else BACKGROUND,
            "border": _alpha(colour, max(opacity, 0.6)),
        },
    }
    if status != "current":
        style["shapeProperties"] = {"borderDashes": [5, 4]}
        style["font"] = {"color": _alpha("#000000", 0.55)}
    return style


def _edge_style(strength: str, status: str) -> dict[str, Any]:
    line = STRENGTH_LINES[strength]
    colour = PAST_COLOUR if status == "past" else LINE_COLOUR
    style: dict[str, Any] = {"width": line.width, "strength": strength}
    dashes = list(line.dashes) if line.dashes else ([6, 6] if status != "current" else False)
    if dashes:
        style["dashes"] = dashes
    if line.break_mark:
        style["breakMark"] = True
    if status != "current":
        style["color"] = {"color": _alpha(colour, HOPED_FOR_OPACITY) if status == "hoped_for" else colour}
    return style


def _placed(label: Label) -> dict[str, Any]:
    """Where vis-network draws a name: moved from under its mark as the layout places it, and wrapped
    as the layout wraps it: at ``LABEL_WIDTH``, or wider for a long word, so never inside a word."""
    placed: dict[str, Any] = {"font": {"vadjust": round(label.shift * WORLD_RADIUS)}} if label.shift else {}
    width = math.ceil(label.wrap * WORLD_RADIUS)
    if width > LABEL_WIDTH or (len(label.lines) > 1 and width != LABEL_WIDTH):
        placed["widthConstraint"] = {"maximum": width}
    return placed


def _tie_node(tie: Tie, spot: Spot, *, selected: bool) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": tie.id,
        "label": tie.name,
        "x": round(spot.x * WORLD_RADIUS),
        "y": round(spot.y * WORLD_RADIUS),
        "shape": KIND_SHAPES[tie.kind],
        "style": f"{tie.sector}:{tie.status}",
        **_placed(tie_label(tie.name, spot)),
    }
    if selected:
        node["borderWidth"] = 4
        node["color"] = {"border": PERSON_COLOUR}
    return node


def _tie_edge(tie: Tie) -> dict[str, Any]:
    edge: dict[str, Any] = {"id": f"tie:{tie.id}", "to": tie.id, "style": f"{tie.strength}:{tie.status}"}
    if tie.flow != "none":
        edge["arrows"] = _ARROWS[tie.flow]
    if tie.stressful:
        edge["stressful"] = True
    return edge


def vis_data(
    m: EcoMap,
    *,
    t: Translator | None = None,
    selected: str | None = None,
    link_from: str | None = None,
    highlight: Sequence[Finding] = (),
    spots: Mapping[str, Spot] | None = None,
) -> MapData:
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
    placed = _placed(person_label(m))
    nodes[0] |= {**placed, "font": {**nodes[0]["font"], **placed.get("font", {})}}
    nodes += [_tie_node(tie, spots[tie.id], selected=tie.id in (selected, link_from)) for tie in m.ties]
    edges = [_tie_edge(tie) for tie in m.ties]
    edges += [
        {"id": f"link:{a}:{b}", "from": a, "to": b, "style": "link", **({"stressful": True} if link.stressful else {})}
        for link in m.links
        for a, b in [link.between]
    ]
    # Every combination, so that the browser can draw any tie in any strength and status at once.
    styles = {f"{sector}:{status}": _node_style(sector, status) for sector in SECTORS for status in STATUSES}
    styles |= {f"{strength}:{status}": _edge_style(strength, status) for strength in STRENGTHS for status in STATUSES}
    styles["link"] = {
        "width": LINK_LINE.width,
        "dashes": list(LINK_LINE.dashes),
        "color": {"color": LINK_COLOUR},
        "kind": "link",
    }
    empty_seats: list[Seat] = []
    if highlight:
        assets = {f.tie for f in highlight if f.kind == "asset" and f.tie}
        gaps = {f.tie for f in highlight if f.kind == "gap" and f.tie}
        for node in nodes:
            if node["id"] in assets:
                node["shadow"] = {"enabled": True, "color": ASSET_HALO, "size": 22, "x": 0, "y": 0}
            if node["id"] in gaps:
                node["gapMarker"] = True
        for f in highlight:
            if f.id == "empty-sector":
                inner, outer = RINGS[f.params["sector"]]
                x, y = to_xy(EMPTY_SEAT_ANGLE, (inner + outer) / 2)
                empty_seats.append({"x": x * WORLD_RADIUS, "y": y * WORLD_RADIUS, "label": "?"})
    return {
        "radius": WORLD_RADIUS,
        "nodeDefaults": NODE_DEFAULTS,
        "edgeDefaults": EDGE_DEFAULTS,
        "styles": styles,
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
        "backgroundColour": BACKGROUND,
    }


def map_message(
    data: MapData,
    *,
    view: Literal["map", "calm", "change"] = "map",
    bar: BarWords | None = None,
    keyboard: KeyboardWords | None = None,
    adding: AddForm | None = None,
    text_scale: float = 1.0,
    vis_url: str = "",
    script_url: str = "",
    values: FrameValues | None = None,
    editor_choices: EditorChoices | None = None,
) -> MapMessage:
    """The message the app's map component draws: ``data`` (see :func:`vis_data`, or the app's
    :func:`frame` of it) and what the app adds. It changes only when what it draws changes: what a
    tap changes (the ties' values, the selection, the version) travels in the :class:`SyncMessage`.

    ``view`` sets the share of the window's height (:data:`VIEW_HEIGHTS`); ``bar`` the words of the map's own bar
    (:func:`bar_words`; None where the map is only looked at); ``keyboard`` what the map says as the
    arrow keys move between ties (:func:`keyboard_words`); ``adding`` the map's own form to add
    someone where a ring is tapped (:func:`add_form`; None where the map is only looked at);
    ``text_scale`` enlarges the names drawn on the map (the person's text size); the URLs say where
    the browser loads vis-network and the map's script from. ``values`` are the ties' values the frame
    carries (:func:`frame_values`, as they were when the frame last changed; none by default), over which
    the :class:`SyncMessage` draws what differs; ``editor_choices`` the editor's choices the map draws
    at once when tapped (:data:`EditorChoices`; None where there is no editor beside the map).

    >>> from ecomap.model import example
    >>> message = map_message(vis_data(example()))
    >>> message["heightShare"], message["ringMargin"], message["vocab"]["statuses"]
    ({'wide': 0.72, 'upright': 0.45}, 0.03, ['current', 'hoped_for', 'past'])
    """
    return {
        **data,
        "heightShare": VIEW_HEIGHTS[view],
        "ringMargin": RING_MARGIN,
        "pendingColour": PERSON_COLOUR,
        "bar": bar,
        "values": values if values is not None else {"ties": {}, "links": []},
        "editorChoices": editor_choices,
        "vocab": {"strengths": list(STRENGTHS), "statuses": list(STATUSES)},
        "selectedLook": SELECTED_LOOK,
        "keyboard": keyboard,
        "adding": adding,
        "textScale": text_scale,
        "visUrl": vis_url,
        "scriptUrl": script_url,
    }


#: How the selected tie (and the tie a new link starts from) is drawn, over its own look.
SELECTED_LOOK: dict[str, Any] = {"borderWidth": 4, "color": {"border": PERSON_COLOUR}}
#: The fields of a tie the map's bar changes; every other field is drawn from the frame.
BAR_FIELDS = frozenset({"strength", "stressful", "support", "status"})


def frame(data: MapData, m: EcoMap) -> MapData:
    """What the app's map element draws that no tap on the bar changes: ``data`` (:func:`vis_data`,
    drawn without a selection) with each tie's node naming its ring (``sector``) instead of a style,
    and no lines at all. Each tie's line, its node's style and the links are drawn in the browser
    from the :class:`SyncMessage`'s values and the style table, as ``compose`` in
    ``ui/ecomap_map.js`` (and :func:`composed` here) does.

    >>> from ecomap.model import example
    >>> framed = frame(vis_data(example()), example())
    >>> framed["edges"], framed["nodes"][1]["sector"], "style" in framed["nodes"][1]
    ([], 'family', False)
    """
    sectors = {tie.id: tie.sector for tie in m.ties}
    nodes = [
        {**{k: v for k, v in node.items() if k != "style"}, "sector": sectors[node["id"]]}
        if node["id"] in sectors
        else node
        for node in data["nodes"]
    ]
    return {**data, "nodes": nodes, "edges": []}


def tie_values(tie: Tie) -> TieValues:
    """A tie's values as the bar shows and changes them (see :data:`TieValues`).

    >>> from ecomap.model import example
    >>> tie_values(example().tie("t1"))
    (0, 0, 6)
    """
    flags = (STRESSFUL if tie.stressful else 0) | (GETS if tie.gets else 0) | (GIVES if tie.gives else 0)
    return list(STRENGTHS).index(tie.strength), list(STATUSES).index(tie.status), flags


def link_values(m: EcoMap) -> list[tuple[str, str, int]]:
    """The map's links, each as its two ties and whether it is stressful (1) or not (0)."""
    return [(link.between[0], link.between[1], int(link.stressful)) for link in m.links]


def frame_values(m: EcoMap | None) -> FrameValues:
    """The ties' values and the links of ``m`` (none for None), as the frame carries them.

    >>> from ecomap.model import example
    >>> frame_values(example())["ties"]["t1"], frame_values(None)
    ((0, 0, 6), {'ties': {}, 'links': []})
    """
    if m is None:
        return {"ties": {}, "links": []}
    return {"ties": {tie.id: tie_values(tie) for tie in m.ties}, "links": link_values(m)}


def _frame_key(m: EcoMap) -> tuple[Any, ...]:
    ties = tuple(tuple(sorted(tie.model_dump(mode="json", exclude=set(BAR_FIELDS)).items())) for tie in m.ties)
    return m.person.called, ties


def undo_values(current: EcoMap, previous: EcoMap | None) -> dict[str, Any] | None:
    """What an undo back to ``previous`` draws, when the browser can draw it itself: the values of
    the ties whose values differ, and the links if they do. None when there is nothing to undo, or
    the undo changes more than the bar's values and the links (a name, a place, a tie added): the
    browser then waits for Python's map.

    >>> from ecomap.model import example
    >>> m = example()
    >>> undo_values(m.with_tie_fields("t1", strength="tenuous"), m)
    {'ties': {'t1': (0, 0, 6)}}
    >>> undo_values(m.with_tie_fields("t1", name="Mami"), m) is None
    True
    """
    if previous is None or _frame_key(previous) != _frame_key(current):
        return None
    now = {tie.id: tie_values(tie) for tie in current.ties}
    undo: dict[str, Any] = {
        "ties": {tie.id: values for tie in previous.ties if now.get(tie.id) != (values := tie_values(tie))}
    }
    if previous.links != current.links:
        undo["links"] = link_values(previous)
    return undo


def sync_message(
    m: EcoMap | None,
    *,
    version: int | str,
    description: str,
    applied: int = 0,
    refused: dict[str, Any] | None = None,
    selected: str | None = None,
    link_from: str | None = None,
    editable: bool = False,
    undo_to: EcoMap | None = None,
    can_undo: bool = False,
    focus: FocusRequest | None = None,
    base: FrameValues | None = None,
    editor: dict[str, str] | None = None,
    editor_seen: int = 0,
) -> SyncMessage:
    """The map's second element (see :class:`SyncMessage`) for the open map ``m`` (None where the
    map drawn is not one map's ties, as the change map): ``version`` is the map's version (or the two
    versions compared), which the page marks as drawn; ``description`` the drawing's text
    alternative; ``applied`` the number of the last edit from the map that Python has handled, and
    ``refused`` the last refused one (``{edit, reason}``); ``selected`` the tie being edited and
    ``link_from`` the tie a new link starts from; ``editable`` whether the bar may be shown;
    ``undo_to`` the map an undo would put back (:func:`undo_values` says whether the browser can draw
    it), ``can_undo`` whether there is one; ``focus`` the control the page focuses once this run
    has drawn it. With ``base`` (the values the frame carries, :func:`frame_values`), only the ties
    whose values differ from it are sent, and the links only when they differ (else None: the
    frame's). ``editor`` names the Streamlit keys of the editor's widgets for the selected tie by
    field (the map draws a tap on them at once), and ``editor_seen`` counts the editor's changes
    Python has handled, so that the map knows when to stop drawing a tap of its own over them.

    >>> from ecomap.model import example
    >>> sync = sync_message(example(), version=3, description="", applied=2, selected="t1", editable=True)
    >>> sync["ties"], sync["applied"], sync["selected"], sync["undo"]
    ({'t1': (0, 0, 6)}, 2, 't1', None)
    >>> m = example()
    >>> changed = m.with_tie_fields("t1", strength="tenuous")
    >>> sync = sync_message(changed, version=4, description="", base=frame_values(m))
    >>> sync["ties"], sync["links"]
    ({'t1': (2, 0, 6)}, None)
    """
    now = frame_values(m)
    ties = now["ties"]
    links: list[tuple[str, str, int]] | None = now["links"]
    if base is not None:
        ties = {tie_id: values for tie_id, values in ties.items() if tuple(base["ties"].get(tie_id) or ()) != values}
        links = None if [tuple(link) for link in base["links"]] == now["links"] else now["links"]
    return {
        "version": version,
        "applied": applied,
        "refused": refused,
        "ties": ties,
        "links": links,
        "selected": selected,
        "editor": editor,
        "editorSeen": editor_seen,
        "linkFrom": link_from,
        "editable": editable,
        "canUndo": can_undo,
        "undo": undo_values(m, undo_to) if m is not None and can_undo else None,
        "description": description,
        "focus": focus,
    }


def composed(data: MapMessage, sync: SyncMessage) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes and lines the browser draws from the frame and the values, each with its style and
    the defaults filled in: what ``compose`` in ``ui/ecomap_map.js`` does, for the tests' sake.

    >>> from ecomap.model import example
    >>> m = example()
    >>> nodes, edges = composed(map_message(frame(vis_data(m), m)), sync_message(m, version=1, description=""))
    >>> edges == [full_edge(edge, vis_data(m)) for edge in vis_data(m)["edges"]]
    True
    """
    strengths, statuses = data["vocab"]["strengths"], data["vocab"]["statuses"]
    ties = {**data["values"]["ties"], **sync["ties"]}
    links = sync["links"] if sync["links"] is not None else data["values"]["links"]
    nodes = []
    for node in data["nodes"]:
        item = dict(node)
        values = ties.get(node["id"])
        if values is not None and "style" not in item:
            item["style"] = f"{item['sector']}:{statuses[values[1]]}"
        if node["id"] in (sync["selected"], sync["linkFrom"]):
            item = _fill(data["selectedLook"], item)
            item["borderWidth"] = data["selectedLook"]["borderWidth"]
            item["color"] = {**item.get("color", {}), **data["selectedLook"]["color"]}
        nodes.append(full_node(item, data))
    edges = [full_edge(edge, data) for edge in data["edges"]]
    for tie_id, (strength, status, flags) in ties.items():
        flow = (
            "both"
            if flags & GETS and flags & GIVES
            else "to_person"
            if flags & GETS
            else "from_person"
            if flags & GIVES
            else "none"
        )
        edge: dict[str, Any] = {
            "id": f"tie:{tie_id}",
            "to": tie_id,
            "style": f"{strengths[strength]}:{statuses[status]}",
        }
        if flow != "none":
            edge["arrows"] = _ARROWS[flow]
        if flags & STRESSFUL:
            edge["stressful"] = True
        edges.append(full_edge(edge, data))
    for a, b, stressful in links:
        link: dict[str, Any] = {"id": f"link:{a}:{b}", "from": a, "to": b, "style": "link"}
        if stressful:
            link["stressful"] = True
        edges.append(full_edge(link, data))
    return nodes, edges


def bar_words(t: Translator | None = None, *, person: str = "") -> BarWords:
    """The words of the map's own bar, for whichever tie is selected: ``person`` is the name the
    person at the centre is called by ("Cai gets support").

    >>> words = bar_words(person="Cai")
    >>> [label for _, label in words["strengths"]], words["gets"], words["statuses"][1]
    (['Strong', 'Moderate', 'Tenuous', 'Cut off'], 'Cai gets support', ('hoped_for', 'Hoped for'))
    """
    t = t or translator()
    return {
        "group": t("Changes on the map"),
        "strengths": [(key, t(term.label)) for key, term in STRENGTHS.items()],
        "stressful": t("Stressful"),
        "gets": t("{person} gets support", person=person),
        "gives": t("{person} gives support", person=person),
        "statuses": [(key, t(term.label)) for key, term in STATUSES.items()],
        "link": t("Link to someone"),
        "linkHint": t("Now tap the person or place to link with."),
        "undo": t("Undo"),
        "notSaved": t("Not saved yet: waiting for the connection to the server."),
    }


def add_form(t: Translator | None = None) -> AddForm:
    """The map's own form to add someone where a ring was tapped: its words, and for each ring its roles
    (the role chips' vocabulary, ``ecomap.vocab.ROLES``), each with the shape its kind is drawn as
    before Python has saved it (the ring's look and the line come from the style table).

    The first role of every ring is none ("Someone or something else": a person's shape).

    >>> form = add_form()
    >>> form["titles"]["community"], [label for _, label, _ in form["roles"]["family"]][:3]
    ('Add to Community', ['Someone or something else', 'Mam', 'Dad'])
    >>> ("group", "Group or club", "hexagon") in form["roles"]["community"], form["nameMax"]
    (True, 100)
    >>> add_form(translator("cy"))["titles"]["services"]
    'Ychwanegu at Wasanaethau'
    """
    t = t or translator()
    someone = ("", t("Someone or something else"), KIND_SHAPES["person"])
    return {
        "titles": {sector: t("Add to {ring}", ring=t(term.label)) for sector, term in SECTORS.items()},
        "name": t("Name"),
        "role": t("Who are they?"),
        "add": t("Add to the map"),
        "cancel": t("Cancel"),
        "empty": t("Type their name first."),
        "nameMax": NAME_MAX,
        "roles": {
            sector: [someone]
            + [(key, t(role.label), KIND_SHAPES[role.kind]) for key, role in ROLES.items() if role.sector == sector]
            for sector in SECTORS
        },
    }


def keyboard_words(t: Translator | None = None) -> KeyboardWords:
    """What the map says to a keyboard user: how to move between ties, where one is in the order
    (``{n}`` and ``{total}`` are filled in by the browser), and each strength's and the stress's words.

    >>> words = keyboard_words()
    >>> words["position"], words["strengths"]["cut_off"], words["stressful"]
    ('{n} of {total}', 'Cut off', 'stressful')
    """
    t = t or translator()
    return {
        "hint": t("Arrow keys move from one person or place to the next; Enter opens one, Escape closes it."),
        "position": t("{n} of {total}", n="{n}", total="{total}"),
        "strengths": {key: t(term.label) for key, term in STRENGTHS.items()},
        "stressful": t("stressful"),
    }


def _derived_edge_id(edge: Mapping[str, Any]) -> str:
    return f"link:{edge['from']}:{edge['to']}" if "from" in edge else f"tie:{edge['to']}"


def pack(data: MapData) -> bytes:
    """The map's data as the app's map receives it: compact UTF-8 JSON, with no edge id the browser
    can work out (``unpack`` in ``ui/ecomap_map.js`` puts them back). Styles keep their names
    (``family:past``), which the browser finds for any tie's values.

    >>> from ecomap.examples import generated_map
    >>> data = vis_data(generated_map(60))
    >>> len(pack(data)) < len(json.dumps(data))
    True
    """
    packed = {
        **data,
        "edges": [
            {k: v for k, v in edge.items() if not (k == "id" and v == _derived_edge_id(edge))} for edge in data["edges"]
        ],
    }
    return json.dumps(packed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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
