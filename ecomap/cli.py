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
from ecomap.model import json_schema, read_map

EXIT_OK = 0
EXIT_BAD_INPUT = 2


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

    try:
        m = read_map(args.file)
    except MapInvalid as exc:
        for problem in exc.problems:
            print(f"{args.file}: {problem}", file=err)
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


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False), file=out)
    return EXIT_OK


Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]

_PLANNED = {
    "export": "write a map as .png .svg .pdf .docx .html .json .csv or .graphml (FILE --to OUT)",
    "import": "read our JSON, easyNWK JSON, CSV or GraphML into a map file (SRC --to OUT.json)",
    "diff": "what changed between two versions of a map (OLD NEW [--json])",
}


def build_parser() -> argparse.ArgumentParser:
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

    schema = commands.add_parser("schema", help="print the JSON Schema of the map format")
    schema.set_defaults(handler=_schema)

    for name, summary in _PLANNED.items():
        planned = commands.add_parser(name, help=f"{summary} (not in this release yet)")
        planned.add_argument("rest", nargs=argparse.REMAINDER)
        planned.set_defaults(handler=None)
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
    handler: Handler | None = args.handler
    if handler is None:
        print(f"ecomap: '{args.command}' is not in this release yet", file=err)
        return EXIT_BAD_INPUT
    return handler(args, out, err)
