"""The map page (pages/map.py), run by Streamlit's AppTest against a temporary database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ecomap.examples import load_examples
from ecomap.store import LOCAL_USER, Store
from tests.conftest import alys
from tests.pages.conftest import map_page, open_record, opened_on_map, shown


def test_the_map_page_lists_the_ties(database: Store) -> None:
    load_examples(database, LOCAL_USER)
    alys_id = next(p.map_id for p in database.people(LOCAL_USER) if p.name == "Alys Pritchard")
    at = map_page(alys_id).run()
    assert not at.exception
    assert at.subheader[0].value == "Alys"
    assert not at.dataframe  # the table is built only when asked for
    at = at.toggle(key="show_table").set_value(True).run()
    table = at.dataframe[0].value
    assert len(table) == 21
    assert "Côr Merched Penllyn" in set(table["Name"])


def test_adding_a_tie_saves_a_new_version(database: Store) -> None:
    opened = database.add_person(LOCAL_USER, alys())
    at = map_page(opened.map.id).run()
    at.text_input(key="quick_name").input("Beti drws nesaf")
    at.button_group(key="quick_role").set_value("neighbour")
    at.button(key="quick_add").click().run()
    assert not at.exception
    newest = database.open(LOCAL_USER, opened.map.id)
    assert newest.version == 2
    beti = next(t for t in newest.map.ties if t.name == "Beti drws nesaf")
    assert (beti.sector, beti.kind, beti.role) == ("community", "person", "neighbour")
    at = at.toggle(key="show_table").set_value(True).run()
    assert "Beti drws nesaf" in set(at.dataframe[0].value["Name"])


def test_a_stale_editor_gets_a_conflict_and_nothing_is_overwritten(database: Store) -> None:
    opened = database.add_person(LOCAL_USER, alys())
    at = map_page(opened.map.id).run()
    elsewhere = opened.map.with_tie({"id": "t9", "name": "Nansi", "sector": "community"})
    database.save(LOCAL_USER, elsewhere, expected_version=1)

    at.text_input(key="quick_name").input("Dei Tŷ Isa")
    at.button_group(key="quick_role").set_value("neighbour")
    at.button(key="quick_add").click().run()
    assert not at.exception
    assert "Someone else saved this map" in shown(at.warning[0].value)
    assert database.open(LOCAL_USER, opened.map.id).map == elsewhere


def test_the_map_page_speaks_welsh_when_the_session_chooses_it(database: Store) -> None:
    opened = database.add_person(LOCAL_USER, alys())
    at = map_page(opened.map.id)
    at.session_state["language"] = "cy"
    at.session_state["show_table"] = True
    at.run()
    assert not at.exception
    assert "Enw" in at.dataframe[0].value.columns
    assert "Teulu" in set(at.dataframe[0].value["Cylch"])


def test_an_unknown_map_sends_the_practitioner_back(database: Store) -> None:
    at = map_page("nobody").run()
    assert not at.exception
    assert "Choose a person" in at.info[0].value


def test_tapping_a_tie_opens_its_editor_and_each_change_is_saved_at_once(database: Store) -> None:
    at, map_id = opened_on_map(database)
    at.session_state["selected_tie"] = "t3"
    at.run()
    assert not at.exception
    at.button_group(key="strength_t3_1").set_value("strong").run()
    assert database.open(LOCAL_USER, map_id).map.tie("t3").strength == "strong"
    # The widgets keep their keys while they make the changes, so the browser is not sent them anew.
    at.button_group(key="stressful_t3_1").set_value("no").run()
    at.text_area(key="own_words_t3_1").input("Dr Owen listens").run()
    saved = database.open(LOCAL_USER, map_id)
    assert (saved.version, saved.map.tie("t3").stressful, saved.map.tie("t3").own_words) == (
        4,
        False,
        "Dr Owen listens",
    )


def test_undo_puts_back_the_last_change_as_a_new_version(database: Store) -> None:
    at, map_id = opened_on_map(database)
    at.session_state["selected_tie"] = "t1"
    at.run()
    at.button_group(key="strength_t1_1").set_value("tenuous").run()
    assert database.open(LOCAL_USER, map_id).map.tie("t1").strength == "tenuous"
    at.button(key="undo").click().run()
    assert not at.exception
    newest = database.open(LOCAL_USER, map_id)
    assert (newest.version, newest.map.tie("t1").strength) == (3, "strong")
    assert [v.version for v in database.versions(LOCAL_USER, map_id)] == [1, 2, 3]
    # The editor is drawn anew after an undo and shows what was put back.
    assert at.button_group(key="strength_t1_2").value == "strong"
    assert at.button(key="undo").disabled


def test_removing_a_tie_removes_its_links(database: Store) -> None:
    at, map_id = opened_on_map(database)
    at.session_state["selected_tie"] = "t2"
    at.run()
    at.button(key="remove_tie").click().run()
    saved = database.open(LOCAL_USER, map_id).map
    assert [t.id for t in saved.ties] == ["t1", "t3"] and saved.links == ()


def test_link_mode_asks_for_the_second_tap(database: Store) -> None:
    at, _ = opened_on_map(database)
    at.session_state["selected_tie"] = "t1"
    at.run()
    at.button(key="link_start").click().run()
    assert "Now tap the person or place on the map to link with Mam" in shown(at.info[0].value)


def test_toggle_link_links_and_then_unlinks() -> None:
    linked = alys().with_link_toggled("t1", "t3")
    assert {link.key for link in linked.links} == {frozenset({"t1", "t2"}), frozenset({"t1", "t3"})}
    assert linked.with_link_toggled("t3", "t1") == alys()


def test_the_guided_conversation_adds_ties_with_the_question_in_mind(database: Store) -> None:
    at, map_id = opened_on_map(database)
    at.button(key="guided_toggle").click().run()
    assert "Who do you see or speak to most days?" in [h.value for h in at.subheader]
    at.text_input(key="guided_name").input("Nansi").run()
    at.button(key="guided_add").click().run()
    assert not at.exception
    nansi = next(t for t in database.open(LOCAL_USER, map_id).map.ties if t.name == "Nansi")
    assert (nansi.frequency, nansi.strength, nansi.sector) == ("daily", "strong", "family")
    assert "part of your every day" in at.success[0].value
    for _ in range(6):
        at.button(key="guided_next").click().run()
    assert "Here is what we have drawn together" in [h.value for h in at.subheader]
    assert any("You see Nansi every day" in md.value for md in at.markdown)
    at.button(key="guided_confirm").click().run()
    assert at.button(key="guided_toggle").label == "Guided conversation"


def test_the_findings_list_shows_assets_then_areas_and_a_tap_opens_the_tie(database: Store) -> None:
    load_examples(database, LOCAL_USER)
    alys_id = next(p.map_id for p in database.people(LOCAL_USER) if p.name == "Alys Pritchard")
    at = map_page(alys_id).run()
    at.toggle(key="show_findings").set_value(True).run()
    assert not at.exception
    headings = [h.value for h in at.subheader]
    assert headings.index("What is strong") < headings.index("Areas to explore together")
    labels = [b.label for b in at.button if b.key and b.key.startswith("finding_")]
    assert "Alys has a strong tie with Siân\\." in labels
    at.button(key="finding_asset_0").click().run()
    assert at.session_state["selected_tie"] == "t1"
    assert at.subheader[1].value == "Siân"


def test_a_hoped_for_tie_becomes_a_plan_item_in_one_step(database: Store) -> None:
    at, map_id = opened_on_map(database)
    at.session_state["selected_tie"] = "t2"  # the choir Alys hopes to join
    at.run()
    at.text_input(key="plan_who_1").input("Alys and Nansi")
    at.button(key="plan_add").click().run()
    assert not at.exception
    plan = database.open(LOCAL_USER, map_id).map.plan
    assert (plan[-1].action, plan[-1].tie, plan[-1].who) == (
        "A first step towards Côr Meibion",  # a choir she hopes to join: nothing to get back to
        "t2",
        "Alys and Nansi",
    )
    assert "Added to the plan: A first step towards Côr Meibion" in shown(at.success[0].value)


def test_a_tie_in_the_past_offers_to_get_back_in_touch(database: Store) -> None:
    opened = database.add_person(LOCAL_USER, alys().with_tie_fields("t3", status="past"))
    at = map_page(opened.map.id).run()
    at.session_state["selected_tie"] = "t3"
    at.run()
    assert at.text_input(key="plan_action_1").value == "Get back in touch with Meddygfa"


def test_the_guided_questions_offer_only_the_roles_of_their_ring(database: Store) -> None:
    from ecomap.vocab import ROLES

    at, _ = opened_on_map(database)
    at.button(key="guided_toggle").click().run()  # the first question is about family
    chips = at.button_group(key="guided_role")
    assert set(chips.options) == {role.label for role in ROLES.values() if role.sector == "family"}
    for _ in range(3):
        at.button(key="guided_next").click().run()  # the fourth is about the community
    assert set(at.button_group(key="guided_role").options) == {
        role.label for role in ROLES.values() if role.sector == "community"
    }


def test_deficit_wording_gets_a_gentle_suggestion(database: Store) -> None:
    m = alys().with_tie({"id": "t3", "name": "Meddygfa", "sector": "services", "notes": "Alys refused to engage"})
    opened = database.add_person(LOCAL_USER, m)
    at = map_page(opened.map.id).run()
    at.session_state["selected_tie"] = "t3"
    at.run()
    assert any("chose not to take part at the moment" in shown(c.value) for c in at.caption)


def test_the_plan_is_beside_the_map_and_a_step_is_ticked_off(database: Store) -> None:
    at, map_id = opened_on_map(database)
    assert "Plan" in [h.value for h in at.subheader]
    at.checkbox(key="plan_done_a1_1").check().run()
    assert not at.exception
    assert database.open(LOCAL_USER, map_id).map.plan_item("a1").done is True


def test_a_plan_step_is_changed_in_its_editor(database: Store) -> None:
    at, map_id = opened_on_map(database)
    at.button(key="plan_change_a1").click().run()
    assert at.text_input(key="plan_edit_action_a1_1").value == "Ask when the choir meets"
    at.text_input(key="plan_edit_action_a1_1").input("Go to the choir's open evening")
    at.text_input(key="plan_edit_who_a1_1").input("Alys and Nansi")
    at.date_input(key="plan_edit_by_a1_1").set_value(None)
    at.button(key="FormSubmitter:plan_edit_a1-Save").click().run()
    assert not at.exception
    saved = database.open(LOCAL_USER, map_id)
    item = saved.map.plan_item("a1")
    assert (item.action, item.who, item.by, item.tie, saved.version) == (
        "Go to the choir's open evening",
        "Alys and Nansi",
        None,
        "t2",
        2,
    )
    assert not at.get("form")  # the editor closes after a save
    assert any("Go to the choir" in shown(c.label) for c in at.checkbox)


def test_a_plan_step_with_no_words_is_refused_and_nothing_is_saved(database: Store) -> None:
    at, map_id = opened_on_map(database)
    at.button(key="plan_change_a1").click().run()
    at.text_input(key="plan_edit_action_a1_1").input("   ")
    at.button(key="FormSubmitter:plan_edit_a1-Save").click().run()
    assert not at.exception
    assert at.error and "plan[0].action" in shown(at.error[0].value)
    assert database.open(LOCAL_USER, map_id).version == 1


def test_a_plan_step_is_removed_and_undo_brings_it_back(database: Store) -> None:
    at, map_id = opened_on_map(database)
    at.button(key="plan_change_a1").click().run()
    at.button(key="plan_remove_a1").click().run()
    assert not at.exception
    assert database.open(LOCAL_USER, map_id).map.plan == ()
    assert "Plan" not in [h.value for h in at.subheader]
    at.button(key="undo").click().run()
    assert database.open(LOCAL_USER, map_id).map.plan_item("a1").action == "Ask when the choir meets"


def test_the_guided_read_back_shows_the_plan_to_change(database: Store) -> None:
    at, map_id = opened_on_map(database)
    at.button(key="guided_toggle").click().run()
    for _ in range(6):
        at.button(key="guided_next").click().run()
    assert "Plan" in [h.value for h in at.subheader]
    at.button(key="plan_change_a1").click().run()
    at.button(key="plan_remove_a1").click().run()
    assert not at.exception
    assert database.open(LOCAL_USER, map_id).map.plan == ()
    assert "Here is what we have drawn together" in [h.value for h in at.subheader]


def test_what_the_record_needs_is_filled_in_beside_the_map_and_nothing_is_invented(database: Store) -> None:
    from datetime import date

    at, map_id = opened_on_map(database)
    assert database.open(LOCAL_USER, map_id).map.record.practitioner == ""
    assert not at.date_input and not at.number_input  # closed, the record's fields are not drawn
    open_record(at)
    at.text_input(key="record_case_reference_1").input("CYP-4471").run()
    at.text_input(key="record_practitioner_1").input("Owain Jenkins").run()
    at.text_area(key="record_present_1").input("Alys\nNansi\n\n").run()
    at.date_input(key="record_met_on_1").set_value(date(2026, 11, 30)).run()
    at.button_group(key="record_agreed_1").set_value("not_yet").run()
    at.number_input(key="person_age_1").set_value(82).run()
    assert not at.exception
    saved = database.open(LOCAL_USER, map_id).map
    assert (saved.record.case_reference, saved.record.practitioner, saved.record.present) == (
        "CYP-4471",
        "Owain Jenkins",
        ("Alys", "Nansi"),
    )
    assert (saved.record.met_on, saved.record.read_back_agreed, saved.person.age) == (date(2026, 11, 30), False, 82)
    assert (saved.record.agency, saved.record.review_on, saved.person.date_of_birth) == ("", None, None)


def test_the_persons_answer_to_the_read_back_is_kept_on_the_record(database: Store) -> None:
    at, map_id = opened_on_map(database)
    at.button(key="guided_toggle").click().run()
    for _ in range(6):
        at.button(key="guided_next").click().run()
    at.button(key="guided_confirm").click().run()
    assert not at.exception
    assert database.open(LOCAL_USER, map_id).map.record.read_back_agreed is True


def test_a_database_that_fails_is_told_in_plain_words_and_no_name_is_shown(database: Store, tmp_path: Path) -> None:
    from ecomap.store import default_url
    from ui.common import _store

    secret = "Gwenllian Zebedee-Pryce"
    opened = database.add_person(LOCAL_USER, alys().with_person(name=secret))
    at = map_page(opened.map.id).run()
    database.engine.dispose()
    _store(default_url()).engine.dispose()
    path = tmp_path / "app.db"
    for leftover in (path.with_name("app.db-wal"), path.with_name("app.db-shm")):
        leftover.unlink(missing_ok=True)
    path.write_bytes(b"not a database " * 400)
    at.text_input(key="quick_name").input("Beti drws nesaf")
    at.button_group(key="quick_role").set_value("neighbour")
    at.button(key="quick_add").click().run()
    assert not at.exception
    (error,) = at.error
    assert "could not be saved or opened just now (it is damaged)" in shown(error.value)
    everything = " ".join(str(e.value) for e in [*at.error, *at.warning, *at.info, *at.markdown, *at.caption])
    assert secret not in everything and "INSERT" not in everything


def _quick(at: AppTest) -> str:
    return "quick"


def _in_the_conversation(at: AppTest) -> str:
    at.button(key="guided_toggle").click().run()
    return "guided"


@pytest.mark.parametrize("start", [_quick, _in_the_conversation])
def test_whoever_is_added_is_selected_on_the_map(database: Store, start: Callable[[AppTest], str]) -> None:
    at, map_id = opened_on_map(database)
    prefix = start(at)
    at.text_input(key=f"{prefix}_name").input("Beti drws nesaf")
    at.button_group(key=f"{prefix}_role").set_value("neighbour" if prefix != "guided" else "grandparent")
    at.button(key=f"{prefix}_add").click().run()
    assert not at.exception
    beti = next(t for t in database.open(LOCAL_USER, map_id).map.ties if t.name == "Beti drws nesaf")
    assert at.session_state["selected_tie"] == beti.id
    headings = [h.value for h in at.subheader]
    if prefix == "guided":
        # The conversation keeps its question; the map marks Beti as selected.
        assert "Who do you see or speak to most days?" in headings and "Beti drws nesaf" not in headings
    else:
        # Her editor opens, showing what was saved.
        assert "Beti drws nesaf" in headings
        assert at.button_group(key=f"strength_{beti.id}_1").value == beti.strength


def test_a_map_whose_opening_cannot_be_audited_is_not_shown_and_the_page_says_why(database: Store) -> None:
    from ecomap.store import AuditAction
    from tests.test_faults import refuse_to_audit_openings

    secret = "Gwenllian Zebedee-Pryce"
    opened = database.add_person(LOCAL_USER, alys().with_person(name=secret))
    refuse_to_audit_openings(database)  # the audit answers as SQLite does on a full disk
    at = map_page(opened.map.id).run()
    assert not at.exception
    (error,) = at.error
    assert "could not be saved or opened just now (there is no room left)" in shown(error.value)
    everything = " ".join(str(e.value) for e in [*at.error, *at.warning, *at.info, *at.markdown, *at.caption])
    assert secret not in everything and "Mam" not in everything
    assert not at.text_input and not at.main.button_group
    assert [e.action for e in database.audit(LOCAL_USER)] == [AuditAction.CREATE]


def test_the_rejoin_element_is_drawn_outside_every_fragment(database: Store) -> None:
    """A server started again knows none of the page's fragments until the whole page has run: the
    element whose trigger asks for that run must be on the page itself, not inside the map's fragments."""
    at, _ = opened_on_map(database)

    def names(node: object) -> list[str]:
        found = [getattr(getattr(node, "proto", None), "component_name", "")]
        for child in getattr(node, "children", {}).values():
            found += names(child)
        return found

    top = [getattr(getattr(child, "proto", None), "component_name", "") for child in at.main.children.values()]
    assert top.count("ecomap.rejoin") == 1
    assert names(at.main).count("ecomap.rejoin") == 1
    assert "ecomap.map" in names(at.main) and "ecomap.map" not in top  # the map itself is in a fragment
