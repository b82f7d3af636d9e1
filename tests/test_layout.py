"""Deterministic radial layout: same map, same picture; every tie in its ring; no name overlaps another,
and no line or stress tick runs through a name, on every example, on generated maps and on imports."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomap import layout
from ecomap.examples import example_maps, generated_map
from ecomap.io import import_file
from ecomap.layout import (
    LABEL_MAX_WIDTH,
    LABEL_SIZE,
    PIXEL,
    RINGS,
    Crossing,
    Spot,
    crossings,
    from_xy,
    keep_in_ring,
    label_lines,
    layout_key,
    overlaps,
    person_label,
    place,
    position_for,
    ring_of,
    text_width,
    tie_label,
    to_xy,
)
from ecomap.model import EcoMap, Tie
from ecomap.render import interactive
from ecomap.render.static import figure
from tests.conftest import alys, busy_family, document
from tests.test_graph import maps

EASYNWK = Path(__file__).parent / "samples" / "easynwk" / "Rosa_Braunsteigl-Mueller.json"


def imported() -> EcoMap:
    return import_file(EASYNWK).map


def clear(m: EcoMap) -> tuple[list[Crossing], list[tuple[str, str]]]:
    spots = place(m)
    return crossings(m, spots), overlaps(m, spots)


# -- where each tie goes ------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(maps())
def test_every_tie_is_placed_inside_its_own_ring_and_the_same_way_twice(m: EcoMap) -> None:
    spots = place(m)
    assert spots == place(EcoMap.from_dict(m.to_dict()))
    for tie in m.ties:
        inner, outer = RINGS[tie.sector]
        assert inner <= spots[tie.id].distance <= outer
        assert 0 <= spots[tie.id].angle < 360


def test_a_tie_placed_by_hand_where_nothing_is_in_the_way_keeps_its_place_kept_in_its_ring() -> None:
    m = alys().with_tie({"id": "t1", "name": "Mam", "sector": "family", "position": {"angle": 123.0, "distance": 0.9}})
    spot = place(m)["t1"]
    assert (spot.angle, spot.distance) == (123.0, keep_in_ring("family", 0.9))


def test_unplaced_ties_go_in_the_widest_gap_that_the_persons_name_leaves() -> None:
    m = busy_family(2).with_tie(
        {"id": "t1", "name": "Relative 1", "sector": "family", "position": {"angle": 90, "distance": 0.3}}
    )
    spots = place(m)
    start, end = 330.0, 30.0  # roughly where the person's name, over the dot, keeps lines away
    assert person_label(m).above
    assert spots["t1"].angle == 90
    # The gaps are 30 to 90 and 90 to 330: the second is wider, and t2 goes near its middle.
    assert 90 < spots["t2"].angle < start and abs(spots["t2"].angle - (90 + start) / 2) <= 60
    assert not 0 <= spots["t2"].angle <= end


@pytest.mark.parametrize(("angle", "distance"), [(0, 0.5), (90, 0.3), (180, 1.0), (271.5, 0.75)])
def test_polar_and_screen_coordinates_agree(angle: float, distance: float) -> None:
    assert from_xy(*to_xy(angle, distance)) == pytest.approx((angle, distance), abs=1e-3)


def test_a_drop_is_kept_inside_the_ring_of_the_ties_sector() -> None:
    position = position_for("services", *to_xy(45, 0.1))
    assert ring_of(position.distance) == "services" and position.angle == pytest.approx(45)


def test_the_layout_changes_with_names_places_links_and_stress_but_not_with_strength() -> None:
    m = alys()
    stronger = m.with_tie_fields("t3", strength="strong")
    stressed = m.with_tie_fields("t1", stressful=True)
    assert layout_key(stronger) == layout_key(m)
    assert layout_key(stressed) != layout_key(m), "a stressful line's ticks reach further"
    assert layout_key(m.with_link_toggled("t2", "t3")) != layout_key(m)


# -- names: their lines, their boxes, their side ------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Rosa Braunsteigl-Müller",
        "Braunsteigl-Müller",
        "Gwasanaethau Cymdeithasol Gwynedd",
        "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
        "Siân ap Gwilym-Roberts",
        "Ysgol Gynradd Llanuwchllyn",
        "Mam (Sarah)",
        "Dr. Maier",
    ],
)
def test_a_name_breaks_only_between_words_and_its_box_holds_its_widest_word(name: str) -> None:
    lines = label_lines(name)
    assert [word for line in lines for word in line.split()] == name.split()
    assert all(line == " ".join(line.split()) for line in lines)
    widest = max(text_width(word) for word in name.split())
    label = tie_label(name, Spot(180.0, 0.5, 0.0, 0.5))
    assert label.box[2] - label.box[0] >= widest
    assert all(text_width(line) <= max(LABEL_MAX_WIDTH, widest) for line in lines)


def test_a_name_that_fits_stays_on_one_line_and_a_longer_one_wraps_at_spaces() -> None:
    assert label_lines("Mam") == ["Mam"]
    assert label_lines("Nain Bala") == ["Nain Bala"]
    assert label_lines("Llys Tegid scheme manager") == ["Llys", "Tegid", "scheme", "manager"]
    assert label_lines("Rosa Braunsteigl-Müller", size=32) == ["Rosa", "Braunsteigl-Müller"]


@pytest.mark.parametrize(("angle", "above"), [(0.0, True), (45.0, True), (135.0, False), (180.0, False), (300.0, True)])
def test_a_name_sits_on_the_side_of_its_mark_away_from_the_centre(angle: float, above: bool) -> None:
    spot = Spot(angle, 0.5, *to_xy(angle, 0.5))
    label = tie_label("Nain", spot)
    assert label.above is above
    top, bottom = label.box[1], label.box[3]
    assert (bottom < spot.y) if above else (top > spot.y)


def test_the_persons_name_sits_over_the_dot_unless_ties_placed_there_are_in_the_way() -> None:
    assert person_label(alys()).above
    rosa = person_label(imported())
    assert not rosa.above, "Rosa's family are saved in the upper half: her name goes under the dot"
    assert rosa.lines == ("Rosa", "Braunsteigl-Müller")


def test_a_ticks_reach_counts_only_on_a_stressful_line() -> None:
    # A services line passing just over Mam's name: clear of it, but its ticks would not be.
    spots = {"t1": Spot(90.0, 0.34, 0.34, 0.0, False), "t2": Spot(91.4, 0.9, *to_xy(91.4, 0.9))}
    assert crossings(_two(stressful=False), spots) == []
    assert crossings(_two(stressful=True), spots) == [Crossing("tie:t2", "t1")]


def _two(*, stressful: bool) -> EcoMap:
    ties = [
        {"id": "t1", "name": "Mam", "sector": "family"},
        {"id": "t2", "name": "Taid", "sector": "services", "stressful": stressful},
    ]
    return EcoMap.from_dict(document(ties=ties, links=[], plan=[]))


# -- nothing runs through a name, and no two names meet -----------------------------------------------


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.name)
def test_no_line_or_tick_crosses_a_name_and_no_names_overlap_on_the_examples(m: EcoMap) -> None:
    assert clear(m) == ([], [])


def test_no_line_or_tick_crosses_a_name_and_no_names_overlap_on_the_imported_easynwk_map() -> None:
    assert clear(imported()) == ([], [])


#: Generated maps of up to this many ties are drawn with nothing in the way (seeds 0 to 9). Beyond it
#: the rings run out of room for names this size: see the next test.
CLEAR_UP_TO = 12


@pytest.mark.parametrize("n", [5, 8, 10, CLEAR_UP_TO])
@pytest.mark.parametrize("seed", range(10))
def test_generated_maps_up_to_the_bound_are_drawn_with_nothing_in_the_way(n: int, seed: int) -> None:
    assert clear(generated_map(n, seed=seed)) == ([], [])


#: For denser generated maps (seeds 0 to 9), the most overlaps and crossings found on any one map,
#: as measured: the layout does what it can, and a map this crowded needs the table view as well.
DENSE_BOUNDS = {15: 3, 20: 29, 30: 94, 60: 435}


@pytest.mark.parametrize(("n", "bound"), DENSE_BOUNDS.items())
def test_denser_generated_maps_stay_within_the_measured_bound(n: int, bound: int) -> None:
    worst = max(sum(map(len, clear(generated_map(n, seed=seed)))) for seed in range(10))
    assert worst <= bound


def test_saved_places_that_collide_are_spread_round_their_ring_in_order_as_little_as_they_must() -> None:
    ties = [
        {"id": f"t{i}", "name": name, "sector": "family", "position": {"angle": 40.0 + i, "distance": 0.33}}
        for i, name in enumerate(["Mam", "Dad", "Nain", "Taid", "Anti Bet"])
    ]
    m = EcoMap.from_dict(document(ties=ties, links=[], plan=[]))
    spots = place(m)
    assert spots == place(m)
    assert clear(m) == ([], [])
    angles = [spots[t["id"]].angle for t in ties]
    assert all(ring_of(spots[t["id"]].distance) == "family" for t in ties)
    assert angles == sorted(angles), "their order round the ring is kept"
    assert max(angles) - min(angles) < 180, "they stay together, as close as their names allow"


def test_the_imported_family_is_spread_within_its_ring_in_its_saved_order() -> None:
    m = imported()
    spots = place(m)
    family = sorted((t for t in m.ties if t.sector == "family"), key=lambda t: t.position.angle)  # type: ignore[union-attr]
    assert len(family) == 6
    assert all(ring_of(spots[t.id].distance) == "family" for t in family)
    placed = [spots[t.id].angle for t in family]
    turn = min(range(6), key=lambda i: placed[i])
    assert placed[turn:] + placed[:turn] == sorted(placed), "the same order round the ring"
    pairs = itertools.combinations(family, 2)
    assert min(abs(spots[a.id].angle - spots[b.id].angle) for a, b in pairs) > 10, "no two on one spot"


# -- the drawings put each name where the layout says -------------------------------------------------


def test_the_interactive_maps_sizes_are_the_layouts() -> None:
    drawn = (interactive.WORLD_RADIUS, interactive.FONT_SIZE, interactive.LABEL_WIDTH)
    assert drawn == (round(1 / PIXEL), LABEL_SIZE, round(LABEL_MAX_WIDTH / PIXEL))


@pytest.mark.parametrize("m", [*example_maps(), imported()], ids=lambda m: m.person.name)
def test_the_interactive_map_moves_and_wraps_each_name_as_the_layout_places_it(m: EcoMap) -> None:
    data = interactive.vis_data(m)
    spots = place(m)
    labels = {tie.id: tie_label(tie.name, spots[tie.id]) for tie in m.ties}
    labels[data["nodes"][0]["id"]] = person_label(m)
    for node in data["nodes"]:
        full = interactive.full_node(node, data)
        label = labels[node["id"]]
        assert full["font"].get("vadjust", 0) == round(label.shift / PIXEL)
        width = full["widthConstraint"]
        maximum = width if isinstance(width, int) else width["maximum"]
        assert maximum >= label.wrap / PIXEL, "vis-network never breaks a word the layout keeps whole"
        if len(label.lines) > 1:
            assert maximum <= label.wrap / PIXEL + 1, "nor makes a line wider than the layout's"


@pytest.mark.parametrize("m", [example_maps()[0], imported()], ids=lambda m: m.person.name)
def test_the_still_picture_writes_each_name_inside_its_box_on_the_side_of_its_mark(m: EcoMap) -> None:
    spots = place(m)
    fig = figure(m, header=False)
    texts = {text.get_text(): text for text in fig.axes[0].texts}
    for tie in m.ties:
        label = tie_label(tie.name, spots[tie.id])
        text = texts["\n".join(label.lines)]
        x, y = text.get_position()
        left, top, right, bottom = label.box
        assert x == pytest.approx((left + right) / 2)
        assert y == pytest.approx(-bottom if label.above else -top)  # the picture's y runs upwards
        assert text.get_verticalalignment() == ("bottom" if label.above else "top")
    person = person_label(m)
    assert "\n".join(person.lines) in texts


# The placement's search weighs spots in arrays; these hold that it weighs them as one by one would.

_EDGES = st.sampled_from([-0.5, -0.25, -0.1, 0.0, 0.1, 0.25, 0.5]) | st.floats(-0.6, 0.6, allow_nan=False)


@given(st.tuples(_EDGES, _EDGES, _EDGES, _EDGES), st.lists(st.tuples(_EDGES, _EDGES, _EDGES, _EDGES), min_size=1))
@settings(max_examples=300, deadline=None)
def test_segments_are_met_in_arrays_as_one_by_one(
    segment: tuple[float, float, float, float], boxes: list[tuple[float, float, float, float]]
) -> None:
    import numpy as np

    ax, ay, bx, by = segment
    rows = np.array([(min(a, c), min(b, d), max(a, c), max(b, d)) for a, b, c, d in boxes])
    met = layout._segments_hit(np.array(ax), np.array(ay), np.array(bx), np.array(by), rows)
    assert met.tolist() == [layout._segment_hits((ax, ay), (bx, by), tuple(row)) for row in rows.tolist()]


def _half_placed(m: EcoMap) -> tuple[layout._Board, Tie]:
    """A board with the first half of ``m``'s ties placed, and the next tie to place."""
    board = layout._Board(m, person_label(m))
    spots = place(m)
    half = len(m.ties) // 2
    for tie in m.ties[:half]:
        board.add(tie.id, spots[tie.id])
    return board, m.ties[half]


@pytest.mark.parametrize("m", [generated_map(n, seed=n) for n in (6, 11, 16, 21, 24)], ids=lambda m: m.id)
def test_every_spot_is_weighed_in_arrays_as_problems_weighs_it(m: EcoMap) -> None:
    board, tie = _half_placed(m)
    tries = layout._tries(tie.sector, 30.0, layout._middle(tie.sector), 0.0, 360.0)
    counts, areas = board._weigh(tie.id, tries, 1_000_000)
    one_by_one = [board.problems(tie.id, spot) for spot in tries.each()]
    assert counts.tolist() == [count for count, _ in one_by_one]
    assert areas.tolist() == [area for _, area in one_by_one]
    assert max(counts) > 0 and min(counts) == 0  # the map is crowded enough to tell them apart
    # Weighed only as far as ``most``, a spot's count is its whole up to there, and more than it after.
    cut, _ = board._weigh(tie.id, tries, 1)
    assert all(c == whole if whole <= 1 else 1 < c <= whole for c, whole in zip(cut, counts, strict=True))


@pytest.mark.parametrize("budget", [1, 5, 200, 20_000])
@pytest.mark.parametrize("m", [generated_map(n, seed=n + 1) for n in (9, 16, 22)], ids=lambda m: m.id)
def test_the_best_spot_in_arrays_is_the_one_by_one_choice_for_the_same_budget(m: EcoMap, budget: int) -> None:
    results = []
    for weigh in ("best", "_best_one_by_one"):
        board, tie = _half_placed(m)
        board.budget = budget
        tries = layout._tries(tie.sector, 200.0, layout._middle(tie.sector), 0.0, 360.0)
        tries = tries.part(0, 40).without([layout._key(tries.spot(0))]) + tries  # clear spots late and repeated
        chosen = getattr(board, weigh)(tie.id, tries if weigh == "best" else tries.each())
        results.append((chosen, board.budget))
    assert results[0] == results[1]
