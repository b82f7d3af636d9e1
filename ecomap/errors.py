"""The exceptions that callers of ``ecomap`` catch."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Conflict",
    "EcomapError",
    "MapInvalid",
    "NotFound",
    "Problem",
    "StoreUnavailable",
    "UnknownFormat",
    "UnsupportedVersion",
]


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
