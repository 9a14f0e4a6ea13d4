"""Audit of the report: every published number checked against what the data implies.

The *ledger* (:func:`ledger`) has one row per published number and check:

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
    the rule that was applied (see :data:`CHECKS`).
``likely_value``
    the most likely intended value of this number, where the data pins one down.
``explanation`` / ``explanation_nl``
    one line for a reviewer, in English / Dutch.

The rules are small functions on plain numbers (``rule_*``), so they can be tested on made-up inputs;
the ``_check_*`` collectors apply them to the corpus.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from .corpus import (load_characteristic_values, load_characteristics, load_citations, load_countries,
                     load_domain_effects, load_factors, load_hypotheses, load_pathways, load_prose_counts,
                     load_published_totals, load_selection_flow, load_studies)
from .synthesis import CHAPTER
from .tables import GROUPS  # the participant groups of Bijlage D, in column order

CONSISTENT, INCONSISTENT, NOT_DERIVABLE = "consistent", "inconsistent", "not_derivable"
STATUSES = (CONSISTENT, INCONSISTENT, NOT_DERIVABLE)

CHECKS = {  # rule -> what it checks (English, Dutch)
    "rows_vs_total": ("the rows add up to the printed total", "de rijen tellen op tot het gedrukte totaal"),
    "groups_vs_total": ("the participant-group columns add up to the total column",
                        "de kolommen per deelnemersgroep tellen op tot de totaalkolom"),
    "levels_vs_group_size": ("the levels of a characteristic add up to the group's N",
                             "de niveaus van een kenmerk tellen op tot de N van de groep"),
    "percentage": ("the printed percentage follows from the printed count and base",
                   "het gedrukte percentage volgt uit het gedrukte aantal en de basis"),
    "count_vs_percentage": ("the printed count is one of the counts that give the printed percentage",
                            "het gedrukte aantal is een van de aantallen die het gedrukte percentage geven"),
    "items_vs_studies": ("a count of findings is at least the number of studies they come from",
                         "een aantal bevindingen is minstens het aantal studies waarin ze gevonden zijn"),
    "study_total_bounds": ("a table's study total lies between its largest row and the sum of its rows",
                           "het totaal aantal studies ligt tussen de grootste rij en de som van de rijen"),
    "part_vs_whole": ("a part is not larger than the whole it belongs to", "een deel is niet groter dan het geheel"),
    "range": ("a value for all groups agrees with the values per group", "een waarde voor alle groepen past bij de waarden per groep"),
    "prose_vs_table": ("a count stated in words agrees with the table", "een aantal in woorden klopt met de tabel"),
    "prose_vs_citations": ("a count stated in words agrees with the studies cited for it",
                           "een aantal in woorden klopt met de geciteerde studies"),
    "traceability": ("the studies cited in the text for a code are not more than the table reports",
                     "het aantal in de tekst geciteerde studies is niet groter dan wat de tabel meldt"),
    "corpus_count": ("a study total agrees with the list of articles", "een totaal aantal studies klopt met de lijst artikelen"),
    "figure_vs_table": ("a number drawn in a figure equals the table it comes from",
                        "een getal in een figuur is gelijk aan de tabel waar het vandaan komt"),
    "stated_only": ("printed without anything in the data to check it against", "gedrukt zonder gegevens om het mee te vergelijken"),
}


@dataclass(frozen=True)
class Finding:
    """The outcome of one rule: status, what the data implies, and the explanation in both languages."""
    status: str
    en: str
    nl: str
    recomputed: float | None = None
    lower: float | None = None
    upper: float | None = None
    likely_value: float | None = None


def _fmt(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "?"
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def round_half_up(x: float, decimals: int = 0) -> float:
    """Round as a reader does (0.5 up), to ``decimals`` places; immune to binary noise like 14.499999."""
    scale = 10 ** decimals
    return math.floor(x * scale + 0.5 + 1e-9) / scale


def percentage_counts(pct: float, decimals: int, base: int) -> list[int]:
    """GRIM: every integer count 0..base whose percentage of ``base``, rounded to ``decimals``, is ``pct``."""
    return [k for k in range(base + 1) if round_half_up(100 * k / base, decimals) == round_half_up(pct, decimals)]


# --- rules: plain numbers in, a Finding out ---------------------------------------------------------------

def rule_sum(parts, published) -> Finding:
    """The parts add up to the published total."""
    total = sum(int(p) for p in parts)
    if published is None:
        return Finding(NOT_DERIVABLE, f"no total printed; the parts add up to {total}",
                       f"geen totaal gedrukt; de delen tellen op tot {total}", recomputed=total)
    if total == published:
        return Finding(CONSISTENT, f"the parts add up to {total}", f"de delen tellen op tot {total}", recomputed=total)
    d = published - total
    return Finding(INCONSISTENT, f"the parts add up to {total}, the printed total is {_fmt(published)} "
                   f"({'+' if d > 0 else ''}{_fmt(d)})",
                   f"de delen tellen op tot {total}, het gedrukte totaal is {_fmt(published)} "
                   f"({'+' if d > 0 else ''}{_fmt(d)})", recomputed=total)


def rule_bounds(published, lower=None, upper=None, what_en="", what_nl="") -> Finding:
    """The published number lies within [lower, upper] (either may be None: unbounded)."""
    if lower is not None and lower == upper:
        ok = published == lower
        return Finding(CONSISTENT if ok else INCONSISTENT, f"{_fmt(published)} {'equals' if ok else 'should equal'} {_fmt(lower)}{what_en}",
                       f"{_fmt(published)} {'is gelijk aan' if ok else 'zou gelijk moeten zijn aan'} {_fmt(lower)}{what_nl}",
                       recomputed=lower, lower=lower, upper=upper)
    rng_en = f"between {_fmt(lower)} and {_fmt(upper)}" if lower is not None and upper is not None else (
        f"at least {_fmt(lower)}" if lower is not None else f"at most {_fmt(upper)}")
    rng_nl = f"tussen {_fmt(lower)} en {_fmt(upper)}" if lower is not None and upper is not None else (
        f"minstens {_fmt(lower)}" if lower is not None else f"hoogstens {_fmt(upper)}")
    ok = (lower is None or published >= lower) and (upper is None or published <= upper)
    verb_en, verb_nl = ("is", "is") if ok else ("should be", "zou moeten zijn")
    return Finding(CONSISTENT if ok else INCONSISTENT, f"{_fmt(published)} {verb_en} {rng_en}{what_en}",
                   f"{_fmt(published)} {verb_nl} {rng_nl}{what_nl}", lower=lower, upper=upper)


def rule_items_vs_studies(n_items: int, n_studies: int, unit_en="findings", unit_nl="bevindingen") -> Finding:
    """A count of findings is at least the number of studies they were found in, and zero only with zero studies."""
    if n_items < n_studies:
        return Finding(INCONSISTENT, f"{n_items} {unit_en} cannot come from {n_studies} studies",
                       f"{n_items} {unit_nl} kunnen niet uit {n_studies} studies komen", lower=n_studies)
    if (n_items == 0) != (n_studies == 0):
        return Finding(INCONSISTENT, f"{n_studies} studies but {n_items} {unit_en}",
                       f"{n_studies} studies maar {n_items} {unit_nl}", lower=1)
    return Finding(CONSISTENT, f"{n_items} {unit_en} from {n_studies} studies", f"{n_items} {unit_nl} uit {n_studies} studies",
                   lower=n_studies)


def rule_study_total(row_studies, published, ceiling=None) -> Finding:
    """A study total lies between the largest row and the sum of the rows (and not above ``ceiling``)."""
    rows = [int(r) for r in row_studies]
    lower, upper = max(rows), sum(rows)
    if ceiling is not None:
        upper = min(upper, ceiling)
    return rule_bounds(published, lower, upper, " (largest row .. sum of rows)", " (grootste rij .. som van de rijen)")


def _rounding_slips(n: int, base: int, pct: float, decimals: int) -> tuple[str, str] | None:
    """An explanation when ``pct`` is ``n/base`` rounded twice (first to one decimal) or cut off instead of rounded."""
    x = 100 * n / base
    target = round_half_up(pct, decimals)
    if decimals == 0 and round_half_up(round_half_up(x, 1), 0) == target:
        return (f"{n} of {base} is {x:.2f} %; rounded first to {round_half_up(x, 1):g} and then to {_fmt(target)}: a double rounding",
                f"{n} van {base} is {x:.2f} %; eerst afgerond op {round_half_up(x, 1):g} en daarna op {_fmt(target)}: dubbel afgerond")
    if math.floor(x * 10 ** decimals) / 10 ** decimals == target:
        return (f"{n} of {base} is {x:.2f} %, cut off to {_fmt(target)} instead of rounded",
                f"{n} van {base} is {x:.2f} %, afgekapt op {_fmt(target)} in plaats van afgerond")
    return None


def _nearby_bases(n: int, base: int, pct: float, decimals: int) -> list[int]:
    """Slightly smaller bases (down to 80 % of ``base``) for which ``n`` gives ``pct``."""
    return [b for b in range(max(n, math.ceil(0.8 * base)), base)
            if b > 0 and round_half_up(100 * n / b, decimals) == round_half_up(pct, decimals)]


def rule_percentage(n: int, base: int, pct: float, decimals: int) -> Finding:
    """The printed percentage is n/base at the printed precision. If not: which counts (GRIM) or bases would give it,
    and whether a double rounding or a cut-off explains it."""
    computed = round_half_up(100 * n / base, decimals)
    if computed == round_half_up(pct, decimals):
        return Finding(CONSISTENT, f"{n} of {base} is {_fmt(computed)} %", f"{n} van {base} is {_fmt(computed)} %", recomputed=computed)
    slip = _rounding_slips(n, base, pct, decimals)
    if slip:
        return Finding(INCONSISTENT, slip[0], slip[1], recomputed=computed)
    counts = percentage_counts(pct, decimals, base)
    bases = _nearby_bases(n, base, pct, decimals)
    if counts:
        ks = " or ".join(map(str, counts))
        also_en = f" (or {n} of {' or '.join(map(str, bases))})" if bases else ""
        also_nl = f" (of {n} van {' of '.join(map(str, bases))})" if bases else ""
        return Finding(INCONSISTENT, f"{n} of {base} is {_fmt(computed)} %; {_fmt(pct)} % of {base} fits a count of {ks}{also_en}",
                       f"{n} van {base} is {_fmt(computed)} %; {_fmt(pct)} % van {base} past bij {' of '.join(map(str, counts))}{also_nl}",
                       recomputed=computed)
    if bases:
        bs = " or ".join(map(str, bases))
        return Finding(INCONSISTENT, f"{n} of {base} is {_fmt(computed)} %; no count of {base} gives {_fmt(pct)} %, but {n} of {bs} does",
                       f"{n} van {base} is {_fmt(computed)} %; geen aantal van {base} geeft {_fmt(pct)} %, wel {n} van {' of '.join(map(str, bases))}",
                       recomputed=computed)
    return Finding(INCONSISTENT, f"{n} of {base} is {_fmt(computed)} %; no count of {base}, no nearby base and no rounding slip gives {_fmt(pct)} %",
                   f"{n} van {base} is {_fmt(computed)} %; geen aantal van {base}, geen basis in de buurt en geen afrondingsfout geeft {_fmt(pct)} %",
                   recomputed=computed)


def rule_count_vs_percentage(n: int, base: int, pct: float, decimals: int, row: tuple[int, int] | None = None) -> Finding:
    """Is the printed count confirmed or contradicted by the printed percentage?

    Confirmed when ``n`` gives the percentage (GRIM), when a double rounding or cut-off of ``n/base`` explains it, or
    when the row's printed total confirms ``n`` (``row`` = (sum of the row's other group cells, printed row total)).
    Contradicted when exactly one count gives the percentage and that count, not ``n``, makes the row add up: that
    count is then the likely value. Not derivable when no integer count gives the percentage."""
    counts = percentage_counts(pct, decimals, base)
    if n in counts:
        return Finding(CONSISTENT, f"{_fmt(pct)} % of {base} fits {n}", f"{_fmt(pct)} % van {base} past bij {n}", recomputed=n)
    if _rounding_slips(n, base, pct, decimals):
        return Finding(CONSISTENT, f"{_fmt(pct)} % comes from {n} of {base} with a rounding slip (see the percentage)",
                       f"{_fmt(pct)} % komt van {n} van {base} met een afrondingsfout (zie het percentage)")
    if row is not None and row[0] + n == row[1]:
        return Finding(CONSISTENT, f"the printed row total {row[1]} confirms {n}; the percentage {_fmt(pct)} % does not fit it (see the percentage)",
                       f"het gedrukte rijtotaal {row[1]} bevestigt {n}; het percentage {_fmt(pct)} % past er niet bij (zie het percentage)")
    if not counts:
        return Finding(NOT_DERIVABLE, f"no count of {base} gives {_fmt(pct)} %, so the percentage cannot confirm {n}",
                       f"geen aantal van {base} geeft {_fmt(pct)} %, dus het percentage kan {n} niet bevestigen")
    en = f"{_fmt(pct)} % of {base} fits a count of {' or '.join(map(str, counts))}, not {n}"
    nl = f"{_fmt(pct)} % van {base} past bij {' of '.join(map(str, counts))}, niet bij {n}"
    likely = counts[0] if len(counts) == 1 and row is not None and row[0] + counts[0] == row[1] else None
    if likely is not None:
        en += f"; {likely} also makes the row add up to the printed total {row[1]}"
        nl += f"; met {likely} klopt ook het gedrukte rijtotaal {row[1]}"
    return Finding(INCONSISTENT, en, nl, recomputed=likely, likely_value=likely)


def rule_traceability(cited: int, reported: int) -> Finding:
    """The studies cited in the text for a code cannot outnumber the studies the table reports; ratio cited/reported."""
    if cited > reported:
        return Finding(INCONSISTENT, f"{cited} distinct {'study is' if cited == 1 else 'studies are'} cited for it in the text, the table reports {reported}",
                       f"in de tekst worden er {cited} verschillende studies voor geciteerd, de tabel meldt {reported}", lower=cited)
    ratio = f"{cited / reported:.0%}" if reported else "-"
    return Finding(CONSISTENT, f"{cited} of the {reported} reported studies are cited by number in the text ({ratio})",
                   f"{cited} van de {reported} gemelde studies worden met nummer geciteerd ({ratio})", lower=cited)


def rule_prose(stated: int, table_value: int, scope: str) -> Finding:
    """A count in words: equal to the table when it claims the whole category, at most the table for a subset."""
    if scope == "whole":
        return rule_bounds(stated, table_value, table_value, " (the table's count for the same category)", " (het aantal in de tabel voor dezelfde categorie)")
    return rule_bounds(stated, None, table_value, " (a subset of the table's count)", " (een deel van het aantal in de tabel)")


def rule_equal(published, recomputed, what_en: str, what_nl: str) -> Finding:
    """The published number equals a number the data gives."""
    status = CONSISTENT if published == recomputed else INCONSISTENT
    return Finding(status, f"{what_en}: {_fmt(recomputed)}", f"{what_nl}: {_fmt(recomputed)}", recomputed=recomputed)


# --- collectors: the rules applied to the corpus ----------------------------------------------------------

@dataclass
class _Ledger:
    rows: list = field(default_factory=list)

    def add(self, table, row, column, measure, published, check, finding: Finding, source=""):
        self.rows.append({"table": table, "row": row, "column": column, "measure": measure,
                          "published": None if published is None or pd.isna(published) else float(published),
                          "recomputed": finding.recomputed, "lower": finding.lower, "upper": finding.upper,
                          "status": finding.status, "check": check, "likely_value": finding.likely_value,
                          "explanation": finding.en, "explanation_nl": finding.nl, "source": source})


FACTOR_TABLES = {"individual": 1, "interpersonal": 2, "intervention": 3, "conditions": 4}
PATHWAY_TABLES = {"personal": 6, "practice": 7, "consequence": 8, "external_general": 9, "external_intervention": 10}


def _totals(data_dir) -> pd.DataFrame:
    t = load_published_totals(data_dir).astype({"table": str, "scope": str, "measure": str, "mechanism": "object"})
    t["mechanism"] = t["mechanism"].astype("object").where(t["mechanism"].notna(), None)
    return t


def _total(totals, table, scope, measure, mechanism=None):
    rows = totals[(totals["table"] == table) & (totals["scope"] == scope) & (totals["measure"] == measure)]
    if mechanism is not None:
        rows = rows[rows["mechanism"] == mechanism]
    return (float(rows["value"].iloc[0]), str(rows["source"].iloc[0])) if len(rows) else (None, "")


# Which citations trace a row of a table with a studies column: code kind -> the chapter whose statements count.
TRACED_IN = {"factor_subcategory": "factors", "domain": "effects", "hypothesis": CHAPTER}


def _cited(citations: pd.DataFrame, kind: str, chapter: str | None = None) -> dict[str, list[int]]:
    """Code -> the distinct studies cited for it (in ``chapter`` only, when given)."""
    c = citations[citations["code_kind"] == kind]
    if chapter:
        c = c[c["chapter"] == chapter]
    return {str(code): sorted(set(g["study_id"].astype(int))) for code, g in c.groupby("code", sort=True)}


def _check_counts_table(led, table, key, rows, measure, published_total, total_studies, cited, source, total_key="total",
                        ceiling=None, unit=("findings", "bevindingen")):
    """Rows of a count table (factors, domain effects): items vs studies, traceability against ``cited``
    (code -> cited studies), totals."""
    for r in rows.itertuples(index=False):
        code = getattr(r, key)
        n_items, n_studies = int(getattr(r, measure)), int(r.n_studies)
        led.add(table, code, measure, measure, n_items, "items_vs_studies", rule_items_vs_studies(n_items, n_studies, *unit), source)
        led.add(table, code, "n_studies", "n_studies", n_studies, "traceability",
                rule_traceability(len(cited.get(code, [])), n_studies), source)
    if published_total is not None:
        led.add(table, total_key, measure, measure, published_total[0], "rows_vs_total",
                rule_sum(rows[measure], published_total[0]), published_total[1])
    if total_studies is not None:
        led.add(table, total_key, "n_studies", "n_studies", total_studies[0], "study_total_bounds",
                rule_study_total(rows["n_studies"], total_studies[0], ceiling), total_studies[1])


def _check_factors(led, data_dir, totals, citations, n_review):
    factors = load_factors(data_dir).astype({"category": str, "subcategory": str})
    cited = _cited(citations, "factor_subcategory", TRACED_IN["factor_subcategory"])
    for category, number in FACTOR_TABLES.items():
        rows = factors[factors["category"] == category]
        table = f"tabel_{number}_factors_{category}"
        _check_counts_table(led, table, "subcategory", rows, "n_factors", _total(totals, "factors", category, "n_factors"),
                            _total(totals, "factors", category, "n_studies"), cited, f"Bijlage E Tabel {number}", ceiling=n_review,
                            unit=("factors", "factoren"))
        studies = sorted({s for sub in rows["subcategory"] for s in cited.get(sub, [])})
        reported, source = _total(totals, "factors", category, "n_studies")
        led.add(table, "total", "n_studies", "n_studies", reported, "traceability", rule_traceability(len(studies), int(reported)), source)


def _check_domain_effects(led, data_dir, totals, citations, n_review):
    rows = load_domain_effects(data_dir).astype({"domain": str})
    cited = _cited(citations, "domain", TRACED_IN["domain"])
    _check_counts_table(led, "tabel_5_domain_effects", "domain", rows, "n_effects", _total(totals, "domain_effects", "all", "n_effects"),
                        _total(totals, "domain_effects", "all", "n_studies"), cited, "Bijlage E Tabel 5", ceiling=n_review,
                        unit=("effects", "effecten"))


def _check_pathways(led, data_dir, totals, citations, n_review):
    pathways = load_pathways(data_dir).astype({"from_domain": str, "mechanism": str, "to_domain": str})
    cited = _cited(citations, "pathway", "effects")
    for from_domain, number in PATHWAY_TABLES.items():
        table, source = f"tabel_{number}_pathways_from_{from_domain}", f"Bijlage E Tabel {number}"
        rows = pathways[pathways["from_domain"] == from_domain].copy()
        rows["key"] = rows["mechanism"] + ":" + rows["to_domain"]
        codes = {f"{m}:{t}": len(cited.get(f"{from_domain}>{m}>{t}", [])) for m, t in zip(rows["mechanism"], rows["to_domain"])}
        for r in rows.itertuples(index=False):
            led.add(table, r.key, "n_effects", "n_effects", r.n_effects, "items_vs_studies",
                    rule_items_vs_studies(int(r.n_effects), int(r.n_studies), "effects", "effecten"), source)
            if codes[r.key]:
                led.add(table, r.key, "n_studies", "n_studies", r.n_studies, "traceability", rule_traceability(codes[r.key], int(r.n_studies)), source)
            else:
                led.add(table, r.key, "n_studies", "n_studies", r.n_studies, "items_vs_studies",
                        rule_bounds(int(r.n_studies), 1 if r.n_effects else 0, int(r.n_effects), " (at most one study per effect)",
                                    " (hoogstens een studie per effect)"), source)
        subtotals = []
        for mechanism in ("reflection", "enactment"):
            part = rows[rows["mechanism"] == mechanism]
            n_eff, n_st = (_total(totals, "pathways", from_domain, m, mechanism) for m in ("n_effects", "n_studies"))
            led.add(table, f"{mechanism}:total", "n_effects", "n_effects", n_eff[0], "rows_vs_total", rule_sum(part["n_effects"], n_eff[0]), n_eff[1])
            led.add(table, f"{mechanism}:total", "n_studies", "n_studies", n_st[0], "study_total_bounds",
                    rule_study_total(part["n_studies"], n_st[0], n_review), n_st[1])
            subtotals.append(int(n_st[0]))
        n_eff, n_st = (_total(totals, "pathways", from_domain, m, "all") for m in ("n_effects", "n_studies"))
        led.add(table, "all:total", "n_effects", "n_effects", n_eff[0], "rows_vs_total", rule_sum(rows["n_effects"], n_eff[0]), n_eff[1])
        led.add(table, "all:total", "n_studies", "n_studies", n_st[0], "study_total_bounds", rule_study_total(subtotals, n_st[0], n_review), n_st[1])


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if float(value).is_integer() else len(text.split(".")[1])




def _check_characteristics(led, data_dir, totals):
    table, source = "bijlage_d1_characteristics", "Bijlage D deel 1"
    chars = load_characteristics(data_dir).astype({"characteristic": str, "level": str, "group": str})
    size = {g: _total(totals, "characteristics", g, "n_studies") for g in (*GROUPS, "total")}
    n_review = int(size["total"][0])
    # the header: N per group, their sum and their percentages of the total
    led.add(table, "studies", "total", "n_studies", size["total"][0], "groups_vs_total",
            rule_sum([size[g][0] for g in GROUPS], size["total"][0]), size["total"][1])
    for g in GROUPS:
        pct = _total(totals, "characteristics", g, "pct")
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
                    names = ", ".join(corrected)
                    f = Finding(f.status, f"{f.en}; with the correction recorded beside the data ({names}) they add up to {fixed}",
                                f"{f.nl}; met de correctie die naast de gegevens staat ({names}) tellen ze op tot {fixed}",
                                f.recomputed, f.lower, f.upper, f.likely_value)
                led.add(table, row, g, "n", r.n, "groups_vs_total", f, source)
            if pd.isna(r.pct):
                if g != "total":
                    led.add(table, row, g, "n", r.n, "stated_only",
                            Finding(NOT_DERIVABLE, "printed without a percentage; nothing else in the data counts this cell",
                                    "gedrukt zonder percentage; niets anders in de gegevens telt deze cel"), source)
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
    size = {g: _total(totals, "characteristics", g, "n_studies")[0] for g in (*GROUPS, "total")}
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
                finding = Finding(NOT_DERIVABLE, "the groups differ", "de groepen verschillen")
            else:
                shown = f"{_fmt(want / UNIT_MINUTES.get(r.unit, 1))} {r.unit}"
                ok = _minutes(r) == want
                finding = Finding(CONSISTENT if ok else INCONSISTENT, f"the {r.quantity} over the groups is {shown}",
                                  f"de {r.quantity} over de groepen is {shown}",
                                  recomputed=want / UNIT_MINUTES.get(r.unit, 1))
            led.add(table, row, r.group, r.quantity, r.value, "range", finding, source)
        elif r.quantity in ("unknown_studies", "whole_group_cases"):
            led.add(table, row, r.group, r.quantity, r.value, "part_vs_whole",
                    rule_bounds(int(r.value), 0, int(size[r.group]), " (studies in the group)", " (studies in de groep)"), source)
        elif r.group == "both" and r.quantity == "value" and (r.characteristic, "total", "min") in get:
            lo, hi = get[(r.characteristic, "total", "min")], get[(r.characteristic, "total", "max")]
            f = rule_bounds(_minutes(r), _minutes(lo), _minutes(hi))
            ok = f.status
            led.add(table, row, r.group, r.quantity, r.value, "range",
                    Finding(ok, f"{_fmt(r.value)} {r.unit} lies within the overall range {_fmt(lo.value)} {lo.unit} .. {_fmt(hi.value)} {hi.unit}"
                            if ok == CONSISTENT else f"{_fmt(r.value)} {r.unit} lies outside the overall range",
                            f"{_fmt(r.value)} {r.unit} ligt binnen het totale bereik {_fmt(lo.value)} {lo.unit} .. {_fmt(hi.value)} {hi.unit}"
                            if ok == CONSISTENT else f"{_fmt(r.value)} {r.unit} ligt buiten het totale bereik"), source)
        elif r.group == "both" and r.quantity == "value" and (r.characteristic, "total", "largest") in get:
            hi = get[(r.characteristic, "total", "largest")]
            led.add(table, row, r.group, r.quantity, r.value, "range", rule_bounds(float(r.value), 1, float(hi.value),
                    " (up to the largest group)", " (tot de grootste groep)"), source)
        elif r.quantity == "largest" and (r.characteristic, r.group, "typical_max") in get:
            led.add(table, row, r.group, r.quantity, r.value, "range", rule_bounds(float(r.value), float(get[(r.characteristic, r.group, "typical_max")].value), None,
                    " (at least the usual group size)", " (minstens de gebruikelijke groepsgrootte)"), source)
        else:
            led.add(table, row, r.group, r.quantity, r.value, "stated_only",
                    Finding(NOT_DERIVABLE, "a description of the studies that the data does not record per study",
                            "een beschrijving van de studies die de gegevens niet per studie vastleggen"), source)


def _check_countries(led, data_dir, totals):
    table, source = "bijlage_d2_countries", "Bijlage D deel 2"
    c = load_countries(data_dir).astype({"continent": str, "country": str, "part_of": "object"})
    n_review = int(_total(totals, "characteristics", "total", "n_studies")[0])
    top = c[c["part_of"].isna()]
    n_of = dict(zip(c["country"], c["n"]))
    for r in c.itertuples(index=False):
        if pd.notna(r.part_of):
            whole = int(n_of[r.part_of])
            led.add(table, f"{r.continent}:{r.country}", "n", "n", r.n, "part_vs_whole",
                    rule_bounds(int(r.n), 0, whole, f" ({r.part_of})", f" ({r.part_of})"), source)
        else:
            led.add(table, f"{r.continent}:{r.country}", "n", "n", r.n, "stated_only",
                    Finding(NOT_DERIVABLE, "the data has no country per study", "de gegevens hebben geen land per studie"), source)
        if pd.notna(r.pct):
            led.add(table, f"{r.continent}:{r.country}", "pct", "pct", r.pct, "percentage",
                    rule_percentage(int(r.n), n_review, float(r.pct), int(r.pct_decimals)), source)
    for continent, rows in top.groupby("continent", sort=False):
        published, src = _total(totals, "countries", continent, "n_studies")
        if published is not None:
            led.add(table, f"{continent}:total", "n", "n", published, "rows_vs_total", rule_sum(rows["n"], published), src)
    led.add(table, "total:total", "n", "n", n_review, "rows_vs_total", rule_sum(top["n"], n_review), "Bijlage D deel 1 (kolomkop)")


def _check_hypotheses(led, data_dir, citations, n_review):
    cited = _cited(citations, "hypothesis", TRACED_IN["hypothesis"])
    for r in load_hypotheses(data_dir).itertuples(index=False):
        n = int(r.n_studies)
        led.add("bijlage_f_hypotheses", f"H{r.hypothesis}", "n_studies", "n_studies", n, "traceability",
                rule_traceability(len(cited.get(f"H{r.hypothesis}", [])), n), "Bijlage F")
        led.add("bijlage_f_hypotheses", f"H{r.hypothesis}", "n_studies", "n_studies", n, "part_vs_whole",
                rule_bounds(n, 0, n_review, " (studies in the review)", " (studies in de review)"), "Bijlage F")


def _check_prose(led, data_dir, citations):
    prose = load_prose_counts(data_dir).astype({"chapter": str, "code_kind": str, "code": str, "scope": str})
    factors = load_factors(data_dir).astype({"category": str, "subcategory": str}).set_index("subcategory")
    domains = load_domain_effects(data_dir).astype({"domain": str}).set_index("domain")
    hyps = load_hypotheses(data_dir).set_index("hypothesis")
    cited_by = {}  # (kind, chapter) -> code -> cited studies, each grouping done once
    for r in prose.itertuples(index=False):
        if r.code_kind == "factor_subcategory":
            category = str(factors.loc[r.code, "category"])
            table_value, item = int(factors.loc[r.code, "n_studies"]), f"tabel_{FACTOR_TABLES[category]}_factors_{category}"
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
                cited_by[(r.code_kind, r.chapter)] = _cited(citations, r.code_kind, r.chapter)
            cited = cited_by[(r.code_kind, r.chapter)].get(r.code, [])
            led.add("prose_counts", r.count_id, r.code, "n_studies", r.n_studies, "prose_vs_citations",
                    rule_equal(int(r.n_studies), len(cited), f"distinct studies cited for it ({', '.join(map(str, cited))})",
                               f"verschillende studies hiervoor geciteerd ({', '.join(map(str, cited))})"), source)


def _check_study_totals(led, data_dir, totals):
    studies = load_studies(data_dir)
    flow = load_selection_flow(data_dir).astype({"step": str, "qualifier": str}).set_index("step")
    n_articles, n_groups = len(studies), studies["study_group"].nunique()
    table = "selection_flow"
    for step, r in flow.iterrows():
        src = str(r.source)
        if step == "articles_included":
            led.add(table, step, "n", "n", r.n, "corpus_count", rule_equal(int(r.n), n_articles, "articles in studies.csv", "artikelen in studies.csv"), src)
        elif step == "studies_included":
            led.add(table, step, "n", "n", r.n, "corpus_count",
                    rule_bounds(int(r.n), None, n_groups, f" (the {n_groups} participant groups the text lets us tell apart; "
                                "the other links between articles are lost)",
                                f" (de {n_groups} deelnemersgroepen die de tekst laat onderscheiden; de andere koppelingen tussen artikelen zijn verloren)"), src)
        elif step == "search_period_start":
            led.add(table, step, "n", "n", r.n, "range", rule_bounds(int(r.n), None, int(studies["year"].min()), " (earliest publication year of the 76 articles)",
                                                                  " (vroegste publicatiejaar van de 76 artikelen)"), src)
        elif step == "search_period_end":
            led.add(table, step, "n", "n", r.n, "range", rule_bounds(int(r.n), int(studies["year"].max()), None, " (latest publication year of the 76 articles)",
                                                                  " (laatste publicatiejaar van de 76 artikelen)"), src)
        elif step == "full_texts_assessed":
            led.add(table, step, "n", "n", r.n, "part_vs_whole", rule_bounds(int(r.n), n_articles, None, " (articles included)", " (opgenomen artikelen)"), src)
        elif step == "abstract_threshold":
            led.add(table, step, "n", "n", r.n, "part_vs_whole", rule_bounds(int(r.n), 0, int(flow.loc["selection_criteria", "n"]),
                                                                          " (number of criteria)", " (aantal criteria)"), src)
        else:
            why = ("the report gives no number" if pd.isna(r.n) else "nothing in the data counts this")
            why_nl = ("het rapport geeft geen getal" if pd.isna(r.n) else "niets in de gegevens telt dit")
            led.add(table, step, "n", "n", r.n, "stated_only", Finding(NOT_DERIVABLE, f"{why} ('{r.printed}')", f"{why_nl} ('{r.printed}')"), src)
    # the participant groups of the header against the coded articles: an upper bound per group
    known = studies["participant_group"].astype("object")
    unknown = int(known.isna().sum())
    for g in GROUPS:
        n, src = _total(totals, "characteristics", g, "n_studies")
        coded = int((known == g).sum())
        led.add("study_totals", "participant_group", g, "n_studies", n, "corpus_count",
                rule_bounds(int(n), None, coded + unknown, f" (articles: {coded} coded {g} + {unknown} without descriptors)",
                            f" (artikelen: {coded} gecodeerd als {g} + {unknown} zonder kenmerken)"), src)


def _check_figures(led, data_dir):
    """Compare every number the pathway/model figures draw with the table it comes from."""
    from .figures import figure_labels
    effects = load_domain_effects(data_dir).astype({"domain": str}).set_index("domain")
    pathways = load_pathways(data_dir).astype({"from_domain": str, "mechanism": str, "to_domain": str})
    for item, drawn in figure_labels(data_dir).items():
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
            shown = " / ".join(map(str, numbers)) or "nothing"
            led.add(item, row_code, "label", "n_effects", expected[0], "figure_vs_table",
                    Finding(status, f"the figure shows {shown}; the table gives {' / '.join(map(str, expected))}",
                            f"de figuur toont {shown}; de tabel geeft {' / '.join(map(str, expected))}"), src)
    # the report's own claim about Figuur 2: Denken does not reach the domain of consequence
    r = pathways[(pathways.from_domain == "external_intervention") & (pathways.mechanism == "reflection") & (pathways.to_domain == "consequence")].iloc[0]
    led.add("figuur_2_denken", "external_intervention:reflection:consequence", "text", "n_effects", 0, "figure_vs_table",
            rule_equal(0, int(r.n_effects), "the text says Denken does not reach this domain; Tabel 10 gives",
                       "de tekst zegt dat Denken dit domein niet bereikt; Tabel 10 geeft"), "Effecten, deel 2 (bij Figuur 2 en 3)")


LEDGER_COLUMNS = ["table", "row", "column", "measure", "published", "recomputed", "lower", "upper", "status", "check",
                  "likely_value", "explanation", "explanation_nl", "source"]


def ledger(data_dir=None, figures: bool = True) -> pd.DataFrame:
    """Every published number with the checks applied to it (see the module docstring for the columns)."""
    led = _Ledger()
    totals = _totals(data_dir)
    citations = load_citations(data_dir).astype({"code_kind": str, "chapter": str, "code": str})
    n_review = int(_total(totals, "characteristics", "total", "n_studies")[0])
    _check_study_totals(led, data_dir, totals)
    _check_characteristics(led, data_dir, totals)
    _check_characteristic_values(led, data_dir, totals)
    _check_countries(led, data_dir, totals)
    _check_factors(led, data_dir, totals, citations, n_review)
    _check_domain_effects(led, data_dir, totals, citations, n_review)
    _check_pathways(led, data_dir, totals, citations, n_review)
    _check_hypotheses(led, data_dir, citations, n_review)
    _check_prose(led, data_dir, citations)
    if figures:
        _check_figures(led, data_dir)
    out = pd.DataFrame(led.rows, columns=LEDGER_COLUMNS)
    for col in ("published", "recomputed", "lower", "upper", "likely_value"):
        out[col] = out[col].astype("Float64")
    return out


FIGURE_TABLES = ("figuur_1_model", "figuur_1_model_evidence", "figuur_2_denken", "figuur_3_doen", "pathway_network")


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


# --- traceability ---------------------------------------------------------------------------------------

def traceability(data_dir=None) -> pd.DataFrame:
    """Per factor subcategory, domain (Tabel 5) and hypothesis: distinct studies cited for it in the text versus the
    studies the table reports. Columns: ``kind``, ``code``, ``category`` (factor category; the kind otherwise),
    ``cited``, ``reported``, ``ratio`` (cited / reported), ``studies`` (the cited study numbers, ``;``-separated)."""
    citations = load_citations(data_dir).astype({"code_kind": str, "chapter": str, "code": str})
    rows = []
    factors = load_factors(data_dir).astype({"category": str, "subcategory": str})
    cited = _cited(citations, "factor_subcategory", TRACED_IN["factor_subcategory"])
    for r in factors.itertuples(index=False):
        rows.append(("factor_subcategory", r.subcategory, r.category, cited.get(r.subcategory, []), int(r.n_studies)))
    cited = _cited(citations, "domain", TRACED_IN["domain"])
    for r in load_domain_effects(data_dir).astype({"domain": str}).itertuples(index=False):
        rows.append(("domain", r.domain, "domain", cited.get(r.domain, []), int(r.n_studies)))
    cited = _cited(citations, "hypothesis", TRACED_IN["hypothesis"])
    for r in load_hypotheses(data_dir).itertuples(index=False):
        rows.append(("hypothesis", f"H{r.hypothesis}", "hypothesis", cited.get(f"H{r.hypothesis}", []), int(r.n_studies)))
    out = pd.DataFrame([{"kind": k, "code": c, "category": cat, "cited": len(s), "reported": rep,
                         "ratio": round(len(s) / rep, 4) if rep else float("nan"), "studies": ";".join(map(str, s))}
                        for k, c, cat, s, rep in rows])
    return out.astype({"cited": "int64", "reported": "int64"})


def traceability_ratio(trace: pd.DataFrame) -> float:
    """Overall traceability: all cited study counts over all reported study counts (each code counted once)."""
    return round(float(trace["cited"].sum() / trace["reported"].sum()), 4)


def never_cited(data_dir=None) -> list[int]:
    """Study numbers that no statement in the body text cites."""
    cited = set(load_citations(data_dir)["study_id"].astype(int))
    return [int(s) for s in load_studies(data_dir)["study_id"] if int(s) not in cited]


def evidence_map(data_dir=None) -> pd.DataFrame:
    """Hypotheses x studies from the citations in the chapter Realist synthesis: one row per (hypothesis, study) with
    the direction of the evidence (``mixed`` when one study is cited both ways) and the study's ``participant_group``
    and ``activity_type`` (<NA> when unknown). Built on :func:`peerlearn.synthesis.cited`."""
    from .synthesis import cited

    c = cited(code_kind="hypothesis", chapter=CHAPTER, data_dir=data_dir).astype(
        {"code": str, "direction": str, "participant_group": "object", "activity_type": "object"})
    c = c.assign(hypothesis=c["code"].str.lstrip("H").astype(int))
    out = (c.groupby(["hypothesis", "study_id"], sort=True)
           .agg(direction=("direction", lambda s: s.iloc[0] if s.nunique() == 1 else "mixed"),
                participant_group=("participant_group", "first"), activity_type=("activity_type", "first"))
           .reset_index())
    return out.astype({"study_id": "int64", "hypothesis": "int64"})


def headline(data_dir=None, led: pd.DataFrame | None = None) -> dict:
    """The headline figures: published numbers checked and their status, checks run, figure labels checked and
    mismatched, the overall traceability ratio and the number of studies never cited."""
    led = ledger(data_dir) if led is None else led
    per_number = numbers(led)
    in_figures = per_number["table"].isin(FIGURE_TABLES)
    counts = per_number.loc[~in_figures, "status"].value_counts()
    return {"numbers": int((~in_figures).sum()), "checks": int((~led["table"].isin(FIGURE_TABLES)).sum()),
            **{s: int(counts.get(s, 0)) for s in STATUSES},
            "figure_numbers": int(in_figures.sum()),
            "figure_mismatches": int((per_number.loc[in_figures, "status"] == INCONSISTENT).sum()),
            "traceability_ratio": traceability_ratio(traceability(data_dir)), "never_cited": len(never_cited(data_dir))}


TEXT = {
    "en": {"head": "peerlearn audit: {numbers} published numbers checked ({checks} checks): {consistent} consistent, "
                   "{inconsistent} inconsistent, {not_derivable} not derivable from the data",
           "figures": "figures: {figure_numbers} numbers drawn, {figure_mismatches} differ from their tables",
           "trace": "traceability: the text cites by number {pct} of the studies the tables report; "
                    "{never_cited} of {n_studies} studies are never cited",
           "per_table": "per table (numbers / consistent / inconsistent / not derivable):"},
    "nl": {"head": "peerlearn audit: {numbers} gepubliceerde getallen gecontroleerd ({checks} controles): {consistent} kloppen, "
                   "{inconsistent} kloppen niet, {not_derivable} niet af te leiden uit de gegevens",
           "figures": "figuren: {figure_numbers} getallen getekend, {figure_mismatches} wijken af van hun tabel",
           "trace": "herleidbaarheid: de tekst citeert met nummer {pct} van de studies die de tabellen melden; "
                    "{never_cited} van de {n_studies} studies worden nooit geciteerd",
           "per_table": "per tabel (getallen / kloppen / kloppen niet / niet af te leiden):"},
}


VIEW_TITLES = {  # column -> (Dutch, English) title for display
    "table": ("Tabel", "Table"), "row": ("Rij", "Row"), "column": ("Kolom", "Column"), "measure": ("Maat", "Measure"),
    "published": ("Gepubliceerd", "Published"), "recomputed": ("Herberekend", "Recomputed"),
    "likely_value": ("Waarschijnlijk bedoeld", "Likely intended"), "check": ("Controle", "Check"),
    "explanation": ("Toelichting", "Explanation"), "numbers": ("Getallen", "Numbers"), "status": ("Oordeel", "Status"),
    CONSISTENT: ("Klopt", "Consistent"), INCONSISTENT: ("Klopt niet", "Inconsistent"),
    NOT_DERIVABLE: ("Niet af te leiden", "Not derivable"),
}


def _titled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    i = 0 if lang == "nl" else 1
    return frame.rename(columns={c: VIEW_TITLES[c][i] for c in frame.columns if c in VIEW_TITLES})


def view(frame: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """Ledger rows for reading: where, the numbers, the rule and the explanation in one language, titled in that language."""
    columns = ["table", "row", "column", "measure", "published", "recomputed", "likely_value", "check"]
    out = frame[columns].copy()
    out["explanation"] = frame["explanation_nl" if lang == "nl" else "explanation"]
    return _titled(out.reset_index(drop=True), lang)


def summary_view(led: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """:func:`summary` with column titles in Dutch or English."""
    return _titled(summary(led), lang)


def report_lines(data_dir=None, lang: str = "en", led: pd.DataFrame | None = None) -> list[str]:
    """The audit's headline as terminal lines: numbers checked, figures, traceability, and per table
    (the inconsistent numbers themselves are listed as findings: :mod:`peerlearn.findings`)."""
    led = ledger(data_dir) if led is None else led
    head = headline(data_dir, led)
    t = TEXT[lang]
    lines = [t["head"].format(**head), t["figures"].format(**head),
             t["trace"].format(pct=f"{head['traceability_ratio']:.1%}", never_cited=head["never_cited"],
                               n_studies=len(load_studies(data_dir))), "", t["per_table"]]
    summ = summary(led)
    width = max(len(x) for x in summ["table"])
    for r in summ.itertuples(index=False):
        lines.append(f"  {r.table:<{width}}  {r.numbers:>4} {r.consistent:>4} {r.inconsistent:>4} {r.not_derivable:>4}")
    return lines
