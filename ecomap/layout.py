"""Deterministic radial positions: the same map always gives the same picture, and nothing on it
runs through a name.

The person sits at the centre. Each sector has a ring, a band of distances
(:data:`RINGS`). A tie with a saved ``position`` keeps its place, kept inside its
sector's ring; a tie without one is placed for it: evenly round the ring when
nothing in that ring has been placed by hand, otherwise in the middle of the widest
free gap. Angles are degrees clockwise from the top, distances run from 0 (centre)
to 1 (the outer edge).

Every name sits on the side of its mark away from the centre: above a mark in the
upper half of the map, below one in the lower half (:func:`tie_label`), so a tie's
own line never runs through its name. The person's name hangs under (or over) the
centre dot (:func:`person_label`), and no tie is drawn where its line would run
through it. Each tie is placed where its name overlaps no other name or mark and
crosses no line, and its line and links cross no name: :func:`crossings` and
:func:`overlaps` check a drawing for both. Saved positions that collide are spread
along their ring, in their order, only as far as they must be.

Examples
--------
>>> from ecomap.model import example
>>> spot = place(example())["t1"]
>>> spot.angle, spot.distance, spot.label_above
(180.0, 0.34, False)
>>> to_xy(90, 0.5)
(0.5, 0.0)
>>> crossings(example()), overlaps(example())
([], [])
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ecomap.model import PERSON, EcoMap, Position, Tie
from ecomap.vocab import Sector

__all__ = [
    "LABEL_GAP",
    "LABEL_MAX_WIDTH",
    "LABEL_SIZE",
    "LINE_HEIGHT",
    "LINE_REACH",
    "NODE_RADIUS",
    "PERSON_LABEL_DROP",
    "PERSON_LABEL_GAP",
    "PERSON_LABEL_MAX_WIDTH",
    "PERSON_LABEL_SIZE",
    "PERSON_LINE_HEIGHT",
    "PERSON_RADIUS",
    "PIXEL",
    "RINGS",
    "RING_LABEL_HEIGHT",
    "RING_LABEL_SIZE",
    "RING_MARGIN",
    "TICK_END",
    "TICK_REACH",
    "VIEW_EDGE",
    "Box",
    "Crossing",
    "Label",
    "Spot",
    "crossings",
    "from_xy",
    "keep_in_ring",
    "label_lines",
    "layout_key",
    "overlaps",
    "person_label",
    "place",
    "position_for",
    "ring_label_boxes",
    "ring_of",
    "text_width",
    "tie_label",
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


@dataclass(frozen=True)
class Spot:
    """Where a tie is drawn: polar (``angle``, ``distance``) and the same point as ``x``, ``y``.

    ``x`` runs to the right and ``y`` downwards, each from -1 to 1, as on a screen. ``above`` says
    whether the tie's name sits above its mark; unsaid, it does in the upper half of the map, on
    the side away from the centre (:func:`place` says it for every tie).
    """

    angle: float
    distance: float
    x: float
    y: float
    above: bool | None = None

    @property
    def label_above(self) -> bool:
        """Whether the tie's name sits above its mark.

        >>> Spot(0.0, 0.5, 0.0, -0.5).label_above, Spot(180.0, 0.5, 0.0, 0.5).label_above
        (True, False)
        """
        return self.y < 0 if self.above is None else self.above


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


# -- What the map draws, in the interactive map's world (500 pixels from the centre to the edge) ------

#: One pixel of the interactive map's world, as a share of the map's radius: the unit of the sizes below.
PIXEL = 1 / 500
#: The font size of a tie's name, and of the person's, in pixels.
LABEL_SIZE = 28
PERSON_LABEL_SIZE = 32
#: The radius of a tie's mark (16 and its border) and of the person's dot (26 and its border).
NODE_RADIUS = 18 * PIXEL
PERSON_RADIUS = 28 * PIXEL
#: vis-network hangs a name under its mark with its first line 4 pixels below the mark's edge; a
#: line's letters reach from 13 pixels above that line's place to one pixel past the line's height.
#: So a name's box runs from the mark's edge to this gap plus its lines (measured in Chromium).
LABEL_GAP = 18 * PIXEL
LINE_HEIGHT = LABEL_SIZE * PIXEL
PERSON_LABEL_GAP = 20 * PIXEL
PERSON_LINE_HEIGHT = PERSON_LABEL_SIZE * PIXEL
#: The person's name is moved this much further from the dot (but never among the family ring's
#: ties): the further out, the fewer lines from the centre it stands in the way of.
PERSON_LABEL_DROP = 48 * PIXEL
#: How far a name's white edge reaches past its letters (strokes of 5 and 6 pixels).
_STROKE = 3 * PIXEL
#: A name wraps at spaces to lines of at most this width (a longer word stays whole on its own line).
LABEL_MAX_WIDTH = 150 * PIXEL
PERSON_LABEL_MAX_WIDTH = 170 * PIXEL
#: Ring names are written at the top of each ring ("bold 26px" in ``draw.js``, on a white band 32
#: high from 4 below the ring's edge).
RING_LABEL_HEIGHT = 36 * PIXEL
RING_LABEL_SIZE = 26
#: How much wider bold letters are than the table's (DejaVu Sans Bold, the widest the tablet may use).
_BOLD = 1.2
#: How far a line reaches either side of its middle (the strongest is 7 wide), and a stress tick
#: (10 either side and 4 along, 3 wide, in ``draw.js``); ticks are drawn from this far past each end.
LINE_REACH = 4 * PIXEL
TICK_REACH = 13 * PIXEL
TICK_END = 40 * PIXEL

#: The view shows a little beyond the outer ring (the interactive map fits 1.04 times the radius).
VIEW_EDGE = 1.03

#: Advance widths in ems of the map's fonts, the wider of Arial and DejaVu Sans Condensed, rounded
#: up to 0.05; a letter with an accent is as wide as its letter.
_GLYPH_EMS: dict[float, str] = {
    0.25: "'ijl",
    0.3: " ,.I",
    0.35: "-/:;\\f|",
    0.4: "!()[]rt",
    0.45: '"*`',
    0.5: "Jcsz",
    0.55: "kvxy",
    0.6: "$0123456789?L_abdeghnopqu{}",
    0.65: "FTZ",
    0.7: "ABEKPSVXY",
    0.75: "&CDHNRUw",
    0.8: "#+<=>GOQ^~",
    0.85: "M",
    0.9: "%m",
    0.95: "W",
    1.05: "@",
}
_EMS = {char: em for em, chars in _GLYPH_EMS.items() for char in chars}
#: Any other letter, and a wide (East Asian) one.
_OTHER_EM = 0.8
_WIDE_EM = 1.05

if TYPE_CHECKING:
    from numpy.typing import NDArray

    _Array = NDArray[Any]
Box = tuple[float, float, float, float]
"""A rectangle on the map: left, top, right, bottom (``y`` downwards)."""
Point = tuple[float, float]
T = TypeVar("T")


def _em(char: str) -> float:
    if char in _EMS:
        return _EMS[char]
    if unicodedata.combining(char):
        return 0.0
    base = unicodedata.normalize("NFD", char)[0]
    if base in _EMS:
        return _EMS[base]
    return _WIDE_EM if unicodedata.east_asian_width(char) in "WF" else _OTHER_EM


def text_width(text: str, *, size: float = LABEL_SIZE) -> float:
    """How wide ``text`` is drawn at ``size`` pixels, as a share of the map's radius (never less than it is).

    >>> round(text_width("Mam") / PIXEL), round(text_width("Ŵyr") / PIXEL)
    (66, 53)
    """
    return sum(_em(char) for char in text) * size * PIXEL


#: When vis-network wraps a name it counts each space between words as this much (in ems) wider than
#: it draws it (vis-network 9.1, measured in Chromium at 20, 28 and 32 pixels: 0.573); names here wrap
#: by the same measure, so the interactive map and the layout break them in the same places.
_WRAP_SPACE_EM = 0.58


def _wrap_width(line: str, size: float) -> float:
    """How wide vis-network takes a line of a name to be when it decides where to wrap it."""
    return text_width(line, size=size) + line.count(" ") * _WRAP_SPACE_EM * size * PIXEL


def label_lines(name: str, *, max_width: float = LABEL_MAX_WIDTH, size: float = LABEL_SIZE) -> list[str]:
    """A name wrapped at spaces as the map draws it; a word is never split, however long.

    >>> label_lines("Llys Tegid scheme manager")
    ['Llys', 'Tegid', 'scheme', 'manager']
    >>> label_lines("Rosa Braunsteigl-Müller")
    ['Rosa', 'Braunsteigl-Müller']
    """
    lines: list[str] = []
    for word in name.split():
        if lines and _wrap_width(f"{lines[-1]} {word}", size) <= max_width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [name]


@dataclass(frozen=True)
class Label:
    """A name as the map draws it: its lines, the box they take, and where it sits against its mark.

    ``box`` (left, top, right, bottom) runs from the mark's edge to the name's last letter.
    ``shift`` is how far the name is moved down (up, if negative) from where vis-network hangs a
    name: under its mark.
    """

    lines: tuple[str, ...]
    box: Box
    above: bool
    shift: float
    #: The width the name was wrapped at, as vis-network measures its lines: wider than
    #: :data:`LABEL_MAX_WIDTH` (a long word), the interactive map wraps it there, so that it never
    #: splits a word; at most that, the map's own wrap makes the same lines or fewer.
    wrap: float


def _label(
    lines: list[str],
    x: float,
    y: float,
    *,
    above: bool,
    size: float,
    near: float,
    gap: float,
    line: float,
    drop: float = 0.0,
) -> Label:
    """A name of ``lines`` at ``size`` for a mark at (``x``, ``y``): its box from ``near`` past the mark's
    centre, and ``drop`` further, to its last line."""
    wrap, half = _measure(lines, size)
    far = near + gap + len(lines) * line
    if above:
        box = (x - half, y - far - drop, x + half, y - near - drop)
        return Label(tuple(lines), box, True, -(near + far) - drop, wrap)
    return Label(tuple(lines), (x - half, y + near + drop, x + half, y + far + drop), False, drop, wrap)


def _measure(lines: list[str], size: float) -> tuple[float, float]:
    """The width to wrap ``lines`` at (as vis-network measures them) and half the width of their box.

    The interactive map wraps a name at :data:`LABEL_MAX_WIDTH`, or at the wrap when it is wider (a
    long word), to the same lines or fewer: a line it joins has a space more than one that fits,
    so it is drawn no wider than that width less one space.
    """
    wrap = max(_wrap_width(text, size) for text in lines)
    drawn = max(text_width(text, size=size) for text in lines)
    if len(lines) > 1:
        drawn = max(drawn, max(wrap, LABEL_MAX_WIDTH) - _WRAP_SPACE_EM * size * PIXEL)
    return wrap, drawn / 2 + _STROKE


def tie_label(name: str, spot: Spot) -> Label:
    """Where a tie's name is drawn: beside its mark, on the side away from the centre.

    >>> label = tie_label("Mam", Spot(0.0, 0.3, 0.0, -0.3))
    >>> label.above, [round(v / PIXEL) for v in label.box], round(label.shift / PIXEL)
    (True, [-36, -214, 36, -168], -82)
    """
    return _label(
        label_lines(name),
        spot.x,
        spot.y,
        above=spot.label_above,
        size=LABEL_SIZE,
        near=NODE_RADIUS,
        gap=LABEL_GAP,
        line=LINE_HEIGHT,
    )


def _person_label(name: str, *, above: bool) -> Label:
    lines = label_lines(name, max_width=PERSON_LABEL_MAX_WIDTH, size=PERSON_LABEL_SIZE)
    tall = PERSON_LABEL_GAP + len(lines) * PERSON_LINE_HEIGHT
    room = RINGS["family"][0] + RING_MARGIN - PERSON_RADIUS - tall
    return _label(
        lines,
        0.0,
        0.0,
        above=above,
        size=PERSON_LABEL_SIZE,
        near=PERSON_RADIUS,
        gap=PERSON_LABEL_GAP,
        line=PERSON_LINE_HEIGHT,
        drop=max(0.0, min(PERSON_LABEL_DROP, room)),
    )


def _fan(box: Box) -> tuple[float, float]:
    """The angles (from, to, clockwise) of the lines from the centre (without stress ticks) that would
    cross ``box``, a box straight over or under the centre."""
    middle = 0.0 if box[3] < 0 else 180.0

    def blocked(angle: float) -> bool:
        return _tie_line("", _sides(angle, 1.0)[0], stressful=False).hits(box)

    edges = []
    for way in (-1.0, 1.0):
        inside, outside = 0.0, 90.0
        for _ in range(24):
            half = (inside + outside) / 2
            inside, outside = (half, outside) if blocked(middle + way * half) else (inside, half)
        edges.append(round((middle + way * outside) % 360.0, 3))
    return edges[0], edges[1]


def _in_fan(angle: float, fan: tuple[float, float]) -> bool:
    start, end = fan
    return (angle - start) % 360.0 <= (end - start) % 360.0


def person_label(m: EcoMap) -> Label:
    """Where the person's name is drawn: over the centre dot, where the rings' names already keep lines
    away, or under it when fewer of the ties placed by hand are in the way there. No tie is placed
    where its line would cross it.

    >>> from ecomap.model import example
    >>> label = person_label(example())
    >>> label.lines, label.above
    (('Alys',), True)
    """
    above, below = _person_label(m.person.called, above=True), _person_label(m.person.called, above=False)

    def in_the_way(label: Label) -> int:
        fan = _fan(label.box)
        return sum(1 for tie in m.ties if tie.position is not None and _in_fan(tie.position.angle, fan))

    return below if in_the_way(below) < in_the_way(above) else above


def ring_label_boxes() -> dict[str, Box]:
    """The box of each ring's name at the top of the ring, by sector, wide enough for the name in every
    language (``draw.js`` writes it in bold, on a white band padded 8 each side).

    >>> [round((right - left) / PIXEL) for left, _, right, _ in ring_label_boxes().values()]
    [122, 195, 248]
    """
    from ecomap.i18n import LANGUAGES, translator
    from ecomap.vocab import SECTORS

    boxes = {}
    for sector, (_, outer) in RINGS.items():
        widest = max(text_width(translator(lang)(SECTORS[sector].label), size=RING_LABEL_SIZE) for lang in LANGUAGES)
        half = widest * _BOLD / 2 + 8 * PIXEL + _STROKE
        boxes[sector] = (-half, -outer + 4 * PIXEL, half, -outer + 4 * PIXEL + RING_LABEL_HEIGHT)
    return boxes


def _mark_box(x: float, y: float) -> Box:
    return x - NODE_RADIUS, y - NODE_RADIUS, x + NODE_RADIUS, y + NODE_RADIUS


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _grown(box: Box, by: float) -> Box:
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _outside(box: Box) -> float:
    """How much of a box would fall outside the view."""
    inside = _overlap(box, (-VIEW_EDGE, -VIEW_EDGE, VIEW_EDGE, VIEW_EDGE))
    return (box[2] - box[0]) * (box[3] - box[1]) - inside


def _segment_hits(a: Point, b: Point, box: Box) -> bool:
    """Whether the segment from ``a`` to ``b`` runs through the inside of ``box`` (Liang and Barsky's clipping)."""
    ax, ay = a
    bx, by = b
    left, top, right, bottom = box
    if (ax <= left and bx <= left) or (ax >= right and bx >= right) or (ay <= top and by <= top):
        return False
    if ay >= bottom and by >= bottom:
        return False
    start, end = 0.0, 1.0
    dx, dy = bx - ax, by - ay
    for p, q in ((-dx, ax - left), (dx, right - ax), (-dy, ay - top), (dy, bottom - ay)):
        if p == 0:
            if q <= 0:
                return False
            continue
        r = q / p
        if p < 0:
            if r > start:
                start = r
        elif r < end:
            end = r
        if start >= end:
            return False
    return True


@dataclass(frozen=True)
class _Line:
    """A line as drawn: its ``id`` (``tie:t1``, ``link:t1:t2``), the stroke, and where stress ticks may be."""

    id: str
    a: Point
    b: Point
    ticks: tuple[Point, Point] | None

    def hits(self, box: Box) -> bool:
        return self.hits_grown(_grown(box, LINE_REACH), _grown(box, TICK_REACH))

    def hits_grown(self, line_box: Box, tick_box: Box) -> bool:
        """:meth:`hits` for a box already grown by :data:`LINE_REACH` and by :data:`TICK_REACH`."""
        if _segment_hits(self.a, self.b, line_box):
            return True
        return self.ticks is not None and _segment_hits(self.ticks[0], self.ticks[1], tick_box)

    def reach_box(self) -> Box:
        a, b = self.a, self.b
        return _grown((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])), TICK_REACH)


def _line(line_id: str, a: Point, b: Point, *, start: float, stressful: bool) -> _Line:
    """The line from ``a`` to ``b``, drawn from ``start`` past ``a``; a stressful line's ticks stay
    :data:`TICK_END` from each end."""
    length = math.dist(a, b)
    ux, uy = (b[0] - a[0]) / length if length else 0.0, (b[1] - a[1]) / length if length else 0.0
    begin = (a[0] + ux * start, a[1] + uy * start)
    ticks = None
    if stressful and length > 2 * TICK_END:
        ticks = (a[0] + ux * TICK_END, a[1] + uy * TICK_END), (b[0] - ux * TICK_END, b[1] - uy * TICK_END)
    return _Line(line_id, begin, b, ticks)


def _tie_line(tie_id: str, spot: Spot, *, stressful: bool) -> _Line:
    return _line(f"tie:{tie_id}", (0.0, 0.0), (spot.x, spot.y), start=PERSON_RADIUS, stressful=stressful)


def _link_line(a: str, b: str, spots: Mapping[str, Spot], *, stressful: bool) -> _Line:
    return _line(f"link:{a}:{b}", (spots[a].x, spots[a].y), (spots[b].x, spots[b].y), start=0.0, stressful=stressful)


class _Flat(Generic[T]):
    """Things with a box, in a list: for a small map, quicker to look through than cells."""

    def __init__(self) -> None:
        self._items: dict[int, tuple[Box, T]] = {}
        self._next = 0
        self._boxes: _Array | None = None

    def add(self, box: Box, item: T) -> int:
        self._next += 1
        self._items[self._next] = (box, item)
        self._boxes = None
        return self._next

    def remove(self, index: int) -> None:
        del self._items[index]
        self._boxes = None

    def items(self) -> Iterable[tuple[Box, T]]:
        """Every box and thing, in the order they were added."""
        return self._items.values()

    def boxes(self) -> _Array:
        """Every box, in the order they were added, as rows of an array."""
        import numpy as np  # loaded at the first placement: the People page has no need of it

        if self._boxes is None:
            self._boxes = np.array([box for box, _ in self._items.values()]).reshape(-1, 4)
        return self._boxes

    def near(self, box: Box) -> list[tuple[Box, T]]:
        left, top, right, bottom = box
        return [
            found
            for found in self._items.values()
            if found[0][0] < right and left < found[0][2] and found[0][1] < bottom and top < found[0][3]
        ]


class _Grid(Generic[T]):
    """Things with a box, in cells, so a box is checked only against the things near it."""

    CELL = 0.1

    def __init__(self) -> None:
        self._items: dict[int, tuple[Box, T]] = {}
        self._keys_of: dict[int, list[tuple[int, int]]] = {}
        self._cells: dict[tuple[int, int], list[int]] = {}
        self._next = 0

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        left, top, right, bottom = (math.floor(v / self.CELL) for v in box)
        return [(i, j) for i in range(left, right + 1) for j in range(top, bottom + 1)]

    def add(self, box: Box, item: T) -> int:
        index = self._next
        self._next += 1
        self._items[index] = (box, item)
        self._keys_of[index] = keys = self._keys(box)
        for key in keys:
            self._cells.setdefault(key, []).append(index)
        return index

    def remove(self, index: int) -> None:
        del self._items[index]
        for key in self._keys_of.pop(index):
            self._cells[key].remove(index)

    def near(self, box: Box) -> Iterator[tuple[Box, T]]:
        keys = self._keys(box)
        if len(keys) == 1:
            for index in self._cells.get(keys[0], ()):
                yield self._items[index]
            return
        seen: set[int] = set()
        for key in keys:
            for index in self._cells.get(key, ()):
                if index not in seen:
                    seen.add(index)
                    yield self._items[index]


@dataclass(frozen=True)
class _Name:
    """A name's box as lines meet it: grown by a line's reach and a tick's, the angles from the centre
    it covers (``low`` and ``width`` clockwise) and how near the centre it comes."""

    owner: str
    line_box: Box
    tick_box: Box
    low: float
    width: float
    near: float

    @classmethod
    def of(cls, owner: str, box: Box) -> _Name:
        tick_box = _grown(box, TICK_REACH)
        left, top, right, bottom = tick_box
        middle = math.degrees(math.atan2((left + right) / 2, -(top + bottom) / 2))
        turns = [
            (math.degrees(math.atan2(x, -y)) - middle + 180.0) % 360.0 - 180.0
            for x in (left, right)
            for y in (top, bottom)
        ]
        near_x = 0.0 if left <= 0 <= right else min(abs(left), abs(right))
        near_y = 0.0 if top <= 0 <= bottom else min(abs(top), abs(bottom))
        return cls(
            owner,
            _grown(box, LINE_REACH),
            tick_box,
            (middle + min(turns)) % 360.0,
            max(turns) - min(turns),
            math.hypot(near_x, near_y),
        )


def _degrees(name: _Name) -> range | list[int]:
    """The whole degrees (0 to 359) whose lines from the centre may meet ``name``."""
    first = math.floor(name.low)
    return [degree % 360 for degree in range(first, math.floor(name.low + name.width) + 1)]


class _Board:
    """What is drawn: names and marks (kept apart), names (which lines keep off) and lines, by tie."""

    def __init__(self, m: EcoMap, person: Label) -> None:
        self.spots: dict[str, Spot] = {}
        self.shapes = {tie.id: _shape(label_lines(tie.name)) for tie in m.ties}
        self.links: dict[str, list[str]] = {}
        self.stressful = {tie.id for tie in m.ties if tie.stressful}
        self.stressful_links = {frozenset(link.between) for link in m.links if link.stressful}
        for link in m.links:
            a, b = link.between
            self.links.setdefault(a, []).append(b)
            self.links.setdefault(b, []).append(a)
        self.fan = _fan(person.box)
        kind = _Flat if len(m.ties) <= _FLAT_TIES else _Grid
        self._taken: _Flat[str] | _Grid[str] = kind()
        self._names: _Flat[_Name] | _Grid[_Name] = kind()
        self._all_names: dict[int, _Name] = {}
        self._by_angle: dict[int, set[int]] = {}
        self._lines: _Flat[_Line] | _Grid[_Line] = kind()
        self.budget = _BUDGET
        #: Whether only names and marks are kept apart: a map too crowded to keep lines off them too.
        self.names_only = len(m.ties) > _SEARCH_TIES
        self._drawn: dict[str, tuple[int, int, int]] = {}
        self._link_lines: dict[frozenset[str], int] = {}
        self._lines_table: _Segments | None = None
        self._names_table: _Names | None = None
        for owner, box in [*ring_label_boxes().items(), (PERSON, person.box)]:
            self._taken.add(box, owner)
            self._add_name(owner, box)
        self._taken.add((-PERSON_RADIUS, -PERSON_RADIUS, PERSON_RADIUS, PERSON_RADIUS), PERSON)

    def _add_name(self, owner: str, box: Box) -> int:
        self._names_table = None
        name = _Name.of(owner, box)
        index = self._names.add(name.tick_box, name)
        self._all_names[index] = name
        for degree in _degrees(name):
            self._by_angle.setdefault(degree, set()).add(index)
        return index

    def _boxes(self, tie_id: str, spot: Spot) -> tuple[Box, Box]:
        lines, half = self.shapes[tie_id]
        box = _label_box(lines, half, spot)
        return box, _union(box, _mark_box(spot.x, spot.y))

    def _own_links(self, tie_id: str, spot: Spot) -> list[_Line]:
        spots = {**self.spots, tie_id: spot}
        return [
            _link_line(tie_id, other, spots, stressful=frozenset((tie_id, other)) in self.stressful_links)
            for other in self.links.get(tie_id, ())
            if other in self.spots
        ]

    def problems(self, tie_id: str, spot: Spot, limit: int = 1_000_000) -> tuple[int, float]:
        """How many overlaps and crossings the tie (not drawn) would make at ``spot``, and the area of
        its overlaps; counting stops at ``limit``. The cheapest to find are looked for first."""
        self.budget -= 1
        box, footprint = self._boxes(tie_id, spot)
        count, area = 0, 0.0
        for other, _ in self._taken.near(footprint):
            shared = _overlap(footprint, other)
            if shared > 0:
                count, area = count + 1, area + shared
                if count >= limit and not self.names_only:
                    return count, area
        outside = _outside(footprint)
        if outside > 1e-12:
            count, area = count + 1, area + outside
        if self.names_only:
            return count, area
        line_box, tick_box = _grown(box, LINE_REACH), _grown(box, TICK_REACH)
        for _, drawn in self._lines.near(tick_box):
            if drawn.hits_grown(line_box, tick_box):
                count += 1
                if count >= limit:
                    return count, area
        own = _tie_line(tie_id, spot, stressful=tie_id in self.stressful)
        if own.hits_grown(line_box, tick_box):
            count += 1
        angle, distance = spot.angle, spot.distance
        for index in self._by_angle.get(int(angle) % 360, ()):
            name = self._all_names[index]
            if (
                name.near < distance
                and (angle - name.low) % 360.0 <= name.width
                and own.hits_grown(name.line_box, name.tick_box)
            ):
                count += 1
        if count >= limit:
            return count, area
        for line in self._own_links(tie_id, spot):
            if line.hits_grown(line_box, tick_box):
                count += 1
            for _, name in self._names.near(line.reach_box()):
                if line.hits_grown(name.line_box, name.tick_box):
                    count += 1
            if count >= limit:
                return count, area
        return count, area

    def add(self, tie_id: str, spot: Spot) -> None:
        box, footprint = self._boxes(tie_id, spot)
        self.spots[tie_id] = spot
        if self.names_only:  # no line is weighed: only the name and mark are kept
            self._drawn[tie_id] = self._taken.add(footprint, tie_id), -1, -1
            return
        own = _tie_line(tie_id, spot, stressful=tie_id in self.stressful)
        self._lines_table = None
        line = self._lines.add(own.reach_box(), own)
        for link in self._own_links(tie_id, spot):
            self._link_lines[frozenset(link.id.split(":")[1:])] = self._lines.add(link.reach_box(), link)
        self._drawn[tie_id] = self._taken.add(footprint, tie_id), self._add_name(tie_id, box), line

    def remove(self, tie_id: str) -> None:
        taken, name, line = self._drawn.pop(tie_id)
        self._taken.remove(taken)
        if self.names_only:
            del self.spots[tie_id]
            return
        self._names.remove(name)
        self._lines_table = self._names_table = None
        for degree in _degrees(self._all_names.pop(name)):
            self._by_angle[degree].discard(name)
        self._lines.remove(line)
        for other in self.links.get(tie_id, ()):
            index = self._link_lines.pop(frozenset((tie_id, other)), None)
            if index is not None:
                self._lines.remove(index)
        del self.spots[tie_id]

    def best(self, tie_id: str, spots: _Spots) -> Spot:
        """The first of ``spots`` (best first) with nothing in the way, or else the least bad found
        while the budget lasts.

        On a map whose lines are kept off names, the spots after the first are weighed in arrays a
        batch at a time (:meth:`_weigh`): the same choice, and the same budget spent, as one by one."""
        if self.names_only or not isinstance(self._taken, _Flat):
            return self._best_one_by_one(tie_id, spots.each())
        import numpy as np

        assert len(spots)
        count, area = self.problems(tie_id, spots.spot(0))
        best = (count, area, 0)
        at, size = 1, _FIRST_BATCH
        while count and self.budget > 0 and at < len(spots):
            stop = min(at + min(size, self.budget), len(spots))
            counts, areas = self._weigh(tie_id, spots.part(at, stop), best[0])
            clear = np.flatnonzero(counts == 0)
            if len(clear):
                self.budget -= int(clear[0]) + 1
                return spots.spot(at + int(clear[0]))
            self.budget -= stop - at
            least = np.flatnonzero(counts == counts.min())
            chosen = int(least[np.argmin(areas[least])])  # the first of the least bad, as one by one
            if (int(counts[chosen]), float(areas[chosen])) < best[:2]:
                best = (int(counts[chosen]), float(areas[chosen]), at + chosen)
            at, size = stop, size * 4
        return spots.spot(best[2])

    def _best_one_by_one(self, tie_id: str, spots: Iterable[Spot]) -> Spot:
        best: tuple[tuple[int | bool, float], Spot] | None = None
        for spot in spots:
            found: tuple[int | bool, float] = self.problems(tie_id, spot, best[0][0] + 1 if best else 1_000_000)
            if self.names_only:  # as little overlap as can be: a picture drawn smaller then has none
                found = (found[0] > 0, found[1])
            if best is None or found < best[0]:
                best = (found, spot)
                if found[0] == 0:
                    break
            if self.budget <= 0:
                break
        assert best is not None
        return best[1]

    def _weigh(self, tie_id: str, spots: _Spots, most: int) -> tuple[_Array, _Array]:
        """:meth:`problems` of each of ``spots`` at once, in arrays: how many overlaps and crossings,
        and the area of the overlaps (summed in the same order). A spot whose names and marks alone
        meet more than ``most`` is not weighed further: its count is more than ``most`` but may be
        less than its whole. The budget is not spent."""
        import numpy as np

        lines, half = self.shapes[tie_id]
        box = _label_boxes(len(lines), half, spots.x, spots.y, spots.above)
        count, area = self._apart(_footprints(box, spots.x, spots.y))
        left = np.flatnonzero(count <= most)
        if len(left) < len(spots):
            count[left] += self._crossings(tie_id, spots.where(left), box[left])
        else:
            count += self._crossings(tie_id, spots, box)
        return count, area

    def _crossings(self, tie_id: str, spots: _Spots, box: _Array) -> _Array:
        """How many crossings of lines and names each of ``spots`` makes, its name's box in ``box``."""
        import numpy as np

        angle, distance, x, y = spots.angle, spots.distance, spots.x, spots.y
        count = np.zeros(len(spots), dtype=np.int64)
        line_box, tick_box = _grown_boxes(box, LINE_REACH), _grown_boxes(box, TICK_REACH)
        drawn = self._drawn_lines()
        if drawn is not None:  # each drawn line near the name, as in problems
            spot, line = np.nonzero(_boxes_meet(drawn.reach[None, :, :], tick_box[:, None, :]))
            count += np.bincount(spot[drawn.hits(line, line_box[spot], tick_box[spot])], minlength=len(spots))
        own = _Segments.tie_lines(x, y, stressful=tie_id in self.stressful)
        every = np.arange(len(spots))
        count += own.hits(every, line_box, tick_box)
        names = self._name_table()
        degree = angle.astype(np.int64) % 360
        spot, name = np.nonzero(
            names.degrees[:, degree].T
            & (names.near[None, :] < distance[:, None])
            & ((angle[:, None] - names.low[None, :]) % 360.0 <= names.width[None, :])
        )
        count += np.bincount(spot[own.hits(spot, names.line_box[name], names.tick_box[name])], minlength=len(spots))
        for other in self.links.get(tie_id, ()):
            if other not in self.spots:
                continue
            there = self.spots[other]
            stressful = frozenset((tie_id, other)) in self.stressful_links
            link = _Segments.from_spots(x, y, there.x, there.y, stressful=stressful)
            count += link.hits(every, line_box, tick_box)
            spot, name = np.nonzero(_boxes_meet(names.tick_box[None, :, :], link.reach[:, None, :]))
            met = link.hits(spot, names.line_box[name], names.tick_box[name])
            count += np.bincount(spot[met], minlength=len(spots))
        return count

    def _apart(self, footprint: _Array) -> tuple[_Array, _Array]:
        """For each footprint (rows of boxes), how many boxes drawn it overlaps (one more when it falls
        outside the view) and the area of those overlaps, summed in the order the boxes were drawn."""
        import numpy as np

        assert isinstance(self._taken, _Flat)
        taken = self._taken.boxes()
        left, top, right, bottom = (footprint[:, side] for side in range(4))
        width = np.minimum(right[:, None], taken[:, 2]) - np.maximum(left[:, None], taken[:, 0])
        height = np.minimum(bottom[:, None], taken[:, 3]) - np.maximum(top[:, None], taken[:, 1])
        met = (width > 0) & (height > 0)
        area = np.cumsum(np.where(met, width * height, 0.0), axis=1)[:, -1]  # in order, as one by one
        seen_w = np.minimum(right, VIEW_EDGE) - np.maximum(left, -VIEW_EDGE)
        seen_h = np.minimum(bottom, VIEW_EDGE) - np.maximum(top, -VIEW_EDGE)
        outside = (right - left) * (bottom - top) - np.where((seen_w > 0) & (seen_h > 0), seen_w * seen_h, 0.0)
        out = outside > 1e-12
        return met.sum(axis=1) + out, np.where(out, area + outside, area)

    def _drawn_lines(self) -> _Segments | None:
        if self._lines_table is None:
            assert isinstance(self._lines, _Flat)
            drawn = [line for _, line in self._lines.items()]
            self._lines_table = _Segments.of(drawn) if drawn else None
        return self._lines_table

    def _name_table(self) -> _Names:
        if self._names_table is None:
            self._names_table = _Names.of(list(self._all_names.values()))
        return self._names_table

    def best_round(
        self,
        tie_id: str,
        sector: str,
        angle: float,
        distance: float,
        low: float,
        high: float,
        *,
        first: Spot | None = None,
    ) -> Spot:
        """:meth:`best` of ``first`` (if given), then the spots with the name away from the centre that
        :func:`_tries` gives for these arguments."""
        spots = _tries(sector, angle, distance, low, high).outward()
        if first is not None:
            spots = _Spots.of([first]) + spots
        if self.names_only and isinstance(self._taken, _Flat):
            return self._best_apart(tie_id, spots)
        return self.best(tie_id, spots)

    def _best_apart(self, tie_id: str, spots: _Spots) -> Spot:
        """:meth:`best` on a map where only names and marks are kept apart, every spot weighed at once
        against every box drawn, in arrays: the same choice, and the same budget spent, as weighing them
        one by one with :meth:`problems` (the overlaps are summed in the same order)."""
        import numpy as np

        lines, half = self.shapes[tie_id]
        weighed = min(len(spots), max(self.budget, 1))
        x, y, above = spots.x[:weighed], spots.y[:weighed], spots.above[:weighed]
        count, area = self._apart(_footprints(_label_boxes(len(lines), half, x, y, above), x, y))
        clear = np.flatnonzero(count == 0)
        chosen = int(clear[0]) if len(clear) else int(np.argmin(area))  # the first clear, or the first least
        self.budget -= chosen + 1 if len(clear) else weighed
        return spots.spot(chosen)


def _label_boxes(lines: int, half: float, x: _Array, y: _Array, above: _Array) -> _Array:
    """:func:`_label_box` of a name of ``lines`` lines at each spot, as rows of an array."""
    import numpy as np

    far = NODE_RADIUS + LABEL_GAP + lines * LINE_HEIGHT
    top = np.where(above, y - far, y + NODE_RADIUS)
    bottom = np.where(above, y - NODE_RADIUS, y + far)
    return np.stack([x - half, top, x + half, bottom], axis=1)


def _footprints(box: _Array, x: _Array, y: _Array) -> _Array:
    """Each name's box with its mark's (:func:`_union` with :func:`_mark_box`), as rows of an array."""
    import numpy as np

    return np.stack(
        [
            np.minimum(box[:, 0], x - NODE_RADIUS),
            np.minimum(box[:, 1], y - NODE_RADIUS),
            np.maximum(box[:, 2], x + NODE_RADIUS),
            np.maximum(box[:, 3], y + NODE_RADIUS),
        ],
        axis=1,
    )


def _grown_boxes(box: _Array, by: float) -> _Array:
    import numpy as np

    grown: _Array = box + np.array((-by, -by, by, by))
    return grown


def _boxes_meet(a: _Array, b: _Array) -> _Array:
    """Whether boxes (the last axis) overlap with some area, as :meth:`_Flat.near` finds them."""
    return (a[..., 0] < b[..., 2]) & (b[..., 0] < a[..., 2]) & (a[..., 1] < b[..., 3]) & (b[..., 1] < a[..., 3])


def _segments_hit(ax: _Array, ay: _Array, bx: _Array, by: _Array, box: _Array) -> _Array:
    """:func:`_segment_hits` of segments and boxes that broadcast together, in arrays, to the last bit:
    each side's ``q / p`` there is ``(side - a) / d`` here (the same number)."""
    import numpy as np

    left, top, right, bottom = (box[..., side] for side in range(4))
    dead = ((ax <= left) & (bx <= left)) | ((ax >= right) & (bx >= right)) | ((ay <= top) & (by <= top))
    dead |= (ay >= bottom) & (by >= bottom)
    start, end = np.zeros(dead.shape), np.ones(dead.shape)
    for a, d, low, high in ((ax, bx - ax, left, right), (ay, by - ay, top, bottom)):
        still = d == 0
        dead |= still & ((a <= low) | (a >= high))
        step = np.where(still, 1.0, d)
        with np.errstate(over="ignore"):  # as Python's division: an infinity
            at_low, at_high = (low - a) / step, (high - a) / step
        start = np.where(still, start, np.maximum(start, np.minimum(at_low, at_high)))
        end = np.where(still, end, np.minimum(end, np.maximum(at_low, at_high)))
    return ~dead & (start < end)


@dataclass(frozen=True)
class _Segments:
    """Lines as :class:`_Line` draws them, in arrays: the stroke from ``a`` to ``b``, the stretch
    that may carry stress ticks (where ``ticked``) and the box they reach."""

    ax: _Array
    ay: _Array
    bx: _Array
    by: _Array
    ticked: _Array
    tax: _Array
    tay: _Array
    tbx: _Array
    tby: _Array
    reach: _Array

    @classmethod
    def of(cls, lines: list[_Line]) -> _Segments:
        import numpy as np

        rows = [
            (*line.a, *line.b, line.ticks is not None, *(line.ticks[0] + line.ticks[1] if line.ticks else (0.0,) * 4))
            for line in lines
        ]
        ax, ay, bx, by, ticked, tax, tay, tbx, tby = (np.array(column) for column in zip(*rows, strict=True))
        reach = np.array([line.reach_box() for line in lines])
        return cls(ax, ay, bx, by, ticked.astype(bool), tax, tay, tbx, tby, reach)

    @classmethod
    def tie_lines(cls, x: _Array, y: _Array, *, stressful: bool) -> _Segments:
        """:func:`_tie_line` to each spot."""
        return cls.from_spots(0.0, 0.0, x, y, stressful=stressful, start=PERSON_RADIUS)

    @classmethod
    def from_spots(
        cls, ax: _Array | float, ay: _Array | float, bx: _Array | float, by: _Array | float, *, stressful: bool,
        start: float = 0.0,
    ) -> _Segments:  # fmt: skip
        """:func:`_line` from each ``a`` to each ``b`` (one of them may be a single point)."""
        import numpy as np

        ax, ay, bx, by = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (ax, ay, bx, by)))
        dx, dy = bx - ax, by - ay
        length = np.array(list(map(math.hypot, dx.tolist(), dy.tolist())))  # math.dist's, to the last bit
        some = length != 0
        with np.errstate(divide="ignore", invalid="ignore"):
            ux = np.where(some, dx / length, 0.0)
            uy = np.where(some, dy / length, 0.0)
        begin_x, begin_y = ax + ux * start, ay + uy * start
        ticked = np.full(length.shape, stressful) & (length > 2 * TICK_END)
        tax, tay = ax + ux * TICK_END, ay + uy * TICK_END
        tbx, tby = bx - ux * TICK_END, by - uy * TICK_END
        ends = [np.minimum(begin_x, bx), np.minimum(begin_y, by), np.maximum(begin_x, bx), np.maximum(begin_y, by)]
        reach = _grown_boxes(np.stack(ends, axis=1), TICK_REACH)
        return cls(begin_x, begin_y, bx, by, ticked, tax, tay, tbx, tby, reach)

    def hits(self, which: _Array, line_box: _Array, tick_box: _Array) -> _Array:
        """:meth:`_Line.hits_grown` of the lines ``which`` (indices, one for each pair) against the
        boxes of each pair (rows)."""
        stroke = _segments_hit(self.ax[which], self.ay[which], self.bx[which], self.by[which], line_box)
        ticked = self.ticked[which]
        if not ticked.any():
            return stroke
        ticks = _segments_hit(self.tax[which], self.tay[which], self.tbx[which], self.tby[which], tick_box)
        return stroke | (ticked & ticks)


@dataclass(frozen=True)
class _Names:
    """The names lines keep off (:class:`_Name`), in arrays, with the whole degrees each may meet."""

    line_box: _Array
    tick_box: _Array
    low: _Array
    width: _Array
    near: _Array
    degrees: _Array

    @classmethod
    def of(cls, names: list[_Name]) -> _Names:
        import numpy as np

        degrees = np.zeros((len(names), 360), dtype=bool)
        for row, name in enumerate(names):
            degrees[row, list(_degrees(name))] = True
        return cls(
            np.array([name.line_box for name in names]).reshape(-1, 4),
            np.array([name.tick_box for name in names]).reshape(-1, 4),
            np.array([name.low for name in names]),
            np.array([name.width for name in names]),
            np.array([name.near for name in names]),
            degrees,
        )


@dataclass(frozen=True)
class _Spots:
    """Spots to try, best first, as arrays of each field of :class:`Spot` (with ``above`` said)."""

    angle: _Array
    distance: _Array
    x: _Array
    y: _Array
    above: _Array

    @classmethod
    def of(cls, spots: Iterable[Spot]) -> _Spots:
        import numpy as np

        rows = [(spot.angle, spot.distance, spot.x, spot.y, spot.label_above) for spot in spots]
        kinds = (float, float, float, float, bool)
        columns = zip(*rows, strict=True) if rows else [()] * len(kinds)
        angle, distance, x, y, above = (
            np.array(column, dtype=kind) for column, kind in zip(columns, kinds, strict=True)
        )
        return cls(angle, distance, x, y, above)

    def __len__(self) -> int:
        return len(self.x)

    def __add__(self, other: _Spots) -> _Spots:
        import numpy as np

        return _Spots(*(np.concatenate((a, b)) for a, b in zip(self.columns(), other.columns(), strict=True)))

    def columns(self) -> tuple[_Array, _Array, _Array, _Array, _Array]:
        return self.angle, self.distance, self.x, self.y, self.above

    def part(self, start: int, stop: int) -> _Spots:
        return _Spots(*(column[start:stop] for column in self.columns()))

    def where(self, keep: _Array) -> _Spots:
        return _Spots(*(column[keep] for column in self.columns()))

    def outward(self) -> _Spots:
        """Only the spots with the name away from the centre."""
        return self.where(self.above == (self.y < 0))

    def without(self, keys: Iterable[tuple[float, float, bool]]) -> _Spots:
        """The spots but those with any of these keys (:func:`_key`)."""
        import numpy as np

        keep = np.ones(len(self), dtype=bool)
        for angle, distance, above in keys:
            keep &= ~((self.angle == angle) & (self.distance == distance) & (self.above == above))
        return self.where(keep)

    def spot(self, index: int) -> Spot:
        return Spot(float(self.angle[index]), float(self.distance[index]), float(self.x[index]), float(self.y[index]),
                    bool(self.above[index]))  # fmt: skip

    def each(self) -> Iterator[Spot]:
        return (self.spot(index) for index in range(len(self)))


def _round6(values: _Array) -> _Array:
    """``round(v, 6) + 0.0`` of each value, as Python rounds (a value a hair from halfway is rounded by Python)."""
    import numpy as np

    scaled = values * 1e6
    rounded = np.rint(scaled) / 1e6 + 0.0
    doubtful = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for index in zip(*np.nonzero(doubtful), strict=True):
        rounded[index] = round(float(values[index]), 6) + 0.0
    return rounded


def _shape(lines: list[str]) -> tuple[tuple[str, ...], float]:
    return tuple(lines), _measure(lines, LABEL_SIZE)[1]


def _label_box(lines: tuple[str, ...], half: float, spot: Spot) -> Box:
    far = NODE_RADIUS + LABEL_GAP + len(lines) * LINE_HEIGHT
    if spot.label_above:
        return spot.x - half, spot.y - far, spot.x + half, spot.y - NODE_RADIUS
    return spot.x - half, spot.y + NODE_RADIUS, spot.x + half, spot.y + far


def _sides(angle: float, distance: float) -> tuple[Spot, Spot]:
    """The spot with its name away from the centre, then with it the other way."""
    angle = round(angle % 360.0, 3)
    x, y = to_xy(angle, distance)
    return Spot(angle, distance, x, y, y < 0), Spot(angle, distance, x, y, y >= 0)


#: How far, in degrees, each try moves a tie round its ring, and how far along the radius.
_ANGLE_STEP = 1.5
_DISTANCE_STEPS = (0.0, 0.04, -0.04, 0.08, -0.08)
#: A tie placed by hand moves at most this far round its ring (degrees) to make room.
_FURTHEST = 180.0
#: A map of up to this many ties keeps its boxes in a list, a larger one in cells.
_FLAT_TIES = 80
#: How many places each attempt of :func:`place` tries (about 10 microseconds each) before it settles
#: for the least bad it has found, so that a crowded map is placed in a fraction of a second.
_BUDGET = 20_000
#: How many spots :meth:`_Board.best` weighs in arrays at once after the first, four times more each time.
_FIRST_BATCH = 24
#: A map of more ties than this has no room for every name anyway (tests/test_layout.py has the
#: measures): each tie takes the best place in its share of the ring, with no search beyond it.
_SEARCH_TIES = 24
#: Where else the ties placed for the map may start in their shares, when the first try leaves
#: something in the way on a map of up to :data:`_RESTART_TIES` ties
#: and that is nearly clear: at most this many overlaps and crossings, each counted from both sides.
_OFFSETS = (0.0, 0.25, 0.75)
_RESTART_TIES = 16
_RESTART_TROUBLE = 8
#: How many times round a crowded map's ties each move to where their names meet the least of others.
_EASE_ROUNDS = 2
#: How many times every tie still in the way of something is moved to its least bad place.
_ROUNDS = 16


@lru_cache(maxsize=1024)
def _distances(sector: str, distance: float) -> tuple[float, ...]:
    """The distances from the centre :func:`_tries` tries in ``sector``'s ring, nearest ``distance`` first."""
    inner, outer = RINGS[sector]
    ends = (inner + RING_MARGIN, _middle(sector), outer - RING_MARGIN)
    distances = {keep_in_ring(sector, distance + step) for step in _DISTANCE_STEPS} | {distance, *ends}
    return tuple(sorted(distances, key=lambda d: (abs(d - distance), d)))


def _tries(sector: str, angle: float, distance: float, low: float, high: float, *, furthest: float = 360.0) -> _Spots:
    """Spots in ``sector``'s ring with angles from ``low`` to ``high`` and at most ``furthest`` from
    ``angle`` (all three unwrapped alike): round the ring from ``angle`` a step at a time, either way,
    and at each angle the distances nearest to ``distance`` first; each with its name away from the
    centre and then the other way (the same numbers as :func:`_sides` gives)."""
    import numpy as np

    low, high = max(low, angle - furthest), min(high, angle + furthest)
    start = min(max(angle, low), high)
    angles = [start] if low <= start <= high else []
    for step in itertools.count(1):
        inside = [a for a in (start + step * _ANGLE_STEP, start - step * _ANGLE_STEP) if low <= a <= high]
        if not inside or not angles:
            break
        angles += inside
    rounded = [round(a % 360.0, 3) for a in angles]
    radians = [math.radians(a) for a in rounded]
    sines = np.array([math.sin(r) for r in radians])
    cosines = np.array([math.cos(r) for r in radians])
    d = np.array(_distances(sector, distance))
    x = _round6(np.multiply.outer(sines, d)).ravel()
    y = _round6(np.multiply.outer(cosines, -d)).ravel()
    outward = y < 0
    return _Spots(
        np.repeat(rounded, 2 * len(d)),
        np.tile(np.repeat(d, 2), len(rounded)),
        np.repeat(x, 2),
        np.repeat(y, 2),
        np.stack((outward, ~outward), axis=1).ravel(),
    )


def _spread(wanted: list[float], widths: list[float], low: float, high: float) -> list[float]:
    """Angles as near as they can be to ``wanted`` (in order, unwrapped), keeping their order, each two
    neighbours at least their half ``widths`` apart (less, in proportion, when the room from ``low``
    to ``high`` is too small), all inside it: the nearest in the least squares, found by pooling
    adjacent violators on each angle less the room the ones before it need.

    >>> _spread([10.0, 11.0, 12.0], [5.0, 5.0, 5.0], 0.0, 100.0)
    [1.0, 11.0, 21.0]
    >>> _spread([10.0, 90.0], [5.0, 5.0], 20.0, 60.0)
    [20.0, 60.0]
    """
    gaps = [a + b for a, b in itertools.pairwise(widths)]
    room = max(0.0, high - low)
    if sum(gaps) > room:
        gaps = [gap * room / sum(gaps) for gap in gaps]
    offsets = [0.0, *itertools.accumulate(gaps)]
    pools: list[list[float]] = []  # [sum, count]
    for value in (w - o for w, o in zip(wanted, offsets, strict=True)):
        pools.append([value, 1.0])
        while len(pools) > 1 and pools[-2][0] / pools[-2][1] > pools[-1][0] / pools[-1][1]:
            total, count = pools.pop()
            pools[-1][0] += total
            pools[-1][1] += count
    fitted = [total / count for total, count in pools for _ in range(int(count))]
    top = max(low, high - offsets[-1])
    return [round(min(max(q, low), top) + o, 6) for q, o in zip(fitted, offsets, strict=True)]


def _interleaved(ties: list[Tie]) -> list[Tie]:
    """The ties in one sequence round the circle, each ring's spread evenly among the others' (inner
    rings first at the same share of the way round), so no two rings' ties share an angle."""
    keyed = []
    for ring, sector in enumerate(RINGS):
        ours = [t for t in ties if t.sector == sector]
        keyed += [((i + 0.5) / len(ours), ring, i, t) for i, t in enumerate(ours)]
    return [t for *_, t in sorted(keyed, key=lambda k: k[:3])]


def _middle(sector: str) -> float:
    inner, outer = RINGS[sector]
    return round(inner + (outer - inner) * _MIDDLE_SHARE, 6)


def _widest_gap(angles: list[float], fan: tuple[float, float]) -> float:
    """The middle of the widest gap between ``angles`` in the arc the person's ``fan`` leaves free."""
    start, end = fan
    free = (start - end) % 360.0 or 360.0
    inside = sorted(end + (a - end) % 360.0 for a in angles if (a - end) % 360.0 <= free)
    gaps = list(itertools.pairwise([end, *inside, end + free]))
    low, high = max(gaps, key=lambda gap: (round(gap[1] - gap[0], 9), -gap[0]))
    return (low + high) / 2


class _Layout:
    """The ties of one map being placed, and the room each may move in."""

    def __init__(self, m: EcoMap) -> None:
        self.board = _Board(m, person_label(m))
        self.ties = list(m.ties)
        start, end = self.board.fan
        self.low, self.free = end, (start - end) % 360.0 or 360.0
        self.saved = {t.id: t.position for t in m.ties if t.position is not None}
        self.target: dict[str, float] = {}
        #: Where in its share of the arc each tie placed for it starts (a share of its step).
        self.offset = 0.5
        #: A map too crowded for a clear drawing anyway is placed quickly: no search beyond each tie's share.
        self.searching = len(m.ties) <= _SEARCH_TIES
        self.ring = {
            sector: sorted(
                (t for t in m.ties if t.sector == sector and t.id in self.saved),
                key=lambda t: (self.saved[t.id].angle, t.id),
            )
            for sector in RINGS
        }

    def _saved(self, tie: Tie) -> tuple[float, float]:
        position = self.saved[tie.id]
        assert position is not None
        return position.angle, keep_in_ring(tie.sector, position.distance)

    def _by_hand_tries(self, tie: Tie, at: float, low: float, high: float) -> _Spots:
        _, distance = self._saved(tie)
        angle = self.target[tie.id]
        wanted = at + (angle - at + 180.0) % 360.0 - 180.0
        return _tries(tie.sector, wanted, distance, low, high, furthest=_FURTHEST)

    def _free_tries(self, tie: Tie, angle: float, distance: float) -> _Spots:
        angle = self.low + (angle - self.low) % 360.0
        return _tries(tie.sector, angle, distance, self.low, self.low + self.free)

    def first(self) -> None:
        """Saved places first, ring by ring from the centre, each ring in its order from its widest
        gap, each moved as little as it must; then the others: evenly round the free arc, the rings
        interleaved, or each into the widest gap of its ring when the ring has saved places."""
        for sector in RINGS:
            self._first_by_hand(self.ring[sector])
        automatic = [t for t in self.ties if t.id not in self.saved]
        if self.board.names_only:
            self._first_names_only(automatic)
            return
        spread = _interleaved([t for t in automatic if not self.ring[t.sector]])
        step = self.free / len(spread) if spread else 0.0
        for tie in automatic:
            if self.ring[tie.sector]:
                ours = {t.id for t in self.ties if t.sector == tie.sector}
                taken = [s.angle for key, s in self.board.spots.items() if key in ours]
                tries = self._free_tries(tie, _widest_gap(taken, self.board.fan), _middle(tie.sector))
            else:
                base = self.low + step * self.offset + spread.index(tie) * step
                tries = _tries(tie.sector, base, _middle(tie.sector), base - step / 2, base + step / 2)
                if self.searching:
                    tries = tries + self._free_tries(tie, base, _middle(tie.sector))
            self.board.add(tie.id, self.board.best(tie.id, tries))

    def _first_names_only(self, ties: list[Tie]) -> None:
        """On a map too crowded to keep lines off names: each ring's ties evenly round the whole ring,
        each at the place in its share where its name (away from the centre) meets the least of others."""
        for sector in RINGS:
            ours = [t for t in ties if t.sector == sector]
            if self.ring[sector]:
                for tie in ours:
                    taken = [s.angle for key, s in self.board.spots.items() if key in {t.id for t in self.ring[sector]}]
                    base = _widest_gap(taken, (0.0, 0.0))
                    self.board.add(
                        tie.id, self.board.best(tie.id, _tries(sector, base, _middle(sector), base - 180, base + 180))
                    )
                continue
            step = 360.0 / len(ours) if ours else 0.0
            for index, tie in enumerate(ours):
                base = step / 2 + index * step
                # names outward: fewer meet
                self.board.add(
                    tie.id,
                    self.board.best_round(tie.id, sector, base, _middle(sector), base - step / 2, base + step / 2),
                )

    def ease(self) -> None:
        """On a map too crowded to keep lines off names: each tie placed for it, in turn, moves within
        its share of its ring to where its name meets the least of the others, twice round."""
        shares = {s: 360.0 / max(1, sum(t.sector == s for t in self.ties)) for s in RINGS}
        for _ in range(_EASE_ROUNDS):
            for tie in self.ties:
                if tie.id in self.saved:
                    continue
                spot = self.board.spots[tie.id]
                self.board.remove(tie.id)
                half = shares[tie.sector] / 2
                better = self.board.best_round(
                    tie.id, tie.sector, spot.angle, spot.distance, spot.angle - half, spot.angle + half, first=spot
                )
                self.board.add(tie.id, better)

    def _first_by_hand(self, ring: list[Tie]) -> None:
        """A ring's saved places in their order round it, spread (:func:`_spread`) as far as their names
        need, outside the person's name; then each tie at the clear spot nearest its spread place,
        after the one before it and before the first, round the circle."""
        if not ring:
            return
        start, end = self.board.fan
        cut = start + ((end - start) % 360.0) / 2  # the middle of the person's fan: no line goes there
        order = sorted(ring, key=lambda t: ((self._saved(t)[0] - cut) % 360.0, t.id))
        wanted = [cut + (self._saved(t)[0] - cut) % 360.0 for t in order]
        low = cut + (end - cut) % 360.0
        widths = [self._half_width(t) for t in order]
        # The first and last keep their names' half widths inside the arc the person's name leaves free.
        targets = _spread(wanted, widths, low + widths[0], low + self.free - widths[-1])
        edges = [
            targets[0] - widths[0],
            *((x + y) / 2 for x, y in itertools.pairwise(targets)),
            targets[-1] + widths[-1],
        ]
        for index, (tie, target) in enumerate(zip(order, targets, strict=True)):
            _, distance = self._saved(tie)
            low, high = edges[index] + 0.01, edges[index + 1] - 0.01
            kept = _sides(wanted[index], distance) if low <= wanted[index] <= high else ()  # where it was saved
            tries = _Spots.of(kept) + _tries(tie.sector, target, distance, low, high)
            self.board.add(tie.id, self.board.best(tie.id, tries))
        self.target.update({t.id: x % 360.0 for t, x in zip(order, targets, strict=True)})

    def _half_width(self, tie: Tie) -> float:
        """Half the angle a tie's name and mark take, seen from the centre, at its saved distance."""
        lines, half = self.board.shapes[tie.id]
        tall = (NODE_RADIUS * 2 + LABEL_GAP + len(lines) * LINE_HEIGHT) / 2
        return math.degrees(math.atan2(max(half, tall) + LINE_REACH, self._saved(tie)[1]))

    def _room(self, tie: Tie, at: float) -> tuple[float, float]:
        """Where a saved tie now at ``at`` may move (from, to, unwrapped): between its neighbours round its ring."""
        ring = self.ring[tie.sector]
        if len(ring) == 1:
            return at - 180.0, at + 180.0
        index = ring.index(tie)
        before = self.board.spots[ring[index - 1].id].angle
        after = self.board.spots[ring[(index + 1) % len(ring)].id].angle
        return at - (at - before) % 360.0 + 0.01, at + (after - at) % 360.0 - 0.01

    def trouble(self) -> int:
        """How many overlaps and crossings there are now, each counted from both sides."""
        total = 0
        for tie in self.ties:
            spot = self.board.spots[tie.id]
            self.board.remove(tie.id)
            total += self.board.problems(tie.id, spot)[0]
            self.board.add(tie.id, spot)
        return total

    def repair(self) -> None:
        """Move each tie still in the way of something to its least bad place, round after round; a
        tie that cannot do better moves to another place as bad, never back to one it left, so the
        others may find room. The best drawing met is kept."""
        left: dict[str, set[tuple[float, float, bool]]] = {tie.id: set() for tie in self.ties}
        best = (self.trouble(), dict(self.board.spots))
        for _ in range(_ROUNDS):
            if best[0] == 0:
                break
            moved = False
            for tie in self.ties:
                spot = self.board.spots[tie.id]
                self.board.remove(tie.id)
                now = self.board.problems(tie.id, spot)
                if now[0] == 0:
                    self.board.add(tie.id, spot)
                    continue
                if tie.id in self.saved:
                    tries = self._by_hand_tries(tie, spot.angle, *self._room(tie, spot.angle))
                else:
                    tries = self._free_tries(tie, spot.angle, spot.distance)
                left[tie.id].add(_key(spot))
                better = self.board.best(tie.id, tries.without(left[tie.id]) + _Spots.of([spot]))
                if self.board.problems(tie.id, better) > now:
                    better = spot
                moved = moved or better != spot
                self.board.add(tie.id, better)
            trouble = self.trouble()
            if trouble < best[0]:
                best = (trouble, dict(self.board.spots))
            if not moved:
                break
        if self.board.spots != best[1]:
            for tie in self.ties:
                self.board.remove(tie.id)
            for tie in self.ties:
                self.board.add(tie.id, best[1][tie.id])


def _key(spot: Spot) -> tuple[float, float, bool]:
    return spot.angle, spot.distance, spot.label_above


def place(m: EcoMap) -> dict[str, Spot]:
    """Every tie's spot, keyed by tie id; the map is not changed.

    Ring by ring from the centre out, ties placed by hand first, in their order round the ring:
    each keeps its place unless its name or lines would meet what is already drawn, and then moves
    as little as it must, round its ring (never past its neighbours) or within it. The others go
    evenly round their ring, outside the person's name, each moved as little as it must from there.
    Then each tie still in the way of something (or with something in its way) moves to its least
    bad place, round after round, until nothing is in the way or nothing moves. A name sits on the
    side of its mark away from the centre, or on the other side when only that side is clear.
    """
    layout = _Layout(m)
    layout.first()
    if layout.board.names_only and len(m.ties) <= _FLAT_TIES:
        layout.ease()
    if layout.searching:
        layout.repair()
        for offset in _OFFSETS if len(m.ties) <= _RESTART_TIES else ():
            if not 0 < layout.trouble() <= _RESTART_TROUBLE:
                break
            again = _Layout(m)
            again.offset = offset
            again.first()
            again.repair()
            if again.trouble() < layout.trouble():
                layout = again
    return {tie.id: layout.board.spots[tie.id] for tie in m.ties}


def layout_key(m: EcoMap) -> tuple[object, ...]:
    """Everything :func:`place` depends on: the same key always gives the same spots.

    A change of strength or of words keeps the key, so a caller may keep the spots; a change of
    stress does not (a stressful line's ticks reach further).

    >>> from ecomap.model import example
    >>> layout_key(example())
    ('Alys', (('t1', 'Mam', 'family', False, None, None),), ())
    """
    ties = tuple(
        (
            tie.id,
            tie.name,
            tie.sector,
            tie.stressful,
            tie.position.angle if tie.position else None,
            tie.position.distance if tie.position else None,
        )
        for tie in m.ties
    )
    return m.person.called, ties, tuple((link.between, link.stressful) for link in m.links)


@dataclass(frozen=True)
class Crossing:
    """A line (``tie:t1``, ``link:t1:t2``) that runs through a name (a tie's id, the person's, ``ring:family``)."""

    line: str
    label: str


def _drawing(m: EcoMap, spots: Mapping[str, Spot] | None) -> tuple[dict[str, Spot], dict[str, Box], dict[str, Box]]:
    """The spots, every name's box by whose name it is, and every name's and mark's box together."""
    spots = dict(spots if spots is not None else place(m))
    person = person_label(m)
    labels = {tie.id: tie_label(tie.name, spots[tie.id]).box for tie in m.ties}
    rings = {f"ring:{sector}": box for sector, box in ring_label_boxes().items()}
    names = {**labels, PERSON: person.box, **rings}
    taken = {
        **{tie.id: _union(labels[tie.id], _mark_box(spots[tie.id].x, spots[tie.id].y)) for tie in m.ties},
        PERSON: person.box,
        "@dot": (-PERSON_RADIUS, -PERSON_RADIUS, PERSON_RADIUS, PERSON_RADIUS),
        **rings,
    }
    return spots, names, taken


def crossings(m: EcoMap, spots: Mapping[str, Spot] | None = None) -> list[Crossing]:
    """Every line, or the stress ticks it may carry, that runs through a name, as the map is drawn.

    The lines are each tie's line from the person's dot and each link; the names are the ties',
    the person's and the rings'. ``spots`` is the layout to check (by default :func:`place`'s).

    >>> from ecomap.model import example
    >>> m = example().with_tie({"id": "t2", "name": "Taid", "sector": "services"})
    >>> crossings(m)
    []
    >>> crossings(m, {"t1": Spot(90.0, 0.34, 0.34, 0.0), "t2": Spot(100.0, 0.9, *to_xy(100.0, 0.9))})
    [Crossing(line='tie:t2', label='t1')]
    """
    spots, names, _ = _drawing(m, spots)
    lines = [_tie_line(tie.id, spots[tie.id], stressful=tie.stressful) for tie in m.ties]
    lines += [_link_line(*link.between, spots, stressful=link.stressful) for link in m.links]
    return [Crossing(line.id, name) for line in lines for name, box in names.items() if line.hits(box)]


def overlaps(m: EcoMap, spots: Mapping[str, Spot] | None = None) -> list[tuple[str, str]]:
    """Every two names (with their marks) that overlap, and every name or mark outside the view.

    A name outside the view is paired with ``"view"``.

    >>> from ecomap.model import example
    >>> overlaps(example()), overlaps(example(), {"t1": Spot(0.0, 0.15, 0.0, -0.15)})
    ([], [('t1', '@person')])
    """
    _, _, taken = _drawing(m, spots)
    pairs = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(taken.items(), 2) if _overlap(box_a, box_b)]
    return pairs + [(name, "view") for name, box in taken.items() if _outside(box) > 1e-12]


def position_for(sector: str, x: float, y: float) -> Position:
    """The position to save when a tie is dropped at screen point (``x``, ``y``), kept in its ring."""
    angle, distance = from_xy(x, y)
    return Position(angle=angle, distance=keep_in_ring(sector, distance))
