"""A map with its names taken out, for supervision, training and research.

The person becomes their initials; each tie becomes its role ("Friend", "GP"), numbered
when a role repeats, or its initials when it has no role. Then every free text (own words,
what matters, strengths, the plan's actions and who does them, a role written by hand,
pronouns) goes through two rules, and nothing else in it is ever rewritten.

**A name on the map is replaced** by that tie's new name, wherever it is written: the whole
name ("Beti next door"), and each word of a person's or a pet's name ("Beti"), longest
first, as whole words only (a tie called Art leaves "artist" and "Martha" alone), with any
accents, apostrophe or hyphen (Sian is Siân, "Siân's" becomes "Friend's"; "Rhys-Owen" is
one word, so a tie called Owen leaves it to the second rule). A title before the name goes
with it ("Dr Rhys" becomes "GP"). A group's, an organisation's or a place's name is
replaced whole, or by two or more of its capitalised words together ("Gofal Gartref"); one
of its words alone ("Penllyn", "Bala") is a place, and meets the second rule. A word shared
by the names of several ties becomes "[…]". How a word is written decides:

- a name that is not also a word (Siân, Dafydd) is replaced however it is written;
- a word that is never a name by itself (:data:`NOT_NAMES`: Mam, Nain, School) names the
  tie only with a capital: "Mam" is the tie called Mam, "mam" in Welsh is any mother;
- a name that is also an everyday word (:data:`ORDINARY_NAMES`: Art, Grace, Will, May) is
  replaced with a capital inside a sentence; written small it is the word ("Good at art"
  stays), and at the start of a sentence it could be either ("Will you come?"), so the text
  is left out rather than guessed; a day or a month (:data:`CALENDAR`: May, Medi) is left
  out the same way wherever it is capitalised.

**Any other word that may be a name leaves the whole text out**, in its place
:data:`LEFT_OUT` in the reader's language: a word can be guessed to be a name, never
what to put instead. A word may be a name when it is capitalised and not at the start of a
sentence or line ("I like it when Sue comes", "3 Stryd Fawr"), unless it is a word of
:data:`NOT_NAMES` (I, the days, role labels in every language, Welsh, GP) or an acronym of
up to four capitals (NHS, CV); when it comes after a title ("Dr Owen", "dr owen"); when the
same word is capitalised like that anywhere else on the map, the practitioner's notes and
the record included ("Sue" at the start of a sentence, when a note says "visit with Sue");
in who does a plan step, at the start as well ("Sue"); and in a role written by hand, a
first word with an apostrophe or standing alone ("Jac's mum", "Terry"). A strength or a
line of what matters is one text: that item is left out and the others stay. A role left
out gives the tie its initials.

The practitioner's notes, the title and the record are left out altogether, the date of
birth and any other field this module does not know is cleared, tie and plan ids are
renumbered, and the map gets a new id, so the copy cannot be matched back to the record.

What it cannot know: a name not on the map at the very start of a sentence, written only
there ("Rhian does my legs"), cannot be told from an ordinary word without a dictionary,
and stays; a Welsh mutation of a name on the map ("i Ddafydd") is not matched as that name
(capitalised inside a sentence, it leaves the text out). The copy is for reading through
before it is shared.

Examples
--------
>>> from ecomap.model import example
>>> m = pseudonymise(example())
>>> m.person.name, m.ties[0].name, m.ties[0].own_words
('A. P.', 'Mam', 'She rings me every morning')
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from pydantic import BaseModel

from ecomap.i18n import LANGUAGES, Translator, translator
from ecomap.model import LINE_MAX, NAME_MAX, ROLE_MAX, TEXT_MAX, EcoMap
from ecomap.vocab import N_, ROLES

__all__ = [
    "CALENDAR",
    "LEFT_OUT",
    "NOT_NAMES",
    "ORDINARY_NAMES",
    "SHARED",
    "TITLES",
    "initials",
    "pseudonymise",
    "pseudonyms",
]

#: What stands in for a text, a strength or a line of what matters that is left out because a word in
#: it may name someone.
LEFT_OUT = N_("[Left out: it may name someone]")
#: What stands in for a word that is part of the names of several ties (two people called Siân).
SHARED = "[…]"

#: Titles written before a name, with or without a full stop: the word after one is a name ("Dr Owen"),
#: and a title goes with the name on the map it stands before.
TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "rev", "revd", "cllr", "st", "sgt", "parch"})

#: The days and months in English and Welsh. Never a name by themselves; but a tie called May or Medi
#: cannot be told from the month, so a text where that name is capitalised is left out.
CALENDAR = frozenset(
    {
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
        *("llun", "mawrth", "mercher", "iau", "gwener", "sadwrn", "sul"),
        *("ionawr", "chwefror", "ebrill", "mai", "mehefin", "gorffennaf", "awst", "medi"),
        *("hydref", "tachwedd", "rhagfyr"),
    }
)

#: Names that are also everyday words, English or Welsh: written small they are the word ("good at
#: art"), capitalised inside a sentence the name, and at the start of a sentence either.
ORDINARY_NAMES = frozenset(
    {
        *("art", "grace", "hope", "will", "may", "faith", "joy", "rose", "daisy", "holly", "ivy", "lily"),
        *("iris", "dawn", "summer", "autumn", "amber", "ruby", "pearl", "jade", "violet", "heather"),
        *("hazel", "rowan", "robin", "wren", "fern", "poppy", "olive", "sage", "jack", "bill", "mark"),
        *("frank", "rob", "sue", "pat", "ray", "drew", "dean", "grant", "miles", "rich", "sandy", "penny"),
        *("carol", "mercy", "patience", "honour", "honor", "sunny", "rusty", "lucky", "angel", "star"),
        *("sky", "river", "brook", "cliff", "chase", "hunter", "storm", "pepper", "ginger", "honey"),
        *("bear", "tiger", "smudge", "shadow", "buster", "teddy", "major", "king", "duke", "prince"),
        *("nick", "pip", "kit", "guy", "don", "bob", "melody", "harmony", "destiny", "liberty"),
        *("haf", "gwen", "eira", "awen", "alaw", "seren", "heulwen", "hedd", "celyn", "derwen", "afon"),
        *("gwawr", "enfys", "glain", "eos", "teg"),
        *CALENDAR,
    }
)

#: Words that are capitalised without naming anyone: "I", the words of every role label in every
#: language, family words, pronouns, the services people name by what they are, languages, titles
#: and the calendar. A tie called by one of them (Mam, Nain) is that tie only when capitalised.
NOT_NAMES = frozenset(
    {
        *("i", "me", "my", "mine", "myself", "we", "us", "our", "you", "your", "he", "him", "his", "she"),
        *("her", "they", "them", "their", "it", "the", "a", "an", "this", "that", "both", "all"),
        *("everyone", "everybody", "together", "nobody", "someone", "somebody", "ok"),
        *("fi", "mi", "ni", "chi", "nhw", "fo", "fe", "hi", "fy", "ein", "eich", "eu", "ei", "y", "yr"),
        *("pawb", "dim"),
        *("mam", "mum", "mummy", "mom", "mother", "dad", "daddy", "father", "tad", "nan", "nana", "nanna"),
        *("nain", "taid", "gran", "granny", "grandma", "grandad", "granddad", "grandpa", "mamgu", "tadcu"),
        *("auntie", "aunty", "aunt", "uncle", "anti", "yncl", "modryb", "ewythr", "cousin", "sister"),
        *("brother", "son", "daughter", "wife", "husband", "partner", "family", "teulu", "brawd"),
        *("chwaer", "mab", "merch", "gwr", "gwraig", "baby", "babi", "sir", "syr", "miss"),
        *("gp", "doctor", "nurse", "nyrs", "meddyg", "teacher", "athro", "athrawes", "coach", "carer"),
        *("carers", "gofalwr", "gofalwyr", "counsellor", "mentor", "manager", "officer", "worker"),
        *("keyworker", "volunteer", "vicar", "minister", "gweinidog", "warden", "staff", "team", "tim"),
        *("social", "services", "service", "council", "cyngor", "probation", "jobcentre", "district"),
        *("housing", "school", "ysgol", "college", "coleg", "hospital", "ysbyty", "surgery", "meddygfa"),
        *("pharmacy", "fferyllfa", "chapel", "capel", "church", "eglwys", "choir", "cor", "club", "clwb"),
        *("group", "grwp", "centre", "canolfan", "food", "bank", "library", "llyfrgell", "police"),
        *("heddlu", "ambulance", "benefits", "care", "gofal", "home", "cartref", "support", "health"),
        *("iechyd", "mental", "children", "plant", "youth", "advice", "charity", "elusen", "job", "work"),
        *("gwaith", "scheme", "hostel", "llys", "ty"),
        *("welsh", "english", "cymraeg", "saesneg", "cymro", "cymraes", "cymru", "wales", "british"),
        *("britain", "scottish", "irish", "god", "duw", "christmas", "nadolig", "easter", "pasg"),
        *("eid", "ramadan", "diwali", "ecomap"),
        *TITLES,
        *CALENDAR,
    }
)

# Titles that are no other word when written small ("st", "rev" and "parch" are).
_SMALL_TITLES = frozenset({"dr", "mr", "mrs", "mx", "prof", "revd", "cllr", "sgt"})
_PERSON_KINDS = ("person", "pet")
# A name's words: letters, joined by apostrophes and hyphens ("Rhys-Owen", "O'Brien").
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’\-‐‑][^\W\d_]+)*")
# The words a text is read in: runs of letters and digits ("Siân's" is "Siân" and "s").
_WORD = re.compile(r"[^\W_]+")
_JOINERS = re.compile(r"['’\-‐‑]")
_SENTENCE_ENDS = frozenset(".!?…")
_AFTER_TITLE = re.compile(r"\.?[ \t]+(?=[^\W_])")
_ONE_FOR_ONE = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "‐": "-", "‑": "-"})
_KEPT = {
    "map": ("schema_version", "created", "person", "ties", "links", "plan"),
    "person": ("language",),
    "tie": ("kind", "sector", "strength", "stressful", "flow", "support", "frequency", "status", "position"),
    "plan": ("by", "done"),
}
# The fields whose text is read below (or replaced by a new name or id); any other text field is
# cleared, and its capitalised words count as names met elsewhere on the map.
_READ = {
    "map": ("id", "title"),
    "person": ("name", "preferred_name", "pronouns", "what_matters", "strengths"),
    "tie": ("id", "name", "role", "own_words", "notes"),
    "plan": ("id", "action", "tie", "who"),
}


class _Case(Enum):
    """How a name on the map must be written to be that name."""

    ANY = "written any way"
    CAPITALISED = "with a capital"
    ORDINARY = "with a capital inside a sentence"
    CALENDAR = "never sure"


class _Mode(Enum):
    """What kind of text is read: prose, a label (a role, pronouns) or who does a plan step."""

    PROSE = "prose"
    LABEL = "label"
    WHO = "who"


def initials(name: str) -> str:
    """The initials of a name, one per word.

    >>> initials("Gwenllian ap Rhys-Owen")
    'G. A. R.'
    """
    letters = [word[0].upper() for word in re.split(r"[\s]+", name.strip()) if word and word[0].isalnum()]
    return ". ".join(letters) + "." if letters else "?"


def _fold(text: str) -> str:
    """``text`` without accents, with one apostrophe and one hyphen: one character for each character."""
    return "".join(map(_fold_char, text))


@cache
def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFD", char)[0].translate(_ONE_FOR_ONE)


def _key(text: str) -> str:
    return " ".join(_fold(text).lower().split())


@cache
def _not_names() -> frozenset[str]:
    words = {_key(word) for word in NOT_NAMES}
    for language in LANGUAGES:
        t = translator(language)
        words |= {_key(word) for role in ROLES.values() for word in _WORD.findall(t(role.label))}
    return frozenset(words)


def _is_title(word: str) -> bool:
    """A title as people write one: capitalised ("Dr", "Parch"), or small where it is no other word ("dr")."""
    key = _key(word)
    return key in TITLES and not word.isupper() and (word[:1].isupper() or key in _SMALL_TITLES)


def _looks_like_a_name(word: str) -> bool:
    """Capitalised, more than an initial, not an acronym (NHS) and not a word of :data:`NOT_NAMES`."""
    if not word[:1].isupper() or len(word) == 1 or (word.isupper() and len(word) <= 4):
        return False
    key = _key(word)
    return key not in _not_names() and not (key.endswith("s") and key[:-1] in _not_names())


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` starts the text, a line or a sentence ("Dr. Owen" and "J. Jones" do not)."""
    end = at
    while end > 0 and not text[end - 1].isalnum():
        end -= 1
    gap = text[end:at]
    if end == 0 or "\n" in gap:
        return True
    if not _SENTENCE_ENDS.intersection(gap):
        return False
    start = end
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    before = text[start:end]
    closes_abbreviation = _key(before) in TITLES or (len(before) == 1 and before.isupper())
    return not (gap.startswith(".") and closes_abbreviation)


def _placed_like_a_name(word: re.Match[str], mode: _Mode) -> bool:
    """Whether a capitalised word stands where only a name would be capitalised."""
    text = word.string
    if mode is _Mode.WHO or not _starts_sentence(text, word.start()):
        return True
    if mode is not _Mode.LABEL:
        return False
    # A role's first word is a name when it stands alone ("Terry") or owns something ("Jac's mum").
    alone = _WORD.search(text, word.end()) is None
    return alone or text.startswith(("'", "’"), word.end())


def _case(key: str) -> _Case:
    if key in CALENDAR:
        return _Case.CALENDAR
    if key in ORDINARY_NAMES:
        return _Case.ORDINARY
    if all(word in _not_names() for word in key.split(" ")):
        return _Case.CAPITALISED
    return _Case.ANY


@dataclass(frozen=True)
class _Term:
    owners: frozenset[str]
    case: _Case


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    name: str
    key: str


def _person_words(name: str) -> Iterator[str]:
    """The words of a person's or a pet's name that are names: "Beti" of "Beti next door", "Owen" of "Rhys-Owen"."""
    for match in _NAME_WORD.finditer(name):
        word = match.group()
        for part in dict.fromkeys([word, *_JOINERS.split(word)]):
            short = len(part) < 2 or (len(part) == 2 and not part[1].islower())
            acronym = part.isupper() and len(part) <= 4
            word_only = _key(part) in _not_names() and _key(part) not in ORDINARY_NAMES
            if part[:1].isupper() and not (short or acronym or word_only):
                yield part


def _proper_names(name: str) -> Iterator[str]:
    """In a group's or a place's name, each run of two or more capitalised words ("Gofal Gartref")."""
    words = list(_NAME_WORD.finditer(name))
    runs: list[list[re.Match[str]]] = []
    for previous, word in zip([None, *words], words, strict=False):
        joined = previous is not None and not name[previous.end() : word.start()].strip()
        if not word.group()[:1].isupper():
            continue
        if joined and runs and runs[-1][-1] is previous:
            runs[-1].append(word)
        else:
            runs.append([word])
    for run in runs:
        for first in range(len(run)):
            for last in range(first + 1, len(run)):
                yield name[run[first].start() : run[last].end()]


def _in_brackets(name: str) -> Iterator[str]:
    """A capitalised name in brackets: "Sam" of "Probation (Sam)", whatever the tie is."""
    for inside in re.findall(r"\(([^()]*)\)", name):
        yield from _person_words(inside)


def _unknown_texts(m: EcoMap) -> Iterator[str]:
    """Every text of the map in a field that is neither read nor kept (the record, say): all left out."""

    def of(record: Mapping[str, Any], part: str) -> Iterator[str]:
        known = {*_READ[part], *_KEPT[part]}
        for field, value in record.items():
            if field not in known:
                yield from _texts_in(value)

    document = m.to_dict()
    yield from of(document, "map")
    yield from of(document["person"], "person")
    for tie in document.get("ties", ()):
        yield from of(tie, "tie")
    for step in document.get("plan", ()):
        yield from of(step, "plan")


def _texts_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from _texts_in(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _texts_in(inner)


class _Names:
    """The names on one map, every way each may be written, and the words on it that may be other names."""

    def __init__(self, m: EcoMap) -> None:
        wholes: dict[str, set[str]] = {}
        parts: dict[str, set[str]] = {}

        def add(table: dict[str, set[str]], text: str, owner: str) -> None:
            key = _key(text)
            if len(key) >= 2:
                table.setdefault(key, set()).add(owner)

        for name in (m.person.name, m.person.preferred_name):
            add(wholes, name, "")
            for word in _person_words(name):
                add(parts, word, "")
        for tie in m.ties:
            add(wholes, tie.name, tie.id)
            words = _person_words(tie.name) if tie.kind in _PERSON_KINDS else _proper_names(tie.name)
            for word in [*words, *_in_brackets(tie.name)]:
                add(parts, word, tie.id)
        # A name written whole beats the same word as part of another name.
        terms = {**parts, **wholes}
        self.terms = {key: _Term(frozenset(owners), _case(key)) for key, owners in terms.items()}
        self.pattern = _pattern(self.terms)
        # What the pattern matched without regard to case, found again (a long s is an s).
        self.found = {key.casefold(): term for key, term in self.terms.items()}
        self.collected: frozenset[str] = frozenset()
        found = {key for text, mode in _texts(m) for key in self._suspects(text, self._spans(text)[0], mode)}
        elsewhere = _unknown_texts(m)
        found |= {key for text in elsewhere for key in self._suspects(text, self._spans(text)[0], _Mode.WHO)}
        self.collected = frozenset(found)

    def _spans(self, text: str, names: Mapping[str, str] | None = None) -> tuple[list[_Span], bool]:
        """Where names on the map are written in ``text``, and whether one could not be told from a word."""
        spans: list[_Span] = []
        unsure = False
        if self.pattern is None or not text:
            return spans, unsure
        for match in self.pattern.finditer(_fold(text)):
            group = "whole" if match.group("whole") is not None else "term"
            start, end = match.span(group)
            written = text[start:end]
            term = self.found.get(_key(written).casefold())
            if term is None:
                continue
            name = _name_for(term, names)
            if term.case is not _Case.ANY and not written[:1].isupper():
                continue
            if term.case is _Case.CALENDAR or (term.case is _Case.ORDINARY and _starts_sentence(text, start)):
                unsure = unsure or _key(written) != _key(name)
                continue
            titled = group == "term" and _is_title(text[slice(*match.span("title"))])
            spans.append(_Span(match.start() if titled else start, end, name, _key(written)))
        return spans, unsure

    def _suspects(self, text: str, spans: list[_Span], mode: _Mode) -> Iterator[str]:
        """The words of ``text``, outside ``spans``, that may name someone: each as its key."""
        covered = {at for span in spans for at in range(span.start, span.end)}
        words = [word for word in _WORD.finditer(text) if word.start() not in covered]
        for index, match in enumerate(words):
            word = match.group()
            if _is_title(word):
                following = _AFTER_TITLE.match(text, match.end())
                if following and index + 1 < len(words) and words[index + 1].start() == following.end():
                    yield _key(words[index + 1].group())
                continue
            if _looks_like_a_name(word) and (_key(word) in self.collected or _placed_like_a_name(match, mode)):
                yield _key(word)

    def scrub(self, text: str, mode: _Mode, names: Mapping[str, str]) -> str | None:
        """``text`` with the names on the map replaced by ``names``; None when it must be left out."""
        if not text.strip():
            return text
        spans, unsure = self._spans(text, names)
        if unsure or next(self._suspects(text, spans, mode), None) is not None:
            return None
        kept: list[str] = []
        at = 0
        last: _Span | None = None
        for span in spans:
            between = text[at : span.start]
            # "Jones Siân" is two words of one name: one new name, not two ("Bet Bet" is two names).
            if not (last and last.name == span.name and last.key != span.key and not between.strip()):
                kept += [between, span.name]
            at, last = span.end, span
        return "".join([*kept, text[at:]])


def _alternatives(keys: Iterable[str]) -> str:
    """One pattern for all of ``keys``, longest first, shared beginnings written once: a map of 500 ties
    has some 1,500 ways to write its names, and trying each in turn at every word is slow."""
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + pattern(child) for char, child in node.items() if char
        ]
        if not branches:
            return ""
        inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A longer name is tried first; the shorter one it begins with is there to fall back on.
        return f"(?:{inner})?" if "" in node else inner

    return pattern(trie)


def _pattern(terms: Mapping[str, _Term]) -> re.Pattern[str] | None:
    if not terms:
        return None
    names = _alternatives(terms)
    titles = _alternatives(TITLES)
    # Whole words only: not inside a word, nor joined to one by a hyphen or an apostrophe ("Rhys-Owen", "O'Brien").
    starts, ends = r"(?<![^\W_])(?<![^\W_]['-])", r"(?![^\W_])(?!-[^\W_])"
    name_or_titled_name = rf"(?P<whole>{names})|(?P<title>{titles})\.?\s+(?P<term>{names})"
    return re.compile(rf"{starts}(?:{name_or_titled_name}){ends}", re.IGNORECASE)


def _name_for(term: _Term, names: Mapping[str, str] | None) -> str:
    if names is None:
        return ""
    found = {names.get(owner, "") for owner in term.owners}
    return found.pop() if len(found) == 1 else SHARED


def _texts(m: EcoMap) -> Iterator[tuple[str, _Mode]]:
    """Every free text of the map, the notes and the title as well, and how each is read."""
    yield m.title, _Mode.PROSE
    yield m.person.pronouns, _Mode.LABEL
    for line in (*m.person.what_matters, *m.person.strengths):
        yield line, _Mode.PROSE
    for tie in m.ties:
        if tie.role not in ROLES:
            yield tie.role, _Mode.LABEL
        yield tie.own_words, _Mode.PROSE
        yield tie.notes, _Mode.PROSE
    for step in m.plan:
        yield step.action, _Mode.PROSE
        yield step.who, _Mode.WHO


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def _fit(text: str, limit: int) -> str:
    """``text``, cut short with an ellipsis when a new name has made it longer than the format allows."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _numbered(m: EcoMap, labels: Mapping[str, str]) -> dict[str, str]:
    counts = Counter(label for label in labels.values() if label)
    seen: Counter[str] = Counter()
    names = {"": initials(m.person.name)}
    for tie in m.ties:
        label = labels.get(tie.id, "")
        if not label:
            names[tie.id] = _fit(initials(tie.name), NAME_MAX)
        elif counts[label] > 1:
            seen[label] += 1
            names[tie.id] = f"{label} {seen[label]}"
        else:
            names[tie.id] = label
    return names


def _pseudonyms(m: EcoMap, on_map: _Names, t: Translator) -> tuple[dict[str, str], dict[str, str | None]]:
    """Each tie's new name (the person's under ``""``), and each role written by hand as it is kept."""
    chips = {tie.id: _capital(t(ROLES[tie.role].label)) for tie in m.ties if tie.role in ROLES}
    written = {tie.id: tie.role for tie in m.ties if tie.role not in ROLES and tie.role.strip()}
    # First the roles that name nobody else on the map, so that "Jac's mum" can become "Son's mum"; a
    # role may be the tie's own name ("Children's services").
    stand_ins = {tie.id: initials(tie.name) for tie in m.ties}
    plain = {
        tie_id: _capital(role)
        for tie_id, role in written.items()
        if on_map.scrub(role, _Mode.LABEL, {**stand_ins, tie_id: role}) == role
    }
    first = _numbered(m, {**chips, **plain})
    roles = {
        tie_id: role if tie_id in plain else on_map.scrub(role, _Mode.LABEL, first) for tie_id, role in written.items()
    }
    labels = {**chips, **{tie_id: _capital(_fit(role, ROLE_MAX)) for tie_id, role in roles.items() if role}}
    return _numbered(m, labels), roles


def pseudonyms(m: EcoMap, *, t: Translator | None = None) -> dict[str, str]:
    """The name each tie gets, keyed by tie id (and the person's under ``""``).

    >>> from ecomap.model import example
    >>> pseudonyms(example())
    {'': 'A. P.', 't1': 'Mam'}
    """
    return _pseudonyms(m, _Names(m), t or translator())[0]


def _cleared(record: BaseModel, kept: Iterable[str], changed: Iterable[str]) -> dict[str, Any]:
    """Every field of ``record`` neither kept nor changed, set back to its default: a field added to the
    format later is left out until this module knows what it holds."""
    known = {*kept, *changed}
    cleared: dict[str, Any] = {}
    for field, info in type(record).model_fields.items():
        if field in known:
            continue
        if info.is_required():
            raise TypeError(f"taking names out does not know the required field {type(record).__name__}.{field}")
        cleared[field] = info.get_default(call_default_factory=True)
    return cleared


def pseudonymise(m: EcoMap, *, t: Translator | None = None, map_id: str | None = None) -> EcoMap:
    """A copy of ``m`` with names replaced by roles or initials, texts that may name others left out,
    and notes, the title and the record left out.

    >>> from ecomap.model import example
    >>> m = example().with_person(strengths=("Good at art", "Knows Dr Owen well"))
    >>> pseudonymise(m).person.strengths
    ('Good at art', '[Left out: it may name someone]')
    """
    t = t or translator()
    on_map = _Names(m)
    names, roles = _pseudonyms(m, on_map, t)
    left_out = t(LEFT_OUT)

    def scrub(text: str, limit: int, mode: _Mode = _Mode.PROSE) -> str:
        kept = on_map.scrub(text, mode, names)
        return left_out if kept is None else _fit(kept, limit)

    tie_ids = {tie.id: f"t{number}" for number, tie in enumerate(m.ties, 1)}
    person_text = {
        "name": names[""],
        "preferred_name": "",
        "pronouns": _fit(on_map.scrub(m.person.pronouns, _Mode.LABEL, names) or "", ROLE_MAX),
        "what_matters": tuple(scrub(line, LINE_MAX) for line in m.person.what_matters),
        "strengths": tuple(scrub(line, LINE_MAX) for line in m.person.strengths),
    }
    person = m.person.model_copy(update={**_cleared(m.person, _KEPT["person"], person_text), **person_text})
    ties = []
    for tie in m.ties:
        role = tie.role if tie.role in ROLES or not tie.role.strip() else roles[tie.id]
        tie_text = {
            "id": tie_ids[tie.id],
            "name": names[tie.id],
            "role": _fit(left_out if role is None else role, ROLE_MAX),
            "own_words": scrub(tie.own_words, TEXT_MAX),
            "notes": "",
        }
        ties.append(tie.model_copy(update={**_cleared(tie, _KEPT["tie"], tie_text), **tie_text}))
    links = tuple(link.model_copy(update={"between": tuple(tie_ids[end] for end in link.between)}) for link in m.links)
    plan = []
    for number, step in enumerate(m.plan, 1):
        step_text = {
            "id": f"a{number}",
            "action": scrub(step.action, TEXT_MAX),
            "tie": tie_ids.get(step.tie) if step.tie else None,
            "who": scrub(step.who, LINE_MAX, _Mode.WHO),
        }
        plan.append(step.model_copy(update={**_cleared(step, _KEPT["plan"], step_text), **step_text}))
    changed = {"id": map_id or str(uuid.uuid4()), "title": "", "person": person, "ties": tuple(ties)}
    changed |= {"links": links, "plan": tuple(plan)}
    copy = m.model_copy(update={**_cleared(m, _KEPT["map"], changed), **changed})
    return EcoMap.from_dict(copy.to_dict())
