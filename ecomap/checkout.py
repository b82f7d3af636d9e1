"""Check-out and check-in: records taken from the team server to a laptop for a home visit, and back.

Both ends are :class:`~ecomap.store.Store` objects: the team's (PostgreSQL, in team mode) and the
laptop's own SQLite store, the *visit store*. :func:`check_out` marks each record on the server as
checked out by the user until a date and copies it, every version with its times and names, into
the visit store. :func:`check_in` brings each copy back:

- when the server's map has not changed since check-out, the visit's versions follow the server's
  as they were made (their numbers, times and order kept): the record *lands*;
- when it has, the practitioner chooses, tie by tie, what to keep (:func:`differences`,
  :func:`merge`). Nothing is written until every differing tie has a choice. Then the visit's
  versions follow the server's newest, in their order, each named "made on the visit", and the
  map as chosen is saved after them as the newest version. Every version on both sides is kept and
  the history stays one line: the server's, the visit's, the choice.

A check-in that lands removes the laptop's copy (every row of the person in the visit store) and
ends the check-out on the server; both are audited, and the visit's audit entries about the person
are added to the server's.

The merge, tie by tie. A tie *differs* when the server's newest map and the visit's newest have it
differently: on one only (``added``: the visit has it and the server not; ``removed``: the other
way), or on both but not the same (``changed``). Each differing tie takes the side chosen for it
(a side without the tie drops it); every tie both have alike is kept. The rest of the map (the
person, the record, the plan, the title) is one more choice, :data:`DETAILS`, when it differs.
Links between ties follow both sides: one either side added is kept, one either side took away
goes, so long as both its ties are on the map; a plan item whose tie is no longer on the map keeps
its words without the tie.

>>> from ecomap.model import example
>>> base = example()
>>> server = base.with_tie_fields("t1", strength="tenuous")
>>> visit = base.with_tie({"id": "t2", "name": "Nain", "sector": "family"})
>>> [(d.key, d.how, d.by) for d in differences(base, server, visit)]
[('t1', 'changed', 'server'), ('t2', 'added', 'visit')]
>>> kept = merge(base, server, visit, {"t1": "server", "t2": "visit"})
>>> [(tie.name, tie.strength) for tie in kept.ties]
[('Mam', 'tenuous'), ('Nain', 'moderate')]
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from ecomap.diff import diff, summary
from ecomap.i18n import Translator, translator
from ecomap.model import EcoMap, Link, Tie
from ecomap.store import Carried, Store, User

__all__ = [
    "DETAILS",
    "SIDES",
    "VISIT_LABEL",
    "ChoicesNeeded",
    "Difference",
    "Outcome",
    "Side",
    "check_in",
    "check_out",
    "differences",
    "merge",
    "said",
]

#: The two sides a choice keeps: the team server's newest map, or the visit's.
Side = Literal["server", "visit"]
#: The sides, as a choice names them.
SIDES: tuple[Side, ...] = ("server", "visit")
#: The key of the choice for the rest of the map (the person, the record, the plan, the title): never a
#: tie's id, which cannot begin with ``@``.
DETAILS = "@details"
#: The name each version made on the visit is given when the server's map changed meanwhile.
VISIT_LABEL = "made on the visit"


@dataclass(frozen=True)
class Difference:
    """A tie (or :data:`DETAILS`) the server's newest map and the visit's have differently.

    ``how`` compares the visit's with the server's: ``added`` (on the visit's only), ``removed`` (on
    the server's only) or ``changed``. ``by`` says which side changed it since check-out:
    ``visit``, ``server`` or ``both``.
    """

    key: str
    #: The tie's name (the visit's, where it has the tie); empty for :data:`DETAILS`.
    name: str
    how: Literal["added", "removed", "changed"]
    by: Literal["visit", "server", "both"]


class ChoicesNeeded(ValueError):
    """A merge asked for without a choice for every differing tie; ``missing`` names them."""

    def __init__(self, missing: list[Difference]) -> None:
        super().__init__("say what to keep of " + ", ".join(d.key for d in missing))
        self.missing = missing


def _rest(m: EcoMap) -> dict[str, object]:
    return m.model_dump(mode="json", exclude={"ties", "links"})


def differences(base: EcoMap, server: EcoMap, visit: EcoMap) -> list[Difference]:
    """What the server's newest map and the visit's have differently, tie by tie (server's order, then the
    visit's new ties), with :data:`DETAILS` last; ``base`` is the map as it was checked out."""
    was = {tie.id: tie for tie in base.ties}
    on_server = {tie.id: tie for tie in server.ties}
    on_visit = {tie.id: tie for tie in visit.ties}
    found: list[Difference] = []
    for key in dict.fromkeys([*on_server, *on_visit]):
        s, v, b = on_server.get(key), on_visit.get(key), was.get(key)
        if s == v:
            continue
        how: Literal["added", "removed", "changed"] = "changed" if s and v else ("added" if v else "removed")
        named = v or s
        assert named is not None  # the two differ: one of them has the tie
        found.append(Difference(key, named.name, how, _by(b, s, v)))
    if _rest(server) != _rest(visit):
        found.append(Difference(DETAILS, "", "changed", _by(_rest(base), _rest(server), _rest(visit))))
    return found


def _by(
    base: Tie | dict[str, object] | None, server: Tie | dict[str, object] | None, visit: object
) -> Literal["visit", "server", "both"]:
    if server == base:
        return "visit"
    if visit == base:
        return "server"
    return "both"


def merge(base: EcoMap, server: EcoMap, visit: EcoMap, choices: Mapping[str, Side]) -> EcoMap:
    """The map as chosen: each differing tie (:func:`differences`) from its chosen side, every other tie as
    both have it, the links as the module says. Raises :class:`ChoicesNeeded` when a differing tie has
    no choice; a choice for a tie that does not differ changes nothing."""
    found = differences(base, server, visit)
    missing = [d for d in found if choices.get(d.key) not in SIDES]
    if missing:
        raise ChoicesNeeded(missing)
    chosen = {d.key: choices[d.key] for d in found}
    on_server = {tie.id: tie for tie in server.ties}
    on_visit = {tie.id: tie for tie in visit.ties}
    ties: list[Tie] = []
    for tie in server.ties:
        if chosen.get(tie.id) != "visit":
            ties.append(tie)
        elif tie.id in on_visit:
            ties.append(on_visit[tie.id])
    ties += [tie for tie in visit.ties if tie.id not in on_server and chosen.get(tie.id) == "visit"]
    kept = {tie.id for tie in ties}
    rest = visit if chosen.get(DETAILS) == "visit" else server
    plan = [
        item if item.tie is None or item.tie in kept else item.model_copy(update={"tie": None}) for item in rest.plan
    ]
    return rest.replace(ties=ties, links=_links(base, server, visit, kept), plan=plan)


def _links(base: EcoMap, server: EcoMap, visit: EcoMap, kept: set[str]) -> list[Link]:
    """Links either side added, less those either side took away, between ties still on the map."""
    was = {link.key: link for link in base.links}
    on_server = {link.key: link for link in server.links}
    on_visit = {link.key: link for link in visit.links}
    links: list[Link] = []
    for key in dict.fromkeys([*on_server, *on_visit]):
        if key in was and not (key in on_server and key in on_visit):
            continue
        pick = (
            on_visit[key]
            if key in on_visit and (key not in on_server or on_visit[key] != was.get(key))
            else on_server[key]
        )
        if all(end in kept for end in pick.between):
            links.append(pick)
    return links


def said(difference: Difference, server: EcoMap, visit: EcoMap, *, t: Translator | None = None) -> list[str]:
    """A differing tie in plain words: what happened to it and where, then how the visit's differs from
    the server's, sentence by sentence."""
    t = t or translator()
    name = difference.name
    if difference.key == DETAILS:
        head = {
            "visit": t("The person’s details, the record or the plan were changed on the visit."),
            "server": t("The person’s details, the record or the plan were changed on the server."),
            "both": t("The person’s details, the record or the plan were changed on the visit and on the server."),
        }[difference.by]
        return [head]
    if difference.how == "added":
        head = (
            t("{name} was added on the visit.", name=name)
            if difference.by == "visit"
            else t("{name} was taken off the map on the server.", name=name)
        )
        return [head]
    if difference.how == "removed":
        head = (
            t("{name} was added on the server.", name=name)
            if difference.by == "server"
            else t("{name} was taken off the map on the visit.", name=name)
        )
        return [head]
    head = {
        "visit": t("{name} was changed on the visit.", name=name),
        "server": t("{name} was changed on the server.", name=name),
        "both": t("{name} was changed on the visit and on the server.", name=name),
    }[difference.by]
    before, after = server.tie(difference.key), visit.tie(difference.key)
    one, other = server.replace(ties=[before], links=[], plan=[]), visit.replace(ties=[after], links=[], plan=[])
    changes = diff(one, other, t=t)
    sentences = summary(changes, one, other, t=t)[: len(changes.changes)]
    unsaid = ("notes", "own_words", "position")  # what the change map's sentences do not say
    if not sentences or any(getattr(before, field) != getattr(after, field) for field in unsaid):
        sentences.append(t("Its notes, own words or place on the map differ."))
    return [head, t("On the visit, compared with the server:"), *sentences]


@dataclass(frozen=True)
class Outcome:
    """What a check-in did for one person.

    ``state``: ``landed`` (the visit's versions followed the server's), ``choose`` (the server's map
    changed meanwhile and nothing was written: ``differences`` says what to choose between, and
    ``server_map`` and ``visit_map`` are the two maps compared) or ``merged`` (landed after the choices,
    ``merged_version`` the map as chosen).
    """

    person_id: str
    map_id: str
    state: Literal["landed", "choose", "merged"]
    #: The numbers on the server of the versions made on the visit.
    versions: tuple[int, ...] = ()
    merged_version: int | None = None
    differences: tuple[Difference, ...] = ()
    server_map: EcoMap | None = field(default=None, repr=False)
    visit_map: EcoMap | None = field(default=None, repr=False)


def check_out(
    server: Store, visit: Store, user: User, person_ids: Collection[str], until: date, *, today: date | None = None
) -> list[Carried]:
    """Check out each person for ``user`` until ``until`` (audited on the server) and copy their record
    into the visit store (audited there). All are checked out or none: a record ``user`` may not see,
    one checked out by someone else (:class:`~ecomap.store.CheckedOutElsewhere`) or one already on
    this laptop is refused before anything is copied."""
    here = {copy.person_id for copy in visit.copies(user)}
    already = [p for p in person_ids if p in here]
    if already:
        raise ValueError(f"person {already[0]} is checked out to this store already")
    carried = server.check_out(user, person_ids, until, today=today)
    for record in carried:
        visit.take_copy(user, record)
    return carried


def check_in(
    server: Store,
    visit: Store,
    user: User,
    choices: Mapping[str, Mapping[str, Side]] | None = None,
    *,
    person_ids: Collection[str] | None = None,
    visit_label: str = VISIT_LABEL,
) -> list[Outcome]:
    """Check in every copy ``user`` holds in the visit store (or those of ``person_ids``): see the module.

    ``choices`` are by person id, then by tie id (or :data:`DETAILS`): which side to keep. A person
    whose server map changed and who lacks a choice for a differing tie is left as it is, reported
    ``choose``; the others land, and their copies are removed from the visit store.
    """
    choices = choices or {}
    outcomes: list[Outcome] = []
    for copy in visit.copies(user):
        if copy.user_id != user.id or (person_ids is not None and copy.person_id not in person_ids):
            continue
        brought = visit.brought_back(user, copy.person_id)
        current = server.versions(user, copy.map_id)[-1].version
        if current == copy.server_version or not brought.versions:
            landed = server.land(user, brought, expected_version=current, visit_label=visit_label)
            visit.drop_copy(user, copy.person_id)
            outcomes.append(Outcome(copy.person_id, copy.map_id, "landed", landed.versions))
            continue
        opened = server.open(user, copy.map_id)
        base, theirs, ours = brought.base_map, opened.map, brought.newest_map
        found = differences(base, theirs, ours)
        mine = choices.get(copy.person_id, {})
        if any(mine.get(d.key) not in SIDES for d in found):
            outcomes.append(Outcome(copy.person_id, copy.map_id, "choose", (), None, tuple(found), theirs, ours))
            continue
        kept = merge(base, theirs, ours, mine)
        landed = server.land(user, brought, expected_version=opened.version, merged=kept, visit_label=visit_label)
        visit.drop_copy(user, copy.person_id)
        outcomes.append(Outcome(copy.person_id, copy.map_id, "merged", landed.versions, landed.merged_version))
    return outcomes
