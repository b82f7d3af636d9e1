"""Saved versions of a map, and the visits they were made in, as the store lists them and the pages tell them.

Every save makes a new, immutable version; a version may be given a name ("first
conversation"). This record sits below both the store and the report, so neither
imports the other.

Saves come in sittings: a practitioner sits with the person and the map is saved at
every change, so one conversation makes dozens of versions. :func:`visits` groups
them back into the sittings a reader remembers. The rule: versions are one
**visit** when the same person saved each of them, no more than :data:`VISIT_GAP`
after the one before. Another person's save starts a new visit, and so does a
restore (bringing an old version back is a new start, not one more change). A
visit stands for its last version: the map as it was at the end of that sitting.

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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ecomap.i18n import Translator, clock_time, date_and_time, local_time, long_date

__all__ = [
    "LABEL_MAX",
    "VISIT_GAP",
    "SavedVersion",
    "Visit",
    "clean_label",
    "default_comparison",
    "describe_choice",
    "describe_save",
    "describe_version",
    "describe_visit",
    "landmarks",
    "visits",
]

#: The longest name a version may be given.
LABEL_MAX = 80

#: The longest pause between two saves of one visit: a longer one starts another visit.
VISIT_GAP = timedelta(hours=2)


@dataclass(frozen=True)
class SavedVersion:
    """One saved version of a map: its number, when and by whom it was saved, and its name if it has one."""

    version: int
    saved_at: datetime
    #: The id of the user who saved it.
    saved_by: str
    label: str = ""
    #: For a restore, the version it brought back.
    restored_from: int | None = None
    #: How the user who saved it is named to a reader (empty when not known).
    saved_by_name: str = ""


@dataclass(frozen=True)
class Visit:
    """One sitting: the versions one person saved, each soon after the one before (see :func:`visits`)."""

    #: The versions of the visit, oldest first (never empty).
    versions: tuple[SavedVersion, ...]

    @property
    def first(self) -> int:
        """The number of the visit's first version."""
        return self.versions[0].version

    @property
    def last(self) -> int:
        """The number of the visit's last version: the map as it was at the end of the sitting."""
        return self.versions[-1].version

    @property
    def start(self) -> datetime:
        """When the visit's first version was saved."""
        return self.versions[0].saved_at

    @property
    def end(self) -> datetime:
        """When the visit's last version was saved."""
        return self.versions[-1].saved_at

    @property
    def saved_by(self) -> str:
        """The id of the user who saved every version of the visit."""
        return self.versions[0].saved_by

    @property
    def labels(self) -> tuple[str, ...]:
        """The names of the named versions of the visit, oldest first."""
        return tuple(v.label for v in self.versions if v.label)


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


def _same_sitting(before: SavedVersion, after: SavedVersion, gap: timedelta) -> bool:
    return after.restored_from is None and after.saved_by == before.saved_by and after.saved_at - before.saved_at <= gap


def visits(saved: Sequence[SavedVersion], *, gap: timedelta = VISIT_GAP) -> list[Visit]:
    """The versions grouped into visits, oldest first; the versions are taken in the order of their numbers.

    A version joins the visit of the version before it when the same user saved it, no more
    than ``gap`` later, and it is not a restore.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> def at(hour: int, minute: int) -> datetime:
    ...     return datetime(2026, 12, 1, hour, minute, tzinfo=UTC)
    >>> saved = [SavedVersion(1, at(10, 2), "anwen"), SavedVersion(2, at(10, 47), "anwen", "first conversation"),
    ...          SavedVersion(3, at(15, 0), "anwen")]
    >>> [(v.first, v.last, v.labels) for v in visits(saved)]
    [(1, 2, ('first conversation',)), (3, 3, ())]
    >>> visits([])
    []
    """
    grouped: list[list[SavedVersion]] = []
    for version in sorted(saved, key=lambda v: v.version):
        if grouped and _same_sitting(grouped[-1][-1], version, gap):
            grouped[-1].append(version)
        else:
            grouped.append([version])
    return [Visit(tuple(versions)) for versions in grouped]


def landmarks(found: Sequence[Visit]) -> list[int]:
    """The versions a reader picks from first, oldest first: every named version and the end of every visit.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> when = datetime(2026, 12, 1, 10, tzinfo=UTC)
    >>> landmarks(visits([SavedVersion(n, when, "anwen", "review" if n == 2 else "") for n in (1, 2, 3)]))
    [2, 3]
    """
    return [v.version for visit in found for v in visit.versions if v.label or v.version == visit.last]


def default_comparison(found: Sequence[Visit]) -> tuple[int, int]:
    """The two versions compared first: the end of the first visit (the first version if that is now) and now.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> def saved(*hours: int) -> list[SavedVersion]:
    ...     return [SavedVersion(n, datetime(2026, 12, 1, h, tzinfo=UTC), "anwen") for n, h in enumerate(hours, 1)]
    >>> default_comparison(visits(saved(10, 10, 15, 15)))
    (2, 4)
    >>> default_comparison(visits(saved(10, 10, 10)))
    (1, 3)
    """
    first, now = found[0], found[-1].last
    return (first.last if first.last != now else first.first, now)


def describe_visit(visit: Visit, t: Translator) -> str:
    """A visit in the reader's language, on local clocks: "Visit on 1 December 2026, 10:02–10:47 (45 changes)".

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from ecomap.i18n import translator
    >>> def at(day: int, hour: int, minute: int) -> datetime:
    ...     return datetime(2026, 12, day, hour, minute, tzinfo=UTC)
    >>> describe_visit(Visit((SavedVersion(1, at(1, 10, 2), "a"), SavedVersion(2, at(1, 10, 47), "a"))), translator())
    'Visit on 1 December 2026, 10:02–10:47 (2 changes)'
    >>> describe_visit(Visit((SavedVersion(1, at(1, 10, 2), "a"),)), translator("cy"))
    'Ymweliad ar 1 Rhagfyr 2026, 10:02 (1 newid)'
    >>> describe_visit(Visit((SavedVersion(1, at(1, 23, 30), "a"), SavedVersion(2, at(2, 0, 40), "a"))), translator())
    'Visit from 1 December 2026, 23:30 to 2 December 2026, 00:40 (2 changes)'
    """
    changes = t.plural("{n} change", "{n} changes", len(visit.versions))
    if local_time(visit.start).date() != local_time(visit.end).date():
        start, end = date_and_time(visit.start, t), date_and_time(visit.end, t)
        return t("Visit from {start} to {end} ({changes})", start=start, end=end, changes=changes)
    start, end = clock_time(visit.start, t), clock_time(visit.end, t)
    times = start if start == end else f"{start}–{end}"
    return t("Visit on {date}, {times} ({changes})", date=long_date(visit.start, t), times=times, changes=changes)


def describe_version(saved: SavedVersion, t: Translator) -> str:
    """A version in the reader's language, its name first: "three-month review · 1 December 2026, 10:47".

    A version with no name is told by its number: "Version 7 · 1 December 2026, 10:15".

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from ecomap.i18n import translator
    >>> when = datetime(2026, 12, 1, 10, 47, tzinfo=UTC)
    >>> describe_version(SavedVersion(45, when, "anwen", "three-month review"), translator())
    'three-month review · 1 December 2026, 10:47'
    >>> describe_version(SavedVersion(7, when, "anwen"), translator("cy"))
    'Fersiwn 7 · 1 Rhagfyr 2026, 10:47'
    """
    name = saved.label or t("Version {version}", version=saved.version)
    return f"{name} · {date_and_time(saved.saved_at, t)}"


def describe_save(saved: SavedVersion, t: Translator) -> str:
    """A version in its visit's list, by the time of day: "10:47 · Version 45 · three-month review".

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from ecomap.i18n import translator
    >>> describe_save(SavedVersion(3, datetime(2026, 12, 1, 11, 5, tzinfo=UTC), "anwen", restored_from=1), translator())
    '11:05 · Version 3 · version 1 brought back'
    """
    parts = [clock_time(saved.saved_at, t), t("Version {version}", version=saved.version)]
    if saved.restored_from is not None:
        parts.append(t("version {version} brought back", version=saved.restored_from))
    if saved.label:
        parts.append(saved.label)
    return " · ".join(parts)


def describe_choice(saved: SavedVersion, found: Sequence[Visit], t: Translator) -> str:
    """A version as a picker offers it: now, a named version, the visit it ends, or a version by its number.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from ecomap.i18n import translator
    >>> days = ((1, 1), (2, 1), (3, 8))
    >>> saved = [SavedVersion(n, datetime(2026, 12, d, 10, n, tzinfo=UTC), "anwen") for n, d in days]
    >>> found = visits(saved)
    >>> [describe_choice(v, found, translator()) for v in saved]  # doctest: +NORMALIZE_WHITESPACE
    ['Version 1 · 1 December 2026, 10:01', 'Visit on 1 December 2026, 10:01–10:02 (2 changes)',
     'Now · Version 3 · 8 December 2026, 10:03']
    """
    if found and saved.version == found[-1].last:
        return t("Now · {version}", version=describe_version(saved, t))
    ended = next((visit for visit in found if visit.last == saved.version), None)
    if ended is not None and not saved.label:
        return describe_visit(ended, t)
    return describe_version(saved, t)
