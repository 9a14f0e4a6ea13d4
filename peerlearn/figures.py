"""Figures of the report, drawn from the data with fixed layouts and saved byte-identically.

Figuur 1 shows the domains of the model with the effects found on each
(Tabel 5); Figuur 2 and 3 the pathways from the intervention-related external
domain via Denken (reflection) and Doen (enactment); ``figure_network`` all
pathways of Tabel 6-10. Node positions are data (:data:`peerlearn.graph.DOMAIN_POSITIONS`).
"""
from __future__ import annotations

import functools
import io
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .codebook import load_codebook
from .corpus import load_domain_effects
from .graph import DOMAIN_POSITIONS, pathway_edges, pathway_graph
from .output import atomic_write_bytes, figures_dir

MECHANISM_COLOURS = {"reflection": "#2f6690", "enactment": "#d9822b"}
ZERO_COLOUR = "#9a9a9a"
NODE_SIZE = (0.72, 0.30)  # width, height of a domain box in data units
WORDS = {"nl": {"effects": "effecten", "studies": "studies", "external": "Extern domein"},
         "en": {"effects": "effects", "studies": "studies", "external": "External domain"}}
RC = {
    "svg.hashsalt": "peerlearn", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 10,
    "figure.dpi": 100, "savefig.dpi": 150, "axes.titlesize": 12, "axes.titleweight": "bold",
}


def _rc() -> dict:
    """The full style (seaborn's "white" on the "notebook" context, plus fixed fonts and SVG salt)."""
    import seaborn as sns
    return {**sns.axes_style("white"), **sns.plotting_context("notebook"), **RC}


def style():
    """Apply the project's style globally (for a researcher's own plots). The figures below do not
    depend on it: each draws and saves inside its own style context, so the bytes never depend on global state."""
    plt.rcParams.update(_rc())


def styled(draw):
    """Run a figure function inside the project's style context."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with plt.rc_context(_rc()):
            return draw(*args, **kwargs)
    return wrapper


def save_figure(fig, name: str, lang: str) -> list[Path]:
    """Save ``fig`` as figures/<name>_<lang>.svg and .png, without dates or version stamps, each file whole."""
    out = []
    for fmt, meta in (("svg", {"Date": None, "Creator": None}), ("png", {"Software": None})):
        buf = io.BytesIO()
        with plt.rc_context(_rc()):
            fig.savefig(buf, format=fmt, metadata=meta, bbox_inches="tight", pad_inches=0.15)
        out.append(atomic_write_bytes(figures_dir() / f"{name}_{lang}.{fmt}", buf.getvalue()))
    return out


def _domain_label(domain: str, lang: str, data_dir=None) -> str:
    return "\n".join(textwrap.wrap(load_codebook(data_dir).label("domain", domain, lang), 18))


def _box_edge(centre, towards, size=NODE_SIZE):
    """Where the line from a box's centre towards a point leaves the box."""
    (x, y), (tx, ty) = centre, towards
    dx, dy = tx - x, ty - y
    w, h = size[0] / 2, size[1] / 2
    scale = min(w / abs(dx) if dx else float("inf"), h / abs(dy) if dy else float("inf"))
    return x + dx * scale, y + dy * scale


def _draw_nodes(ax, lang, highlight=(), extra=None, size=NODE_SIZE, data_dir=None):
    for domain, (x, y) in DOMAIN_POSITIONS.items():
        w, h = size
        strong = domain in highlight
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.05",
                                    facecolor="#e8eef4" if strong else "#f4f4f4", edgecolor="#333333",
                                    linewidth=1.6 if strong else 1.0, zorder=3))
        text = _domain_label(domain, lang, data_dir) + (f"\n{extra[domain]}" if extra and domain in extra else "")
        ax.text(x, y, text, ha="center", va="center", fontsize=8.5, zorder=4,
                fontweight="bold" if strong else "normal")


def _draw_edge(ax, u, v, mechanism, n_effects, n_studies, width, lang, bulge=0.10, label="full"):
    """One pathway as a curved arrow; ``bulge`` is how far (data units) the curve's middle leaves the straight line;
    ``label`` is "full" ("41 effecten / 20 studies"), "compact" ("41 (20)") or None."""
    pu, pv = DOMAIN_POSITIONS[u], DOMAIN_POSITIONS[v]
    colour = MECHANISM_COLOURS[mechanism] if n_effects else ZERO_COLOUR
    style = "solid" if n_effects else (0, (3, 3))
    if u == v:  # a loop on the left side of the box
        x, y = pu
        start, end = (x - NODE_SIZE[0] / 2, y + 0.07), (x - NODE_SIZE[0] / 2, y - 0.07)
        arrow = FancyArrowPatch(start, end, connectionstyle="arc3,rad=1.9", arrowstyle="-|>", mutation_scale=12,
                                linewidth=width, color=colour, linestyle=style, zorder=2)
        ax.add_patch(arrow)
        lx, ly = x - NODE_SIZE[0] / 2 - 0.22, y
    else:
        a, b = _box_edge(pu, pv), _box_edge(pv, pu)
        length = ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5
        rad = 2 * bulge / length
        arrow = FancyArrowPatch(a, b, connectionstyle=f"arc3,rad={rad}", arrowstyle="-|>", mutation_scale=14,
                                linewidth=width, color=colour, linestyle=style, zorder=2, shrinkA=2, shrinkB=2)
        ax.add_patch(arrow)
        dx, dy = b[0] - a[0], b[1] - a[1]
        lx, ly = (a[0] + b[0]) / 2 + 0.5 * rad * dy, (a[1] + b[1]) / 2 - 0.5 * rad * dx
    if label:
        w = WORDS[lang]
        if not n_effects:
            text = "0"
        elif label == "compact":
            text = f"{n_effects} ({n_studies})"
        else:
            text = f"{n_effects} {w['effects']}\n{n_studies} {w['studies']}"
        ax.text(lx, ly, text, ha="center", va="center", fontsize=8, color=colour if n_effects else "#666666", zorder=5,
                bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.9))


def _frame(ax, title):
    ax.set_xlim(-1.75, 1.55)
    ax.set_ylim(-1.35, 1.35)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)


def _width(n, max_n):
    return 1.0 + 7.0 * n / max_n if n else 1.0


@styled
def figure_pathways(mechanism: str, lang: str = "nl", data_dir=None):
    """Figuur 2 (reflection) or 3 (enactment): from the intervention-related external domain to the three other domains."""
    g = pathway_graph(mechanism=mechanism, from_domain="external_intervention", data_dir=data_dir)
    edges = [e for e in pathway_edges(g) if e[1] in ("personal", "practice", "consequence")]
    max_n = max(d["n_effects"] for *_, d in edges) or 1
    fig, ax = plt.subplots(figsize=(7.5, 6.0))
    _draw_nodes(ax, lang, highlight=("external_intervention",), data_dir=data_dir)
    for u, v, k, d in edges:
        _draw_edge(ax, u, v, k, d["n_effects"], d["n_studies"], _width(d["n_effects"], max_n), lang, bulge=0.08)
    cb = load_codebook(data_dir)
    number = 2 if mechanism == "reflection" else 3
    word = cb.label("mechanism", mechanism, lang)
    title = {"nl": f"Figuur {number}. Effecten vanaf het externe domein (interventie) via {word}",
             "en": f"Figure {number}. Effects from the external domain (intervention) via {word}"}[lang]
    _frame(ax, "\n".join(textwrap.wrap(title, 60)))
    return fig


@styled
def figure_network(lang: str = "nl", data_dir=None):
    """All pathways of Tabel 6-10: one panel per mechanism; zero-count pathways dotted and unlabelled."""
    g = pathway_graph(data_dir=data_dir)
    edges = pathway_edges(g)
    max_n = max(d["n_effects"] for *_, d in edges) or 1
    cb = load_codebook(data_dir)
    fig, axes = plt.subplots(1, 2, figsize=(14.5, 6.8))
    for ax, mechanism in zip(axes, ("reflection", "enactment")):
        _draw_nodes(ax, lang, data_dir=data_dir)
        mine = [e for e in edges if e[2] == mechanism]
        for u, v, k, d in sorted(mine, key=lambda e: (e[3]["n_effects"] > 0, e[:3])):
            _draw_edge(ax, u, v, k, d["n_effects"], d["n_studies"], _width(d["n_effects"], max_n), lang,
                       bulge=0.13, label="compact" if d["n_effects"] else None)
        _frame(ax, cb.label("mechanism", mechanism, lang))
    title = {"nl": "Alle patroon-effecten tussen de domeinen (Tabel 6-10): aantal effecten (aantal studies); stippellijn = 0",
             "en": "All pathway effects between the domains (Tables 6-10): effects (studies); dotted = none"}[lang]
    fig.suptitle(title, fontsize=13, fontweight="bold")
    fig.tight_layout()
    return fig


@styled
def figure_model(lang: str = "nl", data_dir=None):
    """Figuur 1: the domains of the Interconnected Model (external domain split in two) with the effects found on each (Tabel 5).

    The report's image is lost in the extracted text, so the original's arrows are not redrawn; the pathways
    between the domains are in Figuur 2, 3 and the network figure."""
    effects = load_domain_effects(data_dir).set_index("domain")
    w = WORDS[lang]
    extra = {d: f"{r.n_effects} {w['effects']}, {r.n_studies} {w['studies']}" for d, r in effects.iterrows()}
    fig, ax = plt.subplots(figsize=(8.0, 6.4))
    _draw_nodes(ax, lang, extra=extra, size=(0.86, 0.36), data_dir=data_dir)
    xs = [DOMAIN_POSITIONS[d][0] for d in ("external_general", "external_intervention")]
    ys = [DOMAIN_POSITIONS[d][1] for d in ("external_general", "external_intervention")]
    ax.add_patch(FancyBboxPatch((xs[0] - 0.52, min(ys) - 0.27), 1.04, max(ys) - min(ys) + 0.54, boxstyle="round,pad=0.02",
                                facecolor="none", edgecolor="#777777", linestyle=(0, (4, 3)), zorder=1))
    ax.text(xs[0], max(ys) + 0.33, w["external"], ha="center", va="bottom", fontsize=9, color="#555555")
    note = {"nl": "Verbanden via Denken en Doen: zie Figuur 2, Figuur 3 en het netwerk van Tabel 6-10.",
            "en": "Links via reflection and enactment: see Figures 2 and 3 and the network of Tables 6-10."}[lang]
    ax.text(0.0, -1.33, note, ha="center", va="center", fontsize=8.5, color="#555555", style="italic")
    title = {"nl": "Figuur 1. De domeinen van het Interconnected Model of Teacher Professional Growth, met het aantal effecten per domein (Tabel 5)",
             "en": "Figure 1. The domains of the Interconnected Model of Teacher Professional Growth, with the number of effects on each (Table 5)"}[lang]
    _frame(ax, "\n".join(textwrap.wrap(title, 58)))
    ax.set_xlim(-1.8, 1.6)
    ax.set_ylim(-1.45, 1.35)
    return fig
