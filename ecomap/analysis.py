"""Measures and findings: what is strong on the map, and what could be explored together.

Pure functions on the map; nothing is changed. Every measure counts **current** ties only
(hoped-for and past ties are not yet, or no longer, part of the network).

Measures
--------
``size``               current ties.
``size_by_sector``     current ties in each sector.
``informal_share``     share of current ties that are family or community (None with no ties).
``strong_count``       current ties marked strong.
``stressful_share``    share of current ties marked stressful (None with no ties).
``reciprocity``        share of ties with flow ``both`` among current ties with any flow (None if none flows).
``multiplexity``       share of current ties giving two or more kinds of support (None with no ties).
``support_coverage``   for each kind of support, how many current ties give it.
``density``            links among current ties over the possible pairs (None with fewer than two ties).
``isolates``           current ties with no link to another current tie.

Findings
--------
Each has a stable ``id`` (DESIGN.md), a ``kind`` (``asset`` or ``gap``), the tie it is about (or
None), its parameters, and a sentence in the chosen language. Assets come first. Gaps are worded as
areas to explore, never as deficits. Thresholds live in :data:`THRESHOLDS`.

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

from dataclasses import dataclass, field
from typing import Any

from ecomap.i18n import Translator, translator
from ecomap.model import EcoMap, Tie
from ecomap.vocab import N_, SECTORS, SUPPORTS, values

#: Every threshold the findings use, in one place.
THRESHOLDS: dict[str, Any] = {
    "few_ties": 3,  # fewer current ties than this: few-ties
    "service_heavy_share": 0.5,  # services at or above this share of current ties: service-heavy
    "frequent": ("daily", "weekly"),  # contact this often counts as frequent
    "community_strengths": ("strong", "moderate"),  # community ties at these strengths are assets
    "sectors_expected": ("family", "community"),  # an empty one of these is an area to explore
}


@dataclass(frozen=True)
class FindingType:
    """A kind of finding: its id, whether it is an asset or a gap, its sentence and its definition."""

    id: str
    kind: str
    sentence: str
    definition: str


FINDING_TYPES: dict[str, FindingType] = {
    f.id: f
    for f in (
        FindingType(
            "strong-tie", "asset", N_("{person} has a strong tie with {name}."), "A current tie marked strong."
        ),
        FindingType(
            "mutual-support",
            "asset",
            N_("{name} and {person} support each other{often}."),
            "A current tie whose support flows both ways.",
        ),
        FindingType(
            "community-connection",
            "asset",
            N_("{person} is connected to {name} in the community."),
            "A current community tie that is strong or moderate.",
        ),
        FindingType(
            "personal-strength", "asset", N_("A strength of {person}’s: {strength}."), "Each strength the person named."
        ),
        FindingType(
            "hoped-for-tie",
            "asset",
            N_("{person} would like {name} in their life: something to plan for together."),
            "A tie the person hopes to build.",
        ),
        FindingType(
            "empty-sector",
            "gap",
            N_("No {sector} connections are on the map yet: a place to explore together."),
            "Family or community has no current tie.",
        ),
        FindingType(
            "few-ties",
            "gap",
            N_("There are fewer than {n} people or places on the map so far: who else is part of {person}’s life?"),
            "Fewer than THRESHOLDS['few_ties'] current ties.",
        ),
        FindingType(
            "service-heavy",
            "gap",
            N_("Services are most of {person}’s connections right now: are there people or places nearby to explore?"),
            "Services are THRESHOLDS['service_heavy_share'] or more of current ties.",
        ),
        FindingType(
            "no-strong-tie",
            "gap",
            N_("No tie is marked strong yet: who does {person} feel closest to?"),
            "There are current ties, none of them strong.",
        ),
        FindingType(
            "single-strong-tie",
            "gap",
            N_("{name} is {person}’s one strong tie: who else could share some of that support?"),
            "Exactly one current tie is strong.",
        ),
        FindingType(
            "stressful-tie",
            "gap",
            N_("The tie with {name} can be stressful: worth talking about what would help."),
            "A current tie marked stressful.",
        ),
        FindingType(
            "one-way-giving",
            "gap",
            N_("{person} gives a lot to {name}: who is there for {person} in return?"),
            "A current tie whose support flows only from the person.",
        ),
        FindingType(
            "support-missing",
            "gap",
            N_("No one on the map gives {support} support yet: somewhere to explore together."),
            "No current tie gives one of the four kinds of support.",
        ),
        FindingType(
            "infrequent-contact",
            "gap",
            N_("{person} does not see anyone daily or weekly yet: who would {person} like to see more often?"),
            "No current tie has daily or weekly contact.",
        ),
    )
}

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
        return {"id": self.id, "kind": self.kind, "tie": self.tie, "params": self.params, "text": self.text}


def current_ties(m: EcoMap) -> list[Tie]:
    """The ties in the person's life now."""
    return [tie for tie in m.ties if tie.status == "current"]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def measures(m: EcoMap) -> dict[str, Any]:
    """The map's measures (see the module's documentation for each definition).

    >>> from ecomap.model import new_map
    >>> measures(new_map("Nobody yet"))["density"] is None
    True
    """
    from ecomap.graph import tie_graph  # networkx, only when measures are asked for

    ties = current_ties(m)
    size = len(ties)
    flowing = [tie for tie in ties if tie.flow != "none"]
    G = tie_graph(m)
    possible = size * (size - 1) // 2
    return {
        "size": size,
        "size_by_sector": {sector: sum(tie.sector == sector for tie in ties) for sector in SECTORS},
        "informal_share": _share(sum(tie.sector != "services" for tie in ties), size),
        "strong_count": sum(tie.strength == "strong" for tie in ties),
        "stressful_share": _share(sum(tie.stressful for tie in ties), size),
        "reciprocity": _share(sum(tie.flow == "both" for tie in flowing), len(flowing)),
        "multiplexity": _share(sum(len(tie.support) >= 2 for tie in ties), size),
        "support_coverage": {kind: sum(kind in tie.support for tie in ties) for kind in values("support")},
        "density": round(G.number_of_edges() / possible, 4) if possible else None,
        "isolates": sorted((tie.id for tie in ties if G.degree(tie.id) == 0), key=_tie_order(m)),
    }


def _tie_order(m: EcoMap) -> Any:
    order = {tie.id: i for i, tie in enumerate(m.ties)}
    return order.__getitem__


def _finding(t: Translator, m: EcoMap, finding_id: str, tie: Tie | None = None, **params: Any) -> Finding:
    kind = FINDING_TYPES[finding_id]
    words: dict[str, Any] = {"person": m.person.called, **params}
    if tie is not None:
        words["name"] = tie.name
        words["often"] = t(_OFTEN[tie.frequency]) if tie.frequency else ""
    if "sector" in params:
        words["sector"] = t(SECTORS[params["sector"]].label).lower()
    if "support" in params:
        words["support"] = t(SUPPORTS[params["support"]].label).lower()
    return Finding(finding_id, kind.kind, tie.id if tie else None, params, t(kind.sentence, **words))


def findings(m: EcoMap, *, t: Translator | None = None) -> list[Finding]:
    """Every finding on the map: assets first, then areas to explore, in the order of the ties."""
    t = t or translator()
    ties = current_ties(m)
    strong = [tie for tie in ties if tie.strength == "strong"]
    assets: list[Finding] = []
    for tie in ties:
        if tie.strength == "strong":
            assets.append(_finding(t, m, "strong-tie", tie))
        if tie.flow == "both" and tie.strength != "cut_off":
            assets.append(_finding(t, m, "mutual-support", tie))
        if tie.sector == "community" and tie.strength in THRESHOLDS["community_strengths"]:
            assets.append(_finding(t, m, "community-connection", tie))
    assets += [_finding(t, m, "personal-strength", strength=s) for s in m.person.strengths]
    assets += [_finding(t, m, "hoped-for-tie", tie) for tie in m.ties if tie.status == "hoped_for"]

    gaps: list[Finding] = []
    for sector in THRESHOLDS["sectors_expected"]:
        if not any(tie.sector == sector for tie in ties):
            gaps.append(_finding(t, m, "empty-sector", sector=sector))
    if len(ties) < THRESHOLDS["few_ties"]:
        gaps.append(_finding(t, m, "few-ties", n=THRESHOLDS["few_ties"]))
    if ties and sum(tie.sector == "services" for tie in ties) / len(ties) >= THRESHOLDS["service_heavy_share"]:
        gaps.append(_finding(t, m, "service-heavy"))
    if ties and not strong:
        gaps.append(_finding(t, m, "no-strong-tie"))
    if len(strong) == 1:
        gaps.append(_finding(t, m, "single-strong-tie", strong[0]))
    gaps += [_finding(t, m, "stressful-tie", tie) for tie in ties if tie.stressful]
    gaps += [_finding(t, m, "one-way-giving", tie) for tie in ties if tie.flow == "from_person"]
    if ties:
        gaps += [
            _finding(t, m, "support-missing", support=kind)
            for kind in values("support")
            if not any(kind in tie.support for tie in ties)
        ]
        if not any(tie.frequency in THRESHOLDS["frequent"] for tie in ties):
            gaps.append(_finding(t, m, "infrequent-contact"))
    return assets + gaps


def analyse(m: EcoMap, *, t: Translator | None = None) -> dict[str, Any]:
    """Measures and findings as JSON-ready data (what ``python -m ecomap analyse --json`` prints)."""
    return {"measures": measures(m), "findings": [f.to_dict() for f in findings(m, t=t)]}
