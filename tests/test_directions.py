"""Which way support goes, in every output: a table of directions, each said the same way everywhere.

For a young carer, support she gives must never be written as support she gets. Each row is one
tie's practical support; every output reads it through the same model and analysis rules.
"""

from __future__ import annotations

from typing import Any

import pytest

from ecomap.analysis import findings, measures
from ecomap.caseload import patterns_of
from ecomap.conversation import support_words
from ecomap.diff import diff, summary
from ecomap.model import SCHEMA_VERSION, EcoMap
from ecomap.render.interactive import full_edge, vis_data


def megan(support: dict[str, str] | None) -> EcoMap:
    tie: dict[str, Any] = {"id": "t1", "name": "Mam", "sector": "family", "strength": "strong"}
    if support is not None:
        tie["support"] = support
    return EcoMap.from_dict(
        {"schema_version": SCHEMA_VERSION, "id": "m", "person": {"name": "Megan Rees", "preferred_name": "Megan"},
         "ties": [tie]}
    )  # fmt: skip


# (support, the person gets practical, gives it, finding one-way-giving, mutual-support, arrows, read-back)
DIRECTIONS: list[tuple[str, dict[str, str] | None, bool, bool, bool, bool, str, str]] = [
    ("gets", {"practical": "gets"}, True, False, False, False, "from", "You get support from Mam: practical."),
    ("gives", {"practical": "gives"}, False, True, True, False, "to", "You give Mam support: practical."),
    ("both", {"practical": "both"}, True, True, False, True, "to, from", "You and Mam support each other: practical."),
    ("none", {}, False, False, False, False, "", "No support goes either way between you and Mam at the moment."),
    ("not asked", None, False, False, False, False, "", "We have not talked about support with Mam yet."),
]  # fmt: skip
IDS = [row[0] for row in DIRECTIONS]


@pytest.mark.parametrize(("case", "support", "gets", "gives", "one_way", "mutual", "arrows", "said"), DIRECTIONS,
                         ids=IDS)  # fmt: skip
def test_findings_and_the_caseload_count_only_support_the_person_gets(
    case: str, support: dict[str, str] | None, gets: bool, gives: bool, one_way: bool, mutual: bool, arrows: str,
    said: str,
) -> None:  # fmt: skip
    m = megan(support)
    found = {(f.id, f.params.get("support")) for f in findings(m)}
    assert (("support-missing", "practical") not in found) is gets
    assert any(f.id == "one-way-giving" for f in findings(m)) is one_way
    assert any(f.id == "mutual-support" for f in findings(m)) is mutual
    patterns = set(patterns_of(m))
    assert ("support-missing:practical" not in patterns) is gets
    assert ("one-way-giving" in patterns) is one_way
    assert ("mutual-support" in patterns) is mutual


@pytest.mark.parametrize(("case", "support", "gets", "gives", "one_way", "mutual", "arrows", "said"), DIRECTIONS,
                         ids=IDS)  # fmt: skip
def test_measures_count_support_received_and_given_apart(
    case: str, support: dict[str, str] | None, gets: bool, gives: bool, one_way: bool, mutual: bool, arrows: str,
    said: str,
) -> None:  # fmt: skip
    numbers = measures(megan(support))
    assert numbers["support_received"]["practical"] == int(gets)
    assert numbers["support_given"]["practical"] == int(gives)
    assert numbers["reciprocity_by_kind"]["practical"] == (1.0 if mutual else 0.0 if gets or gives else None)


@pytest.mark.parametrize(("case", "support", "gets", "gives", "one_way", "mutual", "arrows", "said"), DIRECTIONS,
                         ids=IDS)  # fmt: skip
def test_the_read_back_and_the_drawing_say_the_same_direction(
    case: str, support: dict[str, str] | None, gets: bool, gives: bool, one_way: bool, mutual: bool, arrows: str,
    said: str,
) -> None:  # fmt: skip
    m = megan(support)
    assert support_words(m.tie("t1")) == [said]
    data = vis_data(m)
    edge = full_edge(next(e for e in data["edges"] if e.get("to") == "t1"), data)
    assert edge["arrows"] == arrows  # the person is each tie line's "from" end


@pytest.mark.parametrize(
    ("support", "sentence"),
    [
        ({"practical": "gets"}, "Megan gets practical support from Mam now."),
        ({"practical": "gives"}, "Megan gives practical support to Mam now."),
        ({"practical": "both"}, "Megan gets practical support from Mam now."),
    ],
)
def test_the_change_summary_says_who_gives_and_who_gets(support: dict[str, str], sentence: str) -> None:
    before, after = megan(None), megan(support)
    said = summary(diff(before, after), before, after)
    assert sentence in said
    if support["practical"] == "gives":
        assert not any("gets practical" in s or "Mam gives" in s for s in said)  # the young carer's case


def test_support_the_person_now_gives_instead_of_gets_is_said_both_ways() -> None:
    before, after = megan({"practical": "gets"}), megan({"practical": "gives"})
    said = summary(diff(before, after), before, after)
    assert "Megan gives practical support to Mam now." in said
    assert "Megan no longer gets practical support from Mam." in said
