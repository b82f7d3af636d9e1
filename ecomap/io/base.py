"""What the importers share: what they return, the size limit, the role words they understand,
what a tie's role decides, and the :class:`Draft` each one fills in as it reads.

Each reader (``csv_format``, ``graphml``, ``easynwk``) keeps only its format's parsing: it
finds each tie's fields and hands them to a :class:`Draft`, which asks :func:`tie_role` what
the role decides, keeps the names of attributes with no field of their own, de-duplicates
links and makes the :class:`Imported` map.

Support is written in other files as the kinds the person gets and the kinds they give
(:func:`directions` makes a tie's ``support`` of them) or as a direction for each kind
(:func:`joined`), and :data:`NO_SUPPORT` says "asked: none that way". A file written in format
version 1's terms (one flow and a list of kinds) is made into a version 1 document,
``Draft.imported(..., schema_version=1)``, and the model's own upgrade gives each kind its
direction, so that rule lives in one place.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from ecomap.errors import MapInvalid, Problem, shown
from ecomap.model import MAX_TIES, SCHEMA_VERSION, EcoMap, check_size, read_file
from ecomap.vocab import ROLES, SUPPORTS, Direction, Kind, Sector, Support, role_key

__all__ = [
    "MAX_PROBLEMS",
    "NO_SUPPORT",
    "ROLE_WORDS",
    "Draft",
    "Imported",
    "TieRole",
    "at_most",
    "check_size",
    "check_ties",
    "directions",
    "english_role",
    "joined",
    "leave_out",
    "map_roles",
    "notes_with",
    "placed",
    "read_file",
    "role_for",
    "shown",
    "text_of",
    "tie_role",
]

#: Role words other tools write, and the Ecomap role each one is (English, lower case).
ROLE_WORDS: dict[str, str] = {
    "mother": "mother", "mum": "mother", "mam": "mother", "mom": "mother", "stepmother": "mother",
    "foster mother": "mother", "adoptive mother": "mother",
    "father": "father", "dad": "father", "step father": "father", "stepfather": "father",
    "foster father": "father", "adoptive father": "father",
    "partner": "partner", "wife": "partner", "husband": "partner", "life partner": "partner",
    "boyfriend": "partner", "girlfriend": "partner", "spouse": "partner",
    "child": "child", "son": "child", "daughter": "child", "stepson": "child", "stepdaughter": "child",
    "adopted son": "child", "adopted daughter": "child", "foster son": "child", "foster daughter": "child",
    "sibling": "sibling", "sister": "sibling", "brother": "sibling", "half sister": "sibling",
    "half brother": "sibling", "stepsister": "sibling", "stepbrother": "sibling",
    "adoptive sister": "sibling", "adoptive brother": "sibling", "foster sister": "sibling",
    "foster brother": "sibling",
    "grandparent": "grandparent", "grandmother": "grandparent", "grandfather": "grandparent",
    "nain": "grandparent", "taid": "grandparent", "gran": "grandparent", "nan": "grandparent",
    "grandad": "grandparent", "great-grandmother": "grandparent", "great-grandfather": "grandparent",
    "grandchild": "grandchild", "great-grandchild": "grandchild",
    "relative": "relative", "family member": "relative", "aunt": "relative", "uncle": "relative",
    "cousin": "relative", "niece": "relative", "nephew": "relative", "daughter-in-law": "relative",
    "son-in-law": "relative", "mother-in-law": "relative", "father-in-law": "relative",
    "pet": "pet", "dog": "pet", "cat": "pet",
    "friend": "friend", "acquaintance": "friend", "roommate": "friend", "flatmate": "friend",
    "neighbour": "neighbour", "neighbor": "neighbour",
    "group": "group", "club": "group",
    "faith": "faith", "church": "faith", "chapel": "faith", "mosque": "faith", "pastor": "faith",
    "work": "work", "colleague": "work", "employer": "work",
    "school": "school", "college": "school", "teacher": "school", "fellow student": "school",
    "place": "place",
    "gp": "gp", "doctor": "gp",
    "social worker": "social_worker",
    "support worker": "support_worker", "prof. helper": "support_worker", "key worker": "support_worker",
    "consultant/supervisor": "support_worker", "legal adult representation": "support_worker",
    "health": "health", "health visitor": "health", "nurse": "health", "nurse practitioner": "health",
    "psychologist": "health", "psychotherapist": "health", "physiotherapist": "health",
    "ergotherapist": "health", "occupational therapist": "health", "midwife": "health",
    "housing": "housing", "landlord": "housing",
    "charity": "charity", "advice service": "charity",
}  # fmt: skip


#: easyNWK role words whose English label alone would mislead (a fellow student is not work).
_GERMAN_ROLES = {
    "Studienkolleg*in": "school",
    "Schulkolleg*in": "school",
    "Ausbildungskolleg*in": "school",
    "Vereinskolleg*in": "group",
    "Hund": "pet",
    "Katze": "pet",
}


@lru_cache(maxsize=1)
def _easynwk_roles() -> dict[str, str]:
    """easyNWK's German role names and their English labels (from easyNWK Web, MIT licence)."""
    rows = json.loads((Path(__file__).parent / "easynwk-roles.json").read_text(encoding="utf-8"))
    return {row["german"]: row["label"] for row in rows}


def role_for(text: str) -> str | None:
    """The Ecomap role for a role word from another tool, if there is one.

    A role's label in English or Welsh is that role (``vocab.role_key``), as in a map file.

    >>> role_for("Grandmother"), role_for("Mutter"), role_for("gp"), role_for("Großtante")
    ('grandparent', 'mother', 'gp', None)
    >>> role_for("Brawd neu chwaer"), role_for("Social worker")
    ('sibling', 'social_worker')
    """
    words = text.strip()
    if words in ROLES:
        return words
    if words in _GERMAN_ROLES:
        return _GERMAN_ROLES[words]
    english = _easynwk_roles().get(words, words).casefold()
    if english in ROLE_WORDS:
        return ROLE_WORDS[english]
    key = role_key(words)
    return key if key in ROLES else None


def english_role(text: str) -> str:
    """An easyNWK German role word in English, or the words as given.

    >>> english_role("Großtante"), english_role("Freund*in")
    ('Großtante', 'friend')
    """
    return _easynwk_roles().get(text.strip(), text.strip())


#: What a file writes for support talked about with a tie when there is none that way (or none of that kind).
NO_SUPPORT = "none"


def joined(said: Iterable[tuple[str, str]]) -> dict[Support, Direction]:
    """A tie's ``support`` from each kind and a direction said for it; a kind said twice goes every way said.

    A file may say a kind more than once (two of another tool's kinds that are one kind here):
    ``gets`` and ``gives`` make ``both``. The kinds come in the vocabulary's order.

    >>> joined([("practical", "gives"), ("emotional", "gets"), ("practical", "gets")])
    {'emotional': 'gets', 'practical': 'both'}
    >>> joined([("social", "both"), ("social", "gets")]), joined([])
    ({'social': 'both'}, {})
    """
    ways: dict[str, set[str]] = {}
    for kind, direction in said:
        ways.setdefault(kind, set()).update(("gets", "gives") if direction == "both" else (direction,))
    return {
        cast(Support, kind): cast(Direction, "both" if len(ways[kind]) > 1 else next(iter(ways[kind])))
        for kind in SUPPORTS
        if kind in ways
    }


def directions(gets: Iterable[str], gives: Iterable[str]) -> dict[Support, Direction]:
    """A tie's ``support`` from the kinds the person gets and the kinds they give (a kind in both goes both ways).

    >>> directions(["practical", "emotional"], ["practical"])
    {'emotional': 'gets', 'practical': 'both'}
    >>> directions([], [])
    {}
    """
    return joined([*((kind, "gets") for kind in gets), *((kind, "gives") for kind in gives)])


@dataclass(frozen=True)
class Imported:
    """A map read from another format, not yet saved, and what to check before saving it.

    ``unknown_roles`` maps each role Ecomap does not know to the ties that have it; they keep
    the role as written (in ``guessed`` sectors) until :func:`map_roles` is given a choice.
    ``extra`` names the attributes that have no field of their own: each tie keeps them in
    its notes as ``name: value`` lines, unless :func:`leave_out` takes them away.
    ``notes`` says anything else the practitioner should know (a version chosen, data left out).
    """

    map: EcoMap
    source: str
    unknown_roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    extra: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def map_roles(imported: Imported, choices: Mapping[str, str]) -> Imported:
    """Give ties with an unknown role the Ecomap role chosen for it (its sector and kind too).

    A choice of ``""`` keeps the role as written.
    """
    updates: dict[str, str] = {}
    for written, value in choices.items():
        if value and written in imported.unknown_roles:
            updates.update(dict.fromkeys(imported.unknown_roles[written], value))
    ties = []
    for tie in imported.map.ties:
        role = updates.get(tie.id)
        if role is None:
            ties.append(tie)
            continue
        chosen = ROLES[role]
        kind = tie.kind if tie.kind == "pet" and chosen.kind == "person" else chosen.kind
        ties.append(tie.model_copy(update={"role": role, "sector": chosen.sector, "kind": kind}))
    remaining = {k: v for k, v in imported.unknown_roles.items() if not choices.get(k)}
    return replace(imported, map=imported.map.replace(ties=ties), unknown_roles=remaining)


def leave_out(imported: Imported, names: Iterable[str]) -> Imported:
    """Take the ``name: value`` lines of the named extra attributes out of every tie's notes."""
    drop = set(names)
    if not drop:
        return imported
    ties = []
    for tie in imported.map.ties:
        lines = [line for line in tie.notes.splitlines() if line.split(": ", 1)[0] not in drop]
        ties.append(tie.model_copy(update={"notes": "\n".join(lines)}))
    kept = tuple(name for name in imported.extra if name not in drop)
    return replace(imported, map=imported.map.replace(ties=ties), extra=kept)


def notes_with(notes: str, extra: Mapping[str, Any]) -> str:
    """Notes with ``name: value`` lines added for attributes that have no field of their own."""
    lines = [notes] if notes else []
    lines += [f"{name}: {_one_line(value)}" for name, value in extra.items() if _one_line(value)]
    return "\n".join(lines)


def _one_line(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


#: The most problems an import reports: the first ones, and how many more there are.
MAX_PROBLEMS = 20


def at_most(problems: list[Problem]) -> list[Problem]:
    """The first of ``problems`` and a line saying how many more, when there are more than :data:`MAX_PROBLEMS`.

    >>> [str(p) for p in at_most([Problem(f"row {n}", "is empty") for n in range(2, 102)])][-2:]
    ['row 20: is empty', 'and 81 more problems']
    """
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return [*problems[: MAX_PROBLEMS - 1], Problem("", f"and {len(problems) - MAX_PROBLEMS + 1:,} more problems")]


def check_ties(count: int, things: str, where: str = "", *, counted: bool = True) -> None:
    """Refuse a file with more ``things`` (people, rows, nodes) than a map holds ties, before reading them.

    ``counted=False`` says the reader stopped counting one past the limit.

    >>> check_ties(501, "people")
    Traceback (most recent call last):
    ...
    ecomap.errors.MapInvalid: the file has 501 people; an ecomap holds at most 500 ties
    >>> check_ties(501, "rows of ties", counted=False)
    Traceback (most recent call last):
    ...
    ecomap.errors.MapInvalid: the file has more than 500 rows of ties; an ecomap holds at most 500 ties
    """
    if count > MAX_TIES:
        how_many = f"{count:,}" if counted else f"more than {MAX_TIES}"
        raise MapInvalid([Problem(where, f"the file has {how_many} {things}; an ecomap holds at most {MAX_TIES} ties")])


#: Says where a field of one of the map's entries is in the file: the entry's place, and the field in the map's terms.
Locate = Callable[[str, str], str]


def _beside(place: str, field: str) -> str:
    return f"{place}, {field}" if field else place


def placed(problems: Iterable[Problem], places: Mapping[str, Sequence[str]], locate: Locate = _beside) -> list[Problem]:
    """The model's problems about a document made from a file (``ties[2].name``) said in the file's places.

    ``places`` gives, for a list of the document (``ties``, ``links``), the place in the file of each
    entry; ``locate`` joins a place and a field (``name``, ``position.angle``) into one.

    >>> placed([Problem("ties[1].name", "must not be empty"), Problem("id", "is required")],
    ...        {"ties": ["row 2", "row 5"]})
    [Problem(where='row 5, name', message='must not be empty'), Problem(where='id', message='is required')]
    """
    said = []
    for problem in problems:
        match = re.fullmatch(r"(\w+)\[(\d+)\]\.?(.*)", problem.where)
        if match and match[1] in places and int(match[2]) < len(places[match[1]]):
            problem = Problem(locate(places[match[1]][int(match[2])], match[3]), problem.message)
        said.append(problem)
    return said


def text_of(data: bytes) -> str:
    """The file as text (UTF-8, with or without a byte-order mark)."""
    check_size(len(data))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MapInvalid([Problem(f"byte {exc.start}", "the file is not UTF-8 text")]) from None


@dataclass(frozen=True)
class TieRole:
    """A tie's role as Ecomap keeps it, and the sector and kind that go with it.

    ``unknown`` is true for a role Ecomap does not know: it is kept as written, and the
    practitioner is asked which Ecomap role it is (see :func:`map_roles`).
    """

    role: str
    sector: Sector
    kind: Kind
    unknown: bool = False

    def fields(self) -> dict[str, str]:
        """The tie's ``role``, ``sector`` and ``kind`` fields.

        >>> tie_role("dog").fields()
        {'role': 'pet', 'sector': 'family', 'kind': 'pet'}
        """
        return {"role": self.role, "sector": self.sector, "kind": self.kind}


def tie_role(written: str, *, sector: Sector | None = None, kind: Kind | None = None) -> TieRole:
    """What a role written in another tool's file decides: the role decides sector and kind.

    A role word Ecomap knows becomes its Ecomap role; a sector or kind the file gives wins
    over the role's own. A role Ecomap does not know is kept as written (an easyNWK German
    role word in English), and the tie is a person in the community ring unless the file says.

    >>> tie_role("Grandmother")
    TieRole(role='grandparent', sector='family', kind='person', unknown=False)
    >>> tie_role("GP", kind="person")
    TieRole(role='gp', sector='services', kind='person', unknown=False)
    >>> tie_role("Großtante", sector="family")
    TieRole(role='Großtante', sector='family', kind='person', unknown=True)
    >>> tie_role("")
    TieRole(role='', sector='community', kind='person', unknown=False)
    """
    role = role_for(written) if written.strip() else None
    if role is None:
        kept = english_role(written)
        return TieRole(kept, sector or "community", kind or "person", unknown=bool(kept))
    known = ROLES[role]
    return TieRole(role, sector or known.sector, kind or known.kind)


@dataclass
class Draft:
    """A map being read from another format: its ties and links as the map file has them, and what to check.

    A reader adds each tie with the fields it found and its place in the file (:meth:`add`;
    :meth:`role` gives the fields the role decides), adds links with :meth:`link`, and problems
    and notes as it meets them; :meth:`imported` then makes the map, or refuses it with every
    problem at once, each said in the file's places.

    >>> draft = Draft("CSV")
    >>> for row, (tie_id, name, written) in enumerate((("t1", "Nain", "grandmother"), ("t2", "Côr", "choir")), 2):
    ...     draft.add({"id": tie_id, "name": name, **draft.role(tie_id, written).fields()}, f"row {row}")
    >>> draft.link("t1", "t2"); draft.link("t2", "t1"); draft.link("t1", "t1")
    >>> imported = draft.imported("Cerys")
    >>> [(t.name, t.sector) for t in imported.map.ties], len(imported.map.links), imported.unknown_roles
    ([('Nain', 'family'), ('Côr', 'community')], 1, {'choir': ('t2',)})
    """

    source: str
    ties: list[dict[str, Any]] = field(default_factory=list)
    #: Where each tie is in the file (``row 4``, ``alteri[3]``), for the model's problems about it.
    places: list[str] = field(default_factory=list)
    #: How the model's problems name a tie's field, from its place and the field (see :func:`placed`).
    locate: Locate = _beside
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown_roles: dict[str, list[str]] = field(default_factory=dict)
    extra: set[str] = field(default_factory=set)
    links: dict[frozenset[str], dict[str, Any]] = field(default_factory=dict)

    def add(self, tie: dict[str, Any], place: str) -> None:
        """Add a tie read at ``place`` in the file."""
        self.ties.append(tie)
        self.places.append(place)

    def role(self, tie_id: str, written: str, *, sector: Sector | None = None, kind: Kind | None = None) -> TieRole:
        """What the tie's written role decides (see :func:`tie_role`); an unknown role is kept to ask about."""
        found = tie_role(written, sector=sector, kind=kind)
        if found.unknown:
            self.unknown_roles.setdefault(found.role, []).append(tie_id)
        return found

    def notes_with(self, notes: str, extra: Mapping[str, Any]) -> str:
        """:func:`notes_with`, keeping the names of the attributes that had a value, to offer to leave them out."""
        self.extra.update(name for name, value in extra.items() if _one_line(value))
        return notes_with(notes, extra)

    def link(self, a: str, b: str, *, stressful: bool = False) -> None:
        """Link two ties: once for each pair, in either order (the first one read counts), never a tie to itself."""
        pair = frozenset((a, b))
        if len(pair) == 2 and pair not in self.links:
            self.links[pair] = {"between": [a, b], "stressful": stressful}

    def imported(self, person_name: str, *, title: str = "", schema_version: int = SCHEMA_VERSION) -> Imported:
        """The map for ``person_name`` (``Person`` if blank), or :class:`MapInvalid` with every problem found.

        ``schema_version`` is the map format the ties are written in: a reader that found a
        version 1 file's support (one ``flow`` and a list of kinds) says 1, and the model upgrades it.
        """
        if self.problems:
            raise MapInvalid(self.problems)
        document = {
            "schema_version": schema_version,
            "id": str(uuid.uuid4()),
            "title": title,
            "person": {"name": person_name.strip() or "Person"},
            "ties": self.ties,
            "links": list(self.links.values()),
        }
        try:
            m = EcoMap.from_dict(document)
        except MapInvalid as exc:
            raise MapInvalid(placed(exc.problems, {"ties": self.places}, self.locate)) from None
        return Imported(
            m,
            self.source,
            {written: tuple(ties) for written, ties in self.unknown_roles.items()},
            tuple(sorted(self.extra)),
            tuple(self.notes),
        )
