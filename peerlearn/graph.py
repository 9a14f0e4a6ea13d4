"""The Interconnected Model of Teacher Professional Growth and the pathway network of Bijlage E Tabel 6-10 as
networkx graphs.

:func:`model_graph` is the model itself: Clarke, D., & Hollingsworth, H. (2002). Elaborating a model of teacher
professional growth. *Teaching and Teacher Education*, 18(8), 947-967, Fig. 2 (p. 951); its arrows are data
(data/raw/model_edges.csv, with their source). :func:`pathway_graph` is what the review found (Tabel 6-10), and
:func:`peerlearn.drawn.model_coverage` (pure data, in the analysis layer) lays one over the other:
which of the model's routes the evidence covers.

Nodes are the domains (the codebook's vocabulary ``domain``) of the Interconnected Model of Teacher
Professional Growth (Clarke & Hollingsworth, 2002) with the external domain
split in two as the report does. Edges are pathways ``from_domain ->
to_domain`` keyed by mechanism (reflection = Denken, enactment = Doen) with
attributes ``n_effects`` and ``n_studies``. Rows with zero effects are kept as
edges, so that an absence (e.g. Denken never reaching the domain of
consequence) is part of the graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .choices import check_choice
from .codebook import load_codebook
from .corpus import load_model_edges, load_pathways

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

    cb = load_codebook(data_dir)
    if mechanism is not None:
        check_choice(mechanism, cb.vocabulary("mechanism").codes, "mechanism")
    if from_domain is not None:
        check_choice(from_domain, cb.vocabulary("domain").codes, "domain")
    rows = load_pathways(data_dir)
    if mechanism is not None:
        rows = rows[rows["mechanism"] == mechanism]
    if from_domain is not None:
        rows = rows[rows["from_domain"] == from_domain]
    g = nx.MultiDiGraph(mechanism=mechanism or "all", from_domain=from_domain or "all")
    for domain, pos in DOMAIN_POSITIONS.items():
        g.add_node(domain, pos=pos)
    for r in rows.itertuples(index=False):
        g.add_edge(
            str(r.from_domain),
            str(r.to_domain),
            key=str(r.mechanism),
            mechanism=str(r.mechanism),
            n_effects=int(r.n_effects),
            n_studies=int(r.n_studies),
            source=str(r.source),
        )
    return g


def model_graph(data_dir=None) -> nx.DiGraph:
    """Clarke & Hollingsworth's (2002) Interconnected Model as a DiGraph, with the domains as the review uses them.

    Nodes are the domains of the codebook (the model's External Domain split into general and intervention-related,
    as the report does) with attribute ``pos``. Each edge is an arrow of the model's figure (Fig. 2, p. 951) with
    ``process`` = ``enactment`` (solid in their figure) or ``reflection`` (dashed), ``model_arrow`` (the arrow in
    the model's own terms), ``source``, ``basis`` and ``basis_source`` (how far the arrow is checked, see
    :func:`model_basis`). The arrows are read from data/raw/model_edges.csv (see its description in the codebook for
    how they were transcribed). No two arrows join the same domains in the same direction.
    """
    import networkx as nx

    g = nx.DiGraph(source="Clarke & Hollingsworth (2002), Fig. 2, p. 951")
    for domain, pos in DOMAIN_POSITIONS.items():
        g.add_node(domain, pos=pos)
    for r in load_model_edges(data_dir).itertuples(index=False):
        g.add_edge(
            str(r.from_domain),
            str(r.to_domain),
            process=str(r.process),
            model_arrow=str(r.model_arrow),
            source=str(r.source),
            basis=str(r.basis),
            basis_source=r.basis_source if isinstance(r.basis_source, str) else "",
        )
    return g


def model_basis(data_dir=None):
    """The arrows of the model in its own terms (one External Domain), one row each in the order of
    data/raw/model_edges.csv: ``model_arrow``, ``process``, ``basis`` (``confirmed_secondary``: a public source we
    could read lists the arrow; ``project_reading``: only our reading of the published figure) and ``basis_source``
    (that source's address, empty for our reading)."""
    edges = load_model_edges(data_dir)
    edges["basis_source"] = edges["basis_source"].fillna("")
    arrows = edges[["model_arrow", "process", "basis", "basis_source"]].drop_duplicates(["model_arrow", "process"])
    return arrows.reset_index(drop=True)
