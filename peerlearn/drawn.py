"""The numbers each figure of the report draws, computed from the tables (no matplotlib, no figure is built).

This is the one source for what the pathway figures show: :mod:`peerlearn.figures` draws its number labels from
:func:`drawn_routes` and :func:`drawn_nodes`, and the audit compares :func:`drawn_numbers` with the tables. A test
(tests/test_figures.py) reads the text labels of the drawn figures and checks that they are exactly these numbers.

Label ids are ``node__<domain>`` (the effects on a domain itself, Tabel 5, in the boxes of Figuur 1 with the
pathways found) and ``edge__<from>__<mechanism>__<to>`` (a pathway of Tabel 6-10). A label shows
``(n_effects, n_studies)``, or ``(0,)`` for a pathway without effects.
"""

from __future__ import annotations

import pandas as pd

from .corpus import load_domain_effects, load_model_edges, load_pathways

MODEL_EVIDENCE = "figuur_1_model_evidence"
NETWORK = "pathway_network"
PATHWAY_FIGURES = {"figuur_2_denken": "reflection", "figuur_3_doen": "enactment"}  # Figuur 2 and 3: one mechanism
PATHWAY_SOURCE = "external_intervention"  # Figuur 2 and 3 start from the intervention-related external domain ...
PATHWAY_TARGETS = ("personal", "practice", "consequence")  # ... and end in the model's three other domains
FIGURES = (MODEL_EVIDENCE, *PATHWAY_FIGURES, NETWORK)  # the figures whose numbers come from Bijlage E
ROUTE_COLUMNS = ["from_domain", "mechanism", "to_domain", "n_effects", "n_studies", "status", "label"]


def node_id(domain: str) -> str:
    """The id of the label that shows the effects on ``domain`` itself."""
    return f"node__{domain}"


def edge_id(from_domain: str, mechanism: str, to_domain: str) -> str:
    """The id of the label on the pathway ``from_domain`` -> ``to_domain`` via ``mechanism``."""
    return f"edge__{from_domain}__{mechanism}__{to_domain}"


def numbers(n_effects, n_studies) -> tuple[int, ...]:
    """What a pathway's label shows: (effects, studies), or (0,) when it has no effects."""
    return (int(n_effects), int(n_studies)) if n_effects else (0,)


def model_coverage(data_dir=None) -> pd.DataFrame:
    """Every route of Tabel 6-10 beside the model: one row per (from_domain, mechanism, to_domain) the report prints.

    Columns: ``from_domain``, ``mechanism``, ``to_domain`` (codes), ``in_model`` (the model draws this arrow with
    this process), ``n_effects`` and ``n_studies`` (Tabel 6-10), ``status``: ``covered`` (a model route with
    effects), ``empty`` (a model route with none), ``outside_model`` (effects on a route the model does not draw)
    or ``none`` (neither). Rows keep the order of pathways.csv.
    """
    arrows = {
        (str(r.from_domain), str(r.to_domain)): str(r.process)  # one arrow per pair of domains and direction
        for r in load_model_edges(data_dir).itertuples(index=False)
    }
    rows = load_pathways(data_dir)
    in_model = [
        arrows.get((str(u), str(v))) == str(m)
        for u, m, v in zip(rows["from_domain"], rows["mechanism"], rows["to_domain"])
    ]
    out = rows[["from_domain", "mechanism", "to_domain", "n_effects", "n_studies"]].copy()
    out.insert(3, "in_model", in_model)
    found = out["n_effects"] > 0
    out["status"] = [
        ("covered" if f else "empty") if m else ("outside_model" if f else "none")
        for m, f in zip(out["in_model"], found)
    ]
    return out.reset_index(drop=True)


def drawn_routes(item: str, data_dir=None) -> pd.DataFrame:
    """The pathways figure ``item`` (one of :data:`FIGURES`) draws, sorted by (from_domain, to_domain, mechanism).

    Columns: ``from_domain``, ``mechanism``, ``to_domain`` (str), ``n_effects``, ``n_studies`` (int), ``status``
    (from :func:`model_coverage` for Figuur 1, else ``covered`` or ``empty``) and ``label``: the numbers the route's
    label shows (:func:`numbers`), or None when the route is drawn without a label (the network leaves routes
    without effects unlabelled)."""
    if item not in FIGURES:
        raise ValueError(f"no drawn numbers for figure {item!r}; expected one of {', '.join(FIGURES)}")
    if item == MODEL_EVIDENCE:
        rows = model_coverage(data_dir)
        rows = rows[rows["status"] != "none"]
    else:
        rows = load_pathways(data_dir)
        if item in PATHWAY_FIGURES:
            rows = rows[
                (rows["mechanism"] == PATHWAY_FIGURES[item])
                & (rows["from_domain"] == PATHWAY_SOURCE)
                & rows["to_domain"].isin(PATHWAY_TARGETS)
            ]
        rows = rows.assign(status=["covered" if n else "empty" for n in rows["n_effects"]])
    out = pd.DataFrame(
        {
            "from_domain": rows["from_domain"].astype(str),
            "mechanism": rows["mechanism"].astype(str),
            "to_domain": rows["to_domain"].astype(str),
            "n_effects": rows["n_effects"].astype(int),
            "n_studies": rows["n_studies"].astype(int),
            "status": rows["status"].astype(str),
        }
    )
    out["label"] = [
        None if item == NETWORK and not n else numbers(n, s) for n, s in zip(out["n_effects"], out["n_studies"])
    ]
    return out.sort_values(["from_domain", "to_domain", "mechanism"], kind="stable").reset_index(drop=True)[
        ROUTE_COLUMNS
    ]


def drawn_nodes(item: str, data_dir=None) -> dict[str, tuple[int, int]]:
    """Domain -> (effects, studies) that figure ``item`` shows in the domain's box (Tabel 5); empty for a figure
    whose boxes hold only the domain's name."""
    if item != MODEL_EVIDENCE:
        return {}
    return {str(r.domain): (int(r.n_effects), int(r.n_studies)) for r in load_domain_effects(data_dir).itertuples()}


def drawn_numbers(data_dir=None) -> dict[str, dict[str, tuple[int, ...]]]:
    """Figure id -> {label id -> the numbers the label shows}, for every figure of :data:`FIGURES`."""
    found = {}
    for item in FIGURES:
        labels = {node_id(d): n for d, n in drawn_nodes(item, data_dir).items()}
        routes = drawn_routes(item, data_dir)
        labels |= {
            edge_id(u, m, v): label
            for u, m, v, label in zip(routes["from_domain"], routes["mechanism"], routes["to_domain"], routes["label"])
            if label is not None
        }
        found[item] = labels
    return found
