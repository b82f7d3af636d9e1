"""The caseload: patterns across many people's maps, counted without opening anyone's record.

Each map's current version comes down to one row of counts, its **facts**: how many current ties
there are in each ring, how many are strong, stressful, mutual, and so on. No name, word or note is
in it. The store keeps one such row per map, rewritten with every save, and counts every pattern in
:data:`PATTERNS` across all the rows in one SQL statement (``Store.caseload``), so a team lead sees,
say, how many people have no community connection on their map yet, and whose maps they are never
has to be asked.

A pattern is the caseload's view of a finding (:mod:`ecomap.analysis`): it holds for a map exactly
when that map has the finding. Each pattern's test is written once, over the facts, and reads the
same on SQL columns as on one map's facts in Python (:func:`patterns_of`).

Examples
--------
>>> from ecomap.model import example
>>> facts(example())["family"], facts(example())["strong"]
(1, 1)
>>> patterns_of(example())[:3]
['strong-tie', 'mutual-support', 'empty-sector:community']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from ecomap.analysis import THRESHOLDS, current_ties
from ecomap.model import EcoMap
from ecomap.vocab import N_, SECTORS, values

#: The counts kept for each map, in the order of the store's columns.
FACTS: tuple[str, ...] = (
    "ties",
    *SECTORS,
    "strong",
    "stressful",
    "mutual",
    "one_way",
    "frequent",
    "community_connected",
    "hoped_for",
    *values("support"),
)


def facts(m: EcoMap) -> dict[str, int]:
    """The map's counts: current ties in all and in each ring, and the rest of :data:`FACTS`.

    >>> from ecomap.model import new_map
    >>> set(facts(new_map("Nobody yet")).values())
    {0}
    """
    ties = current_ties(m)
    counted = {
        "ties": len(ties),
        **{sector: sum(tie.sector == sector for tie in ties) for sector in SECTORS},
        "strong": sum(tie.strength == "strong" for tie in ties),
        "stressful": sum(tie.stressful for tie in ties),
        "mutual": sum(tie.flow == "both" and tie.strength != "cut_off" for tie in ties),
        "one_way": sum(tie.flow == "from_person" for tie in ties),
        "frequent": sum(tie.frequency in THRESHOLDS["frequent"] for tie in ties),
        "community_connected": sum(
            tie.sector == "community" and tie.strength in THRESHOLDS["community_strengths"] for tie in ties
        ),
        "hoped_for": sum(tie.status == "hoped_for" for tie in m.ties),
        **{kind: sum(kind in tie.support for tie in ties) for kind in values("support")},
    }
    return {name: counted[name] for name in FACTS}


@dataclass(frozen=True)
class Pattern:
    """What the caseload counts: maps with ``finding`` (and its ``params``), tested on a map's facts.

    ``test`` takes something with one attribute per fact (a table's columns, or one map's facts)
    and combines comparisons with ``&``, so that it reads the same in SQL and in Python.
    """

    id: str
    finding: str
    kind: str
    label: str
    test: Callable[[Any], Any]
    params: Mapping[str, str] | None = None


def _support_missing(kind: str) -> Pattern:
    return Pattern(
        f"support-missing:{kind}",
        "support-missing",
        "gap",
        {
            "emotional": N_("No one gives emotional support yet"),
            "practical": N_("No one gives practical support yet"),
            "information": N_("No one gives information or advice yet"),
            "social": N_("No one gives social support yet"),
        }[kind],
        lambda f: (f.ties > 0) & (getattr(f, kind) == 0),
        {"support": kind},
    )


#: Every pattern the caseload counts, assets first, keyed by id.
PATTERNS: dict[str, Pattern] = {
    p.id: p
    for p in (
        Pattern("strong-tie", "strong-tie", "asset", N_("At least one strong tie"), lambda f: f.strong > 0),
        Pattern(
            "mutual-support", "mutual-support", "asset", N_("Support that flows both ways"), lambda f: f.mutual > 0
        ),
        Pattern(
            "community-connection",
            "community-connection",
            "asset",
            N_("Connected in the community"),
            lambda f: f.community_connected > 0,
        ),
        Pattern(
            "hoped-for-tie", "hoped-for-tie", "asset", N_("A hoped-for tie to plan for"), lambda f: f.hoped_for > 0
        ),
        Pattern(
            "empty-sector:family",
            "empty-sector",
            "gap",
            N_("No family connections on the map yet"),
            lambda f: f.family == 0,
            {"sector": "family"},
        ),
        Pattern(
            "empty-sector:community",
            "empty-sector",
            "gap",
            N_("No community connections on the map yet"),
            lambda f: f.community == 0,
            {"sector": "community"},
        ),
        Pattern(
            "few-ties",
            "few-ties",
            "gap",
            N_("Fewer than three people or places on the map"),
            lambda f: f.ties < THRESHOLDS["few_ties"],
        ),
        Pattern(
            "service-heavy",
            "service-heavy",
            "gap",
            N_("Services are half or more of their connections"),
            lambda f: (f.ties > 0) & (f.services >= f.ties * THRESHOLDS["service_heavy_share"]),
        ),
        Pattern(
            "no-strong-tie",
            "no-strong-tie",
            "gap",
            N_("No tie marked strong yet"),
            lambda f: (f.ties > 0) & (f.strong == 0),
        ),
        Pattern("single-strong-tie", "single-strong-tie", "gap", N_("One strong tie only"), lambda f: f.strong == 1),
        Pattern("stressful-tie", "stressful-tie", "gap", N_("A tie that can be stressful"), lambda f: f.stressful > 0),
        Pattern(
            "one-way-giving",
            "one-way-giving",
            "gap",
            N_("Gives support to someone with none coming back"),
            lambda f: f.one_way > 0,
        ),
        *(_support_missing(kind) for kind in values("support")),
        Pattern(
            "infrequent-contact",
            "infrequent-contact",
            "gap",
            N_("No daily or weekly contact yet"),
            lambda f: (f.ties > 0) & (f.frequent == 0),
        ),
    )
}


def patterns_of(m: EcoMap) -> list[str]:
    """The ids of the patterns that hold for ``m``, in the order of :data:`PATTERNS`."""
    row = SimpleNamespace(**facts(m))
    return [p.id for p in PATTERNS.values() if bool(p.test(row))]


@dataclass(frozen=True)
class Caseload:
    """Counts across maps: how many people, their ties by ring, and how many maps show each pattern."""

    people: int
    ties: int
    by_sector: dict[str, int]
    counts: dict[str, int]

    def share(self, pattern_id: str) -> float | None:
        """The share of people whose map shows the pattern (None with nobody)."""
        return round(self.counts[pattern_id] / self.people, 4) if self.people else None

    def sector_share(self, sector: str) -> float:
        """The share of all current ties that are in ``sector`` (0 with no ties)."""
        return self.by_sector[sector] / self.ties if self.ties else 0.0

    @property
    def mean_ties(self) -> float | None:
        return round(self.ties / self.people, 1) if self.people else None


def caseload_of(maps: list[EcoMap]) -> Caseload:
    """The caseload of ``maps`` counted in Python: what ``Store.caseload`` counts in SQL.

    >>> from ecomap.model import example
    >>> load = caseload_of([example(), example()])
    >>> load.people, load.counts["empty-sector:community"], load.share("strong-tie")
    (2, 2, 1.0)
    """
    rows = [facts(m) for m in maps]
    found = [set(patterns_of(m)) for m in maps]
    return Caseload(
        people=len(maps),
        ties=sum(row["ties"] for row in rows),
        by_sector={sector: sum(row[sector] for row in rows) for sector in SECTORS},
        counts={pid: sum(pid in f for f in found) for pid in PATTERNS},
    )
