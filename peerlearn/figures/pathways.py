"""Figuur 2 and 3 (the pathways from the intervention-related external domain via Denken and via Doen) and the
network of all pathways of Tabel 6-10. What they draw, numbers included, is :mod:`peerlearn.drawn`'s."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt

from .. import messages
from ..codebook import load_codebook
from ..drawn import NETWORK, PATHWAY_FIGURES, PATHWAY_SOURCE, drawn_routes
from .diagram import draw_nodes, draw_route, frame, width
from .theme import styled

FIGURE_NUMBERS = {"reflection": 2, "enactment": 3}  # the report's Figuur 2 (Denken) and Figuur 3 (Doen)


def _max_effects(routes) -> int:
    return int(routes["n_effects"].max()) if len(routes) else 0


@styled
def figure_pathways(mechanism: str, lang: str = "nl", data_dir=None):
    """Figuur 2 (reflection) or 3 (enactment): from the intervention-related external domain to the model's other
    domains (:data:`peerlearn.drawn.PATHWAY_TARGETS`)."""
    item = next(i for i, m in PATHWAY_FIGURES.items() if m == mechanism)
    routes = drawn_routes(item, data_dir)
    max_n = _max_effects(routes) or 1
    fig, ax = plt.subplots(figsize=(7.5, 6.0))
    draw_nodes(ax, lang, highlight=(PATHWAY_SOURCE,), data_dir=data_dir)
    for route in routes.itertuples(index=False):
        draw_route(ax, route, width(route.n_effects, max_n), lang, bulge=0.08, form="full")
    word = load_codebook(data_dir).label("mechanism", mechanism, lang)
    title = messages.text("figures.pathways_title", lang, number=FIGURE_NUMBERS[mechanism], mechanism=word)
    frame(ax, "\n".join(textwrap.wrap(title, 60)))
    return fig


@styled
def figure_network(lang: str = "nl", data_dir=None):
    """All pathways of Tabel 6-10: one panel per mechanism; zero-count pathways dotted and unlabelled."""
    routes = drawn_routes(NETWORK, data_dir)
    max_n = _max_effects(routes) or 1
    cb = load_codebook(data_dir)
    fig, axes = plt.subplots(1, 2, figsize=(14.5, 6.8))
    for ax, mechanism in zip(axes, ("reflection", "enactment")):
        draw_nodes(ax, lang, data_dir=data_dir)
        mine = routes[routes["mechanism"] == mechanism].itertuples(index=False)
        for route in sorted(mine, key=lambda r: (r.n_effects > 0, r.from_domain, r.to_domain)):
            draw_route(ax, route, width(route.n_effects, max_n), lang, bulge=0.13, form="compact")
        frame(ax, cb.label("mechanism", mechanism, lang))
    fig.suptitle(messages.text("figures.network_title", lang), fontsize=13, fontweight="bold")
    fig.tight_layout()
    return fig
