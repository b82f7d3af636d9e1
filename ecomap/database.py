"""The database itself, for whoever looks after Ecomap: upgrade it, check it, back it up, restore it.

The operator's commands (``python -m ecomap db ...``) are these functions, each given the
database's URL. An SQLite file is copied with SQLite's online backup API, which reads a
consistent copy while the app goes on saving; a PostgreSQL database with ``pg_dump`` and
``pg_restore`` (found on ``PATH``, or under ``/usr/lib/postgresql/*/bin``). A backup is written
whole or not at all, readable by its owner only (:mod:`ecomap.files`). A restore refuses to
replace a database that holds maps unless it is forced, and on SQLite keeps the database as it
was beside it (:data:`BEFORE_RESTORE`).

Examples
--------
>>> import tempfile
>>> from ecomap.model import example
>>> from ecomap.store import LOCAL_USER, Store
>>> folder = Path(tempfile.mkdtemp())
>>> url = f"sqlite:///{folder / 'ecomap.db'}"
>>> upgrade(url).after == head_revision()
True
>>> store = Store.from_url(url)
>>> _ = store.add_person(LOCAL_USER, example())
>>> check(url).problems
()
>>> backup(url, folder / "copy.db").maps
1
>>> restore(url, folder / "copy.db").kept
Traceback (most recent call last):
...
ecomap.database.NotDone: .../ecomap.db holds 1 map; nothing was restored (--force replaces it, keeping a copy)
>>> store.engine.dispose()
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import URL, Connection, make_url

from ecomap.errors import EcomapError, StoreUnavailable
from ecomap.files import FILE_MODE, check_writable, new_file
from ecomap.store import SQLITE_BUSY_TIMEOUT_MS, Store, _migrations, _plainly, _reason, make_engine, metadata

__all__ = [
    "BEFORE_RESTORE",
    "HISTORY_GUARDS",
    "Checked",
    "Contents",
    "NotDone",
    "Restored",
    "Upgraded",
    "backup",
    "check",
    "current_revision",
    "head_revision",
    "known_revisions",
    "restore",
    "upgrade",
    "where",
]

#: The ending of the copy a restore keeps of an SQLite database as it was (``ecomap.db.before-restore``;
#: ``-2``, ``-3``... after it when one is there already).
BEFORE_RESTORE = ".before-restore"
#: How an SQLite file begins, and a custom-format ``pg_dump`` archive.
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PG_DUMP_MAGIC = b"PGDMP"
#: The problems ``PRAGMA integrity_check`` lists at most.
_INTEGRITY_LINES = 20

#: The triggers that keep every version and the audit as they were written, at the newest revision,
#: on each kind of database (the newest migration makes them; :func:`check` says which are missing).
HISTORY_GUARDS = {
    "sqlite": frozenset(
        f"{table}_{guard}" for table in ("map_versions", "audit") for guard in ("no_update", "no_delete", "no_replace")
    ),
    "postgresql": frozenset(
        f"{table}_{guard}"
        for table in ("map_versions", "audit")
        for guard in ("unchanging", "guarded_delete", "no_truncate")
    ),
}

#: A statement's first row, from whichever connection is at hand (sqlite3's or SQLAlchemy's).
_Query = Callable[[str], "tuple[Any, ...] | None"]


class NotDone(EcomapError):
    """An operator's command that was refused or failed, and why; the database was not changed."""


@dataclass(frozen=True)
class Contents:
    """What a database holds, counted, and the Alembic revision of its schema (None: no schema yet)."""

    maps: int
    versions: int
    revision: str | None


@dataclass(frozen=True)
class Upgraded:
    """An upgrade: the revision before it (None for an empty database) and the one after (the newest)."""

    before: str | None
    after: str


@dataclass(frozen=True)
class Checked:
    """A check: the database's revision, the newest, what it holds, and each problem found, one line each."""

    revision: str | None
    head: str
    contents: Contents | None
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Restored:
    """A restore: what the database holds now, and where its copy from before is kept (SQLite)."""

    contents: Contents
    kept: Path | None


# -- where the database is ------------------------------------------------------------------------


def _url(url: str) -> URL:
    parsed = make_url(url)
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise NotDone(f"{where(url)}: Ecomap looks after SQLite and PostgreSQL databases only")
    return parsed


def where(url: str) -> str:
    """The database as an operator is told of it: an SQLite file's path, or the URL without its password.

    Examples
    --------
    >>> where("postgresql+psycopg://ecomap:secret@db.example/ecomap")
    'postgresql+psycopg://ecomap:***@db.example/ecomap'
    >>> where("sqlite:////srv/ecomap/data/ecomap.db")
    '/srv/ecomap/data/ecomap.db'
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def _sqlite_file(url: str) -> Path | None:
    """The SQLite file of ``url``, or None for PostgreSQL; an SQLite database in memory is refused."""
    parsed = _url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if parsed.database in (None, "", ":memory:"):
        raise NotDone(":memory:: a database in memory is gone when its program ends: there is nothing to look after")
    return Path(parsed.database)


def _existing_sqlite(url: str, path: Path) -> Path:
    if not path.is_file():
        raise NotDone(f"{where(url)}: there is no database file here")
    return path


@contextmanager
def _sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain connection to an SQLite file that is there (it never makes one), closed afterwards."""
    try:
        connection = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error as exc:
        raise StoreUnavailable(_reason(exc)) from None
    with closing(connection):
        try:
            yield connection
        except sqlite3.Error as exc:
            raise StoreUnavailable(_reason(exc)) from None


def _sqlite_tables(connection: sqlite3.Connection) -> set[str]:
    return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


# -- revisions ------------------------------------------------------------------------------------


def known_revisions() -> list[str]:
    """Every revision of the store's migrations, oldest first.

    >>> known_revisions()[0]
    '0001'
    """
    from alembic.script import ScriptDirectory

    return [script.revision for script in reversed(list(ScriptDirectory.from_config(_migrations()).walk_revisions()))]


def head_revision() -> str:
    """The newest revision of the store's migrations: the schema this release of Ecomap uses.

    >>> head_revision() == known_revisions()[-1]
    True
    """
    return known_revisions()[-1]


def current_revision(url: str) -> str | None:
    """The revision of the database's schema, or None when it has none yet (an empty database)."""
    path = _sqlite_file(url)
    if path is not None:
        with _sqlite(_existing_sqlite(url, path)) as connection:
            return _revision(_sqlite_tables(connection), lambda sql: connection.execute(sql).fetchone())
    engine = make_engine(url)
    try:
        with _plainly(), engine.connect() as connection:
            return _revision(set(inspect(connection).get_table_names()), _first(connection))
    finally:
        engine.dispose()


def _first(connection: Connection) -> _Query:
    def first(sql: str) -> tuple[Any, ...] | None:
        row = connection.exec_driver_sql(sql).first()
        return None if row is None else tuple(row)

    return first


def _revision(tables: set[str], first: _Query) -> str | None:
    if "alembic_version" not in tables:
        return None
    row = first("SELECT version_num FROM alembic_version")
    return None if row is None else str(row[0])


def _contents(tables: set[str], first: _Query) -> Contents:
    def count(table: str) -> int:
        row = first(f"SELECT count(*) FROM {table}") if table in tables else None
        return int(row[0]) if row is not None else 0

    return Contents(count("maps"), count("map_versions"), _revision(tables, first))


def _known_or_refused(label: str, revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise NotDone(
            f"{label}: its schema is at revision {revision}, which this release of Ecomap does not know "
            "(a newer release wrote it)"
        )


# -- upgrade --------------------------------------------------------------------------------------


def _create_private(path: Path) -> None:
    """Make a new SQLite file readable by its owner only: SQLite gives its -wal and -shm files the same mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    except OSError as exc:
        raise NotDone(f"{path}: {exc.strerror or 'cannot be made'}") from None


def upgrade(url: str) -> Upgraded:
    """Create the schema in an empty database, or bring it up to the newest revision.

    A new SQLite file is made readable by its owner only. A database whose revision this release
    does not know (a newer release wrote it) is refused, and left as it is.
    """
    path = _sqlite_file(url)
    if path is not None:
        _create_private(path)
    before = current_revision(url)
    _known_or_refused(where(url), before)
    store = Store.from_url(url)
    try:
        store.migrate()
    finally:
        store.engine.dispose()
    after = current_revision(url)
    assert after is not None  # the migrations always write their revision
    return Upgraded(before, after)


# -- check ----------------------------------------------------------------------------------------

#: The maps whose current version is not saved, whose versions are not exactly 1 to the current one,
#: or whose caseload counts are not of the current version; each row says which and how.
_MAP_PROBLEMS = """
SELECT m.id, m.current_version, count(v.version), min(v.version), max(v.version),
       sum(CASE WHEN v.version = m.current_version THEN 1 ELSE 0 END), f.version
FROM maps m
LEFT JOIN map_versions v ON v.map_id = m.id
LEFT JOIN map_facts f ON f.map_id = m.id
GROUP BY m.id, m.current_version, f.version
HAVING count(v.version) <> m.current_version OR min(v.version) <> 1 OR max(v.version) <> m.current_version
    OR f.version IS NULL OR f.version <> m.current_version
ORDER BY m.id
"""


def _map_problems(rows: list[tuple[object, ...]]) -> list[str]:
    found = []
    for map_id, current, saved, lowest, highest, has_current, facts in rows:
        if not has_current:
            found.append(f"map {map_id}: its current version {current} is not saved")
        elif (saved, lowest, highest) != (current, 1, current):
            found.append(f"map {map_id}: versions 1 to {current} should be saved; {saved} are, "
                         f"numbered {lowest} to {highest}")  # fmt: skip
        if facts != current:
            counted = "none" if facts is None else f"those of version {facts}"
            found.append(f"map {map_id}: its caseload counts are {counted}, not of its current version {current}")
    return found


def _sqlite_problems(connection: sqlite3.Connection) -> list[str]:
    integrity = [row for (row,) in connection.execute(f"PRAGMA integrity_check({_INTEGRITY_LINES})")]
    found = [f"integrity: {line}" for line in integrity if line != "ok"]
    for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check"):
        found.append(f"{table} row {rowid} refers to a row of {parent} that is not there")
    return found


def _postgres_problems(connection: Connection, tables: set[str]) -> list[str]:
    # Every row of every table is read once: a damaged page or a missing file shows here.
    for table in sorted(tables & set(metadata.tables)):
        connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
    return []


def check(url: str) -> Checked:
    """Check the database: its integrity (SQLite's ``PRAGMA integrity_check`` and foreign keys; on
    PostgreSQL every table read through), that its revision is the newest, that it has every one of
    :data:`HISTORY_GUARDS`, and that every map's
    versions are all there, 1 to the current one, with the caseload's counts of the current one.

    Each problem is one line of :attr:`Checked.problems`; none means all is well. A database that
    cannot be reached at all is :class:`~ecomap.errors.StoreUnavailable`.
    """
    head = head_revision()
    path = _sqlite_file(url)
    if path is not None:
        with _sqlite(_existing_sqlite(url, path)) as sqlite_connection:
            try:
                problems = _sqlite_problems(sqlite_connection)
                tables = _sqlite_tables(sqlite_connection)
            except sqlite3.DatabaseError as exc:  # too damaged to be looked through
                return Checked(None, head, None, (f"integrity: {_reason(exc)}",))

            def first(sql: str) -> tuple[Any, ...] | None:
                row: tuple[Any, ...] | None = sqlite_connection.execute(sql).fetchone()
                return row

            def rows(sql: str) -> list[tuple[object, ...]]:
                return sqlite_connection.execute(sql).fetchall()

            triggers = {
                name for (name,) in sqlite_connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            }
            return _checked(head, problems, tables, first, rows, _unguarded("sqlite", triggers))
    engine = make_engine(url)
    try:
        with _plainly(), engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            problems = _postgres_problems(connection, tables)
            triggers = {
                name for (name,) in connection.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            }
            return _checked(
                head,
                problems,
                tables,
                _first(connection),
                lambda sql: [tuple(r) for r in connection.exec_driver_sql(sql)],
                _unguarded("postgresql", triggers),
            )
    finally:
        engine.dispose()


def _unguarded(dialect: str, triggers: set[str]) -> list[str]:
    """A line for each of :data:`HISTORY_GUARDS` the database does not have."""
    return [
        f"trigger {name} is missing: versions or the audit could be changed or removed"
        for name in sorted(HISTORY_GUARDS[dialect] - triggers)
    ]


def _checked(
    head: str,
    problems: list[str],
    tables: set[str],
    first: _Query,
    rows: Callable[[str], list[tuple[object, ...]]],
    unguarded: list[str],
) -> Checked:
    revision = _revision(tables, first)
    if revision is None:
        problems.append("it has no Ecomap schema yet: `python -m ecomap db upgrade` makes it")
        return Checked(None, head, None, tuple(problems))
    if revision not in known_revisions():
        problems.append(f"its schema is at revision {revision}, which this release of Ecomap does not know")
        return Checked(revision, head, None, tuple(problems))
    if revision != head:
        problems.append(f"its schema is at revision {revision}, the newest is {head}: `python -m ecomap db upgrade`")
        return Checked(revision, head, _contents(tables, first), tuple(problems))
    problems += unguarded + _map_problems(rows(_MAP_PROBLEMS))
    return Checked(revision, head, _contents(tables, first), tuple(problems))


# -- backup ---------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    """A PostgreSQL program: the one on ``PATH``, else the newest under ``/usr/lib/postgresql/*/bin``."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.parent.name))

    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=version)
    if not candidates:
        raise NotDone(f"{name} was not found: install PostgreSQL's client programs (on Debian, postgresql-client)")
    return str(candidates[-1])


def _run(name: str, label: str, *arguments: str, environment: dict[str, str] | None = None) -> str:
    """Run ``pg_dump`` or ``pg_restore`` and return what it printed; a failure is :class:`NotDone` with its words."""
    # The arguments are the program PostgreSQL installed and paths and options Ecomap builds, never a shell.
    done = subprocess.run(  # noqa: S603
        [_tool(name), *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        said = [line for line in done.stderr.splitlines() if line.strip()]
        first = said[0].removeprefix(f"{name}: ").removeprefix("error: ") if said else f"exit status {done.returncode}"
        raise NotDone(f"{label}: {name} failed: {first}")
    return done.stdout


def _on_database(name: str, url: str, *arguments: str) -> None:
    """Run ``pg_dump`` or ``pg_restore`` on the database of ``url``; its password goes in the environment,
    never on the command line."""
    parsed = _url(url)
    conninfo = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    environment = dict(os.environ)
    if parsed.password is not None:
        environment["PGPASSWORD"] = str(parsed.password)
    _run(name, where(url), "--no-password", f"--dbname={conninfo}", *arguments, environment=environment)


def _archive_revision(source: Path) -> str | None:
    """The schema revision a ``pg_dump`` archive holds (its ``alembic_version`` row), or None."""
    script = _run("pg_restore", str(source), "--data-only", "--table=alembic_version", "--file=-", str(source))
    rows = script.split("COPY public.alembic_version (version_num) FROM stdin;\n", 1)[1:]
    return rows[0].split("\n", 1)[0] if rows and not rows[0].startswith("\\.") else None


def _postgres_contents(url: str) -> Contents:
    engine = make_engine(url)
    try:
        with _plainly(), engine.connect() as connection:
            return _contents(set(inspect(connection).get_table_names()), _first(connection))
    finally:
        engine.dispose()


def _copy_sqlite(source: sqlite3.Connection, into: Path) -> Contents:
    """Copy the database of ``source`` into the new file ``into`` as one file (no -wal), checked."""
    try:
        with closing(sqlite3.connect(into)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            if copy.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise NotDone(f"{into}: the copy did not check as whole")
            return _contents(_sqlite_tables(copy), lambda sql: copy.execute(sql).fetchone())
    except sqlite3.Error as exc:
        if _reason(exc) == "there is no room left":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)) from None  # the copy's disk, told by new_file
        raise StoreUnavailable(_reason(exc)) from None


def backup(url: str, out: str | Path, *, replace: bool = False) -> Contents:
    """Back the database up into the file ``out``, whole or not at all, and return what the copy holds.

    SQLite: a copy by the online backup API (the app may go on saving meanwhile), as one file that
    ``restore`` reads. PostgreSQL: ``pg_dump --format=custom``; the counts are the database's as the
    dump began. An existing ``out`` is kept and the backup refused unless ``replace``.
    """
    target = check_writable(out, replace=replace)
    path = _sqlite_file(url)
    if path is not None and target in {Path(os.path.realpath(f"{path}{ending}")) for ending in ("", "-wal", "-shm")}:
        raise NotDone(f"{out}: this is the database itself: a backup goes in a file of its own")
    if path is None:
        contents = _postgres_contents(url)
        with new_file(out, replace=replace) as temporary:
            _on_database("pg_dump", url, "--format=custom", f"--file={temporary}")
        return contents
    with _sqlite(_existing_sqlite(url, path)) as source, new_file(out, replace=replace) as temporary:
        return _copy_sqlite(source, temporary)


# -- restore --------------------------------------------------------------------------------------


def _backup_of_sqlite(source: Path) -> Contents:
    """What the SQLite backup ``source`` holds, or :class:`NotDone` if it is not one Ecomap can restore."""
    try:
        with source.open("rb") as handle:
            start = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise NotDone(f"{source}: {exc.strerror or 'cannot be read'}") from None
    if start != _SQLITE_MAGIC:
        raise NotDone(f"{source}: this is not an SQLite database: nothing was restored")
    with _sqlite(source) as connection:
        if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise NotDone(f"{source}: this backup is damaged: nothing was restored")
        contents = _contents(_sqlite_tables(connection), lambda sql: connection.execute(sql).fetchone())
    _a_backup(str(source), contents.revision)
    return contents


def _a_backup(label: str, revision: str | None) -> None:
    """Refuse a backup without an Ecomap schema, or with one of a newer release."""
    if revision is None:
        raise NotDone(f"{label}: this is not a backup of an Ecomap database: nothing was restored")
    _known_or_refused(label, revision)


def _maps_word(count: int) -> str:
    return f"{count} map" if count == 1 else f"{count} maps"


def _kept_name(path: Path) -> Path:
    """The first free name for the copy of ``path`` a restore keeps: ``.before-restore``, then ``-2``, ``-3``..."""
    candidate, n = path.with_name(path.name + BEFORE_RESTORE), 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}{BEFORE_RESTORE}-{n}")
    return candidate


def _held(path: Path) -> Contents | None:
    """What the SQLite database at ``path`` holds, or None when it is too damaged to say."""
    try:
        with _sqlite(path) as connection:
            return _contents(_sqlite_tables(connection), lambda sql: connection.execute(sql).fetchone())
    except StoreUnavailable:
        return None


def _put_whole(source: Path, path: Path) -> Contents:
    """The backup ``source`` copied to ``path``, where there is no file: whole, or not at all."""
    with _sqlite(source) as backup_connection, new_file(path, replace=False) as temporary:
        return _copy_sqlite(backup_connection, temporary)


def _copy_into(source: Path, path: Path, url: str) -> Contents:
    """The backup ``source`` copied into the database at ``path`` by the backup API, in one transaction:
    whoever has it open sees the restored database, whole."""
    with _sqlite(source) as backup_connection, _sqlite(path) as live:
        backup_connection.backup(live)
        if live.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise NotDone(f"{where(url)}: the restored database did not check as whole")
        return _contents(_sqlite_tables(live), lambda sql: live.execute(sql).fetchone())


def _restore_sqlite(url: str, path: Path, source: Path, *, force: bool) -> Restored:
    if path.exists() and source.resolve() == path.resolve():
        raise NotDone(f"{source}: this is the database itself: nothing was restored")
    _backup_of_sqlite(source)
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return Restored(_put_whole(source, path), None)
    held = _held(path)
    if not force and (held is None or held.maps):
        what = "cannot be read" if held is None else f"holds {_maps_word(held.maps)}"
        raise NotDone(f"{where(url)} {what}; nothing was restored (--force replaces it, keeping a copy)")
    kept = _kept_name(path)
    if held is None:  # too damaged to copy: set aside as it is, with its log, and the backup put in its place
        for ending in ("", "-wal", "-shm"):
            if path.with_name(path.name + ending).exists():
                os.replace(path.with_name(path.name + ending), kept.with_name(kept.name + ending))
        return Restored(_put_whole(source, path), kept)
    with _sqlite(path) as live, new_file(kept, replace=False) as temporary:
        _copy_sqlite(live, temporary)
    return Restored(_copy_into(source, path, url), kept)


def restore(url: str, source: str | Path, *, force: bool = False) -> Restored:
    """Restore the database from the backup ``source`` (made by :func:`backup`).

    A database that holds maps (or that cannot be read) is replaced only with ``force``. SQLite:
    the database as it was is kept beside it (:data:`BEFORE_RESTORE`), then the backup is copied
    into it by the online backup API, or set in place whole where there was no database.
    PostgreSQL: ``pg_restore --clean --if-exists`` in one transaction, which restores everything or
    nothing. A backup whose revision this release does not know is refused.
    """
    source = Path(source)
    path = _sqlite_file(url)
    if path is not None:
        return _restore_sqlite(url, path, source, force=force)
    try:
        with source.open("rb") as handle:
            start = handle.read(len(_PG_DUMP_MAGIC))
    except OSError as exc:
        raise NotDone(f"{source}: {exc.strerror or 'cannot be read'}") from None
    if start != _PG_DUMP_MAGIC:
        raise NotDone(f"{source}: this is not a pg_dump archive (--format=custom): nothing was restored")
    _a_backup(str(source), _archive_revision(source))
    held = _postgres_contents(url)
    if held.maps and not force:
        raise NotDone(f"{where(url)} holds {_maps_word(held.maps)}; nothing was restored (--force replaces it)")
    _on_database("pg_restore", url, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
         str(source))  # fmt: skip
    return Restored(_postgres_contents(url), None)
