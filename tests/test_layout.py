"""Deterministic radial layout: same map, same picture; every tie in its ring; labels apart."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings

from ecomap.examples import example_maps
from ecomap.layout import RINGS, VIEW_EDGE, _box, _overlap, from_xy, keep_in_ring, place, position_for, ring_of, to_xy
from ecomap.model import EcoMap
from tests.conftest import alys, busy_family
from tests.test_graph import maps


@settings(max_examples=80, deadline=None)
@given(maps())
def test_every_tie_is_placed_inside_its_own_ring_and_the_same_way_twice(m: EcoMap) -> None:
    spots = place(m)
    assert spots == place(EcoMap.from_dict(m.to_dict()))
    for tie in m.ties:
        inner, outer = RINGS[tie.sector]
        assert inner <= spots[tie.id].distance <= outer
        assert 0 <= spots[tie.id].angle < 360


def test_a_tie_placed_by_hand_keeps_its_angle_and_is_kept_in_its_ring() -> None:
    m = alys().with_tie({"id": "t1", "name": "Mam", "sector": "family", "position": {"angle": 123.0, "distance": 0.9}})
    spot = place(m)["t1"]
    assert (spot.angle, spot.distance) == (123.0, keep_in_ring("family", 0.9))


def test_unplaced_ties_go_in_the_widest_gap_left_by_hand_placed_ones() -> None:
    m = busy_family(2)
    m = m.with_tie({"id": "t1", "name": "Relative 1", "sector": "family", "position": {"angle": 0, "distance": 0.3}})
    assert abs(place(m)["t2"].angle - 180) <= 0.45 * 180


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.name)
def test_labels_of_the_examples_do_not_overlap(m: EcoMap) -> None:
    spots = place(m)
    names = {tie.id: tie.name for tie in m.ties}
    boxes = {tie_id: _box(names[tie_id], spot.x, spot.y) for tie_id, spot in spots.items()}
    assert [(a, b) for a, b in itertools.combinations(boxes, 2) if _overlap(boxes[a], boxes[b]) > 0] == []
    assert [tie_id for tie_id, box in boxes.items() if box[3] > VIEW_EDGE] == []


@pytest.mark.parametrize(("angle", "distance"), [(0, 0.5), (90, 0.3), (180, 1.0), (271.5, 0.75)])
def test_polar_and_screen_coordinates_agree(angle: float, distance: float) -> None:
    assert from_xy(*to_xy(angle, distance)) == pytest.approx((angle, distance), abs=1e-3)


def test_a_drop_is_kept_inside_the_ring_of_the_ties_sector() -> None:
    position = position_for("services", *to_xy(45, 0.1))
    assert ring_of(position.distance) == "services" and position.angle == pytest.approx(45)
