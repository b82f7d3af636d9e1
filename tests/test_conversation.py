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
    assert sentences[-1] == "What matters to you: Staying in my own home; Singing again."


def test_the_persons_strengths_are_read_back_before_what_matters() -> None:
    m = with_ties({"id": "t1", "name": "Nain"}, what_matters=("Singing again",))
    m = m.with_person(strengths=["Great cook", "Knows everyone"])
    assert read_back(m)[-2:] == ["Your strengths: Great cook; Knows everyone.", "What matters to you: Singing again."]


def test_a_map_with_no_ties_and_nothing_said_reads_back_nothing() -> None:
    assert read_back(new_map("Alys")) == []


NOT_ASKED = "We have not talked about support with Nain yet."


@pytest.mark.parametrize(
    ("tie", "sentence"),
    [
        (
            {"frequency": "daily", "flow": "both", "support": ["emotional"]},
            "You see Nain every day. It is a moderate tie. You and Nain support each other: emotional.",
        ),
        (
            {"frequency": "weekly", "flow": "to_person", "support": ["practical"]},
            "You see Nain every week. It is a moderate tie. You get support from Nain: practical.",
        ),
        (
            {"frequency": "monthly", "flow": "from_person", "support": ["practical", "emotional"]},
            "You see Nain every month. It is a moderate tie. You give Nain support: emotional, practical.",
        ),
        ({"frequency": "rarely"}, f"You see Nain now and then. It is a moderate tie. {NOT_ASKED}"),
        ({}, f"Nain is part of your family. It is a moderate tie. {NOT_ASKED}"),
        ({"strength": "strong"}, f"Nain is part of your family. It is a strong tie. {NOT_ASKED}"),
        ({"strength": "cut_off"}, f"Nain is part of your family. The tie is cut off at the moment. {NOT_ASKED}"),
        ({"sector": "community"}, f"Nain is part of your community. It is a moderate tie. {NOT_ASKED}"),
        ({"sector": "services"}, f"Nain is one of the services you have. It is a moderate tie. {NOT_ASKED}"),
        ({"status": "hoped_for", "frequency": "daily"}, "You would like Nain in your life."),
        ({"status": "past", "frequency": "daily"}, "Nain was part of your life."),
        ({"stressful": True}, f"Nain is part of your family. It is a moderate tie. {NOT_ASKED} It can be stressful."),
        (
            {"own_words": "She phones on Sundays."},
            f"Nain is part of your family. It is a moderate tie. {NOT_ASKED} In your words: “She phones on Sundays”.",
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
        "Rydych chi’n gweld Nain bob dydd. Mae’n gysylltiad cymedrol. Rydych chi a Nain yn cefnogi’ch gilydd: "
        "emosiynol.",
        "Mae Meddygfa yn un o’r gwasanaethau sydd gennych chi. Mae’n gysylltiad cymedrol. Dydyn ni ddim wedi "
        "sôn eto am gefnogaeth gyda Meddygfa. Gall fod yn straen.",
        "Beth sy’n bwysig i chi: Aros adref.",
    ]


SUPPORT_SAID = [
    # (support in format version 2, what the read-back says of it)
    (None, ["We have not talked about support with Nain yet."]),
    ({}, ["No support goes either way between you and Nain at the moment."]),
    ({"practical": "gets"}, ["You get support from Nain: practical."]),
    ({"practical": "gives"}, ["You give Nain support: practical."]),
    ({"practical": "both"}, ["You and Nain support each other: practical."]),
    (
        {"emotional": "gets", "practical": "gives", "social": "both"},
        ["You and Nain support each other: social.", "You get support from Nain: emotional.",
         "You give Nain support: practical."],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("support", "said"), SUPPORT_SAID)
def test_the_read_back_says_which_way_each_kind_of_support_goes(
    support: dict[str, str] | None, said: list[str]
) -> None:
    m = with_ties({"id": "t1", "name": "Nain"}).with_tie_fields("t1", support=support)
    assert read_back(m) == ["Nain is part of your family. It is a moderate tie. " + " ".join(said)]


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
        "Gets",
        "Gives",
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
        "Yn cael",
        "Yn rhoi",
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
        "Role": "Mam",
        "Ring": "Family",
        "Strength": "Strong",
        "Stressful": "Yes",
        "Gets": "Emotional, Practical",
        "Gives": "Emotional, Practical",
        "Contact": "Daily",
        "Status": "In my life now",
        "In their own words": "She rings every morning",
    }
    assert {column: cell for column, cell in bare.items() if not cell} == {
        "Role": "",
        "Stressful": "",
        "Gets": "",
        "Gives": "",
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
