"""The report's tables and figures (peerlearn.report.ITEMS), for parametrize."""

from __future__ import annotations

from peerlearn import report

TABLES = [i for i in report.ITEMS.values() if i.kind == "table"]
FIGURES = [i for i in report.ITEMS.values() if i.kind == "figure"]
