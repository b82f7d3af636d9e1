"""One switch takes the names out of a map, everywhere they appear."""

from __future__ import annotations

import pytest

from ecomap.examples import example_maps
from ecomap.model import EcoMap
from ecomap.pseudonym import initials, pseudonymise, pseudonyms
from tests.conftest import alys


def test_ties_become_roles_numbered_when_they_repeat_or_initials_without_one() -> None:
    m = alys().replace(
        ties=[
            {"id": "t1", "name": "Siân", "role": "friend", "sector": "community"},
            {"id": "t2", "name": "Nansi", "role": "friend", "sector": "community"},
            {"id": "t3", "name": "Côr Meibion", "sector": "community", "kind": "group"},
            {"id": "t4", "name": "Dr Rhys", "role": "gp", "sector": "services"},
        ],
        links=[],
        plan=[],
    )
    assert pseudonyms(m) == {"": "A. P.", "t1": "Friend 1", "t2": "Friend 2", "t3": "C. M.", "t4": "GP"}
    assert initials("") == "?"


def test_names_in_free_text_are_replaced_and_notes_are_left_out() -> None:
    m = alys().replace(
        person={
            "name": "Alys Pritchard",
            "preferred_name": "Alys",
            "what_matters": ["Seeing Mam on Sundays"],
            "strengths": ["Alys knows everyone"],
        },
        ties=[
            {"id": "t1", "name": "Mam", "sector": "family", "role": "mother", "notes": "Lives at 3 Stryd Fawr"},
            {
                "id": "t2",
                "name": "Beti next door",
                "sector": "community",
                "role": "neighbour",
                "own_words": "Beti and Mam are old friends",
            },
        ],
        links=[],
        plan=[{"id": "a1", "action": "Ask beti about the bus", "who": "Alys Pritchard", "tie": "t2"}],
    )
    p = pseudonymise(m)
    assert p.person.name == "A. P." and p.person.preferred_name == ""
    assert p.person.what_matters == ("Seeing Mam on Sundays",)  # "Mam" is the mother's role as well as her name
    assert p.person.strengths == ("A. P. knows everyone",)
    assert p.ties[1].own_words == "Neighbour and Mam are old friends"
    assert [tie.notes for tie in p.ties] == ["", ""]
    assert (p.plan[0].action, p.plan[0].who) == ("Ask Neighbour about the bus", "A. P.")
    assert p.id != m.id and p.title == ""


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.called)
def test_no_name_from_the_map_survives_in_the_examples(m: EcoMap) -> None:
    p = pseudonymise(m)
    text = p.model_dump_json()
    for part in m.person.name.split():
        assert part not in text
    for tie, kept in zip(m.ties, p.ties, strict=True):
        assert tie.name not in text or tie.name == kept.name
    assert (len(p.ties), len(p.links), len(p.plan)) == (len(m.ties), len(m.links), len(m.plan))
