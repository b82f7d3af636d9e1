"""The gentle language check finds deficit and jargon phrases and offers alternatives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecomap.examples import example_maps
from ecomap.wording import check, check_map
from tests.conftest import alys


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("She is NON-COMPLIANT with meds", "non-compliant"),
        ("Rhys refused to engage last week", "refused to engage"),
        ("The service user said no", "service user"),
        ("Incidents of challenging behaviour at school", "challenging behaviour"),
        ("He failed to attend", "failed to"),
        ("described as manipulative", "manipulative"),
        ("Lacks insight into risk", "lacks insight"),
        ("socially isolated since the move", "socially isolated"),
        ("Mam is wheelchair bound", "wheelchair bound"),
        ("DNA x2", "DNA"),
    ],
)
def test_listed_phrases_are_found_with_an_alternative(text: str, phrase: str) -> None:
    found = check(text)
    assert [s.phrase for s in found] == [phrase]
    assert found[0].alternative and found[0].why


@pytest.mark.parametrize("text", ["Alys sings alto", "a dna test kit", "She unfailingly turns up", "servicing the car"])
def test_ordinary_words_are_left_alone(text: str) -> None:
    assert check(text) == []


def test_the_examples_are_written_in_a_strengths_based_voice() -> None:
    assert [s for m in example_maps() for s in check_map(m)] == []


def test_suggestions_say_where_the_phrase_is() -> None:
    m = alys().with_tie({"id": "t1", "name": "Mam", "sector": "family", "notes": "Mam is a service user too"})
    m = m.replace(plan=[{"id": "a1", "action": "Follow up as she refused to engage"}])
    assert [(s.where, s.phrase) for s in check_map(m)] == [
        ("ties[0].notes", "service user"),
        ("plan[0].action", "refused to engage"),
    ]


def test_the_list_is_data_with_an_alternative_for_every_phrase() -> None:
    data = json.loads((Path(__file__).parents[1] / "ecomap" / "wording.json").read_text(encoding="utf-8"))
    phrases = [entry["phrase"].lower() for entry in data["phrases"]]
    assert len(phrases) == len(set(phrases)) >= 20
    assert all(entry["alternative"] and entry["why"] for entry in data["phrases"])
