"""The map: its records, their validation, the JSON format and its upgrades.

A map is one JSON document (format version 2, see ``docs/DESIGN.md``). The one way
in is :meth:`EcoMap.from_dict` (or :func:`loads` / :func:`read_map` for
text and files); the one way out is :meth:`EcoMap.to_dict` (or :func:`dumps`).
Anything wrong raises :class:`~ecomap.errors.MapInvalid`, whose ``problems``
each name a place in the document.

Examples
--------
>>> m = EcoMap.from_dict({
...     "schema_version": 1, "id": "m1", "person": {"name": "Alys"},
...     "ties": [{"id": "t1", "name": "Mam", "sector": "family", "strength": "strong"}],
... })
>>> m.ties[0].flow, m.ties[0].status
('none', 'current')
>>> EcoMap.from_dict(m.to_dict()) == m
True
>>> EcoMap.from_dict({"schema_version": 1, "id": "m1", "person": {"name": "A"},
...     "ties": [{"id": "t1", "name": "Mam", "sector": "family", "strength": "strongest"}]})
Traceback (most recent call last):
...
ecomap.errors.MapInvalid: ties[0].strength: 'strongest' is not one of strong, moderate, tenuous, cut_off
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ecomap.errors import MapInvalid, Problem, UnsupportedVersion, shown
from ecomap.vocab import (
    SHARING,
    SUPPORTS,
    Direction,
    Flow,
    Frequency,
    Kind,
    Sector,
    ShareWith,
    Status,
    Strength,
    Support,
    role_key,
)

__all__ = [
    "BIDI_CONTROLS",
    "DIGITS_MAX",
    "LINE_MAX",
    "MAX_FILE_BYTES",
    "MAX_TIES",
    "NAME_MAX",
    "PERSON",
    "ROLE_MAX",
    "SCHEMA_VERSION",
    "TEXT_MAX",
    "TITLE_MAX",
    "UPGRADES",
    "Consent",
    "EcoMap",
    "Link",
    "Person",
    "PlanItem",
    "Position",
    "Record",
    "Tie",
    "check_size",
    "dumps",
    "example",
    "json_schema",
    "loads",
    "new_map",
    "parse_json",
    "read_file",
    "read_map",
    "schema_path",
    "text_problem",
    "upgrade",
    "write_map",
]

#: The version of the map format this release writes (and the newest it reads).
SCHEMA_VERSION = 2
#: The largest file Ecomap reads: a map file, an import or an upload (``.streamlit/config.toml`` says the same).
MAX_FILE_BYTES = 5 * 1024 * 1024
#: The most ties a map holds.
MAX_TIES = 500
#: The most digits a whole number in a file may have (Python's own limit is 4,300, with its own message).
DIGITS_MAX = 100
#: The person's id in graphs and drawings: not a valid tie id, so it never clashes with one.
PERSON = "@person"

#: The longest texts, in characters: a name, a role or pronouns, the title, a line of what matters or
#: strengths, and own words, notes and plan text.
NAME_MAX = 100
ROLE_MAX = 60
TITLE_MAX = 200
LINE_MAX = 300
TEXT_MAX = 2000

_CONTROL_FREE = r"^[^\x00-\x1f\x7f-\x9f]*$"
_CONTROL_FREE_MULTILINE = r"^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*$"


#: Characters that change how the text around them is shown (the bidirectional controls), which
#: could make a name read as something else.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Invisible characters that text needs: the joiners that build emoji and shape some scripts.
_INVISIBLE_ALLOWED = frozenset("\u200c\u200d")


def text_problem(char: str, *, multiline: bool) -> str | None:
    r"""What is wrong with ``char`` in text on a map, or None: the one rule for every name and note.

    Refused: control characters (a line break only where text may have several lines), unpaired
    surrogates (not text at all: no file could hold them), bidirectional controls, and other
    invisible format characters except the joiners that emoji and some scripts need.

    >>> text_problem("\u202e", multiline=True)
    'a bidirectional control character (U+202E), which can make text show as something else'
    >>> text_problem("\ud800", multiline=True)
    'an unpaired surrogate (U+D800), which is not text'
    >>> text_problem("\u200d", multiline=False) is None, text_problem("\n", multiline=True) is None
    (True, True)
    """
    category = unicodedata.category(char)
    if category == "Cc" and not (multiline and char == "\n"):
        what = "a line break" if char in "\r\n" else f"a control character (U+{ord(char):04X})"
        return f"{what}, which is not allowed here"
    if category == "Cs":
        return f"an unpaired surrogate (U+{ord(char):04X}), which is not text"
    if char in BIDI_CONTROLS:
        return f"a bidirectional control character (U+{ord(char):04X}), which can make text show as something else"
    if category == "Cf" and char not in _INVISIBLE_ALLOWED and not 0xE0020 <= ord(char) <= 0xE007F:
        return f"an invisible character (U+{ord(char):04X}), which is not allowed here"
    return None


def _clean_text(*, multiline: bool) -> Callable[[Any], Any]:
    """Normalise text to NFC and refuse what :func:`text_problem` refuses, naming the character."""

    def clean(value: Any) -> Any:
        if not isinstance(value, str):
            return value  # the str type reports the wrong type
        text = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
        for char in text:
            what = text_problem(char, multiline=multiline)
            if what:
                raise PydanticCustomError("character", "contains {what}", {"what": what})
        return text.strip() if not multiline else text

    return clean


_single_line = BeforeValidator(_clean_text(multiline=False))
_multi_line = BeforeValidator(_clean_text(multiline=True))
_SINGLE = {"pattern": _CONTROL_FREE}
_MULTI = {"pattern": _CONTROL_FREE_MULTILINE}

Name = Annotated[str, _single_line, Field(min_length=1, max_length=NAME_MAX, json_schema_extra=_SINGLE)]
ShortText = Annotated[str, _single_line, Field(max_length=NAME_MAX, json_schema_extra=_SINGLE)]
RoleText = Annotated[str, _single_line, Field(max_length=ROLE_MAX, json_schema_extra=_SINGLE)]
Title = Annotated[str, _single_line, Field(max_length=TITLE_MAX, json_schema_extra=_SINGLE)]
Line = Annotated[str, _multi_line, Field(max_length=LINE_MAX, json_schema_extra=_MULTI)]
LongText = Annotated[str, _multi_line, Field(max_length=TEXT_MAX, json_schema_extra=_MULTI)]
Action = Annotated[str, _multi_line, Field(min_length=1, max_length=TEXT_MAX, json_schema_extra=_MULTI)]
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]


def _in_table_order(support: dict[str, str]) -> dict[str, str]:
    return {kind: support[kind] for kind in SUPPORTS if kind in support}


def _unique(items: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(set(items)) != len(items):
        raise PydanticCustomError("duplicate", "lists the same value more than once")
    return items


def _sharing_order(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(value for value in SHARING if value in items)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Position(_Record):
    """Where a tie sits: ``angle`` in degrees clockwise from the top, ``distance`` 0 (centre) to 1 (edge)."""

    angle: float = Field(allow_inf_nan=False)
    distance: float = Field(ge=0, le=1)

    @field_validator("angle")
    @classmethod
    def _wrap_angle(cls, angle: float) -> float:
        return math.fmod(angle, 360.0) % 360.0


class Person(_Record):
    """The person at the centre of the map."""

    name: Name
    preferred_name: ShortText = ""
    pronouns: RoleText = ""
    #: The language the person chose to be spoken to and written to in ("en", "cy"); None until asked.
    #: Their attachment and exports are in it unless another is chosen.
    language: Language | None = None
    what_matters: Annotated[tuple[Line, ...], Field(max_length=50)] = ()
    strengths: Annotated[tuple[Line, ...], Field(max_length=50)] = ()
    date_of_birth: date | None = None
    age: Annotated[int, Field(ge=0, le=130, strict=True)] | None = None

    @property
    def called(self) -> str:
        """The name to use when speaking of the person."""
        return self.preferred_name or self.name


class Tie(_Record):
    """Someone or something in the person's life, and the line that joins them."""

    id: Id
    name: Name
    kind: Kind = "person"
    #: A vocabulary role by its key (``ecomap.vocab.ROLES``: "sibling"), any other as written; a role's
    #: label in English or Welsh ("Brother or sister", "Brawd neu chwaer") is read as its key.
    role: Annotated[RoleText, AfterValidator(role_key)] = ""
    sector: Sector
    strength: Strength = "moderate"
    stressful: StrictBool = False
    #: Which way each kind of support goes; None (left out of the file) until it has been asked,
    #: and an empty mapping when the answer was "none either way".
    support: Annotated[dict[Support, Direction], AfterValidator(_in_table_order)] | None = None
    frequency: Frequency | None = None
    status: Status = "current"
    own_words: LongText = ""
    notes: LongText = ""
    position: Position | None = None

    @property
    def gets(self) -> tuple[str, ...]:
        """The kinds of support the person gets from this tie (one way or both).

        >>> example().tie("t1").gets
        ('emotional',)
        """
        return tuple(kind for kind, direction in (self.support or {}).items() if direction in ("gets", "both"))

    @property
    def gives(self) -> tuple[str, ...]:
        """The kinds of support the person gives this tie (one way or both)."""
        return tuple(kind for kind, direction in (self.support or {}).items() if direction in ("gives", "both"))

    @property
    def flow(self) -> Flow:
        """Which way support goes, all kinds together: what the tie's arrowheads show.

        >>> tie = example().tie("t1")
        >>> tie.flow, tie.model_copy(update={"support": {"practical": "gives"}}).flow
        ('both', 'from_person')
        >>> tie.model_copy(update={"support": {"practical": "gives", "emotional": "gets"}}).flow
        'both'
        >>> tie.model_copy(update={"support": None}).flow, tie.model_copy(update={"support": {}}).flow
        ('none', 'none')
        """
        gets, gives = bool(self.gets), bool(self.gives)
        if gets and gives:
            return "both"
        return "to_person" if gets else "from_person" if gives else "none"

    @property
    def support_asked(self) -> bool:
        """Whether support has been talked about for this tie ("none either way" counts as asked)."""
        return self.support is not None


class Consent(_Record):
    """The person's consent as they gave it: to record the map, and with whom it may be shared.

    Nothing is assumed: ``to_record`` is None until it is asked, ``share_with`` None until sharing
    is talked about (an empty list: with nobody).

    >>> Consent(to_record=True, share_with=("team",)).covers_sharing, Consent(to_record=True).covers_sharing
    (True, False)
    """

    to_record: StrictBool | None = None
    #: Who may be sent the map, from :data:`ecomap.vocab.SHARING`.
    share_with: Annotated[tuple[ShareWith, ...], AfterValidator(_unique), AfterValidator(_sharing_order)] | None = None
    #: Anyone else they agreed it may go to, in their words ("the housing association").
    share_also_with: ShortText = ""

    @property
    def covers_sharing(self) -> bool:
        """Whether a file of the map may go to someone without a reason given: the person agreed to the map
        being recorded, and to its sharing with someone. The one rule the share page asks a reason by."""
        return self.to_record is True and bool(self.share_with or self.share_also_with)


class Record(_Record):
    """What a record needs to file the map: who drew it with whom, where, when, and what was agreed.

    Every field is optional and nothing is filled in for the practitioner.
    """

    case_reference: ShortText = ""
    practitioner: ShortText = ""
    practitioner_role: ShortText = ""
    agency: ShortText = ""
    present: Annotated[tuple[ShortText, ...], Field(max_length=20)] = ()
    met_on: date | None = None
    place: ShortText = ""
    read_back_agreed: StrictBool | None = None
    review_on: date | None = None
    #: The person's consent; None until it is recorded.
    consent: Consent | None = None


class Link(_Record):
    """A line between two ties' people, such as Mam and Auntie Bet seeing each other."""

    between: tuple[Id, Id]
    stressful: StrictBool = False

    @field_validator("between")
    @classmethod
    def _two_different(cls, between: tuple[str, str]) -> tuple[str, str]:
        if between[0] == between[1]:
            raise PydanticCustomError("self_link", "a link joins two different ties")
        return between

    @property
    def key(self) -> frozenset[str]:
        """The two ties as a set, the same whichever order ``between`` gives them in.

        >>> Link(between=("t1", "t2")).key == Link(between=("t2", "t1")).key
        True
        """
        return frozenset(self.between)


class PlanItem(_Record):
    """An agreed next step: what, about which tie, who does it, by when."""

    id: Id
    action: Action
    tie: Id | None = None
    who: Line = ""
    by: date | None = None
    done: StrictBool = False


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class EcoMap(_Record):
    """A person's ecomap: the person, their ties, the links among them and the plan."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, title="Ecomap map", json_schema_extra={"$id": "ecomap-map-v2"}
    )

    schema_version: Literal[2]
    id: Id
    title: Title = ""
    created: datetime = Field(default_factory=_now)
    person: Person
    record: Record = Field(default_factory=Record)
    ties: Annotated[tuple[Tie, ...], Field(max_length=MAX_TIES)] = ()
    links: tuple[Link, ...] = ()
    plan: tuple[PlanItem, ...] = ()

    @field_validator("created")
    @classmethod
    def _aware(cls, created: datetime) -> datetime:
        return created.replace(tzinfo=UTC) if created.tzinfo is None else created

    @model_validator(mode="after")
    def _references(self) -> EcoMap:
        problems = _reference_problems(self)
        if problems:
            raise PydanticCustomError(
                "references", "{summary}", {"summary": "; ".join(map(str, problems)), "problems": problems}
            )
        return self

    # -- the one way in and the one way out ---------------------------------------------------

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> EcoMap:
        """Validate a document (upgrading an older format version first) and return the map."""
        document = upgrade(document)
        try:
            return cls.model_validate(document)
        except ValidationError as exc:
            raise MapInvalid(_problems(exc)) from None

    def to_dict(self) -> dict[str, Any]:
        """The map as a JSON-ready document in the current format version."""
        return self.model_dump(mode="json", exclude_none=True)

    # -- edits: each returns a new, validated map ---------------------------------------------

    def tie(self, tie_id: str) -> Tie:
        """The tie with this id.

        >>> example().tie("t1").name
        'Mam'
        """
        for tie in self.ties:
            if tie.id == tie_id:
                return tie
        raise KeyError(tie_id)

    def replace(self, **changes: Any) -> EcoMap:
        """A copy with ``changes`` applied to the top-level fields, validated as a whole."""
        document = self.to_dict()
        document.update(_jsonable(changes))
        return EcoMap.from_dict(document)

    def with_tie(self, tie: Tie | Mapping[str, Any]) -> EcoMap:
        """A copy with ``tie`` added, or put in place of the tie with the same id.

        >>> m = example().with_tie({"id": "t9", "name": "Côr Meibion", "sector": "community"})
        >>> [t.name for t in m.ties]
        ['Mam', 'Côr Meibion']
        """
        new = tie.model_dump(mode="json", exclude_none=True) if isinstance(tie, Tie) else dict(tie)
        ties = [t.model_dump(mode="json", exclude_none=True) for t in self.ties]
        for i, old in enumerate(ties):
            if old["id"] == new.get("id"):
                ties[i] = new
                break
        else:
            ties.append(new)
        return self.replace(ties=ties)

    def with_tie_fields(self, tie_id: str, **fields: Any) -> EcoMap:
        """A copy with ``fields`` changed on one tie; a field given as None goes back to its default.

        >>> m = example().with_tie_fields("t1", strength="tenuous", stressful=True)
        >>> m.tie("t1").strength, m.tie("t1").stressful, m.tie("t1").name
        ('tenuous', True, 'Mam')
        >>> example().with_tie_fields("t1", frequency=None).tie("t1").frequency is None
        True
        """
        tie = self.tie(tie_id).model_dump(mode="json", exclude_none=True)
        tie.update(_jsonable(fields))
        return self.with_tie({k: v for k, v in tie.items() if v is not None})

    def without_tie(self, tie_id: str) -> EcoMap:
        """A copy without the tie, its links, and any plan item's reference to it.

        >>> m = example().with_tie({"id": "t2", "name": "Bet", "sector": "family"}).with_link_toggled("t1", "t2")
        >>> m = m.without_tie("t2")
        >>> [t.id for t in m.ties], m.links
        (['t1'], ())
        """
        plan = [p.model_copy(update={"tie": None}) if p.tie == tie_id else p for p in self.plan]
        return self.replace(
            ties=[t for t in self.ties if t.id != tie_id],
            links=[link for link in self.links if tie_id not in link.between],
            plan=plan,
        )

    def with_link_toggled(self, a: str, b: str) -> EcoMap:
        """A copy with ties ``a`` and ``b`` linked, or unlinked if they were linked already.

        >>> m = example().with_tie({"id": "t2", "name": "Bet", "sector": "family"})
        >>> linked = m.with_link_toggled("t1", "t2")
        >>> [link.between for link in linked.links], linked.with_link_toggled("t2", "t1").links
        ([('t1', 't2')], ())
        """
        pair = frozenset((a, b))
        kept = [link for link in self.links if link.key != pair]
        if len(kept) == len(self.links):
            kept.append(Link(between=(a, b)))
        return self.replace(links=kept)

    def with_person(self, **fields: Any) -> EcoMap:
        """A copy with ``fields`` changed on the person at the centre.

        >>> example().with_person(strengths=["Great cook", "Sings"]).person.strengths
        ('Great cook', 'Sings')
        """
        return self.replace(person={**self.person.model_dump(mode="json", exclude_none=True), **_jsonable(fields)})

    def with_record(self, **fields: Any) -> EcoMap:
        """A copy with ``fields`` changed in what the record says (a field given as None is cleared).

        >>> m = example().with_record(case_reference="CYP-4471", read_back_agreed=True)
        >>> m.record.case_reference, m.record.read_back_agreed
        ('CYP-4471', True)
        >>> m.with_record(read_back_agreed=None).record.read_back_agreed is None
        True
        """
        record = {**self.record.model_dump(mode="json", exclude_none=True), **_jsonable(fields)}
        return self.replace(record={k: v for k, v in record.items() if v is not None})

    def next_tie_id(self) -> str:
        """A tie id not yet used in this map.

        >>> example().next_tie_id()
        't2'
        """
        return _next_id("t", {t.id for t in self.ties})

    # -- the plan: agreed next steps ---------------------------------------------------------

    def plan_item(self, item_id: str) -> PlanItem:
        """The plan item with this id.

        >>> example().with_plan_item({"action": "Ring the choir"}).plan_item("a1").action
        'Ring the choir'
        """
        for item in self.plan:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def next_plan_id(self) -> str:
        """A plan item id not yet used in this map.

        >>> example().next_plan_id()
        'a1'
        """
        return _next_id("a", {p.id for p in self.plan})

    def with_plan_item(self, item: PlanItem | Mapping[str, Any]) -> EcoMap:
        """A copy with ``item`` added to the plan (given the next free id if it has none), or put in
        place of the item with the same id.

        >>> m = example().with_plan_item({"action": "Find out when choir meets", "tie": "t1", "by": "2026-12-15"})
        >>> [(p.id, p.action, str(p.by)) for p in m.plan]
        [('a1', 'Find out when choir meets', '2026-12-15')]
        >>> m.with_plan_item({"id": "a1", "action": "Ring the choir"}).plan[0].action
        'Ring the choir'
        """
        new = _jsonable(item if isinstance(item, PlanItem) else dict(item))
        new.setdefault("id", self.next_plan_id())
        plan = [p.model_dump(mode="json", exclude_none=True) for p in self.plan]
        for i, old in enumerate(plan):
            if old["id"] == new["id"]:
                plan[i] = new
                break
        else:
            plan.append(new)
        return self.replace(plan=plan)

    def with_plan_fields(self, item_id: str, **fields: Any) -> EcoMap:
        """A copy with ``fields`` changed on one plan item; a field given as None is cleared.

        >>> m = example().with_plan_item({"action": "Ring the choir", "who": "Alys", "by": "2026-12-15"})
        >>> m = m.with_plan_fields("a1", who="Alys and Sam", by=None)
        >>> m.plan[0].who, m.plan[0].by
        ('Alys and Sam', None)
        """
        item = self.plan_item(item_id).model_dump(mode="json", exclude_none=True)
        item.update(_jsonable(fields))
        return self.with_plan_item({k: v for k, v in item.items() if v is not None})

    def with_plan_done(self, item_id: str, done: bool = True) -> EcoMap:
        """A copy with one plan item marked done (or, with ``done=False``, not done yet).

        >>> example().with_plan_item({"action": "Ring the choir"}).with_plan_done("a1").plan[0].done
        True
        """
        return self.with_plan_fields(item_id, done=done)

    def without_plan_item(self, item_id: str) -> EcoMap:
        """A copy without one plan item.

        >>> example().with_plan_item({"action": "Ring the choir"}).without_plan_item("a1").plan
        ()
        """
        self.plan_item(item_id)  # a KeyError for an item that is not there, as for a tie
        return self.replace(plan=[p for p in self.plan if p.id != item_id])


def _next_id(prefix: str, used: set[str]) -> str:
    n = len(used) + 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _reference_problems(m: EcoMap) -> list[Problem]:
    problems: list[Problem] = []
    tie_ids: set[str] = set()
    for i, tie in enumerate(m.ties):
        if tie.id in tie_ids:
            problems.append(Problem(f"ties[{i}].id", f"the id {tie.id!r} is used by another tie"))
        tie_ids.add(tie.id)
    seen_links: set[frozenset[str]] = set()
    for i, link in enumerate(m.links):
        for j, end in enumerate(link.between):
            if end not in tie_ids:
                problems.append(Problem(f"links[{i}].between[{j}]", f"there is no tie with the id {end!r}"))
        if link.key in seen_links:
            problems.append(Problem(f"links[{i}]", "the same two ties are linked twice"))
        seen_links.add(link.key)
    plan_ids: set[str] = set()
    for i, item in enumerate(m.plan):
        if item.id in plan_ids:
            problems.append(Problem(f"plan[{i}].id", f"the id {item.id!r} is used by another plan item"))
        plan_ids.add(item.id)
        if item.tie is not None and item.tie not in tie_ids:
            problems.append(Problem(f"plan[{i}].tie", f"there is no tie with the id {item.tie!r}"))
    return problems


# -- error messages that name the place -------------------------------------------------------


#: A field's name as a place shows it plainly; any other key (from the file) is shown quoted, escaped and cut short.
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


def _where(loc: tuple[int | str, ...]) -> str:
    r"""A place in the document from pydantic's location: ``ties[3].support['\n']``, always one short line.

    >>> _where(("ties", 3, "support", "\n", "[key]")), _where(("person", "x" * 80))
    ("ties[3].support['\\n']", "person['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…']")
    """
    where = ""
    for part in loc:
        if isinstance(part, int):
            where += f"[{part}]"
        elif part == "[key]":
            continue  # pydantic's mark that the key itself is wrong: the key is already in the place
        elif _PLAIN_KEY.fullmatch(part):
            where += f".{part}" if where else part
        else:
            where += f"[{shown(part)}]"
    return where


#: The longest message of a problem in pydantic's own words; a longer one is cut.
_MESSAGE_MAX = 160


def _expected_values(expected: str) -> str:
    return expected.replace(" or ", ", ").replace("'", "")


def _problems(exc: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        ctx = error.get("ctx") or {}
        value = error.get("input")
        if kind == "references":
            problems.extend(ctx["problems"])
            continue
        if kind == "literal_error" and loc and loc[-1] == "schema_version":
            message = f"{shown(value)} is not a format version this release reads"
        elif kind == "literal_error":
            message = f"{shown(value)} is not one of {_expected_values(ctx['expected'])}"
        elif kind == "extra_forbidden":
            message = "is not a field of the map format"
        elif kind == "missing":
            message = "is required"
        elif kind in ("string_too_long", "too_long"):
            unit = "characters" if isinstance(value, str) else "entries"
            message = f"is longer than {ctx['max_length']} {unit}"
        elif kind in ("string_too_short", "too_short") and ctx.get("min_length") == 1:
            message = "must not be empty"
        elif kind == "string_pattern_mismatch" and (loc[-1:] in (("id",), ("tie",)) or "between" in loc):
            message = f"{shown(value)} is not a valid id (letters, digits and _ . : - only, up to 64)"
        elif kind == "string_pattern_mismatch" and loc[-1:] == ("language",):
            message = f"{shown(value)} is not a language code such as 'cy' or 'en'"
        else:
            message = error["msg"][0].lower() + error["msg"][1:]
        if len(message) > _MESSAGE_MAX or not message.isprintable():  # pydantic's own words may quote the value
            cut = message if len(message) <= _MESSAGE_MAX else message[: _MESSAGE_MAX - 1] + "…"
            message = "".join(char if char.isprintable() else repr(char)[1:-1] for char in cut)
        problems.append(Problem(_where(loc), message))
    return problems


# -- format versions --------------------------------------------------------------------------

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]

#: In format version 1 a tie's ``support`` listed the kinds the tie gave, and one ``flow`` said
#: which way support went for all of them; version 2 says it for each kind.
_V1_DIRECTIONS = {"to_person": "gets", "from_person": "gives", "both": "both", "none": "gets"}
#: A version 1 flow with no kinds of support is kept in the tie's notes, in these words.
_V1_FLOW_NOTES = {
    "to_person": "Support came to the person (the kinds were not recorded).",
    "from_person": "The person gave support (the kinds were not recorded).",
    "both": "Support went both ways (the kinds were not recorded).",
}


def _v1_tie_to_v2(tie: Any, where: str) -> Any:
    if not isinstance(tie, Mapping):
        return tie  # the version 2 check says what is wrong with it
    tie = dict(tie)
    flow = tie.pop("flow", "none")
    kinds = tie.pop("support", [])
    if not isinstance(flow, str) or flow not in _V1_DIRECTIONS:
        allowed = ", ".join(_V1_DIRECTIONS)
        raise MapInvalid([Problem(f"{where}.flow", f"{shown(flow)} is not one of {allowed}")])
    if not isinstance(kinds, list):
        raise MapInvalid([Problem(f"{where}.support", f"must be a list of {', '.join(SUPPORTS)}")])
    for i, kind in enumerate(kinds):
        if not isinstance(kind, str) or kind not in SUPPORTS:
            raise MapInvalid([Problem(f"{where}.support[{i}]", f"{shown(kind)} is not one of {', '.join(SUPPORTS)}")])
    if len(set(kinds)) != len(kinds):
        raise MapInvalid([Problem(f"{where}.support", "lists the same value more than once")])
    if kinds:
        tie["support"] = {kind: _V1_DIRECTIONS[flow] for kind in kinds}
    elif flow != "none":
        notes = tie.get("notes", "")
        kept = _V1_FLOW_NOTES[flow]
        tie["notes"] = f"{notes}\n{kept}" if isinstance(notes, str) and notes else kept
    return tie


def _v1_to_v2(document: dict[str, Any]) -> dict[str, Any]:
    """Version 1 to 2: each kind of support takes the tie's one flow as its direction.

    A version 1 tie without a flow gave its kinds to the person (the person gets them); a flow
    with no kinds of support is kept, in words, in the tie's notes. A tie with neither has not been
    asked about support yet.

    >>> v1 = {"schema_version": 1, "id": "m", "person": {"name": "Megan"}, "ties": [
    ...     {"id": "t1", "name": "Mam", "sector": "family", "flow": "from_person", "support": ["practical"]},
    ...     {"id": "t2", "name": "Taid", "sector": "family", "flow": "both"},
    ...     {"id": "t3", "name": "GP", "sector": "services"}]}
    >>> [(t.get("support"), t.get("notes")) for t in _v1_to_v2(v1)["ties"]]
    [({'practical': 'gives'}, None), (None, 'Support went both ways (the kinds were not recorded).'), (None, None)]
    """
    ties = document.get("ties", [])
    if isinstance(ties, list):
        ties = [_v1_tie_to_v2(tie, f"ties[{i}]") for i, tie in enumerate(ties)]
    return {**document, "schema_version": 2, "ties": ties}


#: ``UPGRADES[n]`` turns a version ``n`` document into a version ``n + 1`` document.
UPGRADES: dict[int, Upgrade] = {1: _v1_to_v2}


def upgrade(
    document: Mapping[str, Any], *, steps: Mapping[int, Upgrade] | None = None, target: int = SCHEMA_VERSION
) -> dict[str, Any]:
    """Bring an older document up to ``target``, one format version at a time.

    >>> upgrade({"schema_version": 1, "id": "m"})["schema_version"]
    2
    >>> upgrade({"schema_version": 0}, steps={0: lambda d: {**d, "schema_version": 1}}, target=1)
    {'schema_version': 1}
    >>> upgrade({"schema_version": 7})
    Traceback (most recent call last):
    ...
    ecomap.errors.UnsupportedVersion: schema_version: this file uses map format version 7, ... update Ecomap to open it
    """
    if not isinstance(document, Mapping):
        raise MapInvalid([Problem("", "a map must be a JSON object")])
    steps = UPGRADES if steps is None else steps
    version = document.get("schema_version")
    if version is None:
        raise MapInvalid([Problem("schema_version", "is required")])
    if isinstance(version, bool) or not isinstance(version, int):
        raise MapInvalid([Problem("schema_version", f"{shown(version)} is not a format version number")])
    if version > target:
        raise UnsupportedVersion(
            [
                Problem(
                    "schema_version",
                    f"this file uses map format version {version}, but this release of Ecomap reads versions up to "
                    f"{target}; update Ecomap to open it",
                )
            ]
        )
    result = dict(document)
    while version < target:
        step = steps.get(version)
        if step is None:
            raise UnsupportedVersion(
                [Problem("schema_version", f"map format version {version} is not one this release can upgrade")]
            )
        result = step(result)
        version = result["schema_version"]
    return result


# -- text and files ---------------------------------------------------------------------------


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the field {shown(key)} appears twice in one object")
        result[key] = value
    return result


class _TooManyDigits(ValueError):
    """A whole number in JSON of more than :data:`DIGITS_MAX` digits."""

    def __init__(self, digits: str) -> None:
        self.digits = digits
        count = len(digits.lstrip("-"))
        super().__init__(f"a number of {count:,} digits, more than the {DIGITS_MAX} a number may have")


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > DIGITS_MAX:
        raise _TooManyDigits(digits)
    return int(digits)


def _place_of_number(text: str, digits: str) -> str:
    """The line and column of the first number written ``digits`` in JSON ``text`` (not inside a longer one)."""
    found = re.search(rf"(?<![0-9.eE+-]){re.escape(digits)}(?![0-9])", text)
    if found is None:
        return ""
    line = text.count("\n", 0, found.start()) + 1
    return f"line {line}, column {found.start() - (text.rfind(chr(10), 0, found.start()) + 1) + 1}"


def parse_json(text: str | bytes) -> Any:
    """Parse JSON text, refusing repeated keys; errors name the line and column.

    >>> parse_json('{"a": }')
    Traceback (most recent call last):
    ...
    ecomap.errors.MapInvalid: line 1, column 7: not valid JSON (Expecting value)
    """
    if isinstance(text, bytes):
        check_size(len(text))
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MapInvalid([Problem(f"byte {exc.start}", "the file is not UTF-8 text")]) from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_int=_whole_number)
    except json.JSONDecodeError as exc:
        raise MapInvalid([Problem(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON ({exc.msg})")]) from None
    except _TooManyDigits as exc:
        raise MapInvalid([Problem(_place_of_number(text, exc.digits), str(exc))]) from None
    except ValueError as exc:
        raise MapInvalid([Problem("", str(exc))]) from None
    except RecursionError:
        raise MapInvalid([Problem("", "the JSON is nested too deeply")]) from None


def loads(text: str | bytes) -> EcoMap:
    """Read a map from JSON text."""
    return EcoMap.from_dict(parse_json(text))


def dumps(m: EcoMap) -> str:
    """Write a map as JSON text (UTF-8, keys in the format's order)."""
    return json.dumps(m.to_dict(), ensure_ascii=False, indent=2) + "\n"


def check_size(size: int, where: str = "") -> None:
    """Refuse a file larger than :data:`MAX_FILE_BYTES` before reading it.

    >>> check_size(6 * 1024 * 1024)
    Traceback (most recent call last):
    ...
    ecomap.errors.MapInvalid: the file is 6.0 MB; Ecomap imports files up to 5 MB
    >>> check_size(5 * 1024 * 1024 + 1)
    Traceback (most recent call last):
    ...
    ecomap.errors.MapInvalid: the file is larger than 5 MB; Ecomap imports files up to 5 MB
    """
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024 // 1024
        rounded = f"{size / 1024 / 1024:.1f}"
        said = f"{rounded} MB" if float(rounded) > limit else f"larger than {limit} MB"
        raise MapInvalid([Problem(where, f"the file is {said}; Ecomap imports files up to {limit} MB")])


def read_file(path: str | Path) -> bytes:
    """A file's bytes, refusing a folder, a device or a pipe, or a file over :data:`MAX_FILE_BYTES`.

    Anything but a regular file is refused before it is opened (opening a pipe nobody writes to
    waits for ever, and opening a device can do something); the file is then opened without
    waiting and checked again, so that it cannot be swapped between the check and the read, and
    the read stops one byte past the limit, whatever size the file claims. Every file Ecomap reads
    (a map file, an import) is read by this.
    """
    try:
        _check_regular(os.stat(path).st_mode)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise MapInvalid([Problem("", exc.strerror or "cannot be read")]) from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        _check_regular(info.st_mode)
        check_size(info.st_size)
        try:
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise MapInvalid([Problem("", exc.strerror or "cannot be read")]) from None
    check_size(len(data))
    return data


def _check_regular(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise MapInvalid([Problem("", "is a folder, not a file")])
    if not stat.S_ISREG(mode):
        raise MapInvalid([Problem("", "is a device, a pipe or a socket, not a file")])


def read_map(path: str | Path) -> EcoMap:
    """Read a map file (see :func:`read_file`: a folder, a device, a pipe or a file too large is refused).

    Problems about the file itself (missing, too large) come back as :class:`MapInvalid` too.
    """
    return loads(read_file(path))


def write_map(m: EcoMap, path: str | Path) -> None:
    """Write a map file."""
    Path(path).write_text(dumps(m), encoding="utf-8")


def new_map(person_name: str, *, title: str = "", map_id: str | None = None) -> EcoMap:
    """A new, empty map for a person.

    >>> new_map("Cai Jones").person.name
    'Cai Jones'
    """
    return EcoMap.from_dict(
        {
            "schema_version": SCHEMA_VERSION,
            "id": map_id or str(uuid.uuid4()),
            "title": title,
            "person": {"name": person_name},
        }
    )


def example() -> EcoMap:
    """A tiny map for examples and tests: Alys and her Mam."""
    return EcoMap.from_dict(
        {
            "schema_version": SCHEMA_VERSION,
            "id": "example",
            "created": "2026-11-22T10:00:00Z",
            "person": {"name": "Alys Pritchard", "preferred_name": "Alys"},
            "ties": [
                {
                    "id": "t1",
                    "name": "Mam",
                    "role": "mother",
                    "sector": "family",
                    "strength": "strong",
                    "support": {"emotional": "both"},
                    "frequency": "daily",
                    "own_words": "She rings me every morning",
                }
            ],
        }
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the map format, generated from the model."""
    schema = EcoMap.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_path() -> Path:
    """Where the shipped JSON Schema file lives."""
    return Path(__file__).parent / "schema" / f"map-v{SCHEMA_VERSION}.schema.json"
