"""What the audit shows a reader: the summary per table, the headline, the ledger titled for reading and the lines
``peerlearn audit`` prints (texts from the message catalogue, ``audit.*`` and ``columns.*``)."""

from __future__ import annotations

import pandas as pd

from ..corpus import load_studies
from ..messages import text
from ..reference_audit import reference_line
from ..tables import titled
from .ledger import FIGURE_TABLES, ledger, numbers
from .rules import INCONSISTENT, STATUSES
from .traceability import never_cited, traceability, traceability_ratio


def summary(led: pd.DataFrame) -> pd.DataFrame:
    """Published numbers per table and status, figure checks last, and a total row for the report's numbers."""
    per_number = numbers(led)
    table = pd.crosstab(per_number["table"], per_number["status"]).reindex(columns=list(STATUSES), fill_value=0)
    table = table.reindex(list(dict.fromkeys(per_number["table"])))
    report = table.drop(index=[t for t in FIGURE_TABLES if t in table.index])
    figures = table.loc[[t for t in FIGURE_TABLES if t in table.index]]
    report.loc["total"] = report.sum()
    table = pd.concat([report, figures])
    table.insert(0, "numbers", table.sum(axis=1))
    table.columns.name = None
    return table.reset_index().rename(columns={"index": "table"})


def counts(led: pd.DataFrame) -> dict:
    """What a ledger adds up to: published numbers checked and their status, checks run, figure labels checked and
    mismatched. ``led``: the ledger as :func:`ledger` builds it or as read back from its CSV."""
    per_number = numbers(led)
    in_figures = per_number["table"].isin(FIGURE_TABLES)
    by_status = per_number.loc[~in_figures, "status"].value_counts()
    return {
        "numbers": int((~in_figures).sum()),
        "checks": int((~led["table"].isin(FIGURE_TABLES)).sum()),
        **{s: int(by_status.get(s, 0)) for s in STATUSES},
        "figure_numbers": int(in_figures.sum()),
        "figure_mismatches": int((per_number.loc[in_figures, "status"] == INCONSISTENT).sum()),
    }


def headline(data_dir=None, led: pd.DataFrame | None = None) -> dict:
    """The headline figures: :func:`counts` of the ledger, the overall traceability ratio and the number of
    studies never cited."""
    led = ledger(data_dir) if led is None else led
    return {
        **counts(led),
        "traceability_ratio": traceability_ratio(traceability(data_dir)),
        "never_cited": len(never_cited(data_dir)),
    }


def view(frame: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """Ledger rows for reading: where, the numbers, the rule and the explanation in one language, titled in it."""
    columns = ["table", "row", "column", "measure", "published", "recomputed", "likely_value", "check"]
    out = frame[columns].copy()
    out["explanation"] = frame["explanation_nl" if lang == "nl" else "explanation"]
    return titled(out.reset_index(drop=True), lang)


def summary_view(led: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """:func:`summary` with column titles in Dutch or English."""
    return titled(summary(led), lang)


def report_lines(data_dir=None, lang: str = "en", led: pd.DataFrame | None = None) -> list[str]:
    """The audit's headline as terminal lines: numbers checked, figures, traceability, references, and per table
    (the inconsistent numbers themselves are listed as findings: :mod:`peerlearn.findings`)."""
    led = ledger(data_dir) if led is None else led
    head = headline(data_dir, led)
    lines = [
        text("audit.head", lang, **head),
        text("audit.figures", lang, **head),
        text(
            "audit.trace",
            lang,
            pct=f"{head['traceability_ratio']:.1%}",
            never_cited=head["never_cited"],
            n_studies=len(load_studies(data_dir)),
        ),
        reference_line(data_dir, lang),
        "",
        text("audit.per_table", lang),
    ]
    summ = summary(led)
    width = max(len(x) for x in summ["table"])
    for r in summ.itertuples(index=False):
        lines.append(f"  {r.table:<{width}}  {r.numbers:>4} {r.consistent:>4} {r.inconsistent:>4} {r.not_derivable:>4}")
    return lines
