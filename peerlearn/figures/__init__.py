"""Figures of the report, drawn from the data with fixed layouts and saved byte-identically.

Figuur 1 is Clarke & Hollingsworth's (2002) Interconnected Model (enactment solid, reflection dashed);
``figure_model_evidence`` lays the pathways found (Tabel 6-10) and the effects per domain (Tabel 5) over it;
Figuur 2 and 3 the pathways from the intervention-related external domain via Denken (reflection) and Doen
(enactment); ``figure_network`` all pathways of Tabel 6-10. Node positions are data
(:data:`peerlearn.graph.DOMAIN_POSITIONS`); every number these figures draw comes from :mod:`peerlearn.drawn`.

One module per job: :mod:`.theme` (style and saving), :mod:`.diagram` (boxes, arrows and labels the model and
pathway figures share), :mod:`.model` (Figuur 1), :mod:`.pathways` (Figuur 2, 3 and the network), :mod:`.charts`
(the audit's charts), :mod:`.flow` (the selection flow) and :mod:`.labels` (what the figures draw, read back).
"""

from __future__ import annotations

from .charts import figure_evidence_map, figure_traceability
from .flow import figure_selection_flow
from .labels import FIGURES_FROM_TABLES, figure_labels
from .model import figure_model, figure_model_evidence
from .pathways import figure_network, figure_pathways
from .theme import (
    MECHANISM_COLOURS,
    PROCESS_STYLES,
    RC,
    SEABORN_WHITE_NOTEBOOK,
    save_figure,
    show_saved,
    style,
    styled,
)

__all__ = [
    "FIGURES_FROM_TABLES",
    "MECHANISM_COLOURS",
    "PROCESS_STYLES",
    "RC",
    "SEABORN_WHITE_NOTEBOOK",
    "figure_evidence_map",
    "figure_labels",
    "figure_model",
    "figure_model_evidence",
    "figure_network",
    "figure_pathways",
    "figure_selection_flow",
    "figure_traceability",
    "save_figure",
    "show_saved",
    "style",
    "styled",
]
