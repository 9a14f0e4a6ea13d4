"""Citation traceability: which of the studies a table reports the text cites by number, per code."""

from __future__ import annotations

import pandas as pd

from ..corpus import load_citations, load_domain_effects, load_factors, load_hypotheses, load_studies
from ..synthesis import CHAPTER, cited, cited_studies

# Which citations trace a row of a table with a studies column: code kind -> the chapter whose statements count.
TRACED_IN = {"factor_subcategory": "factors", "domain": "effects", "hypothesis": CHAPTER}


def traceability(data_dir=None) -> pd.DataFrame:
    """Per factor subcategory, domain (Tabel 5) and hypothesis: distinct studies cited for it in the text versus the
    studies the table reports. Columns: ``kind``, ``code``, ``category`` (factor category; the kind otherwise),
    ``cited``, ``reported``, ``ratio`` (cited / reported), ``studies`` (the cited study numbers, ``;``-separated)."""
    rows = []
    factors = load_factors(data_dir).astype({"category": str, "subcategory": str})
    studies = cited_studies("factor_subcategory", TRACED_IN["factor_subcategory"], data_dir)
    for r in factors.itertuples(index=False):
        rows.append(("factor_subcategory", r.subcategory, r.category, studies.get(r.subcategory, []), int(r.n_studies)))
    studies = cited_studies("domain", TRACED_IN["domain"], data_dir)
    for r in load_domain_effects(data_dir).astype({"domain": str}).itertuples(index=False):
        rows.append(("domain", r.domain, "domain", studies.get(r.domain, []), int(r.n_studies)))
    studies = cited_studies("hypothesis", TRACED_IN["hypothesis"], data_dir)
    for r in load_hypotheses(data_dir).itertuples(index=False):
        rows.append(
            ("hypothesis", f"H{r.hypothesis}", "hypothesis", studies.get(f"H{r.hypothesis}", []), int(r.n_studies))
        )
    out = pd.DataFrame(
        [
            {
                "kind": k,
                "code": c,
                "category": cat,
                "cited": len(s),
                "reported": rep,
                "ratio": round(len(s) / rep, 4) if rep else float("nan"),
                "studies": ";".join(map(str, s)),
            }
            for k, c, cat, s, rep in rows
        ]
    )
    return out.astype({"cited": "int64", "reported": "int64"})


def traceability_ratio(trace: pd.DataFrame) -> float:
    """Overall traceability: all cited study counts over all reported study counts (each code counted once)."""
    return round(float(trace["cited"].sum() / trace["reported"].sum()), 4)


def never_cited(data_dir=None) -> list[int]:
    """Study numbers that no statement in the body text cites."""
    cited_ids = set(load_citations(data_dir)["study_id"].astype(int))
    return [int(s) for s in load_studies(data_dir)["study_id"] if int(s) not in cited_ids]


def evidence_map(data_dir=None) -> pd.DataFrame:
    """Hypotheses x studies from the citations in the chapter Realist synthesis: one row per (hypothesis, study) with
    the direction of the evidence (``mixed`` when one study is cited both ways) and the study's ``participant_group``
    and ``activity_type`` (<NA> when unknown). Built on :func:`peerlearn.synthesis.cited`."""
    c = cited(code_kind="hypothesis", chapter=CHAPTER, data_dir=data_dir).astype(
        {"code": str, "direction": str, "participant_group": "object", "activity_type": "object"}
    )
    c = c.assign(hypothesis=c["code"].str.lstrip("H").astype(int))
    out = (
        c.groupby(["hypothesis", "study_id"], sort=True)
        .agg(
            direction=("direction", lambda s: s.iloc[0] if s.nunique() == 1 else "mixed"),
            participant_group=("participant_group", "first"),
            activity_type=("activity_type", "first"),
        )
        .reset_index()
    )
    return out.astype({"study_id": "int64", "hypothesis": "int64"})
