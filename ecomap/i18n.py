"""English and Welsh catalogs, chosen per session, never process-wide.

Message ids are the English text, so English needs no catalog. Other languages
are gettext ``.po`` files under ``ecomap/locales``, read with Babel when first
asked for. Nothing here calls ``gettext.install`` or ``setlocale``: each caller
holds its own :class:`Translator`.

Examples
--------
>>> translator("cy")("Family")
'Teulu'
>>> translator("en")("Family")
'Family'
>>> translator("cy")("A sentence with no translation yet")
'A sentence with no translation yet'
"""

from __future__ import annotations

import gettext
import io
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

__all__ = [
    "BEFORE_A_VOWEL",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "MUTATIONS",
    "TIME_ZONE",
    "Translator",
    "clock_time",
    "date_and_time",
    "files_language",
    "joined",
    "local_time",
    "locales_dir",
    "long_date",
    "mutate",
    "preferred_language",
    "short_date",
    "translator",
]

#: The languages Ecomap speaks, each named in itself; English is the default, and needs no catalog.
LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LANGUAGE = "en"
DOMAIN = "ecomap"
#: The clocks Ecomap tells the time by: Wales's. The store keeps every moment in UTC; only the reading is local.
TIME_ZONE = "Europe/London"


def preferred_language(*asked: str | None) -> str | None:
    """The first language Ecomap speaks among those a browser asks for, or None.

    Each of ``asked`` is a language tag ("cy-GB", as ``st.context.locale`` gives it) or an
    Accept-Language header ("en-GB,cy;q=0.9"), read in order of preference (its ``q`` weights).

    >>> preferred_language("cy-GB"), preferred_language(None, "fr-FR,cy;q=0.8,en;q=0.5"), preferred_language("de")
    ('cy', 'cy', None)
    >>> preferred_language("en-GB;q=0.2,cy;q=0.9")
    'cy'
    """
    for header in asked:
        weighted: list[tuple[float, int, str]] = []
        for order, part in enumerate((header or "").split(",")):
            tag, _, weight = part.strip().partition(";")
            try:
                q = float(weight.strip().removeprefix("q=")) if weight.strip().startswith("q=") else 1.0
            except ValueError:
                q = 0.0
            weighted.append((-q, order, tag.strip().split("-")[0].split("_")[0].casefold()))
        for negative_q, _, code in sorted(weighted):
            if code in LANGUAGES and negative_q < 0:
                return code
    return None


def files_language(recorded: str | None, otherwise: str = DEFAULT_LANGUAGE) -> str:
    """The language a person's attachment and exports are written in, unless another is chosen: the
    language recorded for them (``Person.language``) when Ecomap speaks it, else ``otherwise``.

    >>> files_language("cy", "en"), files_language("cy-GB", "en"), files_language(None, "cy"), files_language("pl")
    ('cy', 'cy', 'cy', 'en')
    """
    spoken = (recorded or "").split("-")[0].casefold()
    return spoken if spoken in LANGUAGES else otherwise if otherwise in LANGUAGES else DEFAULT_LANGUAGE


def locales_dir() -> Path:
    """The folder of the catalogs: ``LANGUAGE/LC_MESSAGES/ecomap.po`` for each language but English."""
    return Path(__file__).parent / "locales"


#: Welsh initial consonant mutations: each changes the first letters of a word, longest first.
#: Soft (after "at", "i", "o", "dan", "am", "ar", "gan", "dau", a feminine noun's adjective...),
#: aspirate (after "â", "a" meaning and, "tri", "chwe", "ei" meaning her) and nasal (after "fy", "yn" meaning in).
MUTATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "soft": (("ll", "l"), ("rh", "r"), ("dd", "dd"), ("ch", "ch"), ("ph", "ph"), ("th", "th"),
             ("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"), ("d", "dd"), ("g", ""), ("m", "f")),
    "aspirate": (("ch", "ch"), ("ph", "ph"), ("th", "th"), ("p", "ph"), ("t", "th"), ("c", "ch")),
    "nasal": (("ch", "ch"), ("ph", "ph"), ("th", "th"), ("dd", "dd"),
              ("p", "mh"), ("t", "nh"), ("c", "ngh"), ("b", "m"), ("d", "n"), ("g", "ng")),
}  # fmt: skip


def mutate(word: str, mutation: str) -> str:
    """``word`` with the Welsh ``mutation`` of its first letters (:data:`MUTATIONS`), keeping its capital.

    A word whose beginning does not mutate is returned as it is.

    >>> mutate("Gwasanaethau", "soft"), mutate("cymuned", "soft"), mutate("llyfr", "soft")
    ('Wasanaethau', 'gymuned', 'lyfr')
    >>> mutate("cysylltiad", "aspirate"), mutate("Teulu", "nasal"), mutate("chwaer", "soft")
    ('chysylltiad', 'Nheulu', 'chwaer')
    """
    folded = word.casefold()
    for start, becomes in MUTATIONS[mutation]:
        if folded.startswith(start):
            rest = word[len(start) :]
            if word[:1].isupper():
                return becomes[:1].upper() + becomes[1:] + rest if becomes else rest[:1].upper() + rest[1:]
            return becomes + rest
    return word


#: Welsh words that change before a vowel: "â Mam" but "ag Alys", "a Mam" but "ac Alys".
BEFORE_A_VOWEL: dict[str, str] = {"â": "ag", "a": "ac"}
_VOWELS = frozenset("aeiouyâêîôûŵŷáéíóúàèìòùäëïöüÿ")


def joined(word: str, value: str) -> str:
    """``word`` ("â" with, "a" and) written before ``value``: its form before a vowel where it has one.

    >>> joined("â", "Mam"), joined("â", "Alys"), joined("a", "Ifan"), joined("a", "Huw")
    ('â Mam', 'ag Alys', 'ac Ifan', 'a Huw')
    """
    starts_with_vowel = value[:1].casefold() in _VOWELS
    return f"{BEFORE_A_VOWEL.get(word, word) if starts_with_vowel else word} {value}"


def _formatted(text: str, spec: str) -> str:
    if spec in MUTATIONS:
        return mutate(text, spec)
    if spec in BEFORE_A_VOWEL:
        return joined(spec, text)
    return format(text, spec)


class _Word(str):
    """A value put into a sentence: in a translation, ``{ring:soft}`` writes it with that mutation and
    ``{name:â}`` writes "â" or "ag" before it (:func:`mutate`, :func:`joined`)."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return _formatted(str(self), spec)


class _Words(tuple[str, ...]):
    """A list of words put into a sentence, joined with commas; a mutation applies to each of them."""

    def __format__(self, spec: str) -> str:
        return ", ".join(_formatted(word, spec if spec in MUTATIONS else "") for word in self)

    def __str__(self) -> str:
        return ", ".join(self)


def _words(values: dict[str, object]) -> dict[str, object]:
    def word(value: object) -> object:
        if isinstance(value, str):
            return _Word(value)
        if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
            return _Words(value)
        return value

    return {name: word(value) for name, value in values.items()}


class Translator:
    """Translates message ids into one language; call it like ``_``.

    A translation may ask for a value in a mutated form, ``{ring:soft}`` (see :func:`mutate`), or
    with the word before it that changes before a vowel, ``{name:â}`` (:func:`joined`): the
    translator, who knows the sentence, chooses the form, and the code only fills the value in. A
    list of words (a tuple) is written joined with commas, each word mutated.

    >>> translator("cy")("Add to {ring}", ring=translator("cy")("Services"))
    'Ychwanegu at Wasanaethau'
    """

    def __init__(self, language: str, catalog: gettext.NullTranslations) -> None:
        self.language = language
        self._catalog = catalog

    def __call__(self, message: str, /, **values: object) -> str:
        """The translated message, with ``{name}`` placeholders filled from ``values``."""
        text = self._catalog.gettext(message)
        return text.format(**_words(values)) if values else text

    def plural(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The translated message for the count ``n`` (``{n}`` is filled in).

        Welsh has a form for 1, 2, 3, 6 and the other numbers (Babel's plural rule): the noun after
        a number stays singular, mutated after 2 (soft), 3 and 6 (aspirate).

        >>> [translator("cy").plural("{n} pair of people on the map knows each other.",
        ...   "{n} pairs of people on the map know each other.", n)[:11] for n in (1, 2, 3)]
        ['Mae 1 pâr o', 'Mae 2 bâr o', 'Mae 3 phâr ']
        """
        return self._catalog.ngettext(singular, plural, n).format(n=n, **_words(values))


@lru_cache(maxsize=len(LANGUAGES))
def _catalog(language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    # Read here, not at the top: an English page (and the server's start) never needs Babel's catalogues.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = locales_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translator(language: str | None = None) -> Translator:
    """The translator for ``language`` (an unknown or empty one falls back to English)."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return Translator(language, _catalog(language))


def _date_locale(t: Translator) -> str:
    return "cy_GB" if t.language == "cy" else "en_GB"


def local_time(moment: datetime) -> datetime:
    """``moment`` on the clocks of :data:`TIME_ZONE` (one with no time zone is taken as UTC, as the store keeps it).

    >>> local_time(datetime(2026, 7, 1, 9, 2, tzinfo=UTC)).strftime("%H:%M %Z")
    '10:02 BST'
    >>> local_time(datetime(2026, 12, 1, 9, 2)).strftime("%H:%M %Z")
    '09:02 GMT'
    """
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(TIME_ZONE))


def long_date(moment: date | datetime, t: Translator) -> str:
    """A date as a reader writes it: "23 November 2026", "23 Tachwedd 2026" (a moment with a zone, on local clocks).

    >>> long_date(date(2026, 11, 23), translator("cy"))
    '23 Tachwedd 2026'
    >>> long_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), translator("en"))
    '1 July 2026'
    """
    from babel.dates import format_date

    if isinstance(moment, datetime) and moment.tzinfo:
        moment = local_time(moment)
    return format_date(moment, format="long", locale=_date_locale(t))


def short_date(moment: date | datetime, t: Translator) -> str:
    """A date in few letters: "31 Jan 2027"."""
    from babel.dates import format_date

    if isinstance(moment, datetime) and moment.tzinfo:
        moment = local_time(moment)
    return format_date(moment, format="medium", locale=_date_locale(t))


def clock_time(moment: datetime, t: Translator) -> str:
    """The time of day on local clocks, as the reader's language writes it: "10:47".

    >>> clock_time(datetime(2026, 12, 1, 10, 47, tzinfo=UTC), translator("cy"))
    '10:47'
    """
    from babel.dates import format_time

    return format_time(local_time(moment), format="short", locale=_date_locale(t))


def date_and_time(moment: datetime, t: Translator) -> str:
    """A moment as a reader writes it, on local clocks: "1 December 2026, 10:47".

    >>> date_and_time(datetime(2026, 7, 1, 9, 47, tzinfo=UTC), translator("cy"))
    '1 Gorffennaf 2026, 10:47'
    """
    return f"{long_date(moment, t)}, {clock_time(moment, t)}"
