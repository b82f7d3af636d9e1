"""The caseload: patterns across many people's maps, counted without opening anyone's record.

Each map's current version comes down to one row of counts (:func:`ecomap.analysis.counts`): how
many current ties there are in each ring, how many are strong, stressful, mutual, and so on. No
name, word or note is in it. The store keeps one such row per map, rewritten with every save, and
counts every pattern in :data:`PATTERNS` across all the rows in one SQL statement
(``Store.caseload``), so a team lead sees, say, how many people have no community connection on
their map yet, and whose maps they are never has to be asked.

Every count the caseload shows that is under :data:`FEWEST_SHOWN` is shown as "fewer than 5"
(:func:`suppressed`, :func:`count_text`): in a small group a count of one or two can point at
someone.

A pattern is the caseload's view of a finding: it holds for a map exactly when that map has the
finding, because its test *is* the finding's rule (:data:`ecomap.analysis.FINDING_TYPES`), which
reads the same on SQL columns as on one map's counts in Python (:func:`patterns_of`).

Examples
--------
>>> from ecomap.model import example
>>> patterns_of(example())[:3]
['strong-tie', 'mutual-support', 'empty-sector:community']
>>> PATTERNS["support-missing:social"].params
{'support': 'social'}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from ecomap.analysis import COUNTS, FINDING_TYPES, FindingType, counts
from ecomap.i18n import Translator
from ecomap.model import EcoMap
from ecomap.vocab import SECTORS

__all__ = [
    "FACTS",
    "FEWEST_SHOWN",
    "PATTERNS",
    "Caseload",
    "Pattern",
    "caseload_of",
    "count_text",
    "median_of",
    "patterns_of",
    "suppressed",
]

#: The counts kept for each map, in the order of the store's columns: :data:`ecomap.analysis.COUNTS`.
FACTS: tuple[str, ...] = tuple(COUNTS)
#: The smallest count the caseload shows as a number; a smaller one (0 included) is "fewer than 5".
FEWEST_SHOWN = 5


def suppressed(n: int) -> bool:
    """True when the count ``n`` is too small to show as a number (under :data:`FEWEST_SHOWN`): the one
    home of that rule, for every count the caseload shows, its table, its figures and its chart.

    >>> suppressed(4), suppressed(0), suppressed(5)
    (True, True, False)
    """
    return n < FEWEST_SHOWN


def count_text(n: int, t: Translator) -> str:
    """A count as the caseload shows it: the number, or "fewer than 5" when it is :func:`suppressed`.

    >>> from ecomap.i18n import translator
    >>> count_text(12, translator("en")), count_text(3, translator("en")), count_text(0, translator("cy"))
    ('12', 'fewer than 5', 'llai na 5')
    """
    return t("fewer than {n}", n=FEWEST_SHOWN) if suppressed(n) else str(n)


@dataclass(frozen=True)
class Pattern:
    """What the caseload counts: maps with ``finding`` (and its ``params``), tested on a map's counts.

    ``test`` is the finding's own rule (:attr:`ecomap.analysis.FindingType.holds`): it takes
    something with one attribute per count (a table's columns, or one map's counts) and reads the
    same in SQL and in Python.
    """

    id: str
    finding: str
    kind: str
    label: str
    test: Callable[[Any], Any]
    params: Mapping[str, Any] | None = None


def _patterns(kind: FindingType) -> list[Pattern]:
    assert kind.holds is not None
    holds = kind.holds
    several = len(kind.variants) > 1
    return [
        Pattern(
            f"{kind.id}:{next(iter(params.values()))}" if several else kind.id,
            kind.id,
            kind.kind,
            label,
            lambda f, params=params: holds(f, **params),  # type: ignore[misc]
            dict(params) if several else None,
        )
        for params, label in zip(kind.variants, kind.patterns, strict=True)
    ]


#: Every pattern the caseload counts, assets first, keyed by id: one for each variant of each
#: finding that is counted across maps.
PATTERNS: dict[str, Pattern] = {
    p.id: p for kind in FINDING_TYPES.values() if not kind.strengths for p in _patterns(kind)
}


def patterns_of(m: EcoMap) -> list[str]:
    """The ids of the patterns that hold for ``m``, in the order of :data:`PATTERNS`."""
    row = SimpleNamespace(**counts(m))
    return [p.id for p in PATTERNS.values() if bool(p.test(row))]


@dataclass(frozen=True)
class Caseload:
    """Counts across maps: how many people, their ties by ring, how many maps show each pattern, how
    many maps have each number of ties, and how many changed since their last named version (a
    version's name marks a review: "three-month review")."""

    people: int
    ties: int
    by_sector: dict[str, int]
    counts: dict[str, int]
    #: How many maps have each number of current ties (only the numbers some map has).
    sizes: dict[int, int] = field(default_factory=dict)
    #: Maps none of whose versions has a name yet.
    never_named: int = 0
    #: Maps saved (or restored) since their newest named version.
    changed_since_named: int = 0

    @property
    def median_ties(self) -> float | None:
        """The median number of current ties on a map (None with nobody), from :attr:`sizes`."""
        return median_of(self.sizes)

    def share(self, pattern_id: str) -> float | None:
        """The share of people whose map shows the pattern (None with nobody)."""
        return round(self.counts[pattern_id] / self.people, 4) if self.people else None

    def shown_share(self, pattern_id: str) -> float | None:
        """:meth:`share` as the caseload may show it: None also when the pattern's count is
        :func:`suppressed`, since the share and the number of people would give the count away."""
        return None if suppressed(self.counts[pattern_id]) else self.share(pattern_id)

    def sector_share(self, sector: str) -> float:
        """The share of all current ties that are in ``sector`` (0 with no ties)."""
        return self.by_sector[sector] / self.ties if self.ties else 0.0

    @property
    def mean_ties(self) -> float | None:
        """Current ties on a map, on average, to one decimal place (None with nobody)."""
        return round(self.ties / self.people, 1) if self.people else None


def median_of(sizes: Mapping[int, int]) -> float | None:
    """The median of numbers given as how many times each occurs (None when there are none).

    >>> median_of({3: 2, 10: 1}), median_of({2: 1, 4: 1}), median_of({})
    (3.0, 3.0, None)
    """
    total = sum(sizes.values())
    if not total:
        return None

    def at(rank: int) -> int:
        """The ``rank``-th smallest number, counting from 0."""
        seen = 0
        for size in sorted(sizes):
            seen += sizes[size]
            if rank < seen:
                return size
        raise AssertionError("a rank within the total is always reached")

    return (at((total - 1) // 2) + at(total // 2)) / 2


def caseload_of(maps: list[EcoMap], *, named: int = 0, changed_since_named: int = 0) -> Caseload:
    """The caseload of ``maps`` counted in Python: what ``Store.caseload`` counts in SQL. A map knows
    nothing of its versions' names: ``named`` says how many have one, ``changed_since_named`` how many
    of those changed since.

    >>> from ecomap.model import example
    >>> load = caseload_of([example(), example()])
    >>> load.people, load.counts["empty-sector:community"], load.share("strong-tie"), load.median_ties
    (2, 2, 1.0, 1.0)
    """
    rows = [counts(m) for m in maps]
    found = [set(patterns_of(m)) for m in maps]
    sizes: dict[int, int] = {}
    for row in rows:
        sizes[row["ties"]] = sizes.get(row["ties"], 0) + 1
    return Caseload(
        people=len(maps),
        ties=sum(row["ties"] for row in rows),
        by_sector={sector: sum(row[sector] for row in rows) for sector in SECTORS},
        counts={pid: sum(pid in f for f in found) for pid in PATTERNS},
        sizes=sizes,
        never_named=len(maps) - named,
        changed_since_named=changed_since_named,
    )
