"""The people page (streamlit_app.py), run by Streamlit's AppTest against a temporary database."""

from __future__ import annotations

from ecomap.store import LOCAL_USER, Store
from tests.conftest import alys
from tests.pages.conftest import link_labels, people_page, shown


def test_an_empty_database_offers_the_examples(database: Store) -> None:
    at = people_page().run()
    assert not at.exception
    assert "Nobody is here yet" in at.info[0].value
    at.button(key="load_examples").click().run()
    assert not at.exception
    assert {"Alys Pritchard", "Cai Hughes", "Rhys Morgan"} <= set(link_labels(at))
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
    database.add_person(LOCAL_USER, alys().replace(person={"name": "**Bold** [x](javascript:alert(1))"}))
    at = people_page().run()
    assert link_labels(at) == [r"\*\*Bold\*\* \[x\]\(javascript\:alert\(1\)\)"]
