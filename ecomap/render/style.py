"""How a map is drawn: Hartman's line conventions, shapes by kind, colours by sector.

One table for each, shared by the interactive map and the static images. Colour is
never the only carrier of meaning: strength is the line's weight and dashes, stress
is tick marks, flow is arrowheads, kind is shape, status is faintness and dashes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ASSET_HALO",
    "BACKGROUND",
    "EMPTY_SEAT_ANGLE",
    "GAP_MARKER",
    "HOPED_FOR_OPACITY",
    "KIND_SHAPES",
    "LINE_COLOUR",
    "LINK_COLOUR",
    "LINK_LINE",
    "PAST_COLOUR",
    "PERSON_COLOUR",
    "RING_FILLS",
    "SECTOR_COLOURS",
    "STRENGTH_LINES",
    "STRESS_COLOUR",
    "LineStyle",
]


@dataclass(frozen=True)
class LineStyle:
    """How a line is drawn: its width (in the interactive map's pixels), its dashes (none: solid), and a break mark."""

    width: float
    dashes: tuple[int, ...] = ()
    break_mark: bool = False


#: Hartman's conventions: strong = thick solid, moderate = solid, tenuous = dashed, cut off = a break.
STRENGTH_LINES: dict[str, LineStyle] = {
    "strong": LineStyle(width=7),
    "moderate": LineStyle(width=3),
    "tenuous": LineStyle(width=2.5, dashes=(12, 9)),
    "cut_off": LineStyle(width=2.5, break_mark=True),
}

#: A link between two ties' people: thin and dotted, so it never reads as a tie to the person.
LINK_LINE = LineStyle(width=1.5, dashes=(3, 5))

#: vis-network shape names by kind (the static image maps them to matplotlib markers).
KIND_SHAPES: dict[str, str] = {
    "person": "dot",
    "group": "hexagon",
    "organisation": "square",
    "place": "triangle",
    "pet": "diamond",
}

#: Ring and node colours by sector, chosen to stay apart for common colour-vision differences.
SECTOR_COLOURS: dict[str, str] = {
    "family": "#1b7f74",
    "community": "#b86e00",
    "services": "#4b57a8",
}
#: The pale fill of each sector's ring.
RING_FILLS: dict[str, str] = {
    "family": "#e3f3f1",
    "community": "#fbf0de",
    "services": "#eceefa",
}
#: The person at the centre, and the border of the tie being edited.
PERSON_COLOUR = "#263238"
#: The paper the map is drawn on: the centre, and the gap a cut-off line's break leaves.
BACKGROUND = "#ffffff"
#: A tie's line to the person.
LINE_COLOUR = "#37474f"
#: The dotted line between two ties whose people know each other.
LINK_COLOUR = "#78909c"
#: Ties in the past, grey.
PAST_COLOUR = "#9e9e9e"
#: The tick marks across a stressful tie's line.
STRESS_COLOUR = "#b3261e"
#: Hoped-for ties are drawn at this opacity.
HOPED_FOR_OPACITY = 0.45
#: Highlighting: a warm halo on ties that are assets, a dashed ring on ties with an area to explore,
#: and an "empty seat" drawn in a ring with no one in it (at this angle).
ASSET_HALO = "rgba(255,179,0,0.95)"
GAP_MARKER = "#1565c0"
EMPTY_SEAT_ANGLE = 315.0
