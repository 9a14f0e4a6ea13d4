"""Audit of the report: every published number checked against what the data implies.

One job per module: :mod:`.rules` (pure checks on plain numbers), :mod:`.ledger` (the ledger of published numbers),
:mod:`.checks_studies` and :mod:`.checks_results` (the rules applied to the corpus, table by table),
:mod:`.traceability` (which reported studies the text cites) and :mod:`.text` (what a reader and ``peerlearn audit``
see). The names below are what the rest of peerlearn uses.
"""

from __future__ import annotations

from .ledger import FIGURE_TABLES, ledger, numbers
from .rules import INCONSISTENT, STATUSES, fmt
from .text import counts, headline, report_lines, summary, summary_view, view
from .traceability import evidence_map, never_cited, traceability, traceability_ratio

__all__ = [
    "FIGURE_TABLES",
    "INCONSISTENT",
    "STATUSES",
    "counts",
    "evidence_map",
    "fmt",
    "headline",
    "ledger",
    "never_cited",
    "numbers",
    "report_lines",
    "summary",
    "summary_view",
    "traceability",
    "traceability_ratio",
    "view",
]
