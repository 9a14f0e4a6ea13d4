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

The ``_check_*`` collectors apply the rules (:mod:`.rules`) to the corpus; the figures are checked through the
numbers they draw (:func:`peerlearn.drawn.drawn_numbers`), never by drawing them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..messages import text
from ..corpus import (load_characteristic_values, load_characteristics, load_countries, load_domain_effects,
                      load_factors, load_hypotheses, load_pathways, load_prose_counts, load_selection_flow,
                      load_studies)
from ..synthesis import CHAPTER, cited_studies
from ..tables import (FACTOR_TABLES, GROUPS, PATHWAY_TABLES, factor_table_id, pathway_table_id, published_total,
                      published_totals)
from .rules import (CONSISTENT, INCONSISTENT, NOT_DERIVABLE, Finding, both, fmt, rule_bounds,
                    rule_count_vs_percentage, rule_equal, rule_items_vs_studies, rule_percentage, rule_prose, rule_study_total,
                    rule_sum, rule_traceability)

LEDGER_COLUMNS = ["table", "row", "column", "measure", "published", "recomputed", "lower", "upper", "status", "check",
                  "likely_value", "explanation", "explanation_nl", "source"]
FIGURE_TABLES = ("figuur_1_model", "figuur_1_model_evidence", "figuur_2_denken", "figuur_3_doen", "pathway_network")
# Which citations trace a row of a table with a studies column: code kind -> the chapter whose statements count.
TRACED_IN = {"factor_subcategory": "factors", "domain": "effects", "hypothesis": CHAPTER}


@dataclass
class _Ledger:
    rows: list = field(default_factory=list)

    def add(self, table, row, column, measure, published, check, finding: Finding, source=""):
        self.rows.append({"table": table, "row": row, "column": column, "measure": measure,
                          "published": None if published is None or pd.isna(published) else float(published),
                          "recomputed": finding.recomputed, "lower": finding.lower, "upper": finding.upper,
                          "status": finding.status, "check": check, "likely_value": finding.likely_value,
                          "explanation": finding.en, "explanation_nl": finding.nl, "source": source})


def _said(status: str, message: str, **fields) -> Finding:
    return Finding(status, *both(message, **fields))


def _check_counts_table(led, table, key, rows, measure, published_total, total_studies, cited, source, total_key="total",
                        ceiling=None, unit="findings"):
    """Rows of a count table (factors, domain effects): items vs studies, traceability against ``cited``
    (code -> cited studies), totals."""
    for r in rows.itertuples(index=False):
        code = getattr(r, key)
        n_items, n_studies = int(getattr(r, measure)), int(r.n_studies)
        led.add(table, code, measure, measure, n_items, "items_vs_studies", rule_items_vs_studies(n_items, n_studies, unit), source)
        led.add(table, code, "n_studies", "n_studies", n_studies, "traceability",
                rule_traceability(len(cited.get(code, [])), n_studies), source)
    if published_total is not None:
        led.add(table, total_key, measure, measure, published_total[0], "rows_vs_total",
                rule_sum(rows[measure], published_total[0]), published_total[1])
    if total_studies is not None:
        led.add(table, total_key, "n_studies", "n_studies", total_studies[0], "study_total_bounds",
                rule_study_total(rows["n_studies"], total_studies[0], ceiling), total_studies[1])


def _check_factors(led, data_dir, totals, n_review):
    factors = load_factors(data_dir).astype({"category": str, "subcategory": str})
    cited = cited_studies("factor_subcategory", TRACED_IN["factor_subcategory"], data_dir)
    for category, number in FACTOR_TABLES.items():
        rows = factors[factors["category"] == category]
        table = factor_table_id(category)
        _check_counts_table(led, table, "subcategory", rows, "n_factors", published_total(totals, "factors", category, "n_factors"),
                            published_total(totals, "factors", category, "n_studies"), cited, f"Bijlage E Tabel {number}",
                            ceiling=n_review, unit="factors")
        studies = sorted({s for sub in rows["subcategory"] for s in cited.get(sub, [])})
        reported, source = published_total(totals, "factors", category, "n_studies")
        led.add(table, "total", "n_studies", "n_studies", reported, "traceability", rule_traceability(len(studies), int(reported)), source)


def _check_domain_effects(led, data_dir, totals, n_review):
    rows = load_domain_effects(data_dir).astype({"domain": str})
    cited = cited_studies("domain", TRACED_IN["domain"], data_dir)
    _check_counts_table(led, "tabel_5_domain_effects", "domain", rows, "n_effects",
                        published_total(totals, "domain_effects", "all", "n_effects"),
                        published_total(totals, "domain_effects", "all", "n_studies"), cited, "Bijlage E Tabel 5",
                        ceiling=n_review, unit="effects")


def _check_pathways(led, data_dir, totals, n_review):
    pathways = load_pathways(data_dir).astype({"from_domain": str, "mechanism": str, "to_domain": str})
    cited = cited_studies("pathway", "effects", data_dir)
    for from_domain, number in PATHWAY_TABLES.items():
        table, source = pathway_table_id(from_domain), f"Bijlage E Tabel {number}"
        rows = pathways[pathways["from_domain"] == from_domain].copy()
        rows["key"] = rows["mechanism"] + ":" + rows["to_domain"]
        codes = {f"{m}:{t}": len(cited.get(f"{from_domain}>{m}>{t}", [])) for m, t in zip(rows["mechanism"], rows["to_domain"])}
        for r in rows.itertuples(index=False):
            led.add(table, r.key, "n_effects", "n_effects", r.n_effects, "items_vs_studies",
                    rule_items_vs_studies(int(r.n_effects), int(r.n_studies), "effects"), source)
            if codes[r.key]:
                led.add(table, r.key, "n_studies", "n_studies", r.n_studies, "traceability", rule_traceability(codes[r.key], int(r.n_studies)), source)
            else:
                led.add(table, r.key, "n_studies", "n_studies", r.n_studies, "items_vs_studies",
                        rule_bounds(int(r.n_studies), 1 if r.n_effects else 0, int(r.n_effects),
                                    *both("audit.bound.one_study_per_effect")), source)
        subtotals = []
        for mechanism in ("reflection", "enactment"):
            part = rows[rows["mechanism"] == mechanism]
            n_eff, n_st = (published_total(totals, "pathways", from_domain, m, mechanism) for m in ("n_effects", "n_studies"))
            led.add(table, f"{mechanism}:total", "n_effects", "n_effects", n_eff[0], "rows_vs_total", rule_sum(part["n_effects"], n_eff[0]), n_eff[1])
            led.add(table, f"{mechanism}:total", "n_studies", "n_studies", n_st[0], "study_total_bounds",
                    rule_study_total(part["n_studies"], n_st[0], n_review), n_st[1])
            subtotals.append(int(n_st[0]))
        n_eff, n_st = (published_total(totals, "pathways", from_domain, m, "all") for m in ("n_effects", "n_studies"))
        led.add(table, "all:total", "n_effects", "n_effects", n_eff[0], "rows_vs_total", rule_sum(rows["n_effects"], n_eff[0]), n_eff[1])
        led.add(table, "all:total", "n_studies", "n_studies", n_st[0], "study_total_bounds", rule_study_total(subtotals, n_st[0], n_review), n_st[1])


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if float(value).is_integer() else len(text.split(".")[1])


def _check_characteristics(led, data_dir, totals):
    table, source = "bijlage_d1_characteristics", "Bijlage D deel 1"
    chars = load_characteristics(data_dir).astype({"characteristic": str, "level": str, "group": str})
    size = {g: published_total(totals, "characteristics", g, "n_studies") for g in (*GROUPS, "total")}
    n_review = int(size["total"][0])
    # the header: N per group, their sum and their percentages of the total
    led.add(table, "studies", "total", "n_studies", size["total"][0], "groups_vs_total",
            rule_sum([size[g][0] for g in GROUPS], size["total"][0]), size["total"][1])
    for g in GROUPS:
        pct = published_total(totals, "characteristics", g, "pct")
        if pct[0] is not None:
            led.add(table, "studies", g, "pct", pct[0], "percentage", rule_percentage(int(size[g][0]), n_review, pct[0], _decimals(pct[0])), pct[1])
    for (characteristic, level), cells in chars.groupby(["characteristic", "level"], sort=False):
        by_group = {r.group: r for r in cells.itertuples(index=False)}
        row = f"{characteristic}:{level}"
        group_sum = sum(int(by_group[g].n) for g in GROUPS if g in by_group)
        for g, r in by_group.items():
            base = int(size[g][0])
            if g == "total":
                f = rule_sum([by_group[x].n for x in GROUPS if x in by_group], int(r.n))
                corrected = [x for x in GROUPS if x in by_group and pd.notna(by_group[x].n_corrected)]
                fixed = sum(int(by_group[x].n_corrected) if x in corrected else int(by_group[x].n) for x in GROUPS if x in by_group)
                if corrected and f.status == INCONSISTENT and fixed == int(r.n):
                    en, nl = (text("audit.ledger.with_correction", lang, verdict=said, groups=", ".join(corrected), fixed=fixed)
                              for lang, said in (("en", f.en), ("nl", f.nl)))
                    f = Finding(f.status, en, nl, f.recomputed, f.lower, f.upper, f.likely_value)
                led.add(table, row, g, "n", r.n, "groups_vs_total", f, source)
            if pd.isna(r.pct):
                if g != "total":
                    led.add(table, row, g, "n", r.n, "stated_only", _said(NOT_DERIVABLE, "audit.ledger.no_percentage"), source)
                continue
            decimals = int(r.pct_decimals)
            row_total = (group_sum - int(r.n), int(by_group["total"].n)) if g != "total" and "total" in by_group else None
            led.add(table, row, g, "n", r.n, "count_vs_percentage", rule_count_vs_percentage(int(r.n), base, float(r.pct), decimals, row_total), source)
            led.add(table, row, g, "pct", r.pct, "percentage", rule_percentage(int(r.n), base, float(r.pct), decimals), source)
    for (characteristic, g), cells in chars.groupby(["characteristic", "group"], sort=False):
        f = rule_sum(cells["n"], size[g][0])
        led.add(table, f"{characteristic}:all_levels", g, "n_studies", size[g][0], "levels_vs_group_size",
                Finding(f.status, f"{characteristic}: {f.en}", f"{characteristic}: {f.nl}", f.recomputed), size[g][1])


UNIT_MINUTES = {"minutes": 1, "weeks": 7 * 24 * 60, "years": 365 * 24 * 60}


def _minutes(value_row) -> float:
    """A characteristic value in minutes (durations), or as it is (other units), so values compare across units."""
    return float(value_row.value) * UNIT_MINUTES.get(value_row.unit, 1)


def _check_characteristic_values(led, data_dir, totals):
    table, source = "bijlage_d1_characteristics", "Bijlage D deel 1"
    v = load_characteristic_values(data_dir).astype({"characteristic": str, "group": str, "quantity": str, "unit": str})
    size = {g: published_total(totals, "characteristics", g, "n_studies")[0] for g in (*GROUPS, "total")}
    get = {(r.characteristic, r.group, r.quantity): r for r in v.itertuples(index=False)}
    for r in v.itertuples(index=False):
        row = f"{r.characteristic}:{r.quantity}"
        parts = [get[(r.characteristic, g, r.quantity)] for g in GROUPS if (r.characteristic, g, r.quantity) in get]
        if r.group == "total" and r.quantity in ("total", "unknown_studies"):
            finding = rule_sum([p.value for p in parts], int(r.value))
            led.add(table, row, r.group, r.quantity, r.value, "groups_vs_total", finding, source)
        elif r.group == "total" and r.quantity in ("min", "max", "largest", "typical_min", "typical_max") and parts:
            values = [_minutes(p) for p in parts] + [_minutes(get[(r.characteristic, "both", "value")])] * ((r.characteristic, "both", "value") in get)
            want = min(values) if r.quantity in ("min", "typical_min") else max(values)
            if r.quantity.startswith("typical"):
                want = _minutes(parts[0]) if all(_minutes(p) == _minutes(parts[0]) for p in parts) else None
            if want is None:
                finding = _said(NOT_DERIVABLE, "audit.ledger.groups_differ")
            else:
                shown = f"{fmt(want / UNIT_MINUTES.get(r.unit, 1))} {r.unit}"
                finding = Finding(CONSISTENT if _minutes(r) == want else INCONSISTENT,
                                  *both("audit.ledger.over_the_groups", quantity=r.quantity, shown=shown),
                                  recomputed=want / UNIT_MINUTES.get(r.unit, 1))
            led.add(table, row, r.group, r.quantity, r.value, "range", finding, source)
        elif r.quantity in ("unknown_studies", "whole_group_cases"):
            led.add(table, row, r.group, r.quantity, r.value, "part_vs_whole",
                    rule_bounds(int(r.value), 0, int(size[r.group]), *both("audit.bound.studies_in_group")), source)
        elif r.group == "both" and r.quantity == "value" and (r.characteristic, "total", "min") in get:
            lo, hi = get[(r.characteristic, "total", "min")], get[(r.characteristic, "total", "max")]
            ok = rule_bounds(_minutes(r), _minutes(lo), _minutes(hi)).status
            said = dict(value=fmt(r.value), unit=r.unit)
            finding = (_said(ok, "audit.ledger.within_range", lower=fmt(lo.value), lower_unit=lo.unit, upper=fmt(hi.value),
                             upper_unit=hi.unit, **said)
                       if ok == CONSISTENT else _said(ok, "audit.ledger.outside_range", **said))
            led.add(table, row, r.group, r.quantity, r.value, "range", finding, source)
        elif r.group == "both" and r.quantity == "value" and (r.characteristic, "total", "largest") in get:
            hi = get[(r.characteristic, "total", "largest")]
            led.add(table, row, r.group, r.quantity, r.value, "range",
                    rule_bounds(float(r.value), 1, float(hi.value), *both("audit.bound.largest_group")), source)
        elif r.quantity == "largest" and (r.characteristic, r.group, "typical_max") in get:
            led.add(table, row, r.group, r.quantity, r.value, "range",
                    rule_bounds(float(r.value), float(get[(r.characteristic, r.group, "typical_max")].value), None,
                                *both("audit.bound.usual_group_size")), source)
        else:
            led.add(table, row, r.group, r.quantity, r.value, "stated_only",
                    _said(NOT_DERIVABLE, "audit.ledger.description_only"), source)


def _check_countries(led, data_dir, totals):
    table, source = "bijlage_d2_countries", "Bijlage D deel 2"
    c = load_countries(data_dir).astype({"continent": str, "country": str, "part_of": "object"})
    n_review = int(published_total(totals, "characteristics", "total", "n_studies")[0])
    top = c[c["part_of"].isna()]
    n_of = dict(zip(c["country"], c["n"]))
    for r in c.itertuples(index=False):
        if pd.notna(r.part_of):
            whole = int(n_of[r.part_of])
            led.add(table, f"{r.continent}:{r.country}", "n", "n", r.n, "part_vs_whole",
                    rule_bounds(int(r.n), 0, whole, f" ({r.part_of})", f" ({r.part_of})"), source)
        else:
            led.add(table, f"{r.continent}:{r.country}", "n", "n", r.n, "stated_only",
                    _said(NOT_DERIVABLE, "audit.ledger.no_country"), source)
        if pd.notna(r.pct):
            led.add(table, f"{r.continent}:{r.country}", "pct", "pct", r.pct, "percentage",
                    rule_percentage(int(r.n), n_review, float(r.pct), int(r.pct_decimals)), source)
    for continent, rows in top.groupby("continent", sort=False):
        published, src = published_total(totals, "countries", continent, "n_studies")
        if published is not None:
            led.add(table, f"{continent}:total", "n", "n", published, "rows_vs_total", rule_sum(rows["n"], published), src)
    led.add(table, "total:total", "n", "n", n_review, "rows_vs_total", rule_sum(top["n"], n_review), "Bijlage D deel 1 (kolomkop)")


def _check_hypotheses(led, data_dir, n_review):
    cited = cited_studies("hypothesis", TRACED_IN["hypothesis"], data_dir)
    for r in load_hypotheses(data_dir).itertuples(index=False):
        n = int(r.n_studies)
        led.add("bijlage_f_hypotheses", f"H{r.hypothesis}", "n_studies", "n_studies", n, "traceability",
                rule_traceability(len(cited.get(f"H{r.hypothesis}", [])), n), "Bijlage F")
        led.add("bijlage_f_hypotheses", f"H{r.hypothesis}", "n_studies", "n_studies", n, "part_vs_whole",
                rule_bounds(n, 0, n_review, *both("audit.bound.studies_in_review")), "Bijlage F")


def _check_prose(led, data_dir):
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
        led.add("prose_counts", r.count_id, r.code, "n_studies", r.n_studies, "prose_vs_table",
                Finding(f.status, f.en + f" [{item}]", f.nl + f" [{item}]", f.recomputed, f.lower, f.upper), source)
        if r.scope == "whole":
            if (r.code_kind, r.chapter) not in cited_by:
                cited_by[(r.code_kind, r.chapter)] = cited_studies(r.code_kind, r.chapter, data_dir)
            cited = cited_by[(r.code_kind, r.chapter)].get(r.code, [])
            led.add("prose_counts", r.count_id, r.code, "n_studies", r.n_studies, "prose_vs_citations",
                    rule_equal(int(r.n_studies), len(cited), *both("audit.ledger.cited_for_it", studies=", ".join(map(str, cited)))),
                    source)


def _check_study_totals(led, data_dir, totals):
    studies = load_studies(data_dir)
    flow = load_selection_flow(data_dir).astype({"step": str, "qualifier": str}).set_index("step")
    n_articles, n_groups = len(studies), studies["study_group"].nunique()
    table = "selection_flow"
    for step, r in flow.iterrows():
        src = str(r.source)
        if step == "articles_included":
            led.add(table, step, "n", "n", r.n, "corpus_count", rule_equal(int(r.n), n_articles, *both("audit.ledger.articles_listed")), src)
        elif step == "studies_included":
            led.add(table, step, "n", "n", r.n, "corpus_count",
                    rule_bounds(int(r.n), None, n_groups, *both("audit.bound.participant_groups", n_groups=n_groups)), src)
        elif step == "search_period_start":
            led.add(table, step, "n", "n", r.n, "range", rule_bounds(int(r.n), None, int(studies["year"].min()),
                                                                  *both("audit.bound.earliest_year", n_articles=n_articles)), src)
        elif step == "search_period_end":
            led.add(table, step, "n", "n", r.n, "range", rule_bounds(int(r.n), int(studies["year"].max()), None,
                                                                  *both("audit.bound.latest_year", n_articles=n_articles)), src)
        elif step == "full_texts_assessed":
            led.add(table, step, "n", "n", r.n, "part_vs_whole",
                    rule_bounds(int(r.n), n_articles, None, *both("audit.bound.articles_included")), src)
        elif step == "abstract_threshold":
            led.add(table, step, "n", "n", r.n, "part_vs_whole", rule_bounds(int(r.n), 0, int(flow.loc["selection_criteria", "n"]),
                                                                          *both("audit.bound.criteria")), src)
        else:
            message = "audit.ledger.no_number" if pd.isna(r.n) else "audit.ledger.not_counted"
            led.add(table, step, "n", "n", r.n, "stated_only", _said(NOT_DERIVABLE, message, printed=r.printed), src)
    # the participant groups of the header against the coded articles: an upper bound per group
    known = studies["participant_group"].astype("object")
    unknown = int(known.isna().sum())
    for g in GROUPS:
        n, src = published_total(totals, "characteristics", g, "n_studies")
        coded = int((known == g).sum())
        led.add("study_totals", "participant_group", g, "n_studies", n, "corpus_count",
                rule_bounds(int(n), None, coded + unknown, *both("audit.bound.coded_group", coded=coded, group=g, unknown=unknown)),
                src)


def _check_figures(led, data_dir):
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
                r = pathways[(pathways.from_domain == u) & (pathways.mechanism == m) & (pathways.to_domain == v)].iloc[0]
                expected = (int(r.n_effects), int(r.n_studies)) if r.n_effects else (0,)
                row_code, src = f"{u}:{m}:{v}", str(r.source)
            status = CONSISTENT if tuple(numbers) == expected else INCONSISTENT
            en, nl = (text("audit.ledger.figure_shows", lang, expected=" / ".join(map(str, expected)),
                           shown=" / ".join(map(str, numbers)) or text("audit.ledger.figure_shows_nothing", lang))
                      for lang in ("en", "nl"))
            led.add(item, row_code, "label", "n_effects", expected[0], "figure_vs_table", Finding(status, en, nl), src)
    # the report's own claim about Figuur 2: Denken does not reach the domain of consequence
    r = pathways[(pathways.from_domain == "external_intervention") & (pathways.mechanism == "reflection") & (pathways.to_domain == "consequence")].iloc[0]
    led.add("figuur_2_denken", "external_intervention:reflection:consequence", "text", "n_effects", 0, "figure_vs_table",
            rule_equal(0, int(r.n_effects), *both("audit.ledger.denken_not_in_consequence")),
            "Effecten, deel 2 (bij Figuur 2 en 3)")


def ledger(data_dir=None, figures: bool = True) -> pd.DataFrame:
    """Every published number with the checks applied to it (see the module docstring for the columns);
    ``figures=False`` leaves out the numbers the figures draw."""
    led = _Ledger()
    totals = published_totals(data_dir)
    n_review = int(published_total(totals, "characteristics", "total", "n_studies")[0])
    _check_study_totals(led, data_dir, totals)
    _check_characteristics(led, data_dir, totals)
    _check_characteristic_values(led, data_dir, totals)
    _check_countries(led, data_dir, totals)
    _check_factors(led, data_dir, totals, n_review)
    _check_domain_effects(led, data_dir, totals, n_review)
    _check_pathways(led, data_dir, totals, n_review)
    _check_hypotheses(led, data_dir, n_review)
    _check_prose(led, data_dir)
    if figures:
        _check_figures(led, data_dir)
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
    first = led.assign(_rank=led["status"].map(rank)).sort_values("_rank", kind="stable").groupby(keys, sort=False).head(1)
    checks = led.groupby(keys, sort=False)["check"].agg(lambda s: "+".join(dict.fromkeys(s))).reset_index()
    order = led[keys].drop_duplicates()
    out = order.merge(first.drop(columns=["check", "_rank"]), on=keys).merge(checks, on=keys)
    return out[LEDGER_COLUMNS].reset_index(drop=True)

