"""Exports: BibTeX and CSL-JSON read by their usual tools, the workbook by pandas, bytes that repeat."""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peerlearn as pl
from budgets import examples
from peerlearn import citations, export
from peerlearn.cli import main
from peerlearn.paths import RAW_DIR, REPO_ROOT
from reliability import raw_checksums


@pytest.fixture(scope="module")
def studies() -> pd.DataFrame:
    return pl.load_studies()


# BibTeX and CSL-JSON: tests/test_citations.py


# --- the workbook ---------------------------------------------------------------------------------


def _excel_form(value):
    """A loader value as the workbook stores it: lists joined with ';', codes as text, missing as None."""
    if isinstance(value, tuple):
        return ";".join(map(str, value)) or None
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "corpus.xlsx"
    export.export("xlsx", path)
    plain = pd.read_excel(path, sheet_name=None)  # the default read works too (numeric-looking text becomes numbers)
    assert {name: sheet.shape for name, sheet in plain.items()} == {
        name: (len(table), len(table.columns)) for name, table in export.corpus_sheets().items()
    }
    # dtype=object keeps text such as volume '52' as text (pandas would otherwise make it a number)
    return pd.read_excel(path, sheet_name=None, dtype=object)


def test_workbook_sheets_equal_the_loaders(workbook):
    assert list(workbook) == list(pl.TABLES) + ["references", "codebook", "vocabularies"]
    for name in pl.TABLES:
        expected, got = pl.load_table(name), workbook[name]
        assert list(got.columns) == list(expected.columns), name
        assert len(got) == len(expected), name
        for column in expected.columns:
            want = [_excel_form(v) for v in expected[column]]
            have = [None if pd.isna(v) else v for v in got[column]]
            assert have == want, (name, column)


def test_codebook_sheet_describes_every_column(workbook):
    cb = pl.load_codebook()
    codebook = workbook["codebook"]
    described = list(zip(codebook["table"], codebook["field"]))
    assert described == [(t, c) for t in [*pl.TABLES, "references"] for c in workbook[t].columns]
    assert codebook["description"].notna().all() and codebook["label_en"].notna().all()
    for _, row in codebook[codebook["table"] != "references"].iterrows():
        field = next((f for f in cb.fields(row["table"]) if f["name"] == row["field"]), None)
        if field is not None:
            assert (row["label_nl"], row["label_en"]) == (field["labels"]["nl"], field["labels"]["en"])
            if "vocabulary" in field:
                assert field["vocabulary"] in row["codes"]


def test_vocabularies_sheet_has_every_code_with_both_labels(workbook):
    cb = pl.load_codebook()
    sheet = workbook["vocabularies"]
    want = [(n, c, v.label(c, "nl"), v.label(c, "en")) for n, v in cb.vocabularies.items() for c in v.codes]
    assert list(zip(sheet["vocabulary"], sheet["code"], sheet["label_nl"], sheet["label_en"])) == want


def test_references_sheet_has_every_article_with_status_and_note(workbook):
    from peerlearn.citations import note
    from peerlearn.references import references

    sheet, refs = workbook["references"], references()
    assert list(sheet["study_id"]) == list(refs)
    for (_, row), ref in zip(sheet.iterrows(), refs.values()):
        assert row["status"] == ref.status
        assert (None if pd.isna(row["note"]) else row["note"]) == note(ref)
        for f in export.BIB_FIELDS:
            assert (None if pd.isna(row[f]) else str(row[f])) == ref.fields.get(f), (ref.study_id, f)
    assert "recovered" in set(sheet["status"])


def test_control_characters_do_not_break_the_workbook():
    from openpyxl import load_workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    assert export.ILLEGAL_CHARACTERS_RE.pattern == ILLEGAL_CHARACTERS_RE.pattern
    data = export._workbook_bytes({"t": pd.DataFrame({"a": ["x\x00y\x1f", "tab\tline\nok", "=SUM(A1)"]})})
    ws = load_workbook(io.BytesIO(data))["t"]
    assert [ws[f"A{i}"].value for i in (2, 3, 4)] == ["x\ufffdy\ufffd", "tab\tline\nok", "=SUM(A1)"]
    assert ws["A4"].data_type == "s"


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=30), min_size=1, max_size=4))
def test_any_text_reads_back_from_the_workbook(texts):
    from openpyxl import load_workbook

    frame = pd.DataFrame({"text": texts, "n": range(len(texts))})
    ws = load_workbook(io.BytesIO(export._workbook_bytes({"t": frame})))["t"]
    got = [ws.cell(row=i + 2, column=1) for i in range(len(texts))]
    # documented: XML-illegal control characters become U+FFFD; an empty text is an empty cell
    assert [c.value for c in got] == [export.ILLEGAL_CHARACTERS_RE.sub("\ufffd", t) or None for t in texts]
    assert all(c.data_type == "s" for c in got if c.value is not None)


def test_text_starting_with_equals_is_not_a_formula(tmp_path):
    from openpyxl import load_workbook

    data = export._workbook_bytes({"t": pd.DataFrame({"a": ["=1+1", "x"]})})
    ws = load_workbook(io.BytesIO(data))["t"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=1+1"


# --- bytes, paths, CLI ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_exports_repeat_byte_for_byte(fmt, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    export.export(fmt, a)
    export.export(fmt, b)
    assert a.read_bytes() == b.read_bytes()


def test_workbook_timestamps_are_fixed():
    with zipfile.ZipFile(io.BytesIO(export.workbook_bytes())) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]+)<", core) == ["1980-01-01T00:00:00Z"] * 2


def test_data_dir_is_respected(corpus, tmp_path):
    studies = corpus / "studies.csv"
    studies.write_text(
        studies.read_text(encoding="utf-8").replace("Computers & Education", "Computers & Schools"), encoding="utf-8"
    )
    assert "Computers \\& Schools" in citations.bibtex(corpus) and "Computers \\& Schools" not in citations.bibtex()


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_cli_writes_and_reports(fmt, tmp_path, capsys):
    before = raw_checksums(REPO_ROOT)
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--format", fmt, "--output", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    n = len(pl.TABLES) + 3 if fmt == "xlsx" else len(pl.load_studies())
    assert "\n" not in line and str(out) in line and f" {n} " in line
    assert out.is_file() and [p.name for p in tmp_path.iterdir()] == [out.name]
    assert raw_checksums(REPO_ROOT) == before


def _cli_error(capsys, *args) -> str:
    assert main(["export", *args]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def test_cli_refuses_the_raw_folder(corpus, capsys, monkeypatch):
    def must_not_write(path, data):
        raise AssertionError(f"export wrote {path}")

    monkeypatch.setattr(export, "atomic_write_bytes", must_not_write)  # even a broken check writes nothing
    before = raw_checksums(REPO_ROOT)
    for target, data_dir in ((RAW_DIR / "studies.bib", []), (corpus / "x.bib", ["--data-dir", str(corpus)])):
        message = _cli_error(capsys, "--format", "bibtex", "--output", str(target), *data_dir)
        assert "raw-data folder" in message and not target.exists()
    assert raw_checksums(REPO_ROOT) == before


def test_cli_missing_folder_and_folder_as_output(tmp_path, capsys):
    assert "does not exist" in _cli_error(capsys, "--format", "csljson", "--output", str(tmp_path / "no" / "x.json"))
    assert "is a folder" in _cli_error(capsys, "--format", "csljson", "--output", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_cli_unwritable_target_leaves_nothing(tmp_path, capsys, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("peerlearn.output.os.replace", refuse)
    message = _cli_error(capsys, "--format", "xlsx", "--output", str(tmp_path / "x.xlsx"))
    assert "cannot write" in message and "Permission denied" in message
    assert list(tmp_path.iterdir()) == []


def test_cli_invalid_corpus(corpus, tmp_path, capsys):
    studies = corpus / "studies.csv"
    studies.write_text(studies.read_text(encoding="utf-8").replace("\n1,A,", "\n1,Q,", 1), encoding="utf-8")
    out = tmp_path / "x.xlsx"
    message = _cli_error(capsys, "--format", "xlsx", "--output", str(out), "--data-dir", str(corpus))
    assert "studies.csv, line 2, column 'appendix': value 'Q'" in message and not out.exists()
