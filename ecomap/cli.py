"""The command line: ``python -m ecomap COMMAND``.

Bad input never prints a traceback: each problem is one line naming the file,
the place in it and what is wrong, and the exit status is 2. A file is written
whole or not at all (:mod:`ecomap.files`). ``db`` holds the operator's commands
for the database itself (:mod:`ecomap.database`); ``teams``, ``members``, ``admins``,
``audit``, ``subject-access``, ``purge``, ``retention``, ``restrict`` and ``move`` act on
the records in it as the store's :data:`~ecomap.store.OPERATOR` (an admin in no team).
``visit check-out`` and ``visit check-in`` act as a practitioner (``--as``) on the team server and
on this machine's own store (:mod:`ecomap.checkout`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import TYPE_CHECKING, TextIO

from ecomap import __version__
from ecomap.errors import MapInvalid
from ecomap.files import FileNotWritten, check_writable, write_file
from ecomap.i18n import LANGUAGES
from ecomap.model import EcoMap, json_schema, read_map

if TYPE_CHECKING:
    from ecomap.checkout import Side
    from ecomap.database import Contents
    from ecomap.store import AuditEntry, Store, User

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_TO_CHOOSE", "build_parser", "main"]

#: The exit statuses: the command did its work; or the input was bad, and each problem has been printed
#: on a line of its own.
EXIT_OK = 0
EXIT_BAD_INPUT = 2
#: The exit status of a check-in (``visit check-in``) that left someone to choose for: their map changed on
#: the server while they were checked out, and nothing of theirs was written (``--keep`` says what to keep).
EXIT_TO_CHOOSE = 1


def _unwritten(exc: FileNotWritten, *, forced: bool) -> str:
    """The line for a file that was not written; where ``--force`` would have replaced it, it says so."""
    return f"{exc} (use --force to replace it)" if not forced and exc.path.is_file() else str(exc)


def _read(path: str, err: TextIO) -> EcoMap | None:
    """The map in ``path``, or None after printing each problem with the file's name."""
    try:
        return read_map(path)
    except MapInvalid as exc:
        for problem in exc.problems:
            print(f"{path}: {problem}", file=err)
        return None


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    status = EXIT_OK
    for path in args.files:
        try:
            m = read_map(path)
        except MapInvalid as exc:
            status = EXIT_BAD_INPUT
            for problem in exc.problems:
                print(f"{path}: {problem}", file=err)
        else:
            if not args.quiet:
                print(f"{path}: valid ({len(m.ties)} ties, {len(m.links)} links, {len(m.plan)} plan items)", file=out)
    return status


def _analyse(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.analysis import analyse
    from ecomap.i18n import translator

    m = _read(args.file, err)
    if m is None:
        return EXIT_BAD_INPUT
    t = translator(args.lang)
    result = analyse(m, t=t)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2), file=out)
        return EXIT_OK
    for kind, heading in (("asset", t("What is strong")), ("gap", t("Areas to explore together"))):
        print(heading, file=out)
        for finding in result["findings"]:
            if finding["kind"] == kind:
                print(f"  - {finding['text']}", file=out)
    print(t("Measures"), file=out)
    for name, value in result["measures"].items():
        print(f"  {name}: {json.dumps(value, ensure_ascii=False)}", file=out)
    return EXIT_OK


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from pathlib import Path

    from ecomap.exports import EXPORTS, export
    from ecomap.i18n import files_language, translator

    target = Path(args.to)
    if target.suffix.lower() not in EXPORTS:
        print(f"{args.to}: Ecomap writes {' '.join(EXPORTS)}; the ending says which", file=err)
        return EXIT_BAD_INPUT
    m = _read(args.file, err)
    if m is None:
        return EXIT_BAD_INPUT
    try:
        check_writable(target)  # before the work of drawing it
        language = args.lang or files_language(m.person.language)  # the person's own, unless --lang says
        data = export(m, target.suffix, t=translator(language), pseudonymise=args.pseudonymise, image=args.image)
        write_file(target, data)
    except FileNotWritten as exc:
        print(exc, file=err)
        return EXIT_BAD_INPUT
    print(f"{args.to}: {len(data):,} bytes", file=out)
    return EXIT_OK


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from pathlib import Path

    from ecomap.io import import_file
    from ecomap.model import dumps

    target = Path(args.to)
    if target.suffix.lower() != ".json":
        print(f"{args.to}: the map is written as Ecomap JSON: name it .json", file=err)
        return EXIT_BAD_INPUT
    try:
        check_writable(target, replace=args.force)  # before reading what may be a large file
        imported = import_file(args.src, person_name=args.person or "", graph=args.graph - 1)
        m = imported.map
        write_file(target, dumps(m).encode("utf-8"), replace=args.force)
    except MapInvalid as exc:
        for problem in exc.problems:
            print(f"{args.src}: {problem}", file=err)
        return EXIT_BAD_INPUT
    except FileNotWritten as exc:
        print(_unwritten(exc, forced=args.force), file=err)
        return EXIT_BAD_INPUT
    print(
        f"{args.to}: {m.person.name}, {len(m.ties)} ties and {len(m.links)} links from {imported.source}",
        file=out,
    )
    names = {tie.id: tie.name for tie in m.ties}
    for written, ties in imported.unknown_roles.items():
        who = ", ".join(names[tie_id] for tie_id in ties)
        print(f"  check: the role {written!r} ({who}) is not one Ecomap knows; kept as written", file=out)
    for name in imported.extra:
        print(f"  check: {name!r} has no field of its own; kept in the notes of the ties that have it", file=out)
    for note in imported.notes:
        print(f"  note: {note}", file=out)
    return EXIT_OK


def _diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.diff import diff, summary
    from ecomap.i18n import translator

    old, new = _read(args.old, err), _read(args.new, err)
    if old is None or new is None:
        return EXIT_BAD_INPUT
    t = translator(args.lang)
    result = diff(old, new, t=t)
    sentences = summary(result, old, new, t=t)
    if args.json:
        print(json.dumps({**result.to_dict(), "summary": sentences}, ensure_ascii=False, indent=2), file=out)
        return EXIT_OK
    for sentence in sentences:
        print(f"- {sentence}", file=out)
    if result.measures:
        print(t("Measures"), file=out)
        for name, (before, after) in result.measures.items():
            print(
                f"  {name}: {json.dumps(before, ensure_ascii=False)} -> {json.dumps(after, ensure_ascii=False)}",
                file=out,
            )
    return EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False), file=out)
    return EXIT_OK


Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


def _on_the_database(handler: Handler) -> Handler:
    """A ``db`` command: whatever stops it is one line naming the database or the file, and exit status 2."""

    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        from ecomap.database import NotDone, where
        from ecomap.errors import StoreUnavailable
        from ecomap.store import default_url

        args.database = args.database or default_url()
        try:
            return handler(args, out, err)
        except StoreUnavailable as exc:
            print(f"{where(args.database)}: {exc}", file=err)
        except FileNotWritten as exc:
            print(_unwritten(exc, forced=getattr(args, "force", True)), file=err)
        except NotDone as exc:
            print(exc, file=err)
        return EXIT_BAD_INPUT

    return run


def _held(contents: Contents) -> str:
    maps = "1 map" if contents.maps == 1 else f"{contents.maps} maps"
    versions = "1 version" if contents.versions == 1 else f"{contents.versions} versions"
    return f"{maps}, {versions}, schema revision {contents.revision}"


@_on_the_database
def _db_upgrade(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.database import upgrade, where

    done = upgrade(args.database)
    if done.before is None:
        said = f"the schema was made at revision {done.after}, the newest"
    elif done.before == done.after:
        said = f"already at revision {done.after}, the newest; nothing to do"
    else:
        said = f"upgraded from revision {done.before} to {done.after}, the newest"
    print(f"{where(args.database)}: {said}", file=out)
    return EXIT_OK


@_on_the_database
def _db_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.database import check, where

    checked = check(args.database)
    for problem in checked.problems:
        print(f"{where(args.database)}: {problem}", file=err)
    if checked.problems:
        return EXIT_BAD_INPUT
    assert checked.contents is not None  # a database without problems has a schema
    print(f"{where(args.database)}: fine ({_held(checked.contents)}, the newest; every version there)", file=out)
    return EXIT_OK


@_on_the_database
def _db_backup(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from pathlib import Path

    from ecomap.database import backup, where

    copied = backup(args.database, args.out, replace=args.force)
    size = Path(args.out).stat().st_size
    print(f"{args.out}: a backup of {where(args.database)} ({_held(copied)}; {size:,} bytes)", file=out)
    return EXIT_OK


@_on_the_database
def _db_restore(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.database import head_revision, restore, where

    restored = restore(args.database, args.src, force=args.force)
    print(f"{where(args.database)}: restored from {args.src} ({_held(restored.contents)})", file=out)
    if restored.kept is not None:
        print(f"  the database as it was is kept in {restored.kept}", file=out)
    if restored.contents.revision != head_revision():
        print(
            f"  the newest schema is revision {head_revision()}: `python -m ecomap db upgrade` brings it there",
            file=out,
        )
    return EXIT_OK


def _database_option() -> argparse.ArgumentParser:
    """The ``--database URL`` option every command on the database takes (a parent parser)."""
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--database", metavar="URL", help="the database's URL (default: ECOMAP_DATABASE_URL, else data/ecomap.db)"
    )
    return database


def _database_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    database = _database_option()
    db = commands.add_parser(
        "db",
        help="the database itself: upgrade, check, backup, restore",
        description="For whoever looks after Ecomap. Each command reads the database from ECOMAP_DATABASE_URL "
        "or --database URL; a problem is one line and exit status 2.",
    )
    actions = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    upgrade = actions.add_parser(
        "upgrade", parents=[database], help="make or upgrade the schema to the newest revision, saying from which"
    )
    upgrade.set_defaults(handler=_db_upgrade)
    check = actions.add_parser(
        "check",
        parents=[database],
        help="integrity, the schema's revision against the newest, every map's versions: exit 0 if fine, 2 if not",
    )
    check.set_defaults(handler=_db_check)
    backup = actions.add_parser(
        "backup",
        parents=[database],
        help="copy the database into OUT, whole (SQLite's online backup; pg_dump --format=custom for PostgreSQL)",
    )
    backup.add_argument("out", metavar="OUT")
    backup.add_argument("--force", action="store_true", help="replace OUT if it exists")
    backup.set_defaults(handler=_db_backup)
    restore = actions.add_parser(
        "restore",
        parents=[database],
        help="put a backup back (a database holding maps only with --force; SQLite keeps a .before-restore copy)",
    )
    restore.add_argument("src", metavar="IN")
    restore.add_argument("--force", action="store_true", help="replace a database that holds maps")
    restore.set_defaults(handler=_db_restore)


# -- the operator's commands: the records in the database, as the store's OPERATOR -----------------

OperatorHandler = Callable[["Store", argparse.Namespace, TextIO, TextIO], int]


def _newest_store(url: str) -> Store:
    """The store on ``url``, whose schema must be the newest (:class:`~ecomap.database.NotDone` says
    so when it is not, naming the database)."""
    from ecomap.database import NotDone, current_revision, head_revision, where
    from ecomap.store import Store

    revision, newest = current_revision(url), head_revision()
    if revision != newest:
        raise NotDone(
            f"{where(url)}: the schema is at revision {revision or 'none'}, not {newest}: "
            "`python -m ecomap db upgrade` brings it there"
        )
    return Store.from_url(url)


def _as_operator(handler: OperatorHandler) -> Handler:
    """A command on the records: run as the store's operator on the database of ``--database`` or
    ``ECOMAP_DATABASE_URL``, whose schema must be the newest. Whatever stops it is one line (naming
    the database, the file, or the record by its id) and exit status 2."""

    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        from ecomap.database import NotDone, where
        from ecomap.errors import NotFound, StoreUnavailable
        from ecomap.store import default_url

        args.database = args.database or default_url()
        try:
            store = _newest_store(args.database)
            try:
                return handler(store, args, out, err)
            finally:
                store.engine.dispose()
        except StoreUnavailable as exc:
            print(f"{where(args.database)}: {exc}", file=err)
        except FileNotWritten as exc:
            print(_unwritten(exc, forced=getattr(args, "force", True)), file=err)
        except (NotDone, NotFound) as exc:
            print(exc, file=err)
        except ValueError as exc:  # the store's word on a name, an address, a date or a reason
            print(f"{args.command}: {exc}", file=err)
        return EXIT_BAD_INPUT

    return run


def _cell(value: object) -> str:
    """A value as a table prints it: on one line, anything a terminal would act on written as an escape."""
    text = "" if value is None else str(value)
    return text if text.isprintable() else repr(text)[1:-1]


def _table(headings: Sequence[str], rows: Sequence[Sequence[object]], out: TextIO) -> None:
    """Rows in aligned columns under their headings."""
    cells = [list(headings), *([_cell(v) for v in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headings))]
    for row in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(), file=out)


def _day(text: str) -> date:
    """A date on the command line: YYYY-MM-DD (argparse says which option when it is not one)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it YYYY-MM-DD") from None


def _team_id(store: Store, named: str) -> str:
    """The id of the team ``named`` names: by its id, or by its name in any case."""
    from ecomap.errors import NotFound
    from ecomap.store import OPERATOR

    for team in store.teams(OPERATOR):
        if named in (team.id, team.name) or named.casefold() == team.name.casefold():
            return team.id
    raise NotFound(f"there is no team {named}")


@_as_operator
def _teams_list(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.store import OPERATOR

    teams = store.teams(OPERATOR)
    _table(("ID", "NAME", "RECORDS", "MEMBERS"), [(t.id, t.name, t.people, t.members) for t in teams], out)
    return EXIT_OK


@_as_operator
def _teams_add(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.store import OPERATOR

    team = store.create_team(OPERATOR, args.name)
    print(f"team {team.id}: {_cell(team.name)}, made", file=out)
    return EXIT_OK


@_as_operator
def _teams_rename(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.store import OPERATOR

    team = store.rename_team(OPERATOR, _team_id(store, args.team), args.name)
    print(f"team {team.id}: renamed {_cell(team.name)}", file=out)
    return EXIT_OK


@_as_operator
def _members_list(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.store import OPERATOR

    members = store.members(OPERATOR, _team_id(store, args.team))
    rows = [
        (
            m.role,
            m.user_id or "(waiting for a first sign-in)",
            m.display_name,
            m.email or "",
            "admin" if m.is_admin else "",
        )
        for m in members
    ]
    _table(("ROLE", "USER", "NAME", "E-MAIL", "ADMIN"), rows, out)
    return EXIT_OK


@_as_operator
def _members_add(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.access import Role
    from ecomap.store import OPERATOR

    team_id = _team_id(store, args.team)
    member = store.add_member(OPERATOR, team_id, args.member, Role(args.role))
    who = _cell(member.email if member.pending else f"{member.display_name} ({member.user_id})")
    waiting = "; bound to them at their first sign-in" if member.pending else ""
    print(f"team {team_id}: {who} is a {member.role}{waiting}", file=out)
    return EXIT_OK


@_as_operator
def _members_remove(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.store import OPERATOR

    team_id = _team_id(store, args.team)
    store.remove_member(OPERATOR, team_id, args.member)
    print(f"team {team_id}: {_cell(args.member)} is no longer a member", file=out)
    return EXIT_OK


@_as_operator
def _admins(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.store import OPERATOR

    making = args.admins_command == "add"
    store.set_admin(OPERATOR, args.user, making)
    print(f"{_cell(args.user)}: {'an admin now' if making else 'no longer an admin'}", file=out)
    return EXIT_OK


def _audit_rows(entries: Sequence[AuditEntry]) -> list[tuple[object, ...]]:
    from datetime import UTC

    return [
        (
            e.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            e.action,
            "" if e.ok else "refused",
            e.user_id,
            e.user_name or "",
            e.person_id or "",
            e.version if e.version is not None else "",
            e.detail or "",
        )
        for e in entries
    ]


@_as_operator
def _audit(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datetime import UTC, datetime, time, timedelta
    from pathlib import Path

    from ecomap.store import AUDIT_LIMIT, OPERATOR, AuditAction

    if args.csv:
        check_writable(args.csv, replace=args.force)
    since = datetime.combine(args.since, time(), UTC) if args.since else None
    until = datetime.combine(args.until + timedelta(days=1), time(), UTC) if args.until else None
    entries = store.search_audit(
        OPERATOR,
        person_id=args.person,
        user_id=args.user,
        actions=[AuditAction(a) for a in args.action] if args.action else None,
        since=since,
        until=until,
    )
    if args.csv:
        from ecomap.rights import audit_csv

        write_file(args.csv, audit_csv(entries), replace=args.force)
        print(
            f"{args.csv}: {_plural(len(entries), 'entry', 'entries')} ({Path(args.csv).stat().st_size:,} bytes)",
            file=out,
        )
    else:
        _table(("AT (UTC)", "ACTION", "OK", "USER", "NAME", "PERSON", "VERSION", "DETAIL"), _audit_rows(entries), out)
        print(_plural(len(entries), "entry", "entries"), file=out)
    if len(entries) == AUDIT_LIMIT:
        print(f"  the newest {AUDIT_LIMIT:,} only: narrow the search (--since, --until) for older ones", file=out)
    return EXIT_OK


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


@_as_operator
def _subject_access(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.rights import subject_access_zip
    from ecomap.store import OPERATOR

    if not args.to.lower().endswith(".zip"):
        print(f"{args.to}: a subject access is written as a ZIP: name it .zip", file=err)
        return EXIT_BAD_INPUT
    check_writable(args.to, replace=args.force)  # before anything is read out
    held = store.subject_access(OPERATOR, args.person)
    data = subject_access_zip(held)
    write_file(args.to, data, replace=args.force)
    versions, entries = (
        _plural(len(held.documents), "version", "versions"),
        _plural(len(held.audit), "entry", "entries"),
    )
    print(f"{args.to}: everything held about person {held.person_id}: {versions}, {entries} of the audit "
          f"({len(data):,} bytes)", file=out)  # fmt: skip
    return EXIT_OK


@_as_operator
def _purge(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datetime import UTC, datetime

    from ecomap.store import OPERATOR

    today = args.today or datetime.now(UTC).date()
    due = store.purge_due(OPERATOR, today, dry_run=args.dry_run)
    rows = [(c.person_id, c.map_id, c.team_id, c.retention_until.isoformat(), c.versions) for c in due]
    if rows:
        _table(("PERSON", "MAP", "TEAM", "KEPT UNTIL", "VERSIONS"), rows, out)
    records = _plural(len(due), "record", "records")
    versions = _plural(sum(c.versions for c in due), "version", "versions")
    past = f"{records} past their retention date on {today.isoformat()}"
    if args.dry_run:
        print(f"{past} would be removed, with {versions}; nothing was removed", file=out)
    else:
        print(f"{past} removed, with {versions} and their audit; one audit line says a purge happened", file=out)
    return EXIT_OK


@_as_operator
def _retention(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.store import OPERATOR

    store.set_retention(OPERATOR, args.person, args.until)
    kept = f"kept until {args.until.isoformat()}, then purged" if args.until else "kept with no date"
    print(f"person {args.person}: {kept}", file=out)
    return EXIT_OK


@_as_operator
def _restrict(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.store import OPERATOR

    store.restrict(OPERATOR, args.person, args.on)
    said = "restricted: only an admin opens it, by break-glass" if args.on else "no longer restricted"
    print(f"person {args.person}: {said}", file=out)
    return EXIT_OK


@_as_operator
def _move(store: Store, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.store import OPERATOR

    team_id = _team_id(store, args.team)
    store.move_person(OPERATOR, args.person, team_id)
    print(f"person {args.person}: moved to team {team_id}", file=out)
    return EXIT_OK


# -- a home visit: records checked out from the team server to this machine's store, and back in ---

VisitHandler = Callable[["Store", "Store", "User", argparse.Namespace, TextIO, TextIO], int]


def _as_practitioner(handler: VisitHandler) -> Handler:
    """A ``visit`` command: the team server of ``--server`` or ``ECOMAP_TEAM_DATABASE_URL``, this machine's
    store (``--database`` or ``ECOMAP_DATABASE_URL``), both at the newest schema, and the practitioner of
    ``--as`` (found on the server). Whatever stops it before any record is touched is one line and exit
    status 2."""

    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        from ecomap.database import NotDone, where
        from ecomap.errors import NotFound, StoreUnavailable
        from ecomap.settings import TEAM_DATABASE_URL_VARIABLE as TEAM_VARIABLE
        from ecomap.settings import SettingInvalid, Settings
        from ecomap.store import default_url

        args.database = args.database or default_url()
        if args.server is None:
            try:
                args.server = Settings.from_environ().team_database_url
            except SettingInvalid as exc:
                print(exc, file=err)
                return EXIT_BAD_INPUT
        if args.server is None:
            print(f"visit {args.visit_command}: say which team server: --server URL, or {TEAM_VARIABLE}", file=err)
            return EXIT_BAD_INPUT
        try:
            same = make_url(args.server) == make_url(args.database)
        except ArgumentError:
            print(f"visit {args.visit_command}: --server and --database are each a database's URL", file=err)
            return EXIT_BAD_INPUT
        if same:
            print(f"visit {args.visit_command}: the team server is this machine's own store", file=err)
            return EXIT_BAD_INPUT
        opened: list[Store] = []
        url = args.server
        try:
            server = _newest_store(url)
            opened.append(server)
            url = args.database
            visit = _newest_store(url)
            opened.append(visit)
            url = args.server
            user = server.user_named(args.acting)
            url = ""
            return handler(server, visit, user, args, out, err)
        except StoreUnavailable as exc:
            print(f"{where(url)}: {exc}" if url else f"visit {args.visit_command}: {exc}", file=err)
        except (NotDone, NotFound) as exc:
            print(exc, file=err)
        except ValueError as exc:  # the store's word on a date, a record checked out elsewhere or already here
            print(f"visit {args.visit_command}: {exc}", file=err)
        finally:
            for store in opened:
                store.engine.dispose()
        return EXIT_BAD_INPUT

    return run


def _versions(numbers: Sequence[int]) -> str:
    if not numbers:
        return "nothing new"
    if len(numbers) == 1:
        return f"version {numbers[0]}"
    return f"versions {numbers[0]} to {numbers[-1]}"


@_as_practitioner
def _visit_check_out(
    server: Store, visit: Store, user: User, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    from ecomap.checkout import check_out

    try:
        until = date.fromisoformat(args.until)
    except ValueError:
        print(f"visit check-out: {args.until!r} is not a date: write it YYYY-MM-DD", file=err)
        return EXIT_BAD_INPUT
    for record in check_out(server, visit, user, list(dict.fromkeys(args.people)), until):
        newest = record.versions[-1]["version"]
        print(
            f"person {record.person['id']}: checked out until {until.isoformat()} "
            f"(map {_cell(record.map['id'])}, {_plural(newest, 'version', 'versions')})",
            file=out,
        )
    return EXIT_OK


def _kept(said: Sequence[str], people: Collection[str]) -> dict[str, dict[str, Side]] | str:
    """The ``--keep`` choices by person, then by key (``""``: every person's); or why they cannot be read."""
    from ecomap.checkout import SIDES

    choices: dict[str, dict[str, Side]] = {}
    for written in said:
        key, equals, side = written.rpartition("=")
        person, slash, key = key.rpartition("/")
        if not equals or not key or side not in SIDES or (slash and not person):
            return f"--keep {_cell(written)}: write it KEY=visit or KEY=server (PERSON_ID/KEY=... for one person)"
        if person and person not in people:
            return f"--keep {_cell(written)}: person {_cell(person)} is not checked out to this store"
        choices.setdefault(person, {})[key] = "visit" if side == "visit" else "server"
    return choices


@_as_practitioner
def _visit_check_in(server: Store, visit: Store, user: User, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ecomap.checkout import VISIT_LABEL, check_in, said
    from ecomap.errors import Conflict, NotFound, StoreUnavailable
    from ecomap.i18n import translator

    held = [copy.person_id for copy in visit.copies(user) if copy.user_id == user.id]
    wanted = list(dict.fromkeys(args.people)) or held
    for person in wanted:
        if person not in held:
            print(f"visit check-in: person {_cell(person)} is not checked out to this store", file=err)
            return EXIT_BAD_INPUT
    choices = _kept(args.keep, wanted)
    if isinstance(choices, str):
        print(f"visit check-in: {choices}", file=err)
        return EXIT_BAD_INPUT
    if not wanted:
        print(f"nothing checked out to this store by {_cell(args.acting)}", file=out)
        return EXIT_OK
    t = translator(args.lang)
    status = EXIT_OK
    for person in wanted:
        mine = {**choices.get("", {}), **choices.get(person, {})}
        try:
            outcomes = check_in(server, visit, user, {person: mine}, person_ids=[person])
        except (NotFound, Conflict, StoreUnavailable, ValueError) as exc:
            # Each person lands whole or not at all: the others go on, and this copy stays on this machine.
            print(f"person {person}: {exc}; the copy stays here", file=err)
            status = EXIT_BAD_INPUT
            continue
        if not outcomes:  # its copy went meanwhile (another check-in on this machine)
            print(f"person {person}: no longer checked out to this store", file=err)
            status = EXIT_BAD_INPUT
            continue
        outcome = outcomes[0]
        if outcome.state == "landed":
            print(f"person {person}: landed, {_versions(outcome.versions)} from the visit", file=out)
        elif outcome.state == "merged":
            print(
                f"person {person}: landed after the choices, {_versions(outcome.versions)} from the visit "
                f"(named {VISIT_LABEL!r}), version {outcome.merged_version} as chosen",
                file=out,
            )
        else:
            assert outcome.server_map is not None and outcome.visit_map is not None
            print(
                f"person {person}: the map changed on the server while it was checked out; nothing was written. "
                "Say what to keep of each:",
                file=out,
            )
            for difference in outcome.differences:
                chosen = mine.get(difference.key)
                print(f"  {_cell(difference.key)}" + (f" (keeping the {chosen}'s)" if chosen else ""), file=out)
                for sentence in said(difference, outcome.server_map, outcome.visit_map, t=t):
                    print(f"    {_cell(sentence)}", file=out)
            needed = [d.key for d in outcome.differences if d.key not in mine]
            keep = " ".join(f"--keep {_cell(key)}=visit" for key in needed)
            print(
                f"  to keep the visit's of each: visit check-in {person} {keep} (=server keeps the server's)", file=out
            )
            status = max(status, EXIT_TO_CHOOSE)
    return status


def _operator_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from ecomap.access import Role
    from ecomap.store import AuditAction

    database = _database_option()
    said = (
        "Run as the operator (an admin in no team) on the database of ECOMAP_DATABASE_URL or --database URL; "
        "every change is audited. A problem is one line and exit status 2."
    )

    teams = commands.add_parser("teams", help="the teams records belong to: list, add, rename", description=said)
    team_actions = teams.add_subparsers(dest="teams_command", metavar="TEAMS_COMMAND", required=True)
    team_actions.add_parser("list", parents=[database], help="every team, with its records and members").set_defaults(
        handler=_teams_list
    )
    add = team_actions.add_parser("add", parents=[database], help="make a team (names are unique, in any case)")
    add.add_argument("name", metavar="NAME")
    add.set_defaults(handler=_teams_add)
    rename = team_actions.add_parser("rename", parents=[database], help="rename a team")
    rename.add_argument("team", metavar="TEAM", help="the team's id or name")
    rename.add_argument("name", metavar="NAME")
    rename.set_defaults(handler=_teams_rename)

    members = commands.add_parser(
        "members", help="who is in a team, as practitioner or lead: list, add, remove", description=said
    )
    member_actions = members.add_subparsers(dest="members_command", metavar="MEMBERS_COMMAND", required=True)
    listed = member_actions.add_parser("list", parents=[database], help="a team's members, leads first")
    listed.add_argument("team", metavar="TEAM", help="the team's id or name")
    listed.set_defaults(handler=_members_list)
    add = member_actions.add_parser(
        "add",
        parents=[database],
        help="add a member, or change their role (an e-mail address nobody has signed in with yet waits for them)",
    )
    add.add_argument("team", metavar="TEAM", help="the team's id or name")
    add.add_argument("member", metavar="EMAIL", help="their e-mail address (or user id)")
    add.add_argument("--role", choices=[r.value for r in Role], default=Role.PRACTITIONER.value)
    add.set_defaults(handler=_members_add)
    remove = member_actions.add_parser("remove", parents=[database], help="take a member out of a team")
    remove.add_argument("team", metavar="TEAM", help="the team's id or name")
    remove.add_argument("member", metavar="EMAIL", help="their e-mail address (or user id)")
    remove.set_defaults(handler=_members_remove)

    admins = commands.add_parser(
        "admins",
        help="who manages teams and members, reads the audit and opens records by break-glass: add, remove",
        description=said + " An admin is someone who has signed in; the last admin cannot be removed.",
    )
    admin_actions = admins.add_subparsers(dest="admins_command", metavar="ADMINS_COMMAND", required=True)
    for verb, what in (("add", "make a user an admin"), ("remove", "make an admin an ordinary user")):
        action = admin_actions.add_parser(verb, parents=[database], help=what)
        action.add_argument("user", metavar="USER", help="their user id, or the e-mail address they signed in with")
        action.set_defaults(handler=_admins)

    audit = commands.add_parser(
        "audit",
        parents=[database],
        help="search the audit: by person, user, action and dates; a table, or a CSV with --csv",
        description=said + " Newest first; dates are days in UTC, both included. The search itself is audited.",
    )
    audit.add_argument("--person", metavar="ID", help="the entries about one person (their record's id)")
    audit.add_argument("--user", metavar="ID", help="the entries of one user (their user id)")
    audit.add_argument(
        "--action", nargs="+", action="extend", metavar="A", choices=[a.value for a in AuditAction],
        help="only these actions: " + ", ".join(a.value for a in AuditAction),
    )  # fmt: skip
    audit.add_argument("--since", type=_day, metavar="DATE", help="from this day (YYYY-MM-DD)")
    audit.add_argument("--until", type=_day, metavar="DATE", help="to this day, included (YYYY-MM-DD)")
    audit.add_argument("--csv", metavar="OUT", help="write the entries to OUT as CSV (formulas neutralised)")
    audit.add_argument("--force", action="store_true", help="replace OUT if it exists")
    audit.set_defaults(handler=_audit)

    access = commands.add_parser(
        "subject-access",
        parents=[database],
        help="everything held about one person as one ZIP, with a README naming each file",
        description=said
        + " The ZIP holds every version of the map (JSON), the ties (CSV), the audit about the person (CSV), "
        "the current map's attachment (PDF) and a README in English and Welsh.",
    )
    access.add_argument("person", metavar="PERSON_ID")
    access.add_argument("--to", required=True, metavar="OUT.zip", help="the ZIP to write")
    access.add_argument("--force", action="store_true", help="replace OUT.zip if it exists")
    access.set_defaults(handler=_subject_access)

    purge = commands.add_parser(
        "purge",
        parents=[database],
        help="remove the records past their retention date, history and all (ids and counts printed, no names)",
        description=said + " One audit line, naming nobody, says how many went.",
    )
    purge.add_argument("--due", action="store_true", required=True, help="every record kept until before today")
    purge.add_argument("--dry-run", action="store_true", help="list them and remove nothing")
    purge.add_argument(
        "--today", type=_day, metavar="DATE", help="the day to purge on (default: today in UTC; never later)"
    )
    purge.set_defaults(handler=_purge)

    retention = commands.add_parser(
        "retention", parents=[database], help="keep a record until a date (a purge removes it after)", description=said
    )
    retention.add_argument("person", metavar="PERSON_ID")
    until = retention.add_mutually_exclusive_group(required=True)
    until.add_argument("--until", type=_day, metavar="DATE", help="the last day it is kept (YYYY-MM-DD)")
    until.add_argument("--none", dest="until", action="store_const", const=None, help="no date")
    retention.set_defaults(handler=_retention)

    restrict = commands.add_parser(
        "restrict",
        parents=[database],
        help="restrict a record (only an admin opens it, by break-glass) or lift it",
        description=said,
    )
    restrict.add_argument("person", metavar="PERSON_ID")
    switch = restrict.add_mutually_exclusive_group(required=True)
    switch.add_argument("--on", dest="on", action="store_true", default=None, help="restrict it")
    switch.add_argument("--off", dest="on", action="store_false", help="lift the restriction")
    restrict.set_defaults(handler=_restrict)

    move = commands.add_parser("move", parents=[database], help="move a record to another team", description=said)
    move.add_argument("person", metavar="PERSON_ID")
    move.add_argument("--team", required=True, metavar="TEAM", help="the team's id or name")
    move.set_defaults(handler=_move)


def _visit_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    stores = argparse.ArgumentParser(add_help=False)
    stores.add_argument(
        "--server", metavar="URL", help="the team server's database URL (default: ECOMAP_TEAM_DATABASE_URL)"
    )
    stores.add_argument(
        "--database",
        metavar="URL",
        help="this machine's own database, the visit store (default: ECOMAP_DATABASE_URL, else data/ecomap.db)",
    )
    stores.add_argument(
        "--as",
        dest="acting",
        required=True,
        metavar="EMAIL",
        help="the practitioner: the e-mail address they sign in to the team server with (or their user id)",
    )
    visit = commands.add_parser(
        "visit",
        help="a home visit: check records out of the team server to this machine, and back in",
        description="Both databases must be at the newest schema; the practitioner sees the records as they "
        "do on the team server, and everything is audited on both. A problem is one line and exit status 2.",
    )
    actions = visit.add_subparsers(dest="visit_command", metavar="VISIT_COMMAND", required=True)
    out = actions.add_parser(
        "check-out",
        parents=[stores],
        help="check records out until a day and copy them, every version, here (all of them or none)",
    )
    out.add_argument("people", nargs="+", metavar="PERSON_ID", help="each record's person id")
    out.add_argument("--until", required=True, metavar="DATE", help="the last day of the check-out (YYYY-MM-DD)")
    out.set_defaults(handler=_visit_check_out)
    back = actions.add_parser(
        "check-in",
        parents=[stores],
        help="bring the records back (each whole or not at all); exit 1 when a map changed on the server "
        "and --keep must say what to keep",
        description="A record whose map has not changed on the server lands: the visit's versions follow the "
        "server's as they were made. For one whose map changed, each tie that differs is printed with its key, "
        "nothing of that record is written, and the exit status is 1; check in again with --keep for each key.",
    )
    back.add_argument(
        "people", nargs="*", metavar="PERSON_ID", help="the records to check in (default: every one held here)"
    )
    back.add_argument(
        "--keep",
        action="append",
        default=[],
        metavar="[PERSON_ID/]KEY=visit|server",
        help="for the tie KEY (or @details: the person, the record and the plan), keep the visit's or the "
        "server's; for one person, or every one; repeat for each key",
    )
    back.add_argument("--lang", choices=sorted(LANGUAGES), default="en", help="the language of the sentences")
    back.set_defaults(handler=_visit_check_in)


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser: each command, its options and its help, and the handler it runs."""
    parser = argparse.ArgumentParser(
        prog="python -m ecomap",
        description="Draw, understand and share a person's support network.",
    )
    parser.add_argument("--version", action="version", version=f"ecomap {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser("validate", help="check map files: exit 0 if valid, 2 with one line per problem")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    validate.set_defaults(handler=_validate)

    analyse = commands.add_parser("analyse", help="what is strong on a map, and what could be explored")
    analyse.add_argument("file", metavar="FILE")
    analyse.add_argument("--json", action="store_true", help='print {"measures": ..., "findings": [...]}')
    analyse.add_argument("--lang", choices=sorted(LANGUAGES), default="en", help="the language of the sentences")
    analyse.set_defaults(handler=_analyse)

    export = commands.add_parser(
        "export",
        help="write a map as .png .svg .pdf .docx .html .json .csv or .graphml",
        description="The format comes from OUT's ending. .pdf and .docx are the assessment attachment; "
        "--image makes .pdf the map alone.",
    )
    export.add_argument("file", metavar="FILE")
    export.add_argument("--to", required=True, metavar="OUT", help="the file to write")
    export.add_argument("--image", action="store_true", help="with .pdf: the map picture alone")
    export.add_argument("--pseudonymise", action="store_true", help="names become roles or initials; notes left out")
    export.add_argument(
        "--lang", choices=sorted(LANGUAGES), help="the language of the words (default: the person's, else English)"
    )
    export.set_defaults(handler=_export)

    importer = commands.add_parser(
        "import",
        help="read our JSON, easyNWK JSON, CSV or GraphML (Network Canvas too) into a map file",
        description="Prints what was read and anything to check: roles Ecomap does not know, "
        "attributes kept in notes, data left out.",
    )
    importer.add_argument("src", metavar="SRC")
    importer.add_argument(
        "--to", required=True, metavar="OUT.json", help="the map file to write (an existing one only with --force)"
    )
    importer.add_argument("--person", help="the person's name, when SRC does not say (CSV)")
    importer.add_argument("--graph", type=int, default=1, help="which graph of a GraphML file holding several")
    importer.add_argument("--force", action="store_true", help="replace OUT.json if it exists")
    importer.set_defaults(handler=_import)

    differ = commands.add_parser("diff", help="what changed between two versions of a map, in plain words")
    differ.add_argument("old", metavar="OLD")
    differ.add_argument("new", metavar="NEW")
    differ.add_argument("--json", action="store_true", help="print the changes, measures and findings as JSON")
    differ.add_argument("--lang", choices=sorted(LANGUAGES), default="en", help="the language of the sentences")
    differ.set_defaults(handler=_diff)

    schema = commands.add_parser("schema", help="print the JSON Schema of the map format")
    schema.set_defaults(handler=_schema)

    _database_commands(commands)
    _operator_commands(commands)
    _visit_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line and return its exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed usage or help
        return int(exc.code or 0)
    handler: Handler = args.handler
    return handler(args, out, err)
