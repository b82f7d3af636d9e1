"""Who may see what: teams, roles and the rules the store applies to every call.

A person's record belongs to one **team**. A user is a **member** of teams, each with a
:class:`Role`:

- a ``practitioner`` lists, opens, saves, restores, compares, labels, exports and imports the
  records of their teams;
- a ``lead`` does all that and also sees their teams' caseload (counts only);
- an **admin** (a flag on the user, not a role in a team) manages teams and members, moves
  records between teams, restricts records, sets retention dates, purges, and reads the audit. An
  admin who is not a member of a record's team sees nothing of it except through **break-glass**:
  a reason, audited, that opens that one record to that admin for :data:`BREAK_GLASS_HOURS`.

A **restricted** record is opened by nobody but an admin, and only through break-glass, even by
the members of its team.

The store enforces these rules in its SQL (every query is joined to the acting user's
memberships); this module holds the rules' names, limits and plain checks, written once.

>>> Role("lead").sees_caseload, Role.PRACTITIONER.sees_caseload
(True, False)
>>> clean_reason("  a safeguarding   referral\\n")
'a safeguarding referral'
>>> normal_email(" Anwen.Evans@Example.ORG ")
'anwen.evans@example.org'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

__all__ = [
    "BREAK_GLASS_HOURS",
    "BREAK_GLASS_TIME",
    "EMAIL_MAX",
    "LOCAL_TEAM_ID",
    "LOCAL_TEAM_NAME",
    "REASON_MAX",
    "TEAM_NAME_MAX",
    "Member",
    "Role",
    "Team",
    "clean_reason",
    "clean_team_name",
    "normal_email",
]

#: How long a break-glass opening lasts: the admin may open that record again for this many hours.
BREAK_GLASS_HOURS = 4
#: :data:`BREAK_GLASS_HOURS` as a time span.
BREAK_GLASS_TIME = timedelta(hours=BREAK_GLASS_HOURS)
#: The longest reason a break-glass step (or an export the consent does not cover) may give: with an
#: export's format before it, it fits the audit's detail (``store.DETAIL_MAX``, 500).
REASON_MAX = 450
#: The longest e-mail address kept (RFC 5321's limit on a path).
EMAIL_MAX = 320
#: The longest team name.
TEAM_NAME_MAX = 100
#: The team every record made before teams existed belongs to, and the local mode's own team.
LOCAL_TEAM_ID = "local"
#: The local team's name as the migration makes it (an admin may rename it).
LOCAL_TEAM_NAME = "This machine"

_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


class Role(StrEnum):
    """What a member may do in a team (an admin's powers are a flag on the user, not a role)."""

    PRACTITIONER = "practitioner"
    LEAD = "lead"

    @property
    def sees_caseload(self) -> bool:
        """True for the role that sees the team's caseload: the lead."""
        return self is Role.LEAD


@dataclass(frozen=True)
class Team:
    """A team: its id, its name, and how many records and members it has (for the admin page)."""

    id: str
    name: str
    people: int = 0
    members: int = 0


@dataclass(frozen=True)
class Member:
    """A member of a team: a user who has signed in (``user_id`` set), or an e-mail address added
    before its first sign-in (``pending``)."""

    team_id: str
    role: Role
    #: The user's id, or None while the membership waits for its first sign-in.
    user_id: str | None
    #: The user's name as last signed in (empty while pending).
    display_name: str
    #: The address the membership was made for, or the user's own.
    email: str | None
    is_admin: bool = False

    @property
    def pending(self) -> bool:
        """True while nobody with this e-mail address has signed in yet."""
        return self.user_id is None


def clean_reason(reason: str) -> str:
    """A break-glass reason as kept: its spaces and line breaks made single spaces, trimmed.

    Raises ``ValueError`` when nothing is left, or when it is longer than :data:`REASON_MAX`.
    """
    cleaned = _SPACES.sub(" ", reason).strip()
    if not cleaned:
        raise ValueError("a reason is needed")
    if len(cleaned) > REASON_MAX:
        raise ValueError(f"a reason is at most {REASON_MAX} characters")
    return cleaned


def clean_team_name(name: str) -> str:
    """A team's name as kept: single spaces, trimmed, 1 to :data:`TEAM_NAME_MAX` characters (else ``ValueError``)."""
    cleaned = _SPACES.sub(" ", name).strip()
    if not 0 < len(cleaned) <= TEAM_NAME_MAX:
        raise ValueError(f"a team's name is 1 to {TEAM_NAME_MAX} characters")
    return cleaned


def normal_email(email: str) -> str:
    """An e-mail address as the store compares it: trimmed and in lower case (``ValueError`` if it is not one)."""
    cleaned = email.strip().lower()
    if not _EMAIL.fullmatch(cleaned) or len(cleaned) > EMAIL_MAX:
        raise ValueError("that is not an e-mail address")
    return cleaned
