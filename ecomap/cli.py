"""The command line: ``python -m ecomap COMMAND``.

Bad input never prints a traceback: each problem is one line naming the file,
the place in it and what is wrong, and the exit status is 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from ecomap import __version__
from ecomap.errors import MapInvalid
from ecomap.i18n import LANGUAGES
from ecomap.model import EcoMap, json_schema, read_map

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "build_parser", "main"]

#: The exit statuses: the command did its work; or the input was bad, and each problem has been printed
#: on a line of its own.
EXIT_OK = 0
EXIT_BAD_INPUT = 2


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
    from ecomap.i18n import translator

    target = Path(args.to)
    if target.suffix.lower() not in EXPORTS:
        print(f"{args.to}: Ecomap writes {' '.join(EXPORTS)}; the ending says which", file=err)
        return EXIT_BAD_INPUT
    m = _read(args.file, err)
    if m is None:
        return EXIT_BAD_INPUT
    data = export(m, target.suffix, t=translator(args.lang), pseudonymise=args.pseudonymise, image=args.image)
    try:
        target.write_bytes(data)
    except OSError as exc:
        print(f"{args.to}: {exc.strerror or 'cannot be written'}", file=err)
        return EXIT_BAD_INPUT
    print(f"{args.to}: {len(data):,} bytes", file=out)
    return EXIT_OK


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from pathlib import Path

    from ecomap.io import import_file
    from ecomap.model import write_map

    target = Path(args.to)
    if target.suffix.lower() != ".json":
        print(f"{args.to}: the map is written as Ecomap JSON: name it .json", file=err)
        return EXIT_BAD_INPUT
    if target.exists() and not args.force:
        print(f"{args.to}: already exists; nothing was written (use --force to replace it)", file=err)
        return EXIT_BAD_INPUT
    try:
        imported = import_file(args.src, person_name=args.person or "", graph=args.graph - 1)
    except MapInvalid as exc:
        for problem in exc.problems:
            print(f"{args.src}: {problem}", file=err)
        return EXIT_BAD_INPUT
    m = imported.map
    write_map(m, target)
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
    export.add_argument("--lang", choices=sorted(LANGUAGES), default="en", help="the language of the words")
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
