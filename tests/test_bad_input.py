"""Bad input, at random: mutated copies of the real corpus load identically or fail with a CorpusError naming the file.

A hypothesis property edits the bytes of one file of a copy of data/raw (drop a
column, put an unknown code in a coded cell, blank a cell, duplicate a row,
insert a row with an unknown study_id, break the CSV quoting, truncate the
file, change its encoding; or a harmless edit: CRLF line ends, quotes around a
cell) and then validates and loads it. Loading must either succeed with the
data the edit implies (identical for harmless edits) or raise CorpusError
whose every problem names the edited file, on one line; never another
exception. The run is derandomized, so CI sees the same examples every time.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

import commands
import peerlearn as pl
from budgets import fuzz
from peerlearn.cells import CellChecker
from peerlearn.codebook import load_codebook
from peerlearn.paths import RAW_DIR

CODEBOOK = load_codebook(RAW_DIR)
CSV_FILES = {name: CODEBOOK.resource(name)["path"] for name in pl.TABLES}
ALL_FILES = sorted(CSV_FILES.values()) + ["datapackage.json"]
ORIGINAL = {name: pl.load_table(name) for name in pl.TABLES}
CHECKER = CellChecker(CODEBOOK)

SAME = "same"  # the edit changes no data
ERROR = "error"  # the edit must be reported


def records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def line_of(cells: list[str], quote: set[int] = frozenset()) -> str:
    """One CSV line; cells whose index is in ``quote`` are quoted even where not needed."""
    out = []
    for i, c in enumerate(cells):
        if i in quote or any(ch in c for ch in ',"\r\n'):
            c = '"' + c.replace('"', '""') + '"'
        out.append(c)
    return ",".join(out) + "\n"


def allowed_codes(field: dict) -> set | None:
    """Every code a coded column can hold in any row; None for a column that is not coded."""
    if "vocabulary" in field:
        return set(CHECKER.vocab_codes(field["vocabulary"]))
    if "itemVocabulary" in field:
        return set(CHECKER.vocab_codes(field["itemVocabulary"]))
    if "vocabularyBy" in field:
        return set().union(*(CHECKER.vocab_codes(v) for v in field["vocabularyBy"]["map"].values()))
    return None


ALL_CODES = sorted({c for v in CODEBOOK.vocabularies.values() for c in v.codes})


@st.composite
def mutations(draw):
    """(kind, file name, new bytes, expectation) where expectation is SAME, ERROR, ("prefix", n) or
    ("blank", row, column)."""
    kind = draw(
        st.sampled_from(
            [
                "drop_column",
                "unknown_code",
                "blank_cell",
                "duplicate_row",
                "unknown_study_id",
                "break_quoting",
                "truncate",
                "encoding",
                "crlf",
                "quote_cell",
            ]
        )
    )
    name = draw(st.sampled_from(sorted(CSV_FILES)))
    if kind in ("truncate", "encoding"):
        file = draw(st.sampled_from(ALL_FILES))
    elif kind == "unknown_study_id":
        file, name = "citations.csv", "citations"
    else:
        file = CSV_FILES[name]
    data = (RAW_DIR / file).read_bytes()
    text = data.decode("utf-8")
    lines = text.splitlines(keepends=True)
    rows = records(text)
    header = rows[0]
    fields = {f["name"]: f for f in CODEBOOK.fields(name)} if file.endswith(".csv") else {}
    r = draw(st.integers(1, len(rows) - 1)) if file.endswith(".csv") else 0  # a data row (its line index)
    c = draw(st.integers(0, len(header) - 1)) if file.endswith(".csv") else 0

    if kind == "drop_column":
        return kind, file, "".join(line_of(row[:c] + row[c + 1 :]) for row in rows).encode(), ERROR
    if kind == "unknown_code":
        coded = [i for i, h in enumerate(header) if allowed_codes(fields[h]) is not None]
        c = draw(st.sampled_from(coded))
        allowed = allowed_codes(fields[header[c]])
        new = draw(st.sampled_from([x for x in ALL_CODES if x not in allowed] + [rows[r][c] + "_x", "unknown"]))
        row = list(rows[r])
        row[c] = new
        return kind, file, "".join(lines[:r] + [line_of(row)] + lines[r + 1 :]).encode(), ERROR
    if kind == "blank_cell":
        row = list(rows[r])
        if row[c] == "":
            expect = SAME
        elif fields[header[c]].get("constraints", {}).get("required"):
            expect = ERROR
        else:
            expect = ("blank", r - 1, header[c])
        row[c] = ""
        return kind, file, "".join(lines[:r] + [line_of(row)] + lines[r + 1 :]).encode(), expect
    if kind == "duplicate_row":
        at = draw(st.integers(1, len(lines)))
        return kind, file, "".join(lines[:at] + [lines[r]] + lines[at:]).encode(), ERROR
    if kind == "unknown_study_id":
        known = set(ORIGINAL["studies"]["study_id"])
        new = draw(st.integers(-5, 10**6).filter(lambda n: n not in known))
        row = list(rows[r])
        row[header.index("study_id")] = str(new)
        at = draw(st.integers(1, len(lines)))
        return kind, file, "".join(lines[:at] + [line_of(row)] + lines[at:]).encode(), ERROR
    if kind == "break_quoting":
        quotes = [i for i, ch in enumerate(text) if ch == '"']
        if quotes and draw(st.booleans()):
            i = draw(st.sampled_from(quotes))  # drop one quote of a quoted cell
            return kind, file, (text[:i] + text[i + 1 :]).encode(), ERROR
        i = draw(st.integers(0, len(lines[r]) - 1))  # a stray quote somewhere in a data line
        return kind, file, "".join(lines[:r] + [lines[r][:i] + '"' + lines[r][i:]] + lines[r + 1 :]).encode(), ERROR
    if kind == "truncate":
        if draw(st.booleans()):  # at a line break: whole lines are lost
            cut = draw(st.sampled_from([i + 1 for i, b in enumerate(data[:-1]) if b == ord("\n")]))
        else:
            cut = draw(st.integers(0, len(data) - 1))
        if file == "datapackage.json":
            return kind, file, data[:cut], ERROR if data[cut:].strip() else SAME
        if cut == 0 or data[cut - 1 : cut] != b"\n":
            return kind, file, data[:cut], ERROR
        return kind, file, data[:cut], ("prefix", data[:cut].count(b"\n") - 1)
    if kind == "encoding":
        encoding = draw(st.sampled_from(["cp1252", "latin-1", "utf-16", "utf-8-sig", "mac-roman"]))
        try:
            new = text.encode(encoding)
        except UnicodeEncodeError:
            new = text.encode("utf-16")
        return kind, file, new, SAME if new == data else ERROR
    if kind == "crlf":
        return kind, file, text.replace("\n", "\r\n").encode(), SAME
    if kind == "quote_cell":
        return kind, file, "".join(lines[:r] + [line_of(rows[r], quote={c})] + lines[r + 1 :]).encode(), SAME
    raise AssertionError(kind)


def name_of(file: str) -> str | None:
    return next((n for n, f in CSV_FILES.items() if f == file), None)


def check(directory: Path, file: str, expect) -> None:
    name = name_of(file)
    try:
        counts = pl.validate_corpus(directory)
        loaded = pl.load_table(name, directory) if name else None
    except pl.CorpusError as e:
        assert e.problems
        for p in e.problems:
            assert "\n" not in str(p), f"a problem spans lines: {str(p)!r}"
            assert Path(p.file).name == file or file in p.message, f"{p} does not name {file}"
        # ("blank", ...) may fail too: an empty optional cell can make a key repeat (published_totals.mechanism)
        assert expect != SAME, f"a harmless edit of {file} was reported: {e.problems[0]}"
        return
    assert expect != ERROR, f"the edit of {file} was not reported"
    if name is None:
        return
    original = ORIGINAL[name]
    if expect == SAME:
        pd.testing.assert_frame_equal(loaded, original)
    elif expect[0] == "prefix":
        pd.testing.assert_frame_equal(loaded, original.head(expect[1]))
    elif expect[0] == "blank":
        _, row, column = expect
        assert pd.isna(loaded.at[row, column]) or loaded.at[row, column] == ()
        pd.testing.assert_frame_equal(loaded.drop(index=row), original.drop(index=row))
    others = {n: len(t) for n, t in ORIGINAL.items() if n != name}
    assert {n: v for n, v in counts.items() if n != name} == others


@pytest.mark.slow  # a fuzz run
@fuzz(200)
@given(mutations())
@example(
    ("truncate", "pathways.csv", (RAW_DIR / "pathways.csv").read_bytes()[:-2], ERROR)
)  # "Tabel 10" cut to "Tabel 1"
def test_mutated_corpus_loads_identically_or_names_the_file(mutation):
    kind, file, new, expect = mutation
    event(kind)
    event(expect if isinstance(expect, str) else expect[0])
    with tempfile.TemporaryDirectory(prefix="peerlearn-mutated-") as tmp:
        directory = Path(tmp) / "raw"
        shutil.copytree(RAW_DIR, directory)
        (directory / file).write_bytes(new)
        check(directory, file, expect)


# Regression tests for what the property found: both edits used to load without a word.


def test_stray_quote_in_a_plain_cell_is_reported(corpus):
    path = corpus / "characteristic_values.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("studies,Bijlage D", 'studies,B"ijlage D', 1), encoding="utf-8"
    )
    (p,) = problems_of(corpus)
    assert p.file.endswith("characteristic_values.csv") and p.line == 3
    assert p.message.startswith("malformed CSV (a quote inside an unquoted cell")


def test_quote_never_closed_is_reported_at_its_line(corpus):
    path = corpus / "factors.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace(",Bijlage", ',"Bijlage')
    path.write_text("".join(lines), encoding="utf-8")
    (p,) = problems_of(corpus)
    assert p.file.endswith("factors.csv") and p.line == 5 and "quote never closed" in p.message


def test_quoted_cells_with_doubled_quotes_are_fine(corpus):
    path = corpus / "hypotheses.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Aimed at extending knowledge", '"Aimed at ""extending"" knowledge"'), encoding="utf-8"
    )
    assert pl.load_hypotheses(corpus)["label_en"][0] == 'Aimed at "extending" knowledge'


def test_last_line_cut_short_is_reported(corpus):
    path = corpus / "pathways.csv"
    data = path.read_bytes()
    assert data.endswith(b"Tabel 10\n")
    path.write_bytes(data[:-2])  # "Bijlage E Tabel 10" would load as "Bijlage E Tabel 1"
    (p,) = problems_of(corpus)
    assert (Path(p.file).name, p.line) == ("pathways.csv", data.count(b"\n"))
    assert p.message.startswith("the last line has no line break")


def problems_of(directory):
    with pytest.raises(pl.CorpusError) as info:
        pl.validate_corpus(directory)
    return info.value.problems


def test_cli_prints_one_line_per_problem_of_a_mutated_corpus(corpus):
    """Several of the property's edits at once: the CLI prints exactly the problems, one line each, and exits 1."""
    edits = {
        "studies.csv": lambda d: d.replace(b"\n", b"\r\n"),  # harmless
        "pathways.csv": lambda d: d[:-2],
        "hypotheses.csv": lambda d: d.decode("utf-8").encode("cp1252"),
        "factors.csv": lambda d: d.replace(b"individual,motivation,", b"individual,motivatie,"),
        "citations.csv": lambda d: d + d.splitlines(keepends=True)[1].replace(b",40,", b",99,", 1),
        "checklist.csv": lambda d: d.replace(b"Build in active", b'Build "in active', 1),
        "countries.csv": lambda d: b"\n".join(ln.rsplit(b",", 1)[0] for ln in d.split(b"\n")),
    }
    for file, edit in edits.items():
        (corpus / file).write_bytes(edit((corpus / file).read_bytes()))
    problems = problems_of(corpus)
    assert {Path(p.file).name for p in problems} == set(edits) - {"studies.csv"}
    result = commands.run("validate", "--data-dir", str(corpus))
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [str(p) for p in problems] + [
        f"peerlearn validate: {len(problems)} problems found"
    ]
