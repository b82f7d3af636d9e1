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

from ecomap.analysis import counts
from ecomap.i18n import Translator, translator
from ecomap.model import EcoMap, Tie
from ecomap.vocab import FREQUENCIES, N_, SECTORS, STATUSES, STRENGTHS, SUPPORTS, Term

__all__ = ["PROMPTS", "Prompt", "read_back", "summary_line", "tie_rows"]


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


def _kinds(t: Translator, kinds: Sequence[str]) -> str:
    return ", ".join(t(SUPPORTS[kind].label).lower() for kind in kinds)


def support_words(tie: Tie, *, t: Translator | None = None) -> list[str]:
    """Which way support goes between the person and ``tie``, said to the person ("you").

    "Not asked yet" and "none either way" are said differently.

    >>> from ecomap.model import example
    >>> mam = example().tie("t1")
    >>> support_words(mam.model_copy(update={"support": {"emotional": "both", "practical": "gives"}}))
    ['You and Mam support each other: emotional.', 'You give Mam support: practical.']
    >>> support_words(mam.model_copy(update={"support": {}}))
    ['No support goes either way between you and Mam at the moment.']
    >>> support_words(mam.model_copy(update={"support": None}))
    ['We have not talked about support with Mam yet.']
    """
    t = t or translator()
    if tie.support is None:
        return [t("We have not talked about support with {name} yet.", name=tie.name)]
    if not tie.support:
        return [t("No support goes either way between you and {name} at the moment.", name=tie.name)]
    ways = {way: [kind for kind, said in tie.support.items() if said == way] for way in ("both", "gets", "gives")}
    said = {
        "both": N_("You and {name} support each other: {kinds}."),
        "gets": N_("You get support from {name}: {kinds}."),
        "gives": N_("You give {name} support: {kinds}."),
    }
    return [t(said[way], name=tie.name, kinds=_kinds(t, kinds)) for way, kinds in ways.items() if kinds]


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
            t("Role"): tie.role,
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
