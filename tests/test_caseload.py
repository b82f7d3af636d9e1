"""The caseload's counts: each pattern holds for a map exactly when the map has that finding."""

from __future__ import annotations

import pytest

from ecomap.analysis import counts as facts
from ecomap.analysis import findings
from ecomap.caseload import FACTS, FEWEST_SHOWN, PATTERNS, caseload_of, count_text, patterns_of, suppressed
from ecomap.examples import example_maps, generated_map
from ecomap.i18n import translator
from ecomap.model import EcoMap, new_map
from tests.conftest import alys


def varied_maps() -> list[EcoMap]:
    """Maps of every size from empty to 40 ties, so that every pattern both holds and fails somewhere."""
    seen_monthly = new_map("Sam").with_tie({"id": "t1", "name": "Cousin", "sector": "family", "frequency": "monthly"})
    return [new_map("Nobody yet"), seen_monthly, alys(), *example_maps()] + [
        generated_map(n, seed=seed) for n in (1, 2, 3, 5, 8, 13, 40) for seed in range(6)
    ]


@pytest.mark.parametrize("m", varied_maps(), ids=lambda m: m.id)
def test_a_pattern_holds_exactly_when_the_map_has_its_finding(m: EcoMap) -> None:
    found = findings(m)
    expected = [
        p.id
        for p in PATTERNS.values()
        if any(f.id == p.finding and all(f.params.get(k) == v for k, v in (p.params or {}).items()) for f in found)
    ]
    assert patterns_of(m) == expected


def test_every_pattern_both_holds_and_fails_among_the_maps() -> None:
    seen = [set(patterns_of(m)) for m in varied_maps()]
    assert [pid for pid in PATTERNS if all(pid in s for s in seen) or not any(pid in s for s in seen)] == []


def test_facts_hold_counts_and_nothing_a_person_said() -> None:
    row = facts(alys())
    assert list(row) == list(FACTS)
    assert all(isinstance(value, int) for value in row.values())
    assert row["ties"] == row["family"] + row["community"] + row["services"]


def test_the_caseload_in_python_adds_up_its_maps() -> None:
    maps = varied_maps()
    load = caseload_of(maps)
    assert load.people == len(maps)
    assert load.ties == sum(facts(m)["ties"] for m in maps)
    assert load.counts["empty-sector:community"] == sum("empty-sector:community" in patterns_of(m) for m in maps)
    assert caseload_of([]).share("few-ties") is None


@pytest.mark.parametrize(("n", "english", "welsh"), [(0, "fewer than 5", "llai na 5"), (1, "fewer than 5", "llai na 5"),
    (4, "fewer than 5", "llai na 5"), (5, "5", "5"), (12, "12", "12")])  # fmt: skip
def test_every_count_under_five_is_shown_as_fewer_than_five(n: int, english: str, welsh: str) -> None:
    assert FEWEST_SHOWN == 5
    assert suppressed(n) is (n < 5)
    assert (count_text(n, translator("en")), count_text(n, translator("cy"))) == (english, welsh)


def test_a_share_is_not_shown_where_its_count_is_not() -> None:
    load = caseload_of([alys()] * 4 + [new_map("Nobody yet")] * 6)
    assert (load.counts["strong-tie"], load.shown_share("strong-tie"), load.share("strong-tie")) == (4, None, 0.4)
    assert (load.counts["empty-sector:family"], load.shown_share("empty-sector:family")) == (6, 0.6)
