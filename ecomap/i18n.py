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

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "TIME_ZONE",
    "Translator",
    "clock_time",
    "date_and_time",
    "local_time",
    "locales_dir",
    "long_date",
    "short_date",
    "translator",
]

#: The languages Ecomap speaks, each named in itself; English is the default, and needs no catalog.
LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LANGUAGE = "en"
DOMAIN = "ecomap"
#: The clocks Ecomap tells the time by: Wales's. The store keeps every moment in UTC; only the reading is local.
TIME_ZONE = "Europe/London"


def locales_dir() -> Path:
    """The folder of the catalogs: ``LANGUAGE/LC_MESSAGES/ecomap.po`` for each language but English."""
    return Path(__file__).parent / "locales"


class Translator:
    """Translates message ids into one language; call it like ``_``."""

    def __init__(self, language: str, catalog: gettext.NullTranslations) -> None:
        self.language = language
        self._catalog = catalog

    def __call__(self, message: str, /, **values: object) -> str:
        """The translated message, with ``{name}`` placeholders filled from ``values``."""
        text = self._catalog.gettext(message)
        return text.format(**values) if values else text

    def plural(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The translated message for the count ``n`` (``{n}`` is filled in)."""
        return self._catalog.ngettext(singular, plural, n).format(n=n, **values)


@lru_cache(maxsize=len(LANGUAGES))
def _catalog(language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
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
