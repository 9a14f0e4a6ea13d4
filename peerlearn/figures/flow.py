"""The search and selection (chapter Opzet van de studie) as a PRISMA 2020 flow diagram."""

from __future__ import annotations

import itertools
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .. import messages
from ..codebook import load_codebook
from .theme import styled

PHASES = ("identification", "screening", "included")  # the bands on the left, top to bottom
SIGNS = {"exact": "=", "approximate": "≈", "lower_bound": "≥"}  # how a qualifier shows a number


def _flow_number(row, lang: str, cb) -> str:
    """'n = N', 'n ≈ N (approximate)', 'n ≥ N (at least)' or 'n: not stated as a number' from a selection-flow row,
    the words being the qualifier's label in the codebook."""
    qualifier = row["qualifier"]
    label = cb.label("qualifier", qualifier, lang).lower()
    if qualifier == "not_stated" or pd.isna(row["n"]):
        return f"n: {label}"
    return f"n {SIGNS[qualifier]} {row['n']}" + ("" if qualifier == "exact" else f" ({label})")


@styled
def figure_selection_flow(lang: str = "nl", data_dir=None):
    """The search and selection (chapter Opzet van de studie) in the PRISMA 2020 layout: phases on the left, the
    records passed on in the middle column, exclusions on the right. Every number comes from
    :func:`~peerlearn.load_selection_flow` with its qualifier; numbers the report does not give are shown as such."""
    from ..corpus import load_selection_flow

    cb = load_codebook(data_dir)
    flow = load_selection_flow(data_dir).set_index("step")
    words = messages.words("figures.flow", lang)

    def number(step):
        return _flow_number(flow.loc[step], lang, cb)

    def heading(step):
        return cb.label("flow_step", step, lang)

    def wrap(text, width):
        return "\n".join("\n".join(textwrap.wrap(part, width)) for part in text.split("\n"))

    not_stated = cb.label("qualifier", "not_stated", lang).lower()
    fill = {"threshold": flow.loc["abstract_threshold", "n"], "criteria": flow.loc["selection_criteria", "n"]}
    main = {  # box centre y, height, text
        "identification": (
            10.4,
            1.3,
            "\n".join(
                f"{flow.loc[s, f'label_{lang}']}: {flow.loc[s, 'n']}"
                for s in ("search_period_start", "search_period_end")
            ),
        ),
        "abstracts": (8.1, 1.2, f"{heading('abstracts_screened')}\n{number('abstracts_screened')}"),
        "full_texts": (5.8, 1.2, f"{wrap(heading('full_texts_assessed'), 34)}\n{number('full_texts_assessed')}"),
        "included": (
            3.5,
            1.3,
            (
                f"{heading('studies_included')}: {number('studies_included')}\n"
                f"{heading('articles_included')}: {number('articles_included')}"
            ),
        ),
    }
    excluded_n = words["excluded_n"].format(not_stated=not_stated)
    side = {
        key: wrap(words[f"excluded_{key}"].format(**fill), 29) + "\n" + excluded_n
        for key in ("abstracts", "full_texts")
    }
    fig, ax = plt.subplots(figsize=(8.6, 7.8))
    mx, mw, sx, sw = 3.55, 4.3, 8.2, 3.4  # centre x and width of the main and the side column

    def box(x, y, w, h, text, face="#ffffff", **kw):
        ax.add_patch(
            FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle="round,pad=0.02,rounding_size=0.08",
                facecolor=face,
                edgecolor="#333333",
                linewidth=1.0,
                zorder=2,
            )
        )
        ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=3, linespacing=1.35, **kw)

    def arrow(a, b):
        ax.add_patch(
            FancyArrowPatch(
                a,
                b,
                arrowstyle="-|>",
                mutation_scale=14,
                linewidth=1.1,
                color="#333333",
                shrinkA=0,
                shrinkB=0,
                zorder=1,
            )
        )

    for y, h, text in main.values():
        box(mx, y, mw, h, text)
    order = list(main)
    for upper, lower in itertools.pairwise(order):
        arrow((mx, main[upper][0] - main[upper][1] / 2), (mx, main[lower][0] + main[lower][1] / 2))
    for key, text in side.items():
        y, h = main[key][0], main[key][1] + 0.35
        box(sx, y, sw, h, text, face="#f4f4f4")
        arrow((mx + mw / 2, y), (sx - sw / 2, y))
    phases = ((11.35, 9.35), (9.0, 4.9), (4.55, 2.45))  # top, bottom of each phase band
    for name, (top, bottom) in zip((words[f"phase_{p}"] for p in PHASES), phases):
        ax.add_patch(
            FancyBboxPatch(
                (0.05, bottom),
                0.55,
                top - bottom,
                boxstyle="round,pad=0.02,rounding_size=0.08",
                facecolor="#d9e4ef",
                edgecolor="none",
                zorder=1,
            )
        )
        ax.text(0.325, (top + bottom) / 2, name, rotation=90, ha="center", va="center", fontsize=9.5, fontweight="bold")
    note = words["note"].format(approximate=cb.label("qualifier", "approximate", lang).lower())
    ax.text(5.0, 1.85, wrap(note, 110), ha="center", va="center", fontsize=8, color="#555555", style="italic")
    ax.set_xlim(0, 10)
    ax.set_ylim(1.5, 11.5)
    ax.axis("off")
    ax.set_title(words["title"])
    return fig
