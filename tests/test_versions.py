"""Saved versions grouped into visits, and told in the reader's language (ecomap/versions.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ecomap.i18n import translator
from ecomap.model import example
from ecomap.store import LOCAL_USER, Store
from ecomap.versions import (
    VISIT_GAP,
    SavedVersion,
    Visit,
    default_comparison,
    describe_choice,
    describe_save,
    describe_version,
    describe_visit,
    landmarks,
    visits,
)

START = datetime(2026, 12, 1, 10, 2, tzinfo=UTC)


def saved(
    version: int, minutes: float, by: str = "anwen", label: str = "", restored: int | None = None
) -> SavedVersion:
    """Version ``version``, saved ``minutes`` after the first."""
    return SavedVersion(version, START + timedelta(minutes=minutes), by, label, restored_from=restored)


def spans(found: list[Visit]) -> list[tuple[int, int]]:
    return [(visit.first, visit.last) for visit in found]


GAP_MINUTES = VISIT_GAP.total_seconds() / 60


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        pytest.param([saved(n, n) for n in range(1, 46)], [(1, 45)], id="one sitting"),
        pytest.param([saved(1, 0), saved(2, 30), saved(3, 30 + GAP_MINUTES + 1)], [(1, 2), (3, 3)], id="split by gap"),
        pytest.param([saved(1, 0), saved(2, GAP_MINUTES)], [(1, 2)], id="exactly the gap is one sitting"),
        pytest.param(
            [saved(1, 0), saved(2, 5, by="bryn"), saved(3, 10)], [(1, 1), (2, 2), (3, 3)], id="another user between"
        ),
        pytest.param([saved(1, 0), saved(2, 5), saved(3, 6, restored=1), saved(4, 8)], [(1, 2), (3, 4)], id="restore"),
        pytest.param([saved(1, 0)], [(1, 1)], id="a single version"),
        pytest.param([saved(3, 200), saved(1, 0), saved(2, 10)], [(1, 2), (3, 3)], id="out of order"),
        pytest.param([], [], id="no versions"),
    ],
)
def test_versions_are_grouped_into_visits(history: list[SavedVersion], expected: list[tuple[int, int]]) -> None:
    assert spans(visits(history)) == expected


def test_a_visit_knows_its_times_who_saved_it_and_its_named_versions() -> None:
    (visit,) = visits([saved(1, 0), saved(2, 20, label="first conversation"), saved(3, 45, label="agreed plan")])
    assert (visit.start, visit.end, visit.saved_by) == (START, START + timedelta(minutes=45), "anwen")
    assert visit.labels == ("first conversation", "agreed plan")


def test_the_gap_can_be_chosen() -> None:
    history = [saved(1, 0), saved(2, 20)]
    assert spans(visits(history, gap=timedelta(minutes=10))) == [(1, 1), (2, 2)]


def test_landmarks_are_named_versions_and_the_end_of_each_visit() -> None:
    history = [saved(1, 0), saved(2, 5, label="first conversation"), saved(3, 9), saved(4, 600), saved(5, 610)]
    assert landmarks(visits(history)) == [2, 3, 5]


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        pytest.param([saved(1, 0), saved(2, 5), saved(3, 600)], (2, 3), id="end of the first visit against now"),
        pytest.param([saved(1, 0), saved(2, 5)], (1, 2), id="one visit: the first version against now"),
        pytest.param([saved(1, 0)], (1, 1), id="one version"),
    ],
)
def test_the_default_comparison(history: list[SavedVersion], expected: tuple[int, int]) -> None:
    assert default_comparison(visits(history)) == expected


def test_a_visit_is_told_by_its_date_times_and_changes() -> None:
    (visit,) = visits([saved(n, n) for n in range(1, 46)])
    assert describe_visit(visit, translator("en")) == "Visit on 1 December 2026, 10:03–10:47 (45 changes)"
    assert describe_visit(visit, translator("cy")) == "Ymweliad ar 1 Rhagfyr 2026, 10:03–10:47 (45 newid)"


def test_times_are_told_on_local_clocks() -> None:
    summer = SavedVersion(1, datetime(2026, 7, 1, 9, 47, tzinfo=UTC), "anwen", "three-month review")
    assert describe_version(summer, translator("en")) == "three-month review · 1 July 2026, 10:47"
    late = SavedVersion(2, datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "anwen")
    assert describe_version(late, translator("en")) == "Version 2 · 1 July 2026, 00:30"


def test_a_restore_is_told_in_its_visit() -> None:
    assert describe_save(saved(3, 6, restored=1), translator("en")) == "10:08 · Version 3 · version 1 brought back"
    assert describe_save(saved(4, 8, label="agreed plan"), translator("cy")) == "10:10 · Fersiwn 4 · agreed plan"


def test_a_picker_offers_now_named_versions_and_visits() -> None:
    history = [saved(1, 0), saved(2, 5), saved(3, 300, label="three-month review"), saved(4, 310)]
    found, t = visits(history), translator("en")
    assert [describe_choice(v, found, t) for v in history] == [
        "Version 1 · 1 December 2026, 10:02",
        "Visit on 1 December 2026, 10:02–10:07 (2 changes)",
        "three-month review · 1 December 2026, 15:02",
        "Now · Version 4 · 1 December 2026, 15:12",
    ]


def test_the_store_lists_what_a_restore_brought_back_and_who_saved_each_version() -> None:
    store = Store.from_url("sqlite://")
    store.migrate()
    first = store.add_person(LOCAL_USER, example())
    store.save(LOCAL_USER, first.map.replace(title="Later"), expected_version=1)
    store.restore(LOCAL_USER, first.map.id, 1, expected_version=2)
    listed = store.versions(LOCAL_USER, first.map.id)
    assert [(v.version, v.restored_from, v.saved_by_name) for v in listed] == [
        (1, None, LOCAL_USER.display_name),
        (2, None, LOCAL_USER.display_name),
        (3, 1, LOCAL_USER.display_name),
    ]
    assert spans(visits(listed)) == [(1, 2), (3, 3)]
