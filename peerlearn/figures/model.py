"""Figuur 1: Clarke & Hollingsworth's (2002) Interconnected Model (enactment solid, reflection dashed), alone and
with the review's pathways (Tabel 6-10) and effects per domain (Tabel 5) laid over it."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D

from .. import messages
from ..codebook import load_codebook
from ..drawn import MODEL_EVIDENCE, drawn_nodes, drawn_routes
from ..graph import model_basis, model_graph
from .diagram import arrow, draw_nodes, external_group, frame, route_label, width
from .theme import MECHANISM_COLOURS, MODEL_COLOUR, OUTSIDE_COLOUR, PROCESS_STYLES, ZERO_COLOUR, styled

PROCESSES = ("enactment", "reflection")  # in the order of the model's figure
STATUS_COLOURS = {"covered": None, "empty": ZERO_COLOUR, "outside_model": OUTSIDE_COLOUR}  # None: the process's


@styled
def figure_model(lang: str = "nl", data_dir=None):
    """Figuur 1: Clarke & Hollingsworth's (2002) Interconnected Model with the domains as the review uses them.

    Every arrow of :func:`peerlearn.graph.model_graph` is drawn, enactment solid and reflection dashed as in the
    model's own figure; the report's image is lost in the extracted text, so the arrows come from the model's source
    (data/raw/model_edges.csv). The line under the figure says how many of the model's arrows a public source
    confirms (:func:`peerlearn.graph.model_basis`); :func:`figure_model_evidence` adds the review's counts."""
    g = model_graph(data_dir)
    cb = load_codebook(data_dir)
    w = messages.words("figures.model", lang)
    fig, ax = plt.subplots(figsize=(8.0, 6.6))
    draw_nodes(ax, lang, data_dir=data_dir)
    external_group(ax, lang)
    for u, v, d in sorted(g.edges(data=True)):
        arrow(ax, u, v, MODEL_COLOUR, PROCESS_STYLES[d["process"]], 1.6, bulge=0.10, capstyle="butt")
    handles = [
        Line2D(
            [], [], color=MODEL_COLOUR, linestyle=PROCESS_STYLES[p], linewidth=1.6, label=cb.label("mechanism", p, lang)
        )
        for p in PROCESSES
    ]
    ax.legend(handles=handles, loc="upper right", fontsize=8.5, frameon=False)  # the bottom holds the source line
    basis = model_basis(data_dir)
    confirmed = int((basis["basis"] == "confirmed_secondary").sum())
    source = w["source"].format(confirmed=confirmed, k=len(basis), reading=len(basis) - confirmed)
    ax.text(
        0.0,
        -1.40,
        "\n".join(textwrap.wrap(source, 105)),
        ha="center",
        va="center",
        fontsize=8,
        color="#555555",
        style="italic",
    )
    frame(ax, "\n".join(textwrap.wrap(w["title"], 62)))
    ax.set_ylim(-1.52, 1.35)
    return fig


@styled
def figure_model_evidence(lang: str = "nl", data_dir=None):
    """Figuur 1 with the review's pathways (Tabel 6-10) laid over it, one panel per process, in Figuur 1's layout.

    A model arrow with effects is drawn in the process's colour, its width following the number of effects and
    labelled "effects (studies)"; a model arrow without effects stays grey and is labelled 0; effects on a route the
    model does not draw with that process are drawn in another colour. Routes with neither are left out. The
    boxes show the effects on each domain itself (Tabel 5). The routes and every number come from
    :func:`peerlearn.drawn.drawn_routes` and :func:`~peerlearn.drawn.drawn_nodes`."""
    routes = drawn_routes(MODEL_EVIDENCE, data_dir)
    nodes = drawn_nodes(MODEL_EVIDENCE, data_dir)
    cb = load_codebook(data_dir)
    w = messages.words("figures.model", lang)
    max_n = (int(routes["n_effects"].max()) if len(routes) else 0) or 1
    fig, axes = plt.subplots(1, 2, figsize=(14.5, 7.0))
    for ax, process in zip(axes, PROCESSES):
        draw_nodes(ax, lang, numbers=nodes, data_dir=data_dir)
        external_group(ax, lang)
        mine = routes[routes["mechanism"] == process].itertuples(index=False)
        for r in sorted(mine, key=lambda r: (r.n_effects > 0, r.from_domain, r.to_domain)):
            colour = STATUS_COLOURS[r.status] or MECHANISM_COLOURS[process]
            thick = width(r.n_effects, max_n)
            style = PROCESS_STYLES[process]
            if (
                style != "solid"
            ):  # matplotlib scales dashes with the line width: keep them the same length on thick lines
                style = (0, tuple(x * 1.6 / thick for x in style[1]))
            at = arrow(ax, r.from_domain, r.to_domain, colour, style, thick, bulge=0.13, capstyle="butt")
            route_label(ax, at, r, "compact", colour, lang)
        frame(ax, cb.label("mechanism", process, lang))
    handles = [
        Line2D(
            [],
            [],
            color=MECHANISM_COLOURS[p],
            linestyle=PROCESS_STYLES[p],
            linewidth=2,
            label=f"{cb.label('mechanism', p, lang)}: {w['in_model']}",
        )
        for p in PROCESSES
    ]
    handles += [
        Line2D([], [], color=ZERO_COLOUR, linewidth=2, label=w["empty"]),
        Line2D([], [], color=OUTSIDE_COLOUR, linewidth=2, label=w["outside"]),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=9, frameon=False, bbox_to_anchor=(0.5, 0.0))
    fig.suptitle("\n".join(textwrap.wrap(w["overlay_title"], 110)), fontsize=13, fontweight="bold", y=0.99)
    fig.text(0.5, 0.925, f"{w['nodes']}", ha="center", fontsize=9, color="#555555", style="italic")
    fig.tight_layout(rect=(0, 0.07, 1, 0.93))
    return fig
