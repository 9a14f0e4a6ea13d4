"""Valid means usable: whatever `validate` accepts, audit, every export, the walkthrough and the report's tables handle.

Property-style: delete single rows of the tables and put generated values into cells; each corpus must either be
refused by validation with one-line problems, or go through everything the commands do (``usability.use``) without
an exception. Tables and columns come from the descriptor, never from a list typed here.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import commands
import peerlearn as pl
from budgets import fuzz
from peerlearn.codebook import load_codebook
from peerlearn.paths import RAW_DIR
from usability import use

CODEBOOK = load_codebook(RAW_DIR)
TABLES = list(CODEBOOK.resources)
LINES = {
    t: (RAW_DIR / CODEBOOK.resource(t)["path"]).read_text(encoding="utf-8").splitlines(keepends=True) for t in TABLES
}
DELETIONS = [(t, i) for t in TABLES for i in range(1, len(LINES[t]))]
REQUIRED = [t for t in TABLES if CODEBOOK.resource(t).get("requiredRows")]
NUMERIC = [(t, f["name"]) for t in TABLES for f in CODEBOOK.fields(t) if f["type"] in ("integer", "number")]
ALL_COLUMNS = [(t, f["name"]) for t in TABLES for f in CODEBOOK.fields(t)]


def fresh_copy(where: Path | None = None) -> Path:
    """A copy of data/raw in ``where`` (a test's tmp_path), or in a new temporary folder the caller removes."""
    return Path(shutil.copytree(RAW_DIR, Path(where or tempfile.mkdtemp()) / "raw"))


def delete_row(corpus: Path, table: str, line: int) -> None:
    lines = LINES[table]
    (corpus / CODEBOOK.resource(table)["path"]).write_text("".join(lines[:line] + lines[line + 1 :]), encoding="utf-8")


def set_cell(corpus: Path, table: str, line: int, column: str, value: str) -> None:
    path = corpus / CODEBOOK.resource(table)["path"]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[line][rows[0].index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def refused_or_usable(corpus: Path) -> str:
    """ "refused" (every problem one line) or "usable" (everything ran); any other exception fails the test."""
    try:
        pl.validate_corpus(corpus)
    except pl.CorpusError as e:
        assert e.problems and all("\n" not in str(p) for p in e.problems)
        return "refused"
    use(corpus)
    return "usable"


def test_every_table_with_required_rows_refuses_each_deletion_in_words(tmp_path):
    """Deleting a row peerlearn reads (a published total, a factor, a country, ...) is refused by validation."""
    checked = 0
    for table in REQUIRED:
        spec = CODEBOOK.resource(table)["requiredRows"]
        assert len(spec["rows"]) == len(LINES[table]) - 1  # every printed row of these tables is read
        corpus = fresh_copy(tmp_path / table)
        for line in (1, len(LINES[table]) - 1):
            delete_row(corpus, table, line)
            with pytest.raises(pl.CorpusError) as info:
                pl.validate_corpus(corpus)
            (problem,) = [p for p in info.value.problems if p.file.endswith(CODEBOOK.resource(table)["path"])]
            assert "no row with" in problem.message
            checked += 1
    assert checked >= 2 * len(REQUIRED) >= 2


@pytest.mark.parametrize("table,column", NUMERIC)
def test_huge_numbers_are_refused_by_validation(table, column, corpus):
    set_cell(corpus, table, 1, column, "1" + "0" * 30)
    with pytest.raises(pl.CorpusError) as info:
        pl.validate_corpus(corpus)
    assert any(p.column == column and p.line == 2 and "at most" in p.message for p in info.value.problems)


def test_control_characters_are_refused_by_validation(corpus):
    set_cell(corpus, "studies", 1, "title", "Peer\x07coaching")
    with pytest.raises(pl.CorpusError) as info:
        pl.validate_corpus(corpus)
    (problem,) = [p for p in info.value.problems if p.file.endswith("studies.csv")]
    assert problem.column == "title" and "control character U+0007" in problem.message


def test_cli_audit_and_export_refuse_a_corpus_without_a_published_total(tmp_path, corpus):
    delete_row(corpus, "published_totals", 1)
    for args in (["audit"], ["export", "--format", "xlsx", "--output", str(tmp_path / "x.xlsx")]):
        result = commands.run(*args, "--data-dir", str(corpus))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "published_totals.csv: no row with table = " in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.slow
def test_single_row_deletions_are_refused_or_usable(tmp_path):
    """A seeded sample of all single-row deletions (every table represented), plus the first row of each table."""
    rng = random.Random(2014)
    sample = sorted(set(rng.sample(DELETIONS, 20)) | {(t, 1) for t in TABLES})
    outcomes = {}
    for table, line in sample:
        corpus = fresh_copy(tmp_path / f"{table}-{line}")
        delete_row(corpus, table, line)
        outcomes[(table, line)] = refused_or_usable(corpus)
    assert "usable" in outcomes.values() and "refused" in outcomes.values()


def _cell_values(table: str, column: str):
    f = CODEBOOK.field(table, column)
    if f["type"] == "integer":
        return st.integers(-(10**40), 10**40).map(str)
    if f["type"] == "number":
        return st.decimals(-(10**40), 10**40, allow_nan=False, allow_infinity=False, places=3).map(str)
    codes = [c for v in CODEBOOK.vocabularies.values() for c in v.codes]
    return st.one_of(st.sampled_from(codes), st.text(max_size=40))


@st.composite
def cell_edits(draw):
    table, column = draw(st.sampled_from(ALL_COLUMNS))
    line = draw(st.integers(1, len(LINES[table]) - 1))
    return table, line, column, draw(_cell_values(table, column))


@pytest.mark.slow
@fuzz(15)
@given(cell_edits())
def test_generated_cell_values_are_refused_or_usable(edit):
    table, line, column, value = edit
    corpus = fresh_copy()
    try:
        set_cell(corpus, table, line, column, value)
        refused_or_usable(corpus)
    finally:
        shutil.rmtree(corpus.parent)
