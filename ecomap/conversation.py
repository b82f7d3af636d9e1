"""The guided conversation: open questions one at a time, and the map read back in plain words.

In the spirit of OARS: each question is open, each answer is met with an affirmation,
and the summary reflects the map back for the person to confirm or correct.

Examples
--------
>>> [p.id for p in PROMPTS]
['most_days', 'two_am', 'you_help', 'groups', 'services', 'see_more']
>>> from ecomap.model import example
>>> read_back(example())[0]
'Alys sees Mam every day, and they support each other. In Alys’s words: “She rings me every morning”.'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ecomap.analysis import counts
from ecomap.i18n import Translator, translator
from ecomap.model import EcoMap, Tie
from ecomap.vocab import FLOWS, FREQUENCIES, N_, SECTORS, STATUSES, STRENGTHS, SUPPORTS, Term

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
        {"support": ["emotional", "practical"], "flow": "to_person", "strength": "strong"},
        N_("It matters to know {name} is there for you."),
    ),
    Prompt(
        "you_help",
        N_("Who do you help or look out for?"),
        N_("Caring, listening, lending a hand: what you give counts too."),
        "family",
        {"flow": "from_person", "support": ["practical"]},
        N_("You do a lot for {name}: that is a real strength."),
    ),
    Prompt(
        "groups",
        N_("Where do you go, or what are you part of?"),
        N_("Clubs, chapel or church, work, school, a café, a choir, a team."),
        "community",
        {"kind": "group", "support": ["social"]},
        N_("{name} is a connection worth keeping on the map."),
    ),
    Prompt(
        "services",
        N_("Which services or professionals are involved at the moment?"),
        N_("The GP, a support worker, school staff, housing, a charity."),
        "services",
        {"kind": "organisation", "flow": "to_person"},
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


def _sentence(m: EcoMap, tie: Tie, t: Translator) -> str:
    person = m.person.called
    if tie.status == "hoped_for":
        text = t("{person} would like {name} in their life.", person=person, name=tie.name)
    elif tie.status == "past":
        text = t("{name} was part of {person}’s life.", person=person, name=tie.name)
    elif tie.frequency:
        text = t("{person} sees {name} {often}", person=person, name=tie.name, often=t(_FREQUENCY_WORDS[tie.frequency]))
        text += {
            "both": t(", and they support each other."),
            "to_person": t(", and {name} is a support.", name=tie.name),
            "from_person": t(", and {person} gives support.", person=person),
            "none": ".",
        }[tie.flow]
    else:
        text = t(
            "{name} is part of {person}’s {sector}.",
            person=person,
            name=tie.name,
            sector=t(SECTORS[tie.sector].label).lower(),
        )
    if tie.stressful:
        text += " " + t("This tie can be stressful.")
    if tie.own_words:
        text += " " + t("In {person}’s words: “{words}”.", person=person, words=tie.own_words.rstrip(".").strip())
    return text


def read_back(m: EcoMap, *, t: Translator | None = None) -> list[str]:
    """The map in plain sentences, for the person to confirm: one for each tie, and what matters last.

    The ties in the person's life now come first, then those hoped for, then those in the past;
    within each, the strongest first.
    """
    t = t or translator()
    order = {"strong": 0, "moderate": 1, "tenuous": 2, "cut_off": 3}
    status_order = {"current": 0, "hoped_for": 1, "past": 2}
    ties = sorted(m.ties, key=lambda tie: (status_order[tie.status], order[tie.strength]))
    sentences = [_sentence(m, tie, t) for tie in ties]
    if m.person.what_matters:
        sentences.append(
            t("What matters to {person}: {items}.", person=m.person.called, items="; ".join(m.person.what_matters))
        )
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
    >>> row["Name"], row["Ring"], row["Support flows"], row["Stressful"]
    ('Mam', 'Family', 'Support both ways', '')
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
            t("Support flows"): label(FLOWS, tie.flow),
            t("Support"): ", ".join(t(SUPPORTS[s].label) for s in tie.support),
            t("Contact"): label(FREQUENCIES, tie.frequency),
            t("Status"): label(STATUSES, tie.status),
            t("In their own words"): tie.own_words,
        }
        for tie in m.ties
    ]
