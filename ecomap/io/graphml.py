"""GraphML out (for Gephi, yEd, networkx) and in (ours, Network Canvas, and other tools').

Written with networkx: the person is the node ``@person``; each tie is a node carrying
every field of the tie, and an edge from the person carrying the relationship again
(strength, stress, flow and a numeric ``weight`` for tools that size lines by it); links
are edges between two ties with ``kind = link``. The map's own fields sit on the graph
(the record and the plan as JSON).

Support is one attribute a kind, ``support_emotional``, ``support_practical``,
``support_information`` and ``support_social``, each ``gets``, ``gives``, ``both`` or ``none``
(talked about, none of that kind either way), and none of them on a tie whose support has
not been asked yet: a column each to filter or colour by in Gephi, yEd or networkx. ``flow``
(the arrowheads) is written for tools that draw one direction a line, and not read back.
A file of the release before (``ecomap_schema_version`` 1) has ``flow`` and ``support`` (the
kinds, comma-separated) instead; it is read as that version, and the model upgrades it.

Read with defusedxml (no DTDs, no entities, nothing fetched) and our own walk of the
elements, so that Network Canvas's ego data on the ``<graph>`` element and yEd's labels
inside ``nodegraphics`` are understood. Attributes are matched by their ``attr.name``.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import networkx as nx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ecomap.errors import MapInvalid, Problem
from ecomap.io.base import NO_SUPPORT, Draft, Imported, check_size, joined
from ecomap.layout import from_xy, keep_in_ring
from ecomap.model import MAX_TIES, EcoMap, Tie
from ecomap.vocab import DIRECTIONS, SUPPORTS, VOCABULARIES, Direction, Kind, Support

__all__ = ["WEIGHTS", "parse", "read", "support_data", "write"]

PERSON = "@person"
NS = "{http://graphml.graphdrawing.org/xmlns}"
#: A tie's weight for tools that draw lines by weight.
WEIGHTS = {"strong": 3.0, "moderate": 2.0, "tenuous": 1.0, "cut_off": 0.5}
_TIE_TEXT_FIELDS = ("name", "kind", "role", "sector", "strength", "status", "own_words", "notes")
#: Each kind of support's attribute name on a tie's node.
_SUPPORT_KEYS = {kind: f"support_{kind}" for kind in SUPPORTS}


def support_data(tie: Tie) -> dict[str, str]:
    """The tie's support as node attributes: each kind's direction or ``none``; none at all when not asked yet.

    >>> from ecomap.model import example
    >>> support_data(example().tie("t1"))
    {'support_emotional': 'both', 'support_practical': 'none', 'support_information': 'none', 'support_social': 'none'}
    >>> support_data(example().tie("t1").model_copy(update={"support": None}))
    {}
    """
    if tie.support is None:
        return {}
    support = {str(kind): str(direction) for kind, direction in tie.support.items()}
    return {key: support.get(kind, NO_SUPPORT) for kind, key in _SUPPORT_KEYS.items()}


def write(m: EcoMap) -> bytes:
    """The map as GraphML bytes."""
    G = nx.Graph()
    person = m.person
    G.graph.update(
        {
            "ecomap_schema_version": m.schema_version,
            "ecomap_id": m.id,
            "title": m.title,
            "created": m.created.isoformat().replace("+00:00", "Z"),
            "person_name": person.name,
            "person_preferred_name": person.preferred_name,
            "person_pronouns": person.pronouns,
            "person_language": person.language,
            "person_what_matters": json.dumps(list(person.what_matters), ensure_ascii=False),
            "person_strengths": json.dumps(list(person.strengths), ensure_ascii=False),
            "person_date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
            "record": json.dumps(m.to_dict()["record"], ensure_ascii=False),
            "plan": json.dumps(m.to_dict()["plan"], ensure_ascii=False),
        }
    )
    if person.age is not None:
        G.graph["person_age"] = person.age
    G.add_node(PERSON, label=person.name, kind="centre")
    for tie in m.ties:
        data: dict[str, Any] = {"label": tie.name, "tie_id": tie.id}
        data.update({field: getattr(tie, field) for field in _TIE_TEXT_FIELDS})
        data["stressful"] = tie.stressful
        data["flow"] = tie.flow
        data.update(support_data(tie))
        data["frequency"] = tie.frequency or ""
        if tie.position is not None:
            data["angle"] = tie.position.angle
            data["distance"] = tie.position.distance
        G.add_node(tie.id, **data)
        G.add_edge(
            PERSON,
            tie.id,
            edge_kind="tie",
            strength=tie.strength,
            stressful=tie.stressful,
            flow=tie.flow,
            weight=WEIGHTS[tie.strength],
            link_order=-1,
        )
    for order, link in enumerate(m.links):
        a, b = link.between
        G.add_edge(
            a, b, edge_kind="link", strength="", stressful=link.stressful, flow="", weight=0.0, link_order=order,
            link_from=a,
        )  # fmt: skip
    buffer = io.BytesIO()
    nx.write_graphml(G, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


# -- reading -----------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse(data: bytes) -> Element:
    """The XML root, parsed safely; problems are said plainly."""
    check_size(len(data))
    try:
        root: Element = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise MapInvalid(
            [Problem("", "the file declares a DTD or entities, which Ecomap does not read (they can be unsafe)")]
        ) from None
    except ParseError as exc:
        line, column = exc.position
        raise MapInvalid([Problem(f"line {line}, column {column}", "not well-formed XML")]) from None
    if _local(root.tag) != "graphml":
        raise MapInvalid([Problem("", f"not GraphML: the document is <{_local(root.tag)}>, not <graphml>")])
    return root


def _keys(root: Element) -> dict[str, tuple[str, str, str]]:
    """Key id -> (for, attr.name, attr.type)."""
    return {
        key.get("id", ""): (
            key.get("for", "all"),
            key.get("attr.name") or key.get("id") or "",
            key.get("attr.type", ""),
        )
        for key in root
        if _local(key.tag) == "key"
    }


def _data(element: Element, keys: Mapping[str, tuple[str, str, str]]) -> dict[str, Any]:
    """An element's data by attribute name, typed as its key says; yEd labels become ``label``."""
    values: dict[str, Any] = {}
    for child in element:
        if _local(child.tag) != "data":
            continue
        _for, name, kind = keys.get(child.get("key", ""), ("all", child.get("key", ""), "string"))
        if len(child):
            labels = [e.text or "" for e in child.iter() if _local(e.tag) == "NodeLabel" and (e.text or "").strip()]
            if labels:
                values.setdefault("label", labels[0].strip())
            continue
        text = child.text or ""
        values[name] = _typed(text, kind)
    return values


def _typed(text: str, kind: str) -> Any:
    try:
        if kind == "boolean":
            return text.strip().lower() in ("true", "1")
        if kind in ("int", "long"):
            return int(text.strip())
        if kind in ("float", "double"):
            value = float(text.strip())
            return value if math.isfinite(value) else None
    except ValueError:
        return text
    return text


def read(data: bytes, *, person_name: str = "", graph: int = 0) -> Imported:
    """A GraphML file as an :class:`Imported` map: ours exactly, others by their attribute names.

    ``graph`` picks one of several ``<graph>`` elements (Network Canvas writes one per interview).
    """
    root = parse(data)
    keys = _keys(root)
    graphs = [child for child in root if _local(child.tag) == "graph"]
    if not graphs:
        raise MapInvalid([Problem("", "the GraphML file has no <graph>")])
    if not 0 <= graph < len(graphs):
        raise MapInvalid([Problem("", f"there is no graph {graph + 1}: the file holds {len(graphs)}")])
    element = graphs[graph]
    nodes = [child for child in element if _local(child.tag) == "node"]
    if len(nodes) > MAX_TIES + 1:
        raise MapInvalid([Problem("", f"the graph has {len(nodes):,} nodes; an ecomap holds at most {MAX_TIES} ties")])
    graph_data = _data(element, keys)
    notes = [f"The file holds {len(graphs)} graphs; graph {graph + 1} is imported."] if len(graphs) > 1 else []
    if "ecomap_schema_version" in graph_data:
        return _read_ours(element, keys, graph_data)
    network_canvas = any(name == "networkCanvasType" for _, name, _ in keys.values())
    return _read_other(element, nodes, keys, graph_data, person_name, notes, network_canvas)


def _read_ours(element: Element, keys: Mapping[str, tuple[str, str, str]], graph_data: dict[str, Any]) -> Imported:
    def parsed(name: str, empty: Any) -> Any:
        try:
            return json.loads(graph_data.get(name) or json.dumps(empty))
        except json.JSONDecodeError:
            kind = "list" if isinstance(empty, list) else "object"
            raise MapInvalid([Problem(f"graph data {name}", f"is not a JSON {kind}")]) from None

    def listed(name: str) -> Any:
        return parsed(name, [])

    version = graph_data["ecomap_schema_version"]
    ties: list[dict[str, Any]] = []
    for node in element:
        if _local(node.tag) != "node" or node.get("id") == PERSON:
            continue
        values = _data(node, keys)
        tie = {field: values[field] for field in _TIE_TEXT_FIELDS if field in values}
        tie["id"] = values.get("tie_id", node.get("id"))
        tie["stressful"] = bool(values.get("stressful", False))
        if version == 1:
            # The release before's one flow and list of kinds: the model's upgrade gives each kind its direction.
            tie["flow"] = values.get("flow", "none")
            tie["support"] = [s for s in str(values.get("support", "")).split(",") if s]
        else:
            tie["support"] = _our_support(values)
        tie["frequency"] = values.get("frequency") or None
        if values.get("angle") is not None and values.get("distance") is not None:
            tie["position"] = {"angle": values["angle"], "distance": values["distance"]}
        ties.append(tie)
    links: list[tuple[int, dict[str, Any]]] = []
    for edge in element:
        if _local(edge.tag) != "edge":
            continue
        values = _data(edge, keys)
        if values.get("edge_kind") == "link":
            a, b = edge.get("source"), edge.get("target")
            if values.get("link_from") == b:
                a, b = b, a
            links.append(
                (int(values.get("link_order", 0)), {"between": [a, b], "stressful": bool(values.get("stressful"))})
            )
    person: dict[str, Any] = {
        "name": graph_data.get("person_name", ""),
        "preferred_name": graph_data.get("person_preferred_name", ""),
        "pronouns": graph_data.get("person_pronouns", ""),
        "language": graph_data.get("person_language", "en"),
        "what_matters": listed("person_what_matters"),
        "strengths": listed("person_strengths"),
    }
    if graph_data.get("person_date_of_birth"):
        person["date_of_birth"] = graph_data["person_date_of_birth"]
    if graph_data.get("person_age") is not None:
        person["age"] = graph_data["person_age"]
    document = {
        "schema_version": version,
        "id": graph_data.get("ecomap_id"),
        "title": graph_data.get("title", ""),
        "created": graph_data.get("created"),
        "person": person,
        "ties": ties,
        "links": [link for _, link in sorted(links, key=lambda pair: pair[0])],
        "plan": listed("plan"),
    }
    if graph_data.get("record"):
        document["record"] = parsed("record", {})
    return Imported(EcoMap.from_dict(document), "Ecomap GraphML")


def _our_support(values: Mapping[str, Any]) -> dict[str, Any] | None:
    """A tie's support from our own attributes, one a kind (``none`` is none of that kind); None if there are none."""
    found = {kind: values[key] for kind, key in _SUPPORT_KEYS.items() if values.get(key) not in (None, "")}
    if not found:
        return None
    return {kind: direction for kind, direction in found.items() if direction != NO_SUPPORT}


#: Attribute names (lower case) that other tools use for our fields.
_NAME = ("name", "label", "first_name", "nickname")
_ROLE = ("role", "relationship", "relation", "relationship_type", "type_of_relationship")
_STRENGTH = ("closeness", "strength", "tie_strength", "close", "intimacy")
_FREQUENCY = ("frequency", "contact", "contact_frequency")
_NOTES = ("notes", "note", "comment", "comments")
#: Network Canvas's node types, and the kind of tie each one is.
_KINDS: dict[str, Kind] = {"person": "person", "venue": "place", "place": "place", "organisation": "organisation"}
_IGNORED = {
    "networkcanvastype", "networkcanvasuuid", "networkcanvassourceuuid", "networkcanvastargetuuid",
    "networkcanvasegouuid", "layout_x", "layout_y", "x", "y", "size", "r", "g", "b", "color", "weight",
}  # fmt: skip


def _first(values: Mapping[str, Any], names: tuple[str, ...]) -> tuple[str | None, Any]:
    lowered = {key.lower(): key for key in values}
    for name in names:
        if name in lowered and values[lowered[name]] not in (None, ""):
            return lowered[name], values[lowered[name]]
    return None, None


def _strength(value: Any) -> str | None:
    if isinstance(value, str) and value.strip().lower().replace(" ", "_") in VOCABULARIES["strength"]:
        return value.strip().lower().replace(" ", "_")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    scale = 5.0 if number > 3 or number == int(number) else 1.0
    share = number / scale
    return "strong" if share >= 0.8 else "moderate" if share >= 0.5 else "tenuous"


def _read_other(
    element: Element,
    nodes: list[Element],
    keys: Mapping[str, tuple[str, str, str]],
    graph_data: dict[str, Any],
    person_name: str,
    notes: list[str],
    network_canvas: bool,
) -> Imported:
    draft = Draft("Network Canvas" if network_canvas else "GraphML", notes=notes)
    node_values = {node.get("id", ""): _data(node, keys) for node in nodes}
    edges = [
        (edge.get("source", ""), edge.get("target", ""), _data(edge, keys))
        for edge in element
        if _local(edge.tag) == "edge"
    ]
    _, ego_name = _first(graph_data, _NAME)
    ego_id = _ego_node(node_values, edges) if ego_name is None else None
    if ego_id is not None:
        _, ego_name = _first(node_values[ego_id], _NAME)
        draft.notes.append(f"{ego_name or ego_id} is linked to everyone else, so is taken as the person at the centre.")
    ids: dict[str, str] = {}
    tie_edges = {(a if b == ego_id else b): values for a, b, values in edges if ego_id in (a, b)}
    for node_id, values in node_values.items():
        if node_id != ego_id:
            ids[node_id] = f"t{len(ids) + 1}"
            draft.ties.append(_tie(node_id, ids[node_id], values, tie_edges.get(node_id), draft))
    left_out: set[str] = set()
    for index, (a, b, values) in enumerate(edges):
        if ego_id in (a, b):
            continue
        if a not in ids or b not in ids:
            draft.problems.append(Problem(f"edge {index + 1}", f"joins {a!r} and {b!r}, which are not both nodes"))
            continue
        left_out.update(k for k in values if k.lower() not in _IGNORED)
        draft.link(ids[a], ids[b], stressful=str(values.get("stressful", "")).lower() == "true")
    if left_out:
        draft.notes.append(f"Links between people keep no details: {', '.join(sorted(left_out))} left out.")
    return draft.imported(str(ego_name or person_name or ""))


def _tie(
    node_id: str, tie_id: str, values: dict[str, Any], tie_edge: dict[str, Any] | None, draft: Draft
) -> dict[str, Any]:
    """A node of someone else's network as a tie; ``tie_edge`` is its edge from the person, if there is one."""
    used: set[str] = set()
    name_key, name = _first(values, _NAME)
    role_key, written = _first(values, _ROLE)
    used.update(k for k in (name_key, role_key) if k)
    used.update(k for k in values if k.lower() in _NAME)
    relation = {**values, **(tie_edge or {})}
    strength_key, strength_value = _first(relation, _STRENGTH)
    if strength_key is None and tie_edge is not None:
        strength_key, strength_value = _first(tie_edge, ("weight",))
    strength = _strength(strength_value) if strength_key else None
    used.update(k for k in (strength_key,) if k)
    support = _support(values, used)
    frequency_key, frequency = _first(values, _FREQUENCY)
    frequency = str(frequency).lower() if frequency_key else None
    if frequency is not None and frequency in VOCABULARIES["frequency"]:
        used.add(frequency_key or "")
    else:
        frequency = None
    notes_key, tie_notes = _first(values, _NOTES)
    used.update(k for k in (notes_key,) if k)
    kind_text = str(values.get("networkCanvasType", "")).lower()
    kind = _KINDS.get(kind_text, "organisation" if "organi" in kind_text else None)
    role = draft.role(tie_id, str(written) if written else "", kind=kind)
    name = str(name or node_id).strip() or node_id
    tie: dict[str, Any] = {"id": tie_id, "name": name, **role.fields(), "support": support}
    if strength:
        tie["strength"] = strength
    if frequency:
        tie["frequency"] = frequency
    x, y = values.get("layout_x"), values.get("layout_y")
    if isinstance(x, float) and isinstance(y, float):
        angle, distance = from_xy(x - 0.5, y - 0.5)
        tie["position"] = {"angle": angle, "distance": keep_in_ring(role.sector, distance * 2)}
    extra = {k: v for k, v in values.items() if k not in used and k.lower() not in _IGNORED and k != "label"}
    tie["notes"] = draft.notes_with(str(tie_notes or ""), extra)
    return tie


def _support(values: Mapping[str, Any], used: set[str]) -> dict[Support, Direction] | None:
    """The support a node's attributes say (``support_type_emotional`` and the like), None if they say none.

    Network Canvas asks who gives the person each kind: true is a kind the person gets, false
    none of it. A kind may also say its direction in our words (``gets``, ``gives``, ``both``,
    ``none``). The keys read go in ``used``; a value that is none of these stays in the notes.
    """
    said: list[tuple[str, str]] = []
    asked = False
    for key, value in values.items():
        lowered = key.lower()
        for support_kind in SUPPORTS:
            names = (f"support_type_{support_kind}", f"support_{support_kind}", f"{support_kind}_support")
            if lowered not in names and not (
                support_kind == "information" and lowered in ("support_type_informational", "informational_support")
            ):
                continue
            words = str(value).strip().lower()
            direction = "gets" if value is True or words == "true" else NO_SUPPORT if value is False else words
            if direction in DIRECTIONS or direction in (NO_SUPPORT, "false"):
                used.add(key)
                asked = True
                if direction in DIRECTIONS:
                    said.append((support_kind, direction))
    return joined(said) if asked else None


def _ego_node(node_values: Mapping[str, dict[str, Any]], edges: list[tuple[str, str, dict[str, Any]]]) -> str | None:
    """The person at the centre of an ego network drawn elsewhere: marked as ego, or linked to all."""
    for node_id, values in node_values.items():
        if any(k.lower() in ("ego", "is_ego", "isego") and v in (True, "true", "1", 1) for k, v in values.items()):
            return node_id
    if len(node_values) < 3:
        return None
    neighbours: dict[str, set[str]] = {node: set() for node in node_values}
    for a, b, _ in edges:
        if a in neighbours and b in neighbours and a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    everyone = [node for node, others in neighbours.items() if len(others) == len(node_values) - 1]
    return everyone[0] if len(everyone) == 1 else None
