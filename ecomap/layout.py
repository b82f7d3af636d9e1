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
(0.0, 0.34)
>>> to_xy(90, 0.5)
(0.5, 0.0)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from ecomap.model import EcoMap, Position, Tie
from ecomap.vocab import Sector

#: The band of distances each sector's ring covers, inner to outer.
RINGS: dict[str, tuple[float, float]] = {
    "family": (0.22, 0.46),
    "community": (0.46, 0.72),
    "services": (0.72, 0.98),
}
#: Where the ring of ties sits inside each band when they are placed automatically.
_MIDDLE_SHARE = 0.5
#: Rings with more ties than this alternate between an inner and an outer track, so labels have room.
_STAGGER_ABOVE = 6
_STAGGER_SHARE = 0.22
#: Each ring starts at a different angle, so that lines from the centre do not run through each other.
_RING_OFFSET = {"family": 0.0, "community": 20.0, "services": 40.0}


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


def keep_in_ring(sector: str, distance: float) -> float:
    """``distance`` moved inside ``sector``'s ring, with a small margin from its edges.

    >>> keep_in_ring("family", 0.9)
    0.43
    """
    inner, outer = RINGS[sector]
    margin = 0.03
    return round(min(max(distance, inner + margin), outer - margin), 6)


def _widest_gap_middle(taken: list[float], default: float) -> float:
    if not taken:
        return default
    ordered = sorted(taken)
    best_start, best_size = ordered[-1], ordered[0] + 360.0 - ordered[-1]
    for a, b in itertools.pairwise(ordered):
        if b - a > best_size:
            best_start, best_size = a, b - a
    return round((best_start + best_size / 2) % 360.0, 3)


def place(m: EcoMap) -> dict[str, Spot]:
    """Every tie's spot, keyed by tie id; the map is not changed."""
    spots: dict[str, Spot] = {}
    for sector in RINGS:
        ties = [t for t in m.ties if t.sector == sector]
        spots.update(_place_ring(sector, ties))
    return spots


def _place_ring(sector: str, ties: list[Tie]) -> dict[str, Spot]:
    inner, outer = RINGS[sector]
    middle = inner + (outer - inner) * _MIDDLE_SHARE
    stagger = (outer - inner) * _STAGGER_SHARE if len(ties) > _STAGGER_ABOVE else 0.0
    placed_by_hand = [t for t in ties if t.position is not None]
    result: dict[str, Spot] = {}
    taken: list[float] = []
    for tie in placed_by_hand:
        assert tie.position is not None
        distance = keep_in_ring(sector, tie.position.distance)
        result[tie.id] = Spot(tie.position.angle, distance, *to_xy(tie.position.angle, distance))
        taken.append(tie.position.angle)
    step = 360.0 / len(ties) if ties else 0.0
    for index, tie in enumerate(ties):
        if tie.position is not None:
            continue
        evenly = round((_RING_OFFSET[sector] + index * step) % 360.0, 3)
        angle = evenly if not placed_by_hand else _widest_gap_middle(taken, evenly)
        track = -stagger if index % 2 == 0 else stagger
        distance = round(middle + track, 6)
        result[tie.id] = Spot(angle, distance, *to_xy(angle, distance))
        taken.append(angle)
    return result


def position_for(sector: str, x: float, y: float) -> Position:
    """The position to save when a tie is dropped at screen point (``x``, ``y``), kept in its ring."""
    angle, distance = from_xy(x, y)
    return Position(angle=angle, distance=keep_in_ring(sector, distance))
