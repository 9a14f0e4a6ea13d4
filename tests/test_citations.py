"""BibTeX and CSL-JSON: every entry accepted by the standard tools (pybtex strict + unsrt, biber's data model,
the CSL data schema, citeproc-py, pandoc), every effective reference exported as it is, any text escaped."""

from __future__ import annotations

import collections
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import bibtexparser
import jsonschema
import pybtex.errors
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

from budgets import examples
from peerlearn import citations as C
from peerlearn.references import BIB_FIELDS, Reference, references

CSL_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "csl-data.json").read_text(encoding="utf-8"))
UNSRT = find_plugin("pybtex.style.formatting", "unsrt")()


@pytest.fixture(scope="module")
def refs() -> dict[int, Reference]:
    return references()


@pytest.fixture(scope="module")
def bib_text() -> str:
    return C.bibtex()


@pytest.fixture(scope="module")
def csl_items() -> list[dict]:
    return json.loads(C.csl_json())


def pybtex_problems(text: str) -> list[str]:
    """Parse in strict mode and format every entry with unsrt; one message per failure."""
    pybtex.errors.set_strict_mode(True)
    try:
        db = parse_string(text, "bibtex")
    except Exception as e:  # strict mode raises on any warning
        return [f"parse: {type(e).__name__}: {e}"]
    problems = []
    for key, entry in db.entries.items():
        try:
            list(UNSRT.format_entries([entry]))
        except Exception as e:
            problems.append(f"{key}: {type(e).__name__}: {e}")
    return problems


def braces_balanced(text: str) -> bool:
    """BibTeX's own rule: every '{' and '}' counts, a backslash before it does not escape it."""
    depth = 0
    for c in text:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


_UNESCAPE = {v: k for k, v in C._BIBTEX_ESCAPES.items()}
_TOKEN = re.compile("|".join(re.escape(e) for e in sorted(_UNESCAPE, key=len, reverse=True)) + r"|[{}]|.", re.S)


def decode(value: str) -> str:
    """A text field back to text: escapes reversed, protective braces dropped."""
    return "".join(_UNESCAPE.get(t, "" if t in "{}" else t) for t in _TOKEN.findall(value))


def entry_fields(text: str) -> dict[str, dict[str, str]]:
    """Raw field values per key (bibtexparser without decoding)."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}


# --- the standard tools --------------------------------------------------------------------------


def test_pybtex_strict_formats_every_entry_with_unsrt(bib_text, refs):
    assert len(parse_string(bib_text, "bibtex").entries) == len(refs)
    assert pybtex_problems(bib_text) == []


def test_pybtex_check_fails_on_an_article_without_author(bib_text):
    broken = bib_text.replace(
        "@article{thurlings2014-s01,\n  author = {Amhag, L. and Jakobsson, A.},\n", "@article{thurlings2014-s01,\n"
    )
    assert broken != bib_text
    assert [p.split(":")[0] for p in pybtex_problems(broken)] == ["thurlings2014-s01"]


def biber_warnings(text: str, tmp_path: Path) -> list[str]:
    source = tmp_path / "refs.bib"
    source.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file", str(tmp_path / "out.bib"), str(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if "WARN" in line or "ERROR" in line]


needs_biber = pytest.mark.skipif(
    shutil.which("biber") is None, reason="Debian's biber is not installed (.ci/run installs it)"
)
external = pytest.mark.slow  # a process of an outside tool (biber, pandoc): a second or more each


@external
@needs_biber
def test_biber_validates_the_data_model_without_warnings(bib_text, tmp_path):
    assert biber_warnings(bib_text, tmp_path) == []


@external
@needs_biber
def test_biber_check_sees_a_missing_title(bib_text, tmp_path):
    broken = re.sub(r"  title = \{.*\},\n", "", bib_text, count=1)
    assert [w for w in biber_warnings(broken, tmp_path) if "Missing mandatory field 'title'" in w]


ADVERSARIAL = [
    "a}b",
    "{x",
    "x\\",
    "\\}",
    "50% & #1 $ _ ~ ^",
    "line\nbreak\ttab\x00nul\x1fus\x7f",
    "ICT en IWB in Nederland",
    "van Dijk and Smith, Jr",
    "é ß 中文 \u2028 \ufeff",
]


def _adversarial_refs() -> list[Reference]:
    out = []
    for i, text in enumerate(ADVERSARIAL, start=1):
        fields = {f: text for f in BIB_FIELDS}
        fields["year"], fields["volume"] = "2001", "12"  # biblatex types both as integers
        out.append(Reference(i, "partial", fields, printed_status="partial", fragments=("title",) if i % 2 else ()))
        out.append(
            Reference(
                100 + i,
                "lost",
                {"doi": text, "url": text},
                lost=("authors", "year", "title", "source"),
                printed_status="lost",
            )
        )
    return out


@external
@needs_biber
def test_biber_accepts_text_with_every_special_character(tmp_path):
    text = C.bibtex_text(_adversarial_refs())
    assert braces_balanced(text) and pybtex_problems(text) == []
    assert biber_warnings(text, tmp_path) == []


def test_csl_json_validates_against_the_csl_data_schema(csl_items, refs):
    jsonschema.validate(csl_items, CSL_SCHEMA)
    assert len(csl_items) == len(refs) and len({i["id"] for i in csl_items}) == len(refs)


def test_csl_schema_check_fails_on_a_bad_item(csl_items):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**csl_items[0], "type": "journal-article"}], CSL_SCHEMA)  # not a CSL type


def _citeproc(items):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(
        CitationStylesStyle("harvard-cite-them-right", validate=False), CiteProcJSON(items), formatter.plain
    )
    citations = [Citation([CitationItem(i["id"])]) for i in items]
    for c in citations:
        bibliography.register(c)
    cites = [str(bibliography.cite(c, lambda item: None)) for c in citations]
    return cites, [str(e) for e in bibliography.bibliography()]


def test_citeproc_renders_every_item_and_no_two_citations_alike(csl_items, refs):
    cites, entries = _citeproc(csl_items)
    assert len(entries) == len(refs)
    text = "\n".join(entries)
    for ref in refs.values():
        for f in ("title", "source"):
            if f in ref.fields:
                assert ref.fields[f] in text, (ref.study_id, f)
    # identical citations are what a style disambiguates with "n.d.-a", "n.d.-b": there must be none
    assert [c for c, n in collections.Counter(cites).items() if n > 1] == []


@external
@pytest.mark.skipif(shutil.which("pandoc") is None, reason="Debian's pandoc is not installed (.ci/run installs it)")
def test_pandoc_citeproc_gives_no_year_suffixes(tmp_path):
    bib = tmp_path / "refs.json"
    bib.write_text(C.csl_json(), encoding="utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    result = subprocess.run(
        ["pandoc", str(doc), "--citeproc", "--bibliography", str(bib), "-t", "plain"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "n.d." in result.stdout  # the undated entries are there...
    assert not re.search(r"n\.d\.-?[a-z]{1,2}\b", result.stdout)  # ...without "n.d.-a"-style suffixes
    assert "proach in an Egyptian teacher education programme" in result.stdout  # a fragment is not recapitalised


# --- what the entries hold -----------------------------------------------------------------------


def test_bibtex_has_every_article_with_its_effective_reference(bib_text, refs):
    entries = entry_fields(bib_text)
    assert set(entries) == {C.citation_key(i) for i in refs}
    for ref in refs.values():
        kind = C.entry_type(ref)
        fields = entries[C.citation_key(ref.study_id)]
        source = C.BIBTEX_SOURCE[kind]
        for name, value in ref.fields.items():
            if kind == "misc" and name in C.JOURNAL_FIELDS:
                assert value in decode(fields[source]), (ref.study_id, name)
                continue
            got = fields[source if name == "source" else C.BIBTEX_NAMES[name]]
            if name == "authors":
                got = decode(got).replace(" and ", ", & ") if " and " in got else decode(got)
                assert got.replace(", & ", ", ") == value.replace("& ", "")
            elif name in C.BIBTEX_VERBATIM:
                assert unquote(got) == value
            elif name == "pages":
                assert decode(got).replace("--", "\u2013") == value
            elif name == "source" and kind == "misc":
                assert decode(got).startswith(value)
            else:
                assert decode(got) == value, (ref.study_id, name)
        if "title" not in ref.fields:
            assert decode(fields["title"]) == C.devised_title(ref)
        assert ("note" in fields) == (ref.status != "complete")


def test_recovered_entries_are_marked_with_their_records(bib_text, refs):
    entries = entry_fields(bib_text)
    recovered = [r for r in refs.values() if r.status == "recovered"]
    assert recovered
    for ref in recovered:
        note = decode(entries[C.citation_key(ref.study_id)]["note"])
        assert note.startswith(f"Reference recovered ({ref.confidence} confidence) for article {ref.study_id} ")
        for record in ref.records:
            assert record in note
        for f in ref.recovered_fields:
            assert re.search(rf"\b{f}\b", note)


def test_notes_name_what_is_still_lost_or_a_fragment(refs):
    for ref in refs.values():
        note = C.note(ref)
        if ref.status == "complete":
            assert note is None
            continue
        lost = re.search(r"; ([\w, ]+) lost", "; " + note.split(": ", 1)[1])
        assert set(re.findall(r"\w+", lost.group(1)) if lost else []) - {"and"} == set(ref.lost), ref.study_id
        for f in ref.fragments:
            assert re.search(rf"\b{f}\b[\w ,]* (is a fragment|are fragments)", note), ref.study_id
        if ref.status == "unresolved":
            assert "unresolved" in note and all(c in note for c in ref.candidates)


def test_entry_types_follow_the_data(refs):
    kinds = {}
    for ref in refs.values():
        kind = kinds[ref.study_id] = C.entry_type(ref)
        if ref.entry_type is not None:
            assert kind in (C.ENTRY_TYPES[ref.entry_type], "misc")
        if kind != "misc":
            assert all(f in ref.fields for f in C.REQUIRED), ref.study_id
        else:
            assert C.missing_required(ref) or C._natural_type(ref) == "misc"
        if ref.status == "lost" and not ref.fields:
            assert kind == "misc"
    assert kinds[1] == "article" and {"phdthesis", "misc"} <= set(kinds.values())


def test_titles_protect_words_whose_case_matters():
    assert (
        C.protect_title("Teachers using ICT and the IWB in Dutch schools")
        == "Teachers using {ICT} and the {IWB} in {Dutch} schools"
    )
    assert C.protect_title("Peer coaching: An analysis of WebCT use") == "Peer coaching: An analysis of {WebCT} use"
    # a title-case title: only acronyms and inner capitals, the capitalised words are not all proper nouns
    assert (
        C.protect_title("Peer Coaching and Pre-Service Teachers: Examining ICT")
        == "Peer Coaching and {Pre-Service} Teachers: Examining {ICT}"
    )


def test_csl_json_has_the_effective_references(csl_items, refs):
    items = {i["id"]: i for i in csl_items}
    for ref in refs.values():
        item = items[C.citation_key(ref.study_id)]
        if "authors" in ref.fields:
            names = [
                " ".join(filter(None, (n.get("non-dropping-particle"), n["family"]))) + ", " + n["given"]
                for n in item["author"]
            ]
            assert ", ".join(names) == ref.fields["authors"].replace("& ", "")
        assert item.get("issued") == ({"date-parts": [[int(ref.fields["year"])]]} if "year" in ref.fields else None)
        title = re.sub(r'^<span class="nocase">(.*)</span>$', r"\1", item["title"])
        assert title == ref.fields.get("title", C.devised_title(ref))
        assert item["title"] != title or ("title" in ref.fields and "title" not in ref.fragments)
        assert (item.get("container-title") or item.get("publisher")) == ref.fields.get("source")
        for f, key in (("volume", "volume"), ("issue", "issue"), ("pages", "page"), ("doi", "DOI"), ("url", "URL")):
            assert item.get(key) == ref.fields.get(f), (ref.study_id, f)
        assert item.get("note") == C.note(ref)


# --- any text (property-based) -------------------------------------------------------------------

TEXT = st.text(min_size=1, max_size=40).filter(lambda t: t.strip())
FIELDS = st.dictionaries(st.sampled_from([f for f in BIB_FIELDS if f != "year"]), TEXT)


@st.composite
def any_reference(draw) -> Reference:
    fields = dict(draw(FIELDS))
    if draw(st.booleans()):
        fields["year"] = str(draw(st.integers(1900, 2100)))
    fields = {f: fields[f] for f in BIB_FIELDS if f in fields}
    status = draw(st.sampled_from(["complete", "partial", "recovered", "unresolved", "lost"]))
    entry = draw(st.sampled_from([None, "article", "chapter", "book", "thesis", "report", "conference"]))
    recovered = tuple(f for f in fields if draw(st.booleans())) if status == "recovered" else ()
    record = draw(TEXT)
    return Reference(
        draw(st.integers(1, 99)),
        status,
        fields,
        entry_type=entry if status == "recovered" else None,
        confidence="medium" if status == "recovered" else None,
        recovered_fields=recovered,
        sources={f: record for f in recovered},
        lost=tuple(f for f in BIB_FIELDS if f not in fields),
        fragments=("title",) if "title" in fields and draw(st.booleans()) else (),
        candidates=tuple(draw(st.lists(TEXT, max_size=2))) if status == "unresolved" else (),
        printed_status=draw(st.sampled_from(["partial", "lost"])),
    )


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_reference())
def test_any_text_gives_a_valid_bibtex_entry(ref):
    text = C.bibtex_entry(ref)
    assert braces_balanced(text)
    assert pybtex_problems(text) == []
    fields = entry_fields(text)[C.citation_key(ref.study_id)]
    for name in C.BIBTEX_VERBATIM:
        if name in ref.fields:
            assert unquote(fields[name]) == ref.fields[name]
    if "title" in ref.fields:
        assert decode(fields["title"]) == C._clean(ref.fields["title"])
    if C.note(ref):
        assert decode(fields["note"]) == C._clean(C.note(ref))


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_reference(), min_size=1, max_size=3, unique_by=lambda r: r.study_id))
def test_any_text_gives_valid_csl_json(refs_):
    text = C.csl_text(refs_)
    items = json.loads(text)
    jsonschema.validate(items, CSL_SCHEMA)
    for ref, item in zip(refs_, items):
        for f, key in (("volume", "volume"), ("issue", "issue"), ("pages", "page"), ("doi", "DOI"), ("url", "URL")):
            assert item.get(key) == ref.fields.get(f)
    _citeproc(items)  # renders without an exception


def _hostile_studies(corpus, title: str, source: str) -> None:
    import csv
    import io

    path = corpus / "studies.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[0].update(title=title, source=source, doi="10.1000/x}y\\z", authors="Not in APA form and others")
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_cli_exports_hostile_text_validly(corpus, tmp_path, capsys):
    """A '}' in a title, a '{' in a journal, a '}' and a backslash in a DOI: valid files, no traceback."""
    from openpyxl import load_workbook

    from peerlearn.cli import main

    _hostile_studies(corpus, "Odd } title with ICT", "Journal { of things")
    files = {fmt: tmp_path / f"out.{fmt}" for fmt in ("bibtex", "csljson", "xlsx")}
    for fmt, target in files.items():
        assert main(["export", "--format", fmt, "--output", str(target), "--data-dir", str(corpus)]) == 0, fmt
    assert "Traceback" not in capsys.readouterr().err
    bib = files["bibtex"].read_text(encoding="utf-8")
    assert braces_balanced(bib) and pybtex_problems(bib) == []
    first = entry_fields(bib)["thurlings2014-s01"]
    assert unquote(first["doi"]) == "10.1000/x}y\\z" and decode(first["title"]) == "Odd } title with ICT"
    assert first["author"] == "{Not in APA form and others}"
    items = json.loads(files["csljson"].read_text(encoding="utf-8"))
    jsonschema.validate(items, CSL_SCHEMA)
    assert items[0]["DOI"] == "10.1000/x}y\\z" and items[0]["author"] == [{"literal": "Not in APA form and others"}]
    sheet = load_workbook(files["xlsx"])["studies"]
    assert sheet["E2"].value == "Odd } title with ICT" and sheet["F2"].value == "Journal { of things"


def test_cli_refuses_control_characters_in_one_line(corpus, tmp_path, capsys):
    """Control characters in a cell are refused by validation before any export (they have no place in a reference,
    and an .xlsx cannot hold them); the export functions still replace them when called on such text directly."""
    from peerlearn.cli import main

    _hostile_studies(corpus, "Odd title \x01 with ICT", "Journal of \x0b things")
    for fmt in ("bibtex", "csljson", "xlsx"):
        assert (
            main(["export", "--format", fmt, "--output", str(tmp_path / f"out.{fmt}"), "--data-dir", str(corpus)]) == 1
        )
        err = capsys.readouterr().err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert "studies.csv, line 2, column 'title'" in err and "control character U+0001" in err
        assert not (tmp_path / f"out.{fmt}").exists()
