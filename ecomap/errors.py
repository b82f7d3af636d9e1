"""The exceptions that callers of ``ecomap`` catch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "AccessDenied",
    "Conflict",
    "EcomapError",
    "MapInvalid",
    "NotFound",
    "Problem",
    "StoreUnavailable",
    "UnknownFormat",
    "UnsupportedVersion",
    "shown",
]

#: The most characters of a text value a message shows; a longer one is cut, with an ellipsis.
SHOWN_MAX = 40


def shown(value: Any) -> str:
    r"""A value from a file as a message shows it: short, on one line, its type plain whatever it is.

    Text is quoted and cut to :data:`SHOWN_MAX` characters, and every character that is not
    printable (line breaks, controls, bidirectional and other invisible characters) is written as an
    escape, so that a message is one line and says what the file holds.

    >>> shown("north"), shown(42), shown(1.5), shown(True), shown(None), shown([1]), shown({"a": 1})
    ("'north'", '42', '1.5', 'true', 'null', 'a list', 'an object')
    >>> shown("9" * 50), shown(float("nan")), shown(10**40)
    ("'999999999999999999999999999999999999999…'", 'nan', 'a number too large to read')
    >>> shown("a\nb\u202ec"), shown("\ud800")
    ("'a\\nb\\u202ec'", "'\\ud800'")
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 64 else "a number too large to read"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= SHOWN_MAX else value[: SHOWN_MAX - 1] + "…")
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class EcomapError(Exception):
    """Base of every error this library raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a map document, and where it is.

    ``where`` is a path into the document such as ``ties[3].strength``;
    an empty string means the document as a whole.
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class MapInvalid(EcomapError):
    """A map document that does not follow the format; ``problems`` says where and what."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class UnsupportedVersion(MapInvalid):
    """A document whose ``schema_version`` this release cannot read."""


class UnknownFormat(EcomapError, ValueError):
    """An export format Ecomap cannot write; a ``ValueError`` too, for code that catches that."""


class NotFound(EcomapError):
    """The person, map or version asked for does not exist (or is not visible to the user)."""


class AccessDenied(NotFound):
    """The acting user may not do this, or may not see this record; every such attempt is audited.

    A :class:`NotFound` too, and for a record the user may not see its message is the one a missing
    record gives, so that nobody learns from it that the record exists. It never names anyone.
    """


class Conflict(EcomapError):
    """A save made against a version that is no longer the newest.

    ``expected`` is the version the editor loaded; ``current`` the version now stored.
    """

    def __init__(self, map_id: str, expected: int, current: int) -> None:
        self.map_id = map_id
        self.expected = expected
        self.current = current
        super().__init__(
            f"map {map_id} was saved by someone else: you loaded version {expected}, the newest is version {current}"
        )


class StoreUnavailable(EcomapError):
    """The database could not be read or written; ``reason`` says why in a few plain words.

    It never carries the statement or its parameters (which hold people's maps): only the reason.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"the database could not be used: {reason}")
