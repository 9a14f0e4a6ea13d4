"""The ledger's checks of what the review found: factors, effects and pathways (Bijlage E), hypotheses
(Bijlage F), the counts stated in the text, and the numbers the figures draw (:func:`peerlearn.drawn.drawn_numbers`,
computed from the tables: no figure is drawn). Each collector adds the published numbers of its table and their
verdicts to the ledger (``led.add``, see :mod:`.ledger`).
"""

from __future__ import annotations

from ..corpus import load_domain_effects, load_factors, load_hypotheses, load_pathways, load_prose_counts
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


def _check_counts_table(led, table, key, rows, measure, totals, scope, cited, source, ceiling, unit):
    """Rows of a count table (factors, domain effects): items vs studies, traceability against ``cited``
    (code -> cited studies), and the printed totals of ``scope`` in ``totals``' table."""
    for r in rows.itertuples(index=False):
        code = getattr(r, key)
        n_items, n_studies = int(getattr(r, measure)), int(r.n_studies)
        f = rule_items_vs_studies(n_items, n_studies, unit)
        led.add(table, code, measure, measure, n_items, "items_vs_studies", f, source)
        f = rule_traceability(len(cited.get(code, [])), n_studies)
        led.add(table, code, "n_studies", "n_studies", n_studies, "traceability", f, source)
    published, where = published_total(*totals, scope, measure)
    led.add(table, "total", measure, measure, published, "rows_vs_total", rule_sum(rows[measure], published), where)
    published, where = published_total(*totals, scope, "n_studies")
    f = rule_study_total(rows["n_studies"], published, ceiling)
    led.add(table, "total", "n_studies", "n_studies", published, "study_total_bounds", f, where)


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
            (totals, "factors"),
            category,
            cited,
            f"Bijlage E Tabel {number}",
            n_review,
            "factors",
        )
        studies = sorted({s for sub in rows["subcategory"] for s in cited.get(sub, [])})
        reported, source = published_total(totals, "factors", category, "n_studies")
        f = rule_traceability(len(studies), int(reported))
        led.add(table, "total", "n_studies", "n_studies", reported, "traceability", f, source)


def check_domain_effects(led, data_dir, totals, n_review):
    rows = load_domain_effects(data_dir).astype({"domain": str})
    cited = cited_studies("domain", TRACED_IN["domain"], data_dir)
    _check_counts_table(
        led,
        "tabel_5_domain_effects",
        "domain",
        rows,
        "n_effects",
        (totals, "domain_effects"),
        "all",
        cited,
        "Bijlage E Tabel 5",
        n_review,
        "effects",
    )


def check_pathways(led, data_dir, totals, n_review):
    pathways = load_pathways(data_dir).astype({"from_domain": str, "mechanism": str, "to_domain": str})
    cited = cited_studies("pathway", "effects", data_dir)
    for from_domain, number in PATHWAY_TABLES.items():
        table, source = pathway_table_id(from_domain), f"Bijlage E Tabel {number}"
        rows = pathways[pathways["from_domain"] == from_domain].copy()
        rows["key"] = rows["mechanism"] + ":" + rows["to_domain"]
        for r in rows.itertuples(index=False):
            n_effects, n_studies = int(r.n_effects), int(r.n_studies)
            f = rule_items_vs_studies(n_effects, n_studies, "effects")
            led.add(table, r.key, "n_effects", "n_effects", r.n_effects, "items_vs_studies", f, source)
            n_cited = len(cited.get(f"{from_domain}>{r.mechanism}>{r.to_domain}", []))
            if n_cited:
                check, f = "traceability", rule_traceability(n_cited, n_studies)
            else:
                bound = both("audit.bound.one_study_per_effect")
                check, f = "items_vs_studies", rule_bounds(n_studies, 1 if r.n_effects else 0, n_effects, *bound)
            led.add(table, r.key, "n_studies", "n_studies", r.n_studies, check, f, source)
        subtotals = []
        for mechanism, part in [(m, rows[rows["mechanism"] == m]) for m in ("reflection", "enactment")] + [
            ("all", rows)
        ]:
            effects, where = published_total(totals, "pathways", from_domain, "n_effects", mechanism)
            f = rule_sum(part["n_effects"], effects)
            led.add(table, f"{mechanism}:total", "n_effects", "n_effects", effects, "rows_vs_total", f, where)
            studies, where = published_total(totals, "pathways", from_domain, "n_studies", mechanism)
            # the grand total lies between the largest and the sum of the two subtotals
            f = rule_study_total(subtotals if mechanism == "all" else part["n_studies"], studies, n_review)
            led.add(table, f"{mechanism}:total", "n_studies", "n_studies", studies, "study_total_bounds", f, where)
            subtotals.append(int(studies))


def check_hypotheses(led, data_dir, n_review):
    cited = cited_studies("hypothesis", TRACED_IN["hypothesis"], data_dir)
    for r in load_hypotheses(data_dir).itertuples(index=False):
        n, code = int(r.n_studies), f"H{r.hypothesis}"
        f = rule_traceability(len(cited.get(code, [])), n)
        led.add("bijlage_f_hypotheses", code, "n_studies", "n_studies", n, "traceability", f, "Bijlage F")
        f = rule_bounds(n, 0, n_review, *both("audit.bound.studies_in_review"))
        led.add("bijlage_f_hypotheses", code, "n_studies", "n_studies", n, "part_vs_whole", f, "Bijlage F")


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
        f = Finding(f.status, f.en + f" [{item}]", f.nl + f" [{item}]", f.recomputed, f.lower, f.upper)
        led.add("prose_counts", r.count_id, r.code, "n_studies", r.n_studies, "prose_vs_table", f, source)
        if r.scope == "whole":
            if (r.code_kind, r.chapter) not in cited_by:
                cited_by[(r.code_kind, r.chapter)] = cited_studies(r.code_kind, r.chapter, data_dir)
            cited = cited_by[(r.code_kind, r.chapter)].get(r.code, [])
            what = both("audit.ledger.cited_for_it", studies=", ".join(map(str, cited)))
            f = rule_equal(int(r.n_studies), len(cited), *what)
            led.add("prose_counts", r.count_id, r.code, "n_studies", r.n_studies, "prose_vs_citations", f, source)


def check_figures(led, data_dir):
    """Compare every number the pathway/model figures draw (:func:`peerlearn.drawn.drawn_numbers`, computed
    without drawing) with the table it comes from."""
    from ..drawn import drawn_numbers

    effects = load_domain_effects(data_dir).astype({"domain": str}).set_index("domain")
    pathways = load_pathways(data_dir).astype({"from_domain": str, "mechanism": str, "to_domain": str})
    pathways = pathways.set_index(["from_domain", "mechanism", "to_domain"]).sort_index()
    for item, drawn in drawn_numbers(data_dir).items():
        for gid, numbers in sorted(drawn.items()):
            kind, *key = gid.split("__")
            if kind == "node":
                row = effects.loc[key[0]]
                expected, row_code, src = (int(row.n_effects), int(row.n_studies)), key[0], "Bijlage E Tabel 5"
            else:
                r = pathways.loc[tuple(key)]
                expected = (int(r.n_effects), int(r.n_studies)) if r.n_effects else (0,)
                row_code, src = ":".join(key), str(r.source)
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
    route = ("external_intervention", "reflection", "consequence")
    f = rule_equal(0, int(pathways.loc[route].n_effects), *both("audit.ledger.denken_not_in_consequence"))
    led.add(
        "figuur_2_denken",
        ":".join(route),
        "text",
        "n_effects",
        0,
        "figure_vs_table",
        f,
        "Effecten, deel 2 (bij Figuur 2 en 3)",
    )
