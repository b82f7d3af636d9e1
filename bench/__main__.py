"""Run the benchmarks and print the table: ``python -m bench [--only NAME...]``."""

from __future__ import annotations

import argparse
import sys

from bench.common import Result, save, side_by_side, table

SECTIONS = ("browser", "actions", "cold", "visit", "memory", "rerun", "exports", "save", "caseload", "load")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    args = parser.parse_args(argv)
    chosen = args.only or list(SECTIONS)
    results: list[Result] = []
    for section in chosen:
        print(f"measuring: {section} ...", file=sys.stderr, flush=True)
        if section == "exports":
            from bench.inprocess import exports

            results += exports()
        elif section == "save":
            from bench.inprocess import saving

            results += saving()
        elif section == "memory":
            from bench.browser import memory

            results += memory()
        elif section == "caseload":
            from bench.inprocess import caseload

            results += caseload()
        elif section == "rerun":
            from bench.inprocess import reruns

            results += reruns()
        elif section == "load":
            from bench.load import results as load

            results += load()
        elif section == "browser":
            from bench.browser import browser

            results += browser()
        elif section == "actions":
            from bench.actions import actions

            results += actions()
        elif section == "cold":
            from bench.browser import cold

            results += cold()
        elif section == "visit":
            from bench.visit import visit

            results += visit()
    print(table(results))
    if actions_table := side_by_side(results, "actions", "client-only", "Ecomap"):
        print(f"\nEach action beside the client-only page (medians; CPU 1x and slowed 4x):\n{actions_table}")
    print(f"\nfigures saved to {save(results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
