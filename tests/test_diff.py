"""The comparison of two versions, asserted exactly for every kind of change."""

from __future__ import annotations

from typing import Any

import pytest

from ecomap.diff import KIND_ORDER, Change, diff, summary
from ecomap.examples import example_maps
from ecomap.i18n import translator
from ecomap.model import EcoMap
from tests.conftest import alys


def changed(**fields: Any) -> EcoMap:
    """Alys's map with Mam (t1) changed."""
    m = alys()
    return m.with_tie(m.tie("t1").model_copy(update=fields))


CASES: list[tuple[str, EcoMap, list[Change]]] = [
    ("stronger", alys().with_tie(alys().tie("t3").model_copy(update={"strength": "strong"})),
     [Change("stronger", "t3", "Meddygfa", {"before": "moderate", "after": "strong"})]),
    ("weaker", changed(strength="tenuous"), [Change("weaker", "t1", "Mam", {"before": "strong", "after": "tenuous"})]),
    ("now stressful", changed(stressful=True), [Change("now_stressful", "t1", "Mam")]),
    ("no longer stressful", alys().with_tie(alys().tie("t3").model_copy(update={"stressful": False})),
     [Change("no_longer_stressful", "t3", "Meddygfa")]),
    ("sector", changed(sector="community"),
     [Change("sector", "t1", "Mam", {"before": "family", "after": "community"})]),
    ("support", changed(support={"practical": "gets", "social": "gets"}),
     [Change("support_gained", "t1", "Mam", {"kinds": ["social"], "way": "gets"}),
      Change("support_lost", "t1", "Mam", {"kinds": ["emotional"], "way": "gets"}),
      Change("support_lost", "t1", "Mam", {"kinds": ["emotional", "practical"], "way": "gives"})]),
    ("support the person only gives now", changed(support={"emotional": "both", "practical": "gives"}),
     [Change("support_lost", "t1", "Mam", {"kinds": ["practical"], "way": "gets"})]),
    ("less often", changed(frequency="weekly"),
     [Change("less_often", "t1", "Mam", {"before": "daily", "after": "weekly"})]),
    ("more often", alys().with_tie(alys().tie("t3").model_copy(update={"frequency": "monthly"})),
     [Change("more_often", "t3", "Meddygfa", {"before": None, "after": "monthly"})]),
    ("hoped for, now current", alys().with_tie(alys().tie("t2").model_copy(update={"status": "current"})),
     [Change("status", "t2", "Côr Meibion", {"before": "hoped_for", "after": "current"})]),
    ("now past", changed(status="past"), [Change("status", "t1", "Mam", {"before": "current", "after": "past"})]),
    ("renamed", changed(name="Mam (Eirlys)"),
     [Change("renamed", "t1", "Mam (Eirlys)", {"before": "Mam", "after": "Mam (Eirlys)"})]),
    ("added", alys().with_tie({"id": "t4", "name": "Nain", "sector": "family"}),
     [Change("added", "t4", "Nain", {"status": "current", "sector": "family"})]),
    ("removed", alys().without_tie("t3"), [Change("removed", "t3", "Meddygfa", {"sector": "services"})]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "new", "expected"), CASES, ids=[case for case, _, _ in CASES])
def test_each_kind_of_change_is_found_exactly(case: str, new: EcoMap, expected: list[Change]) -> None:
    assert list(diff(alys(), new).changes) == expected


def test_every_kind_of_change_has_a_case() -> None:
    assert {change.kind for _, _, changes in CASES for change in changes} == set(KIND_ORDER)


def test_links_added_and_lost() -> None:
    new = alys().replace(links=[{"between": ["t2", "t3"], "stressful": True}])
    result = diff(alys(), new)
    assert [(link.between, link.names) for link in result.links_added] == [(("t2", "t3"), ("Côr Meibion", "Meddygfa"))]
    assert [(link.between, link.names) for link in result.links_lost] == [(("t1", "t2"), ("Mam", "Côr Meibion"))]
    assert result.changes == ()


def test_measures_before_and_after_and_findings_that_appeared_or_were_resolved() -> None:
    new = alys().with_tie(alys().tie("t3").model_copy(update={"stressful": False, "strength": "strong"}))
    result = diff(alys(), new)
    assert result.measures["strong_count"] == (1, 2)
    assert result.measures["stressful_share"] == (0.5, 0.0)
    assert "size" not in result.measures
    assert [(f.id, f.tie) for f in result.findings_resolved] == [("single-strong-tie", "t1"), ("stressful-tie", "t3")]
    assert [(f.id, f.tie) for f in result.findings_appeared] == [("strong-tie", "t3")]


def test_no_change_is_said_so() -> None:
    result = diff(alys(), alys())
    assert result.empty and result.measures == {} and result.findings_appeared == ()
    assert summary(result, alys(), alys()) == ["Nothing on the map has changed between these versions."]


def test_two_maps_drawn_apart_are_matched_by_name() -> None:
    redrawn = alys().replace(
        ties=[{**tie.model_dump(mode="json"), "id": f"x{tie.id}"} for tie in alys().ties],
        links=[{"between": ["xt1", "xt2"]}],
        plan=[],
    )
    result = diff(alys(), redrawn)
    assert result.empty
    assert result.matched_by_name == {"xt1": "t1", "xt2": "t2", "xt3": "t3"}
    assert result.findings_appeared == () and result.findings_resolved == ()


def test_the_summary_tells_good_news_first_in_plain_words() -> None:
    new = alys().with_tie(alys().tie("t2").model_copy(update={"status": "current", "frequency": "weekly"}))
    new = new.with_tie(new.tie("t3").model_copy(update={"stressful": False}))
    new = new.with_tie(new.tie("t1").model_copy(update={"strength": "moderate"}))
    sentences = summary(diff(alys(), new), alys(), new)
    assert sentences == [
        "The tie with Meddygfa is no longer stressful.",
        "Alys is in touch with Côr Meibion more often (weekly; before: not recorded).",
        "Côr Meibion, once hoped for, is part of Alys’s life now.",
        "The tie with Mam is not as strong as it was (strong before, moderate now): worth talking about.",
        "Ties in Alys’s life now: 2 before, 3 now.",
        "Strong ties: 1 before, 0 now.",
    ]


def test_the_summary_speaks_welsh() -> None:
    new = alys().with_tie({"id": "t4", "name": "Nain", "sector": "family"})
    sentences = summary(diff(alys(), new), alys(), new, t=translator("cy"))
    assert sentences[0] == "Mae Nain yn newydd ar y map."


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.called)
def test_the_summary_never_uses_deficit_words(m: EcoMap) -> None:
    emptied = m.replace(ties=[tie.model_copy(update={"strength": "tenuous", "stressful": True}) for tie in m.ties])
    for language in ("en", "cy"):
        text = " ".join(summary(diff(m, emptied), m, emptied, t=translator(language))).lower()
        for word in ("isolated", "deficit", "failure", "poor", "lacks", "unable"):
            assert word not in text
