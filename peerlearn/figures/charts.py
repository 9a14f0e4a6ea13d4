"""The audit's charts: the evidence map (which studies the text cites for each hypothesis) and the traceability
per factor (studies cited in the text against studies in Tabel 1-4)."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt

from .. import messages
from ..codebook import load_codebook
from .theme import styled

DIRECTION_COLOURS = {"positive": "#2e7d32", "negative": "#c62828", "mixed": "#8e6bb8", "neutral": "#9a9a9a"}
GROUP_COLOURS = {"student": "#4e79a7", "inservice": "#f28e2b", "both": "#59a14f"}
ACTIVITY_COLOURS = {"coaching": "#b07aa1", "assessment": "#edc948", "collaborative": "#76b7b2"}
UNKNOWN_COLOUR = "#dddddd"


@styled
def figure_evidence_map(lang: str = "nl", data_dir=None):
    """Hypotheses (rows) x cited studies (columns) from the chapter Realist synthesis; each dot is a citation coloured
    by direction; two strips above annotate each study's participant group and activity type (grey: unknown)."""
    from matplotlib.collections import PatchCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    from ..audit import evidence_map
    from ..corpus import load_hypotheses

    ev = evidence_map(data_dir)
    cb = load_codebook(data_dir)
    w = messages.words("figures.audit", lang)
    groups = list(cb.vocabulary("participant_group").codes)
    activities = list(cb.vocabulary("activity_type").codes)
    studies = (
        ev[["study_id", "participant_group", "activity_type"]]
        .drop_duplicates()
        .assign(
            g=lambda d: d["participant_group"].map({g: i for i, g in enumerate(groups)}).fillna(len(groups)),
            a=lambda d: d["activity_type"].map({a: i for i, a in enumerate(activities)}).fillna(len(activities)),
        )
        .sort_values(["g", "a", "study_id"])
    )
    column = {s: i for i, s in enumerate(studies["study_id"])}
    hyps = load_hypotheses(data_dir).sort_values("hypothesis")
    row = {int(h): i for i, h in enumerate(hyps["hypothesis"])}
    fig, ax = plt.subplots(figsize=(max(9.0, 0.24 * len(column) + 5.5), 7.4))
    # One collection per colour rather than one artist per dot or cell: the same picture, drawn several times faster.
    for direction, colour in DIRECTION_COLOURS.items():
        mine = ev[ev["direction"] == direction]
        if len(mine):
            ax.scatter(
                mine["study_id"].map(column),
                mine["hypothesis"].astype(int).map(row),
                s=46,
                color=colour,
                zorder=3,
                edgecolors="white",
                linewidths=0.5,
            )
    for strip, (field, colours) in enumerate(
        (("participant_group", GROUP_COLOURS), ("activity_type", ACTIVITY_COLOURS))
    ):
        y = -1.0 - strip * 0.75
        cells = [
            (
                Rectangle((column[r.study_id] - 0.45, y - 0.3), 0.9, 0.6),
                colours.get(code, UNKNOWN_COLOUR) if isinstance(code := getattr(r, field), str) else UNKNOWN_COLOUR,
            )
            for r in studies.itertuples(index=False)
        ]
        ax.add_collection(
            PatchCollection([c for c, _ in cells], facecolors=[f for _, f in cells], edgecolors="none", zorder=2)
        )
        ax.text(-0.9, y, cb.column_label("studies", field, lang), ha="right", va="center", fontsize=8.5)
    ax.set_xticks(range(len(column)), [str(s) for s in column], rotation=90, fontsize=7.5)
    labels = hyps[f"label_{lang}"].astype(str)
    ax.set_yticks(
        range(len(row)),
        [f"H{h}  " + "\n      ".join(textwrap.wrap(t, 38)) for h, t in zip(hyps["hypothesis"], labels)],
        fontsize=8,
    )
    ax.set_xlim(-0.8, len(column) - 0.2)
    ax.set_ylim(len(row) - 0.4, -1.95)
    ax.set_xlabel(w["study"])
    ax.grid(True, color="#eeeeee", zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=c, label=cb.label("direction", d, lang))
        for d, c in DIRECTION_COLOURS.items()
    ]
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
    from ..audit import traceability

    cb = load_codebook(data_dir)
    w = messages.words("figures.audit", lang)
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
        ax.text(
            t["reported"].max() + 3.5,
            idx - 0.1,
            cb.label("factor_category", t.loc[idx, "category"], lang),
            ha="right",
            va="top",
            fontsize=8.5,
            style="italic",
            color="#555555",
        )
    ax.set_xlim(0, t["reported"].max() + 4)
    ax.set_xlabel(w["n"])
    ax.legend(loc="lower right", fontsize=8.5, frameon=False)
    ax.set_title("\n".join(textwrap.wrap(w["trace_title"], 60)))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig
