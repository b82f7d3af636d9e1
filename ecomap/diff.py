"""What changed between two versions of a map, and the change said in plain words.

:func:`diff` compares ties by id (and, for ties whose id is new, by name, so two maps drawn
apart can be compared too). Each change has a stable ``kind``:

``added``              a tie on the new map only.
``removed``            a tie on the old map only.
``status``             in the person's life now, hoped for, or in the past (``before``, ``after``).
``stronger``           the line is stronger (cut off < tenuous < moderate < strong).
``weaker``             the line is weaker.
``now_stressful``      the tie has become stressful.
``no_longer_stressful``  the tie is no longer stressful.
``sector``             the tie moved to another ring (``before``, ``after``).
``support_gained``     kinds of support that go one way now and did not before (``kinds``, and ``way``:
                       ``gets`` for support the person gets from the tie, ``gives`` for support they give).
``support_lost``       kinds of support that no longer go that way (``kinds``, ``way``).
``more_often``         contact is more frequent (``before``, ``after``).
``less_often``         contact is less frequent, or no longer recorded.
``renamed``            the same tie under a new name.

Links added and lost, every measure before and after, and the findings that appeared or
were resolved complete the picture. :func:`summary` says it all in the strengths-based
voice of the analysis, good news first.

Examples
--------
>>> from ecomap.model import example
>>> old = example()
>>> new = old.with_tie(old.ties[0].model_copy(update={"strength": "moderate", "stressful": True}))
>>> [(c.kind, c.tie) for c in diff(old, new).changes]
[('weaker', 't1'), ('now_stressful', 't1')]
>>> summary(diff(old, new), old, new)[0]
'The tie with Mam is not as strong as it was (strong before, moderate now): worth talking about.'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecomap.analysis import Finding, findings, measures
from ecomap.i18n import Translator, translator
from ecomap.model import EcoMap, Tie
from ecomap.vocab import FREQUENCIES, SECTORS, STATUSES, STRENGTHS, SUPPORTS

__all__ = ["KIND_ORDER", "Change", "LinkChange", "MapDiff", "diff", "summary"]

STRENGTH_ORDER = ("cut_off", "tenuous", "moderate", "strong")
FREQUENCY_ORDER = (None, "rarely", "monthly", "weekly", "daily")
#: The order changes are told in: what grew first, then what to talk about, then the rest.
KIND_ORDER = (
    "added",
    "stronger",
    "no_longer_stressful",
    "support_gained",
    "more_often",
    "status",
    "sector",
    "renamed",
    "weaker",
    "now_stressful",
    "support_lost",
    "less_often",
    "removed",
)


@dataclass(frozen=True)
class Change:
    """One change to one tie: its ``kind`` (see the module), the tie's id and name, and details."""

    kind: str
    tie: str
    name: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (a change as ``python -m ecomap diff --json`` prints it)."""
        return {"kind": self.kind, "tie": self.tie, "name": self.name, "params": self.params}


@dataclass(frozen=True)
class LinkChange:
    """A link added or lost: the two ties' ids, and their names on the map that has the link."""

    between: tuple[str, str]
    names: tuple[str, str]


@dataclass(frozen=True)
class MapDiff:
    """Everything that changed from an old version of a map to a new one."""

    changes: tuple[Change, ...]
    links_added: tuple[LinkChange, ...]
    links_lost: tuple[LinkChange, ...]
    measures: dict[str, tuple[Any, Any]]
    findings_appeared: tuple[Finding, ...]
    findings_resolved: tuple[Finding, ...]
    #: New tie id -> old tie id, for ties matched by name under a different id.
    matched_by_name: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when no tie or link changed (measures and findings then cannot have changed)."""
        return not (self.changes or self.links_added or self.links_lost)

    def of(self, kind: str) -> list[Change]:
        """The changes of one ``kind`` (see the module)."""
        return [change for change in self.changes if change.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (what ``python -m ecomap diff --json`` prints)."""
        return {
            "changes": [change.to_dict() for change in self.changes],
            "links_added": [list(link.between) for link in self.links_added],
            "links_lost": [list(link.between) for link in self.links_lost],
            "measures": {name: {"before": a, "after": b} for name, (a, b) in self.measures.items()},
            "findings_appeared": [f.to_dict() for f in self.findings_appeared],
            "findings_resolved": [f.to_dict() for f in self.findings_resolved],
        }


def _pair_ties(old: EcoMap, new: EcoMap) -> tuple[list[tuple[Tie, Tie]], list[Tie], list[Tie], dict[str, str]]:
    old_by_id = {tie.id: tie for tie in old.ties}
    new_by_id = {tie.id: tie for tie in new.ties}
    pairs = [(old_by_id[tie.id], tie) for tie in new.ties if tie.id in old_by_id]
    old_left = {tie.id: tie for tie in old.ties if tie.id not in new_by_id}
    added: list[Tie] = []
    by_name: dict[str, str] = {}
    old_names: dict[str, list[Tie]] = {}
    for tie in old_left.values():
        old_names.setdefault(tie.name.casefold().strip(), []).append(tie)
    for tie in new.ties:
        if tie.id in old_by_id:
            continue
        same = old_names.get(tie.name.casefold().strip())
        if same:
            previous = same.pop(0)
            del old_left[previous.id]
            pairs.append((previous, tie))
            by_name[tie.id] = previous.id
        else:
            added.append(tie)
    return pairs, added, list(old_left.values()), by_name


def _tie_changes(before: Tie, after: Tie) -> list[Change]:
    changes: list[Change] = []

    def change(kind: str, **params: Any) -> None:
        changes.append(Change(kind, after.id, after.name, params))

    if before.name != after.name:
        change("renamed", before=before.name, after=after.name)
    if before.status != after.status:
        change("status", before=before.status, after=after.status)
    rank = STRENGTH_ORDER.index
    if rank(after.strength) > rank(before.strength):
        change("stronger", before=before.strength, after=after.strength)
    elif rank(after.strength) < rank(before.strength):
        change("weaker", before=before.strength, after=after.strength)
    if after.stressful and not before.stressful:
        change("now_stressful")
    elif before.stressful and not after.stressful:
        change("no_longer_stressful")
    if before.sector != after.sector:
        change("sector", before=before.sector, after=after.sector)
    for way in ("gets", "gives"):
        was, now = getattr(before, way), getattr(after, way)
        gained = [kind for kind in now if kind not in was]
        if gained:
            change("support_gained", kinds=gained, way=way)
    for way in ("gets", "gives"):
        was, now = getattr(before, way), getattr(after, way)
        lost = [kind for kind in was if kind not in now]
        if lost:
            change("support_lost", kinds=lost, way=way)
    often = FREQUENCY_ORDER.index
    if often(after.frequency) > often(before.frequency):
        change("more_often", before=before.frequency, after=after.frequency)
    elif often(after.frequency) < often(before.frequency):
        change("less_often", before=before.frequency, after=after.frequency)
    return changes


def _finding_key(finding: Finding, tie_ids: dict[str, str]) -> tuple[Any, ...]:
    tie = tie_ids.get(finding.tie, finding.tie) if finding.tie else None
    return finding.id, tie, tuple(sorted((k, str(v)) for k, v in finding.params.items()))


def diff(old: EcoMap, new: EcoMap, *, t: Translator | None = None) -> MapDiff:
    """What changed from ``old`` to ``new``; neither map is changed."""
    t = t or translator()
    pairs, added, removed, by_name = _pair_ties(old, new)
    changes = [Change("added", tie.id, tie.name, {"status": tie.status, "sector": tie.sector}) for tie in added]
    for before, after in pairs:
        changes += _tie_changes(before, after)
    changes += [Change("removed", tie.id, tie.name, {"sector": tie.sector}) for tie in removed]
    order = {tie.id: index for index, tie in enumerate(new.ties)}
    order.update({tie.id: len(new.ties) + index for index, tie in enumerate(removed)})
    changes.sort(key=lambda c: (KIND_ORDER.index(c.kind), order.get(c.tie, 0)))

    old_to_new = {old_id: new_id for new_id, old_id in by_name.items()}
    old_names = {tie.id: tie.name for tie in old.ties}
    new_names = {tie.id: tie.name for tie in new.ties}
    old_links = {frozenset(old_to_new.get(i, i) for i in link.between): link for link in old.links}
    new_links = {link.key: link for link in new.links}
    links_added = tuple(
        LinkChange(link.between, (new_names[link.between[0]], new_names[link.between[1]]))
        for key, link in new_links.items()
        if key not in old_links
    )
    links_lost = tuple(
        LinkChange(link.between, (old_names[link.between[0]], old_names[link.between[1]]))
        for key, link in old_links.items()
        if key not in new_links
    )
    was, now = measures(old), measures(new)
    changed_measures = {name: (was[name], now[name]) for name in now if was[name] != now[name]}
    old_found, new_found = findings(old, t=t), findings(new, t=t)
    new_keys = {_finding_key(f, {}) for f in new_found}
    old_keys = {_finding_key(f, old_to_new) for f in old_found}
    return MapDiff(
        changes=tuple(changes),
        links_added=links_added,
        links_lost=links_lost,
        measures=changed_measures,
        findings_appeared=tuple(f for f in new_found if _finding_key(f, {}) not in old_keys),
        findings_resolved=tuple(f for f in old_found if _finding_key(f, old_to_new) not in new_keys),
        matched_by_name=by_name,
    )


def _label(table: dict[str, Any], value: str | None, t: Translator) -> str:
    return t(table[value].label).lower() if value else t("not recorded")


def _sentence(change: Change, person: str, t: Translator) -> str:
    p = change.params
    name = change.name
    if change.kind == "added":
        if p["status"] == "hoped_for":
            return t("{name} is on the map now, as someone {person} hopes for.", name=name, person=person)
        if p["status"] == "past":
            return t("{name} is on the map now, as part of {person}’s past.", name=name, person=person)
        return t("{name} is new on the map.", name=name)
    if change.kind == "removed":
        return t("{name} is no longer on the map.", name=name)
    if change.kind == "status":
        if p["before"] == "hoped_for" and p["after"] == "current":
            return t("{name}, once hoped for, is part of {person}’s life now.", name=name, person=person)
        if p["after"] == "past":
            return t("{name} is part of {person}’s past now.", name=name, person=person)
        return t(
            "{name} was “{before}” and is “{after}” now.",
            name=name,
            before=_label(STATUSES, p["before"], t),
            after=_label(STATUSES, p["after"], t),
        )
    if change.kind in ("stronger", "weaker"):
        words = {"before": _label(STRENGTHS, p["before"], t), "after": _label(STRENGTHS, p["after"], t)}
        if change.kind == "stronger":
            return t("The tie with {name} is stronger ({before} before, {after} now).", name=name, **words)
        return t(
            "The tie with {name} is not as strong as it was ({before} before, {after} now): worth talking about.",
            name=name,
            **words,
        )
    if change.kind == "no_longer_stressful":
        return t("The tie with {name} is no longer stressful.", name=name)
    if change.kind == "now_stressful":
        return t("The tie with {name} has become stressful: worth talking about what would help.", name=name)
    if change.kind == "sector":
        return t(
            "{name} has moved from {before} to {after}.",
            name=name,
            before=_label(SECTORS, p["before"], t),
            after=_label(SECTORS, p["after"], t),
        )
    if change.kind in ("support_gained", "support_lost"):
        said = {"person": person, "name": name, "kinds": tuple(_label(SUPPORTS, kind, t) for kind in p["kinds"])}
        if change.kind == "support_gained":
            if p["way"] == "gets":
                return t("{person} gets {kinds} support from {name} now.", **said)
            return t("{person} gives {kinds} support to {name} now.", **said)
        if p["way"] == "gets":
            return t("{person} no longer gets {kinds} support from {name}.", **said)
        return t("{person} no longer gives {kinds} support to {name}.", **said)
    if change.kind in ("more_often", "less_often"):
        words = {"before": _label(FREQUENCIES, p["before"], t), "after": _label(FREQUENCIES, p["after"], t)}
        if change.kind == "more_often":
            return t("{person} is in touch with {name} more often ({after}; before: {before}).",
                     person=person, name=name, **words)  # fmt: skip
        return t("{person} is in touch with {name} less often ({after}; before: {before}).",
                 person=person, name=name, **words)  # fmt: skip
    return t("{before} is called {after} now.", before=p["before"], after=p["after"])


def summary(changes: MapDiff, old: EcoMap, new: EcoMap, *, t: Translator | None = None) -> list[str]:
    """The changes as sentences, good news first; links and the size of the network after."""
    t = t or translator()
    person = new.person.called
    sentences = [_sentence(change, person, t) for change in changes.changes]
    sentences += [
        t("{a} and {b} know each other now.", a=a, b=b) for a, b in (link.names for link in changes.links_added)
    ]
    sentences += [
        t("{a} and {b} are no longer linked.", a=a, b=b) for a, b in (link.names for link in changes.links_lost)
    ]
    if "size" in changes.measures:
        before, after = changes.measures["size"]
        sentences.append(t("Ties in {person}’s life now: {before} before, {after} now.", person=person,
                           before=before, after=after))  # fmt: skip
    if "strong_count" in changes.measures:
        before, after = changes.measures["strong_count"]
        sentences.append(t("Strong ties: {before} before, {after} now.", before=before, after=after))
    if not sentences:
        sentences.append(t("Nothing on the map has changed between these versions."))
    return sentences
