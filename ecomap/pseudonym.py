"""A map with its names taken out, for supervision, training and research.

The person becomes their initials; each tie becomes its role ("Friend", "GP"), numbered
when a role repeats, or its initials when it has no role. Wherever a name, or a
capitalised word of one, appears in free text (own words, what matters, strengths,
plan), it is replaced the same way; a word shared by several names becomes "[…]".
Names that are not on the map (a doctor named only in someone's own words) cannot be
known and stay: the copy is for reading through before it is shared. The practitioner's
notes are left out altogether, and the map gets a new id, so the copy cannot be matched
back to the record by either.

Examples
--------
>>> from ecomap.model import example
>>> m = pseudonymise(example())
>>> m.person.name, m.ties[0].name, m.ties[0].own_words
('A. P.', 'Mam', 'She rings me every morning')
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping

from ecomap.i18n import Translator, translator
from ecomap.model import EcoMap, Tie
from ecomap.vocab import ROLES

__all__ = ["initials", "pseudonymise", "pseudonyms"]


def initials(name: str) -> str:
    """The initials of a name, one per word.

    >>> initials("Gwenllian ap Rhys-Owen")
    'G. A. R.'
    """
    letters = [word[0].upper() for word in re.split(r"[\s]+", name.strip()) if word and word[0].isalnum()]
    return ". ".join(letters) + "." if letters else "?"


def _role_label(tie: Tie, t: Translator) -> str:
    if tie.role in ROLES:
        return t(ROLES[tie.role].label)
    return tie.role.strip()


def pseudonyms(m: EcoMap, *, t: Translator | None = None) -> dict[str, str]:
    """The name each tie gets, keyed by tie id (and the person's under ``""``)."""
    t = t or translator()
    labels = {tie.id: _role_label(tie, t) for tie in m.ties}
    counts = Counter(label for label in labels.values() if label)
    seen: Counter[str] = Counter()
    names = {"": initials(m.person.name)}
    for tie in m.ties:
        label = labels[tie.id]
        label = label[:1].upper() + label[1:]
        if not label:
            names[tie.id] = initials(tie.name)
        elif counts[label] > 1:
            seen[label] += 1
            names[tie.id] = f"{label} {seen[label]}"
        else:
            names[tie.id] = label
    return names


def _replacer(replacements: Mapping[str, str]) -> re.Pattern[str] | None:
    words = sorted((w for w in replacements if len(w) >= 2), key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


def _scrub(text: str, pattern: re.Pattern[str] | None, replacements: Mapping[str, str]) -> str:
    if pattern is None or not text:
        return text
    text = pattern.sub(lambda match: replacements[match.group(0).casefold()], text)
    for pseudonym in set(replacements.values()):
        # "Gofal Gartref" is two parts of one name: one pseudonym, not two.
        text = re.sub(rf"(?<!\w){re.escape(pseudonym)}(?:\s+{re.escape(pseudonym)})+(?!\w)", pseudonym, text)
    return text


def _text_replacements(m: EcoMap, names: Mapping[str, str]) -> dict[str, str]:
    """Every way a name may be written in free text, casefolded, and what replaces it."""
    person = names[""]
    owners: dict[str, set[str]] = {}
    for tie in m.ties:
        for part in _name_parts(tie.name):
            owners.setdefault(part.casefold(), set()).add(tie.id)
    replacements = {part: names[ids.pop()] if len(ids) == 1 else "[…]" for part, ids in owners.items()}
    for part in (m.person.name, m.person.preferred_name, *_name_parts(m.person.name)):
        if len(part.strip()) >= 2:
            replacements[part.strip().casefold()] = person
    for tie in m.ties:
        replacements[tie.name.strip().casefold()] = names[tie.id]
    return replacements


def _name_parts(name: str) -> list[str]:
    """The words of a name that look like names themselves (capitalised, three letters or more)."""
    return [word for word in re.findall(r"[^\W\d_][\w'’-]*", name) if word[0].isupper() and len(word) >= 3]


def pseudonymise(m: EcoMap, *, t: Translator | None = None, map_id: str | None = None) -> EcoMap:
    """A copy of ``m`` with names replaced by roles or initials and notes left out."""
    names = pseudonyms(m, t=t)
    # A role written by hand may hold a name ("Jac's mum"): take names out of the pseudonyms too.
    first = _text_replacements(m, names)
    names = {key: _scrub(name, _replacer(first), first) for key, name in names.items()}
    replacements = _text_replacements(m, names)
    pattern = _replacer(replacements)

    def scrub(text: str) -> str:
        return _scrub(text, pattern, replacements)

    def scrub_all(lines: Iterable[str]) -> tuple[str, ...]:
        return tuple(scrub(line) for line in lines)

    person = m.person.model_copy(
        update={
            "name": names[""],
            "preferred_name": "",
            "pronouns": m.person.pronouns,
            "what_matters": scrub_all(m.person.what_matters),
            "strengths": scrub_all(m.person.strengths),
        }
    )
    ties = tuple(
        tie.model_copy(
            update={
                "name": names[tie.id],
                "role": tie.role if tie.role in ROLES else scrub(tie.role),
                "own_words": scrub(tie.own_words),
                "notes": "",
            }
        )
        for tie in m.ties
    )
    plan = tuple(item.model_copy(update={"action": scrub(item.action), "who": scrub(item.who)}) for item in m.plan)
    return EcoMap.from_dict(
        m.replace(id=map_id or str(uuid.uuid4()), title="", person=person, ties=ties, plan=plan).to_dict()
    )
