"""peerlearn.drawn: the numbers each figure draws, computed from the tables without matplotlib (that the figures
draw exactly these numbers is tests/test_figures.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from peerlearn import drawn
from peerlearn.corpus import load_domain_effects, load_pathways


def test_drawn_numbers_come_from_the_tables():
    """Every node label is Tabel 5's row, every edge label Tabel 6-10's row (0 alone for a route without effects)."""
    found = drawn.drawn_numbers()
    assert set(found) == set(drawn.FIGURES)
    effects = load_domain_effects().set_index("domain")
    pathways = load_pathways().astype(str).set_index(["from_domain", "mechanism", "to_domain"])
    for item, labels in found.items():
        assert labels, item
        for gid, shown in labels.items():
            kind, *key = gid.split("__")
            if kind == "node":
                row = effects.loc[key[0]]
                assert shown == (row.n_effects, row.n_studies)
            else:
                row = pathways.loc[tuple(key)]
                assert shown == ((int(row.n_effects), int(row.n_studies)) if int(row.n_effects) else (0,))
    assert {g for g in found["pathway_network"]} == {
        drawn.edge_id(*k) for k, r in pathways.iterrows() if int(r.n_effects)
    }  # unlabelled: the routes without effects


def test_drawn_routes_of_figuur_2_and_3_start_at_the_intervention():
    for item, mechanism in drawn.PATHWAY_FIGURES.items():
        routes = drawn.drawn_routes(item)
        assert set(routes["mechanism"]) == {mechanism}
        assert set(routes["from_domain"]) == {drawn.PATHWAY_SOURCE}
        assert set(routes["to_domain"]) == set(drawn.PATHWAY_TARGETS)


def test_an_unknown_figure_is_refused():
    with pytest.raises(ValueError, match="figuur_2_denken"):
        drawn.drawn_routes("figuur_2_denkn")


def test_drawn_needs_no_matplotlib_and_no_presentation_layer():
    code = (
        "import sys, peerlearn.drawn as d; d.drawn_numbers(); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'networkx') or m in "
        "('peerlearn.figures', 'peerlearn.graph', 'peerlearn.report', 'peerlearn.describe')); print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
