"""The guided conversation: open questions one at a time, and the map read back in plain words.

In the spirit of OARS: each question is open, each answer is met with an affirmation,
and the summary reflects the map back for the person to confirm or correct.

Examples
--------
>>> [p.id for p in PROMPTS]
['most_days', 'two_am', 'you_help', 'groups', 'services', 'see_more']
>>> from ecomap.model import example
>>> len(read_back(example()))
1
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecomap.analysis import counts, measures
from ecomap.i18n import Translator, translator
from ecomap.model import EcoMap, Tie
from ecomap.vocab import FREQUENCIES, N_, SECTORS, STATUSES, STRENGTHS, SUPPORTS, Term, role_label

__all__ = ["PROMPTS", "Prompt", "measures_in_words", "read_back", "summary_line", "support_words", "tie_rows"]


@dataclass(frozen=True)
class Prompt:
    """One open question, what an answer adds to the map, and how it is acknowledged."""

    id: str
    question: str
    hint: str
    sector: str
    preset: dict[str, Any] = field(default_factory=dict)
    affirmation: str = N_("Thank you: {name} is on the map now.")


#: The questions of the guided conversation, in the order they are asked.
PROMPTS: tuple[Prompt, ...] = (
    Prompt(
        "most_days",
        N_("Who do you see or speak to most days?"),
        N_("Family, friends, neighbours, pets: anyone who is part of an ordinary day."),
        "family",
        {"frequency": "daily", "strength": "strong"},
        N_("{name} sounds like part of your every day."),
    ),
    Prompt(
        "two_am",
        N_("If something went wrong at 2 in the morning, who would you call?"),
        N_("There is no right answer: it can be one person, or nobody yet."),
        "family",
        {"support": {"emotional": "gets", "practical": "gets"}, "strength": "strong"},
        N_("It matters to know {name} is there for you."),
    ),
    Prompt(
        "you_help",
        N_("Who do you help or look out for?"),
        N_("Caring, listening, lending a hand: what you give counts too."),
        "family",
        {"support": {"practical": "gives"}},
        N_("You do a lot for {name}: that is a real strength."),
    ),
    Prompt(
        "groups",
        N_("Where do you go, or what are you part of?"),
        N_("Clubs, chapel or church, work, school, a café, a choir, a team."),
        "community",
        {"kind": "group", "support": {"social": "both"}},
        N_("{name} is a connection worth keeping on the map."),
    ),
    Prompt(
        "services",
        N_("Which services or professionals are involved at the moment?"),
        N_("The GP, a support worker, school staff, housing, a charity."),
        "services",
        {"kind": "organisation"},
        N_("Thank you: {name} is on the map now."),
    ),
    Prompt(
        "see_more",
        N_("Is there anyone you would like to see more of, or get back in touch with?"),
        N_("People or places you miss, or would like in your life."),
        "community",
        {"status": "hoped_for"},
        N_("{name} is on the map as someone you hope for. We can plan for that together."),
    ),
)

_FREQUENCY_WORDS = {
    "daily": N_("every day"),
    "weekly": N_("every week"),
    "monthly": N_("every month"),
    "rarely": N_("now and then"),
}


_IN_THE_RING = {
    "family": N_("{name} is part of your family."),
    "community": N_("{name} is part of your community."),
    "services": N_("{name} is one of the services you have."),
}
_STRENGTH_WORDS = {
    "strong": N_("It is a strong tie."),
    "moderate": N_("It is a moderate tie."),
    "tenuous": N_("It is a tenuous tie at the moment."),
    "cut_off": N_("The tie is cut off at the moment."),
}


def _kinds(t: Translator, kinds: Sequence[str]) -> tuple[str, ...]:
    """The kinds of support in words, as a list a translation may mutate word by word (``{kinds:soft}``)."""
    return tuple(t(SUPPORTS[kind].label).lower() for kind in kinds)


#: What :func:`support_words` says for each way support can go: to the person ("you"), and of them.
_SUPPORT_SAID: dict[str, tuple[str, str]] = {
    "not asked": (
        N_("We have not talked about support with {name} yet."),
        N_("Support with {name} has not been talked about yet."),
    ),
    "none": (
        N_("No support goes either way between you and {name} at the moment."),
        N_("No support goes either way between {person} and {name} at the moment."),
    ),
    "both": (N_("You and {name} support each other: {kinds}."), N_("{person} and {name} support each other: {kinds}.")),
    "gets": (N_("You get support from {name}: {kinds}."), N_("{person} gets support from {name}: {kinds}.")),
    "gives": (N_("You give {name} support: {kinds}."), N_("{person} gives {name} support: {kinds}.")),
}


def support_words(tie: Tie, *, t: Translator | None = None, person: str | None = None) -> list[str]:
    """Which way support goes between the person and ``tie``: said to the person ("you"), or, given the
    ``person``'s name, of them (as a reader of the attachment reads it).

    "Not asked yet" and "none either way" are said differently.

    >>> from ecomap.model import example
    >>> mam = example().tie("t1")
    >>> support_words(mam.model_copy(update={"support": {"emotional": "both", "practical": "gives"}}))
    ['You and Mam support each other: emotional.', 'You give Mam support: practical.']
    >>> support_words(mam.model_copy(update={"support": {"emotional": "gets", "practical": "gives"}}), person="Alys")
    ['Alys gets support from Mam: emotional.', 'Alys gives Mam support: practical.']
    >>> support_words(mam.model_copy(update={"support": {}}))
    ['No support goes either way between you and Mam at the moment.']
    >>> support_words(mam.model_copy(update={"support": None}))
    ['We have not talked about support with Mam yet.']
    """
    t = t or translator()
    voice = 0 if person is None else 1

    def said(way: str, kinds: Sequence[str] = ()) -> str:
        return t(_SUPPORT_SAID[way][voice], name=tie.name, person=person, kinds=_kinds(t, kinds))

    if tie.support is None:
        return [said("not asked")]
    if not tie.support:
        return [said("none")]
    ways = {way: [kind for kind, each in tie.support.items() if each == way] for way in ("both", "gets", "gives")}
    return [said(way, kinds) for way, kinds in ways.items() if kinds]


def _sentence(tie: Tie, t: Translator) -> str:
    if tie.status == "hoped_for":
        said = [t("You would like {name} in your life.", name=tie.name)]
    elif tie.status == "past":
        said = [t("{name} was part of your life.", name=tie.name)]
    else:
        if tie.frequency:
            said = [t("You see {name} {often}.", name=tie.name, often=t(_FREQUENCY_WORDS[tie.frequency]))]
        else:
            said = [t(_IN_THE_RING[tie.sector], name=tie.name)]
        said.append(t(_STRENGTH_WORDS[tie.strength]))
        said += support_words(tie, t=t)
    if tie.stressful:
        said.append(t("It can be stressful."))
    if tie.own_words:
        said.append(t("In your words: “{words}”.", words=tie.own_words.rstrip(".").strip()))
    return " ".join(said)


def read_back(m: EcoMap, *, t: Translator | None = None) -> list[str]:
    """The map said back to the person, for them to confirm: one sentence for each tie, then their
    strengths and what matters to them.

    Spoken to the person ("you"). The ties in the person's life now come first, then those hoped
    for, then those in the past; within each, the strongest first. Every tie says its strength and
    which way support goes.

    >>> from ecomap.model import example
    >>> print(read_back(example())[0])
    You see Mam every day. It is a strong tie. You and Mam support each other: emotional.
    In your words: “She rings me every morning”.
    """
    t = t or translator()
    order = {"strong": 0, "moderate": 1, "tenuous": 2, "cut_off": 3}
    status_order = {"current": 0, "hoped_for": 1, "past": 2}
    ties = sorted(m.ties, key=lambda tie: (status_order[tie.status], order[tie.strength]))
    sentences = [_sentence(tie, t) for tie in ties]
    if m.person.strengths:
        sentences.append(t("Your strengths: {items}.", items="; ".join(m.person.strengths)))
    if m.person.what_matters:
        sentences.append(t("What matters to you: {items}.", items="; ".join(m.person.what_matters)))
    return sentences


def summary_line(m: EcoMap, *, t: Translator | None = None) -> str:
    """The map in one sentence: the short text alternative for the drawing (the table lists everyone).

    >>> from ecomap.model import example
    >>> summary_line(example())
    'Alys’s ecomap. Ties now: 1 (family 1, community 0, services 0). Strong: 1. Can be stressful: 0.'
    """
    t = t or translator()
    counted = counts(m)
    return t(
        "{person}’s ecomap. Ties now: {n} (family {family}, community {community}, services {services}). "
        "Strong: {strong}. Can be stressful: {stressful}.",
        person=m.person.called,
        n=counted["ties"],
        **{name: counted[name] for name in (*SECTORS, "strong", "stressful")},
    )


def _kind_words(t: Translator, person: str, kind: str, gets: int, gives: int, both: int) -> str:
    """How much of one kind of support the person gets and gives, and with how many ties it goes both ways."""
    label = t(SUPPORTS[kind].label).lower()
    said = {"person": person, "kind": label, "gives": gives, "both": both}
    if both:
        return t.plural(
            "{person} gets {kind} support from {n} tie and gives it to {gives}; it goes both ways with {both} of them.",
            "{person} gets {kind} support from {n} ties and gives it to {gives}; it goes both ways with {both} of "
            "them.",
            gets,
            **said,
        )
    if gets and gives:
        return t.plural(
            "{person} gets {kind} support from {n} tie and gives it to {gives}.",
            "{person} gets {kind} support from {n} ties and gives it to {gives}.",
            gets,
            **said,
        )
    if gets:
        return t.plural(
            "{person} gets {kind} support from {n} tie.", "{person} gets {kind} support from {n} ties.", gets, **said
        )
    if gives:
        return t.plural(
            "{person} gives {kind} support to {n} tie.", "{person} gives {kind} support to {n} ties.", gives, **said
        )
    return t("No {kind} support is on the map yet.", kind=label)


def measures_in_words(m: EcoMap, *, t: Translator | None = None) -> dict[str, str]:
    """The map's measures (:func:`ecomap.analysis.measures`) as sentences, each keyed by what it tells.

    Counts of ties, never a share, a key or an id: "7 of 9 ties are family or community". The
    attachment lists them; the Versions page sets two maps' sentences side by side, those that
    differ. A map with no current ties has only its ``size``.

    >>> from ecomap.model import example
    >>> words = measures_in_words(example())
    >>> list(words)  # doctest: +NORMALIZE_WHITESPACE
    ['size', 'informal', 'strong', 'stressful', 'both_ways', 'multiplex', 'support:emotional', 'support:practical',
     'support:information', 'support:social']
    >>> words["size"]
    '1 tie is part of Alys’s life now: 1 in family, 0 in community and 0 in services.'
    >>> words["support:emotional"], words["support:practical"]  # doctest: +NORMALIZE_WHITESPACE
    ('Alys gets emotional support from 1 tie and gives it to 1; it goes both ways with 1 of them.',
     'No practical support is on the map yet.')
    >>> measures_in_words(example(), t=translator("cy"))["strong"]
    'Mae 1 cysylltiad allan o 1 yn gryf.'
    """
    from ecomap.graph import tie_graph  # networkx, only when the measures are asked for

    t = t or translator()
    person = m.person.called
    c = counts(m)
    size = c["ties"]
    if size == 0:
        return {"size": t("No ties are marked as part of {person}’s life now.", person=person)}
    words = {
        "size": t.plural(
            "{n} tie is part of {person}’s life now: {family} in family, {community} in community and {services} in "
            "services.",
            "{n} ties are part of {person}’s life now: {family} in family, {community} in community and {services} "
            "in services.",
            size,
            person=person,
            **{sector: c[sector] for sector in SECTORS},
        ),
        "informal": t.plural(
            "{n} of {total} ties is family or community.",
            "{n} of {total} ties are family or community.",
            size - c["services"],
            total=size,
        ),
        "strong": t.plural(
            "{n} of {total} ties is strong.", "{n} of {total} ties are strong.", c["strong"], total=size
        ),
        "stressful": t.plural(
            "{n} of {total} ties can be stressful.", "{n} of {total} ties can be stressful.", c["stressful"], total=size
        ),
        "both_ways": t.plural(
            "Support goes both ways with {both} of the {n} tie where any support goes.",
            "Support goes both ways with {both} of the {n} ties where any support goes.",
            c["flowing"],
            both=c["both_ways"],
        )
        if c["flowing"]
        else t("No support is on the map yet, either way."),
        "multiplex": t.plural(
            "More than one kind of support goes between {person} and {multiplex} of {n} tie.",
            "More than one kind of support goes between {person} and {multiplex} of {n} ties.",
            size,
            person=person,
            multiplex=c["multiplex"],
        ),
    }
    for kind in SUPPORTS:
        words[f"support:{kind}"] = _kind_words(
            t, person, kind, c[f"gets_{kind}"], c[f"gives_{kind}"], c[f"both_{kind}"]
        )
    if size >= 2:
        pairs, alone = tie_graph(m).number_of_edges(), len(measures(m)["isolates"])
        if not pairs:
            words["links"] = t("No one on the map is linked as knowing anyone else on it yet.")
            return words
        words["links"] = t.plural(
            "{n} pair of people on the map knows each other.", "{n} pairs of people on the map know each other.", pairs
        )
        words["unlinked"] = (
            t.plural(
                "{n} tie is not linked to anyone else on the map.",
                "{n} ties are not linked to anyone else on the map.",
                alone,
            )
            if alone
            else t("Every tie is linked to someone else on the map.")
        )
    return words


def tie_rows(m: EcoMap, *, t: Translator | None = None) -> list[dict[str, str]]:
    """The ties as rows of words, one a tie, with column names in the reader's language: the map as a table.

    >>> from ecomap.model import example
    >>> row = tie_rows(example())[0]
    >>> row["Name"], row["Ring"], row["Gets"], row["Gives"], row["Stressful"]
    ('Mam', 'Family', 'Emotional', 'Emotional', '')
    """
    t = t or translator()

    def label(table: Mapping[str, Term], value: str | None) -> str:
        return t(table[value].label) if value else ""

    return [
        {
            t("Name"): tie.name,
            t("Role"): role_label(tie.role, t),
            t("Ring"): label(SECTORS, tie.sector),
            t("Strength"): label(STRENGTHS, tie.strength),
            t("Stressful"): t("Yes") if tie.stressful else "",
            t("Gets"): ", ".join(t(SUPPORTS[kind].label) for kind in tie.gets),
            t("Gives"): ", ".join(t(SUPPORTS[kind].label) for kind in tie.gives),
            t("Contact"): label(FREQUENCIES, tie.frequency),
            t("Status"): label(STATUSES, tie.status),
            t("In their own words"): tie.own_words,
        }
        for tie in m.ties
    ]
