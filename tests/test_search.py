"""Finding people by name: every word of the search, without case or accents, in the order given."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from ecomap.search import fold, matching, name_matches


@dataclass(frozen=True)
class Row:
    """A row of the people list, as far as a search reads it."""

    name: str
    map_id: str


FIRST = ["Siân", "Sian", "Alys", "Cai", "Rhys", "Gwenllian", "Dafydd", "Ffion", "Llŷr", "Eirlys"]
LAST = ["Pritchard", "Hughes", "Morgan", "Ap Ŵyn", "O’Brien", "Jones", "Parry", "Evans", "Owen", "Williams"]


def two_hundred() -> list[Row]:
    """200 people: every first name with every last name, twice over (namesakes happen)."""
    pairs = itertools.product(range(2), FIRST, LAST)
    return [Row(f"{first} {last}", f"map-{i}") for i, (_, first, last) in enumerate(pairs)]


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Siân", "sian"), ("LLŶR", "llyr"), ("Ŵyn", "wyn"), ("O’Brien", "o'brien"), ("Straße", "strasse"), ("", "")],
)
def test_fold_removes_case_accents_and_curly_apostrophes(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("name", "query", "found"),
    [
        ("Siân Owen", "sian", True),
        ("Sian Owen", "Siân", True),
        ("Siân Owen", "SIÂN", True),
        ("Siân Owen", "owen siân", True),
        ("Siân Owen", "  ân  ", True),
        ("Siân Owen", "", True),
        ("Siân Owen", "Sioned", False),
        ("Siân Owen", "sian jones", False),
        ("Seán O'Brien", "o’brien", True),
        ("Llŷr Evans", "llyr", True),
    ],
)
def test_a_name_matches_when_every_word_of_the_search_is_part_of_it(name: str, query: str, found: bool) -> None:
    assert name_matches(name, query) is found


def test_the_filter_stays_correct_with_200_people() -> None:
    people = two_hundred()
    assert len(people) == 200

    sian = matching(people, "sian", name=lambda row: row.name)
    assert len(sian) == 40  # "Siân" and "Sian", each with ten last names, twice
    assert {row.name.split()[0] for row in sian} == {"Siân", "Sian"}

    one = matching(people, "llyr ap wyn", name=lambda row: row.name)
    assert [row.map_id for row in one] == ["map-83", "map-183"]
    assert {row.name for row in one} == {"Llŷr Ap Ŵyn"}

    assert matching(people, "", name=lambda row: row.name) == people
    assert matching(people, "Zebedee", name=lambda row: row.name) == []


def test_the_order_given_is_kept_and_nothing_is_changed() -> None:
    people = two_hundred()
    before = list(people)
    found = matching(people, "evans", name=lambda row: row.name)
    assert found == [row for row in people if row.name.endswith("Evans")]
    assert people == before
