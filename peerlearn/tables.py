"""The report's tables rebuilt from the corpus, with the published numbers beside them.

Each builder returns a tidy DataFrame whose key columns hold codes (labels come
from :func:`labelled`). For every number there are two columns: ``<measure>``
is what the data gives (a row as printed, or a total or percentage computed
here) and ``<measure>_published`` is what the report prints in that cell (<NA>
where it prints nothing). ``differences(table)`` lists the cells where the two
disagree. Totals of studies cannot be computed from rows (one study can report
several factors), so those cells hold only the published value.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .choices import check_choice, check_lang
from .codebook import load_codebook
from .corpus import (
    load_characteristics,
    load_checklist,
    load_countries,
    load_domain_effects,
    load_factors,
    load_hypotheses,
    load_pathways,
    load_published_totals,
    load_selection_flow,
    load_studies,
)
from .messages import text, words

TOTAL = "total"
GROUPS = ("student", "inservice", "both")
FACTOR_TABLES = {"individual": 1, "interpersonal": 2, "intervention": 3, "conditions": 4}  # category -> Tabel n
PATHWAY_TABLES = {
    "personal": 6,
    "practice": 7,
    "consequence": 8,
    "external_general": 9,  # source domain -> Tabel n
    "external_intervention": 10,
}


def factor_table_id(category: str) -> str:
    """The item id of the factor table of ``category`` (Bijlage E Tabel 1-4): ``tabel_<n>_factors_<category>``."""
    return f"tabel_{FACTOR_TABLES[category]}_factors_{category}"


def pathway_table_id(from_domain: str) -> str:
    """The report item id of the pathway table from ``from_domain`` (Bijlage E Tabel 6-10)."""
    return f"tabel_{PATHWAY_TABLES[from_domain]}_pathways_from_{from_domain}"


def published_totals(data_dir=None) -> dict[tuple, tuple[float, str]]:
    """The printed totals (published_totals.csv) for :func:`published_total`: (table, scope, measure, mechanism)
    -> (value, where the report prints it). Each row is found under its mechanism (None where none applies) and,
    when it is the first row of its table/scope/measure, under mechanism None as well."""
    t = load_published_totals(data_dir)
    found: dict[tuple, tuple[float, str]] = {}
    for table, scope, measure, mechanism, value, source in zip(
        t["table"], t["scope"], t["measure"], t["mechanism"], t["value"], t["source"], strict=True
    ):
        keys = (str(table), str(scope), str(measure))
        mechanism = None if pd.isna(mechanism) else str(mechanism)
        found.setdefault((*keys, mechanism), (float(value), str(source)))
        found.setdefault((*keys, None), (float(value), str(source)))
    return found


def published_total(
    totals: dict[tuple, tuple[float, str]], table: str, scope: str, measure: str, mechanism=None
) -> tuple[float | None, str]:
    """The total the report prints for ``table``/``scope``/``measure`` (and ``mechanism``; None: the first row
    whatever its mechanism) in ``totals`` (:func:`published_totals`) and where it prints it; (None, "") where it
    prints none."""
    return totals.get((table, scope, measure, mechanism), (None, ""))


def _total_value(totals: dict, table: str, scope: str, measure: str, mechanism=None):
    """:func:`published_total`'s value, <NA> where the report prints none (a cell of a table)."""
    value = published_total(totals, table, scope, measure, mechanism)[0]
    return pd.NA if value is None else value


def _total_row(
    keys: dict, rows: pd.DataFrame, totals: dict, table: str, scope: str, summed: str, mechanism=None
) -> dict:
    """A total row: the sum of ``summed`` over ``rows`` beside its printed total; studies only as printed
    (one study can report several items, so they cannot be summed)."""
    return {
        **keys,
        summed: rows[summed].sum(),
        f"{summed}_published": _total_value(totals, table, scope, summed, mechanism),
        "n_studies": pd.NA,
        "n_studies_published": _total_value(totals, table, scope, "n_studies", mechanism),
    }


def _with_published(df: pd.DataFrame, measures) -> pd.DataFrame:
    """Data rows: the printed value is both the value and the published cell."""
    df = df.copy()
    for m in measures:
        df[f"{m}_published"] = df[m].astype("Int64")
        df[m] = df[m].astype("Int64")
    return df


def factor_table(category: str, data_dir=None) -> pd.DataFrame:
    """Bijlage E Tabel 1-4 for one factor category: subcategory rows and a total row."""
    check_choice(category, load_codebook(data_dir).vocabulary("factor_category").codes, "factor category")
    factors = load_factors(data_dir)
    rows = factors[factors["category"] == category][["subcategory", "n_factors", "n_studies"]]
    rows = _with_published(rows.astype({"subcategory": str}), ["n_factors", "n_studies"])
    total = _total_row({"subcategory": TOTAL}, rows, published_totals(data_dir), "factors", category, "n_factors")
    return _finish(pd.concat([rows, pd.DataFrame([total])], ignore_index=True))


def domain_effects_table(data_dir=None) -> pd.DataFrame:
    """Bijlage E Tabel 5: effects on each domain and a total row."""
    rows = _with_published(
        load_domain_effects(data_dir)[["domain", "n_effects", "n_studies"]].astype({"domain": str}),
        ["n_effects", "n_studies"],
    )
    total = _total_row({"domain": TOTAL}, rows, published_totals(data_dir), "domain_effects", "all", "n_effects")
    return _finish(pd.concat([rows, pd.DataFrame([total])], ignore_index=True))


def pathway_table(from_domain: str, data_dir=None) -> pd.DataFrame:
    """Bijlage E Tabel 6-10 for one source domain: rows per mechanism and target, subtotals per mechanism, a grand
    total."""
    check_choice(from_domain, load_codebook(data_dir).vocabulary("domain").codes, "domain")
    pathways = load_pathways(data_dir)
    rows = pathways[pathways["from_domain"] == from_domain][["mechanism", "to_domain", "n_effects", "n_studies"]]
    rows = _with_published(rows.astype({"mechanism": str, "to_domain": str}), ["n_effects", "n_studies"])
    totals = published_totals(data_dir)
    parts = []
    for mechanism in ("reflection", "enactment"):
        part = rows[rows["mechanism"] == mechanism]
        keys = {"mechanism": mechanism, "to_domain": TOTAL}
        parts += [part, pd.DataFrame([_total_row(keys, part, totals, "pathways", from_domain, "n_effects", mechanism)])]
    keys = {"mechanism": "all", "to_domain": TOTAL}
    parts.append(pd.DataFrame([_total_row(keys, rows, totals, "pathways", from_domain, "n_effects", "all")]))
    table = pd.concat(parts, ignore_index=True)
    table.insert(0, "from_domain", from_domain)
    return _finish(table)


def round_half_up(x, decimals=0):
    """Round as a reader does (0.5 up), to ``decimals`` places; immune to binary noise like 14.499999.

    ``x`` is a number (the result a float) or a Series, ``decimals`` a number or a Series beside it (the decimals
    the report prints in each cell)."""
    if isinstance(x, pd.Series):
        scale = 10.0 ** pd.Series(decimals, index=x.index).astype("float64")
        return np.floor(x.astype("float64") * scale + 0.5 + 1e-9) / scale
    scale = 10**decimals
    return math.floor(x * scale + 0.5 + 1e-9) / scale


def characteristics_table(data_dir=None) -> pd.DataFrame:
    """Bijlage D part 1: studies per characteristic level and group.

    ``n`` is the printed count for the groups and the computed sum of the three
    groups for ``total`` (``n_published`` is the printed total). ``pct`` is
    ``n_published`` as a percentage of the group's printed size,
    rounded to the decimals the report prints there; ``pct_published`` is the
    printed percentage. Cells the report leaves blank are absent from the data
    and count as 0 in the sums.
    """
    chars = load_characteristics(data_dir).astype({"characteristic": str, "level": str, "group": str})
    totals = published_totals(data_dir)
    base = {g: _total_value(totals, "characteristics", g, "n_studies") for g in (*GROUPS, TOTAL)}
    cells = chars[["characteristic", "level", "group", "n", "pct", "pct_decimals", "n_corrected"]].copy()
    cells["n_published"] = cells["n"].astype("Int64")
    groups = cells[cells["group"] != TOTAL]
    sums = groups.groupby(["characteristic", "level"], sort=False)["n"].sum().rename("n_sum")
    cells = cells.merge(sums, on=["characteristic", "level"], how="left")
    is_total = cells["group"] == TOTAL
    cells["n"] = cells["n"].astype("Int64").where(~is_total, cells["n_sum"].astype("Int64"))
    cells["base"] = cells["group"].map(base).astype("float64")
    decimals = cells["pct_decimals"].fillna(0)
    computed = round_half_up(100 * cells["n_published"].astype("float64") / cells["base"], decimals)
    cells["pct"], cells["pct_published"] = computed.where(cells["pct"].notna()), cells["pct"]
    out = cells[["characteristic", "level", "group", "n", "n_published", "pct", "pct_published", "n_corrected"]]
    return out.reset_index(drop=True)


def characteristic_group_sums(data_dir=None) -> pd.DataFrame:
    """Per characteristic and group: the sum of its levels versus the group's printed size."""
    chars = load_characteristics(data_dir)
    totals = published_totals(data_dir)
    out = (
        chars.groupby(["characteristic", "group"], observed=True)["n"]
        .sum()
        .rename("n")
        .reset_index()
        .astype({"characteristic": str, "group": str, "n": "Int64"})
    )
    out["n_published"] = pd.array(
        [_total_value(totals, "characteristics", g, "n_studies") for g in out["group"]], dtype="Int64"
    )
    return out


def countries_table(data_dir=None) -> pd.DataFrame:
    """Bijlage D part 2: studies per country, percentage of the printed number of studies
    recomputed at the printed precision, and continent totals (sum of top-level
    rows) beside the printed ones."""
    countries = load_countries(data_dir).astype({"continent": str, "country": str, "part_of": "object"})
    totals = published_totals(data_dir)
    n_studies = _total_value(totals, "characteristics", TOTAL, "n_studies")
    rows = countries[["continent", "country", "part_of", "n", "pct", "pct_decimals"]].copy()
    rows["n_published"] = rows["n"].astype("Int64")
    rows["n"] = rows["n"].astype("Int64")
    computed = round_half_up(100 * rows["n"].astype("float64") / n_studies, rows["pct_decimals"].fillna(0))
    rows["pct"], rows["pct_published"] = computed.where(rows["pct"].notna()), rows["pct"]
    top = rows[rows["part_of"].isna()]
    sums = top.groupby("continent", sort=False)["n"].sum().reset_index()
    sums["country"] = TOTAL
    sums["n_published"] = [_total_value(totals, "countries", c, "n_studies") for c in sums["continent"]]
    sums["n_published"] = sums["n_published"].astype("Int64")
    parts = []
    for continent in rows["continent"].unique():
        parts += [rows[rows["continent"] == continent], sums[sums["continent"] == continent]]
    table = pd.concat(parts, ignore_index=True)
    grand = {"continent": TOTAL, "country": TOTAL, "n": top["n"].sum(), "n_published": n_studies}
    table = pd.concat([table, pd.DataFrame([grand])], ignore_index=True)
    table = table[["continent", "country", "part_of", "n", "n_published", "pct", "pct_published"]]
    return table.astype({"n": "Int64", "n_published": "Int64"})


def hypotheses_table(data_dir=None) -> pd.DataFrame:
    """Bijlage F with the verdicts: hypothesis, role, number of studies with evidence, verdict."""
    h = load_hypotheses(data_dir)
    out = h[["hypothesis", "role", "n_studies", "verdict"]].astype({"role": str, "verdict": str})
    return out.reset_index(drop=True)


def checklist_overview(data_dir=None) -> pd.DataFrame:
    """Number of checklist recommendations per theme (rows) and audience (columns), with the hypotheses behind each
    theme."""
    c = load_checklist(data_dir)
    counts = pd.crosstab(c["theme"], c["audience"]).reindex(
        columns=list(load_codebook(data_dir).vocabulary("audience").codes), fill_value=0
    )
    hyps = c.groupby("theme", observed=True)["hypotheses"].agg(
        lambda s: ";".join(str(h) for h in sorted({x for t in s for x in t}))
    )
    counts["hypotheses"] = hyps
    counts.columns.name = None
    return counts.reset_index().astype({"theme": str})


def study_overview(data_dir=None) -> pd.DataFrame:
    """Bijlagen A-C in numbers: per appendix and descriptor, how many articles have each code (<NA> = not known)."""
    s = load_studies(data_dir)
    parts = []
    for descriptor in ("participant_group", "activity_type", "setting", "design", "bib_status"):
        t = s.groupby(["appendix", descriptor], observed=True, dropna=False).size().rename("n_articles").reset_index()
        t = t.rename(columns={descriptor: "code"})
        t.insert(1, "descriptor", descriptor)
        t["code"] = t["code"].astype("object").where(t["code"].notna(), "unknown")
        parts.append(t)
    out = pd.concat(parts, ignore_index=True).astype({"appendix": str, "code": str})
    out["n_articles"] = out["n_articles"].astype("int64")
    return out


def selection_flow_table(data_dir=None) -> pd.DataFrame:
    """The search and selection steps with their printed numbers and qualifiers."""
    f = load_selection_flow(data_dir)
    return (
        f[["step", "n", "unit", "qualifier"]]
        .astype({"step": str, "unit": str, "qualifier": str})
        .reset_index(drop=True)
    )


def _finish(table: pd.DataFrame) -> pd.DataFrame:
    for col in table.columns:
        if col.startswith("n_"):
            table[col] = table[col].astype("Int64")
    return table


def differences(table: pd.DataFrame) -> pd.DataFrame:
    """Rows where a computed value and its published counterpart both exist and differ."""
    mask = pd.Series(False, index=table.index)
    for col in table.columns:
        pub = f"{col}_published"
        if pub in table.columns:
            a, b = table[col].astype("Float64"), table[pub].astype("Float64")
            mask |= (a.notna() & b.notna() & (a != b)).fillna(False).astype(bool)
    return table[mask]


CODE_VOCABULARIES = {
    "subcategory": "factor_subcategory",
    "domain": "domain",
    "from_domain": "domain",
    "to_domain": "domain",
    "mechanism": "mechanism_or_all",
    "characteristic": "characteristic",
    "level": "characteristic_level",
    "group": "report_group",
    "continent": "continent",
    "country": "country",
    "part_of": "country",
    "role": "hypothesis_role",
    "verdict": "verdict",
    "theme": "checklist_theme",
    "appendix": "appendix",
    "step": "flow_step",
    "unit": "unit",
    "qualifier": "qualifier",
    "category": "factor_category",
}


def column_titles(lang: str = "nl") -> dict[str, str]:
    """Column -> its title in ``lang``, for every column of a table peerlearn shows (the catalogue's ``columns``)."""
    return words("columns", lang)


def titled(table: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """A copy with the columns that have a title (:func:`column_titles`) renamed to it; codes left as they are."""
    titles = column_titles(lang)
    return table.rename(columns={c: titles[c] for c in table.columns if c in titles})


def labelled(table: pd.DataFrame, lang: str = "nl", data_dir=None) -> pd.DataFrame:
    """A copy for display: codes replaced by their Dutch or English labels, column names translated."""
    check_lang(lang)
    cb, rows = load_codebook(data_dir), words("tables.row", lang)  # rows: the added rows' names (total, unknown, all)
    out = table.copy()
    for col, voc in CODE_VOCABULARIES.items():
        if col in out.columns:
            labels = cb.labels(voc, lang)
            out[col] = [v if pd.isna(v) else labels.get(v) or rows.get(v, v) for v in out[col]]
    for voc in ("participant_group", "activity_type", "setting", "design", "bib_status", "audience"):
        for col in out.columns:
            if col in cb.vocabulary(voc).codes:
                out = out.rename(columns={col: cb.label(voc, col, lang)})
    if "code" in out.columns and "descriptor" in out.columns:
        out["code"] = [
            rows["unknown"] if c == "unknown" else cb.label(d, c, lang) for d, c in zip(out["descriptor"], out["code"])
        ]
        out["descriptor"] = [cb.column_label("studies", d, lang) for d in out["descriptor"]]
    titles, suffix = column_titles(lang), text("tables.published_suffix", lang)
    renames = {}
    for col in out.columns:
        published = col.endswith("_published")
        base = col.removesuffix("_published")
        if base in titles:
            renames[col] = titles[base] + (suffix if published else "")
    return out.rename(columns=renames)
