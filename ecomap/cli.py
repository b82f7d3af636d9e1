"""The command line: ``python -m ecomap COMMAND``.

Bad input never prints a traceback: each problem is one line naming the file,
the place in it and what is wrong, and the exit status is 2. A file is written
whole or not at all (:mod:`ecomap.files`). ``db`` holds the operator's commands
for the database itself (:mod:`ecomap.database`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from ecomap import __version__
from ecomap.errors import MapInvalid
from ecomap.files import FileNotWritten, check_writable, write_file
from ecomap.i18n import LANGUAGES
from ecomap.model import EcoMap, json_schema, read_map

if TYPE_CHECKING:
    from ecomap.database import Contents

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "build_parser", "main"]

#: The exit statuses: the command did its work; or the input was bad, and each problem has been printed
#: on a line of its own.
EXIT_OK = 0
EXIT_BAD_INPUT = 2


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


def _database_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--database", metavar="URL", help="the database's URL (default: ECOMAP_DATABASE_URL, else data/ecomap.db)"
    )
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
