"""The words of an ecomap: one declarative table for each vocabulary.

Every value that a map file may hold is listed here once, with the English
text shown to people (a message id that :mod:`ecomap.i18n` translates).
The model takes its allowed values from the ``Literal`` types below; a test
checks that every value has a label in every language.

Examples
--------
>>> SECTORS["community"].ring
2
>>> [s for s in STRENGTHS]
['strong', 'moderate', 'tenuous', 'cut_off']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

__all__ = [
    "DIRECTIONS",
    "FLOWS",
    "FREQUENCIES",
    "KINDS",
    "N_",
    "ROLES",
    "SECTORS",
    "SHARING",
    "STATUSES",
    "STRENGTHS",
    "SUPPORTS",
    "VOCABULARIES",
    "Direction",
    "Flow",
    "Frequency",
    "Kind",
    "Role",
    "Sector",
    "SectorTerm",
    "ShareWith",
    "Status",
    "Strength",
    "Support",
    "Term",
    "role_key",
    "role_label",
    "term_label",
    "values",
]


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it here."""
    return message


#: The allowed values of each vocabulary, as the types of the model's fields.
Sector = Literal["family", "community", "services"]
Strength = Literal["strong", "moderate", "tenuous", "cut_off"]
Flow = Literal["to_person", "from_person", "both", "none"]
Direction = Literal["gets", "gives", "both"]
Support = Literal["emotional", "practical", "information", "social"]
Frequency = Literal["daily", "weekly", "monthly", "rarely"]
Status = Literal["current", "hoped_for", "past"]
Kind = Literal["person", "group", "organisation", "place", "pet"]
ShareWith = Literal["team", "gp", "family", "agencies"]


@dataclass(frozen=True)
class Term:
    """A value of a vocabulary and the text a person reads for it."""

    value: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class SectorTerm(Term):
    """A sector: its ring (1 nearest the person) and whether its support is formal or paid."""

    ring: int = 0
    formal: bool = False


@dataclass(frozen=True)
class Role:
    """A role chip: one tap sets the tie's role, sector and kind."""

    value: str
    label: str
    sector: Sector
    kind: Kind


#: The rings, from the person outwards: family, community, services.
SECTORS: dict[str, SectorTerm] = {
    "family": SectorTerm("family", N_("Family"), N_("Relatives and the people closest to home"), 1, False),
    "community": SectorTerm(
        "community", N_("Community"), N_("Friends, neighbours, groups, faith, work, school, leisure"), 2, False
    ),
    "services": SectorTerm("services", N_("Services"), N_("Formal or paid support"), 3, True),
}

#: How strong a tie is, strongest first, with the line each is drawn as (Hartman's conventions).
STRENGTHS: dict[str, Term] = {
    "strong": Term("strong", N_("Strong"), N_("Thick solid line")),
    "moderate": Term("moderate", N_("Moderate"), N_("Solid line")),
    "tenuous": Term("tenuous", N_("Tenuous"), N_("Dashed line")),
    "cut_off": Term("cut_off", N_("Cut off"), N_("Line with a break mark")),
}

#: Which way support flows on a tie, all kinds together: what its arrowheads show.
FLOWS: dict[str, Term] = {
    "to_person": Term("to_person", N_("Support comes to the person")),
    "from_person": Term("from_person", N_("The person gives support")),
    "both": Term("both", N_("Support both ways")),
    "none": Term("none", N_("No support either way")),
}

#: Which way one kind of support goes between the person and a tie. A tie's overall flow (its
#: arrowheads, :data:`FLOWS`) follows from the directions of its kinds.
DIRECTIONS: dict[str, Term] = {
    "gets": Term("gets", N_("The person gets this")),
    "gives": Term("gives", N_("The person gives this")),
    "both": Term("both", N_("Both ways")),
}

#: The kinds of support that go between the person and a tie, each one way or both.
SUPPORTS: dict[str, Term] = {
    "emotional": Term("emotional", N_("Emotional")),
    "practical": Term("practical", N_("Practical")),
    "information": Term("information", N_("Information")),
    "social": Term("social", N_("Social")),
}

#: How often there is contact, most often first.
FREQUENCIES: dict[str, Term] = {
    "daily": Term("daily", N_("Daily")),
    "weekly": Term("weekly", N_("Weekly")),
    "monthly": Term("monthly", N_("Monthly")),
    "rarely": Term("rarely", N_("Rarely")),
}

#: Whether a tie is in the person's life now, hoped for, or in the past.
STATUSES: dict[str, Term] = {
    "current": Term("current", N_("In my life now")),
    "hoped_for": Term("hoped_for", N_("Hoped for")),
    "past": Term("past", N_("In the past")),
}

#: What a tie is: each kind is drawn with its own shape.
KINDS: dict[str, Term] = {
    "person": Term("person", N_("Person")),
    "group": Term("group", N_("Group")),
    "organisation": Term("organisation", N_("Organisation")),
    "place": Term("place", N_("Place")),
    "pet": Term("pet", N_("Pet")),
}

#: With whom the person agreed their map may be shared (the record's consent); anyone else is named in
#: their words.
SHARING: dict[str, Term] = {
    "team": Term("team", N_("The team working with them")),
    "gp": Term("gp", N_("Their GP")),
    "family": Term("family", N_("Their family")),
    "agencies": Term("agencies", N_("Other agencies")),
}

#: The role chips, keyed by role: family first, then community, then services.
ROLES: dict[str, Role] = {
    role.value: role
    for role in (
        Role("mother", N_("Mam"), "family", "person"),
        Role("father", N_("Dad"), "family", "person"),
        Role("partner", N_("Partner"), "family", "person"),
        Role("child", N_("Child"), "family", "person"),
        Role("sibling", N_("Brother or sister"), "family", "person"),
        Role("grandparent", N_("Grandparent"), "family", "person"),
        Role("grandchild", N_("Grandchild"), "family", "person"),
        Role("relative", N_("Other relative"), "family", "person"),
        Role("pet", N_("Pet"), "family", "pet"),
        Role("friend", N_("Friend"), "community", "person"),
        Role("neighbour", N_("Neighbour"), "community", "person"),
        Role("group", N_("Group or club"), "community", "group"),
        Role("faith", N_("Chapel, church or faith group"), "community", "group"),
        Role("work", N_("Work"), "community", "organisation"),
        Role("school", N_("School or college"), "community", "organisation"),
        Role("place", N_("Place I go"), "community", "place"),
        Role("gp", N_("GP"), "services", "organisation"),
        Role("social_worker", N_("Social worker"), "services", "person"),
        Role("support_worker", N_("Support worker"), "services", "person"),
        Role("health", N_("Health service"), "services", "organisation"),
        Role("housing", N_("Housing"), "services", "organisation"),
        Role("charity", N_("Charity or advice service"), "services", "organisation"),
    )
}

#: The vocabularies of a tie's fields (and the consent's ``share_with``), each keyed by the field taking its values.
VOCABULARIES: dict[str, dict[str, Term]] = {
    "sector": dict(SECTORS),
    "strength": STRENGTHS,
    "flow": FLOWS,
    "support": SUPPORTS,
    "direction": DIRECTIONS,
    "frequency": FREQUENCIES,
    "status": STATUSES,
    "kind": KINDS,
    "share_with": SHARING,
}

_LITERALS: dict[str, object] = {
    "sector": Sector,
    "strength": Strength,
    "flow": Flow,
    "support": Support,
    "direction": Direction,
    "frequency": Frequency,
    "status": Status,
    "kind": Kind,
    "share_with": ShareWith,
}


def values(vocabulary: str) -> tuple[str, ...]:
    """The allowed values of one vocabulary, in their display order.

    >>> values("flow")
    ('to_person', 'from_person', 'both', 'none')
    """
    return tuple(get_args(_LITERALS[vocabulary]))


def term_label(vocabulary: str, value: str | None, t: Callable[[str], str]) -> str:
    """The words for one value of a vocabulary in the reader's language (``t`` translates); none for none.

    >>> term_label("sector", "services", str), term_label("frequency", None, str)
    ('Services', '')
    """
    return t(VOCABULARIES[vocabulary][value].label) if value else ""


def role_label(role: str, t: Callable[[str], str]) -> str:
    """A tie's role as a reader reads it: a vocabulary role in their language, any other as it was written.

    >>> role_label("sibling", str), role_label("best friend", str)
    ('Brother or sister', 'best friend')
    """
    return t(ROLES[role].label) if role in ROLES else role


@cache
def _role_labels() -> dict[str, str]:
    from ecomap.i18n import LANGUAGES, translator  # the catalogs are read only when a written role is looked up

    found: dict[str, str] = {}
    for language in LANGUAGES:
        t = translator(language)
        for role in ROLES.values():
            found.setdefault(t(role.label).casefold(), role.value)
    for role in ROLES.values():
        found.setdefault(role.value.replace("_", " ").casefold(), role.value)
    return found


def role_key(text: str) -> str:
    """The role a written role names: a role's key, or its label in any language Ecomap speaks (any
    case), is that role; any other words are kept as they were written.

    Maps store a role by its key, so each reader reads it in their own language.

    >>> role_key("Brother or sister"), role_key("Brawd neu chwaer"), role_key("GP"), role_key("social worker")
    ('sibling', 'sibling', 'gp', 'social_worker')
    >>> role_key("best friend"), role_key("")
    ('best friend', '')
    """
    if not text or text in ROLES:
        return text
    return _role_labels().get(text.strip().casefold(), text)
