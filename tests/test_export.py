"""Exports: BibTeX and CSL-JSON read by their usual tools, the workbook by pandas, bytes that repeat."""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import bibtexparser
import pandas as pd
import pytest
from bibtexparser import middlewares

import peerlearn as pl
from peerlearn import export
from peerlearn.cli import main
from peerlearn.paths import RAW_DIR, REPO_ROOT

from reliability import raw_checksums

# studies column -> BibTeX field; 'source' is the journal of an article, the school of a thesis
BIBTEX_FIELD = {"authors": "author", "year": "year", "title": "title", "volume": "volume", "issue": "number",
                "pages": "pages", "doi": "doi", "url": "url"}
SOURCE_FIELD = {"article": "journal", "phdthesis": "school"}


@pytest.fixture(scope="module")
def studies() -> pd.DataFrame:
    return pl.load_studies()


@pytest.fixture(scope="module")
def bib_entries():
    library = bibtexparser.parse_string(export.bibtex(), append_middleware=[
        middlewares.LatexDecodingMiddleware(), middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()])
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return {e.key: e for e in library.entries}


def _present(row) -> dict:
    return {f: row[f] for f in export.BIB_FIELDS if not pd.isna(row[f])}


def _apa_authors(names) -> str:
    """Parsed BibTeX names back to the report's 'Family, I., & Family, I.'."""
    printed = [f"{' '.join(n.von + n.last)}, {' '.join(n.first)}" for n in names]
    return printed[0] if len(printed) == 1 else ", ".join(printed[:-1]) + ", & " + printed[-1]


# --- BibTeX ---------------------------------------------------------------------------------------

def test_bibtex_has_every_article_with_exactly_its_fields(studies, bib_entries):
    assert set(bib_entries) == {f"thurlings2014-s{i:02d}" for i in studies["study_id"]}
    for _, row in studies.iterrows():
        entry = bib_entries[f"thurlings2014-s{row['study_id']:02d}"]
        present = _present(row)
        expected = {BIBTEX_FIELD.get(f) or SOURCE_FIELD[entry.entry_type] for f in present}
        incomplete = row["bib_status"] != "complete" or bool(row["bib_lost_fields"] or row["bib_truncated_fields"])
        assert set(entry.fields_dict) == expected | ({"note"} if incomplete else set()), row["study_id"]
        for f, value in present.items():
            got = entry[BIBTEX_FIELD.get(f) or SOURCE_FIELD[entry.entry_type]]
            if f == "authors":
                assert _apa_authors(got) == value
            else:
                assert got == str(value), (row["study_id"], f)


def test_bibtex_notes_name_every_lost_and_truncated_field(studies, bib_entries):
    codes = set(pl.load_codebook().vocabulary("bib_field").codes)
    for _, row in studies.iterrows():
        entry = bib_entries[f"thurlings2014-s{row['study_id']:02d}"]
        if "note" not in entry.fields_dict:
            continue
        head, body = entry["note"].rstrip(".").split(": ", 1)
        assert head.startswith(f"Reference {'lost' if row['bib_status'] == 'lost' else 'incomplete'} ")
        assert head.endswith(f"article {row['study_id']}")
        clauses = body.split("; ")
        lost = " ".join(c for c in clauses if c.endswith(" lost"))
        fragments = " ".join(c for c in clauses if c.endswith((" a fragment", " fragments")))
        assert set(re.findall(r"\w+", lost)) & codes == set(row["bib_lost_fields"])
        assert set(re.findall(r"\w+", fragments)) & codes == set(row["bib_truncated_fields"])


def test_entry_types_follow_the_data(studies, bib_entries):
    for _, row in studies.iterrows():
        kind = bib_entries[f"thurlings2014-s{row['study_id']:02d}"].entry_type
        note = row["descriptor_note"] if not pd.isna(row["descriptor_note"]) else ""
        if row["bib_status"] == "lost":
            assert kind == "misc"
        elif "dissertation" in note.lower():
            assert kind == "phdthesis"
        else:
            assert kind == "article", row["study_id"]
    assert {e.entry_type for e in bib_entries.values()} == {"article", "phdthesis", "misc"}


def test_bibtex_special_characters_survive_a_round_trip():
    text = "50% of {x} & y_z #1 $5 ~a back\\slash van Merriënboer’s"
    source = f"@misc{{k,\n  note = {{{export.bibtex_escape(text)}}}\n}}\n"
    library = bibtexparser.parse_string(source, append_middleware=[middlewares.LatexDecodingMiddleware()])
    assert not library.failed_blocks and library.entries[0]["note"] == text
    assert export.bibtex_escape("^") == r"\textasciicircum{}"


def test_bibtex_text_fields_have_no_unescaped_specials():
    for line in export.bibtex().splitlines():
        m = re.match(r"  (\w+) = \{(.*)\},?$", line)
        if m and m.group(1) not in export.BIBTEX_VERBATIM:
            assert not re.search(r"(?<!\\)[&%#_$]", m.group(2)), line


# --- CSL-JSON -------------------------------------------------------------------------------------

def _rnc_groups(name: str) -> dict[str, set[str]]:
    """Quoted names per definition in one of the CSL schema files that citeproc-py ships."""
    import citeproc

    path = Path(citeproc.SCHEMA_PATH).parent / name
    groups, current = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*([\w.-]+)\s*=", line)
        if m:
            current = groups.setdefault(m.group(1), set())
        if current is not None:
            current.update(re.findall(r'"([^"]+)"', line))
    return groups


def test_csl_json_items_follow_the_csl_schema(studies):
    items = json.loads(export.csl_json())
    types = _rnc_groups("csl-types.rnc")["item-types"]
    variables = _rnc_groups("csl-variables.rnc")
    names, dates = variables["variables.names"], variables["variables.dates"]
    known = set().union(*variables.values())
    assert isinstance(items, list) and len(items) == len(studies)
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert isinstance(item["id"], str) and item["type"] in types
        for key, value in item.items():
            if key in ("id", "type"):
                continue
            assert key in known, key
            if key in names:
                assert all(set(n) <= {"family", "given", "non-dropping-particle", "dropping-particle", "suffix",
                                      "literal"} and n.get("family") for n in value)
            elif key in dates:
                assert all(isinstance(p, int) for parts in value["date-parts"] for p in parts)
            else:
                assert isinstance(value, str) and value


def test_csl_json_has_exactly_the_data(studies):
    items = {i["id"]: i for i in json.loads(export.csl_json())}
    for _, row in studies.iterrows():
        item = items[f"thurlings2014-s{row['study_id']:02d}"]
        present = _present(row)
        if "authors" in present:
            names = [" ".join(filter(None, (n.get("non-dropping-particle"), n["family"]))) + ", " + n["given"]
                     for n in item["author"]]
            assert (names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]) == present["authors"]
        assert item.get("issued") == ({"date-parts": [[present["year"]]]} if "year" in present else None)
        assert item.get("title") == present.get("title")
        assert (item.get("container-title") or item.get("publisher")) == present.get("source")
        for f, key in (("volume", "volume"), ("issue", "issue"), ("pages", "page"), ("doi", "DOI"), ("url", "URL")):
            assert item.get(key) == present.get(f), (row["study_id"], f)
        incomplete = row["bib_status"] != "complete" or bool(row["bib_lost_fields"] or row["bib_truncated_fields"])
        assert ("note" in item) == incomplete


def test_csl_json_renders_in_citeproc(studies):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(export.csl_json())
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)  # bundled
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(studies)
    text = "\n".join(rendered)
    for _, row in studies.iterrows():
        for f in ("title", "source"):
            if not pd.isna(row[f]):
                assert row[f] in text, (row["study_id"], f)


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
        name: (len(table), len(table.columns)) for name, table in export.corpus_sheets().items()}
    # dtype=object keeps text such as volume '52' as text (pandas would otherwise make it a number)
    return pd.read_excel(path, sheet_name=None, dtype=object)


def test_workbook_sheets_equal_the_loaders(workbook):
    assert list(workbook) == list(pl.TABLES) + ["codebook", "vocabularies"]
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
    assert described == [(t, c) for t in pl.TABLES for c in workbook[t].columns]
    assert codebook["description"].notna().all() and codebook["label_en"].notna().all()
    for _, row in codebook.iterrows():
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
    studies.write_text(studies.read_text(encoding="utf-8").replace("Computers & Education", "Computers & Schools"),
                       encoding="utf-8")
    assert "Computers \\& Schools" in export.bibtex(corpus) and "Computers \\& Schools" not in export.bibtex()


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_cli_writes_and_reports(fmt, tmp_path, capsys):
    before = raw_checksums(REPO_ROOT)
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--format", fmt, "--output", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    n = len(pl.TABLES) + 2 if fmt == "xlsx" else len(pl.load_studies())
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
