"""The people page (streamlit_app.py), run by Streamlit's AppTest against a temporary database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from ecomap.model import EcoMap, new_map
from ecomap.store import LOCAL_USER, AuditAction, Store, maps
from tests.conftest import alys
from tests.pages.conftest import link_labels, people_page, shown

SAVED = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)


def add_saved(database: Store, m: EcoMap, at: datetime = SAVED) -> None:
    """Add ``m`` to the database as if it were last saved at ``at``."""
    database.add_person(LOCAL_USER, m)
    with database.engine.begin() as connection:
        connection.execute(update(maps).where(maps.c.id == m.id).values(updated_at=at))


def with_people(database: Store, *names: str) -> AppTest:
    for name in names:
        add_saved(database, new_map(name))
    return people_page().run()


def names_listed(at: AppTest) -> list[str]:
    return [shown(label).split(" · ")[0] for label in link_labels(at)]


def test_an_empty_database_offers_the_examples(database: Store) -> None:
    at = people_page().run()
    assert not at.exception
    assert "Nobody is here yet" in at.info[0].value
    at.button(key="load_examples").click().run()
    assert not at.exception
    assert {"Alys Pritchard", "Cai Hughes", "Rhys Morgan"} <= set(names_listed(at))
    assert not at.info


def test_adding_a_person_saves_them_and_opens_their_map(database: Store) -> None:
    at = people_page().run()
    at.text_input(key="new_person_name").input("Gwenllian Parry")
    at.button(key="FormSubmitter:add_person-Add and open their map").click().run()
    assert not at.exception
    assert [p.name for p in database.people(LOCAL_USER)] == ["Gwenllian Parry"]


def test_an_empty_name_is_refused_with_a_message(database: Store) -> None:
    at = people_page().run()
    at.text_input(key="new_person_name").input("   ")
    at.button(key="FormSubmitter:add_person-Add and open their map").click().run()
    assert not at.exception
    assert "The name: must not be empty" in shown(at.error[0].value)
    assert database.is_empty()


def test_markdown_in_a_name_is_shown_literally(database: Store) -> None:
    add_saved(database, alys().replace(person={"name": "**Bold** [x](javascript:alert(1))"}))
    at = people_page().run()
    assert link_labels(at) == [r"\*\*Bold\*\* \[x\]\(javascript\:alert\(1\)\) · saved 23 November 2026"]


# -- what an ecomap is ------------------------------------------------------------------------------


def intro_text(at: AppTest) -> str:
    return " ".join(block.value for block in at.main.get("markdown") if "ecomap" in block.value.lower())


def test_the_first_visit_says_what_an_ecomap_is_and_how_to_start(database: Store) -> None:
    at = people_page().run()
    assert not at.exception
    assert [h.value for h in at.header][:1] == ["What is an ecomap?"]
    text = intro_text(at)
    assert "An ecomap is a picture of the people, groups and services in someone’s life" in text
    assert "then tap a ring to add someone" in " ".join(block.value for block in at.main.get("markdown"))
    assert at.button(key="intro_got_it").label == "Got it"


def test_got_it_hides_the_explanation_for_the_session_and_it_can_be_shown_again(database: Store) -> None:
    at = people_page().run()
    at.button(key="intro_got_it").click().run()
    assert not at.exception
    assert intro_text(at) == ""
    assert "What is an ecomap?" not in [h.value for h in at.header]
    assert at.button(key="intro_show").label == "What is an ecomap?"

    at.text_input(key="new_person_name").input("Gwenllian Parry")
    at.run()
    assert intro_text(at) == "", "it stays dismissed on the next run"

    at.button(key="intro_show").click().run()
    assert not at.exception
    assert "An ecomap is a picture" in intro_text(at)
    assert [b.key for b in at.button if b.key == "intro_show"] == []


def test_the_explanation_is_in_welsh_too(database: Store) -> None:
    at = people_page()
    at.session_state["language"] = "cy"
    at.run()
    assert not at.exception
    assert "Beth yw ecomap?" in [h.value for h in at.header]
    assert any("Llun o’r bobl, y grwpiau a’r gwasanaethau" in block.value for block in at.main.get("markdown"))
    assert at.button(key="intro_got_it").label == "Wedi deall"
    at.button(key="intro_got_it").click().run()
    assert at.button(key="intro_show").label == "Beth yw ecomap?"


# -- search by name ---------------------------------------------------------------------------------

PEOPLE = ("Siân Owen", "Sioned Hughes", "Alys Pritchard", "Cai Hughes", "Llŷr O’Brien")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", ["Alys Pritchard", "Cai Hughes", "Llŷr O’Brien", "Sioned Hughes", "Siân Owen"]),
        ("sian", ["Siân Owen"]),
        ("SIÂN", ["Siân Owen"]),
        ("si", ["Sioned Hughes", "Siân Owen"]),
        ("hughes", ["Cai Hughes", "Sioned Hughes"]),
        ("hughes cai", ["Cai Hughes"]),
        ("llyr o'brien", ["Llŷr O’Brien"]),
    ],
)
def test_search_filters_the_list_by_name_without_case_or_accents(database: Store, query: str, found: list[str]) -> None:
    at = with_people(database, *PEOPLE)
    at.text_input(key="people_search").input(query).run()
    assert not at.exception
    assert names_listed(at) == found
    assert not at.info


def test_the_search_has_a_label_and_a_placeholder(database: Store) -> None:
    at = with_people(database, "Alys Pritchard")
    search = at.text_input(key="people_search")
    assert search.label == "Search by name"
    assert search.placeholder == "Type part of a name"


def test_a_search_that_finds_nobody_says_so(database: Store) -> None:
    at = with_people(database, *PEOPLE)
    at.text_input(key="people_search").input("Zebedee").run()
    assert not at.exception
    assert link_labels(at) == []
    assert shown(at.info[0].value) == (
        "No one on the list matches “Zebedee”. Check the spelling, or add them below as a new person."
    )
    at.text_input(key="people_search").input("").run()
    assert len(link_labels(at)) == len(PEOPLE)
    assert not at.info


def test_the_search_is_shown_literally_when_it_finds_nobody(database: Store) -> None:
    at = with_people(database, "Alys Pritchard")
    at.text_input(key="people_search").input("**x**").run()
    assert r"“\*\*x\*\*”" in at.info[0].value


def test_searching_reads_names_only_and_opens_no_map(database: Store) -> None:
    at = with_people(database, *PEOPLE)
    for query in ("s", "si", "sian"):
        at.text_input(key="people_search").input(query).run()
    assert names_listed(at) == ["Siân Owen"]
    assert [e.action for e in database.audit(LOCAL_USER) if e.action != AuditAction.CREATE] == []


# -- the last saved date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Alys Pritchard · saved 23 November 2026"), ("cy", "Alys Pritchard · cadwyd 23 Tachwedd 2026")],
)
def test_each_row_shows_when_the_map_was_last_saved(database: Store, language: str, label: str) -> None:
    add_saved(database, alys())
    at = people_page()
    at.session_state["language"] = language
    at.run()
    assert not at.exception
    assert [shown(text) for text in link_labels(at)] == [label]
    assert [link.proto.help for link in at.main.get("page_link")] == [""]


def test_each_row_opens_that_persons_map(database: Store) -> None:
    add_saved(database, alys())
    at = people_page().run()
    (link,) = at.main.get("page_link")
    assert (link.proto.page, link.proto.query_string) == ("map", f"map={alys().id}&lang=en")  # the language goes too
