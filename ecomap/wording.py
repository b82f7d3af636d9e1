"""A gentle language check: deficit and jargon phrases in notes, own words and plan text, in English and Welsh.

The phrases and their strengths-based alternatives are a data file (``wording.json``),
curated by practitioners, not code. Nothing is changed: suggestions are offered.

Both lists are checked whatever the session's language: the language of a note is its writer's,
and a practitioner in a Welsh session may write in English (and the other way round). Each
suggestion's alternative is in the phrase's own language; why it is offered is in the reader's
(:meth:`Suggestion.why_in`). A Welsh phrase is also found with its first word mutated ("yn
ddefnyddiwr gwasanaeth", "o deulu camweithredol"), and with either apostrophe.

Examples
--------
>>> [s.phrase for s in check("He refused to engage with the service user group.")]
['refused to engage', 'service user']
>>> [(s.phrase, s.language) for s in check("Mae hi’n ddefnyddiwr gwasanaeth ers blwyddyn.")]
[('defnyddiwr gwasanaeth', 'cy')]
>>> check("Alys sings with the choir.")
[]
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ecomap.i18n import DEFAULT_LANGUAGE, MUTATIONS, mutate
from ecomap.model import EcoMap

__all__ = ["Suggestion", "check", "check_map"]


@dataclass(frozen=True)
class Suggestion:
    """A phrase found in some text, a strengths-based way to say it (in the phrase's language), and why."""

    where: str
    phrase: str
    alternative: str
    why: str
    #: The language the phrase is written in ("en", "cy"): the alternative is in it too.
    language: str = DEFAULT_LANGUAGE
    #: Why the suggestion is offered, in each language Ecomap speaks.
    reasons: Mapping[str, str] = field(default_factory=dict, compare=False)

    def why_in(self, language: str) -> str:
        """Why the suggestion is offered, in the reader's ``language`` (English where there is none)."""
        return self.reasons.get(language) or self.reasons.get(DEFAULT_LANGUAGE) or self.why


@dataclass(frozen=True)
class _Phrase:
    pattern: re.Pattern[str]
    phrase: str
    alternative: str
    language: str
    reasons: Mapping[str, str]


def _written(phrase: str, language: str) -> list[str]:
    """The ways the phrase may be written: a Welsh one also with each mutation of its first word."""
    if language != "cy":
        return [phrase]
    first, _, rest = phrase.partition(" ")
    forms = dict.fromkeys([first, *(mutate(first, mutation) for mutation in MUTATIONS)])
    return [f"{form} {rest}".rstrip() for form in forms]


def _pattern(entry: Mapping[str, object]) -> re.Pattern[str]:
    ways = [re.escape(way).replace("’", "['’]") for way in _written(str(entry["phrase"]), str(entry["language"]))]
    flags = 0 if entry.get("case_sensitive") else re.IGNORECASE
    return re.compile(rf"(?<!\w)(?:{'|'.join(ways)})(?!\w)", flags)


@cache
def _phrases() -> tuple[_Phrase, ...]:
    """Every phrase of the list, in English and Welsh, the longest first (a longer phrase wins over a part of it)."""
    data = json.loads((Path(__file__).with_name("wording.json")).read_text(encoding="utf-8"))
    entries = sorted(data["phrases"], key=lambda entry: -len(entry["phrase"]))
    return tuple(_Phrase(_pattern(e), e["phrase"], e["alternative"], e["language"], dict(e["why"])) for e in entries)


def check(text: str, *, where: str = "") -> list[Suggestion]:
    """Suggestions for one text, in the order the phrases appear; a longer phrase wins over a part of it."""
    found: list[tuple[int, Suggestion]] = []
    taken: list[range] = []
    for entry in _phrases():
        for match in entry.pattern.finditer(text):
            span = range(match.start(), match.end())
            if any(span.start < other.stop and other.start < span.stop for other in taken):
                continue
            taken.append(span)
            why = entry.reasons.get(entry.language) or entry.reasons[DEFAULT_LANGUAGE]
            found.append(
                (match.start(), Suggestion(where, entry.phrase, entry.alternative, why, entry.language, entry.reasons))
            )
    return [suggestion for _, suggestion in sorted(found, key=lambda pair: pair[0])]


def check_map(m: EcoMap) -> list[Suggestion]:
    """Suggestions for every note, own words and plan text on the map, each saying where it is."""
    suggestions: list[Suggestion] = []
    for i, tie in enumerate(m.ties):
        suggestions += check(tie.notes, where=f"ties[{i}].notes")
        suggestions += check(tie.own_words, where=f"ties[{i}].own_words")
    for i, item in enumerate(m.plan):
        suggestions += check(item.action, where=f"plan[{i}].action")
    return suggestions
