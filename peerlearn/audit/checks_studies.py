"""The ledger's checks of the numbers about the studies themselves: the selection flow and the study totals
(Opzet van de studie), their characteristics (Bijlage D deel 1) and countries (Bijlage D deel 2). Each collector
adds the published numbers of its table and their verdicts to the ledger (``led.add``, see :mod:`.ledger`).
"""

from __future__ import annotations

import pandas as pd

from ..corpus import (
    load_characteristic_values,
    load_characteristics,
    load_countries,
    load_selection_flow,
    load_studies,
)
from ..messages import text
from ..tables import GROUPS, published_total
from .rules import (
    CONSISTENT,
    INCONSISTENT,
    NOT_DERIVABLE,
    Finding,
    both,
    fmt,
    rule_bounds,
    rule_count_vs_percentage,
    rule_equal,
    rule_percentage,
    rule_sum,
    verdict,
)


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if float(value).is_integer() else len(text.split(".")[1])


def check_characteristics(led, data_dir, totals):
    """Bijlage D deel 1: the header's group sizes, each cell's count and percentage, the rows' totals and the sum of
    each characteristic's levels per group."""
    table, source = "bijlage_d1_characteristics", "Bijlage D deel 1"
    chars = load_characteristics(data_dir).astype({"characteristic": str, "level": str, "group": str})
    size = {g: published_total(totals, "characteristics", g, "n_studies") for g in (*GROUPS, "total")}
    n_review, where = int(size["total"][0]), size["total"][1]
    # the header: N per group, their sum and their percentages of the total
    f = rule_sum([size[g][0] for g in GROUPS], size["total"][0])
    led.add(table, "studies", "total", "n_studies", size["total"][0], "groups_vs_total", f, where)
    for g in GROUPS:
        pct, where = published_total(totals, "characteristics", g, "pct")
        if pct is not None:
            f = rule_percentage(int(size[g][0]), n_review, pct, _decimals(pct))
            led.add(table, "studies", g, "pct", pct, "percentage", f, where)
    for (characteristic, level), cells in chars.groupby(["characteristic", "level"], sort=False):
        by_group = {r.group: r for r in cells.itertuples(index=False)}
        row = f"{characteristic}:{level}"
        groups = [g for g in GROUPS if g in by_group]
        group_sum = sum(int(by_group[g].n) for g in groups)
        for g, r in by_group.items():
            base = int(size[g][0])
            if g == "total":
                led.add(table, row, g, "n", r.n, "groups_vs_total", _row_total(by_group, groups, int(r.n)), source)
            if pd.isna(r.pct):
                if g != "total":
                    f = verdict(NOT_DERIVABLE, "audit.ledger.no_percentage")
                    led.add(table, row, g, "n", r.n, "stated_only", f, source)
                continue
            decimals = int(r.pct_decimals)
            in_row = (group_sum - int(r.n), int(by_group["total"].n)) if g != "total" and "total" in by_group else None
            f = rule_count_vs_percentage(int(r.n), base, float(r.pct), decimals, in_row)
            led.add(table, row, g, "n", r.n, "count_vs_percentage", f, source)
            f = rule_percentage(int(r.n), base, float(r.pct), decimals)
            led.add(table, row, g, "pct", r.pct, "percentage", f, source)
    for (characteristic, g), cells in chars.groupby(["characteristic", "group"], sort=False):
        f = rule_sum(cells["n"], size[g][0])
        f = Finding(f.status, f"{characteristic}: {f.en}", f"{characteristic}: {f.nl}", f.recomputed)
        led.add(
            table, f"{characteristic}:all_levels", g, "n_studies", size[g][0], "levels_vs_group_size", f, size[g][1]
        )


def _row_total(by_group: dict, groups: list, total: int) -> Finding:
    """The groups' cells of a row against its printed total; when they miss it, whether the corrections recorded
    beside the data make them add up."""
    f = rule_sum([by_group[g].n for g in groups], total)
    corrected = [g for g in groups if pd.notna(by_group[g].n_corrected)]
    fixed = sum(int(by_group[g].n_corrected) if g in corrected else int(by_group[g].n) for g in groups)
    if not (corrected and f.status == INCONSISTENT and fixed == total):
        return f
    en, nl = (
        text("audit.ledger.with_correction", lang, explanation=said, groups=", ".join(corrected), fixed=fixed)
        for lang, said in (("en", f.en), ("nl", f.nl))
    )
    return Finding(f.status, en, nl, f.recomputed, f.lower, f.upper, f.likely_value)


UNIT_MINUTES = {"minutes": 1, "weeks": 7 * 24 * 60, "years": 365 * 24 * 60}


def _minutes(value_row) -> float:
    """A characteristic value in minutes (durations), or as it is (other units), so values compare across units."""
    return float(value_row.value) * UNIT_MINUTES.get(value_row.unit, 1)


def check_characteristic_values(led, data_dir, totals):
    """Bijlage D deel 1's values (durations, group sizes ...): totals over the groups, ranges, parts of a group."""
    table, source = "bijlage_d1_characteristics", "Bijlage D deel 1"
    v = load_characteristic_values(data_dir).astype({"characteristic": str, "group": str, "quantity": str, "unit": str})
    size = {g: published_total(totals, "characteristics", g, "n_studies")[0] for g in (*GROUPS, "total")}
    get = {(r.characteristic, r.group, r.quantity): r for r in v.itertuples(index=False)}
    for r in v.itertuples(index=False):
        parts = [get[(r.characteristic, g, r.quantity)] for g in GROUPS if (r.characteristic, g, r.quantity) in get]
        both_value = get.get((r.characteristic, "both", "value"))
        if r.group == "total" and r.quantity in ("total", "unknown_studies"):
            check, finding = "groups_vs_total", rule_sum([p.value for p in parts], int(r.value))
        elif r.group == "total" and r.quantity in ("min", "max", "largest", "typical_min", "typical_max") and parts:
            values = [_minutes(p) for p in parts] + ([_minutes(both_value)] if both_value is not None else [])
            want = min(values) if r.quantity in ("min", "typical_min") else max(values)
            if r.quantity.startswith("typical"):
                want = _minutes(parts[0]) if all(_minutes(p) == _minutes(parts[0]) for p in parts) else None
            if want is None:
                finding = verdict(NOT_DERIVABLE, "audit.ledger.groups_differ")
            else:
                shown = f"{fmt(want / UNIT_MINUTES.get(r.unit, 1))} {r.unit}"
                finding = Finding(
                    CONSISTENT if _minutes(r) == want else INCONSISTENT,
                    *both("audit.ledger.over_the_groups", quantity=r.quantity, shown=shown),
                    recomputed=want / UNIT_MINUTES.get(r.unit, 1),
                )
            check = "range"
        elif r.quantity in ("unknown_studies", "whole_group_cases"):
            bound = both("audit.bound.studies_in_group")
            check, finding = "part_vs_whole", rule_bounds(int(r.value), 0, int(size[r.group]), *bound)
        elif r.group == "both" and r.quantity == "value" and (r.characteristic, "total", "min") in get:
            lo, hi = get[(r.characteristic, "total", "min")], get[(r.characteristic, "total", "max")]
            ok = rule_bounds(_minutes(r), _minutes(lo), _minutes(hi)).status
            said = dict(value=fmt(r.value), unit=r.unit)
            check, finding = (
                "range",
                (
                    verdict(
                        ok,
                        "audit.ledger.within_range",
                        low=fmt(lo.value),
                        low_unit=lo.unit,
                        high=fmt(hi.value),
                        high_unit=hi.unit,
                        **said,
                    )
                    if ok == CONSISTENT
                    else verdict(ok, "audit.ledger.outside_range", **said)
                ),
            )
        elif r.group == "both" and r.quantity == "value" and (r.characteristic, "total", "largest") in get:
            largest = float(get[(r.characteristic, "total", "largest")].value)
            check, finding = "range", rule_bounds(float(r.value), 1, largest, *both("audit.bound.largest_group"))
        elif r.quantity == "largest" and (r.characteristic, r.group, "typical_max") in get:
            usual = float(get[(r.characteristic, r.group, "typical_max")].value)
            check, finding = "range", rule_bounds(float(r.value), usual, None, *both("audit.bound.usual_group_size"))
        else:
            check, finding = "stated_only", verdict(NOT_DERIVABLE, "audit.ledger.description_only")
        led.add(table, f"{r.characteristic}:{r.quantity}", r.group, r.quantity, r.value, check, finding, source)


def check_countries(led, data_dir, totals):
    """Bijlage D deel 2: a country within its part, the percentages of the review's studies, the continents' totals."""
    table, source = "bijlage_d2_countries", "Bijlage D deel 2"
    c = load_countries(data_dir).astype({"continent": str, "country": str, "part_of": "object"})
    n_review = int(published_total(totals, "characteristics", "total", "n_studies")[0])
    top = c[c["part_of"].isna()]
    n_of = dict(zip(c["country"], c["n"]))
    for r in c.itertuples(index=False):
        row = f"{r.continent}:{r.country}"
        if pd.notna(r.part_of):
            check, f = (
                "part_vs_whole",
                rule_bounds(int(r.n), 0, int(n_of[r.part_of]), f" ({r.part_of})", f" ({r.part_of})"),
            )
        else:
            check, f = "stated_only", verdict(NOT_DERIVABLE, "audit.ledger.no_country")
        led.add(table, row, "n", "n", r.n, check, f, source)
        if pd.notna(r.pct):
            f = rule_percentage(int(r.n), n_review, float(r.pct), int(r.pct_decimals))
            led.add(table, row, "pct", "pct", r.pct, "percentage", f, source)
    for continent, rows in top.groupby("continent", sort=False):
        published, where = published_total(totals, "countries", continent, "n_studies")
        if published is not None:
            led.add(
                table, f"{continent}:total", "n", "n", published, "rows_vs_total", rule_sum(rows["n"], published), where
            )
    f = rule_sum(top["n"], n_review)
    led.add(table, "total:total", "n", "n", n_review, "rows_vs_total", f, "Bijlage D deel 1 (kolomkop)")


def check_study_totals(led, data_dir, totals):
    """The selection flow against the list of articles, and the participant groups of Bijlage D's header against the
    coded articles (an upper bound per group)."""
    studies = load_studies(data_dir)
    flow = load_selection_flow(data_dir).astype({"step": str, "qualifier": str}).set_index("step")
    n_articles, n_groups = len(studies), studies["study_group"].nunique()
    first, last = int(studies["year"].min()), int(studies["year"].max())
    for step, r in flow.iterrows():
        n = None if pd.isna(r.n) else int(r.n)
        if step == "articles_included":
            check, finding = "corpus_count", rule_equal(n, n_articles, *both("audit.ledger.articles_listed"))
        elif step == "studies_included":
            bound = both("audit.bound.participant_groups", n_groups=n_groups)
            check, finding = "corpus_count", rule_bounds(n, None, n_groups, *bound)
        elif step == "search_period_start":
            check, finding = (
                "range",
                rule_bounds(n, None, first, *both("audit.bound.earliest_year", n_articles=n_articles)),
            )
        elif step == "search_period_end":
            check, finding = (
                "range",
                rule_bounds(n, last, None, *both("audit.bound.latest_year", n_articles=n_articles)),
            )
        elif step == "full_texts_assessed":
            check, finding = "part_vs_whole", rule_bounds(n, n_articles, None, *both("audit.bound.articles_included"))
        elif step == "abstract_threshold":
            criteria = int(flow.loc["selection_criteria", "n"])
            check, finding = "part_vs_whole", rule_bounds(n, 0, criteria, *both("audit.bound.criteria"))
        else:
            message = "audit.ledger.no_number" if n is None else "audit.ledger.not_counted"
            check, finding = "stated_only", verdict(NOT_DERIVABLE, message, printed=r.printed)
        led.add("selection_flow", step, "n", "n", r.n, check, finding, str(r.source))
    known = studies["participant_group"].astype("object")
    unknown = int(known.isna().sum())
    for g in GROUPS:
        n, src = published_total(totals, "characteristics", g, "n_studies")
        coded = int((known == g).sum())
        bound = both("audit.bound.coded_group", coded=coded, group=g, unknown=unknown)
        led.add(
            "study_totals",
            "participant_group",
            g,
            "n_studies",
            n,
            "corpus_count",
            rule_bounds(int(n), None, coded + unknown, *bound),
            src,
        )
