"""The pieces the model and pathway figures share: the domain boxes at their fixed positions, curved arrows
between them, and the number labels, whose numbers come from :mod:`peerlearn.drawn`."""

from __future__ import annotations

import textwrap

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .. import messages
from ..codebook import load_codebook
from ..drawn import edge_id, node_id
from ..graph import DOMAIN_POSITIONS
from .theme import MECHANISM_COLOURS, ZERO_COLOUR

NODE_SIZE = (0.72, 0.30)  # width, height of a domain box in data units
EXTERNAL = ("external_general", "external_intervention")  # the two parts of the model's external domain


def label_text(numbers: tuple[int, ...], form: str, lang: str) -> str:
    """A label showing ``numbers`` (:func:`peerlearn.drawn.numbers`): "0" for a route without effects, else
    "E (S)" (``form`` "compact") or "E effecten" / "S studies" on two lines ("full"), E effects in S studies."""
    if len(numbers) == 1:
        return str(numbers[0])
    n_effects, n_studies = numbers
    if form == "compact":
        return f"{n_effects} ({n_studies})"
    w = messages.words("figures", lang)
    return f"{n_effects} {w['effects']}\n{n_studies} {w['studies']}"


def _domain_label(domain: str, lang: str, data_dir=None) -> str:
    return "\n".join(textwrap.wrap(load_codebook(data_dir).label("domain", domain, lang), 18))


def _box_edge(centre, towards, size=NODE_SIZE):
    """Where the line from a box's centre towards a point leaves the box."""
    (x, y), (tx, ty) = centre, towards
    dx, dy = tx - x, ty - y
    w, h = size[0] / 2, size[1] / 2
    scale = min(w / abs(dx) if dx else float("inf"), h / abs(dy) if dy else float("inf"))
    return x + dx * scale, y + dy * scale


def draw_nodes(ax, lang, highlight=(), numbers=None, data_dir=None):
    """The domain boxes with their names; ``numbers`` (domain -> (effects, studies)) adds a label under the name."""
    for domain, (x, y) in DOMAIN_POSITIONS.items():
        w, h = NODE_SIZE
        strong = domain in highlight
        ax.add_patch(
            FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle="round,pad=0.02,rounding_size=0.05",
                facecolor="#e8eef4" if strong else "#f4f4f4",
                edgecolor="#333333",
                linewidth=1.6 if strong else 1.0,
                zorder=3,
            )
        )
        shown = numbers.get(domain) if numbers else None
        text = _domain_label(domain, lang, data_dir) + (f"\n{label_text(shown, 'compact', lang)}" if shown else "")
        ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=8.5,
            zorder=4,
            fontweight="bold" if strong else "normal",
            gid=node_id(domain) if shown else None,
        )


def arrow(ax, u, v, colour, linestyle, width, bulge, capstyle=None):
    """A curved arrow from box ``u`` to box ``v`` (a loop on the box's left side when u == v); ``bulge`` is how far
    (data units) the curve's middle leaves the straight line. Returns where its label goes."""
    pu, pv = DOMAIN_POSITIONS[u], DOMAIN_POSITIONS[v]
    cap = {"capstyle": capstyle} if capstyle else {}
    if u == v:
        x, y = pu
        start, end = (x - NODE_SIZE[0] / 2, y + 0.07), (x - NODE_SIZE[0] / 2, y - 0.07)
        ax.add_patch(
            FancyArrowPatch(
                start,
                end,
                connectionstyle="arc3,rad=1.9",
                arrowstyle="-|>",
                mutation_scale=12,
                linewidth=width,
                color=colour,
                linestyle=linestyle,
                zorder=2,
                **cap,
            )
        )
        return x - NODE_SIZE[0] / 2 - 0.22, y
    a, b = _box_edge(pu, pv), _box_edge(pv, pu)
    length = ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5
    rad = 2 * bulge / length
    ax.add_patch(
        FancyArrowPatch(
            a,
            b,
            connectionstyle=f"arc3,rad={rad}",
            arrowstyle="-|>",
            mutation_scale=14,
            linewidth=width,
            color=colour,
            linestyle=linestyle,
            zorder=2,
            shrinkA=2,
            shrinkB=2,
            **cap,
        )
    )
    dx, dy = b[0] - a[0], b[1] - a[1]
    return (a[0] + b[0]) / 2 + 0.5 * rad * dy, (a[1] + b[1]) / 2 - 0.5 * rad * dx


def route_label(ax, at, route, form, colour, lang):
    """The label of a route of :func:`peerlearn.drawn.drawn_routes` at ``at``, id ``edge__<from>__<mechanism>__<to>``;
    nothing for a route drawn without a label."""
    if route.label is None:
        return
    ax.text(
        *at,
        label_text(route.label, form, lang),
        ha="center",
        va="center",
        fontsize=8,
        color=colour if route.n_effects else "#666666",
        zorder=5,
        gid=edge_id(route.from_domain, route.mechanism, route.to_domain),
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9},
    )


def draw_route(ax, route, width, lang, bulge, form):
    """A pathway as a curved arrow in its mechanism's colour (grey and dotted without effects), with its label."""
    colour = MECHANISM_COLOURS[route.mechanism] if route.n_effects else ZERO_COLOUR
    style = "solid" if route.n_effects else (0, (3, 3))
    at = arrow(ax, route.from_domain, route.to_domain, colour, style, width, bulge)
    route_label(ax, at, route, form, colour, lang)


def frame(ax, title):
    ax.set_xlim(-1.75, 1.55)
    ax.set_ylim(-1.35, 1.35)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)


def width(n, max_n):
    """A route's line width: 1 without effects, up to 8 for the route with the most effects."""
    return 1.0 + 7.0 * n / max_n if n else 1.0


def external_group(ax, lang):
    """The dashed frame around the two parts of the external domain, with its name."""
    xs = [DOMAIN_POSITIONS[d][0] for d in EXTERNAL]
    ys = [DOMAIN_POSITIONS[d][1] for d in EXTERNAL]
    ax.add_patch(
        FancyBboxPatch(
            (xs[0] - 0.47, min(ys) - 0.24),
            0.94,
            max(ys) - min(ys) + 0.48,
            boxstyle="round,pad=0.02",
            facecolor="none",
            edgecolor="#777777",
            linestyle=(0, (4, 3)),
            zorder=1,
        )
    )
    ax.text(
        xs[0],
        max(ys) + 0.29,
        messages.text("figures.external", lang),
        ha="center",
        va="bottom",
        fontsize=9,
        color="#555555",
    )
