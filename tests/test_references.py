"""Recovered references (issue 16): the checks of `peerlearn validate` fail loudly on a broken row, the effective
reference and status follow the data, `reference()` writes it in Dutch and English with its mark."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peerlearn as pl
from budgets import examples
from peerlearn import reference_checks as RC
from peerlearn import references as R
from peerlearn.cli import main
from peerlearn.validation import read_tables

TABLE = "recovered_references.csv"


def rows_of(corpus, name=TABLE) -> list[dict]:
    with open(corpus / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def set_cell(corpus, study_id: int, column: str, value: str, name=TABLE) -> int:
    """Change one cell of the row of ``study_id``; returns that row's line number (header = 1)."""
    path = corpus / name
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    line = next(i for i, r in enumerate(rows, start=2) if r["study_id"] == str(study_id))
    rows[line - 2][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return line


def recovered_rows(
    corpus, *, truncated: str | None = None, printed: str | None = None, lost: str | None = None
) -> list[dict]:
    """Recovered rows, optionally of articles whose ``truncated`` field is a fragment, whose ``printed`` field is
    printed whole, or whose ``lost`` field the report lost."""
    studies = {r["study_id"]: r for r in rows_of(corpus, "studies.csv")}
    out = []
    for r in rows_of(corpus):
        s = studies[r["study_id"]]
        if (
            r["status"] == "recovered"
            and (truncated is None or truncated in s["bib_truncated_fields"].split(";"))
            and (printed is None or (s[printed] and printed not in s["bib_truncated_fields"]))
            and (lost is None or not s[lost])
        ):
            out.append(r)
    if not out:
        pytest.skip(f"no recovered row of that kind ({truncated or printed or lost}) in the data")
    return out


def recovered_row(corpus, **kind) -> dict:
    return recovered_rows(corpus, **kind)[0]


def validate_problems(corpus) -> list[str]:
    with pytest.raises(pl.CorpusError) as info:
        pl.validate_corpus(corpus)
    return [str(p) for p in info.value.problems]


def one_problem(corpus, line: int, column: str, words: str) -> str:
    problems = validate_problems(corpus)
    hits = [p for p in problems if f"{TABLE}, line {line}, column '{column}'" in p and words in p]
    assert hits, problems
    return hits[0]


# --- the checks on the committed data and on broken rows -----------------------------------------


def test_the_committed_recovered_rows_pass_every_check():
    tables = read_tables(["studies", "recovered_references"])
    assert R.check_recovered(tables) == []
    assert any(r["status"] == "recovered" for r in tables["recovered_references"].rows)


def test_order_check_fails_on_a_first_author_out_of_place(corpus):
    row = recovered_rows(corpus, lost="authors")[-1]  # neighbours with known authors on both sides
    line = set_cell(corpus, row["study_id"], "authors", "Zzyzx, A., & Aardvark, B.")
    message = one_problem(corpus, line, "authors", "does not sort before article")
    assert "alphabetical order" in message
    set_cell(corpus, row["study_id"], "authors", "Aaa, A.")
    one_problem(corpus, line, "authors", "does not sort after article")


def test_fragment_check_fails_on_a_title_that_does_not_continue_the_printed_fragment(corpus):
    row = recovered_row(corpus, truncated="title")
    line = set_cell(corpus, row["study_id"], "title", row["title"] + " and more")
    prefix_too = set_cell(corpus, row["study_id"], "title", "More " + row["title"] + " and more")
    assert prefix_too == line
    one_problem(corpus, line, "title", "does not match the printed fragment")


def test_fragment_check_fails_on_a_changed_printed_field(corpus):
    row = recovered_row(corpus, printed="year")
    line = set_cell(corpus, row["study_id"], "year", str(int(row["year"]) + 1))
    one_problem(corpus, line, "year", "does not match the printed value")


def test_fragment_check_needs_the_field_a_fragment_belongs_to(corpus):
    row = recovered_row(corpus, truncated="title")
    line = set_cell(corpus, row["study_id"], "title", "")
    one_problem(corpus, line, "title", "printed the fragment")


def test_descriptor_check_fails_on_a_contradiction(corpus):
    studies = {r["study_id"]: r for r in rows_of(corpus, "studies.csv")}
    row = next(r for r in rows_of(corpus) if r["status"] == "recovered" and studies[r["study_id"]]["participant_group"])
    other = "inservice" if studies[row["study_id"]]["participant_group"] != "inservice" else "student"
    line = set_cell(corpus, row["study_id"], "record_participant_group", other)
    one_problem(corpus, line, "record_participant_group", "contradicts article")


def test_uniqueness_check_fails_on_a_reference_assigned_twice(corpus):
    first, second = recovered_rows(corpus, lost="title")[:2]
    printed = rows_of(corpus, "studies.csv")[0]  # article 1, printed complete
    line = set_cell(corpus, second["study_id"], "doi", printed["doi"])
    one_problem(corpus, line, "doi", "the same doi as article 1 as printed")
    set_cell(corpus, second["study_id"], "doi", "")
    set_cell(corpus, second["study_id"], "title", first["title"])
    problems = validate_problems(corpus)
    assert any(
        f"line {line}, column 'title'" in p and f"recovered reference of article {first['study_id']}" in p
        for p in problems
    ), problems


def test_shape_checks(corpus):
    row = recovered_row(corpus)
    line = set_cell(corpus, row["study_id"], "record", "")
    one_problem(corpus, line, "record", "required for a recovered reference")
    unresolved = next(r for r in rows_of(corpus) if r["status"] == "unresolved")
    line = set_cell(corpus, unresolved["study_id"], "confidence", "medium")
    one_problem(corpus, line, "confidence", "an unresolved article has no confidence")
    line = set_cell(corpus, row["study_id"], "fields_from_record_2", "volume")
    set_cell(corpus, row["study_id"], "record_2", "")
    set_cell(corpus, row["study_id"], "volume", "")
    problems = validate_problems(corpus)
    assert any(f"line {line}, column 'record_2'" in p for p in problems)
    assert any(f"line {line}, column 'fields_from_record_2'" in p and "names 'volume'" in p for p in problems)


def test_a_complete_article_is_not_searched(corpus):
    row = recovered_row(corpus)
    line = set_cell(corpus, row["study_id"], "study_id", "1")
    one_problem(corpus, line, "study_id", "printed complete")


def test_cli_validate_reports_a_broken_row_in_one_line(corpus, capsys):
    row = recovered_row(corpus)
    line = set_cell(corpus, row["study_id"], "authors", "Zzyzx, A.")
    assert main(["validate", "--data-dir", str(corpus)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and captured.out == ""
    assert any(
        f"recovered_references.csv, line {line}, column 'authors': value 'Zzyzx, A.'" in ln
        for ln in captured.err.splitlines()
    )
    assert captured.err.strip().splitlines()[-1] == "peerlearn validate: 1 problem found"


def test_loaders_refuse_a_row_the_checks_reject(corpus):
    row = recovered_row(corpus)
    set_cell(corpus, row["study_id"], "authors", "Zzyzx, A.")
    for call in (R.load_recovered_references, R.references):
        with pytest.raises(pl.CorpusError):
            call(corpus)


TEXT = st.text(max_size=30)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(
        [
            "authors",
            "title",
            "source",
            "year",
            "volume",
            "pages",
            "doi",
            "fields_from_record_2",
            "record_2",
            "record_participant_group",
            "status",
            "confidence",
            "candidates",
        ]
    ),
    TEXT,
    st.integers(0, 100),
)
def test_checks_never_raise_on_any_value(column, value, which):
    """Whatever a row holds, the checks return problems (or none); they never raise."""
    tables = read_tables(["studies", "recovered_references"])
    rows = tables["recovered_references"].rows
    row = rows[which % len(rows)]
    row[column] = value or None
    assert all(isinstance(p, pl.Problem) for p in R.check_recovered(tables))


# --- the effective reference -----------------------------------------------------------------------


def test_printed_status_stays_as_printed_and_effective_status_is_derived():
    studies = pl.load_studies()
    assert set(studies["bib_status"].astype(str)) == {"complete", "partial", "lost"}
    recovered = pl.load_recovered_references()
    refs = R.references()
    for _, s in studies.iterrows():
        ref, sid = refs[s["study_id"]], s["study_id"]
        row = recovered[recovered["study_id"] == sid]
        if s["bib_status"] == "complete":
            assert ref.status == "complete" and row.empty
        elif row.empty:
            assert ref.status == s["bib_status"]
        elif row["status"].iloc[0] == "unresolved":  # unresolved when there are candidates, else still as printed
            assert ref.status == ("unresolved" if row["candidates"].notna().iloc[0] else s["bib_status"])
        else:
            assert ref.status in ("recovered", s["bib_status"])
            assert (ref.status == "recovered") == bool(ref.recovered_fields)
    counts = R.status_counts()
    assert sum(counts.values()) == len(studies) and counts["complete"] == (studies["bib_status"] == "complete").sum()


def test_printed_fields_stay_and_recovered_ones_fill_the_gaps():
    studies = pl.load_studies().set_index("study_id")
    recovered = pl.load_recovered_references().set_index("study_id")
    for sid, ref in R.references().items():
        s = studies.loc[sid]
        for f in R.BIB_FIELDS:
            if not pd.isna(s[f]) and f not in s["bib_truncated_fields"]:
                assert ref.fields[f] == str(s[f]), (sid, f)  # printed whole: never replaced
            if f in ref.recovered_fields:
                assert ref.fields[f] == str(recovered.loc[sid, f])
                second = str(recovered.loc[sid, "fields_from_record_2"]).split(";")
                assert ref.sources[f] == recovered.loc[sid, "record_2" if f in second else "record"]


def test_sort_key_keeps_the_printed_lists_in_order():
    studies = pl.load_studies()
    for appendix, group in studies.groupby("appendix", observed=True):
        keys = [
            RC.sort_key(a)
            for a, t in zip(group["authors"], group["bib_truncated_fields"])
            if isinstance(a, str) and "authors" not in t
        ]
        assert keys == sorted(keys), appendix
    assert RC.sort_key("van Merriënboer, J. J. G.") == "merrienboer" and RC.sort_key("Eteläpelto, A.") == "etelapelto"


def test_fragment_matching_rules():
    assert RC.fragment_matches("title", "tice", "Engaging student teachers in reflective practice", True)
    assert RC.fragment_matches("source", "Journal of Research", "Journal of Research in Science Teaching", True)
    assert not RC.fragment_matches("title", "tice", "Practice makes perfect teachers", True)
    assert RC.fragment_matches(
        "source", "Mentoring and Tutoring", "Mentoring & Tutoring: Partnership in Learning", False
    )
    assert RC.fragment_matches("authors", "Zwart, R. C., & Wubbels, T.", "Zwart, R. C., & Wubbels, Th.", False)
    assert not RC.fragment_matches("authors", "Zwart, R. C., & Wubbels, T.", "Zwart, R. C., & Bolhuis, S.", False)
    assert RC.fragment_matches("pages", "982–1002", "982-1002", False)
    assert RC.fragment_matches("title", "Coaching: An analysis", "Coaching :an Analysis", False)


def test_reference_text_in_both_languages_with_its_mark():
    refs = R.references()
    complete = next(r for r in refs.values() if r.status == "complete")
    assert (
        R.reference(complete.study_id, "en") == R.reference(complete.study_id, "nl") == R.citation_text(complete.fields)
    )
    assert "[" not in R.reference(complete.study_id)
    recovered = next(r for r in refs.values() if r.status == "recovered")
    en, nl = R.reference(recovered.study_id, "en"), R.reference(recovered.study_id, "nl")
    assert re.search(rf"\[recovered, confidence {recovered.confidence}: .*{re.escape(recovered.records[0])}", en)
    assert "[teruggevonden, zekerheid " in nl and recovered.records[0] in nl
    assert recovered.fields["authors"] in en
    lost = [r for r in refs.values() if r.status in ("lost", "unresolved") and "title" not in r.fields]
    if lost:
        assert R.reference(lost[0].study_id, "en").startswith(f"Article {lost[0].study_id}: reference lost.")
        assert R.reference(lost[0].study_id, "nl").startswith(f"Artikel {lost[0].study_id}: referentie verloren.")
    with pytest.raises(ValueError, match="unknown study 99"):
        R.reference(99)
    with pytest.raises(ValueError, match="unknown language"):
        R.reference(1, "de")
    assert pl.reference(recovered.study_id, "en") == en


def test_codes_are_declared_the_standard_way_too():
    cb = pl.load_codebook()
    for field in cb.fields("recovered_references"):
        if "vocabulary" in field:
            assert field["constraints"]["enum"] == list(cb.vocabulary(field["vocabulary"]).codes), field["name"]
        assert field["type"] in ("string", "integer", "number"), field["name"]


def test_audit_counts_the_references_from_the_data():
    from peerlearn import audit
    from peerlearn.paths import REPO_ROOT
    from peerlearn.reference_audit import reference_counts, reference_line

    counts, refs = reference_counts(), R.references().values()
    assert (
        counts["n"] == len(refs) == sum(counts[s] for s in ("complete", "recovered", "partial", "unresolved", "lost"))
    )
    assert counts["recovered"] == counts["high"] + counts["medium"] == sum(r.status == "recovered" for r in refs)
    assert {s: counts[s] for s in R.status_counts()} == R.status_counts()
    for lang in ("en", "nl"):
        assert reference_line(lang=lang) in audit.report_lines(lang=lang)
    # docs/corpus.md quotes the audit's line, so its numbers are the data's
    assert f"\n{reference_line(lang='en')}\n" in (REPO_ROOT / "docs" / "corpus.md").read_text(encoding="utf-8")
