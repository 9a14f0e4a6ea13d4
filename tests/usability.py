"""What "usable" means for a corpus that validates: every command's work runs through without an exception.

``use`` runs, as library calls (the commands' own code, without the processes), the audit and its findings in
every format, every export format, the walkthrough's page for every hypothesis and every table of the reproduced
report (``figures=True`` also draws every figure).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from peerlearn import audit, citations, export, findings, report, synthesis, walkthrough
from peerlearn.corpus import load_hypotheses


def use(data_dir, figures: bool = False, langs=("en",)) -> None:
    led = audit.ledger(data_dir)
    found = findings.findings(data_dir, led)
    for lang in langs:
        audit.report_lines(data_dir, lang, led)
        for fmt in findings.FORMATS:
            findings.render(found, fmt, lang)
    citations.bibtex(data_dir)
    citations.csl_json(data_dir)
    export.workbook_bytes(data_dir)
    overview = synthesis.evidence_overview(data_dir)
    for h in load_hypotheses(data_dir)["hypothesis"]:
        ev = synthesis.hypothesis_evidence(int(h), data_dir)
        for lang in langs:
            walkthrough.page(ev, lang, data_dir)  # every section of the page, the overview table included
            walkthrough.overview_table(overview, ev, lang, data_dir)
    for item in report.ITEMS.values():
        if item.kind == "table":
            item.build(data_dir)
        elif figures:
            import matplotlib.pyplot as plt

            for lang in langs:
                item.build(lang, data_dir)
                plt.close("all")
