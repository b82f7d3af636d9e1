"""Storage through SQLAlchemy: people, maps, an immutable version for every save, and an audit.

SQLite by default (a file under ``data/``), any PostgreSQL by URL
(``ECOMAP_DATABASE_URL``). Alembic migrations create the schema
(:meth:`Store.migrate`).

Every call names the acting :class:`User`, and what they may see follows from it
(:mod:`ecomap.access` names the rules): each record belongs to a team, every query of
a record is filtered in SQL by the user's memberships, an admin outside the team opens
a record only by break-glass, and every refusal is audited and raised as
:class:`~ecomap.errors.AccessDenied` in the words a missing record gets.

A save carries the version the editor loaded; if someone saved since, the save
raises :class:`~ecomap.errors.Conflict` and writes nothing but an audit entry.
The audit records who did what (an :class:`AuditAction`) to which map and when,
never what the map says.

Examples
--------
>>> from ecomap.model import example
>>> store = Store.from_url("sqlite://")
>>> store.migrate()
>>> opened = store.add_person(LOCAL_USER, example())
>>> opened.version
1
>>> store.save(LOCAL_USER, opened.map.replace(title="First conversation"), expected_version=1)
2
>>> store.save(LOCAL_USER, opened.map, expected_version=1)
Traceback (most recent call last):
...
ecomap.errors.Conflict: map example was saved by someone else: you loaded version 1, the newest is version 2
>>> [str(e.action) for e in store.audit(LOCAL_USER)]
['create', 'save', 'save-refused']
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    column,
    create_engine,
    delete,
    event,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    table,
    text,
    true,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql import ColumnElement, Select

from ecomap.access import (
    BREAK_GLASS_TIME,
    EMAIL_MAX,
    LOCAL_TEAM_ID,
    TEAM_NAME_MAX,
    Member,
    Role,
    Team,
    clean_reason,
    clean_team_name,
    normal_email,
)
from ecomap.analysis import counts
from ecomap.caseload import FACTS, PATTERNS, Caseload
from ecomap.errors import AccessDenied, Conflict, MapInvalid, NotFound, StoreUnavailable
from ecomap.model import EcoMap, loads
from ecomap.versions import LABEL_MAX, SavedVersion, clean_label
from ecomap.vocab import N_, SECTORS

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "AUDIT_LIMIT",
    "DATABASE_URL_VARIABLE",
    "DETAIL_MAX",
    "FORMAT_MAX",
    "LOCAL_USER",
    "OPERATOR",
    "SCHEMA_REVISION",
    "SQLITE_BUSY_TIMEOUT_MS",
    "AuditAction",
    "AuditEntry",
    "Brought",
    "Carried",
    "CheckedOutElsewhere",
    "Landed",
    "Opened",
    "PersonSummary",
    "PurgeCandidate",
    "RecordSummary",
    "Store",
    "SubjectAccess",
    "User",
    "VisitCopy",
    "audit_log",
    "checkouts",
    "default_url",
    "make_engine",
    "map_facts",
    "map_versions",
    "maps",
    "memberships",
    "metadata",
    "people",
    "teams",
    "users",
    "version_labels",
    "visit_devices",
    "visit_links",
    "visits",
]

#: The environment variable naming the database; unset means the SQLite file under ``data/``.
DATABASE_URL_VARIABLE = "ECOMAP_DATABASE_URL"
#: How long an SQLite writer waits for another to finish, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: The longest detail an audit entry may carry (an export's format, a break-glass reason).
DETAIL_MAX = 500
#: The longest format name an export or import records.
FORMAT_MAX = 32
#: The most entries one search of the audit returns.
AUDIT_LIMIT = 10_000


class AuditAction(StrEnum):
    """Everything the audit records: a closed set, checked by the database as well.

    What an action needs besides its map and version goes in a column of its own:
    a restore's ``from_version``, an export's format in ``detail``.
    """

    CREATE = "create"
    OPEN = "open"
    SAVE = "save"
    #: A save against a version that was no longer the newest (``ok`` is false).
    SAVE_REFUSED = "save-refused"
    RESTORE = "restore"
    #: A restore against a version that was no longer the newest (``ok`` is false).
    RESTORE_REFUSED = "restore-refused"
    LABEL = "label"
    EXPORT = "export"
    #: The caseload's counts were viewed (no person, no map).
    CASELOAD = "caseload"
    #: A map was read from a file into a record (its format in ``detail``).
    IMPORT = "import"
    SIGN_IN = "sign-in"
    SIGN_OUT = "sign-out"
    #: An admin opened a record outside their teams, or a restricted one (the reason in ``detail``).
    BREAK_GLASS = "break-glass"
    #: An attempt the access rules refused (``ok`` is false; the action attempted in ``detail``).
    DENIED = "denied"
    RESTRICT = "restrict"
    UNRESTRICT = "unrestrict"
    #: A record moved to another team (``detail``: "from TEAM to TEAM", by id).
    MOVE = "move"
    #: A record's retention date set or cleared (the date in ``detail``).
    RETENTION = "retention"
    #: A team made or renamed (its id in ``detail``).
    TEAM = "team"
    #: A member added, changed or removed, or an admin made or unmade (``detail`` says which, by id).
    MEMBERSHIP = "membership"
    #: Records past their retention date removed, history and all (``detail``: how many; no person).
    PURGE = "purge"
    #: Everything held about one person was read out for them.
    SUBJECT_ACCESS = "subject-access"
    #: An admin searched the audit.
    VIEW_AUDIT = "view-audit"
    #: A record copied to a laptop's visit store for a home visit (:mod:`ecomap.checkout`; on the server the
    #: check-out's id in ``detail``).
    CHECK_OUT = "check-out"
    #: A visit's versions brought back to the server, or a laptop's copy removed after (``detail`` says which).
    CHECK_IN = "check-in"
    #: A device joined a visit.
    PAIR = "pair"
    #: A device's pairing with a visit ended.
    UNPAIR = "unpair"


#: The store's tables, as the migrations make them (a test holds the two equal).
metadata = MetaData()

#: Who has acted: each user's id, the name and e-mail address of their last sign-in, and whether
#: they are an admin.
users = Table(
    "users",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("email", String(EMAIL_MAX), nullable=True, index=True),
    Column("is_admin", Boolean, nullable=False, server_default=false()),
)

#: The teams records belong to.
teams = Table(
    "teams",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(TEAM_NAME_MAX), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: Who is in which team, as what (:class:`~ecomap.access.Role`): a user, or an e-mail address
#: waiting for its first sign-in (exactly one of the two).
memberships = Table(
    "memberships",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team_id", String(36), ForeignKey("teams.id"), nullable=False, index=True),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=True, index=True),
    Column("email", String(EMAIL_MAX), nullable=True),
    Column("role", String(16), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("team_id", "user_id", name="memberships_user_once"),
    UniqueConstraint("team_id", "email", name="memberships_email_once"),
    CheckConstraint("(user_id IS NULL) <> (email IS NULL)", name="memberships_user_or_email"),
    CheckConstraint(
        "role IN ({})".format(", ".join(f"'{role.value}'" for role in Role)), name="memberships_role_known"
    ),
)

#: Each person with a map: their name, who added them, when, their team, whether the record is
#: restricted and until when it is kept.
people = Table(
    "people",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(64), ForeignKey("users.id"), nullable=False),
    Column("team_id", String(36), ForeignKey("teams.id"), nullable=False, index=True),
    Column("restricted", Boolean, nullable=False, server_default=false()),
    Column("retention_until", Date, nullable=True),
)

#: Each map: whose it is, and which of its versions is current.
maps = Table(
    "maps",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("person_id", String(36), ForeignKey("people.id"), nullable=False, index=True),
    Column("current_version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

#: Every saved version of every map, as the file format's JSON; never changed.
map_versions = Table(
    "map_versions",
    metadata,
    Column("map_id", String(64), ForeignKey("maps.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("document", Text, nullable=False),
    Column("saved_by", String(64), ForeignKey("users.id"), nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
)

#: The names given to versions, such as first conversation.
version_labels = Table(
    "version_labels",
    metadata,
    Column("map_id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("label", String(LABEL_MAX), nullable=False),
    Column("labelled_by", String(64), ForeignKey("users.id"), nullable=False),
    Column("labelled_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["map_id", "version"], ["map_versions.map_id", "map_versions.version"]),
)

#: One row of counts per map, for its current version (:mod:`ecomap.caseload`): no names, no words.
#: Each map's counts (ecomap.analysis.COUNTS) for its current version, with the record's team and
#: the newest version given a name, so that the caseload reads this table alone.
map_facts = Table(
    "map_facts",
    metadata,
    Column("map_id", String(64), ForeignKey("maps.id"), primary_key=True),
    Column("version", Integer, nullable=False),
    *(Column(name, Integer, nullable=False) for name in FACTS),
    Column("team_id", String(36), ForeignKey("teams.id"), nullable=False, index=True),
    Column("named_version", Integer, nullable=True),
)

#: The audit: who did what to which map and version, and when; never changed.
audit_log = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False),
    Column("action", String(32), nullable=False),
    Column("person_id", String(36), nullable=True, index=True),
    Column("map_id", String(64), nullable=True, index=True),
    Column("version", Integer, nullable=True),  # the version made or read (a restore's new version)
    Column("ok", Boolean, nullable=False, default=True),
    Column("from_version", Integer, nullable=True),  # the version a restore brought back
    Column("detail", String(DETAIL_MAX), nullable=True),  # an export's format
    CheckConstraint(
        "action IN ({})".format(", ".join(f"'{action.value}'" for action in AuditAction)), name="audit_action_known"
    ),
)

#: Records checked out for a home visit (:mod:`ecomap.checkout`): on the team server, a check-out (which
#: record, by whom, when, until which date, the server's newest version then, and when it ended); on a
#: laptop's visit store, the mark of a copy, ``copy_of`` naming the server's check-out. At most one open
#: row a person. No foreign key to the record: a purge or a check-in removes records, the rows stay.
checkouts = Table(
    "checkouts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(36), nullable=False, index=True),
    Column("map_id", String(64), nullable=False),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False),
    Column("checked_out_at", DateTime(timezone=True), nullable=False),
    Column("until", Date, nullable=False),
    Column("server_version", Integer, nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Column("copy_of", Integer, nullable=True),
    Index(
        "checkouts_open_once",
        "person_id",
        unique=True,
        sqlite_where=text("ended_at IS NULL"),
        postgresql_where=text("ended_at IS NULL"),
    ),
)


#: Home visits served from this machine (visit mode, ``ecomap.pairing``): which map, who started it,
#: until when it lasts and when it was ended. Removed with their map.
visits = Table(
    "visits",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("map_id", String(64), ForeignKey("maps.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("started_by", String(64), ForeignKey("users.id"), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
)

#: A visit's pairing links (the laptop's QR code): the SHA-256 of the link's secret, until when it
#: works, and when it was used (once).
visit_links = Table(
    "visit_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("visit_id", String(32), ForeignKey("visits.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)

#: The devices paired with a visit: the SHA-256 of each one's cookie secret, and when it paired.
visit_devices = Table(
    "visit_devices",
    metadata,
    Column("secret_hash", String(64), primary_key=True),
    Column("visit_id", String(32), ForeignKey("visits.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("paired_at", DateTime(timezone=True), nullable=False),
)

#: Alembic's own table of the revision the schema is at (none of the store's tables: it is not in ``metadata``).
_ALEMBIC_VERSION = table("alembic_version", column("version_num"))
#: The newest revision of the store's migrations (``ecomap/migrations/versions``): the schema this
#: release uses. Tests hold it equal to Alembic's head (:func:`ecomap.database.head_revision`).
SCHEMA_REVISION = "0010"

# Statements a save runs every time, built once (parameters are bound per call).
_RENAME = update(people).where(people.c.id == bindparam("person")).values(name=bindparam("new_name"))
_UPDATE_FACTS = update(map_facts).where(map_facts.c.map_id == bindparam("facts_of"))


#: How a signed-in user's id begins: ``oidc:`` + a hash of the issuer + ``:`` + the subject.
_OIDC_PREFIX = "oidc:"
#: How many hex digits of the issuer's SHA-256 the id keeps.
_ISSUER_DIGITS = 12
#: The longest id the users table keeps.
_USER_ID_MAX = 64


@dataclass(frozen=True)
class User:
    """Who is acting: every store call names one, and what it may see and do follows from it.

    What a user may do is never carried here: the store reads it from the database (their
    memberships and admin flag) on every call, so a user made from a sign-in is no more than who
    they are.
    """

    id: str
    display_name: str
    email: str | None = None

    @classmethod
    def from_claims(cls, claims: Mapping[str, object]) -> Self:
        """The user an OpenID Connect sign-in names, from its claims ``iss``, ``sub``, ``email`` and ``name``.

        The id is ``oidc:`` + the first 12 hex digits of the SHA-256 of the issuer + ``:`` + the
        subject, so that two identity providers' subjects never meet and the local mode's ids
        (``local``, ``operator``) can never be signed in as. A subject too long for the 64
        characters an id may have is replaced by ``#`` and the start of its own SHA-256.
        The name falls back to the e-mail address, then to the subject.

        >>> user = User.from_claims({"iss": "https://login.example", "sub": "abc", "email": "A@Ex.org"})
        >>> user.id, user.display_name, user.email
        ('oidc:ced4229bf4ad:abc', 'a@ex.org', 'a@ex.org')
        >>> len(User.from_claims({"iss": "x", "sub": "s" * 200}).id)
        64
        """
        issuer, subject = str(claims.get("iss") or ""), str(claims.get("sub") or "")
        if not issuer or not subject:
            raise ValueError("a sign-in names its issuer and subject")
        head = f"{_OIDC_PREFIX}{hashlib.sha256(issuer.encode()).hexdigest()[:_ISSUER_DIGITS]}:"
        if len(head) + len(subject) > _USER_ID_MAX:
            subject = "#" + hashlib.sha256(subject.encode()).hexdigest()[: _USER_ID_MAX - len(head) - 1]
        raw_email = claims.get("email")
        email = _email_or_none(raw_email if isinstance(raw_email, str) else None)
        name = str(claims.get("name") or "").strip()[:200] or email or subject
        return cls(head + subject, name, email)


def _email_or_none(email: str | None) -> str | None:
    """An e-mail address as the store keeps it (:func:`ecomap.access.normal_email`), or None for none or
    for one that is not an address."""
    try:
        return normal_email(email) if email else None
    except ValueError:
        return None


#: The one user of the default local mode (no sign-in): a lead of the team ``local`` and an admin.
LOCAL_USER = User("local", "Local practitioner")

#: Whoever looks after the server, acting on the command line (``python -m ecomap teams``,
#: ``members``, ``audit``, ``purge``, ``subject-access``): an admin, in no team. Only a process
#: on the server with the database's own URL acts as it; no sign-in can (a signed-in id begins
#: ``oidc:``).
OPERATOR = User("operator", "Operator (command line)")


@dataclass(frozen=True)
class RecordSummary:
    """A record as an admin manages it: ids, team, restriction, retention date and last save; no name."""

    person_id: str
    map_id: str
    team_id: str
    restricted: bool
    retention_until: date | None
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class PurgeCandidate:
    """A record past its retention date: what a purge removes (ids and counts only, no names)."""

    person_id: str
    map_id: str
    team_id: str
    retention_until: date
    #: How many versions of the map go with it.
    versions: int


@dataclass(frozen=True)
class SubjectAccess:
    """Everything held about one person, for a subject access request: the data only.

    ``versions`` are every saved version, oldest first; ``documents`` each one's map as the file
    format's JSON, by version number; ``audit`` every audit entry about the person.
    """

    person_id: str
    map_id: str
    team_id: str
    versions: list[SavedVersion]
    documents: dict[int, str]
    audit: list[AuditEntry]

    def map(self, version: int | None = None) -> EcoMap:
        """The map of ``version`` (default: the newest)."""
        return loads(self.documents[max(self.documents) if version is None else version])


@dataclass(frozen=True)
class PersonSummary:
    """A person as the People list shows them: their name, their map and when it was last saved,
    and the record's team, restriction and retention date."""

    person_id: str
    map_id: str
    name: str
    version: int
    updated_at: datetime
    team_id: str = LOCAL_TEAM_ID
    restricted: bool = False
    retention_until: date | None = None


@dataclass(frozen=True)
class Opened:
    """A map as loaded, with the version a later save must name."""

    person_id: str
    map: EcoMap
    version: int


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit: who did what to which map, when, and whether it was done."""

    at: datetime
    user_id: str
    action: AuditAction
    person_id: str | None
    map_id: str | None
    #: The version the action made or read (for a restore, the new version).
    version: int | None
    ok: bool
    #: For a restore, the version brought back.
    from_version: int | None = None
    #: For an export, its format; for a break-glass, the reason; for a refusal, what was tried.
    detail: str | None = None
    #: The acting user's name and e-mail address as last signed in (for the admin's reading).
    user_name: str | None = None
    user_email: str | None = None


def default_url() -> str:
    """``ECOMAP_DATABASE_URL``, or the SQLite file ``data/ecomap.db`` beside the package."""
    url = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if url:
        return url
    return f"sqlite:///{_DATA_DIR / 'ecomap.db'}"


#: The folder of the default SQLite database (``data/`` beside the package).
_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
#: The permission bits of anyone but the owner.
_OTHERS = 0o077


def _private_file(path: Path) -> None:
    """Make the database readable by this user only: its folder when new (and ``data/`` always) 0700,
    the file and any ``-wal`` and ``-shm`` file 0600.

    SQLite gives the ``-wal`` and ``-shm`` files it makes the database file's own permissions, so a
    file an older release or someone's copy left readable to others is made private before it is
    opened, with any such files already there.
    """
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif path.parent.resolve() == _DATA_DIR and path.parent.stat().st_mode & _OTHERS:
        path.parent.chmod(0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists() and each.stat().st_mode & _OTHERS:
            each.chmod(0o600)


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`default_url`), set up for safe concurrent writes."""
    url = url or default_url()
    # The statement's parameters are a person's whole map: never put them into an error's text.
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    if not in_memory:
        _private_file(Path(url.removeprefix("sqlite:///")))
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        poolclass=StaticPool if in_memory else None,
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # A deferred transaction that later writes ignores the busy timeout: writers take the lock first.
        mode = connection.get_execution_options().get("ecomap_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


#: What a database error means, in a few plain words, by the words its driver uses (SQLite, PostgreSQL).
#: The reason given for a damaged database, or a saved version that no longer reads as a map.
_DAMAGED = N_("it is damaged")
_REASONS = (
    (("database or disk is full", "disk full", "no space left", "could not extend file"), N_("there is no room left")),
    (("database is locked", "could not obtain lock", "lock timeout"), N_("another program is holding it")),
    (("readonly database", "read-only", "permission denied"), N_("it cannot be written to")),
    (("unable to open", "could not connect", "connection refused", "server closed", "no such file"),
     N_("it cannot be reached")),
    (("malformed", "corrupt", "not a database"), _DAMAGED),
    # SQLite's word when it cannot grow its files, as on a full disk after a restart.
    (("disk i/o error", "input/output error"), N_("its disk could not be used, perhaps because it is full")),
)  # fmt: skip
#: The reason given when a database error is none of the above.
_UNKNOWN_REASON = N_("it did not answer")


def _reason(exc: BaseException) -> str:
    """The plain reason for a database error: SQLAlchemy's (read from the driver's own words, never the
    statement's) or the driver's, such as an :class:`sqlite3.Error` of a backup."""
    driver_error = getattr(exc, "orig", None) if isinstance(exc, SQLAlchemyError) else exc
    text = str(driver_error or exc.__class__.__name__).lower()
    return next((reason for words, reason in _REASONS if any(word in text for word in words)), _UNKNOWN_REASON)


def _stored(document: str) -> EcoMap:
    """A saved version's document as a map. One that no longer reads (changed outside Ecomap) is damaged,
    said without any of its text: the problems would quote what it holds."""
    try:
        return loads(document)
    except MapInvalid:
        raise StoreUnavailable(_DAMAGED) from None


@contextmanager
def _plainly() -> Iterator[None]:
    """Database errors become :class:`StoreUnavailable`, with a plain reason and nothing of the map."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise StoreUnavailable(_reason(exc)) from None


def _migrations() -> Config:
    """The Alembic configuration of the store's migrations (``ecomap/migrations``); a private helper of the
    store's layer."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return config


def _document(m: EcoMap) -> str:
    """The map as stored: the file format's JSON, compact (the C encoder writes it several times faster)."""
    return json.dumps(m.to_dict(), ensure_ascii=False, separators=(",", ":"))


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _Denied(Exception):
    """Raised inside a transaction when the access rules refuse: the transaction is rolled back, the
    refusal is audited in one of its own, and :class:`~ecomap.errors.AccessDenied` is raised instead."""

    def __init__(
        self,
        user: User,
        message: str,
        attempted: str,
        *,
        person_id: str | None = None,
        map_id: str | None = None,
        version: int | None = None,
    ) -> None:
        super().__init__(message)
        self.user = user
        self.message = message
        self.attempted = attempted
        self.person_id = person_id
        self.map_id = map_id
        self.version = version


#: What a refused admin's power says.
_ADMINS_ONLY = "only an admin can do that"


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC (a naive one is taken to be UTC already): SQLite compares stored times as UTC text."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _teams_of(user_id: str, *, leading: bool = False) -> Select[Any]:
    """The ids of the teams ``user_id`` is a member of (or a lead of)."""
    query = select(memberships.c.team_id).where(memberships.c.user_id == user_id)
    return query.where(memberships.c.role == Role.LEAD.value) if leading else query


def _is_admin(user_id: str) -> ColumnElement[bool]:
    """SQL: true when ``user_id`` is an admin."""
    return exists().where(users.c.id == user_id, users.c.is_admin == true())


def _glass_open(user_id: str, person: ColumnElement[str], now: datetime) -> ColumnElement[bool]:
    """SQL: true when the admin ``user_id`` broke the glass on ``person`` within :data:`BREAK_GLASS_TIME`."""
    return and_(
        _is_admin(user_id),
        exists().where(
            audit_log.c.action == AuditAction.BREAK_GLASS.value,
            audit_log.c.ok == true(),
            audit_log.c.user_id == user_id,
            audit_log.c.person_id == person,
            audit_log.c.at > now - BREAK_GLASS_TIME,
        ),
    )


def _sees(user: User, now: datetime) -> ColumnElement[bool]:
    """SQL, on ``people``: true for a record ``user`` may see: one of their teams' that is not restricted,
    or one they broke the glass on, as an admin, within :data:`BREAK_GLASS_TIME`. The one home of
    who sees what; every query of a record is filtered by it."""
    return or_(
        and_(people.c.team_id.in_(_teams_of(user.id)), people.c.restricted == false()),
        _glass_open(user.id, people.c.id, now),
    )


def _entry(row: Any) -> AuditEntry:
    mapping = row._mapping
    return AuditEntry(
        at=_aware(row.at),
        user_id=row.user_id,
        action=AuditAction(row.action),
        person_id=row.person_id,
        map_id=row.map_id,
        version=row.version,
        ok=bool(row.ok),
        from_version=row.from_version,
        detail=row.detail,
        user_name=mapping.get("display_name"),
        user_email=mapping.get("email"),
    )


#: The audit with each acting user's name and e-mail address.
_AUDIT_WITH_USERS = select(audit_log, users.c.display_name, users.c.email).join(
    users, users.c.id == audit_log.c.user_id
)


def _upsert(connection: Connection) -> Any:
    """The dialect's INSERT that can say ON CONFLICT."""
    return postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert


def _plural(n: int, one: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {one}s"


class Store:
    """People and their maps, with every version kept, every record seen only by its team, and every
    opening, change, export and refusal audited."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str | None = None) -> Store:
        """The store for a database URL (default: :func:`default_url`)."""
        return cls(make_engine(url))

    # -- schema -----------------------------------------------------------------------------------

    def migrate(self, revision: str = "head", *, down: bool = False) -> None:
        """Create or upgrade the schema to the newest Alembic revision (or up or ``down`` to ``revision``).

        A schema already at the newest (:data:`SCHEMA_REVISION`, every start but the first) is read
        and left as it is without loading Alembic. On SQLite the migrations run with foreign keys off
        (a table another one refers to can only be copied so: batch mode's way to change a column),
        and are checked before they commit.
        """
        if revision == "head" and not down and self.schema_revision() == SCHEMA_REVISION:
            return
        from alembic import command

        config = _migrations()
        with self._migrating() as connection:
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)

    def schema_revision(self) -> str | None:
        """The revision the schema is at (None in a database without one), as Alembic writes it."""
        with _plainly(), self.engine.connect() as connection:
            if not sa_inspect(connection).has_table("alembic_version"):
                return None
            revisions = connection.execute(select(_ALEMBIC_VERSION.c.version_num)).scalars().all()
        return revisions[0] if len(revisions) == 1 else None

    # -- transactions -----------------------------------------------------------------------------

    @contextmanager
    def _refusals(self) -> Iterator[None]:
        """A refusal (:class:`_Denied`) rolls back what it interrupted, is audited on its own, and is raised
        as :class:`~ecomap.errors.AccessDenied`."""
        try:
            yield
        except _Denied as denied:
            with _plainly(), self.engine.connect() as connection:
                connection.execution_options(ecomap_begin="IMMEDIATE")
                with connection.begin():
                    self._audit(
                        connection,
                        denied.user,
                        AuditAction.DENIED,
                        person_id=denied.person_id,
                        map_id=denied.map_id,
                        version=denied.version,
                        detail=denied.attempted,
                        ok=False,
                    )
            raise AccessDenied(denied.message) from None

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self._refusals(), _plainly(), self.engine.connect() as connection:
            connection.execution_options(ecomap_begin="IMMEDIATE")
            with connection.begin():
                yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self._refusals(), _plainly(), self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def _migrating(self) -> Iterator[Connection]:
        with _plainly(), self.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            raw = connection.connection.dbapi_connection
            if sqlite:
                assert raw is not None
                raw.execute("PRAGMA foreign_keys=OFF")  # outside any transaction, where it takes effect
            try:
                connection.execution_options(ecomap_begin="IMMEDIATE")
                with connection.begin():
                    yield connection
                    if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                        raise StoreUnavailable(_UNKNOWN_REASON)
            finally:
                if sqlite:
                    assert raw is not None
                    raw.execute("PRAGMA foreign_keys=ON")

    def _ensure_user(self, connection: Connection, user: User) -> None:
        # Two sessions of a new user may arrive at once: insert unless present, in one statement.
        connection.execute(
            _upsert(connection)(users)
            .values(id=user.id, display_name=user.display_name, email=_email_or_none(user.email), created_at=_now())
            .on_conflict_do_nothing(index_elements=[users.c.id])
        )

    def _audit(
        self,
        connection: Connection,
        user: User,
        action: AuditAction,
        *,
        person_id: str | None = None,
        map_id: str | None = None,
        version: int | None = None,
        from_version: int | None = None,
        detail: str | None = None,
        ok: bool = True,
        user_known: bool = False,
    ) -> None:
        if not user_known:
            self._ensure_user(connection, user)
        connection.execute(
            insert(audit_log),
            {
                "at": _now(),
                "user_id": user.id,
                "action": action.value,
                "person_id": person_id,
                "map_id": map_id,
                "version": version,
                "from_version": from_version,
                "detail": None if detail is None else detail[:DETAIL_MAX],
                "ok": ok,
            },
        )

    # -- the access rules, applied --------------------------------------------------------------------

    @staticmethod
    def _seen(connection: Connection, user: User, key: ColumnElement[bool], message: str, attempted: str) -> Row[Any]:
        """The person, map and current version of the one record ``key`` names, if ``user`` may see it; a
        record they may not see is refused (audited) with ``message``, the words a missing one gets."""
        row = connection.execute(
            select(maps.c.person_id, maps.c.id, maps.c.current_version, _sees(user, _now()).label("seen"))
            .join(people, people.c.id == maps.c.person_id)
            .where(key)
        ).first()
        if row is None:
            raise NotFound(message)
        if not row.seen:
            raise _Denied(user, message, attempted, person_id=row.person_id, map_id=row.id)
        return row

    @staticmethod
    def _seen_map(connection: Connection, user: User, map_id: str, attempted: str) -> tuple[str, int]:
        """The person and current version of a map ``user`` may see (refused as :meth:`_seen` refuses)."""
        row = Store._seen(connection, user, maps.c.id == map_id, f"there is no map {map_id}", attempted)
        return row.person_id, row.current_version

    @staticmethod
    def _seen_person(connection: Connection, user: User, person_id: str, attempted: str) -> tuple[str, int]:
        """The map and current version of a person ``user`` may see (refused as :meth:`_seen` refuses)."""
        row = Store._seen(connection, user, people.c.id == person_id, f"there is no person {person_id}", attempted)
        return row.id, row.current_version

    @staticmethod
    def _admin_only(connection: Connection, user: User, attempted: str, *, person_id: str | None = None) -> None:
        """Refuse (audited) anyone but an admin."""
        if not connection.execute(select(_is_admin(user.id))).scalar():
            raise _Denied(user, _ADMINS_ONLY, attempted, person_id=person_id)

    @staticmethod
    def _record(connection: Connection, person_id: str) -> Any:
        """A person's record as an admin's powers need it (team, map, current version, restriction), or NotFound."""
        row = connection.execute(
            select(people.c.team_id, people.c.restricted, maps.c.id.label("map_id"), maps.c.current_version)
            .join(maps, maps.c.person_id == people.c.id)
            .where(people.c.id == person_id)
        ).first()
        if row is None:
            raise NotFound(f"there is no person {person_id}")
        return row

    @staticmethod
    def _team_exists(connection: Connection, team_id: str) -> None:
        if connection.execute(select(teams.c.id).where(teams.c.id == team_id)).first() is None:
            raise NotFound(f"there is no team {team_id}")

    # -- versions ---------------------------------------------------------------------------------

    def _claim_next_version(
        self, connection: Connection, map_id: str, expected_version: int, now: datetime
    ) -> str | None:
        """Make ``expected_version + 1`` the map's current version if ``expected_version`` still is.

        Returns the person's id, or None when someone saved since (the map is left as it was).
        """
        return connection.execute(
            update(maps)
            .where(maps.c.id == map_id, maps.c.current_version == expected_version)
            .values(current_version=expected_version + 1, updated_at=now)
            .returning(maps.c.person_id)
        ).scalar()

    def _refuse(
        self,
        connection: Connection,
        user: User,
        action: AuditAction,
        map_id: str,
        expected_version: int,
        *,
        from_version: int | None = None,
    ) -> Conflict:
        """Audit a write refused because the map moved on, and return the :class:`Conflict` to raise."""
        current = connection.execute(
            select(maps.c.current_version, maps.c.person_id).where(maps.c.id == map_id)
        ).first()
        if current is None:
            raise NotFound(f"there is no map {map_id}")
        newest, person_id = current
        self._audit(
            connection,
            user,
            action,
            person_id=person_id,
            map_id=map_id,
            version=newest,
            from_version=from_version,
            ok=False,
        )
        return Conflict(map_id, expected_version, newest)

    def _write_version(
        self, connection: Connection, user: User, m: EcoMap, version: int, person_id: str, now: datetime
    ) -> None:
        """Write ``m`` as ``version`` (already claimed), with the person's name and the caseload's counts."""
        connection.execute(
            insert(map_versions),
            {"map_id": m.id, "version": version, "document": _document(m), "saved_by": user.id, "saved_at": now},
        )
        connection.execute(_RENAME, {"person": person_id, "new_name": m.person.name})
        self._write_facts(connection, m, version)

    # -- people and maps --------------------------------------------------------------------------

    def add_person(self, user: User, m: EcoMap, *, team_id: str | None = None) -> Opened:
        """Add the person at the centre of ``m`` with ``m`` as version 1 of their map, saved by ``user``.

        The record belongs to ``team_id``, which must be one of the user's teams; it may be left
        out when the user is in exactly one (with several, ``ValueError`` asks for it). A user in
        no team, or naming a team they are not in, is refused (:class:`~ecomap.errors.AccessDenied`).
        """
        person_id = str(uuid.uuid4())
        now = _now()
        with self._writing() as connection:
            mine = list(connection.execute(_teams_of(user.id).order_by(memberships.c.team_id)).scalars())
            if team_id is None and len(mine) > 1:
                raise ValueError("you are in more than one team: say which team the record belongs to")
            if team_id is None and mine:
                team_id = mine[0]
            if team_id is None or team_id not in mine:
                raise _Denied(user, "you can add people only to a team you are in", AuditAction.CREATE.value)
            self._ensure_user(connection, user)
            connection.execute(
                insert(people).values(
                    id=person_id, name=m.person.name, created_at=now, created_by=user.id, team_id=team_id
                )
            )
            connection.execute(
                insert(maps).values(id=m.id, person_id=person_id, current_version=1, created_at=now, updated_at=now)
            )
            connection.execute(
                insert(map_versions).values(
                    map_id=m.id, version=1, document=_document(m), saved_by=user.id, saved_at=now
                )
            )
            self._write_facts(connection, m, 1, team_id=team_id)
            self._audit(
                connection, user, AuditAction.CREATE, person_id=person_id, map_id=m.id, version=1, user_known=True
            )
        return Opened(person_id, m, 1)

    @staticmethod
    def _write_facts(connection: Connection, m: EcoMap, version: int, *, team_id: str | None = None) -> None:
        """Write the map's counts for ``version``: a new row for a new record (in ``team_id``), otherwise its
        row rewritten (or made again, with its record's team and newest named version, if it was lost)."""
        row = {"version": version, **counts(m)}
        if team_id is None and connection.execute(_UPDATE_FACTS, {"facts_of": m.id, **row}).rowcount == 1:
            return
        if team_id is None:
            team_id = connection.execute(
                select(people.c.team_id).join(maps, maps.c.person_id == people.c.id).where(maps.c.id == m.id)
            ).scalar_one()
        named = connection.execute(
            select(func.max(version_labels.c.version)).where(version_labels.c.map_id == m.id)
        ).scalar()
        connection.execute(insert(map_facts), {"map_id": m.id, **row, "team_id": team_id, "named_version": named})

    def caseload(self, user: User, *, team_id: str | None = None) -> Caseload:
        """Every pattern of :data:`ecomap.caseload.PATTERNS` counted across the current maps of the teams
        ``user`` leads (or of the one of them ``team_id`` names), with the network sizes and how many
        maps changed since their last named version.

        One statement over the per-map counts (which carry each record's team and newest named
        version), and one of how many maps have each number of ties (for the median); no map is
        opened, no name read, no other table joined. Restricted records are counted: nothing of them
        is shown. Anyone who leads no team is refused. Each viewing is audited.
        """
        c = map_facts.c
        columns = [
            func.count().label("people"),
            func.coalesce(func.sum(c.ties), 0).label("ties"),
            *(func.coalesce(func.sum(c[sector]), 0).label(sector) for sector in SECTORS),
            *(func.coalesce(func.sum(case((p.test(c), 1), else_=0)), 0).label(p.id) for p in PATTERNS.values()),
            func.coalesce(func.sum(case((c.named_version.is_(None), 1), else_=0)), 0).label("never_named"),
            func.coalesce(func.sum(case((c.version > c.named_version, 1), else_=0)), 0).label("changed"),
        ]
        leading = _teams_of(user.id, leading=True)
        if team_id is not None:
            leading = leading.where(memberships.c.team_id == team_id)
        led = c.team_id.in_(leading)
        with self._writing() as connection:
            if not connection.execute(select(leading.exists())).scalar():
                raise _Denied(user, "only a team lead sees the caseload", AuditAction.CASELOAD.value)
            row = connection.execute(select(*columns).where(led)).one()._mapping
            sizes = connection.execute(select(c.ties, func.count()).where(led).group_by(c.ties))
            by_size = {int(ties): int(n) for ties, n in sizes}
            self._audit(connection, user, AuditAction.CASELOAD)
        return Caseload(
            people=int(row["people"]),
            ties=int(row["ties"]),
            by_sector={sector: int(row[sector]) for sector in SECTORS},
            counts={pid: int(row[pid]) for pid in PATTERNS},
            sizes=by_size,
            never_named=int(row["never_named"]),
            changed_since_named=int(row["changed"]),
        )

    def records(self, user: User, *, team_id: str | None = None) -> list[RecordSummary]:
        """Every record (or one team's), for an admin to move, restrict, keep or purge: ids, team,
        restriction, retention date, current version and last save; never a name. Admins only."""
        query = (
            select(
                people.c.id,
                maps.c.id,
                people.c.team_id,
                people.c.restricted,
                people.c.retention_until,
                maps.c.current_version,
                maps.c.updated_at,
            )
            .join(maps, maps.c.person_id == people.c.id)
            .order_by(people.c.team_id, maps.c.updated_at.desc(), people.c.id)
        )
        if team_id is not None:
            query = query.where(people.c.team_id == team_id)
        with self._reading() as connection:
            self._admin_only(connection, user, "records")
            rows = connection.execute(query).all()
        return [
            RecordSummary(p, m, team, bool(restricted), until, version, _aware(at))
            for p, m, team, restricted, until, version, at in rows
        ]

    def people(self, user: User) -> list[PersonSummary]:
        """Everyone ``user`` may see, by name (the listing is not audited)."""
        query = (
            select(
                people.c.id,
                maps.c.id,
                people.c.name,
                maps.c.current_version,
                maps.c.updated_at,
                people.c.team_id,
                people.c.restricted,
                people.c.retention_until,
            )
            .join(maps, maps.c.person_id == people.c.id)
            .where(_sees(user, _now()))
            .order_by(func.lower(people.c.name), people.c.id)
        )
        with self._reading() as connection:
            rows = connection.execute(query).all()
        return [
            PersonSummary(p, m, name, version, _aware(at), team, bool(restricted), until)
            for p, m, name, version, at, team, restricted, until in rows
        ]

    def open(self, user: User, map_id: str, *, version: int | None = None) -> Opened:
        """The newest version of a map (or the one asked for); the opening is audited as ``user``'s."""
        with self._writing() as connection:
            person_id, current = self._seen_map(connection, user, map_id, AuditAction.OPEN.value)
            wanted = current if version is None else version
            document = connection.execute(
                select(map_versions.c.document).where(map_versions.c.map_id == map_id, map_versions.c.version == wanted)
            ).scalar()
            if document is None:
                raise NotFound(f"map {map_id} has no version {wanted}")
            self._audit(connection, user, AuditAction.OPEN, person_id=person_id, map_id=map_id, version=wanted)
        return Opened(person_id, _stored(document), wanted)

    def save(self, user: User, m: EcoMap, *, expected_version: int) -> int:
        """Save ``m`` as a new version, saved by ``user``, and return its number.

        ``expected_version`` is the version the editor loaded. If the map has been saved
        since, nothing is written but an audit entry and :class:`Conflict` is raised.
        """
        now = _now()
        new_version = expected_version + 1
        conflict = None
        with self._writing() as connection:
            self._seen_map(connection, user, m.id, AuditAction.SAVE.value)
            person_id = self._claim_next_version(connection, m.id, expected_version, now)
            if person_id is None:
                conflict = self._refuse(connection, user, AuditAction.SAVE_REFUSED, m.id, expected_version)
            else:
                self._ensure_user(connection, user)
                self._write_version(connection, user, m, new_version, person_id, now)
                self._audit(
                    connection,
                    user,
                    AuditAction.SAVE,
                    person_id=person_id,
                    map_id=m.id,
                    version=new_version,
                    user_known=True,
                )
        if conflict is not None:
            raise conflict
        return new_version

    def current_version(self, user: User, map_id: str) -> int:
        """The newest version of a map ``user`` may see: one cheap read, not audited (a screen that follows
        the map asks it often); a map they may not see is refused as :meth:`open` refuses it."""
        with self._reading() as connection:
            return self._seen_map(connection, user, map_id, AuditAction.OPEN.value)[1]

    @staticmethod
    def _versions(connection: Connection, map_id: str) -> list[SavedVersion]:
        restores = audit_log.alias("restores")
        query = (
            select(
                map_versions.c.version,
                map_versions.c.saved_at,
                map_versions.c.saved_by,
                version_labels.c.label,
                restores.c.from_version,
                users.c.display_name,
            )
            .outerjoin(
                version_labels,
                (version_labels.c.map_id == map_versions.c.map_id)
                & (version_labels.c.version == map_versions.c.version),
            )
            .outerjoin(
                restores,
                (restores.c.map_id == map_versions.c.map_id)
                & (restores.c.version == map_versions.c.version)
                & (restores.c.action == AuditAction.RESTORE.value),
            )
            .join(users, users.c.id == map_versions.c.saved_by)
            .where(map_versions.c.map_id == map_id)
            .order_by(map_versions.c.version)
        )
        return [
            SavedVersion(v, _aware(at), by, label or "", restored_from=source, saved_by_name=name)
            for v, at, by, label, source, name in connection.execute(query).all()
        ]

    def versions(self, user: User, map_id: str) -> list[SavedVersion]:
        """Every saved version of a map ``user`` may see, oldest first, with the names given to any of them,
        who saved each, and for a restore the version it brought back (from the audit).

        The listing is not audited (a refusal is).
        """
        with self._reading() as connection:
            self._seen_map(connection, user, map_id, "versions")
            return self._versions(connection, map_id)

    def label_version(self, user: User, map_id: str, version: int, label: str) -> None:
        """Name a saved version ("first conversation"); an empty name takes the name away.

        The name is kept as :func:`ecomap.versions.clean_label` makes it; ``user`` is recorded as its author.
        """
        label = clean_label(label)
        with self._writing() as connection:
            person_id, _ = self._seen_map(connection, user, map_id, AuditAction.LABEL.value)
            if (
                connection.execute(
                    select(map_versions.c.version).where(
                        map_versions.c.map_id == map_id, map_versions.c.version == version
                    )
                ).first()
                is None
            ):
                raise NotFound(f"map {map_id} has no version {version}")
            self._ensure_user(connection, user)
            connection.execute(
                delete(version_labels).where(version_labels.c.map_id == map_id, version_labels.c.version == version)
            )
            if label:
                connection.execute(
                    insert(version_labels).values(
                        map_id=map_id, version=version, label=label, labelled_by=user.id, labelled_at=_now()
                    )
                )
            newest_named = (
                select(func.max(version_labels.c.version)).where(version_labels.c.map_id == map_id).scalar_subquery()
            )
            connection.execute(update(map_facts).where(map_facts.c.map_id == map_id).values(named_version=newest_named))
            self._audit(
                connection,
                user,
                AuditAction.LABEL,
                person_id=person_id,
                map_id=map_id,
                version=version,
                user_known=True,
            )

    def restore(self, user: User, map_id: str, version: int, *, expected_version: int) -> int:
        """Make an old version the current map again, as a new version saved by ``user``; every version stays.

        One transaction writes the new version, moves the map on to it and audits the restore, or
        writes none of them. Returns the new version's number; raises :class:`Conflict` as
        :meth:`save` does (with an audit entry of a refused restore).

        Examples
        --------
        >>> from ecomap.model import example
        >>> store = Store.from_url("sqlite://")
        >>> store.migrate()
        >>> first = store.add_person(LOCAL_USER, example())
        >>> store.save(LOCAL_USER, first.map.replace(title="Later"), expected_version=1)
        2
        >>> store.restore(LOCAL_USER, first.map.id, 1, expected_version=2)
        3
        >>> entry = store.audit(LOCAL_USER)[-1]
        >>> (str(entry.action), entry.version, entry.from_version)
        ('restore', 3, 1)
        """
        now = _now()
        new_version = expected_version + 1
        conflict = None
        with self._writing() as connection:
            self._seen_map(connection, user, map_id, AuditAction.RESTORE.value)
            document = connection.execute(
                select(map_versions.c.document).where(
                    map_versions.c.map_id == map_id, map_versions.c.version == version
                )
            ).scalar()
            if document is None:
                raise NotFound(f"map {map_id} has no version {version}")
            person_id = self._claim_next_version(connection, map_id, expected_version, now)
            if person_id is None:
                conflict = self._refuse(
                    connection, user, AuditAction.RESTORE_REFUSED, map_id, expected_version, from_version=version
                )
            else:
                self._ensure_user(connection, user)
                self._write_version(connection, user, _stored(document), new_version, person_id, now)
                self._audit(
                    connection,
                    user,
                    AuditAction.RESTORE,
                    person_id=person_id,
                    map_id=map_id,
                    version=new_version,
                    from_version=version,
                    user_known=True,
                )
        if conflict is not None:
            raise conflict
        return new_version

    def audit(self, user: User, *, map_id: str | None = None) -> list[AuditEntry]:
        """The audit trail ``user`` may read, oldest first: the entries about the records they may see, and
        their own entries about no record (a caseload's viewing, a sign-in). For one map if ``map_id``
        is given (a map they may not see is refused). The reading is not audited; an admin searches
        the whole audit with :meth:`search_audit`.
        """
        query = _AUDIT_WITH_USERS.order_by(audit_log.c.id)
        seen = select(people.c.id).where(_sees(user, _now()))
        with self._reading() as connection:
            if map_id is not None:
                self._seen_map(connection, user, map_id, "audit")
                query = query.where(audit_log.c.map_id == map_id)
            else:
                query = query.where(
                    or_(
                        audit_log.c.person_id.in_(seen),
                        and_(audit_log.c.person_id.is_(None), audit_log.c.user_id == user.id),
                    )
                )
            rows = connection.execute(query).all()
        return [_entry(r) for r in rows]

    def record_export(self, user: User, map_id: str, version: int, fmt: str, *, reason: str | None = None) -> None:
        """Audit that ``user`` exported a version of a map, with ``fmt`` (such as ``pdf`` or ``csv``) as its
        detail, and the reason given for an export the person's consent does not cover (as ``pdf: reason``)."""
        if not 0 < len(fmt) <= FORMAT_MAX:
            raise ValueError(f"an export's format is 1 to {FORMAT_MAX} characters, not {fmt!r}")
        detail = fmt if reason is None else f"{fmt}: {clean_reason(reason)}"
        with self._writing() as connection:
            person_id, _ = self._seen_map(connection, user, map_id, AuditAction.EXPORT.value)
            self._audit(
                connection, user, AuditAction.EXPORT, person_id=person_id, map_id=map_id, version=version, detail=detail
            )

    def record_import(self, user: User, person_id: str, fmt: str) -> None:
        """Audit that a map was read from a file of format ``fmt`` into a record ``user`` may see."""
        if not 0 < len(fmt) <= FORMAT_MAX:
            raise ValueError(f"an import's format is 1 to {FORMAT_MAX} characters, not {fmt!r}")
        with self._writing() as connection:
            map_id, version = self._seen_person(connection, user, person_id, AuditAction.IMPORT.value)
            self._audit(
                connection, user, AuditAction.IMPORT, person_id=person_id, map_id=map_id, version=version, detail=fmt
            )

    def is_empty(self, user: User | None = None) -> bool:
        """True when ``user`` sees nobody (the People page then offers the examples); with no user,
        when no person has been added at all."""
        query = select(people.c.id).limit(1)
        if user is not None:
            query = query.where(_sees(user, _now()))
        with self._reading() as connection:
            return connection.execute(query).first() is None

    # -- sign-in ----------------------------------------------------------------------------------

    def record_sign_in(self, user: User) -> None:
        """Audit a sign-in: make or update the user's row (name and e-mail address as signed in), and
        bind every membership waiting for their e-mail address (in any case) to their id."""
        email = _email_or_none(user.email)
        with self._writing() as connection:
            connection.execute(
                _upsert(connection)(users)
                .values(id=user.id, display_name=user.display_name, email=email, created_at=_now())
                .on_conflict_do_update(
                    index_elements=[users.c.id], set_={"display_name": user.display_name, "email": email}
                )
            )
            if email is not None:
                mine = set(connection.execute(_teams_of(user.id)).scalars())
                waiting = connection.execute(
                    select(memberships.c.id, memberships.c.team_id).where(
                        memberships.c.user_id.is_(None), memberships.c.email == email
                    )
                ).all()
                for membership, team_id in waiting:
                    if team_id in mine:
                        connection.execute(delete(memberships).where(memberships.c.id == membership))
                    else:
                        connection.execute(
                            update(memberships)
                            .where(memberships.c.id == membership)
                            .values(user_id=user.id, email=None)
                        )
            self._audit(connection, user, AuditAction.SIGN_IN, user_known=True)

    def record_sign_out(self, user: User) -> None:
        """Audit a sign-out."""
        with self._writing() as connection:
            self._audit(connection, user, AuditAction.SIGN_OUT)

    # -- what a user is ---------------------------------------------------------------------------

    def is_admin(self, user: User) -> bool:
        """True when ``user`` is an admin (the local mode's user and the operator are)."""
        with self._reading() as connection:
            return bool(connection.execute(select(_is_admin(user.id))).scalar())

    def roles(self, user: User) -> dict[str, Role]:
        """The user's own teams, by id, with their role in each."""
        query = select(memberships.c.team_id, memberships.c.role).where(memberships.c.user_id == user.id)
        with self._reading() as connection:
            return {team_id: Role(role) for team_id, role in connection.execute(query)}

    # -- records: admins' powers ------------------------------------------------------------------

    def break_glass(self, user: User, person_id: str, reason: str) -> Opened:
        """Open a record an admin could not otherwise see (another team's, or a restricted one).

        ``reason`` is required (cleaned by :func:`ecomap.access.clean_reason`, at most
        :data:`ecomap.access.REASON_MAX` characters) and audited as BREAK_GLASS with the reason as
        its detail. For :data:`ecomap.access.BREAK_GLASS_HOURS` after, that admin sees the record
        as a member would (it is listed, opened, saved...). Only admins; anyone else is refused.
        """
        reason = clean_reason(reason)
        with self._writing() as connection:
            self._admin_only(connection, user, AuditAction.BREAK_GLASS.value, person_id=person_id)
            record = self._record(connection, person_id)
            document = connection.execute(
                select(map_versions.c.document).where(
                    map_versions.c.map_id == record.map_id, map_versions.c.version == record.current_version
                )
            ).scalar_one()
            self._audit(
                connection,
                user,
                AuditAction.BREAK_GLASS,
                person_id=person_id,
                map_id=record.map_id,
                version=record.current_version,
                detail=reason,
            )
        return Opened(person_id, _stored(document), record.current_version)

    def restrict(self, user: User, person_id: str, restricted: bool) -> None:
        """Restrict a record (only an admin, through break-glass, may then open it) or lift it. Admins only."""
        action = AuditAction.RESTRICT if restricted else AuditAction.UNRESTRICT
        with self._writing() as connection:
            self._admin_only(connection, user, action.value, person_id=person_id)
            record = self._record(connection, person_id)
            connection.execute(update(people).where(people.c.id == person_id).values(restricted=restricted))
            self._audit(connection, user, action, person_id=person_id, map_id=record.map_id)

    def move_person(self, user: User, person_id: str, team_id: str) -> None:
        """Move a record to another team (audited MOVE, from and to by id). Admins only."""
        with self._writing() as connection:
            self._admin_only(connection, user, AuditAction.MOVE.value, person_id=person_id)
            record = self._record(connection, person_id)
            self._team_exists(connection, team_id)
            connection.execute(update(people).where(people.c.id == person_id).values(team_id=team_id))
            connection.execute(update(map_facts).where(map_facts.c.map_id == record.map_id).values(team_id=team_id))
            self._audit(
                connection,
                user,
                AuditAction.MOVE,
                person_id=person_id,
                map_id=record.map_id,
                detail=f"from {record.team_id} to {team_id}",
            )

    def set_retention(self, user: User, person_id: str, until: date | None) -> None:
        """Keep a record until ``until`` (None: no date); a purge removes it after. Admins only."""
        with self._writing() as connection:
            self._admin_only(connection, user, AuditAction.RETENTION.value, person_id=person_id)
            record = self._record(connection, person_id)
            connection.execute(update(people).where(people.c.id == person_id).values(retention_until=until))
            self._audit(
                connection,
                user,
                AuditAction.RETENTION,
                person_id=person_id,
                map_id=record.map_id,
                detail=until.isoformat() if until else "none",
            )

    def purge_due(self, user: User, today: date, *, dry_run: bool) -> list[PurgeCandidate]:
        """Remove every record whose retention date is before ``today``, with its whole history.

        Every row about each record goes, its audit entries included (the database allows that only
        for a record past its retention date by its own clock, so ``today`` may not be later than
        today in UTC); then one PURGE entry, naming nobody, says how many records went. ``dry_run``
        lists them and changes nothing. Admins (and the operator) only.
        """
        if today > _now().date():
            raise ValueError("a purge cannot be dated after today")
        query = (
            select(
                people.c.id,
                maps.c.id,
                people.c.team_id,
                people.c.retention_until,
                select(func.count()).where(map_versions.c.map_id == maps.c.id).scalar_subquery(),
            )
            .join(maps, maps.c.person_id == people.c.id)
            .where(people.c.retention_until < today)
            .order_by(people.c.retention_until, people.c.id)
        )
        with self._writing() as connection:
            self._admin_only(connection, user, AuditAction.PURGE.value)
            due = [PurgeCandidate(*row) for row in connection.execute(query).all()]
            if dry_run:
                return due
            person_ids = [c.person_id for c in due]
            map_ids = [c.map_id for c in due]
            # The history goes first: the database checks each row's person is past their date.
            for statement in (
                delete(version_labels).where(version_labels.c.map_id.in_(map_ids)),
                delete(map_facts).where(map_facts.c.map_id.in_(map_ids)),
                delete(map_versions).where(map_versions.c.map_id.in_(map_ids)),
                delete(audit_log).where(audit_log.c.person_id.in_(person_ids) | audit_log.c.map_id.in_(map_ids)),
                delete(maps).where(maps.c.id.in_(map_ids)),
                delete(people).where(people.c.id.in_(person_ids)),
            ):
                connection.execute(statement)
            self._audit(connection, user, AuditAction.PURGE, detail=_plural(len(due), "record"))
        return due

    def subject_access(self, user: User, person_id: str) -> SubjectAccess:
        """Everything held about one person: every version, and the audit entries about them (by their id,
        or by their map's as some older entries are). Admins only; audited SUBJECT_ACCESS."""
        with self._writing() as connection:
            self._admin_only(connection, user, AuditAction.SUBJECT_ACCESS.value, person_id=person_id)
            record = self._record(connection, person_id)
            saved = self._versions(connection, record.map_id)
            documents = dict(
                connection.execute(
                    select(map_versions.c.version, map_versions.c.document).where(
                        map_versions.c.map_id == record.map_id
                    )
                ).all()
            )
            about = connection.execute(
                _AUDIT_WITH_USERS.where(
                    or_(audit_log.c.person_id == person_id, audit_log.c.map_id == record.map_id)
                ).order_by(audit_log.c.id)
            ).all()
            self._audit(
                connection,
                user,
                AuditAction.SUBJECT_ACCESS,
                person_id=person_id,
                map_id=record.map_id,
                version=record.current_version,
            )
        return SubjectAccess(
            person_id, record.map_id, record.team_id, saved, {int(v): d for v, d in documents.items()},
            [_entry(r) for r in about],
        )  # fmt: skip

    # -- teams and members (admins only; audited) -------------------------------------------------

    @staticmethod
    def _name_free(connection: Connection, name: str, *, but: str | None = None) -> None:
        query = select(teams.c.id).where(func.lower(teams.c.name) == name.lower())
        if but is not None:
            query = query.where(teams.c.id != but)
        if connection.execute(query).first() is not None:
            raise ValueError("there is a team of that name already")

    def create_team(self, user: User, name: str) -> Team:
        """Make a team (names are unique, in any case); audited TEAM."""
        name = clean_team_name(name)
        team_id = str(uuid.uuid4())
        with self._writing() as connection:
            self._admin_only(connection, user, AuditAction.TEAM.value)
            self._name_free(connection, name)
            connection.execute(insert(teams).values(id=team_id, name=name, created_at=_now()))
            self._audit(connection, user, AuditAction.TEAM, detail=f"create {team_id}")
        return Team(team_id, name)

    def rename_team(self, user: User, team_id: str, name: str) -> Team:
        """Rename a team; audited TEAM."""
        name = clean_team_name(name)
        with self._writing() as connection:
            self._admin_only(connection, user, AuditAction.TEAM.value)
            self._team_exists(connection, team_id)
            self._name_free(connection, name, but=team_id)
            connection.execute(update(teams).where(teams.c.id == team_id).values(name=name))
            self._audit(connection, user, AuditAction.TEAM, detail=f"rename {team_id}")
        return Team(team_id, name)

    def teams(self, user: User) -> list[Team]:
        """Every team, by name, for an admin; the user's own teams for anyone else; each with how many
        records and members it has."""
        records = select(func.count()).where(people.c.team_id == teams.c.id).scalar_subquery()
        members = select(func.count()).where(memberships.c.team_id == teams.c.id).scalar_subquery()
        query = (
            select(teams.c.id, teams.c.name, records, members)
            .where(or_(_is_admin(user.id), teams.c.id.in_(_teams_of(user.id))))
            .order_by(func.lower(teams.c.name), teams.c.id)
        )
        with self._reading() as connection:
            return [Team(i, name, int(n), int(m)) for i, name, n, m in connection.execute(query)]

    def members(self, user: User, team_id: str) -> list[Member]:
        """A team's members, leads first, signed-in ones by name, then those waiting for their first
        sign-in. For an admin, or a member of the team."""
        query = (
            select(
                memberships.c.team_id,
                memberships.c.role,
                memberships.c.user_id,
                users.c.display_name,
                func.coalesce(users.c.email, memberships.c.email),
                users.c.is_admin,
            )
            .outerjoin(users, users.c.id == memberships.c.user_id)
            .where(memberships.c.team_id == team_id)
            .order_by(
                case((memberships.c.role == Role.LEAD.value, 0), else_=1),
                memberships.c.user_id.is_(None),
                func.lower(users.c.display_name),
                memberships.c.email,
            )
        )
        allowed = or_(_is_admin(user.id), _teams_of(user.id).where(memberships.c.team_id == team_id).exists())
        with self._reading() as connection:
            if not connection.execute(select(allowed)).scalar():
                raise _Denied(user, _ADMINS_ONLY, "members")
            self._team_exists(connection, team_id)
            rows = connection.execute(query).all()
        return [Member(t, Role(r), u, name or "", email, bool(admin)) for t, r, u, name, email, admin in rows]

    @staticmethod
    def _whom(connection: Connection, target: str) -> tuple[str | None, str | None]:
        """A member named by user id (who must have signed in) or by e-mail address: (user id, None) for
        someone who has signed in, (None, address) for an address nobody has signed in with yet."""
        if "@" in target:
            email = normal_email(target)
            found = connection.execute(
                select(users.c.id).where(users.c.email == email).order_by(users.c.created_at, users.c.id).limit(1)
            ).scalar()
            return (found, None) if found else (None, email)
        if connection.execute(select(users.c.id).where(users.c.id == target)).first() is None:
            raise NotFound(f"there is no user {target}")
        return target, None

    @staticmethod
    def _membership(team_id: str, user_id: str | None, email: str | None) -> ColumnElement[bool]:
        held = memberships.c.user_id == user_id if user_id is not None else memberships.c.email == email
        return and_(memberships.c.team_id == team_id, held)

    def add_member(self, user: User, team_id: str, email_or_user_id: str, role: Role) -> Member:
        """Add a member to a team, or change their role: by user id, or by e-mail address (bound to
        whoever has signed in with it, or kept until their first sign-in); audited MEMBERSHIP."""
        role = Role(role)
        with self._writing() as connection:
            self._admin_only(connection, user, AuditAction.MEMBERSHIP.value)
            self._team_exists(connection, team_id)
            user_id, email = self._whom(connection, email_or_user_id)
            held = self._membership(team_id, user_id, email)
            changed = connection.execute(update(memberships).where(held).values(role=role.value)).rowcount
            if not changed:
                connection.execute(
                    insert(memberships).values(
                        team_id=team_id, user_id=user_id, email=email, role=role.value, added_at=_now()
                    )
                )
            verb = "change to" if changed else "add"
            self._audit(connection, user, AuditAction.MEMBERSHIP, detail=f"{team_id}: {verb} {role} {user_id or email}")
        if user_id is not None:
            return next(m for m in self.members(user, team_id) if m.user_id == user_id)
        return next(m for m in self.members(user, team_id) if m.pending and m.email == email)

    def remove_member(self, user: User, team_id: str, email_or_user_id: str) -> None:
        """Take a member out of a team; audited MEMBERSHIP."""
        with self._writing() as connection:
            self._admin_only(connection, user, AuditAction.MEMBERSHIP.value)
            self._team_exists(connection, team_id)
            user_id, email = self._whom(connection, email_or_user_id)
            if not connection.execute(delete(memberships).where(self._membership(team_id, user_id, email))).rowcount:
                raise NotFound(f"{email_or_user_id} is not a member of team {team_id}")
            self._audit(connection, user, AuditAction.MEMBERSHIP, detail=f"{team_id}: remove {user_id or email}")

    def set_admin(self, user: User, target: str, is_admin: bool) -> None:
        """Make the user ``target`` (an id, or the e-mail address of one who has signed in) an admin
        or not; audited MEMBERSHIP. The last admin cannot be unmade."""
        with self._writing() as connection:
            self._admin_only(connection, user, AuditAction.MEMBERSHIP.value)
            user_id, _ = self._whom(connection, target)
            if user_id is None:
                raise NotFound("nobody has signed in with that address yet")
            if not is_admin:
                others = select(func.count()).where(users.c.is_admin == true(), users.c.id != user_id)
                if not connection.execute(others).scalar():
                    raise ValueError("the last admin cannot be unmade")
            connection.execute(update(users).where(users.c.id == user_id).values(is_admin=is_admin))
            detail = f"{'make' if is_admin else 'unmake'} admin {user_id}"
            self._audit(connection, user, AuditAction.MEMBERSHIP, detail=detail)

    # -- the audit an admin reads -----------------------------------------------------------------

    def search_audit(
        self,
        user: User,
        *,
        person_id: str | None = None,
        user_id: str | None = None,
        actions: Collection[AuditAction] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = AUDIT_LIMIT,
    ) -> list[AuditEntry]:
        """The audit, newest first, by person, acting user, actions and time (``since`` inclusive,
        ``until`` exclusive; a time without a zone is taken as UTC), at most ``limit`` entries (no more
        than :data:`AUDIT_LIMIT`), with each acting user's name and e-mail address. Admins only; the
        search itself is audited VIEW_AUDIT."""
        query = _AUDIT_WITH_USERS.order_by(audit_log.c.id.desc()).limit(max(0, min(limit, AUDIT_LIMIT)))
        if person_id is not None:
            query = query.where(audit_log.c.person_id == person_id)
        if user_id is not None:
            query = query.where(audit_log.c.user_id == user_id)
        if actions is not None:
            query = query.where(audit_log.c.action.in_([AuditAction(a).value for a in actions]))
        if since is not None:
            query = query.where(audit_log.c.at >= _utc(since))
        if until is not None:
            query = query.where(audit_log.c.at < _utc(until))
        with self._writing() as connection:
            self._admin_only(connection, user, AuditAction.VIEW_AUDIT.value, person_id=person_id)
            rows = connection.execute(query).all()
            self._audit(connection, user, AuditAction.VIEW_AUDIT, person_id=person_id)
        return [_entry(r) for r in rows]

    # -- check-out and check-in: a record taken to a home visit (ecomap.checkout) ---------------------

    def user_named(self, email_or_id: str) -> User:
        """The user who signed in with an e-mail address (the first, if several did), or who has the id."""
        with self._reading() as connection:
            if "@" in email_or_id:
                query = select(users).where(users.c.email == normal_email(email_or_id))
            else:
                query = select(users).where(users.c.id == email_or_id)
            row = connection.execute(query.order_by(users.c.created_at, users.c.id).limit(1)).first()
        if row is None:
            raise NotFound(f"nobody has signed in as {email_or_id}")
        return User(row.id, row.display_name, row.email)

    def check_out(
        self, user: User, person_ids: Collection[str], until: date, *, today: date | None = None
    ) -> list[Carried]:
        """Mark each record as checked out by ``user`` until ``until`` and return what a visit store copies
        of it (:meth:`take_copy`): all the records, or (on any refusal) none.

        Only a record ``user`` may see is checked out (one they may not is refused, audited, as
        :meth:`open` refuses it). A record checked out by someone else until today or later is refused
        (:class:`CheckedOutElsewhere`); one whose check-out has passed its date is free, and that
        check-out is ended. ``user``'s own open check-out of it is ended and made again (the copy is
        sent again). Each check-out is audited CHECK_OUT, its id and date in ``detail``.
        """
        today = today or _now().date()
        if until < today:
            raise ValueError("a check-out lasts until today or a later day")
        now = _now()
        carried: list[Carried] = []
        with self._writing() as connection:
            self._ensure_user(connection, user)
            for person_id in dict.fromkeys(person_ids):
                map_id, version = self._seen_person(connection, user, person_id, AuditAction.CHECK_OUT.value)
                held = connection.execute(
                    select(checkouts.c.id, checkouts.c.user_id, checkouts.c.until, users.c.display_name)
                    .join(users, users.c.id == checkouts.c.user_id)
                    .where(checkouts.c.person_id == person_id, checkouts.c.ended_at.is_(None))
                ).first()
                detail = f"until {until.isoformat()}"
                if held is not None:
                    if held.user_id != user.id and held.until >= today:
                        raise CheckedOutElsewhere(person_id, held.display_name, held.until)
                    connection.execute(update(checkouts).where(checkouts.c.id == held.id).values(ended_at=now))
                    detail += f"; check-out {held.id} ended" + (", past its date" if held.until < today else "")
                checkout_id = connection.execute(
                    insert(checkouts)
                    .values(
                        person_id=person_id,
                        map_id=map_id,
                        user_id=user.id,
                        checked_out_at=now,
                        until=until,
                        server_version=version,
                    )
                    .returning(checkouts.c.id)
                ).scalar_one()
                self._audit(
                    connection,
                    user,
                    AuditAction.CHECK_OUT,
                    person_id=person_id,
                    map_id=map_id,
                    version=version,
                    detail=f"check-out {checkout_id} {detail}",
                    user_known=True,
                )
                carried.append(self._carried(connection, user, person_id, map_id, checkout_id))
        return carried

    @staticmethod
    def _carried(connection: Connection, user: User, person_id: str, map_id: str, checkout_id: int) -> Carried:
        person = _copied(connection, select(people).where(people.c.id == person_id))[0]
        versions = _copied(connection, select(map_versions).where(map_versions.c.map_id == map_id).order_by("version"))
        labels = _copied(connection, select(version_labels).where(version_labels.c.map_id == map_id))
        who = {user.id, person["created_by"], *(v["saved_by"] for v in versions), *(x["labelled_by"] for x in labels)}
        role = connection.execute(
            select(memberships.c.role).where(
                memberships.c.team_id == person["team_id"], memberships.c.user_id == user.id
            )
        ).scalar()
        return Carried(
            checkout=_copied(connection, select(checkouts).where(checkouts.c.id == checkout_id))[0],
            person=person,
            team=_copied(connection, select(teams).where(teams.c.id == person["team_id"]))[0],
            map=_copied(connection, select(maps).where(maps.c.id == map_id))[0],
            versions=versions,
            labels=labels,
            users=_copied(
                connection,
                select(users.c.id, users.c.display_name, users.c.email, users.c.created_at).where(users.c.id.in_(who)),
            ),
            role=role or Role.PRACTITIONER.value,
        )

    @staticmethod
    def _copy_users(connection: Connection, rows: list[dict[str, Any]]) -> None:
        """Users another store knows, made here unless they are already (never as admins)."""
        for row in rows:
            connection.execute(
                _upsert(connection)(users)
                .values(
                    id=row["id"], display_name=row["display_name"], email=row["email"], created_at=row["created_at"]
                )
                .on_conflict_do_nothing(index_elements=[users.c.id])
            )

    def take_copy(self, user: User, carried: Carried) -> None:
        """Keep a checked-out record (from :meth:`check_out` on the team server) in this, the visit store:
        the person, their team, every version of the map with its times and names, a membership of the
        team for ``user`` and for this machine's :data:`LOCAL_USER` (who acts for them on the laptop),
        and the copy's mark (``copy_of``: the server's check-out). Audited CHECK_OUT here too."""
        person, team, record = carried.person, carried.team, carried.map
        with self._writing() as connection:
            if connection.execute(select(people.c.id).where(people.c.id == person["id"])).first() is not None:
                raise ValueError(f"person {person['id']} is in this store already")
            self._copy_users(connection, [*carried.users, {**_user_row(user), "created_at": _now()}])
            if connection.execute(select(teams.c.id).where(teams.c.id == team["id"])).first() is None:
                name = team["name"]
                if connection.execute(select(teams.c.id).where(func.lower(teams.c.name) == name.lower())).first():
                    name = f"{name[: TEAM_NAME_MAX - len(team['id']) - 3]} ({team['id']})"
                connection.execute(insert(teams).values({**team, "name": name}))
            for member in dict.fromkeys((user.id, LOCAL_USER.id)):
                connection.execute(
                    _upsert(connection)(memberships)
                    .values(team_id=team["id"], user_id=member, role=carried.role, added_at=_now())
                    .on_conflict_do_nothing(index_elements=[memberships.c.team_id, memberships.c.user_id])
                )
            connection.execute(insert(people).values(person))
            connection.execute(insert(maps).values(record))
            for version in carried.versions:
                connection.execute(insert(map_versions).values(version))
            for label in carried.labels:
                connection.execute(insert(version_labels).values(label))
            newest = carried.versions[-1]
            self._write_facts(connection, _stored(newest["document"]), newest["version"], team_id=team["id"])
            checkout = carried.checkout
            connection.execute(
                insert(checkouts).values(
                    {**{k: v for k, v in checkout.items() if k != "id"}, "copy_of": checkout["id"]}
                )
            )
            self._audit(
                connection,
                user,
                AuditAction.CHECK_OUT,
                person_id=person["id"],
                map_id=record["id"],
                version=checkout["server_version"],
                detail=f"copy of check-out {checkout['id']} until {checkout['until'].isoformat()}",
                user_known=True,
            )

    def copies(self, user: User) -> list[VisitCopy]:
        """The checked-out records this visit store holds that ``user`` may see, by name."""
        query = (
            select(
                checkouts.c.person_id,
                checkouts.c.map_id,
                people.c.name,
                checkouts.c.copy_of,
                checkouts.c.user_id,
                checkouts.c.until,
                checkouts.c.server_version,
                maps.c.current_version,
            )
            .join(people, people.c.id == checkouts.c.person_id)
            .join(maps, maps.c.id == checkouts.c.map_id)
            .where(checkouts.c.copy_of.is_not(None), checkouts.c.ended_at.is_(None), _sees(user, _now()))
            .order_by(func.lower(people.c.name), people.c.id)
        )
        with self._reading() as connection:
            return [VisitCopy(*row) for row in connection.execute(query).all()]

    def brought_back(self, user: User, person_id: str) -> Brought:
        """What a check-in takes from this visit store to the team server: the copy's mark, the versions
        made on the visit (after the server's newest at check-out), the names of any version, the
        audit about the person here (but the copy's own check-out), and the users they name."""
        with self._reading() as connection:
            map_id, _ = self._seen_person(connection, user, person_id, AuditAction.CHECK_IN.value)
            mark = _copied(
                connection,
                select(checkouts).where(
                    checkouts.c.person_id == person_id,
                    checkouts.c.copy_of.is_not(None),
                    checkouts.c.ended_at.is_(None),
                ),
            )
            if not mark:
                raise NotFound(f"person {person_id} is not checked out to this store")
            base = mark[0]["server_version"]
            versions = _copied(
                connection,
                select(map_versions)
                .where(map_versions.c.map_id == map_id, map_versions.c.version >= base)
                .order_by("version"),
            )
            labels = _copied(connection, select(version_labels).where(version_labels.c.map_id == map_id))
            audit = _copied(
                connection,
                select(audit_log)
                .where(
                    or_(audit_log.c.person_id == person_id, audit_log.c.map_id == map_id),
                    audit_log.c.action != AuditAction.CHECK_OUT.value,
                )
                .order_by(audit_log.c.id),
            )
            who = {
                *(v["saved_by"] for v in versions),
                *(x["labelled_by"] for x in labels),
                *(a["user_id"] for a in audit),
            }
            known = _copied(
                connection,
                select(users.c.id, users.c.display_name, users.c.email, users.c.created_at).where(users.c.id.in_(who)),
            )
        return Brought(
            checkout=mark[0],
            base=versions[0]["document"],
            versions=versions[1:],
            labels=labels,
            audit=audit,
            users=known,
        )

    def land(
        self,
        user: User,
        brought: Brought,
        *,
        expected_version: int,
        merged: EcoMap | None = None,
        visit_label: str = "made on the visit",
    ) -> Landed:
        """Append a visit's versions (:meth:`brought_back`) to this, the team server's, map, and end its
        check-out; one transaction, audited CHECK_IN (the versions landed in ``detail``).

        ``expected_version`` is the map's newest version as the caller read it (:class:`Conflict` if it
        moved since). When it is still the newest at check-out, the visit's versions follow it as they
        were made, with their numbers, times, authors and names. When the map changed meanwhile, they
        follow its newest, in their order and with their times, each named ``visit_label`` (with any
        name of its own after it), and ``merged`` (what was chosen, tie by tie) is saved after them
        by ``user`` as the map's newest version. Versions :data:`LOCAL_USER` saved on the laptop are
        ``user``'s. The visit's audit entries about the person are added to this audit, their
        versions numbered as here. Landing a check-out that has landed already changes nothing.
        """
        checkout = brought.checkout
        checkout_id, base = checkout["copy_of"], checkout["server_version"]
        mark = f"check-out {checkout_id}:"
        now = _now()
        with self._writing() as connection:
            person_id = checkout["person_id"]
            map_id, current = self._seen_person(connection, user, person_id, AuditAction.CHECK_IN.value)
            held_by = connection.execute(select(checkouts.c.user_id).where(checkouts.c.id == checkout_id)).scalar()
            if held_by is None or held_by != user.id:
                raise _Denied(
                    user, f"check-out {checkout_id} is not yours", AuditAction.CHECK_IN.value, person_id=person_id
                )
            landed_before = connection.execute(
                select(audit_log.c.version).where(
                    audit_log.c.action == AuditAction.CHECK_IN.value,
                    audit_log.c.map_id == map_id,
                    audit_log.c.detail.startswith(mark),
                )
            ).first()
            if landed_before is not None:
                return Landed(person_id, map_id, (), None, already=True)
            if current != expected_version:
                raise Conflict(map_id, expected_version, current)
            clean = current == base
            if not clean and merged is None and brought.versions:
                raise ValueError(f"map {map_id} has changed on the server since its check-out: say what to keep")
            offset = current - base

            def here(version: int | None) -> int | None:
                return version + offset if version is not None and version > base else version

            def author(user_id: str) -> str:
                return user.id if user_id == LOCAL_USER.id else user_id

            self._copy_users(connection, [u for u in brought.users if u["id"] != LOCAL_USER.id])
            self._ensure_user(connection, user)
            names = {label["version"]: label for label in brought.labels}
            landed: list[int] = []
            for row in brought.versions:
                version = row["version"] + offset
                connection.execute(
                    insert(map_versions).values({**row, "version": version, "saved_by": author(row["saved_by"])})
                )
                own = names.get(row["version"])
                name = own["label"] if own else ""
                if not clean:
                    name = clean_label(f"{visit_label}: {name}" if name else visit_label)
                if name:
                    connection.execute(
                        insert(version_labels).values(
                            map_id=map_id,
                            version=version,
                            label=name,
                            labelled_by=author(own["labelled_by"]) if own else user.id,
                            labelled_at=own["labelled_at"] if own else now,
                        )
                    )
                landed.append(version)
            # Names given on the visit to versions the server had: kept where the server has none.
            for number, own in names.items():
                if number <= base:
                    connection.execute(
                        _upsert(connection)(version_labels)
                        .values({**own, "labelled_by": author(own["labelled_by"])})
                        .on_conflict_do_nothing(index_elements=[version_labels.c.map_id, version_labels.c.version])
                    )
            newest = current + len(landed)
            merged_version = None
            if merged is not None and not clean:
                newest = merged_version = newest + 1
                connection.execute(
                    insert(map_versions).values(
                        map_id=map_id, version=newest, document=_document(merged), saved_by=user.id, saved_at=now
                    )
                )
            if newest != current:
                document = connection.execute(
                    select(map_versions.c.document).where(
                        map_versions.c.map_id == map_id, map_versions.c.version == newest
                    )
                ).scalar_one()
                m = _stored(document)
                connection.execute(
                    update(maps).where(maps.c.id == map_id).values(current_version=newest, updated_at=now)
                )
                connection.execute(_RENAME, {"person": person_id, "new_name": m.person.name})
                self._write_facts(connection, m, newest)
                newest_named = (
                    select(func.max(version_labels.c.version))
                    .where(version_labels.c.map_id == map_id)
                    .scalar_subquery()
                )
                connection.execute(
                    update(map_facts).where(map_facts.c.map_id == map_id).values(named_version=newest_named)
                )
            for entry in brought.audit:
                connection.execute(
                    insert(audit_log).values(
                        {
                            **{k: v for k, v in entry.items() if k != "id"},
                            "user_id": author(entry["user_id"]),
                            "version": here(entry["version"]),
                            "from_version": here(entry["from_version"]),
                        }
                    )
                )
            connection.execute(
                update(checkouts)
                .where(checkouts.c.id == checkout_id, checkouts.c.ended_at.is_(None))
                .values(ended_at=now)
            )
            detail = mark + (f" versions {landed[0]} to {landed[-1]} from the visit" if landed else " nothing new")
            if merged_version is not None:
                detail += f", {merged_version} as chosen"
            self._audit(
                connection,
                user,
                AuditAction.CHECK_IN,
                person_id=person_id,
                map_id=map_id,
                version=newest,
                from_version=landed[0] if landed else None,
                detail=detail,
                user_known=True,
            )
        return Landed(person_id, map_id, tuple(landed), merged_version)

    def drop_copy(self, user: User, person_id: str) -> None:
        """Remove a checked-in record's copy from this visit store: every row of the person, their
        versions, names and audit entries included, and the copy's mark (the database lets them go once
        the mark is ended); one CHECK_IN entry, naming nobody, says which check-out's copy went."""
        now = _now()
        with self._writing() as connection:
            map_id, _ = self._seen_person(connection, user, person_id, AuditAction.CHECK_IN.value)
            mark = connection.execute(
                select(checkouts.c.id, checkouts.c.copy_of).where(
                    checkouts.c.person_id == person_id, checkouts.c.copy_of.is_not(None), checkouts.c.ended_at.is_(None)
                )
            ).first()
            if mark is None:
                raise NotFound(f"person {person_id} is not checked out to this store")
            connection.execute(update(checkouts).where(checkouts.c.id == mark.id).values(ended_at=now))
            for statement in (
                delete(version_labels).where(version_labels.c.map_id == map_id),
                delete(map_facts).where(map_facts.c.map_id == map_id),
                delete(map_versions).where(map_versions.c.map_id == map_id),
                delete(audit_log).where(or_(audit_log.c.person_id == person_id, audit_log.c.map_id == map_id)),
                delete(maps).where(maps.c.id == map_id),
                delete(people).where(people.c.id == person_id),
                delete(checkouts).where(checkouts.c.person_id == person_id),
            ):
                connection.execute(statement)
            self._audit(connection, user, AuditAction.CHECK_IN, detail=f"copy of check-out {mark.copy_of} removed")


def _user_row(user: User) -> dict[str, Any]:
    return {"id": user.id, "display_name": user.display_name, "email": _email_or_none(user.email)}


def _copied(connection: Connection, query: Select[Any]) -> list[dict[str, Any]]:
    """Rows as another store takes them: each a dict by column, times in UTC."""
    return [
        {key: _utc(value) if isinstance(value, datetime) else value for key, value in row._mapping.items()}
        for row in connection.execute(query).all()
    ]


class CheckedOutElsewhere(ValueError):
    """A record checked out by someone else, until a day not yet past."""

    def __init__(self, person_id: str, holder: str, until: date) -> None:
        super().__init__(f"person {person_id} is checked out by {holder} until {until.isoformat()}")
        self.person_id = person_id
        self.holder = holder
        self.until = until


@dataclass(frozen=True)
class Carried:
    """A checked-out record as :meth:`Store.check_out` reads it on the team server and :meth:`Store.take_copy`
    writes it in a visit store: the rows, by table, times in UTC."""

    checkout: dict[str, Any]
    person: dict[str, Any]
    team: dict[str, Any]
    map: dict[str, Any]
    #: Every version, oldest first.
    versions: list[dict[str, Any]]
    labels: list[dict[str, Any]]
    users: list[dict[str, Any]]
    #: The checking-out user's role in the record's team (practitioner when they are not in it).
    role: str


@dataclass(frozen=True)
class VisitCopy:
    """A checked-out record a visit store holds."""

    person_id: str
    map_id: str
    name: str
    #: The team server's check-out.
    checkout_id: int
    #: Who checked it out (their user id, the same on the server).
    user_id: str
    until: date
    #: The server's newest version at check-out (the versions after it were made on the visit).
    server_version: int
    current_version: int


@dataclass(frozen=True)
class Brought:
    """What :meth:`Store.brought_back` reads from a visit store for :meth:`Store.land`: the copy's mark, the
    map as it was checked out (``base``, the file format's JSON), the versions made on the visit, oldest
    first, every version's name, the audit about the person there and the users named."""

    checkout: dict[str, Any]
    base: str
    versions: list[dict[str, Any]]
    labels: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    users: list[dict[str, Any]]

    @property
    def base_map(self) -> EcoMap:
        """The map as it was checked out."""
        return _stored(self.base)

    @property
    def newest_map(self) -> EcoMap:
        """The visit's newest map (the map as checked out, when nothing was saved on the visit)."""
        return _stored(self.versions[-1]["document"]) if self.versions else self.base_map


@dataclass(frozen=True)
class Landed:
    """A check-in on the team server: the versions the visit's became there, and the chosen one after them."""

    person_id: str
    map_id: str
    versions: tuple[int, ...]
    merged_version: int | None
    #: True when the check-out had landed already (nothing was written).
    already: bool = False
