"""Storage through SQLAlchemy: people, maps, an immutable version for every save, and an audit.

SQLite by default (a file under ``data/``), any PostgreSQL by URL
(``ECOMAP_DATABASE_URL``). Alembic migrations create the schema
(:meth:`Store.migrate`).

Every call names the acting :class:`User`. Today that records who acted: the user
is written on each version they save and on each audit entry. It does not yet limit
what a user sees: every user sees every person.

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

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    case,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ecomap.analysis import counts
from ecomap.caseload import FACTS, PATTERNS, Caseload
from ecomap.errors import Conflict, NotFound, StoreUnavailable
from ecomap.model import EcoMap, loads
from ecomap.versions import LABEL_MAX, SavedVersion, clean_label
from ecomap.vocab import N_, SECTORS

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "DATABASE_URL_VARIABLE",
    "DETAIL_MAX",
    "LOCAL_USER",
    "SQLITE_BUSY_TIMEOUT_MS",
    "AuditAction",
    "AuditEntry",
    "Opened",
    "PersonSummary",
    "Store",
    "User",
    "audit_log",
    "default_url",
    "make_engine",
    "map_facts",
    "map_versions",
    "maps",
    "metadata",
    "people",
    "users",
    "version_labels",
]

#: The environment variable naming the database; unset means the SQLite file under ``data/``.
DATABASE_URL_VARIABLE = "ECOMAP_DATABASE_URL"
#: How long an SQLite writer waits for another to finish, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: The longest detail an audit entry may carry (an export's format).
DETAIL_MAX = 32


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


#: The store's tables, as the migrations make them (a test holds the two equal).
metadata = MetaData()

#: Who has acted: each user's id and the name shown for them.
users = Table(
    "users",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: Each person with a map: their name, who added them, when.
people = Table(
    "people",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(64), ForeignKey("users.id"), nullable=False),
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
#: Each map's counts (ecomap.analysis.COUNTS) for its current version: no names, no words.
map_facts = Table(
    "map_facts",
    metadata,
    Column("map_id", String(64), ForeignKey("maps.id"), primary_key=True),
    Column("version", Integer, nullable=False),
    *(Column(name, Integer, nullable=False) for name in FACTS),
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


# Statements a save runs every time, built once (parameters are bound per call).
_RENAME = update(people).where(people.c.id == bindparam("person")).values(name=bindparam("new_name"))
_UPDATE_FACTS = update(map_facts).where(map_facts.c.map_id == bindparam("facts_of"))


@dataclass(frozen=True)
class User:
    """Who is acting: every store call names one, to record who did it (it does not yet limit what is seen)."""

    id: str
    display_name: str


#: The one user of the default local mode (no sign-in).
LOCAL_USER = User("local", "Local practitioner")


@dataclass(frozen=True)
class PersonSummary:
    """A person as the People list shows them: their name, their map and when it was last saved."""

    person_id: str
    map_id: str
    name: str
    version: int
    updated_at: datetime


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
    #: For an export, its format.
    detail: str | None = None


def default_url() -> str:
    """``ECOMAP_DATABASE_URL``, or the SQLite file ``data/ecomap.db`` beside the package."""
    url = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if url:
        return url
    path = Path(__file__).resolve().parent.parent / "data" / "ecomap.db"
    return f"sqlite:///{path}"


def _private_file(path: Path) -> None:
    """Create the database's folder and file readable by this user only, if they are new.

    SQLite gives its ``-wal`` and ``-shm`` files the database file's own permissions.
    """
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


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
_REASONS = (
    (("database or disk is full", "disk full", "no space left", "could not extend file"), N_("there is no room left")),
    (("database is locked", "could not obtain lock", "lock timeout"), N_("another program is holding it")),
    (("readonly database", "read-only", "permission denied"), N_("it cannot be written to")),
    (("unable to open", "could not connect", "connection refused", "server closed", "no such file"),
     N_("it cannot be reached")),
    (("malformed", "corrupt", "not a database"), N_("it is damaged")),
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


class Store:
    """People and their maps, with every version kept and every opening, change and export audited."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str | None = None) -> Store:
        """The store for a database URL (default: :func:`default_url`)."""
        return cls(make_engine(url))

    # -- schema -----------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest Alembic revision."""
        from alembic import command

        config = _migrations()
        with self._writing() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    # -- transactions -----------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with _plainly(), self.engine.connect() as connection:
            connection.execution_options(ecomap_begin="IMMEDIATE")
            with connection.begin():
                yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with _plainly(), self.engine.connect() as connection, connection.begin():
            yield connection

    def _ensure_user(self, connection: Connection, user: User) -> None:
        # Two sessions of a new user may arrive at once: insert unless present, in one statement.
        dialect_insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
        connection.execute(
            dialect_insert(users)
            .values(id=user.id, display_name=user.display_name, created_at=_now())
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
                "detail": detail,
                "ok": ok,
            },
        )

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

    def add_person(self, user: User, m: EcoMap) -> Opened:
        """Add the person at the centre of ``m`` with ``m`` as version 1 of their map, saved by ``user``."""
        person_id = str(uuid.uuid4())
        now = _now()
        with self._writing() as connection:
            self._ensure_user(connection, user)
            connection.execute(
                insert(people).values(id=person_id, name=m.person.name, created_at=now, created_by=user.id)
            )
            connection.execute(
                insert(maps).values(id=m.id, person_id=person_id, current_version=1, created_at=now, updated_at=now)
            )
            connection.execute(
                insert(map_versions).values(
                    map_id=m.id, version=1, document=_document(m), saved_by=user.id, saved_at=now
                )
            )
            self._write_facts(connection, m, 1, new=True)
            self._audit(
                connection, user, AuditAction.CREATE, person_id=person_id, map_id=m.id, version=1, user_known=True
            )
        return Opened(person_id, m, 1)

    @staticmethod
    def _write_facts(connection: Connection, m: EcoMap, version: int, *, new: bool = False) -> None:
        row = {"version": version, **counts(m)}
        if not new and connection.execute(_UPDATE_FACTS, {"facts_of": m.id, **row}).rowcount == 1:
            return
        connection.execute(insert(map_facts), {"map_id": m.id, **row})

    def caseload(self, user: User) -> Caseload:
        """Every pattern of :data:`ecomap.caseload.PATTERNS` counted across every current map.

        One statement over the per-map counts; no map is opened. ``user`` does not limit what is
        counted yet: it is recorded in the audit as the one who viewed the caseload.
        """
        c = map_facts.c
        columns = [
            func.count().label("people"),
            func.coalesce(func.sum(c.ties), 0).label("ties"),
            *(func.coalesce(func.sum(c[sector]), 0).label(sector) for sector in SECTORS),
            *(func.coalesce(func.sum(case((p.test(c), 1), else_=0)), 0).label(p.id) for p in PATTERNS.values()),
        ]
        with self._writing() as connection:
            row = connection.execute(select(*columns)).one()._mapping
            self._audit(connection, user, AuditAction.CASELOAD)
        return Caseload(
            people=int(row["people"]),
            ties=int(row["ties"]),
            by_sector={sector: int(row[sector]) for sector in SECTORS},
            counts={pid: int(row[pid]) for pid in PATTERNS},
        )

    def people(self, user: User) -> list[PersonSummary]:
        """Everyone with a map, by name.

        ``user`` does not limit who is listed yet, and the listing is not audited.
        """
        query = (
            select(people.c.id, maps.c.id, people.c.name, maps.c.current_version, maps.c.updated_at)
            .join(maps, maps.c.person_id == people.c.id)
            .order_by(func.lower(people.c.name), people.c.id)
        )
        with self._reading() as connection:
            rows = connection.execute(query).all()
        return [PersonSummary(p, m, name, version, _aware(at)) for p, m, name, version, at in rows]

    def open(self, user: User, map_id: str, *, version: int | None = None) -> Opened:
        """The newest version of a map (or the one asked for); the opening is audited as ``user``'s."""
        with self._writing() as connection:
            row = connection.execute(
                select(maps.c.person_id, maps.c.current_version).where(maps.c.id == map_id)
            ).first()
            if row is None:
                raise NotFound(f"there is no map {map_id}")
            person_id, current = row
            wanted = current if version is None else version
            document = connection.execute(
                select(map_versions.c.document).where(map_versions.c.map_id == map_id, map_versions.c.version == wanted)
            ).scalar()
            if document is None:
                raise NotFound(f"map {map_id} has no version {wanted}")
            self._audit(connection, user, AuditAction.OPEN, person_id=person_id, map_id=map_id, version=wanted)
        return Opened(person_id, loads(document), wanted)

    def save(self, user: User, m: EcoMap, *, expected_version: int) -> int:
        """Save ``m`` as a new version, saved by ``user``, and return its number.

        ``expected_version`` is the version the editor loaded. If the map has been saved
        since, nothing is written but an audit entry and :class:`Conflict` is raised.
        """
        now = _now()
        new_version = expected_version + 1
        conflict = None
        with self._writing() as connection:
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

    def versions(self, user: User, map_id: str) -> list[SavedVersion]:
        """Every saved version of a map, oldest first, with the names given to any of them, who saved each, and
        for a restore the version it brought back (from the audit).

        ``user`` does not limit what is listed yet, and the listing is not audited.
        """
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
        with self._reading() as connection:
            rows = connection.execute(query).all()
        if not rows:
            raise NotFound(f"there is no map {map_id}")
        return [
            SavedVersion(v, _aware(at), by, label or "", restored_from=source, saved_by_name=name)
            for v, at, by, label, source, name in rows
        ]

    def label_version(self, user: User, map_id: str, version: int, label: str) -> None:
        """Name a saved version ("first conversation"); an empty name takes the name away.

        The name is kept as :func:`ecomap.versions.clean_label` makes it; ``user`` is recorded as its author.
        """
        label = clean_label(label)
        with self._writing() as connection:
            person_id = connection.execute(
                select(maps.c.person_id)
                .join(map_versions, map_versions.c.map_id == maps.c.id)
                .where(maps.c.id == map_id, map_versions.c.version == version)
            ).scalar()
            if person_id is None:
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
                self._write_version(connection, user, loads(document), new_version, person_id, now)
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
        """The audit trail, oldest first (for one map if ``map_id`` is given).

        ``user`` does not limit what is listed yet, and the reading is not audited.
        """
        query = select(audit_log).order_by(audit_log.c.id)
        if map_id is not None:
            query = query.where(audit_log.c.map_id == map_id)
        with self._reading() as connection:
            rows = connection.execute(query).all()
        return [
            AuditEntry(
                at=_aware(r.at),
                user_id=r.user_id,
                action=AuditAction(r.action),
                person_id=r.person_id,
                map_id=r.map_id,
                version=r.version,
                ok=bool(r.ok),
                from_version=r.from_version,
                detail=r.detail,
            )
            for r in rows
        ]

    def record_export(self, user: User, map_id: str, version: int, fmt: str) -> None:
        """Audit that ``user`` exported a version of a map, with ``fmt`` (such as ``pdf`` or ``csv``) as its detail."""
        if not 0 < len(fmt) <= DETAIL_MAX:
            raise ValueError(f"an export's format is 1 to {DETAIL_MAX} characters, not {fmt!r}")
        with self._writing() as connection:
            person_id = connection.execute(select(maps.c.person_id).where(maps.c.id == map_id)).scalar()
            if person_id is None:
                raise NotFound(f"there is no map {map_id}")
            self._audit(
                connection, user, AuditAction.EXPORT, person_id=person_id, map_id=map_id, version=version, detail=fmt
            )

    def is_empty(self) -> bool:
        """True when no person has been added yet."""
        with self._reading() as connection:
            return connection.execute(select(people.c.id).limit(1)).first() is None
