"""easyNWK Web's network files (JSON) as an Ecomap map.

easyNWK draws four sectors by angle and three horizons by distance. Its angle becomes
the tie's sector (family; friends and colleagues are community; professional helpers
are services) and, turned to our clockwise-from-the-top angles, the tie's place in its
ring; its distance becomes the tie's strength (the inner horizon is strong). A pet is
kept as a pet, someone who has died or has no current tie as a tie in the past, and
``connections`` become links. Age, gender and notes go to the tie's notes.
"""

from __future__ import annotations

import math
from typing import Any

from ecomap.errors import MapInvalid, Problem
from ecomap.io.base import Imported, english_role, notes_with, role_for
from ecomap.layout import RINGS, keep_in_ring
from ecomap.model import EcoMap, parse_json
from ecomap.vocab import ROLES, Sector

SOURCE = "easyNWK"
#: The horizons' outer distances, and the strength a tie inside each one has.
HORIZONS: tuple[tuple[float, str], ...] = ((100 / 3, "strong"), (200 / 3, "moderate"), (math.inf, "tenuous"))


def looks_like(document: Any) -> bool:
    """True for an easyNWK file: versions of a network, or a bare network with alteri."""
    return isinstance(document, dict) and ("versions" in document or "alteri" in document)


def sector_of(angle: float, distance: float) -> Sector | None:
    """easyNWK's sector for a polar position (degrees counter-clockwise from the x-axis).

    >>> sector_of(45, 50), sector_of(135, 50), sector_of(-135, 50), sector_of(-45, 50), sector_of(45, 0)
    ('family', 'community', 'community', 'services', None)
    """
    if distance <= 0:
        return None
    if 0 <= angle < 90:
        return "family"
    if angle >= 90 or angle < -90:
        return "community"
    return "services"


def _number(value: Any, where: str, problems: list[Problem]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(Problem(where, f"expected a number, found {value!r}"))
        return 0.0
    return float(value)


def read(data: bytes | str, *, person_name: str = "") -> Imported:
    """The easyNWK file as an :class:`Imported` map (its current version)."""
    document = parse_json(data)
    if not looks_like(document):
        raise MapInvalid([Problem("", "not an easyNWK file: it has no 'versions' or 'alteri'")])
    notes: list[str] = []
    where = ""
    network = document
    if "versions" in document:
        versions = document["versions"]
        if not isinstance(versions, list) or not versions or not all(isinstance(v, dict) for v in versions):
            raise MapInvalid([Problem("versions", "expected a list of versions")])
        current = document.get("currentVersion")
        index = next((i for i, v in enumerate(versions) if v.get("id") == current), len(versions) - 1)
        chosen = versions[index]
        where = f"versions[{index}].nwk"
        network = chosen.get("nwk")
        if len(versions) > 1:
            notes.append(
                f"The file holds {len(versions)} versions; the current one, {chosen.get('title', '')!s} "
                f"({chosen.get('date', '')!s}), is imported."
            )
    if not isinstance(network, dict):
        raise MapInvalid([Problem(where, "expected the network (an object with 'ego' and 'alteri')")])
    prefix = f"{where}." if where else ""
    ego = network.get("ego") or {}
    alteri = network.get("alteri", [])
    connections = network.get("connections", [])
    problems: list[Problem] = []
    if not isinstance(ego, dict):
        problems.append(Problem(f"{prefix}ego", "expected an object"))
        ego = {}
    if not isinstance(alteri, list):
        raise MapInvalid([Problem(f"{prefix}alteri", "expected a list of people")])
    if not isinstance(connections, list):
        raise MapInvalid([Problem(f"{prefix}connections", "expected a list of connections")])

    ties: list[dict[str, Any]] = []
    ids: dict[Any, str] = {}
    unknown: dict[str, list[str]] = {}
    extra_names: set[str] = set()
    for index, alter in enumerate(alteri):
        at = f"{prefix}alteri[{index}]"
        if not isinstance(alter, dict):
            problems.append(Problem(at, "expected an object"))
            continue
        tie_id = f"t{index + 1}"
        ids[alter.get("id")] = tie_id
        angle = _number(alter.get("angle", 0), f"{at}.angle", problems)
        distance = _number(alter.get("distance", 0), f"{at}.distance", problems)
        written = str(alter.get("role") or "").strip()
        role = role_for(written) if written else None
        sector = sector_of(angle, distance)
        if sector is None:
            sector = ROLES[role].sector if role else "community"
            notes.append(f"{alter.get('name')!s} sits at the centre in easyNWK, with no sector: placed in {sector}.")
        if written and role is None:
            unknown.setdefault(english_role(written), []).append(tie_id)
        pet = alter.get("human") is False
        strength = next(s for limit, s in HORIZONS if distance < limit)
        past = bool(alter.get("deceased")) or alter.get("edgeType") == 0
        inner, outer = RINGS[sector]
        gender = alter.get("currentGender")
        unset = alter.get("genderDefault") or gender == "nicht festgelegt"
        extra = {"age": alter.get("age"), "gender": None if unset else gender}
        if alter.get("edgeType") == 2:
            extra["easyNWK"] = "a tie in several roles"
        extra_names.update(name for name, value in extra.items() if value not in (None, ""))
        ties.append(
            {
                "id": tie_id,
                "name": str(alter.get("name") or "").strip() or english_role(written) or f"Person {index + 1}",
                "kind": "pet" if pet else "person",
                "role": role or english_role(written),
                "sector": sector,
                "strength": strength,
                "status": "past" if past else "current",
                "notes": notes_with(str(alter.get("note") or ""), extra),
                "position": {
                    "angle": round((90.0 - angle) % 360.0, 3),
                    "distance": keep_in_ring(sector, inner + (outer - inner) * min(max(distance, 0), 100) / 100),
                },
            }
        )
    links: list[dict[str, Any]] = []
    seen: set[frozenset[str]] = set()
    for index, connection in enumerate(connections):
        at = f"{prefix}connections[{index}]"
        if not isinstance(connection, dict):
            problems.append(Problem(at, "expected an object with id1 and id2"))
            continue
        a, b = ids.get(connection.get("id1")), ids.get(connection.get("id2"))
        if a is None or b is None:
            problems.append(Problem(at, "names someone who is not in alteri"))
            continue
        if a != b and frozenset((a, b)) not in seen:
            seen.add(frozenset((a, b)))
            links.append({"between": [a, b]})
    if problems:
        raise MapInvalid(problems)
    left_out = [label for key, label in (("age", "age"), ("currentGender", "gender"), ("note", "note")) if ego.get(key)]
    if left_out:
        notes.append(f"The person's {' and '.join(left_out)} from easyNWK have no place on an ecomap: not imported.")
    name = str(ego.get("name") or "").strip() or person_name or "Person"
    m = EcoMap.from_dict(
        {
            "schema_version": 1,
            "id": _new_id(),
            "title": str(document.get("versions", [{}])[0].get("title", "")) if "versions" in document else "",
            "person": {"name": name},
            "ties": ties,
            "links": links,
        }
    )
    return Imported(m, SOURCE, {k: tuple(v) for k, v in unknown.items()}, tuple(sorted(extra_names)), tuple(notes))


def _new_id() -> str:
    import uuid

    return str(uuid.uuid4())
