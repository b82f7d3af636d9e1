"""Finding people by name, as a practitioner types part of it.

A name matches a search when every word of the search is part of the name, compared without
case and without accents: "sian" finds "Siân", "ŵyn" finds "Llywelyn Wyn", and "pritchard alys"
finds "Alys Pritchard". Straight and curly apostrophes are the same letter. An empty search
matches everyone. Only names are read: nothing here opens a map.

Examples
--------
>>> matching(["Siân Owen", "Cai Hughes", "Alys Pritchard"], "SIAN", name=str)
['Siân Owen']
>>> matching(["Siân Owen", "Cai Hughes"], "  ", name=str)
['Siân Owen', 'Cai Hughes']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

__all__ = ["fold", "matching", "name_matches"]

T = TypeVar("T")

#: Letters written more than one way that a search treats as one: the curly apostrophe is the straight one.
_SAME_LETTER = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def fold(text: str) -> str:
    """``text`` as a search compares it: accents removed, case folded, apostrophes made straight.

    >>> fold("Siân ŴYN O’Brien")
    "sian wyn o'brien"
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare).casefold().translate(_SAME_LETTER)


def name_matches(name: str, query: str) -> bool:
    """Whether every word of ``query`` is part of ``name`` (without case or accents).

    >>> name_matches("Siân Owen", "owen si")
    True
    >>> name_matches("Siân Owen", "Sioned")
    False
    """
    folded = fold(name)
    return all(word in folded for word in fold(query).split())


def matching(items: Iterable[T], query: str, *, name: Callable[[T], str]) -> list[T]:
    """The items whose name (``name(item)``) matches ``query``, in the order given.

    >>> matching(["Mererid", "Meryl", "Gwen"], "mer", name=str)
    ['Mererid', 'Meryl']
    """
    return [item for item in items if name_matches(name(item), query)]
