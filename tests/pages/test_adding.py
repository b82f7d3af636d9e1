"""Saving someone added in the map's own form (ui/adding.py ``add_on_map``), in a session of its own
(AppTest) against a temporary database: the map's edit as the browser sends it, saved or refused."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from streamlit.testing.v1 import AppTest

from ecomap.model import NAME_MAX
from ecomap.store import LOCAL_USER, Store
from tests.conftest import alys

NEW_ID = "5f0c6a52-7d1e-4c8e-9a55-0d2b4c1e9f3a"


def _add(map_id: str, value: dict, language: str) -> None:  # type: ignore[type-arg]
    """A run that opens the map, as the map page does, and handles one ``add`` edit from the map.
    (AppTest runs the function's own source alone: only builtins in its signature.)"""
    import streamlit as st

    from ecomap.i18n import translator
    from ui import adding, editing

    if editing.opened(map_id) is None:
        raise LookupError("the map did not open")
    if "reason" not in st.session_state:
        st.session_state["reason"] = adding.add_on_map(translator(language), value)


def add(database: Store, value: dict[str, Any], *, language: str = "en") -> tuple[AppTest, str]:
    opened = database.add_person(LOCAL_USER, alys().replace(id=str(uuid4())))  # a new record each time
    at = AppTest.from_function(_add, args=(opened.map.id, value, language), default_timeout=30).run()
    assert not at.exception
    return at, opened.map.id


def spot(**fields: Any) -> dict[str, Any]:
    return {"id": NEW_ID, "name": "Côr y Bala", "role": "group", "sector": "community", "angle": 90.0,
            "distance": 0.6, "edit": 3, "kind": "add", **fields}  # fmt: skip


def test_the_person_is_saved_with_the_name_role_place_and_id_from_the_map_and_selected(database: Store) -> None:
    at, map_id = add(database, spot(name="  Côr y Bala "))
    assert at.session_state["reason"] is None
    newest = database.open(LOCAL_USER, map_id)
    assert newest.version == 2
    tie = newest.map.tie(NEW_ID)  # the browser's id, so the person drawn is the person saved
    assert (tie.name, tie.role, tie.kind, tie.sector, tie.strength) == (
        "Côr y Bala",
        "group",
        "group",
        "community",
        "moderate",
    )
    assert tie.position is not None and (tie.position.angle, tie.position.distance) == (90.0, 0.6)
    assert at.session_state["selected_tie"] == NEW_ID


def test_no_role_is_a_person_of_the_tapped_ring_and_a_place_outside_it_is_brought_inside(database: Store) -> None:
    at, map_id = add(database, spot(role="", sector="family", distance=0.95))
    assert at.session_state["reason"] is None
    tie = database.open(LOCAL_USER, map_id).map.tie(NEW_ID)
    assert (tie.role, tie.kind, tie.sector) == ("", "person", "family")
    assert tie.position is not None and tie.position.distance == 0.43  # the family ring's edge, less its margin


def test_an_id_already_on_the_map_or_not_an_id_gets_a_new_one(database: Store) -> None:
    for given in ("t1", "<b>", None):
        at, map_id = add(database, spot(id=given))
        assert at.session_state["reason"] is None
        ties = database.open(LOCAL_USER, map_id).map.ties
        assert [tie.name for tie in ties].count("Côr y Bala") == 1
        assert next(tie for tie in ties if tie.name == "Côr y Bala").id not in ("t1", "<b>")


def test_an_add_sent_again_to_a_new_session_after_it_was_saved_is_saved_once(database: Store) -> None:
    """A server started again has a new session, whose count of edits handled starts again: the map's
    add that the first session saved, but whose answer never came, is already on the map."""
    at, map_id = add(database, spot())
    assert at.session_state["reason"] is None
    again = AppTest.from_function(_add, args=(map_id, spot(), "en"), default_timeout=30).run()
    assert not again.exception and again.session_state["reason"] is None
    newest = database.open(LOCAL_USER, map_id)
    assert newest.version == 2
    assert [tie.name for tie in newest.map.ties].count("Côr y Bala") == 1
    # Another person given the same id by another browser is still added, under an id of their own.
    other = AppTest.from_function(_add, args=(map_id, spot(name="Côr Meibion"), "en"), default_timeout=30).run()
    assert other.session_state["reason"] is None
    ties = database.open(LOCAL_USER, map_id).map.ties
    assert {tie.name for tie in ties} >= {"Côr y Bala", "Côr Meibion"}
    assert next(tie for tie in ties if tie.name == "Côr Meibion").id != NEW_ID


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("\x01\x02\x03", "The name: contains a control character (U+0001), which is not allowed here"),
        ("   ", "The name: must not be empty"),
        ("a" * (NAME_MAX + 1), f"The name: is longer than {NAME_MAX} characters"),
        ("Mam\u202e", "The name: contains a bidirectional control character (U+202E)"),
    ],
    ids=["control characters", "blank", "too long", "bidirectional control"],
)
def test_a_name_the_model_refuses_is_not_saved_and_the_reason_says_why(database: Store, name: str, why: str) -> None:
    at, map_id = add(database, spot(name=name))
    reason = at.session_state["reason"]
    assert reason.startswith("Not added to the map: ") and why in reason
    assert database.open(LOCAL_USER, map_id).version == 1
    assert "selected_tie" not in at.session_state


@pytest.mark.parametrize(
    "changed",
    [{"sector": "garden"}, {"role": "gp"}, {"role": "nobody"}, {"angle": "east"}, {"distance": None}, {"name": 5}],
    ids=["no such ring", "another ring's role", "no such role", "angle not a number", "no distance", "name not text"],
)
def test_an_edit_the_form_cannot_have_sent_is_refused(database: Store, changed: dict[str, Any]) -> None:
    at, map_id = add(database, spot(**changed))
    assert at.session_state["reason"] == "That could not be added to the map."
    assert database.open(LOCAL_USER, map_id).version == 1


def test_a_conflict_is_refused_with_its_reason_and_nothing_is_overwritten(database: Store) -> None:
    opened = database.add_person(LOCAL_USER, alys())
    at = AppTest.from_function(_add, args=(opened.map.id, spot(), "en"), default_timeout=30)
    at.session_state["reason"] = "not yet"  # open the map first, then someone else saves
    at.run()
    elsewhere = opened.map.with_tie({"id": "t9", "name": "Nansi", "sector": "community"})
    database.save(LOCAL_USER, elsewhere, expected_version=1)
    del at.session_state["reason"]
    at.run()
    assert not at.exception
    assert at.session_state["reason"].startswith("Someone else saved this map while you were working.")
    assert database.open(LOCAL_USER, opened.map.id).map == elsewhere


def test_the_reason_is_in_welsh_for_a_welsh_session(database: Store) -> None:
    at, _ = add(database, spot(name="\x01"), language="cy")
    assert at.session_state["reason"].startswith("Heb ei ychwanegu at y map: Yr enw: ")
    at, _ = add(database, spot(sector="garden"), language="cy")
    assert at.session_state["reason"] == "Doedd dim modd ychwanegu hynny at y map."
