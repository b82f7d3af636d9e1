"""A saved version of a map, as the store lists it and the attachment reports it.

Every save makes a new, immutable version; a version may be given a name ("first
conversation"). This record sits below both the store and the report, so neither
imports the other.

Examples
--------
>>> from datetime import UTC, datetime
>>> first = SavedVersion(1, datetime(2026, 11, 1, 10, tzinfo=UTC), "anwen", label="first conversation")
>>> (first.version, first.saved_by, first.label)
(1, 'anwen', 'first conversation')
>>> clean_label("  three-month   review ")
'three-month review'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: The longest name a version may be given.
LABEL_MAX = 80


@dataclass(frozen=True)
class SavedVersion:
    """One saved version of a map: its number, when and by whom it was saved, and its name if it has one."""

    version: int
    saved_at: datetime
    #: The id of the user who saved it.
    saved_by: str
    label: str = ""


def clean_label(label: str) -> str:
    """A version's name as it is kept: runs of spaces made one, trimmed, at most :data:`LABEL_MAX` characters.

    Examples
    --------
    >>> clean_label("first\\n conversation")
    'first conversation'
    >>> len(clean_label("a" * 200)) == LABEL_MAX
    True
    >>> clean_label("   ")
    ''
    """
    return " ".join(label.split())[:LABEL_MAX]
