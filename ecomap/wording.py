"""A gentle language check: deficit and jargon phrases in notes, own words and plan text.

The phrases and their strengths-based alternatives are a data file (``wording.json``),
curated by practitioners, not code. Nothing is changed: suggestions are offered.

Examples
--------
>>> [s.phrase for s in check("He refused to engage with the service user group.")]
['refused to engage', 'service user']
>>> check("Alys sings with the choir.")
[]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ecomap.model import EcoMap

__all__ = ["Suggestion", "check", "check_map"]


@dataclass(frozen=True)
class Suggestion:
    """A phrase found in some text, and a strengths-based way to say it."""

    where: str
    phrase: str
    alternative: str
    why: str


@cache
def _phrases() -> tuple[tuple[re.Pattern[str], str, str, str], ...]:
    data = json.loads((Path(__file__).with_name("wording.json")).read_text(encoding="utf-8"))
    entries = sorted(data["phrases"], key=lambda entry: -len(entry["phrase"]))
    return tuple(
        (
            re.compile(rf"(?<!\w){re.escape(e['phrase'])}(?!\w)", 0 if e.get("case_sensitive") else re.IGNORECASE),
            e["phrase"],
            e["alternative"],
            e["why"],
        )
        for e in entries
    )


def check(text: str, *, where: str = "") -> list[Suggestion]:
    """Suggestions for one text, in the order the phrases appear; a longer phrase wins over a part of it."""
    found: list[tuple[int, Suggestion]] = []
    taken: list[range] = []
    for pattern, phrase, alternative, why in _phrases():
        for match in pattern.finditer(text):
            span = range(match.start(), match.end())
            if any(span.start < other.stop and other.start < span.stop for other in taken):
                continue
            taken.append(span)
            found.append((match.start(), Suggestion(where, phrase, alternative, why)))
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
