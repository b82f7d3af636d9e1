"""Measures and findings: what is strong on the map, and what could be explored together.

Pure functions on the map; nothing is changed. Every rule is written once, from the bottom up:

1. **Tie predicates** (:func:`is_strong`, :func:`is_mutual`, ...) say what one tie is.
2. **Counts** (:data:`COUNTS`, :func:`counts`) count the ties each predicate holds for. They hold
   no name and no word, so the store keeps them for every map and the caseload adds them up.
3. **Measures** (:func:`measures`) and **findings** (:data:`FINDING_TYPES`, :func:`findings`) are
   built from the counts and the predicates. Each finding type holds its rule (``holds``, a test on
   the counts that reads the same on SQL columns as in Python), the predicate of the ties it names
   (``about``), its sentence and its definition, in one row of one table; the caseload's patterns
   (:mod:`ecomap.caseload`) are those same rows.

Every count and measure is of **current** ties (hoped-for and past ties are not yet, or no longer,
part of the network), except ``hoped_for``.

Measures
--------
``size``               current ties.
``size_by_sector``     current ties in each sector.
``informal_share``     share of current ties that are family or community (None with no ties).
``strong_count``       current ties marked strong.
``stressful_share``    share of current ties marked stressful (None with no ties).
``reciprocity``        share of ties with flow ``both`` among current ties with any flow (None if none flows).
``multiplexity``       share of current ties with two or more kinds of support, either way (None with no ties).
``support_received``   for each kind of support, how many current ties the person gets it from.
``support_given``      for each kind of support, how many current ties the person gives it to.
``reciprocity_by_kind`` for each kind, the share of current ties where it goes both ways, among those
                       where it goes at all (None where it goes nowhere).
``density``            links among current ties over the possible pairs (None with fewer than two ties).
``isolates``           current ties with no link to another current tie.

Findings
--------
Each has a stable ``id`` (``docs/DESIGN.md``), a ``kind`` (``asset`` or ``gap``), the tie it is about
(or None), its parameters, and a sentence in the chosen language. Assets come first. Gaps are worded
as areas to explore, never as deficits. Thresholds live in :data:`THRESHOLDS`.

Examples
--------
>>> from ecomap.model import example
>>> m = example()
>>> measures(m)["size"], measures(m)["reciprocity"]
(1, 1.0)
>>> [(f.id, f.tie) for f in findings(m)][:2]
[('strong-tie', 't1'), ('mutual-support', 't1')]
>>> findings(m)[1].text
'Mam and Alys support each other every day.'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Literal

from ecomap.i18n import Translator, translator
from ecomap.model import EcoMap, Tie
from ecomap.vocab import N_, SECTORS, SUPPORTS, values

__all__ = [
    "COUNTS",
    "FINDING_TYPES",
    "THRESHOLDS",
    "Count",
    "Finding",
    "FindingType",
    "analyse",
    "counts",
    "current_ties",
    "findings",
    "flows",
    "flows_both_ways",
    "goes_both_ways",
    "in_sector",
    "is_community_connection",
    "is_current",
    "is_frequent",
    "is_hoped_for",
    "is_multiplex",
    "is_mutual",
    "is_one_way_giving",
    "is_stressful",
    "is_strong",
    "measures",
    "person_gets",
    "person_gives",
]

#: Every threshold the findings use, in one place.
THRESHOLDS: dict[str, Any] = {
    "few_ties": 3,  # fewer current ties than this: few-ties
    "service_heavy_share": 0.5,  # services at or above this share of current ties: service-heavy
    "frequent": ("daily", "weekly"),  # contact this often counts as frequent
    "community_strengths": ("strong", "moderate"),  # community ties at these strengths are assets
    "sectors_expected": ("family", "community"),  # an empty one of these is an area to explore
}

TiePredicate = Callable[[Tie], bool]


# -- what one tie is ------------------------------------------------------------------------------


def is_current(tie: Tie) -> bool:
    """The tie is part of the person's life now (not hoped for, not in the past).

    >>> from ecomap.model import example
    >>> is_current(example().tie("t1"))
    True
    """
    return tie.status == "current"


def is_hoped_for(tie: Tie) -> bool:
    """A tie the person hopes to build."""
    return tie.status == "hoped_for"


def is_strong(tie: Tie) -> bool:
    """The tie is marked strong.

    >>> from ecomap.model import example
    >>> is_strong(example().tie("t1"))
    True
    """
    return tie.strength == "strong"


def is_stressful(tie: Tie) -> bool:
    """The tie is marked stressful (whatever its strength)."""
    return tie.stressful


def is_mutual(tie: Tie) -> bool:
    """Support flows both ways, and the tie is not cut off.

    >>> from ecomap.model import example
    >>> tie = example().tie("t1")
    >>> is_mutual(tie), is_mutual(tie.model_copy(update={"strength": "cut_off"}))
    (True, False)
    """
    return tie.flow == "both" and tie.strength != "cut_off"


def is_one_way_giving(tie: Tie) -> bool:
    """Support flows only from the person to the tie."""
    return tie.flow == "from_person"


def is_frequent(tie: Tie) -> bool:
    """Contact is at least as often as :data:`THRESHOLDS` ``frequent`` says (daily or weekly)."""
    return tie.frequency in THRESHOLDS["frequent"]


def is_community_connection(tie: Tie) -> bool:
    """A community tie at one of the strengths :data:`THRESHOLDS` ``community_strengths`` names."""
    return tie.sector == "community" and tie.strength in THRESHOLDS["community_strengths"]


def flows(tie: Tie) -> bool:
    """Support flows at all, one way or both."""
    return tie.flow != "none"


def flows_both_ways(tie: Tie) -> bool:
    """Support flows both ways (whatever the tie's strength; compare :func:`is_mutual`)."""
    return tie.flow == "both"


def is_multiplex(tie: Tie) -> bool:
    """Two or more kinds of support go between the person and the tie (either way)."""
    return len(tie.support or {}) >= 2


def in_sector(sector: str) -> TiePredicate:
    """The predicate "the tie is in ``sector``'s ring".

    >>> from ecomap.model import example
    >>> in_sector("family")(example().tie("t1"))
    True
    """
    return lambda tie: tie.sector == sector


def person_gets(kind: str) -> TiePredicate:
    """The predicate "the person gets ``kind`` of support from the tie" (one way or both).

    >>> from ecomap.model import example
    >>> person_gets("emotional")(example().tie("t1")), person_gets("practical")(example().tie("t1"))
    (True, False)
    """
    return lambda tie: kind in tie.gets


def person_gives(kind: str) -> TiePredicate:
    """The predicate "the person gives ``kind`` of support to the tie" (one way or both)."""
    return lambda tie: kind in tie.gives


def goes_both_ways(kind: str) -> TiePredicate:
    """The predicate "``kind`` of support goes both ways between the person and the tie"."""
    return lambda tie: any(each == kind and way == "both" for each, way in (tie.support or {}).items())


# -- what a map counts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """One of a map's counts: how many of its current ties (or of ``all`` its ties) ``test`` holds for."""

    name: str
    test: TiePredicate
    over: Literal["current", "all"] = "current"


#: A map's counts, in the order of the store's columns. None holds a name or a word.
COUNTS: dict[str, Count] = {
    c.name: c
    for c in (
        Count("ties", is_current),
        *(Count(sector, in_sector(sector)) for sector in SECTORS),
        Count("strong", is_strong),
        Count("stressful", is_stressful),
        Count("mutual", is_mutual),
        Count("one_way", is_one_way_giving),
        Count("frequent", is_frequent),
        Count("community_connected", is_community_connection),
        Count("hoped_for", is_hoped_for, over="all"),
        *(Count(f"gets_{kind}", person_gets(kind)) for kind in values("support")),
        *(Count(f"gives_{kind}", person_gives(kind)) for kind in values("support")),
        *(Count(f"both_{kind}", goes_both_ways(kind)) for kind in values("support")),
        Count("flowing", flows),
        Count("both_ways", flows_both_ways),
        Count("multiplex", is_multiplex),
    )
}


def current_ties(m: EcoMap) -> list[Tie]:
    """The ties in the person's life now."""
    return [tie for tie in m.ties if is_current(tie)]


def _ties_counted(m: EcoMap, count: Count) -> Iterator[Tie]:
    return (tie for tie in m.ties if (count.over == "all" or is_current(tie)) and count.test(tie))


def counts(m: EcoMap) -> dict[str, int]:
    """The map's counts, one for each entry of :data:`COUNTS`, in its order.

    >>> from ecomap.model import example, new_map
    >>> counts(example())["family"], counts(example())["strong"]
    (1, 1)
    >>> set(counts(new_map("Nobody yet")).values())
    {0}
    """
    return {name: sum(1 for _ in _ties_counted(m, count)) for name, count in COUNTS.items()}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def measures(m: EcoMap) -> dict[str, Any]:
    """The map's measures (see the module's documentation for each definition).

    >>> from ecomap.model import new_map
    >>> measures(new_map("Nobody yet"))["density"] is None
    True
    """
    from ecomap.graph import tie_graph  # networkx, only when measures are asked for

    c = counts(m)
    size = c["ties"]
    G = tie_graph(m)
    possible = size * (size - 1) // 2
    return {
        "size": size,
        "size_by_sector": {sector: c[sector] for sector in SECTORS},
        "informal_share": _share(size - c["services"], size),
        "strong_count": c["strong"],
        "stressful_share": _share(c["stressful"], size),
        "reciprocity": _share(c["both_ways"], c["flowing"]),
        "multiplexity": _share(c["multiplex"], size),
        "support_received": {kind: c[f"gets_{kind}"] for kind in values("support")},
        "support_given": {kind: c[f"gives_{kind}"] for kind in values("support")},
        "reciprocity_by_kind": {
            kind: _share(c[f"both_{kind}"], c[f"gets_{kind}"] + c[f"gives_{kind}"] - c[f"both_{kind}"])
            for kind in values("support")
        },
        "density": round(G.number_of_edges() / possible, 4) if possible else None,
        "isolates": [tie.id for tie in current_ties(m) if G.degree(tie.id) == 0],
    }


# -- what a map shows: the findings ---------------------------------------------------------------


def _some(count: str) -> Callable[..., Any]:
    return lambda c: getattr(c, count) > 0


@dataclass(frozen=True)
class FindingType:
    """A kind of finding and its whole rule.

    ``holds`` tests a map's counts (an object with one attribute per count: one map's counts, or a
    table's columns) and combines comparisons with ``&``, so that it reads the same in SQL and in
    Python; it is called with each of ``variants`` as keywords. ``about`` names the count whose ties
    the finding is about: there is one finding for each of those ties. ``strengths`` findings are
    one for each strength the person named, and are not counted across maps. ``patterns`` is how
    the caseload names each variant (see :mod:`ecomap.caseload`).
    """

    id: str
    kind: Literal["asset", "gap"]
    sentence: str
    definition: str
    holds: Callable[..., Any] | None = None
    about: str | None = None
    variants: tuple[Mapping[str, Any], ...] = ({},)
    patterns: tuple[str, ...] = ()
    strengths: bool = False

    def ties(self, m: EcoMap) -> list[Tie]:
        """The ties of ``m`` this kind of finding would be about (none for a finding about the map)."""
        return list(_ties_counted(m, COUNTS[self.about])) if self.about else []


#: Every kind of finding, in the order findings are listed: assets, then areas to explore.
FINDING_TYPES: dict[str, FindingType] = {
    f.id: f
    for f in (
        FindingType(
            "strong-tie",
            "asset",
            N_("{person} has a strong tie with {name}."),
            "A current tie marked strong.",
            _some("strong"),
            "strong",
            patterns=(N_("At least one strong tie"),),
        ),
        FindingType(
            "mutual-support",
            "asset",
            N_("{name} and {person} support each other{often}."),
            "A current tie whose support flows both ways, and that is not cut off.",
            _some("mutual"),
            "mutual",
            patterns=(N_("Support that flows both ways"),),
        ),
        FindingType(
            "community-connection",
            "asset",
            N_("{person} is connected to {name} in the community."),
            "A current community tie that is strong or moderate.",
            _some("community_connected"),
            "community_connected",
            patterns=(N_("Connected in the community"),),
        ),
        FindingType(
            "personal-strength",
            "asset",
            N_("A strength of {person}’s: {strength}."),
            "Each strength the person named.",
            strengths=True,
        ),
        FindingType(
            "hoped-for-tie",
            "asset",
            N_("{person} would like {name} in their life: something to plan for together."),
            "A tie the person hopes to build.",
            _some("hoped_for"),
            "hoped_for",
            patterns=(N_("A hoped-for tie to plan for"),),
        ),
        FindingType(
            "empty-sector",
            "gap",
            N_("No {sector} connections are on the map yet: a place to explore together."),
            "Family or community has no current tie.",
            lambda c, sector: getattr(c, sector) == 0,
            variants=tuple({"sector": sector} for sector in THRESHOLDS["sectors_expected"]),
            patterns=(N_("No family connections on the map yet"), N_("No community connections on the map yet")),
        ),
        FindingType(
            "few-ties",
            "gap",
            N_("There are fewer than {n} people or places on the map so far: who else is part of {person}’s life?"),
            "Fewer than THRESHOLDS['few_ties'] current ties.",
            lambda c, n: c.ties < n,
            variants=({"n": THRESHOLDS["few_ties"]},),
            patterns=(N_("Fewer than three people or places on the map"),),
        ),
        FindingType(
            "service-heavy",
            "gap",
            N_("Services are most of {person}’s connections right now: are there people or places nearby to explore?"),
            "Services are THRESHOLDS['service_heavy_share'] or more of current ties.",
            lambda c: (c.ties > 0) & (c.services >= c.ties * THRESHOLDS["service_heavy_share"]),
            patterns=(N_("Services are half or more of their connections"),),
        ),
        FindingType(
            "no-strong-tie",
            "gap",
            N_("No tie is marked strong yet: who does {person} feel closest to?"),
            "There are current ties, none of them strong.",
            lambda c: (c.ties > 0) & (c.strong == 0),
            patterns=(N_("No tie marked strong yet"),),
        ),
        FindingType(
            "single-strong-tie",
            "gap",
            N_("{name} is {person}’s one strong tie: who else could share some of that support?"),
            "Exactly one current tie is strong.",
            lambda c: c.strong == 1,
            "strong",
            patterns=(N_("One strong tie only"),),
        ),
        FindingType(
            "stressful-tie",
            "gap",
            N_("The tie with {name} can be stressful: worth talking about what would help."),
            "A current tie marked stressful.",
            _some("stressful"),
            "stressful",
            patterns=(N_("A tie that can be stressful"),),
        ),
        FindingType(
            "one-way-giving",
            "gap",
            N_("{person} gives a lot to {name}: who is there for {person} in return?"),
            "A current tie whose support flows only from the person.",
            _some("one_way"),
            "one_way",
            patterns=(N_("Gives support to someone with none coming back"),),
        ),
        FindingType(
            "support-missing",
            "gap",
            N_("No one on the map gives {support} support yet: somewhere to explore together."),
            "There are current ties, and the person gets one of the four kinds of support from none of them "
            "(support the person gives does not count).",
            lambda c, support: (c.ties > 0) & (getattr(c, f"gets_{support}") == 0),
            variants=tuple({"support": kind} for kind in values("support")),
            patterns=(
                N_("No one gives emotional support yet"),
                N_("No one gives practical support yet"),
                N_("No one gives information or advice yet"),
                N_("No one gives social support yet"),
            ),
        ),
        FindingType(
            "infrequent-contact",
            "gap",
            N_("{person} does not see anyone daily or weekly yet: who would {person} like to see more often?"),
            "There are current ties, and none has daily or weekly contact.",
            lambda c: (c.ties > 0) & (c.frequent == 0),
            patterns=(N_("No daily or weekly contact yet"),),
        ),
    )
}

#: Findings about single current ties that are assets are listed tie by tie (all of one tie's together).
_TIE_BY_TIE = ("strong-tie", "mutual-support", "community-connection")

_OFTEN = {"daily": N_(" every day"), "weekly": N_(" every week"), "monthly": N_(" every month"), "rarely": ""}


@dataclass(frozen=True)
class Finding:
    """One asset or area to explore on a map."""

    id: str
    kind: str
    tie: str | None
    params: dict[str, Any] = field(default_factory=dict)
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (a finding as ``python -m ecomap analyse --json`` prints it)."""
        return {"id": self.id, "kind": self.kind, "tie": self.tie, "params": self.params, "text": self.text}


def _finding(t: Translator, m: EcoMap, kind: FindingType, tie: Tie | None = None, **params: Any) -> Finding:
    words: dict[str, Any] = {"person": m.person.called, **params}
    if tie is not None:
        words["name"] = tie.name
        often = _OFTEN[tie.frequency] if tie.frequency else ""
        words["often"] = t(often) if often else ""  # gettext("") is the catalog's header, not ""
    if "sector" in params:
        words["sector"] = t(SECTORS[params["sector"]].label).lower()
    if "support" in params:
        words["support"] = t(SUPPORTS[params["support"]].label).lower()
    return Finding(kind.id, kind.kind, tie.id if tie else None, params, t(kind.sentence, **words))


def _findings_of(t: Translator, m: EcoMap, kind: FindingType, counted: SimpleNamespace) -> list[Finding]:
    if kind.strengths:
        return [_finding(t, m, kind, strength=s) for s in m.person.strengths]
    assert kind.holds is not None
    found: list[Finding] = []
    for params in kind.variants:
        if not kind.holds(counted, **params):
            continue
        if kind.about:
            found += [_finding(t, m, kind, tie, **params) for tie in kind.ties(m)]
        else:
            found.append(_finding(t, m, kind, **params))
    return found


def findings(m: EcoMap, *, t: Translator | None = None) -> list[Finding]:
    """Every finding on the map: assets first, then areas to explore, each in the order of the ties.

    >>> from ecomap.model import example
    >>> [f.id for f in findings(example()) if f.kind == "gap"]
    ['empty-sector', 'few-ties', 'single-strong-tie', 'support-missing', 'support-missing', 'support-missing']
    """
    t = t or translator()
    counted = SimpleNamespace(**counts(m))
    by_type = {kind.id: _findings_of(t, m, kind, counted) for kind in FINDING_TYPES.values()}
    order = {tie.id: i for i, tie in enumerate(m.ties)}
    tie_by_tie = sorted(
        (f for kind in _TIE_BY_TIE for f in by_type[kind]),
        key=lambda f: order[f.tie or ""],  # sorted() is stable: one tie's findings keep the table's order
    )
    return tie_by_tie + [f for kind, found in by_type.items() if kind not in _TIE_BY_TIE for f in found]


def analyse(m: EcoMap, *, t: Translator | None = None) -> dict[str, Any]:
    """Measures and findings as JSON-ready data (what ``python -m ecomap analyse --json`` prints)."""
    return {"measures": measures(m), "findings": [f.to_dict() for f in findings(m, t=t)]}
