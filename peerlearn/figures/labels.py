"""What the pathway figures actually draw, read back from their text labels: the reader that tests check
against :func:`peerlearn.drawn.drawn_numbers` (the numbers the figures are meant to draw)."""

from __future__ import annotations

import functools
import re

import matplotlib.pyplot as plt

from ..drawn import MODEL_EVIDENCE, NETWORK, PATHWAY_FIGURES
from .model import figure_model_evidence
from .pathways import figure_network, figure_pathways

FIGURES_FROM_TABLES = {  # report figure -> function drawing it (the figures whose numbers come from Bijlage E)
    MODEL_EVIDENCE: figure_model_evidence,
    **{item: functools.partial(figure_pathways, mechanism) for item, mechanism in PATHWAY_FIGURES.items()},
    NETWORK: figure_network,
}


def figure_labels(data_dir=None, lang: str = "nl") -> dict[str, dict[str, tuple[int, ...]]]:
    """The numbers each figure draws: figure id -> {label id -> numbers}, read from the figure's visible text labels
    (the same text that its SVG and PNG files show; reading the labels needs no rendering).

    Label ids are ``node__<domain>`` and ``edge__<from>__<mechanism>__<to>`` as in :mod:`peerlearn.drawn`."""
    from matplotlib.text import Text

    found = {}
    for item, draw in FIGURES_FROM_TABLES.items():
        fig = draw(lang=lang, data_dir=data_dir)
        found[item] = {
            t.get_gid(): tuple(int(n) for n in re.findall(r"\d+", t.get_text()))
            for t in fig.findobj(Text)
            if (t.get_gid() or "").startswith(("node__", "edge__")) and t.get_visible()
        }
        plt.close(fig)
    return found
