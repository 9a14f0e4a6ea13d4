"""The ledger's checks of what the review found: factors, effects and pathways (Bijlage E), hypotheses
(Bijlage F), the counts stated in the text, and the numbers the figures draw (:func:`peerlearn.drawn.drawn_numbers`,
computed from the tables: no figure is drawn). Each collector adds the published numbers of its table and their
verdicts to the ledger (``led.add``, see :mod:`.ledger`).
"""

from __future__ import annotations

from ..corpus import (
    load_domain_effects,
    load_factors,
    load_hypotheses,
    load_pathways,
    load_prose_counts,
)
from ..messages import text
from ..synthesis import cited_studies
from ..tables import FACTOR_TABLES, PATHWAY_TABLES, factor_table_id, pathway_table_id, published_total
from .rules import (
    CONSISTENT,
    INCONSISTENT,
    Finding,
    both,
    rule_bounds,
    rule_equal,
    rule_items_vs_studies,
    rule_prose,
    rule_study_total,
    rule_sum,
    rule_traceability,
)
from .traceability import TRACED_IN


def _check_counts_table(
    led,
    table,
    key,
    rows,
    measure,
    published_total,
    total_studies,
    cited,
    source,
    total_key="total",
    ceiling=None,
    unit="findings",
):
    """Rows of a count table (factors, domain effects): items vs studies, traceability against ``cited``
    (code -> cited studies), totals."""
    for r in rows.itertuples(index=False):
        code = getattr(r, key)
        n_items, n_studies = int(getattr(r, measure)), int(r.n_studies)
        led.add(
            table,
            code,
            measure,
            measure,
            n_items,
            "items_vs_studies",
            rule_items_vs_studies(n_items, n_studies, unit),
            source,
        )
        led.add(
            table,
            code,
            "n_studies",
            "n_studies",
            n_studies,
            "traceability",
            rule_traceability(len(cited.get(code, [])), n_studies),
            source,
        )
    if published_total is not None:
        led.add(
            table,
            total_key,
            measure,
            measure,
            published_total[0],
            "rows_vs_total",
            rule_sum(rows[measure], published_total[0]),
            published_total[1],
        )
    if total_studies is not None:
        led.add(
            table,
            total_key,
            "n_studies",
            "n_studies",
            total_studies[0],
            "study_total_bounds",
            rule_study_total(rows["n_studies"], total_studies[0], ceiling),
            total_studies[1],
        )


def check_factors(led, data_dir, totals, n_review):
    factors = load_factors(data_dir).astype({"category": str, "subcategory": str})
    cited = cited_studies("factor_subcategory", TRACED_IN["factor_subcategory"], data_dir)
    for category, number in FACTOR_TABLES.items():
        rows = factors[factors["category"] == category]
        table = factor_table_id(category)
        _check_counts_table(
            led,
            table,
            "subcategory",
            rows,
            "n_factors",
            published_total(totals, "factors", category, "n_factors"),
            published_total(totals, "factors", category, "n_studies"),
            cited,
            f"Bijlage E Tabel {number}",
            ceiling=n_review,
            unit="factors",
        )
        studies = sorted({s for sub in rows["subcategory"] for s in cited.get(sub, [])})
        reported, source = published_total(totals, "factors", category, "n_studies")
        led.add(
            table,
            "total",
            "n_studies",
            "n_studies",
            reported,
            "traceability",
            rule_traceability(len(studies), int(reported)),
            source,
        )


def check_domain_effects(led, data_dir, totals, n_review):
    rows = load_domain_effects(data_dir).astype({"domain": str})
    cited = cited_studies("domain", TRACED_IN["domain"], data_dir)
    _check_counts_table(
        led,
        "tabel_5_domain_effects",
        "domain",
        rows,
        "n_effects",
        published_total(totals, "domain_effects", "all", "n_effects"),
        published_total(totals, "domain_effects", "all", "n_studies"),
        cited,
        "Bijlage E Tabel 5",
        ceiling=n_review,
        unit="effects",
    )


def check_pathways(led, data_dir, totals, n_review):
    pathways = load_pathways(data_dir).astype({"from_domain": str, "mechanism": str, "to_domain": str})
    cited = cited_studies("pathway", "effects", data_dir)
    for from_domain, number in PATHWAY_TABLES.items():
        table, source = pathway_table_id(from_domain), f"Bijlage E Tabel {number}"
        rows = pathways[pathways["from_domain"] == from_domain].copy()
        rows["key"] = rows["mechanism"] + ":" + rows["to_domain"]
        codes = {
            f"{m}:{t}": len(cited.get(f"{from_domain}>{m}>{t}", []))
            for m, t in zip(rows["mechanism"], rows["to_domain"])
        }
        for r in rows.itertuples(index=False):
            led.add(
                table,
                r.key,
                "n_effects",
                "n_effects",
                r.n_effects,
                "items_vs_studies",
                rule_items_vs_studies(int(r.n_effects), int(r.n_studies), "effects"),
                source,
            )
            if codes[r.key]:
                led.add(
                    table,
                    r.key,
                    "n_studies",
                    "n_studies",
                    r.n_studies,
                    "traceability",
                    rule_traceability(codes[r.key], int(r.n_studies)),
                    source,
                )
            else:
                led.add(
                    table,
                    r.key,
                    "n_studies",
                    "n_studies",
                    r.n_studies,
                    "items_vs_studies",
                    rule_bounds(
                        int(r.n_studies),
                        1 if r.n_effects else 0,
                        int(r.n_effects),
                        *both("audit.bound.one_study_per_effect"),
                    ),
                    source,
                )
        subtotals = []
        for mechanism in ("reflection", "enactment"):
            part = rows[rows["mechanism"] == mechanism]
            n_eff, n_st = (
                published_total(totals, "pathways", from_domain, m, mechanism) for m in ("n_effects", "n_studies")
            )
            led.add(
                table,
                f"{mechanism}:total",
                "n_effects",
                "n_effects",
                n_eff[0],
                "rows_vs_total",
                rule_sum(part["n_effects"], n_eff[0]),
                n_eff[1],
            )
            led.add(
                table,
                f"{mechanism}:total",
                "n_studies",
                "n_studies",
                n_st[0],
                "study_total_bounds",
                rule_study_total(part["n_studies"], n_st[0], n_review),
                n_st[1],
            )
            subtotals.append(int(n_st[0]))
        n_eff, n_st = (published_total(totals, "pathways", from_domain, m, "all") for m in ("n_effects", "n_studies"))
        led.add(
            table,
            "all:total",
            "n_effects",
            "n_effects",
            n_eff[0],
            "rows_vs_total",
            rule_sum(rows["n_effects"], n_eff[0]),
            n_eff[1],
        )
        led.add(
            table,
            "all:total",
            "n_studies",
            "n_studies",
            n_st[0],
            "study_total_bounds",
            rule_study_total(subtotals, n_st[0], n_review),
            n_st[1],
        )


def check_hypotheses(led, data_dir, n_review):
    cited = cited_studies("hypothesis", TRACED_IN["hypothesis"], data_dir)
    for r in load_hypotheses(data_dir).itertuples(index=False):
        n = int(r.n_studies)
        led.add(
            "bijlage_f_hypotheses",
            f"H{r.hypothesis}",
            "n_studies",
            "n_studies",
            n,
            "traceability",
            rule_traceability(len(cited.get(f"H{r.hypothesis}", [])), n),
            "Bijlage F",
        )
        led.add(
            "bijlage_f_hypotheses",
            f"H{r.hypothesis}",
            "n_studies",
            "n_studies",
            n,
            "part_vs_whole",
            rule_bounds(n, 0, n_review, *both("audit.bound.studies_in_review")),
            "Bijlage F",
        )


def check_prose(led, data_dir):
    prose = load_prose_counts(data_dir).astype({"chapter": str, "code_kind": str, "code": str, "scope": str})
    factors = load_factors(data_dir).astype({"category": str, "subcategory": str}).set_index("subcategory")
    domains = load_domain_effects(data_dir).astype({"domain": str}).set_index("domain")
    hyps = load_hypotheses(data_dir).set_index("hypothesis")
    cited_by = {}  # (kind, chapter) -> code -> cited studies, each grouping done once
    for r in prose.itertuples(index=False):
        if r.code_kind == "factor_subcategory":
            category = str(factors.loc[r.code, "category"])
            table_value, item = int(factors.loc[r.code, "n_studies"]), factor_table_id(category)
        elif r.code_kind == "domain":
            table_value, item = int(domains.loc[r.code, "n_studies"]), "tabel_5_domain_effects"
        else:
            table_value, item = int(hyps.loc[int(r.code.lstrip("H")), "n_studies"]), "bijlage_f_hypotheses"
        source = f"line {r.source_line}: '{r.printed}'"
        f = rule_prose(int(r.n_studies), table_value, r.scope)
        led.add(
            "prose_counts",
            r.count_id,
            r.code,
            "n_studies",
            r.n_studies,
            "prose_vs_table",
            Finding(f.status, f.en + f" [{item}]", f.nl + f" [{item}]", f.recomputed, f.lower, f.upper),
            source,
        )
        if r.scope == "whole":
            if (r.code_kind, r.chapter) not in cited_by:
                cited_by[(r.code_kind, r.chapter)] = cited_studies(r.code_kind, r.chapter, data_dir)
            cited = cited_by[(r.code_kind, r.chapter)].get(r.code, [])
            led.add(
                "prose_counts",
                r.count_id,
                r.code,
                "n_studies",
                r.n_studies,
                "prose_vs_citations",
                rule_equal(
                    int(r.n_studies), len(cited), *both("audit.ledger.cited_for_it", studies=", ".join(map(str, cited)))
                ),
                source,
            )


def check_figures(led, data_dir):
    """Compare every number the pathway/model figures draw (:func:`peerlearn.drawn.drawn_numbers`, computed
    without drawing) with the table it comes from."""
    from ..drawn import drawn_numbers

    effects = load_domain_effects(data_dir).astype({"domain": str}).set_index("domain")
    pathways = load_pathways(data_dir).astype({"from_domain": str, "mechanism": str, "to_domain": str})
    for item, drawn in drawn_numbers(data_dir).items():
        for gid, numbers in sorted(drawn.items()):
            kind, *key = gid.split("__")
            if kind == "node":
                row = effects.loc[key[0]]
                expected, row_code, src = (int(row.n_effects), int(row.n_studies)), key[0], "Bijlage E Tabel 5"
            else:
                u, m, v = key
                r = pathways[(pathways.from_domain == u) & (pathways.mechanism == m) & (pathways.to_domain == v)].iloc[
                    0
                ]
                expected = (int(r.n_effects), int(r.n_studies)) if r.n_effects else (0,)
                row_code, src = f"{u}:{m}:{v}", str(r.source)
            status = CONSISTENT if tuple(numbers) == expected else INCONSISTENT
            en, nl = (
                text(
                    "audit.ledger.figure_shows",
                    lang,
                    expected=" / ".join(map(str, expected)),
                    shown=" / ".join(map(str, numbers)) or text("audit.ledger.figure_shows_nothing", lang),
                )
                for lang in ("en", "nl")
            )
            led.add(item, row_code, "label", "n_effects", expected[0], "figure_vs_table", Finding(status, en, nl), src)
    # the report's own claim about Figuur 2: Denken does not reach the domain of consequence
    r = pathways[
        (pathways.from_domain == "external_intervention")
        & (pathways.mechanism == "reflection")
        & (pathways.to_domain == "consequence")
    ].iloc[0]
    led.add(
        "figuur_2_denken",
        "external_intervention:reflection:consequence",
        "text",
        "n_effects",
        0,
        "figure_vs_table",
        rule_equal(0, int(r.n_effects), *both("audit.ledger.denken_not_in_consequence")),
        "Effecten, deel 2 (bij Figuur 2 en 3)",
    )
