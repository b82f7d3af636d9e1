"""The map as a networkx graph and back, losing nothing."""

from __future__ import annotations

import copy
import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomap.examples import example_maps
from ecomap.graph import PERSON, from_graph, tie_graph, to_graph
from ecomap.model import EcoMap
from ecomap.vocab import values
from tests.conftest import alys

# Printable text with Welsh letters, without control characters.
_text = st.text(alphabet=string.ascii_letters + string.digits + " ,.'-ŵŷâêîôûŴŶ", max_size=40)
_name = _text.filter(lambda s: s.strip() != "")


@st.composite
def maps(draw: st.DrawFn) -> EcoMap:
    n = draw(st.integers(min_value=0, max_value=12))
    ties: list[dict[str, Any]] = []
    for i in range(n):
        tie: dict[str, Any] = {
            "id": f"t{i}",
            "name": draw(_name),
            "sector": draw(st.sampled_from(values("sector"))),
            "kind": draw(st.sampled_from(values("kind"))),
            "strength": draw(st.sampled_from(values("strength"))),
            "stressful": draw(st.booleans()),
            "flow": draw(st.sampled_from(values("flow"))),
            "support": draw(st.lists(st.sampled_from(values("support")), unique=True)),
            "status": draw(st.sampled_from(values("status"))),
            "own_words": draw(_text),
        }
        if draw(st.booleans()):
            tie["frequency"] = draw(st.sampled_from(values("frequency")))
        if draw(st.booleans()):
            tie["position"] = {"angle": draw(st.floats(0, 359)), "distance": draw(st.floats(0, 1))}
        ties.append(tie)
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=10)) if pairs else []
    links = [
        {"between": [f"t{b}", f"t{a}"] if draw(st.booleans()) else [f"t{a}", f"t{b}"], "stressful": draw(st.booleans())}
        for a, b in chosen
    ]
    return EcoMap.from_dict(
        {
            "schema_version": 1,
            "id": "generated",
            "person": {"name": draw(_name)},
            "ties": ties,
            "links": links,
            "plan": [{"id": "a1", "action": "Talk together", "tie": "t0"}] if n else [],
        }
    )


@settings(max_examples=150, deadline=None)
@given(maps())
def test_round_trip_through_the_graph_loses_nothing(m: EcoMap) -> None:
    assert from_graph(to_graph(m)) == m


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.name)
def test_examples_round_trip(m: EcoMap) -> None:
    assert from_graph(to_graph(m)) == m


def test_the_graph_has_the_person_every_tie_and_every_link() -> None:
    m = alys()
    G = to_graph(m)
    assert set(G.nodes) == {PERSON, "t1", "t2", "t3"}
    assert G.edges[PERSON, "t1"]["strength"] == "strong"
    assert G.edges[PERSON, "t1"]["link"] is False
    assert G.edges["t1", "t2"]["link"] is True
    assert G.nodes["t2"]["status"] == "hoped_for"


def test_to_graph_leaves_the_map_alone() -> None:
    m = alys()
    before = copy.deepcopy(m.to_dict())
    to_graph(m)
    assert m.to_dict() == before


def test_tie_graph_keeps_current_ties_and_their_links() -> None:
    G = tie_graph(alys())
    assert set(G.nodes) == {"t1", "t3"}  # t2 is hoped for
    assert G.number_of_edges() == 0
