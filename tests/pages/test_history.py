"""The versions page (pages/history.py), run by Streamlit's AppTest against a temporary database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

import ecomap.store
from ecomap.model import EcoMap
from ecomap.store import LOCAL_USER, Store
from tests.conftest import alys
from tests.pages.conftest import history_page, shown

FIRST_VISIT = datetime(2026, 12, 1, 10, 2, tzinfo=UTC)
NEXT_VISIT = datetime(2026, 12, 8, 14, 10, tzinfo=UTC)


class Clock:
    """The store's clock, set by the test: each save is stamped with :attr:`now`."""

    def __init__(self) -> None:
        self.now = FIRST_VISIT

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    # The store stamps saves with the time of day and takes no clock: a sitting needs real minutes between saves.
    clock = Clock()
    monkeypatch.setattr(ecomap.store, "_now", clock)
    return clock


def one_sitting(database: Store, clock: Clock) -> EcoMap:
    """Alys's map saved 45 times in one sitting, 10:02 to 10:47, each save a new title."""
    clock.now = FIRST_VISIT
    database.add_person(LOCAL_USER, alys())
    m = alys()
    for version in range(2, 46):
        clock.now = FIRST_VISIT + timedelta(minutes=version)
        m = m.replace(title=f"Alys, draft {version}")
        database.save(LOCAL_USER, m, expected_version=version - 1)
    return m


def visit_labels(at: AppTest) -> list[str]:
    return [shown(expander.proto.label) for expander in at.get("expander")]


def everything_said(at: AppTest) -> str:
    texts = [block.value for block in (*at.markdown, *at.caption, *at.success)]
    texts += visit_labels(at)
    texts += [option for box in at.selectbox for option in box.options]
    return shown(" ".join(texts))


def test_the_versions_page_compares_names_and_restores(database: Store) -> None:
    database.add_person(LOCAL_USER, alys())
    better = alys().with_tie(alys().tie("t3").model_copy(update={"stressful": False}))
    database.save(LOCAL_USER, better, expected_version=1)
    at = history_page(alys().id).run()
    assert not at.exception
    said = " ".join(shown(block.value) for block in at.markdown)
    assert "The tie with Meddygfa is no longer stressful." in said
    assert "Alys has a stressful tie" not in said

    at.selectbox(key="name_version").set_value(1)
    at.text_input(key="name_text").input("first conversation")
    at.button(key="FormSubmitter:name_a_version-Name this version").click().run()
    assert not at.exception
    assert [v.label for v in database.versions(LOCAL_USER, alys().id)] == ["first conversation", ""]
    assert at.selectbox(key="compare_from").options[0].startswith("first conversation · ")

    at.selectbox(key="compare_from").set_value(1).run()
    at.button(key="restore").click().run()
    assert not at.exception
    assert [v.version for v in database.versions(LOCAL_USER, alys().id)] == [1, 2, 3]
    assert database.open(LOCAL_USER, alys().id).map == alys()
    assert "Version 1 is the current map again" in at.success[0].value
    # The restore starts a visit of its own, and says what it brought back.
    assert len(visit_labels(at)) == 2
    assert "Version 3 · version 1 brought back" in shown(at.get("expander")[0].markdown[0].value)


def test_forty_five_saves_in_one_sitting_are_one_visit_with_its_times(database: Store, clock: Clock) -> None:
    one_sitting(database, clock)
    at = history_page(alys().id).run()
    assert not at.exception
    assert visit_labels(at) == ["Visit on 1 December 2026, 10:02–10:47 (45 changes)"]
    listed = shown(at.get("expander")[0].markdown[0].value).splitlines()
    assert len(listed) == 45
    assert (listed[0], listed[-1]) == ("- 10:47 · Version 45", "- 10:02 · Version 1")
    assert at.get("expander")[0].caption[0].value == "Saved by Local practitioner"
    # One visit: the map as first saved against now, and no list of 45 saves to pick from.
    assert (at.selectbox(key="compare_from").value, at.selectbox(key="compare_to").value) == (1, 45)
    assert at.selectbox(key="compare_to").options == [
        "Version 1 · 1 December 2026, 10:02",
        "Now · Version 45 · 1 December 2026, 10:47",
    ]
    assert alys().id not in everything_said(at)

    at.toggle(key="every_version").set_value(True).run()
    assert not at.exception
    assert len(at.selectbox(key="compare_from").options) == 45
    assert (at.selectbox(key="compare_from").value, at.selectbox(key="compare_to").value) == (1, 45)


def test_the_first_comparison_is_the_end_of_the_first_visit_against_now(database: Store, clock: Clock) -> None:
    m = one_sitting(database, clock)
    for step, version in enumerate(range(46, 49)):
        clock.now = NEXT_VISIT + timedelta(minutes=step)
        m = m.with_tie(m.tie("t3").model_copy(update={"stressful": False})) if step == 0 else m.replace(title=f"{step}")
        database.save(LOCAL_USER, m, expected_version=version - 1)
    database.label_version(LOCAL_USER, alys().id, 20, "agreed plan")

    at = history_page(alys().id).run()
    assert not at.exception
    assert visit_labels(at) == [
        "Visit on 8 December 2026, 14:10–14:12 (3 changes)",
        "Visit on 1 December 2026, 10:02–10:47 (45 changes) · agreed plan",
    ]
    assert (at.selectbox(key="compare_from").value, at.selectbox(key="compare_to").value) == (45, 48)
    assert at.selectbox(key="compare_from").options == [
        "agreed plan · 1 December 2026, 10:22",
        "Visit on 1 December 2026, 10:02–10:47 (45 changes)",
        "Now · Version 48 · 8 December 2026, 14:12",
    ]
    said = " ".join(shown(block.value) for block in at.markdown)
    assert "The tie with Meddygfa is no longer stressful." in said
    assert at.button(key="restore").label == "Make version 45 the current map again"


def test_the_page_speaks_welsh(database: Store, clock: Clock) -> None:
    one_sitting(database, clock)
    at = history_page(alys().id)
    at.session_state["language"] = "cy"
    at.run()
    assert not at.exception
    assert visit_labels(at) == ["Ymweliad ar 1 Rhagfyr 2026, 10:02–10:47 (45 newid)"]
    assert at.selectbox(key="compare_to").options[-1] == "Nawr · Fersiwn 45 · 1 Rhagfyr 2026, 10:47"
    assert at.toggle(key="every_version").label == "Pob fersiwn"
