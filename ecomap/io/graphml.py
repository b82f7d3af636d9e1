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
inside ``nodegraphics`` are understood. Attributes are matched by their ``attr.name``. Every
problem names its line (the parser keeps the line each element starts on), and the node, edge or
graph data and attribute; a node id twice or none, a number that is not one, and a file of more
than :data:`MAX_ELEMENTS` elements are refused, never read as one person less or a guess.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import networkx as nx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ecomap.errors import MapInvalid, Problem
from ecomap.io.base import NO_SUPPORT, Draft, Imported, check_size, joined, placed, shown
from ecomap.layout import from_xy, keep_in_ring
from ecomap.model import MAX_TIES, EcoMap, Tie, parse_json
from ecomap.vocab import DIRECTIONS, SUPPORTS, VOCABULARIES, Direction, Kind, Support

__all__ = ["MAX_ELEMENTS", "WEIGHTS", "parse", "read", "support_data", "write"]

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
            "person_language": person.language or "",
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


@lru_cache(maxsize=1024)
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


#: The elements whose line a message names.
_PLACED = frozenset(("graph", "node", "edge", "data"))
#: The most XML elements a GraphML file to import may hold: far more than a map of :data:`MAX_TIES` ties
#: needs (about 35 a tie, and 8 a link between two), few enough to read in a second or two.
MAX_ELEMENTS = 250_000


class _TooMany(Exception):
    """Raised while parsing at the first element past :data:`MAX_ELEMENTS`."""


class _LineBuilder:
    """The tree builder :func:`parse` reads with: ElementTree's own, keeping the line each placed element starts on."""

    def __init__(self) -> None:
        self.tree = TreeBuilder()
        self.lines: dict[Element, int] = {}
        self.expat: Any = None
        self.count = 0

    def start(self, tag: str, attrib: dict[str, str]) -> Element:
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise _TooMany
        element: Element = self.tree.start(tag, attrib)
        if _local(tag) in _PLACED:
            self.lines[element] = self.expat.CurrentLineNumber
        return element

    def end(self, tag: str) -> Element:
        element: Element = self.tree.end(tag)
        return element

    def data(self, text: str) -> None:
        self.tree.data(text)

    def close(self) -> Element:
        root: Element = self.tree.close()
        return root


def _parse(data: bytes) -> tuple[Element, dict[Element, int]]:
    """The XML root, parsed safely, and the line each graph, node, edge and data element starts on."""
    check_size(len(data))
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException:
        raise MapInvalid(
            [Problem("", "the file declares a DTD or entities, which Ecomap does not read (they can be unsafe)")]
        ) from None
    except ParseError as exc:
        line, column = exc.position
        raise MapInvalid([Problem(f"line {line}, column {column}", "not well-formed XML")]) from None
    except (LookupError, ValueError, UnicodeError):  # the XML declaration's encoding, looked up in Python's codecs
        raise MapInvalid(
            [Problem("line 1", "the file names an encoding Ecomap cannot read: save it as UTF-8")]
        ) from None
    except _TooMany:
        where = f"line {builder.expat.CurrentLineNumber}"
        raise MapInvalid(
            [Problem(where, f"the file holds more than {MAX_ELEMENTS:,} XML elements, more than Ecomap reads")]
        ) from None
    if _local(root.tag) != "graphml":
        tag = _local(root.tag)
        tag = tag if len(tag) <= 40 else tag[:39] + "…"
        raise MapInvalid([Problem("", f"not GraphML: the document is <{tag}>, not <graphml>")])
    return root, builder.lines


def parse(data: bytes) -> Element:
    """The XML root, parsed safely; problems are said plainly."""
    return _parse(data)[0]


#: Key id -> (for, attr.name, attr.type).
Keys = Mapping[str, tuple[str, str, str]]


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


def _data(element: Element, keys: Keys) -> dict[str, Any]:
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
    """A data element's text as its key's type says; text that is not of that type stays text, for a reader to say."""
    try:
        if kind == "boolean":
            return text.strip().lower() in ("true", "1")
        if kind in ("int", "long"):
            return int(text.strip())
        if kind in ("float", "double"):
            return float(text.strip())
    except ValueError:  # not a number, or an integer too long for Python to read
        return text
    return text


@dataclass(frozen=True)
class _Places:
    """Where each element is in the file, as a message names it: ``line 16, node 't1', angle``."""

    lines: Mapping[Element, int]
    keys: Keys

    def line(self, element: Element) -> str:
        """The line ``element`` starts on."""
        return f"line {self.lines[element]}" if element in self.lines else f"<{_local(element.tag)}>"

    def of(self, element: Element, line: str = "") -> str:
        """``element``: its line, and a node's id or the word edge."""
        line = line or self.line(element)
        what = _local(element.tag)
        if what == "node":
            return f"{line}, node {shown(element.get('id'))}" if element.get("id") is not None else line
        return f"{line}, edge" if what == "edge" else line

    def attribute(self, element: Element, name: str) -> str:
        """``element``'s data ``name``, on the line of its own <data>."""
        child = next((c for c in element if _local(c.tag) == "data" and self._name(c) == name), None)
        line = self.line(child if child is not None else element)
        if _local(element.tag) == "graph":
            return f"{line}, graph data {name}"
        return f"{self.of(element, line)}, {name}"

    def _name(self, data: Element) -> str:
        key = data.get("key", "")
        return self.keys[key][1] if key in self.keys else key


def _number(values: Mapping[str, Any], name: str, element: Element, places: _Places, problems: list[Problem]) -> Any:
    """A data value that must be a finite number, or None with the problem said."""
    value = values[name]
    number = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
        problems.append(Problem(places.attribute(element, name), f"must be a number, not {shown(value)}"))
        return None
    return number


def _whole(value: Any) -> int | None:
    """A data value as a whole number (an int, or its digits as text), else None."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().lstrip("-").isdigit() and len(value) < 20:
        return int(value.strip())
    return value if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**18 else None


def _flag(values: Mapping[str, Any], name: str, element: Element, places: _Places, problems: list[Problem]) -> bool:
    """A data value that says true or false: a boolean, or the words true, false, 1 or 0."""
    value = values.get(name, False)
    if isinstance(value, bool):
        return value
    words = str(value).strip().lower() if isinstance(value, str | int) else None
    if words in ("true", "1", "false", "0", ""):
        return words in ("true", "1")
    problems.append(Problem(places.attribute(element, name), f"must be true or false, not {shown(value)}"))
    return False


def _unique_nodes(nodes: list[Element], places: _Places) -> None:
    """Refuse a node without an id, and an id on two nodes (two people would become one), naming both lines."""
    problems: list[Problem] = []
    first: dict[str, Element] = {}
    for node in nodes:
        node_id = node.get("id")
        if node_id is None:
            problems.append(Problem(places.of(node), "a node with no id"))
        elif node_id in first:
            problems.append(Problem(places.of(node), f"another node has this id, on {places.line(first[node_id])}"))
        else:
            first[node_id] = node
    if problems:
        raise MapInvalid(problems)


def read(data: bytes, *, person_name: str = "", graph: int = 0) -> Imported:
    """A GraphML file as an :class:`Imported` map: ours exactly, others by their attribute names.

    ``graph`` picks one of several ``<graph>`` elements (Network Canvas writes one per interview).
    Every problem names its line, and the node or edge and attribute.
    """
    root, lines = _parse(data)
    keys = _keys(root)
    places = _Places(lines, keys)
    graphs = [child for child in root if _local(child.tag) == "graph"]
    if not graphs:
        raise MapInvalid([Problem("", "the GraphML file has no <graph>")])
    if not 0 <= graph < len(graphs):
        raise MapInvalid([Problem("", f"there is no graph {graph + 1}: the file holds {len(graphs)}")])
    element = graphs[graph]
    nodes = [child for child in element if _local(child.tag) == "node"]
    edges = [child for child in element if _local(child.tag) == "edge"]
    if len(nodes) > MAX_TIES + 1:
        raise MapInvalid([Problem("", f"the graph has {len(nodes):,} nodes; an ecomap holds at most {MAX_TIES} ties")])
    _unique_nodes(nodes, places)
    graph_data = _data(element, keys)
    notes = [f"The file holds {len(graphs)} graphs; graph {graph + 1} is imported."] if len(graphs) > 1 else []
    if "ecomap_schema_version" in graph_data:
        return _read_ours(element, nodes, edges, places, graph_data)
    network_canvas = any(name == "networkCanvasType" for _, name, _ in keys.values())
    return _read_other(nodes, edges, places, graph_data, person_name, notes, network_canvas)


def _read_ours(
    element: Element, nodes: list[Element], edges: list[Element], places: _Places, graph_data: dict[str, Any]
) -> Imported:
    """Our own GraphML: the map exactly as written; every problem names its line."""
    problems: list[Problem] = []
    keys = places.keys
    version = _version(element, graph_data, places, problems)
    ties: list[dict[str, Any]] = []
    tie_places: list[str] = []
    tie_ids: dict[str, str] = {}
    for node in nodes:
        if node.get("id") == PERSON:
            continue
        values = _data(node, keys)
        tie = {field: values[field] for field in _TIE_TEXT_FIELDS if field in values}
        tie["id"] = values.get("tie_id", node.get("id"))
        tie_ids[node.get("id", "")] = tie["id"]
        tie["stressful"] = _flag(values, "stressful", node, places, problems)
        if version == 1:
            # The release before's one flow and list of kinds: the model's upgrade gives each kind its direction.
            tie["flow"] = values.get("flow", "none")
            tie["support"] = [s for s in str(values.get("support", "")).split(",") if s]
        else:
            tie["support"] = _our_support(values)
        tie["frequency"] = values.get("frequency") or None
        given = [name for name in ("angle", "distance") if values.get(name) not in (None, "")]
        if len(given) == 1:
            missing = "distance" if given == ["angle"] else "angle"
            problems.append(Problem(places.of(node), f"has an {given[0]} but no {missing}"))
        elif given:
            position = {name: _number(values, name, node, places, problems) for name in given}
            if None not in position.values():
                tie["position"] = position
        ties.append(tie)
        tie_places.append(places.of(node))
    links: list[tuple[int, dict[str, Any]]] = []
    link_places: list[tuple[int, str]] = []
    for edge in edges:
        values = _data(edge, keys)
        kind = values.get("edge_kind")
        if kind == "tie":
            continue
        if kind != "link":
            said = f"must be tie or link, not {shown(kind)}" if kind is not None else "must say tie or link"
            problems.append(Problem(places.attribute(edge, "edge_kind"), said))
            continue
        a, b = edge.get("source"), edge.get("target")
        if values.get("link_from") == b:
            a, b = b, a
        order = _whole(values.get("link_order", 0))
        if order is None:
            problems.append(
                Problem(
                    places.attribute(edge, "link_order"),
                    f"must be a whole number, not {shown(values.get('link_order'))}",
                )
            )
            continue
        stressful = _flag(values, "stressful", edge, places, problems)
        links.append((order, {"between": [tie_ids.get(a or "", a), tie_ids.get(b or "", b)], "stressful": stressful}))
        link_places.append((order, places.of(edge)))
    person: dict[str, Any] = {
        "name": graph_data.get("person_name", ""),
        "preferred_name": graph_data.get("person_preferred_name", ""),
        "pronouns": graph_data.get("person_pronouns", ""),
        "language": graph_data.get("person_language") or None,
        "what_matters": _json(element, graph_data, "person_what_matters", [], places, problems),
        "strengths": _json(element, graph_data, "person_strengths", [], places, problems),
    }
    if graph_data.get("person_date_of_birth"):
        person["date_of_birth"] = graph_data["person_date_of_birth"]
    if graph_data.get("person_age") is not None:
        person["age"] = graph_data["person_age"]
    document = {
        "schema_version": version,
        **{field: graph_data[name] for field, name in _MAP_DATA.items() if name in graph_data},
        "person": person,
        "ties": ties,
        "links": [link for _, link in sorted(links, key=lambda pair: pair[0])],
        "plan": _json(element, graph_data, "plan", [], places, problems),
    }
    if graph_data.get("record"):
        document["record"] = _json(element, graph_data, "record", {}, places, problems)
    if problems:
        raise MapInvalid(problems)
    try:
        m = EcoMap.from_dict(document)
    except MapInvalid as exc:
        in_order = [place for _, place in sorted(link_places, key=lambda pair: pair[0])]
        raise MapInvalid(placed(exc.problems, {"ties": tie_places, "links": in_order})) from None
    return Imported(m, "Ecomap GraphML")


#: The map's own fields and the graph data each is written in.
_MAP_DATA = {"id": "ecomap_id", "title": "title", "created": "created"}


def _version(element: Element, graph_data: Mapping[str, Any], places: _Places, problems: list[Problem]) -> int | None:
    """The map format version our file says it is written in."""
    value = graph_data["ecomap_schema_version"]
    version = _whole(value)
    if version is None:
        where = places.attribute(element, "ecomap_schema_version")
        problems.append(Problem(where, f"must be a format version number, not {shown(value)}"))
    return version


def _json(
    element: Element, graph_data: Mapping[str, Any], name: str, empty: Any, places: _Places, problems: list[Problem]
) -> Any:
    """A graph data value holding JSON (the plan, the record, what matters), read as a map file's JSON is."""
    value = graph_data.get(name)
    if value in (None, ""):
        return empty
    try:
        return parse_json(str(value))
    except MapInvalid as exc:
        problems.extend(Problem(places.attribute(element, name), str(problem)) for problem in exc.problems)
        return empty


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
    """A strength from a word (``strong``, ``cut off``) or a number (out of 5, or a share of 1); None if neither."""
    if isinstance(value, str) and value.strip().lower().replace(" ", "_") in VOCABULARIES["strength"]:
        return value.strip().lower().replace(" ", "_")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if isinstance(value, bool) or not math.isfinite(number):
        return None
    scale = 5.0 if number > 3 or number == int(number) else 1.0
    share = number / scale
    return "strong" if share >= 0.8 else "moderate" if share >= 0.5 else "tenuous"


def _read_other(
    nodes: list[Element],
    edges: list[Element],
    places: _Places,
    graph_data: dict[str, Any],
    person_name: str,
    notes: list[str],
    network_canvas: bool,
) -> Imported:
    draft = Draft("Network Canvas" if network_canvas else "GraphML", notes=notes)
    keys = places.keys
    node_values = {node.get("id", ""): _data(node, keys) for node in nodes}
    node_of = {node.get("id", ""): node for node in nodes}
    ends = [(edge.get("source", ""), edge.get("target", ""), _data(edge, keys), edge) for edge in edges]
    _, ego_name = _first(graph_data, _NAME)
    ego_id = _ego_node(node_values, [(a, b, values) for a, b, values, _ in ends]) if ego_name is None else None
    if ego_id is not None:
        _, ego_name = _first(node_values[ego_id], _NAME)
        draft.notes.append(f"{ego_name or ego_id} is linked to everyone else, so is taken as the person at the centre.")
    ids: dict[str, str] = {}
    tie_edges = {(a if b == ego_id else b): (values, edge) for a, b, values, edge in ends if ego_id in (a, b)}
    for node_id, values in node_values.items():
        if node_id != ego_id:
            ids[node_id] = f"t{len(ids) + 1}"
            node = node_of[node_id]
            tie = _tie(node_id, ids[node_id], values, node, tie_edges.get(node_id), places, draft)
            draft.add(tie, places.of(node))
    left_out: set[str] = set()
    for a, b, values, edge in ends:
        if ego_id in (a, b):
            continue
        if a not in ids or b not in ids:
            draft.problems.append(
                Problem(places.of(edge), f"joins {shown(a)} and {shown(b)}, which are not both nodes")
            )
            continue
        left_out.update(k for k in values if k.lower() not in _IGNORED)
        draft.link(ids[a], ids[b], stressful=str(values.get("stressful", "")).lower() == "true")
    if left_out:
        draft.notes.append(f"Links between people keep no details: {', '.join(sorted(left_out))} left out.")
    return draft.imported(str(ego_name or person_name or ""))


def _tie(
    node_id: str,
    tie_id: str,
    values: dict[str, Any],
    node: Element,
    tie_edge: tuple[dict[str, Any], Element] | None,
    places: _Places,
    draft: Draft,
) -> dict[str, Any]:
    """A node of someone else's network as a tie; ``tie_edge`` is its edge from the person, if there is one."""
    used: set[str] = set()
    name_key, name = _first(values, _NAME)
    role_key, written = _first(values, _ROLE)
    used.update(k for k in (name_key, role_key) if k)
    used.update(k for k in values if k.lower() in _NAME)
    edge_values, edge = tie_edge or ({}, node)
    relation = {**values, **edge_values}
    strength_key, strength_value = _first(relation, _STRENGTH)
    wanted = "a strength (strong, moderate, tenuous, cut_off) or a number"
    if strength_key is None and tie_edge is not None:
        strength_key, strength_value = _first(edge_values, ("weight",))
        wanted = "a number"
    strength = _strength(strength_value) if strength_key else None
    if strength_key and strength is None:
        where = places.attribute(edge if strength_key in edge_values else node, strength_key)
        draft.problems.append(Problem(where, f"must be {wanted}, not {shown(strength_value)}"))
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
    if isinstance(x, float) and isinstance(y, float) and math.isfinite(x) and math.isfinite(y):
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
