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
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Translator", "locales_dir", "long_date", "short_date", "translator"]

#: The languages Ecomap speaks, each named in itself; English is the default, and needs no catalog.
LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LANGUAGE = "en"
DOMAIN = "ecomap"


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


def long_date(moment: date | datetime, t: Translator) -> str:
    """A date as a reader writes it: "23 November 2026", "23 Tachwedd 2026".

    >>> long_date(date(2026, 11, 23), translator("cy"))
    '23 Tachwedd 2026'
    """
    from babel.dates import format_date

    return format_date(moment, format="long", locale=_date_locale(t))


def short_date(moment: date | datetime, t: Translator) -> str:
    """A date in few letters: "31 Jan 2027"."""
    from babel.dates import format_date

    return format_date(moment, format="medium", locale=_date_locale(t))
