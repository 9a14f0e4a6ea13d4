"""The pathway network of Bijlage E Tabel 6-10 as a networkx graph.

Nodes are the five domains of the Interconnected Model of Teacher
Professional Growth (Clarke & Hollingsworth, 2002) with the external domain
split in two as the report does. Edges are pathways ``from_domain ->
to_domain`` keyed by mechanism (reflection = Denken, enactment = Doen) with
attributes ``n_effects`` and ``n_studies``. Rows with zero effects are kept as
edges, so that an absence (e.g. Denken never reaching the domain of
consequence) is part of the graph.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .corpus import load_pathways

if TYPE_CHECKING:
    import networkx as nx

# Fixed node positions (data, not a layout algorithm): the model's diamond, with the
# personal domain on top, practice right, consequence below and the external domain
# on the left, split into a general (upper) and an intervention-related (lower) part.
DOMAIN_POSITIONS = {
    "personal": (0.0, 1.0),
    "practice": (1.0, 0.0),
    "consequence": (0.0, -1.0),
    "external_general": (-1.15, 0.45),
    "external_intervention": (-1.15, -0.45),
}


def pathway_graph(mechanism: str | None = None, from_domain: str | None = None, data_dir=None) -> nx.MultiDiGraph:
    """A MultiDiGraph of the pathways, optionally for one mechanism and/or one source domain.

    Node attribute ``pos`` holds the fixed (x, y) position; edges are keyed by
    mechanism and carry ``mechanism``, ``n_effects``, ``n_studies`` and ``source``.
    """
    import networkx as nx  # here, not at the top: importing networkx costs 0.2 s, and most figures never need it

    rows = load_pathways(data_dir)
    if mechanism is not None:
        rows = rows[rows["mechanism"] == mechanism]
    if from_domain is not None:
        rows = rows[rows["from_domain"] == from_domain]
    g = nx.MultiDiGraph(mechanism=mechanism or "all", from_domain=from_domain or "all")
    for domain, pos in DOMAIN_POSITIONS.items():
        g.add_node(domain, pos=pos)
    for r in rows.itertuples(index=False):
        g.add_edge(str(r.from_domain), str(r.to_domain), key=str(r.mechanism), mechanism=str(r.mechanism),
                   n_effects=int(r.n_effects), n_studies=int(r.n_studies), source=str(r.source))
    return g


def pathway_edges(graph: nx.MultiDiGraph):
    """Edges as (from, to, mechanism, data), sorted, so drawings and exports are in a fixed order."""
    return sorted(((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True)), key=lambda e: e[:3])
