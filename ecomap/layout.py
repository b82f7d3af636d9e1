"""Deterministic radial positions: the same map always gives the same picture.

The person sits at the centre. Each sector has a ring, a band of distances
(:data:`RINGS`). A tie with a saved ``position`` keeps its angle and is kept
inside its sector's ring; a tie without one is placed for it: evenly round
the ring when nothing in that ring has been placed by hand, otherwise in the
middle of the widest free gap. Angles are degrees clockwise from the top,
distances run from 0 (centre) to 1 (the outer edge).

Examples
--------
>>> from ecomap.model import example
>>> spot = place(example())["t1"]
>>> spot.angle, spot.distance
(180.0, 0.34)
>>> to_xy(90, 0.5)
(0.5, 0.0)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from ecomap.model import EcoMap, Position, Tie
from ecomap.vocab import Sector

__all__ = [
    "CHAR_WIDTH",
    "LABEL_MAX_WIDTH",
    "LINE_HEIGHT",
    "NODE_RADIUS",
    "RINGS",
    "RING_LABEL_HEIGHT",
    "RING_LABEL_WIDTH",
    "RING_MARGIN",
    "VIEW_EDGE",
    "Spot",
    "from_xy",
    "keep_in_ring",
    "label_lines",
    "layout_key",
    "place",
    "position_for",
    "ring_of",
    "to_xy",
]

#: The band of distances each sector's ring covers, inner to outer.
RINGS: dict[str, tuple[float, float]] = {
    "family": (0.22, 0.46),
    "community": (0.46, 0.72),
    "services": (0.72, 0.98),
}
#: Where the ring of ties sits inside each band when they are placed automatically.
_MIDDLE_SHARE = 0.5
#: How far from the middle of its ring a tie may move to give its label room.
_STAGGER_SHARE = 0.25


@dataclass(frozen=True)
class Spot:
    """Where a tie is drawn: polar (``angle``, ``distance``) and the same point as ``x``, ``y``.

    ``x`` runs to the right and ``y`` downwards, each from -1 to 1, as on a screen.
    """

    angle: float
    distance: float
    x: float
    y: float


def to_xy(angle: float, distance: float) -> tuple[float, float]:
    """Screen coordinates (y downwards) of a polar position, rounded to 6 places."""
    radians = math.radians(angle)
    return round(distance * math.sin(radians), 6) + 0.0, round(-distance * math.cos(radians), 6) + 0.0


def from_xy(x: float, y: float) -> tuple[float, float]:
    """The polar position (angle clockwise from the top, distance) of screen coordinates.

    >>> from_xy(0.0, -0.5)
    (0.0, 0.5)
    >>> from_xy(-0.5, 0.0)
    (270.0, 0.5)
    """
    angle = math.degrees(math.atan2(x, -y)) % 360.0
    return round(angle, 3), round(math.hypot(x, y), 6)


def ring_of(distance: float) -> Sector | None:
    """The sector whose ring holds ``distance`` (None at the centre or outside every ring).

    >>> ring_of(0.3), ring_of(0.5), ring_of(0.9), ring_of(0.1)
    ('family', 'community', 'services', None)
    """
    for sector, (inner, outer) in RINGS.items():
        if inner <= distance < outer or (sector == "services" and distance == outer):
            return sector  # type: ignore[return-value]
    return None


#: How far inside its ring's edges a tie is kept (a share of the map's radius), here and in the browser.
RING_MARGIN = 0.03


def keep_in_ring(sector: str, distance: float) -> float:
    """``distance`` moved inside ``sector``'s ring, with a small margin from its edges.

    >>> keep_in_ring("family", 0.9)
    0.43
    """
    inner, outer = RINGS[sector]
    return round(min(max(distance, inner + RING_MARGIN), outer - RING_MARGIN), 6)


def _widest_gap_middle(taken: list[float], default: float) -> float:
    if not taken:
        return default
    ordered = sorted(taken)
    best_start, best_size = ordered[-1], ordered[0] + 360.0 - ordered[-1]
    for a, b in itertools.pairwise(ordered):
        if b - a > best_size:
            best_start, best_size = a, b - a
    return round((best_start + best_size / 2) % 360.0, 3)


#: Label sizes as fractions of the map's radius, matching the interactive map's drawing
#: (font 28 and labels at most 150 wide, in a world 500 across from centre to edge).
CHAR_WIDTH = 0.031
LINE_HEIGHT = 0.066
LABEL_MAX_WIDTH = 0.30
NODE_RADIUS = 0.036
#: Ring names are written at the top of each ring; ties keep clear of them.
RING_LABEL_HEIGHT = 0.07
RING_LABEL_WIDTH = 0.30

#: The view shows a little beyond the outer ring (the interactive map fits 1.04 times the radius).
VIEW_EDGE = 1.03

Box = tuple[float, float, float, float]


def label_lines(name: str, *, max_width: float = LABEL_MAX_WIDTH) -> list[str]:
    """A name wrapped at spaces as the map draws it (a long word stays whole).

    >>> label_lines("Llys Tegid scheme manager")
    ['Llys', 'Tegid', 'scheme', 'manager']
    """
    per_line = max(1, int(max_width / CHAR_WIDTH))
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [name]


def _extent(name: str) -> tuple[float, float]:
    """Half the width of a tie's mark and label, and how far the label reaches below the mark."""
    lines = label_lines(name)
    half = max(NODE_RADIUS, max(len(line) for line in lines) * CHAR_WIDTH / 2)
    return half, NODE_RADIUS + 0.01 + len(lines) * LINE_HEIGHT


def _box(name: str, x: float, y: float, extent: tuple[float, float] | None = None) -> Box:
    """The space a tie takes: its mark and the label below it (left, top, right, bottom)."""
    half, below = extent or _extent(name)
    return x - half, y - NODE_RADIUS, x + half, y + below


class _Boxes:
    """The boxes placed so far, in a grid of cells, so a new box is checked only against its neighbours."""

    CELL = 0.2

    def __init__(self, boxes: list[Box]) -> None:
        self._boxes: list[Box] = []
        self._cells: dict[tuple[int, int], list[int]] = {}
        for box in boxes:
            self.add(box)

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        left, top, right, bottom = (math.floor(v / self.CELL) for v in box)
        return [(i, j) for i in range(left, right + 1) for j in range(top, bottom + 1)]

    def add(self, box: Box) -> None:
        index = len(self._boxes)
        self._boxes.append(box)
        for key in self._keys(box):
            self._cells.setdefault(key, []).append(index)

    def overlap(self, box: Box) -> float:
        near = {index for key in self._keys(box) for index in self._cells.get(key, ())}
        return sum(_overlap(box, self._boxes[index]) for index in near)


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _outside(box: Box) -> float:
    """How much of a label would fall below the map's edge, where the view ends."""
    return max(0.0, box[3] - VIEW_EDGE) * (box[2] - box[0])


def _ring_label_boxes() -> list[Box]:
    return [
        (-RING_LABEL_WIDTH / 2, -outer, RING_LABEL_WIDTH / 2, -outer + RING_LABEL_HEIGHT) for _, outer in RINGS.values()
    ]


def layout_key(m: EcoMap) -> tuple[tuple[str, str, str, float | None, float | None], ...]:
    """Everything :func:`place` depends on: the same key always gives the same spots.

    A change of strength, stress or words keeps the key, so a caller may keep the spots.

    >>> from ecomap.model import example
    >>> layout_key(example())
    (('t1', 'Mam', 'family', None, None),)
    """
    return tuple(
        (
            tie.id,
            tie.name,
            tie.sector,
            tie.position.angle if tie.position else None,
            tie.position.distance if tie.position else None,
        )
        for tie in m.ties
    )


def place(m: EcoMap) -> dict[str, Spot]:
    """Every tie's spot, keyed by tie id; the map is not changed.

    Ties placed by hand keep their place. The others go evenly round their ring, each
    nudged (within its share of the ring) to where its label overlaps least with the
    labels already placed, ring by ring from the centre out.
    """
    spots: dict[str, Spot] = {}
    taken_boxes = _Boxes(_ring_label_boxes())
    for sector in RINGS:
        ties = [t for t in m.ties if t.sector == sector]
        ring = _place_ring(sector, ties, taken_boxes)
        spots.update(ring)
    return spots


def _place_ring(sector: str, ties: list[Tie], taken_boxes: _Boxes) -> dict[str, Spot]:
    inner, outer = RINGS[sector]
    middle = round(inner + (outer - inner) * _MIDDLE_SHARE, 6)
    stagger = (outer - inner) * _STAGGER_SHARE
    placed_by_hand = [t for t in ties if t.position is not None]
    result: dict[str, Spot] = {}
    taken: list[float] = []
    for tie in placed_by_hand:
        assert tie.position is not None
        distance = keep_in_ring(sector, tie.position.distance)
        result[tie.id] = Spot(tie.position.angle, distance, *to_xy(tie.position.angle, distance))
        taken.append(tie.position.angle)
        taken_boxes.add(_box(tie.name, result[tie.id].x, result[tie.id].y))
    step = 360.0 / len(ties) if ties else 0.0
    for index, tie in enumerate(ties):
        if tie.position is not None:
            continue
        evenly = (step / 2 + index * step) % 360.0
        base = evenly if not placed_by_hand else _widest_gap_middle(taken, evenly)
        extent = _extent(tie.name)
        best: tuple[float, Spot] | None = None
        for shift in (0.0, 0.15, -0.15, 0.3, -0.3, 0.45, -0.45):
            for distance in (middle, round(middle + stagger, 6), round(middle - stagger, 6)):
                angle = round((base + shift * step) % 360.0, 3)
                spot = Spot(angle, distance, *to_xy(angle, distance))
                box = _box(tie.name, spot.x, spot.y, extent)
                cost = taken_boxes.overlap(box) + _outside(box)
                if best is None or cost < best[0] - 1e-9:
                    best = (cost, spot)
                if cost == 0.0:
                    break
            if best[0] == 0.0:  # type: ignore[index]
                break
        assert best is not None
        result[tie.id] = best[1]
        taken.append(best[1].angle)
        taken_boxes.add(_box(tie.name, best[1].x, best[1].y, extent))
    return result


def position_for(sector: str, x: float, y: float) -> Position:
    """The position to save when a tie is dropped at screen point (``x``, ``y``), kept in its ring."""
    angle, distance = from_xy(x, y)
    return Position(angle=angle, distance=keep_in_ring(sector, distance))
