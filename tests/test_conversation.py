"""The guided conversation (ecomap/conversation.py): its questions, and the map read back in plain words."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ecomap.analysis import counts
from ecomap.conversation import PROMPTS, Prompt, read_back, summary_line, tie_rows
from ecomap.examples import example_maps, generated_map
from ecomap.i18n import translator
from ecomap.model import EcoMap, new_map
from ecomap.vocab import SECTORS
from tests.conftest import alys, busy_family, document


def with_ties(*ties: dict[str, Any], what_matters: tuple[str, ...] = ()) -> EcoMap:
    """Alys with these ties (each a family tie unless it says otherwise) and what matters to her."""
    person = {"name": "Alys Pritchard", "preferred_name": "Alys", "what_matters": list(what_matters)}
    return EcoMap.from_dict(
        document(person=person, ties=[{"sector": "family", **tie} for tie in ties], links=[], plan=[])
    )


# -- the questions -----------------------------------------------------------------------------------


def test_each_question_has_its_own_id() -> None:
    ids = [prompt.id for prompt in PROMPTS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("prompt", PROMPTS, ids=lambda prompt: prompt.id)
def test_an_answer_becomes_a_tie_in_the_questions_ring_with_what_it_presets(prompt: Prompt) -> None:
    assert prompt.sector in SECTORS
    m = new_map("Alys").with_tie({"id": "t1", "name": "Nain", "sector": prompt.sector, **prompt.preset})
    tie = m.tie("t1").model_dump(mode="json")
    assert tie["sector"] == prompt.sector
    assert {field: tie[field] for field in prompt.preset} == prompt.preset


@pytest.mark.parametrize("prompt", PROMPTS, ids=lambda prompt: prompt.id)
def test_each_question_is_asked_and_each_answer_met_by_name(prompt: Prompt) -> None:
    assert prompt.question.endswith("?")
    assert "Nain" in prompt.affirmation.format(name="Nain")


# -- read_back ---------------------------------------------------------------------------------------


def test_one_sentence_for_each_tie_now_then_hoped_for_then_past_the_strongest_first() -> None:
    m = with_ties(
        {"id": "t1", "name": "Bet", "strength": "moderate"},
        {"id": "t2", "name": "Dai", "strength": "strong", "status": "past"},
        {"id": "t3", "name": "Eirys", "strength": "tenuous"},
        {"id": "t4", "name": "Gwen", "strength": "cut_off", "status": "hoped_for"},
        {"id": "t5", "name": "Huw", "strength": "strong"},
        {"id": "t6", "name": "Ifan", "strength": "strong", "status": "hoped_for"},
        {"id": "t7", "name": "Jac", "strength": "cut_off"},
    )
    sentences = read_back(m)
    names = [tie.name for tie in m.ties]
    assert [[name for name in names if name in sentence] for sentence in sentences] == [
        ["Huw"],
        ["Bet"],
        ["Eirys"],
        ["Jac"],
        ["Ifan"],
        ["Gwen"],
        ["Dai"],
    ]


def test_what_matters_comes_last() -> None:
    m = with_ties({"id": "t1", "name": "Nain"}, what_matters=("Staying in my own home", "Singing again"))
    sentences = read_back(m)
    assert len(sentences) == 2
    assert sentences[-1] == "What matters to Alys: Staying in my own home; Singing again."


def test_a_map_with_no_ties_and_nothing_said_reads_back_nothing() -> None:
    assert read_back(new_map("Alys")) == []


@pytest.mark.parametrize(
    ("tie", "sentence"),
    [
        (
            {"frequency": "daily", "flow": "both", "support": ["emotional"]},
            "Alys sees Nain every day, and they support each other.",
        ),
        (
            {"frequency": "weekly", "flow": "to_person", "support": ["practical"]},
            "Alys sees Nain every week, and Nain is a support.",
        ),
        (
            {"frequency": "monthly", "flow": "from_person", "support": ["practical"]},
            "Alys sees Nain every month, and Alys gives support.",
        ),
        ({"frequency": "rarely"}, "Alys sees Nain now and then."),
        ({}, "Nain is part of Alys’s family."),
        ({"sector": "services"}, "Nain is part of Alys’s services."),
        ({"status": "hoped_for", "frequency": "daily"}, "Alys would like Nain in their life."),
        ({"status": "past", "frequency": "daily"}, "Nain was part of Alys’s life."),
        ({"stressful": True}, "Nain is part of Alys’s family. This tie can be stressful."),
        (
            {"own_words": "She phones on Sundays."},
            "Nain is part of Alys’s family. In Alys’s words: “She phones on Sundays”.",
        ),
    ],
)
def test_each_tie_is_said_in_plain_words(tie: dict[str, Any], sentence: str) -> None:
    assert read_back(with_ties({"id": "t1", "name": "Nain", **tie})) == [sentence]


def test_the_map_is_read_back_in_welsh() -> None:
    m = with_ties(
        {"id": "t1", "name": "Nain", "frequency": "daily", "flow": "both", "support": ["emotional"]},
        {"id": "t2", "name": "Meddygfa", "sector": "services", "stressful": True},
        what_matters=("Aros adref",),
    )
    assert read_back(m, t=translator("cy")) == [
        "Mae Alys yn gweld Nain bob dydd, ac maen nhw’n cefnogi ei gilydd.",
        "Mae Meddygfa yn rhan o’r gwasanaethau sydd gan Alys. Gall y cysylltiad hwn achosi straen.",
        "Beth sy’n bwysig i Alys: Aros adref.",
    ]


# -- summary_line ------------------------------------------------------------------------------------


def numbers(line: str, m: EcoMap) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", line.replace(m.person.called, ""))]


MAPS = [alys(), busy_family(), new_map("Alys"), generated_map(60), *example_maps()]


@pytest.mark.parametrize("m", MAPS, ids=lambda m: m.id)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_summary_line_gives_the_maps_counts(m: EcoMap, language: str) -> None:
    counted = counts(m)
    expected = [counted["ties"], *(counted[sector] for sector in SECTORS), counted["strong"], counted["stressful"]]
    assert numbers(summary_line(m, t=translator(language)), m) == expected


def test_the_summary_line_counts_only_the_ties_in_the_persons_life_now() -> None:
    line = summary_line(alys())  # the choir Alys hopes to join is not counted yet
    assert line == "Alys’s ecomap. Ties now: 2 (family 1, community 0, services 1). Strong: 1. Can be stressful: 1."


def test_the_summary_line_in_welsh() -> None:
    assert summary_line(alys(), t=translator("cy")) == (
        "Ecomap Alys. Cysylltiadau nawr: 2 (teulu 1, cymuned 0, gwasanaethau 1). Cryf: 1. Gall achosi straen: 1."
    )


# -- tie_rows ----------------------------------------------------------------------------------------

COLUMNS = {
    "en": [
        "Name",
        "Role",
        "Ring",
        "Strength",
        "Stressful",
        "Support flows",
        "Support",
        "Contact",
        "Status",
        "In their own words",
    ],
    "cy": [
        "Enw",
        "Rôl",
        "Cylch",
        "Cryfder",
        "Yn achosi straen",
        "Llif y cymorth",
        "Cymorth",
        "Cyswllt",
        "Statws",
        "Yn eu geiriau eu hunain",
    ],
}


@pytest.mark.parametrize("language", list(COLUMNS))
def test_one_row_a_tie_with_the_column_names_in_the_readers_language(language: str) -> None:
    m = alys()
    rows = tie_rows(m, t=translator(language))
    assert [row[COLUMNS[language][0]] for row in rows] == [tie.name for tie in m.ties]
    assert all(list(row) == COLUMNS[language] for row in rows)


def test_a_value_that_is_set_is_in_words_and_one_that_is_not_is_an_empty_cell() -> None:
    m = with_ties(
        {
            "id": "t1",
            "name": "Mam",
            "role": "mother",
            "strength": "strong",
            "stressful": True,
            "flow": "both",
            "support": ["emotional", "practical"],
            "frequency": "daily",
            "own_words": "She rings every morning",
        },
        {"id": "t2", "name": "Côr", "sector": "community"},
    )
    full, bare = tie_rows(m)
    assert full == {
        "Name": "Mam",
        "Role": "mother",
        "Ring": "Family",
        "Strength": "Strong",
        "Stressful": "Yes",
        "Support flows": "Support both ways",
        "Support": "Emotional, Practical",
        "Contact": "Daily",
        "Status": "In my life now",
        "In their own words": "She rings every morning",
    }
    assert {column: cell for column, cell in bare.items() if not cell} == {
        "Role": "",
        "Stressful": "",
        "Support": "",
        "Contact": "",
        "In their own words": "",
    }
    assert (bare["Ring"], bare["Strength"], bare["Status"]) == ("Community", "Moderate", "In my life now")


def test_the_cells_are_in_welsh_too() -> None:
    (row,) = tie_rows(
        with_ties({"id": "t1", "name": "Mam", "stressful": True, "frequency": "weekly"}), t=translator("cy")
    )
    assert (row["Cylch"], row["Yn achosi straen"], row["Cyswllt"], row["Statws"]) == (
        "Teulu",
        "Ydy",
        "Bob wythnos",
        "Yn fy mywyd nawr",
    )
