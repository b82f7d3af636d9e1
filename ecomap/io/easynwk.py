"""easyNWK Web's network files (JSON) as an Ecomap map.

easyNWK draws four sectors by angle and three horizons by distance. Its angle becomes
the tie's sector (family; friends and colleagues are community; professional helpers
are services) and, turned to our clockwise-from-the-top angles, the tie's place in its
ring; its distance becomes the tie's strength (the inner horizon is strong). A pet is
kept as a pet, someone who has died or has no current tie as a tie in the past, and
``connections`` become links. Age, gender and notes go to the tie's notes.

Newer easyNWK records say, for each alter, which way each kind of support goes: a number
0 to 3 in each of its support fields (:data:`SUPPORT_FIELDS`, :data:`SUPPORT_NUMBERS`, from
easyNWK Web's alter form), and ``conflict`` (a conflictual tie) is a stressful one here.
easyNWK starts every field at 0, so an alter with no support marked has not been asked yet
(its tie's ``support`` is None), not "none". easyNWK's material and practical support are one
kind here, practical: when both are marked, their directions are joined and the import's
notes say so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ecomap.errors import MapInvalid, Problem
from ecomap.io.base import Draft, Imported, check_ties, english_role, joined, shown
from ecomap.layout import RINGS, keep_in_ring
from ecomap.model import parse_json
from ecomap.vocab import DIRECTIONS, Direction, Sector, Support

__all__ = [
    "HORIZONS",
    "SOURCE",
    "SUPPORT_FIELDS",
    "SUPPORT_NUMBERS",
    "looks_like",
    "read",
    "read_document",
    "sector_of",
    "support_of",
]

#: The format's name in :attr:`~ecomap.io.base.Imported.source`.
SOURCE = "easyNWK"
#: The horizons' outer distances, and the strength a tie inside each one has.
HORIZONS: tuple[tuple[float, str], ...] = ((100 / 3, "strong"), (200 / 3, "moderate"), (math.inf, "tenuous"))
#: easyNWK's support fields on an alter and the kind of support each one is here. easyNWK Web's
#: form labels them Emotional, Informationell (first Kognitiv), Sozial, Instrumentell (first
#: Materiell) and Linking (first Praktisch); its newer support panel reads them under the later names.
SUPPORT_FIELDS: dict[str, Support] = {
    "supportEmotional": "emotional",
    "supportCognitive": "information",
    "supportInformational": "information",
    "supportSocial": "social",
    "supportMaterial": "practical",
    "supportInstrumental": "practical",
    "supportPractical": "practical",
    "supportLinking": "practical",
}
#: What each number in a support field says, as easyNWK Web's alter form words it: 0 "Keine
#: Unterstützung" (none), 1 "Ich unterstütze …" (I support them: the person gives), 2 "… unterstützt
#: mich" (they support me: the person gets), 3 "Wir unterstützen uns" (we support each other).
SUPPORT_NUMBERS: dict[int, Direction | None] = {0: None, 1: "gives", 2: "gets", 3: "both"}


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


#: The JSON types a field may have, as a message names them.
_KINDS = {"number": "a number", "text": "text"}


def _is(value: Any, kind: str) -> bool:
    if kind == "text":
        return isinstance(value, str)
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _field(record: Mapping[str, Any], key: str, kinds: tuple[str, ...], at: str, problems: list[Problem]) -> Any:
    """``record[key]`` if it is one of ``kinds`` (``number``, ``text``); None if null, left out or wrong (said)."""
    value = record.get(key)
    if value is None or any(_is(value, kind) for kind in kinds):
        return value
    wanted = " or ".join(_KINDS[kind] for kind in kinds)
    problems.append(Problem(f"{at}.{key}" if at else key, f"must be {wanted}, not {shown(value)}"))
    return None


def _text(record: Mapping[str, Any], key: str, at: str, problems: list[Problem]) -> str:
    """A text field, stripped: empty if null, left out or not text (said)."""
    return str(_field(record, key, ("text",), at, problems) or "").strip()


def _number(record: Mapping[str, Any], key: str, at: str, problems: list[Problem]) -> float:
    """A number field, 0 if left out; anything but a finite number (null too) is said, and read as 0."""
    value = record.get(key, 0)
    if _is(value, "number"):
        return float(value)
    problems.append(Problem(f"{at}.{key}", f"must be a number, not {shown(value)}"))
    return 0.0


#: An alter's or a connection's id: easyNWK writes numbers; text is read too.
_ID = ("number", "text")


def read(data: bytes | str, *, person_name: str = "") -> Imported:
    """The easyNWK file as an :class:`Imported` map (its current version)."""
    return read_document(parse_json(data), person_name=person_name)


def read_document(document: Any, *, person_name: str = "") -> Imported:
    """An easyNWK file already parsed from JSON as an :class:`Imported` map (its current version).

    >>> network = {"ego": {"name": "Rosa"}, "alteri": [{"id": 1, "name": "Maria", "role": "Mutter",
    ...            "angle": 45, "distance": 20}, {"id": 2, "name": "Susi", "angle": 135, "distance": 50}],
    ...            "connections": [{"id1": 1, "id2": 2}]}
    >>> m = read_document(network).map
    >>> [(t.name, t.role, t.sector, t.strength) for t in m.ties], len(m.links)
    ([('Maria', 'mother', 'family', 'strong'), ('Susi', '', 'community', 'moderate')], 1)
    """
    if not looks_like(document):
        raise MapInvalid([Problem("", "not an easyNWK file: it has no 'versions' or 'alteri'")])
    draft = Draft(SOURCE, locate=_locate)
    problems = draft.problems
    where = ""
    network = document
    title = ""
    if "versions" in document:
        versions = document["versions"]
        if not isinstance(versions, list) or not versions or not all(isinstance(v, dict) for v in versions):
            raise MapInvalid([Problem("versions", "expected a list of versions")])
        title = _text(versions[0], "title", "versions[0]", problems)
        current = _field(document, "currentVersion", _ID, "", problems)
        index = next((i for i, v in enumerate(versions) if current is not None and v.get("id") == current), None)
        index = len(versions) - 1 if index is None else index
        chosen = versions[index]
        where = f"versions[{index}].nwk"
        network = chosen.get("nwk")
        if len(versions) > 1:
            chosen_title = _text(chosen, "title", f"versions[{index}]", problems) if index else title
            date = _field(chosen, "date", ("text", "number"), f"versions[{index}]", problems) or ""
            draft.notes.append(
                f"The file holds {len(versions)} versions; the current one, {chosen_title} ({date}), is imported."
            )
    if not isinstance(network, dict):
        raise MapInvalid([Problem(where, "expected the network (an object with 'ego' and 'alteri')")])
    prefix = f"{where}." if where else ""
    ego = network.get("ego") or {}
    alteri = network.get("alteri", [])
    connections = network.get("connections", [])
    if not isinstance(ego, dict):
        problems.append(Problem(f"{prefix}ego", "expected an object"))
        ego = {}
    if not isinstance(alteri, list):
        raise MapInvalid([Problem(f"{prefix}alteri", "expected a list of people")])
    if not isinstance(connections, list):
        raise MapInvalid([Problem(f"{prefix}connections", "expected a list of connections")])
    check_ties(len(alteri), "people", f"{prefix}alteri")
    ids: dict[Any, tuple[str, str]] = {}
    for index, alter in enumerate(alteri):
        at = f"{prefix}alteri[{index}]"
        if not isinstance(alter, dict):
            problems.append(Problem(at, "expected an object"))
            continue
        tie = _tie(alter, index + 1, at, draft)
        alter_id = _field(alter, "id", _ID, at, problems)
        if alter_id in ids:
            problems.append(Problem(f"{at}.id", f"{shown(alter_id)} is also the id of {ids[alter_id][1]}"))
        elif alter_id is not None:
            ids[alter_id] = (tie["id"], at)
        draft.add(tie, at)
    for index, connection in enumerate(connections):
        at = f"{prefix}connections[{index}]"
        if not isinstance(connection, dict):
            problems.append(Problem(at, "expected an object with id1 and id2"))
            continue
        said = len(problems)
        a, b = (_field(connection, key, _ID, at, problems) for key in ("id1", "id2"))
        if len(problems) > said:
            continue
        if a not in ids or b not in ids:
            problems.append(Problem(at, "names someone who is not in alteri"))
        else:
            draft.link(ids[a][0], ids[b][0])
    left_out = [label for key, label in (("age", "age"), ("currentGender", "gender"), ("note", "note")) if ego.get(key)]
    if left_out:
        draft.notes.append(
            f"The person's {' and '.join(left_out)} from easyNWK have no place on an ecomap: not imported."
        )
    return draft.imported(_text(ego, "name", f"{prefix}ego", problems) or person_name, title=title)


def _locate(place: str, field: str) -> str:
    """A tie's field in the alter's terms: ``alteri[3].name``."""
    return f"{place}.{_ALTER_FIELDS.get(field, field)}" if field else place


#: The alter's field each of a tie's fields comes from, where their names differ.
_ALTER_FIELDS = {"notes": "note"}


def _support_number(value: Any, where: str, problems: list[Problem]) -> Direction | None:
    """A support field's direction; easyNWK's form writes the number as text ("2") or as a number."""
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str) and value.strip() in ("0", "1", "2", "3"):
        number = int(value.strip())
    if number not in SUPPORT_NUMBERS:
        problems.append(Problem(where, f"must be 0, 1, 2 or 3, not {shown(value)}"))
        return None
    return SUPPORT_NUMBERS[number]


def support_of(
    alter: dict[str, Any], *, at: str = "", problems: list[Problem] | None = None
) -> tuple[dict[Support, Direction] | None, list[str]]:
    """An alter's support fields as a tie's ``support``, and the easyNWK fields joined into one kind.

    ``support`` is None when no field is marked (easyNWK starts each at 0); a bad number is
    added to ``problems``, placed at ``at``.

    >>> support_of({"supportEmotional": 3, "supportCognitive": "2", "supportSocial": 0})
    ({'emotional': 'both', 'information': 'gets'}, [])
    >>> support_of({"supportMaterial": 1, "supportPractical": 2})
    ({'practical': 'both'}, ['supportMaterial', 'supportPractical'])
    >>> support_of({"supportEmotional": 0}), support_of({"name": "Susi"})
    ((None, []), (None, []))
    """
    problems = [] if problems is None else problems
    said: list[tuple[str, str]] = []
    marked: dict[Support, list[str]] = {}
    for field, kind in SUPPORT_FIELDS.items():
        direction = (
            _support_number(alter[field], f"{at}.{field}" if at else field, problems) if field in alter else None
        )
        if direction is not None:
            said.append((kind, direction))
            marked.setdefault(kind, []).append(field)
    together = [field for fields in marked.values() if len(fields) > 1 for field in fields]
    return (joined(said) if said else None), together


def _tie(alter: dict[str, Any], number: int, at: str, draft: Draft) -> dict[str, Any]:
    """One of easyNWK's alteri as a tie: its place gives the sector and strength, ``human`` the kind."""
    problems = draft.problems
    tie_id = f"t{number}"
    angle = _number(alter, "angle", at, problems)
    distance = _number(alter, "distance", at, problems)
    written = _text(alter, "role", at, problems)
    name = _text(alter, "name", at, problems) or english_role(written) or f"Person {number}"
    placed = sector_of(angle, distance)
    role = draft.role(tie_id, written, sector=placed, kind="pet" if alter.get("human") is False else "person")
    if placed is None:
        draft.notes.append(f"{name} sits at the centre in easyNWK, with no sector: placed in {role.sector}.")
    inner, outer = RINGS[role.sector]
    gender = _field(alter, "currentGender", ("text",), at, problems)
    unset = alter.get("genderDefault") or gender == "nicht festgelegt"
    extra = {"age": _field(alter, "age", ("number", "text"), at, problems), "gender": None if unset else gender}
    if alter.get("edgeType") == 2:
        extra["easyNWK"] = "a tie in several roles"
    past = bool(alter.get("deceased")) or alter.get("edgeType") == 0
    support, joined = support_of(alter, at=at, problems=problems)
    if support is not None and joined:
        kind = SUPPORT_FIELDS[joined[0]]
        said = " and ".join(field.removeprefix("support").lower() for field in joined)
        way = DIRECTIONS[support[kind]].label.lower()
        draft.notes.append(f"{name}: easyNWK's {said} support are one kind here, {kind}; kept as one ({way}).")
    return {
        "id": tie_id,
        "name": name,
        **role.fields(),
        "strength": next(s for limit, s in HORIZONS if distance < limit),
        "stressful": alter.get("conflict") is True,
        "support": support,
        "status": "past" if past else "current",
        "notes": draft.notes_with(str(_field(alter, "note", ("text",), at, problems) or ""), extra),
        "position": {
            "angle": round((90.0 - angle) % 360.0, 3),
            "distance": keep_in_ring(role.sector, inner + (outer - inner) * min(max(distance, 0), 100) / 100),
        },
    }
