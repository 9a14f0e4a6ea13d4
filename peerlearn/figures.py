"""Figures of the report, drawn from the data with fixed layouts and saved byte-identically.

Figuur 1 is Clarke & Hollingsworth's (2002) Interconnected Model (enactment
solid, reflection dashed); ``figure_model_evidence`` lays the pathways found
(Tabel 6-10) and the effects per domain (Tabel 5) over it; Figuur 2 and 3 the pathways from the intervention-related external
domain via Denken (reflection) and Doen (enactment); ``figure_network`` all
pathways of Tabel 6-10. Node positions are data (:data:`peerlearn.graph.DOMAIN_POSITIONS`).
"""
from __future__ import annotations

import functools
import io
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .codebook import load_codebook
from .corpus import load_domain_effects
from .graph import DOMAIN_POSITIONS, model_basis, model_graph, pathway_edges, pathway_graph  # networkx itself is imported on first use
from .output import atomic_write_bytes, figures_dir, output_root
from .choices import check_choice, check_lang

MECHANISM_COLOURS = {"reflection": "#2f6690", "enactment": "#d9822b"}
ZERO_COLOUR = "#9a9a9a"
NODE_SIZE = (0.72, 0.30)  # width, height of a domain box in data units
WORDS = {"nl": {"effects": "effecten", "studies": "studies", "external": "Extern domein"},
         "en": {"effects": "effects", "studies": "studies", "external": "External domain"}}
# seaborn's "white" style on its "notebook" context (seaborn 0.13: ``{**sns.axes_style("white"),
# **sns.plotting_context("notebook")}``), stored as data: the figures' bytes then do not depend on the installed
# seaborn, and drawing a figure does not import it. tests/test_outputs.py checks that these values still equal
# seaborn's own. Left out: "image.cmap" ("rocket", a colour map that only exists once seaborn is imported; no
# figure here uses a colour map).
SEABORN_WHITE_NOTEBOOK = {
    "axes.axisbelow": True, "axes.edgecolor": ".15", "axes.facecolor": "white", "axes.grid": False,
    "axes.labelcolor": ".15", "axes.labelsize": 12, "axes.linewidth": 1.25, "axes.spines.bottom": True,
    "axes.spines.left": True, "axes.spines.right": True, "axes.spines.top": True, "axes.titlesize": 12,
    "figure.facecolor": "white", "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "font.size": 12, "grid.color": ".8", "grid.linestyle": "-", "grid.linewidth": 1, "legend.fontsize": 11,
    "legend.title_fontsize": 12, "lines.linewidth": 1.5, "lines.markersize": 6, "lines.solid_capstyle": "round",
    "patch.edgecolor": "w", "patch.force_edgecolor": True, "patch.linewidth": 1, "text.color": ".15",
    "xtick.bottom": False, "xtick.color": ".15", "xtick.direction": "out", "xtick.labelsize": 11,
    "xtick.major.size": 6, "xtick.major.width": 1.25, "xtick.minor.size": 4, "xtick.minor.width": 1,
    "xtick.top": False, "ytick.color": ".15", "ytick.direction": "out", "ytick.labelsize": 11, "ytick.left": False,
    "ytick.major.size": 6, "ytick.major.width": 1.25, "ytick.minor.size": 4, "ytick.minor.width": 1,
    "ytick.right": False,
}
RC = {  # the project's own settings on top: fixed fonts, sizes and SVG salt (byte-identical files)
    "svg.hashsalt": "peerlearn", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 10,
    "figure.dpi": 100, "savefig.dpi": 150, "axes.titlesize": 12, "axes.titleweight": "bold",
}


def _rc() -> dict:
    """The full style: seaborn's "white" on the "notebook" context, plus the project's settings."""
    return {**SEABORN_WHITE_NOTEBOOK, **RC}


def style():
    """Apply the project's style globally (for a researcher's own plots). The figures below do not
    depend on it: each draws and saves inside its own style context, so the bytes never depend on global state."""
    plt.rcParams.update(_rc())


def styled(draw):
    """Run a figure function inside the project's style context, after checking its ``lang`` and ``mechanism``
    (ValueError naming the valid values and the closest one)."""
    import inspect

    signature = inspect.signature(draw)

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        if "lang" in bound.arguments:
            check_lang(bound.arguments["lang"])
        if "mechanism" in bound.arguments:
            check_choice(bound.arguments["mechanism"], MECHANISM_COLOURS, "mechanism")
        with plt.rc_context(_rc()):
            return draw(*args, **kwargs)
    return wrapper


def save_figure(fig, name: str, lang: str, folder=None) -> dict[str, bytes]:
    """Draw ``fig`` as SVG and PNG without dates or version stamps; returns the bytes per format ("svg", "png").

    They are written, each file whole, as <name>_<lang>.svg/.png into ``folder`` when given, else into figures/
    of the output root when there is one (see :mod:`peerlearn.output`); otherwise nothing is written."""
    check_lang(lang)
    folder = Path(folder) if folder is not None else (figures_dir() if output_root() is not None else None)
    images = {}
    for fmt, meta in (("svg", {"Date": None, "Creator": None}), ("png", {"Software": None})):
        buf = io.BytesIO()
        with plt.rc_context(_rc()):
            fig.savefig(buf, format=fmt, metadata=meta, bbox_inches="tight", pad_inches=0.15)
        images[fmt] = buf.getvalue()
        if folder is not None:
            atomic_write_bytes(folder / f"{name}_{lang}.{fmt}", images[fmt])
    return images


def show_saved(fig, png: bytes, alt: str | None = None, metadata: dict | None = None) -> bool:
    """In a notebook (matplotlib's inline backend): show the saved PNG ``png`` (its bytes) as the cell's image and
    close ``fig``, so that the backend does not draw the figure a third time. Elsewhere do nothing. Returns whether
    it showed.

    The PNG is drawn at savefig.dpi; it is shown at the size the figure would have on screen (figure.dpi). ``alt``:
    the image's alternative text (:func:`peerlearn.describe.alt_text`); ``metadata``: the output's metadata besides."""
    import matplotlib

    if "inline" not in matplotlib.get_backend():
        return False
    from IPython.display import Image, display

    data = png
    width_px = int.from_bytes(data[16:20], "big")  # PNG header: the IHDR chunk's width
    display(Image(data=data, format="png", width=round(width_px * RC["figure.dpi"] / RC["savefig.dpi"]), alt=alt),
            metadata=metadata)
    plt.close(fig)
    return True


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
                fontweight="bold" if strong else "normal", gid=f"node__{domain}" if extra and domain in extra else None)


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
                gid=f"edge__{u}__{mechanism}__{v}",
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


def _external_group(ax, lang):
    """The dashed frame around the two parts of the external domain, with its name."""
    xs = [DOMAIN_POSITIONS[d][0] for d in ("external_general", "external_intervention")]
    ys = [DOMAIN_POSITIONS[d][1] for d in ("external_general", "external_intervention")]
    ax.add_patch(FancyBboxPatch((xs[0] - 0.47, min(ys) - 0.24), 0.94, max(ys) - min(ys) + 0.48, boxstyle="round,pad=0.02",
                                facecolor="none", edgecolor="#777777", linestyle=(0, (4, 3)), zorder=1))
    ax.text(xs[0], max(ys) + 0.29, WORDS[lang]["external"], ha="center", va="bottom", fontsize=9, color="#555555")


PROCESS_STYLES = {"enactment": "solid", "reflection": (0, (5, 3))}  # as in Clarke & Hollingsworth's figure
MODEL_COLOUR = "#333333"
OUTSIDE_COLOUR = "#8e6bb8"
MODEL_WORDS = {
    "nl": {"title": "Figuur 1. Het Interconnected Model of Teacher Professional Growth (Clarke & Hollingsworth, 2002), "
                    "met het externe domein gesplitst zoals in deze review",
           "source": "Pijlen naar Clarke & Hollingsworth (2002), Fig. 2, p. 951. {confirmed} van de {k} pijlen van het model "
                     "(één extern domein) bevestigd door een openbare bron; de andere {reading} zijn onze lezing van de figuur, nog niet bevestigd.",
           "overlay_title": "Figuur 1 met de gevonden patroon-effecten (Tabel 6-10): aantal effecten (aantal studies)",
           "in_model": "pijl van het model, met effecten", "empty": "pijl van het model, geen effecten gevonden",
           "outside": "gevonden, maar geen pijl van het model met dit proces",
           "nodes": "In de vakken: effecten op het domein zelf (Tabel 5), aantal effecten (aantal studies)."},
    "en": {"title": "Figure 1. The Interconnected Model of Teacher Professional Growth (Clarke & Hollingsworth, 2002), "
                    "with the external domain split as in this review",
           "source": "Arrows after Clarke & Hollingsworth (2002), Fig. 2, p. 951. {confirmed} of the model's {k} arrows "
                     "(one External Domain) confirmed by a public source; the other {reading} are our reading of the figure, not yet confirmed.",
           "overlay_title": "Figure 1 with the pathway effects found (Tables 6-10): effects (studies)",
           "in_model": "arrow of the model, with effects", "empty": "arrow of the model, no effects found",
           "outside": "found, but not an arrow of the model with this process",
           "nodes": "In the boxes: effects on the domain itself (Table 5), effects (studies)."},
}


def _arrow(ax, u, v, colour, linestyle, width, bulge):
    """A curved arrow from box ``u`` to box ``v`` (a loop on the box's left side when u == v); returns the label spot."""
    pu, pv = DOMAIN_POSITIONS[u], DOMAIN_POSITIONS[v]
    if u == v:
        x, y = pu
        start, end = (x - NODE_SIZE[0] / 2, y + 0.07), (x - NODE_SIZE[0] / 2, y - 0.07)
        ax.add_patch(FancyArrowPatch(start, end, connectionstyle="arc3,rad=1.9", arrowstyle="-|>", mutation_scale=12,
                                     linewidth=width, color=colour, linestyle=linestyle, zorder=2, capstyle="butt"))
        return x - NODE_SIZE[0] / 2 - 0.22, y
    a, b = _box_edge(pu, pv), _box_edge(pv, pu)
    length = ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5
    rad = 2 * bulge / length
    ax.add_patch(FancyArrowPatch(a, b, connectionstyle=f"arc3,rad={rad}", arrowstyle="-|>", mutation_scale=14,
                                 linewidth=width, color=colour, linestyle=linestyle, zorder=2, shrinkA=2, shrinkB=2,
                                 capstyle="butt"))
    dx, dy = b[0] - a[0], b[1] - a[1]
    return (a[0] + b[0]) / 2 + 0.5 * rad * dy, (a[1] + b[1]) / 2 - 0.5 * rad * dx


@styled
def figure_model(lang: str = "nl", data_dir=None):
    """Figuur 1: Clarke & Hollingsworth's (2002) Interconnected Model with the domains as the review uses them.

    Every arrow of :func:`peerlearn.graph.model_graph` is drawn, enactment solid and reflection dashed as in the
    model's own figure; the report's image is lost in the extracted text, so the arrows come from the model's source
    (data/raw/model_edges.csv). The line under the figure says how many of the model's arrows a public source
    confirms (:func:`peerlearn.graph.model_basis`); :func:`figure_model_evidence` adds the review's counts."""
    from matplotlib.lines import Line2D

    g = model_graph(data_dir)
    cb = load_codebook(data_dir)
    w = MODEL_WORDS[lang]
    fig, ax = plt.subplots(figsize=(8.0, 6.6))
    _draw_nodes(ax, lang, data_dir=data_dir)
    _external_group(ax, lang)
    for u, v, d in sorted(g.edges(data=True)):
        _arrow(ax, u, v, MODEL_COLOUR, PROCESS_STYLES[d["process"]], 1.6, bulge=0.10)
    handles = [Line2D([], [], color=MODEL_COLOUR, linestyle=PROCESS_STYLES[p], linewidth=1.6,
                      label=cb.label("mechanism", p, lang)) for p in ("enactment", "reflection")]
    ax.legend(handles=handles, loc="upper right", fontsize=8.5, frameon=False)  # the bottom holds the source line
    basis = model_basis(data_dir)
    confirmed = int((basis["basis"] == "confirmed_secondary").sum())
    source = w["source"].format(confirmed=confirmed, k=len(basis), reading=len(basis) - confirmed)
    ax.text(0.0, -1.40, "\n".join(textwrap.wrap(source, 105)), ha="center", va="center", fontsize=8, color="#555555",
            style="italic")
    _frame(ax, "\n".join(textwrap.wrap(w["title"], 62)))
    ax.set_ylim(-1.52, 1.35)
    return fig


@styled
def figure_model_evidence(lang: str = "nl", data_dir=None):
    """Figuur 1 with the review's pathways (Tabel 6-10) laid over it, one panel per process, in Figuur 1's layout.

    A model arrow with effects is drawn in the process's colour, its width following the number of effects and
    labelled "effects (studies)"; a model arrow without effects stays grey and is labelled 0; effects on a route the
    model does not draw with that process are drawn in another colour. Routes with neither are left out. The
    boxes show the effects on each domain itself (Tabel 5). Labels carry ids ``edge__<from>__<process>__<to>`` and
    ``node__<domain>`` so that the audit can compare them with the tables."""
    from matplotlib.lines import Line2D

    from .graph import model_coverage

    coverage = model_coverage(data_dir)
    effects = load_domain_effects(data_dir).set_index("domain")
    cb = load_codebook(data_dir)
    w, words = MODEL_WORDS[lang], WORDS[lang]
    extra = {d: f"{r.n_effects} ({r.n_studies})" for d, r in effects.iterrows()}
    max_n = int(coverage["n_effects"].max()) or 1
    fig, axes = plt.subplots(1, 2, figsize=(14.5, 7.0))
    for ax, process in zip(axes, ("enactment", "reflection")):
        _draw_nodes(ax, lang, extra=extra, data_dir=data_dir)
        _external_group(ax, lang)
        mine = coverage[(coverage["mechanism"] == process) & (coverage["status"] != "none")]
        for r in sorted(mine.itertuples(index=False), key=lambda r: (r.n_effects > 0, str(r.from_domain), str(r.to_domain))):
            u, v = str(r.from_domain), str(r.to_domain)
            colour = {"covered": MECHANISM_COLOURS[process], "empty": ZERO_COLOUR, "outside_model": OUTSIDE_COLOUR}[r.status]
            width = _width(int(r.n_effects), max_n)
            style = PROCESS_STYLES[process]
            if style != "solid":  # matplotlib scales dashes with the line width: keep them the same length on thick lines
                style = (0, tuple(x * 1.6 / width for x in style[1]))
            lx, ly = _arrow(ax, u, v, colour, style, width, bulge=0.13)
            text = f"{r.n_effects} ({r.n_studies})" if r.n_effects else "0"
            ax.text(lx, ly, text, ha="center", va="center", fontsize=8, color=colour if r.n_effects else "#666666",
                    zorder=5, gid=f"edge__{u}__{process}__{v}",
                    bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.9))
        _frame(ax, cb.label("mechanism", process, lang))
    handles = [Line2D([], [], color=MECHANISM_COLOURS[p], linestyle=PROCESS_STYLES[p], linewidth=2,
                      label=f"{cb.label('mechanism', p, lang)}: {w['in_model']}") for p in ("enactment", "reflection")]
    handles += [Line2D([], [], color=ZERO_COLOUR, linewidth=2, label=w["empty"]),
                Line2D([], [], color=OUTSIDE_COLOUR, linewidth=2, label=w["outside"])]
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=9, frameon=False, bbox_to_anchor=(0.5, 0.0))
    fig.suptitle("\n".join(textwrap.wrap(w["overlay_title"], 110)), fontsize=13, fontweight="bold", y=0.99)
    fig.text(0.5, 0.925, f"{w['nodes']}", ha="center", fontsize=9, color="#555555", style="italic")
    fig.tight_layout(rect=(0, 0.07, 1, 0.93))
    return fig


FIGURES_FROM_TABLES = {  # report figure -> function drawing it (the figures whose numbers come from Bijlage E)
    "figuur_1_model_evidence": figure_model_evidence,
    "figuur_2_denken": functools.partial(figure_pathways, "reflection"),
    "figuur_3_doen": functools.partial(figure_pathways, "enactment"),
    "pathway_network": figure_network,
}


def figure_labels(data_dir=None, lang: str = "nl") -> dict[str, dict[str, tuple[int, ...]]]:
    """The numbers each figure draws: figure id -> {label id -> numbers}, read from the figure's visible text labels
    (the same text that its SVG and PNG files show; reading the labels needs no rendering, which would cost 0.5 s).

    Label ids are ``node__<domain>`` (Tabel 5 in Figuur 1 with the pathways found) and ``edge__<from>__<mechanism>__<to>`` (pathways), so the audit can
    compare what a reader sees with the tables."""
    import re

    from matplotlib.text import Text

    found = {}
    for item, draw in FIGURES_FROM_TABLES.items():
        fig = draw(lang=lang, data_dir=data_dir)
        found[item] = {t.get_gid(): tuple(int(n) for n in re.findall(r"\d+", t.get_text()))
                       for t in fig.findobj(Text)
                       if (t.get_gid() or "").startswith(("node__", "edge__")) and t.get_visible()}
        plt.close(fig)
    return found


DIRECTION_COLOURS = {"positive": "#2e7d32", "negative": "#c62828", "mixed": "#8e6bb8", "neutral": "#9a9a9a"}
GROUP_COLOURS = {"student": "#4e79a7", "inservice": "#f28e2b", "both": "#59a14f"}
ACTIVITY_COLOURS = {"coaching": "#b07aa1", "assessment": "#edc948", "collaborative": "#76b7b2"}
UNKNOWN_COLOUR = "#dddddd"
AUDIT_WORDS = {
    "nl": {"evidence_title": "Bewijskaart: welke studies de tekst noemt bij elke veronderstelling",
           "study": "Studie (nummer uit Bijlage A-C)", "unknown": "onbekend", "direction": "Richting van het bewijs",
           "trace_title": "Herleidbaarheid per factor: geciteerde studies in de tekst tegenover studies in Tabel 1-4",
           "reported": "Studies volgens de tabel", "cited": "Studies met nummer geciteerd in de tekst", "n": "Aantal studies"},
    "en": {"evidence_title": "Evidence map: which studies the text cites for each hypothesis",
           "study": "Study (number from Bijlagen A-C)", "unknown": "unknown", "direction": "Direction of the evidence",
           "trace_title": "Traceability per factor: studies cited in the text against studies in Tables 1-4",
           "reported": "Studies according to the table", "cited": "Studies cited by number in the text", "n": "Number of studies"},
}


@styled
def figure_evidence_map(lang: str = "nl", data_dir=None):
    """Hypotheses (rows) x cited studies (columns) from the chapter Realist synthesis; each dot is a citation coloured
    by direction; two strips above annotate each study's participant group and activity type (grey: unknown)."""
    from matplotlib.collections import PatchCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    from .audit import evidence_map
    from .corpus import load_hypotheses

    ev = evidence_map(data_dir)
    cb = load_codebook(data_dir)
    w = AUDIT_WORDS[lang]
    groups = list(cb.vocabulary("participant_group").codes)
    activities = list(cb.vocabulary("activity_type").codes)
    studies = (ev[["study_id", "participant_group", "activity_type"]].drop_duplicates()
               .assign(g=lambda d: d["participant_group"].map({g: i for i, g in enumerate(groups)}).fillna(len(groups)),
                       a=lambda d: d["activity_type"].map({a: i for i, a in enumerate(activities)}).fillna(len(activities)))
               .sort_values(["g", "a", "study_id"]))
    column = {s: i for i, s in enumerate(studies["study_id"])}
    hyps = load_hypotheses(data_dir).sort_values("hypothesis")
    row = {int(h): i for i, h in enumerate(hyps["hypothesis"])}
    fig, ax = plt.subplots(figsize=(max(9.0, 0.24 * len(column) + 5.5), 7.4))
    # One collection per colour rather than one artist per dot or cell: the same picture, drawn several times faster.
    for direction, colour in DIRECTION_COLOURS.items():
        mine = ev[ev["direction"] == direction]
        if len(mine):
            ax.scatter(mine["study_id"].map(column), mine["hypothesis"].astype(int).map(row), s=46, color=colour,
                       zorder=3, edgecolors="white", linewidths=0.5)
    for strip, (field, colours) in enumerate((("participant_group", GROUP_COLOURS), ("activity_type", ACTIVITY_COLOURS))):
        y = -1.0 - strip * 0.75
        cells = [(Rectangle((column[r.study_id] - 0.45, y - 0.3), 0.9, 0.6),
                  colours.get(code, UNKNOWN_COLOUR) if isinstance(code := getattr(r, field), str) else UNKNOWN_COLOUR)
                 for r in studies.itertuples(index=False)]
        ax.add_collection(PatchCollection([c for c, _ in cells], facecolors=[f for _, f in cells], edgecolors="none",
                                          zorder=2))
        ax.text(-0.9, y, cb.column_label("studies", field, lang), ha="right", va="center", fontsize=8.5)
    ax.set_xticks(range(len(column)), [str(s) for s in column], rotation=90, fontsize=7.5)
    labels = hyps[f"label_{lang}"].astype(str)
    ax.set_yticks(range(len(row)), [f"H{h}  " + "\n      ".join(textwrap.wrap(t, 38)) for h, t in zip(hyps["hypothesis"], labels)],
                  fontsize=8)
    ax.set_xlim(-0.8, len(column) - 0.2)
    ax.set_ylim(len(row) - 0.4, -1.95)
    ax.set_xlabel(w["study"])
    ax.grid(True, color="#eeeeee", zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=cb.label("direction", d, lang)) for d, c in DIRECTION_COLOURS.items()]
    handles += [Patch(color=GROUP_COLOURS[g], label=cb.label("participant_group", g, lang)) for g in groups]
    handles += [Patch(color=ACTIVITY_COLOURS[a], label=cb.label("activity_type", a, lang)) for a in activities]
    handles.append(Patch(color=UNKNOWN_COLOUR, label=w["unknown"]))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.set_title("\n".join(textwrap.wrap(w["evidence_title"], 80)))
    fig.tight_layout()
    return fig


@styled
def figure_traceability(lang: str = "nl", data_dir=None):
    """Per factor subcategory (grouped by category as in Tabel 1-4): studies the table reports (light bar) and the
    distinct studies the text cites by number for it (dark bar)."""
    from .audit import traceability

    cb = load_codebook(data_dir)
    w = AUDIT_WORDS[lang]
    t = traceability(data_dir)
    t = t[t["kind"] == "factor_subcategory"].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8.5, 8.6))
    y = list(range(len(t)))
    ax.barh(y, t["reported"], color="#c9d6e3", label=w["reported"], zorder=2)
    ax.barh(y, t["cited"], height=0.45, color="#2f6690", label=w["cited"], zorder=3)
    for yi, (c, r) in enumerate(zip(t["cited"], t["reported"])):
        ax.text(max(c, r) + 0.3, yi, f"{c}/{r}", va="center", fontsize=7.5, color="#333333")
    ax.set_yticks(y, [cb.label("factor_subcategory", s, lang) for s in t["code"]], fontsize=8)
    ax.invert_yaxis()
    starts = t.groupby("category", sort=False).head(1).index
    for i, idx in enumerate(starts):
        if i:
            ax.axhline(idx - 0.5, color="#999999", linewidth=0.8)
        ax.text(t["reported"].max() + 3.5, idx - 0.1, cb.label("factor_category", t.loc[idx, "category"], lang),
                ha="right", va="top", fontsize=8.5, style="italic", color="#555555")
    ax.set_xlim(0, t["reported"].max() + 4)
    ax.set_xlabel(w["n"])
    ax.legend(loc="lower right", fontsize=8.5, frameon=False)
    ax.set_title("\n".join(textwrap.wrap(w["trace_title"], 60)))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


FLOW_WORDS = {
    "nl": {"title": "Zoeken en selecteren, als PRISMA 2020-stroomdiagram",
           "phases": ("Identificatie", "Screening", "Inclusie"),
           "excluded_abstracts": "Uitgesloten: samenvatting voldeed aan minder dan {threshold} van de {criteria} criteria",
           "excluded_full_texts": "Uitgesloten: publicatie voldeed niet aan alle {criteria} criteria",
           "excluded_n": "n: {not_stated}",
           "note": "Getallen zoals het rapport ze geeft; ≈ = {approximate}; een uitsluiting wordt nergens als getal vermeld."},
    "en": {"title": "Search and selection as a PRISMA 2020 flow diagram",
           "phases": ("Identification", "Screening", "Included"),
           "excluded_abstracts": "Excluded: abstract met fewer than {threshold} of the {criteria} criteria",
           "excluded_full_texts": "Excluded: publication did not meet all {criteria} criteria",
           "excluded_n": "n: {not_stated}",
           "note": "Numbers as the report gives them; ≈ = {approximate}; no exclusion is stated as a number."},
}


def _flow_number(row, lang: str, cb) -> str:
    """'n = 76', 'n ≈ 900 (approximate)', 'n ≥ 5 (at least)' or 'n: not stated as a number' from a selection-flow row."""
    qualifier = row["qualifier"]
    label = cb.label("qualifier", qualifier, lang).lower()
    if qualifier == "not_stated" or pd.isna(row["n"]):
        return f"n: {label}"
    sign = {"exact": "=", "approximate": "≈", "lower_bound": "≥"}[qualifier]
    return f"n {sign} {row['n']}" + ("" if qualifier == "exact" else f" ({label})")


@styled
def figure_selection_flow(lang: str = "nl", data_dir=None):
    """The search and selection (chapter Opzet van de studie) in the PRISMA 2020 layout: phases on the left, the
    records passed on in the middle column, exclusions on the right. Every number comes from
    :func:`~peerlearn.load_selection_flow` with its qualifier; numbers the report does not give are shown as such."""
    from .corpus import load_selection_flow

    cb = load_codebook(data_dir)
    flow = load_selection_flow(data_dir).set_index("step")
    words = FLOW_WORDS[lang]

    def number(step):
        return _flow_number(flow.loc[step], lang, cb)

    def heading(step):
        return cb.label("flow_step", step, lang)

    def wrap(text, width):
        return "\n".join("\n".join(textwrap.wrap(part, width)) for part in text.split("\n"))

    not_stated = cb.label("qualifier", "not_stated", lang).lower()
    fill = {"threshold": flow.loc["abstract_threshold", "n"], "criteria": flow.loc["selection_criteria", "n"]}
    main = {  # box centre y, height, text
        "identification": (10.4, 1.3, "\n".join(f"{flow.loc[s, f'label_{lang}']}: {flow.loc[s, 'n']}"
                                                 for s in ("search_period_start", "search_period_end"))),
        "abstracts": (8.1, 1.2, f"{heading('abstracts_screened')}\n{number('abstracts_screened')}"),
        "full_texts": (5.8, 1.2, f"{wrap(heading('full_texts_assessed'), 34)}\n{number('full_texts_assessed')}"),
        "included": (3.5, 1.3, f"{heading('studies_included')}: {number('studies_included')}\n"
                               f"{heading('articles_included')}: {number('articles_included')}"),
    }
    side = {
        "abstracts": wrap(words["excluded_abstracts"].format(**fill), 29) + "\n" + words["excluded_n"].format(not_stated=not_stated),
        "full_texts": wrap(words["excluded_full_texts"].format(**fill), 29) + "\n" + words["excluded_n"].format(not_stated=not_stated),
    }
    fig, ax = plt.subplots(figsize=(8.6, 7.8))
    mx, mw, sx, sw = 3.55, 4.3, 8.2, 3.4  # centre x and width of the main and the side column

    def box(x, y, w, h, text, face="#ffffff", **kw):
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.08",
                                    facecolor=face, edgecolor="#333333", linewidth=1.0, zorder=2))
        ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=3, linespacing=1.35, **kw)

    def arrow(a, b):
        ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=14, linewidth=1.1, color="#333333",
                                     shrinkA=0, shrinkB=0, zorder=1))

    for key, (y, h, text) in main.items():
        box(mx, y, mw, h, text)
    order = list(main)
    for upper, lower in zip(order, order[1:]):
        arrow((mx, main[upper][0] - main[upper][1] / 2), (mx, main[lower][0] + main[lower][1] / 2))
    for key, text in side.items():
        y, h = main[key][0], main[key][1] + 0.35
        box(sx, y, sw, h, text, face="#f4f4f4")
        arrow((mx + mw / 2, y), (sx - sw / 2, y))
    phases = ((11.35, 9.35), (9.0, 4.9), (4.55, 2.45))  # top, bottom of each phase band
    for name, (top, bottom) in zip(words["phases"], phases):
        ax.add_patch(FancyBboxPatch((0.05, bottom), 0.55, top - bottom, boxstyle="round,pad=0.02,rounding_size=0.08",
                                    facecolor="#d9e4ef", edgecolor="none", zorder=1))
        ax.text(0.325, (top + bottom) / 2, name, rotation=90, ha="center", va="center", fontsize=9.5, fontweight="bold")
    note = words["note"].format(approximate=cb.label("qualifier", "approximate", lang).lower())
    ax.text(5.0, 1.85, wrap(note, 110), ha="center", va="center", fontsize=8, color="#555555", style="italic")
    ax.set_xlim(0, 10)
    ax.set_ylim(1.5, 11.5)
    ax.axis("off")
    ax.set_title(words["title"])
    return fig
