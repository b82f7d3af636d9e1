"""The fictional example maps in ``data/examples`` and loading them into a store."""

from __future__ import annotations

from pathlib import Path

from ecomap.model import EcoMap, read_map
from ecomap.store import Store, User


def examples_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "examples"


def example_maps() -> list[EcoMap]:
    """Every example map, by file name.

    >>> [m.person.name for m in example_maps()]
    ['Alys Pritchard', 'Cai Hughes', 'Rhys Morgan']
    """
    return [read_map(path) for path in sorted(examples_dir().glob("*.json"))]


def load_examples(store: Store, user: User) -> int:
    """Add the example people not yet in ``store``; return how many were added."""
    present = {summary.map_id for summary in store.people(user)}
    added = 0
    for m in example_maps():
        if m.id not in present:
            store.add_person(user, m)
            added += 1
    return added
