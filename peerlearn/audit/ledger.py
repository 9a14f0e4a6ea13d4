"""The ledger of published numbers: every number the report prints, with the rules applied to it.

:func:`ledger` has one row per published number and check:

``table``, ``row``, ``column``, ``measure``
    where the number is printed: the report item's id (as in :data:`peerlearn.report.ITEMS`, plus
    ``prose_counts`` and ``study_totals``), the row and column as codes from the codebook (composite rows
    are joined with ``:``) and what is counted (``n_studies``, ``n_factors``, ``n_effects``, ``n``, ``pct`` ...).
``published``
    the number as printed (empty where the report gives none, e.g. "duizenden").
``recomputed``
    what the data implies, where it pins one value (a sum, a percentage at the printed precision, a count
    of cited studies); empty otherwise.
``lower``, ``upper``
    the range the data allows, for checks that give bounds instead of a value.
``status``
    ``consistent``, ``inconsistent`` or ``not_derivable`` (nothing in the data can confirm or refute it).
``check``
    the rule that was applied (described in the message catalogue, ``audit.check.<check>``).
``likely_value``
    the most likely intended value of this number, where the data pins one down.
``explanation`` / ``explanation_nl``
    one line for a reviewer, in English / Dutch.

The collectors of :mod:`.checks_studies` and :mod:`.checks_results` apply the rules (:mod:`.rules`) to the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..codebook import ContentCache
from ..corpus import corpus_digest
from ..tables import published_total, published_totals
from .checks_results import (
    check_domain_effects,
    check_factors,
    check_figures,
    check_hypotheses,
    check_pathways,
    check_prose,
)
from .checks_studies import check_characteristic_values, check_characteristics, check_countries, check_study_totals
from .rules import CONSISTENT, INCONSISTENT, NOT_DERIVABLE, Finding

LEDGER_COLUMNS = [
    "table",
    "row",
    "column",
    "measure",
    "published",
    "recomputed",
    "lower",
    "upper",
    "status",
    "check",
    "likely_value",
    "explanation",
    "explanation_nl",
    "source",
]
FIGURE_TABLES = ("figuur_1_model", "figuur_1_model_evidence", "figuur_2_denken", "figuur_3_doen", "pathway_network")


@dataclass
class _Ledger:
    rows: list = field(default_factory=list)

    def add(self, table, row, column, measure, published, check, finding: Finding, source=""):
        self.rows.append(
            {
                "table": table,
                "row": row,
                "column": column,
                "measure": measure,
                "published": None if published is None or pd.isna(published) else float(published),
                "recomputed": finding.recomputed,
                "lower": finding.lower,
                "upper": finding.upper,
                "status": finding.status,
                "check": check,
                "likely_value": finding.likely_value,
                "explanation": finding.en,
                "explanation_nl": finding.nl,
                "source": source,
            }
        )


_LEDGERS = ContentCache(16)  # figures or not, and the digest of the whole corpus -> ledger


def ledger(data_dir=None, figures: bool = True) -> pd.DataFrame:
    """Every published number with the checks applied to it (see the module docstring for the columns);
    ``figures=False`` leaves out the numbers the figures draw. Built once per content of the corpus in a process,
    wherever it lies (the audit, its findings and a notebook may all ask for it); each call gets a copy."""
    return _LEDGERS.get(figures, corpus_digest(data_dir), lambda: _build(data_dir, figures)).copy()


def _build(data_dir, figures: bool) -> pd.DataFrame:
    led = _Ledger()
    totals = published_totals(data_dir)
    n_review = int(published_total(totals, "characteristics", "total", "n_studies")[0])
    check_study_totals(led, data_dir, totals)
    check_characteristics(led, data_dir, totals)
    check_characteristic_values(led, data_dir, totals)
    check_countries(led, data_dir, totals)
    check_factors(led, data_dir, totals, n_review)
    check_domain_effects(led, data_dir, totals, n_review)
    check_pathways(led, data_dir, totals, n_review)
    check_hypotheses(led, data_dir, n_review)
    check_prose(led, data_dir)
    if figures:
        check_figures(led, data_dir)
    out = pd.DataFrame(led.rows, columns=LEDGER_COLUMNS)
    for col in ("published", "recomputed", "lower", "upper", "likely_value"):
        out[col] = out[col].astype("Float64")
    return out


def numbers(led: pd.DataFrame) -> pd.DataFrame:
    """One row per published number (table, row, column, measure) with its overall status: inconsistent if any
    check says so, else consistent if any check confirms it, else not derivable. ``check`` lists every rule
    applied. The sums of a characteristic's levels are checked against the group's N, so they count under the
    header number (row ``studies``)."""
    keys = ["table", "row", "column", "measure"]
    led = led.copy()
    sums = led["check"] == "levels_vs_group_size"
    led.loc[sums, "row"] = "studies"
    rank = {INCONSISTENT: 0, CONSISTENT: 1, NOT_DERIVABLE: 2}
    first = (
        led.assign(_rank=led["status"].map(rank)).sort_values("_rank", kind="stable").groupby(keys, sort=False).head(1)
    )
    checks = led.groupby(keys, sort=False)["check"].agg(lambda s: "+".join(dict.fromkeys(s))).reset_index()
    order = led[keys].drop_duplicates()
    out = order.merge(first.drop(columns=["check", "_rank"]), on=keys).merge(checks, on=keys)
    return out[LEDGER_COLUMNS].reset_index(drop=True)
