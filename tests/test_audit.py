"""The audit: each rule on made-up numbers (where it must pass and where it must fail), then the ledger on the
corpus and on deliberately broken copies of it."""

from __future__ import annotations

import csv
import importlib
import os
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import commands
from budgets import examples
from peerlearn import audit as A
from peerlearn import tables as T
from peerlearn.audit import rules as R
from peerlearn.audit.ledger import LEDGER_COLUMNS
from peerlearn.audit.rules import CONSISTENT, INCONSISTENT, NOT_DERIVABLE
from peerlearn.audit.text import summary
from peerlearn.corpus import (
    load_characteristics,
    load_factors,
    load_hypotheses,
    load_pathways,
    load_published_totals,
    load_studies,
)
from peerlearn.findings import findings
from peerlearn.messages import words
from peerlearn.paths import REPO_ROOT
from reliability import run_peerlearn

# --- rules on made-up numbers ------------------------------------------------------------------------------


def test_rule_sum():
    assert R.rule_sum([1, 2, 3], 6).status == CONSISTENT
    bad = R.rule_sum([1, 2, 3], 7)
    assert bad.status == INCONSISTENT and bad.recomputed == 6 and "+1" in bad.en


def test_rule_bounds_and_study_total():
    assert R.rule_bounds(5, 1, 9).status == CONSISTENT
    assert R.rule_bounds(0, 1, 9).status == INCONSISTENT
    assert R.rule_bounds(10, None, 9).status == INCONSISTENT
    assert R.rule_bounds(4, 4, 4).status == CONSISTENT and R.rule_bounds(3, 4, 4).recomputed == 4
    # a study total lies between the largest row and the sum of rows
    assert R.rule_study_total([3, 5, 2], 7).status == CONSISTENT
    assert R.rule_study_total([3, 5, 2], 4).status == INCONSISTENT  # below the largest row
    assert R.rule_study_total([3, 5, 2], 11).status == INCONSISTENT  # above the sum
    assert R.rule_study_total([30, 31], 62, ceiling=60).status == INCONSISTENT  # above the review's size


def test_rule_items_vs_studies():
    assert R.rule_items_vs_studies(6, 5).status == CONSISTENT
    assert R.rule_items_vs_studies(5, 6).status == INCONSISTENT
    assert R.rule_items_vs_studies(0, 0).status == CONSISTENT
    assert R.rule_items_vs_studies(0, 2).status == INCONSISTENT
    assert R.rule_items_vs_studies(3, 0).status == INCONSISTENT


def test_grim_counts():
    assert R.percentage_counts(33, 0, 43) == [14]
    assert R.percentage_counts(8, 0, 67) == []  # no integer count of 67 gives 8 %
    assert R.percentage_counts(1.5, 1, 67) == [1]
    assert R.percentage_counts(50, 0, 4) == [2]
    assert R.percentage_counts(100, 0, 5) == [5] and R.percentage_counts(0, 0, 5) == [0]
    assert T.round_half_up(100 * 1 / 8, 1) == 12.5 and T.round_half_up(2.5) == 3.0


def test_rule_percentage_explains_the_kind_of_slip():
    assert R.rule_percentage(4, 43, 9, 0).status == CONSISTENT
    double = R.rule_percentage(10, 23, 44, 0)  # 43.48 -> 43.5 -> 44
    assert double.status == INCONSISTENT and "double rounding" in double.en
    cut = R.rule_percentage(28, 67, 41, 0)  # 41.79 cut off to 41
    assert cut.status == INCONSISTENT and "cut off" in cut.en
    grim = R.rule_percentage(1, 43, 33, 0)  # 33 % of 43 is 14, not 1
    assert grim.status == INCONSISTENT and "14" in grim.en and grim.recomputed == 2
    base = R.rule_percentage(3, 23, 14, 0)  # no count of 23 gives 14 %, 3 of 21 or 22 does
    assert base.status == INCONSISTENT and "3 of 21 or 22" in base.en
    none = R.rule_percentage(1, 10, 77, 0)
    assert none.status == INCONSISTENT and "no count" in none.en


def test_rule_count_vs_percentage():
    assert R.rule_count_vs_percentage(14, 43, 33, 0).status == CONSISTENT
    wrong = R.rule_count_vs_percentage(1, 43, 33, 0, row=(7, 21))
    assert wrong.status == INCONSISTENT and wrong.likely_value == 14
    unpinned = R.rule_count_vs_percentage(1, 43, 33, 0, row=(7, 30))  # 14 would not make the row add up
    assert unpinned.status == INCONSISTENT and unpinned.likely_value is None
    confirmed = R.rule_count_vs_percentage(14, 23, 70, 0, row=(9, 23))  # the row total confirms the count
    assert confirmed.status == CONSISTENT
    assert R.rule_count_vs_percentage(3, 23, 14, 0).status == NOT_DERIVABLE  # no count of 23 gives 14 %
    assert R.rule_count_vs_percentage(10, 23, 44, 0).status == CONSISTENT  # a double rounding of 10/23


def test_rule_traceability_and_prose():
    assert R.rule_traceability(3, 8).status == CONSISTENT
    assert R.rule_traceability(1, 0).status == INCONSISTENT
    assert R.rule_prose(3, 3, "whole").status == CONSISTENT
    assert R.rule_prose(2, 8, "whole").status == INCONSISTENT
    assert R.rule_prose(2, 8, "subset").status == CONSISTENT
    assert R.rule_prose(9, 8, "subset").status == INCONSISTENT


# --- helpers that exist once, shared by the audit and the tables ----------------------------------------------


@given(x=st.floats(0, 1000, allow_nan=False), decimals=st.integers(0, 2))
@settings(max_examples=examples(60), deadline=None)
def test_round_half_up_is_one_rule_for_a_number_and_a_column(x, decimals):
    column = T.round_half_up(pd.Series([x, x]), pd.Series([decimals, decimals]))
    assert list(column) == [T.round_half_up(x, decimals)] * 2
    assert abs(T.round_half_up(x, decimals) - x) <= 0.5 * 10**-decimals + 1e-9


def test_a_printed_total_is_looked_up_in_one_place():
    """The tables show exactly the printed totals the ledger checks; a total the report does not print is <NA> in a
    table and (None, "") for the ledger."""
    totals = T.published_totals()
    for category in T.FACTOR_TABLES:
        table = T.factor_table(category)
        total = table[table["subcategory"] == T.TOTAL].iloc[0]
        for measure in ("n_factors", "n_studies"):
            value, source = T.published_total(totals, "factors", category, measure)
            assert total[f"{measure}_published"] == value and source
    assert T.published_total(totals, "factors", "individual", "no_such_measure") == (None, "")
    assert A.ledger(figures=False)["table"].isin([T.factor_table_id(c) for c in T.FACTOR_TABLES]).any()


def test_cited_studies_per_hypothesis_are_counted_once_for_the_audit_and_the_synthesis():
    from peerlearn.synthesis import CHAPTER, cited_studies, evidence_overview

    raw = pd.read_csv(REPO_ROOT / "data" / "raw" / "citations.csv", dtype=str, keep_default_na=False)
    raw = raw[(raw["code_kind"] == "hypothesis") & (raw["chapter"] == CHAPTER)]
    expected = {code: sorted({int(s) for s in part["study_id"]}) for code, part in raw.groupby("code")}
    assert cited_studies("hypothesis", CHAPTER) == expected
    trace = A.traceability().set_index("code")
    overview = evidence_overview()
    for r in overview.itertuples():
        code = f"H{r.hypothesis}"
        assert r.n_studies_cited == trace.loc[code, "cited"] == len(expected.get(code, []))


def test_texts_with_counts_take_them_from_the_data(ledger):
    flow = ledger[(ledger["table"] == "selection_flow") & (ledger["row"] == "search_period_start")].iloc[0]
    n = len(load_studies())
    assert f"of the {n} articles" in flow["explanation"] and f"van de {n} artikelen" in flow["explanation_nl"]


# --- the ledger on the corpus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ledger():
    return A.ledger()


def test_ledger_columns_and_codes(ledger):
    assert list(ledger.columns) == LEDGER_COLUMNS
    assert set(ledger["status"]) <= set(A.STATUSES)
    assert set(ledger["check"]) <= set(words("audit.check", "en"))
    assert ledger["explanation"].str.len().gt(0).all() and ledger["explanation_nl"].str.len().gt(0).all()
    # a value the data pins down is given wherever a check is consistent by equality
    sums = ledger[ledger["check"] == "rows_vs_total"]
    assert sums["recomputed"].notna().all()


def _keys(ledger, table):
    part = ledger[ledger["table"] == table]
    return set(zip(part["row"], part["column"]))


def test_ledger_covers_every_published_number(ledger):
    factors = load_factors()
    for r in factors.itertuples():
        table = T.factor_table_id(str(r.category))
        assert {(r.subcategory, "n_factors"), (r.subcategory, "n_studies")} <= _keys(ledger, table)
    for r in load_published_totals().itertuples():
        if r.table == "factors":
            assert ("total", str(r.measure)) in _keys(ledger, T.factor_table_id(r.scope))
        elif r.table == "pathways":
            table = T.pathway_table_id(r.scope)
            assert (f"{r.mechanism}:total", str(r.measure)) in _keys(ledger, table)
        elif r.table == "characteristics":
            assert ("studies", r.scope) in _keys(ledger, "bijlage_d1_characteristics")
        elif r.table == "countries":
            assert (f"{r.scope}:total", "n") in _keys(ledger, "bijlage_d2_countries")
    chars = load_characteristics()
    keys = _keys(ledger, "bijlage_d1_characteristics")
    for r in chars.itertuples():
        assert (f"{r.characteristic}:{r.level}", r.group) in keys
    d1 = ledger[ledger["table"] == "bijlage_d1_characteristics"]
    assert d1[d1["measure"] == "pct"].shape[0] == chars["pct"].notna().sum() + 3  # + the header's three percentages
    assert len(ledger[ledger["table"] == "bijlage_f_hypotheses"]["row"].unique()) == len(load_hypotheses())
    assert set(ledger[ledger["table"] == "prose_counts"]["row"]) == set(
        pd.read_csv(_raw("prose_counts.csv"))["count_id"]
    )
    assert set(ledger[ledger["table"] == "selection_flow"]["row"]) == set(
        pd.read_csv(_raw("selection_flow.csv"))["step"]
    )
    values = pd.read_csv(_raw("characteristic_values.csv"))
    for r in values.itertuples():
        assert (f"{r.characteristic}:{r.quantity}", r.group) in keys


def _raw(name):
    from peerlearn.paths import RAW_DIR

    return RAW_DIR / name


def test_known_inconsistencies_are_found_with_values_from_the_data(ledger):
    chars = load_characteristics().astype({"characteristic": str, "level": str, "group": str})
    corrected = chars[chars["n_corrected"].notna()].iloc[0]
    row = ledger[
        (ledger["row"] == f"{corrected.characteristic}:{corrected.level}")
        & (ledger["column"] == corrected.group)
        & (ledger["check"] == "count_vs_percentage")
    ].iloc[0]
    assert row["status"] == INCONSISTENT and row["likely_value"] == corrected.n_corrected
    factors = load_factors()
    interpersonal = ledger[
        (ledger["table"] == "tabel_2_factors_interpersonal")
        & (ledger["row"] == "total")
        & (ledger["check"] == "rows_vs_total")
    ].iloc[0]
    assert interpersonal["recomputed"] == factors[factors["category"] == "interpersonal"]["n_factors"].sum()


def test_numbers_and_summary_agree(ledger):
    per_number = A.numbers(ledger)
    assert not per_number.duplicated(["table", "row", "column", "measure"]).any()
    per_table = summary(ledger)
    total = per_table[per_table["table"] == "total"].iloc[0]
    head = A.headline(led=ledger)
    assert total["numbers"] == head["numbers"] == head["consistent"] + head["inconsistent"] + head["not_derivable"]
    # a number is inconsistent as soon as one of its checks is
    bad = ledger[ledger["status"] == INCONSISTENT][["table", "row", "column", "measure"]].drop_duplicates()
    bad.loc[ledger["check"] == "levels_vs_group_size", "row"] = "studies"
    merged = bad.merge(per_number, on=["table", "row", "column", "measure"])
    assert (merged["status"] == INCONSISTENT).all()


def test_traceability_counts_distinct_cited_studies():
    from peerlearn.corpus import load_citations

    trace = A.traceability()
    c = load_citations().astype({"code": str, "code_kind": str, "chapter": str})
    motivation = c[(c["code"] == "motivation") & (c["chapter"] == "factors")]["study_id"].nunique()
    assert trace.set_index("code").loc["motivation", "cited"] == motivation
    assert A.traceability_ratio(trace) == round(trace["cited"].sum() / trace["reported"].sum(), 4)
    never = A.never_cited()
    assert set(never).isdisjoint(set(c["study_id"])) and len(never) + c["study_id"].nunique() == len(load_studies())


def test_evidence_map_is_the_hypothesis_citations():
    from peerlearn.corpus import load_citations

    ev = A.evidence_map()
    c = load_citations().astype({"code": str, "code_kind": str})
    pairs = set(
        zip(
            c[c["code_kind"] == "hypothesis"]["code"].str.lstrip("H").astype(int),
            c[c["code_kind"] == "hypothesis"]["study_id"],
        )
    )
    assert set(zip(ev["hypothesis"], ev["study_id"])) == pairs
    assert {"participant_group", "activity_type", "direction"} <= set(ev.columns)


# --- broken copies: a changed number must show up in the ledger --------------------------------------------


def _edit(path, match: dict, changes: dict):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys())
    hit = 0
    for r in rows:
        if all(r[k] == v for k, v in match.items()):
            r.update(changes)
            hit += 1
    assert hit == 1, f"expected one row matching {match}"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_a_changed_row_breaks_its_total(corpus):
    row = {"from_domain": "external_intervention", "mechanism": "reflection", "to_domain": "personal"}
    paths = load_pathways(corpus).astype({k: str for k in row})
    current = paths.loc[(paths[list(row)] == pd.Series(row)).all(axis=1), "n_effects"].item()
    _edit(corpus / "pathways.csv", row, {"n_effects": str(current + 1)})
    led = A.ledger(corpus, figures=False)
    row = led[
        (led["table"] == "tabel_10_pathways_from_external_intervention")
        & (led["row"] == "reflection:total")
        & (led["measure"] == "n_effects")
    ].iloc[0]
    assert row["status"] == INCONSISTENT and row["recomputed"] == row["published"] + 1


def test_a_repaired_total_becomes_consistent(corpus):
    factors = load_factors(corpus)
    part = factors[factors["category"] == "interpersonal"]
    first = part.iloc[0]
    totals = load_published_totals(corpus).astype({"table": str, "scope": str, "measure": str})
    printed = totals.loc[
        (totals["table"] == "factors") & (totals["scope"] == "interpersonal") & (totals["measure"] == "n_factors"),
        "value",
    ].item()
    gap = int(printed) - int(part["n_factors"].sum())
    assert gap, "test setup: the printed total already matches the rows"
    _edit(
        corpus / "factors.csv", {"subcategory": str(first.subcategory)}, {"n_factors": str(int(first.n_factors) + gap)}
    )
    led = A.ledger(corpus, figures=False)
    row = led[
        (led["table"] == "tabel_2_factors_interpersonal") & (led["row"] == "total") & (led["check"] == "rows_vs_total")
    ].iloc[0]
    assert row["status"] == CONSISTENT


def test_the_ledger_is_rebuilt_when_the_corpus_changes_in_place(corpus):
    """The ledger is cached by the corpus's content, not by its folder or the files' times: an edit in place with the
    old mtime restored is seen, and each call gets its own copy."""
    first = A.ledger(corpus, figures=False)
    first.loc[:, "status"] = "changed by the caller"
    path = corpus / "prose_counts.csv"
    stat = path.stat()
    _edit(path, {"count_id": "P02"}, {"n_studies": "4"})
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    led = A.ledger(corpus, figures=False)
    assert set(led.loc[(led["table"] == "prose_counts") & (led["row"] == "P02"), "status"]) == {INCONSISTENT}
    assert "changed by the caller" not in set(led["status"])


def test_a_wrong_prose_count_is_reported(corpus):
    _edit(corpus / "prose_counts.csv", {"count_id": "P02"}, {"n_studies": "4"})
    led = A.ledger(corpus, figures=False)
    rows = led[(led["table"] == "prose_counts") & (led["row"] == "P02")]
    assert set(rows["status"]) == {INCONSISTENT}
    assert set(rows["check"]) == {"prose_vs_table", "prose_vs_citations"}


# --- the command -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "run",
    [
        pytest.param(commands.run, id="in-process"),
        pytest.param(lambda *args: run_peerlearn(REPO_ROOT, *args), id="process", marks=pytest.mark.slow),
    ],
)
def test_audit_command_reports_and_exits_zero(ledger, run):
    result = run("audit")  # also checks that data/raw is unchanged
    assert result.returncode == 0, result.stderr
    head = A.headline(led=ledger)
    assert f"{head['numbers']} published numbers checked" in result.stdout
    assert f"{head['inconsistent']} inconsistent" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    found = findings(led=ledger)
    assert (
        f"{len(found)} findings explain the {head['inconsistent'] + head['figure_mismatches']} inconsistent numbers"
        in result.stdout
    )
    assert result.stdout.count("\nFinding ") == len(found)  # one block per finding


def test_audit_command_on_a_broken_corpus(corpus):
    (corpus / "factors.csv").write_text("category,subcategory\n", encoding="utf-8")
    result = commands.run("audit", "--data-dir", str(corpus))
    assert result.returncode == 1
    assert "factors.csv" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow  # a real process whose reader closes stdout
def test_audit_command_read_only_in_part_gives_no_traceback():
    proc = subprocess.Popen(
        [sys.executable, "-m", "peerlearn", "audit"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # like `peerlearn audit | head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and first.startswith(b"peerlearn audit:")
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_a_drawn_number_that_differs_from_its_table_is_caught(monkeypatch):
    """The audit checks what the figures draw (drawn_numbers) against the tables: a label showing another number
    is flagged, in that figure and on that row only."""
    import peerlearn.drawn as D
    from peerlearn.codebook import ContentCache

    real = D.drawn_numbers

    def shifted(data_dir=None):
        drawn = real(data_dir)
        labels = drawn["figuur_1_model_evidence"]
        labels["node__practice"] = (labels["node__practice"][0] + 1, *labels["node__practice"][1:])
        return drawn

    monkeypatch.setattr(D, "drawn_numbers", shifted)
    ledger_module = importlib.import_module("peerlearn.audit.ledger")  # peerlearn.audit.ledger is also the function
    monkeypatch.setattr(ledger_module, "_LEDGERS", ContentCache(8))  # the code changed: do not reuse a cached ledger
    led = A.ledger()
    bad = led[(led["status"] == INCONSISTENT) & led["table"].isin(A.FIGURE_TABLES)]
    assert list(zip(bad["table"], bad["row"])) == [("figuur_1_model_evidence", "practice")]


def test_the_audit_checks_every_drawn_number(ledger):
    """One figure number per label the figures draw (plus the text's claim about Figuur 2)."""
    from peerlearn.drawn import drawn_numbers

    head = A.headline(led=ledger)
    assert head["figure_numbers"] == sum(len(labels) for labels in drawn_numbers().values()) + 1


@pytest.mark.slow  # a whole process; the fast loop has the same rule statically: test_architecture's layer contracts
def test_the_audit_runs_without_drawing():
    """The audit never imports matplotlib or the figures (no audit <-> figures cycle), even lazily at run time."""
    code = (
        "import sys, peerlearn.audit as A; A.ledger(); "
        "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'peerlearn.figures', 'peerlearn.graph'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stdout + result.stderr
