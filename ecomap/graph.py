"""The map as a networkx graph, and back.

The person is the node :data:`PERSON` (not a valid tie id, so it never clashes);
each tie is a node keyed by its id. The person-tie edge carries the tie's
relationship (strength, stress, support and its directions, frequency, own words); the tie's
node carries who or what it is (name, kind, role, sector, status, notes,
position). Links are edges between two tie nodes with ``link=True`` (and their
order and direction as given, so that nothing is lost). The map's
own fields (id, title, created, person, plan) sit in ``G.graph``.

Examples
--------
>>> from ecomap.model import example
>>> G = to_graph(example())
>>> sorted(G.nodes)
['@person', 't1']
>>> G.edges[PERSON, "t1"]["strength"]
'strong'
>>> from_graph(G) == example()
True
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ecomap.model import PERSON as PERSON  # the person's node, kept here too for readers of graphs
from ecomap.model import EcoMap

__all__ = ["EDGE_FIELDS", "NODE_FIELDS", "PERSON", "from_graph", "tie_graph", "to_graph"]

#: The tie fields a tie's node carries (who or what it is), and those its edge from the person carries.
NODE_FIELDS = ("name", "kind", "role", "sector", "status", "notes", "position")
#: What the graph itself carries: everything of the map that is not a tie or a link.
_MAP_FIELDS = ("schema_version", "id", "title", "created", "person", "record", "plan")
EDGE_FIELDS = ("strength", "stressful", "support", "frequency", "own_words")


def to_graph(m: EcoMap) -> nx.Graph:
    """The map as an undirected graph; the map is not changed."""
    document = m.to_dict()
    G = nx.Graph()
    G.graph.update({key: document[key] for key in _MAP_FIELDS})
    G.add_node(PERSON, name=m.person.name, role="person")
    for tie in document["ties"]:
        G.add_node(tie["id"], **{key: tie[key] for key in NODE_FIELDS if key in tie})
        G.add_edge(PERSON, tie["id"], link=False, **{key: tie[key] for key in EDGE_FIELDS if key in tie})
    for order, link in enumerate(document["links"]):
        G.add_edge(*link["between"], link=True, stressful=link["stressful"], between=link["between"], order=order)
    return G


def from_graph(G: nx.Graph) -> EcoMap:
    """Rebuild the map from a graph made by :func:`to_graph` (validated as any map is)."""
    document: dict[str, Any] = {key: G.graph[key] for key in _MAP_FIELDS if key in G.graph}
    ties = []
    for node, data in G.nodes(data=True):
        if node == PERSON:
            continue
        edge = G.edges[PERSON, node] if G.has_edge(PERSON, node) else {}
        tie = {"id": node, **{k: data[k] for k in NODE_FIELDS if k in data}}
        tie.update({k: edge[k] for k in EDGE_FIELDS if k in edge})
        ties.append(tie)
    document["ties"] = ties
    links = sorted((data for _, _, data in G.edges(data=True) if data.get("link")), key=lambda d: d["order"])
    document["links"] = [{"between": list(d["between"]), "stressful": bool(d["stressful"])} for d in links]
    return EcoMap.from_dict(document)


def tie_graph(m: EcoMap, *, statuses: tuple[str, ...] = ("current",)) -> nx.Graph:
    """The ties among themselves (links only, no person node), for measures such as density.

    >>> from ecomap.model import example
    >>> tie_graph(example()).number_of_nodes()
    1
    """
    G = nx.Graph()
    keep = {t.id for t in m.ties if t.status in statuses}
    G.add_nodes_from(sorted(keep))
    G.add_edges_from(link.between for link in m.links if set(link.between) <= keep)
    return G
