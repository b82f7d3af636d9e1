"""The fictional example maps in ``data/examples`` and loading them into a store."""

from __future__ import annotations

from pathlib import Path

from ecomap.model import SCHEMA_VERSION, EcoMap, read_map
from ecomap.store import Store, User

__all__ = ["example_maps", "examples_dir", "generated_map", "load_examples"]


def examples_dir() -> Path:
    """The folder of the example map files (``data/examples`` in the checkout)."""
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


_FIRST_NAMES = (
    "Siân",
    "Dafydd",
    "Gwenllian",
    "Rhodri",
    "Ffion",
    "Iwan",
    "Llŷr",
    "Eurgain",
    "Owain",
    "Catrin",
    "Gethin",
    "Nia",
    "Aneurin",
    "Ceinwen",
    "Tomos",
    "Mererid",
    "Emrys",
    "Heledd",
    "Bryn",
    "Lowri",
)
_GROUPS = ("Côr y Dre", "Capel Bethel", "Clwb Pêl-droed", "Caffi Trwsio", "Ysgol Gynradd", "Grŵp Cerdded")
_SERVICES = ("Meddygfa Glan Môr", "Gwasanaethau Cymdeithasol", "Tai Gogledd", "Cyngor Ar Bopeth", "Fferyllfa")


def generated_map(n: int, *, seed: int = 0) -> EcoMap:
    """A fictional map with ``n`` varied ties and links among them, the same for the same ``seed``.

    For benchmarks and tests that need a map of a given size.

    >>> m = generated_map(60)
    >>> len(m.ties), m == generated_map(60)
    (60, True)
    """
    import random

    from ecomap.vocab import FREQUENCIES, ROLES, STRENGTHS, SUPPORTS, values

    rng = random.Random(seed)  # noqa: S311 (fictional data, not secrets)
    roles = list(ROLES.values())
    ties = []
    for index in range(1, n + 1):
        role = rng.choice(roles)
        if role.kind == "person":
            name = f"{rng.choice(_FIRST_NAMES)} {index}"
        elif role.sector == "services":
            name = f"{rng.choice(_SERVICES)} {index}"
        else:
            name = f"{rng.choice(_GROUPS)} {index}"
        ties.append(
            {
                "id": f"t{index}",
                "name": name,
                "kind": role.kind,
                "role": role.value,
                "sector": role.sector,
                "strength": rng.choice(list(STRENGTHS)),
                "stressful": rng.random() < 0.15,
                **(
                    {}
                    if rng.random() < 0.2
                    else {
                        "support": {
                            kind: rng.choice(values("direction"))
                            for kind in rng.sample(list(SUPPORTS), rng.randint(0, 3))
                        }
                    }
                ),
                "frequency": rng.choice(list(FREQUENCIES)),
                "status": rng.choices(values("status"), weights=(8, 1, 1))[0],
                "own_words": rng.choice(("", "", "We talk most days", "I can always ring them")),
            }
        )
    pairs = {tuple(sorted(rng.sample(range(1, n + 1), 2))) for _ in range(n // 2)} if n > 1 else set()
    return EcoMap.from_dict(
        {
            "schema_version": SCHEMA_VERSION,
            "id": f"generated-{n}-{seed}",
            "created": "2026-11-01T10:00:00Z",
            "title": f"A network of {n}",
            "person": {"name": "Elen Roberts", "preferred_name": "Elen", "what_matters": ["Staying near the sea"]},
            "ties": ties,
            "links": [{"between": [f"t{a}", f"t{b}"]} for a, b in sorted(pairs)],
        }
    )
