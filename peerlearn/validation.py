"""Validate the coded corpus against its codebook.

Every check reports a :class:`Problem` (file, line, column, value, what was
expected) and all problems are collected, not only the first. Reading never
writes anything. ``CorpusError`` carries the problems; the CLI prints one line
per problem.
"""
from __future__ import annotations

import csv
import io
import itertools
import sys
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .codebook import CODEBOOK_FILE, Codebook, load_codebook
from .paths import raw_dir

_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file. ``line`` is 1-based (the header is line 1)."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        got = f"value {self.value!r}: " if self.value is not None else ""
        return f"{where}: {got}{self.message}"


class CorpusError(Exception):
    """The corpus does not match its codebook. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the corpus:\n{lines}")

    @property
    def files(self) -> set[str]:
        return {p.file for p in self.problems}

    def report(self, summary: str, file=None) -> None:
        """Print one line per problem, then ``summary``: how every command shows an invalid corpus."""
        file = sys.stderr if file is None else file
        for p in self.problems:
            print(p, file=file)
        print(summary, file=file)


@dataclass
class ParsedTable:
    """Rows of one CSV as Python values (None where a cell is empty), with their line numbers."""

    name: str
    file: str
    fields: list[dict]
    rows: list[dict]
    lines: list[int]
    raw: dict  # column -> list of the cells' text, for columns whose printed precision matters


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _decode(data: bytes, file: str, problems: list[Problem]) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(file, "the file starts with a byte-order mark; expected UTF-8 without BOM", line=1))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        problems.append(Problem(file, f"byte {data[e.start:e.start + 1]!r} is not valid UTF-8; expected a UTF-8 encoded file", line=line))
        return None


_CELL = re.compile(r'"(?:[^"]|"")*"|[^,"\r\n]*')  # one cell: quoted (inner quotes doubled) or plain


def _stray_quote(text: str) -> int | None:
    """Line of the first quote inside a plain cell, or of a quote never closed; None when there is none.

    The csv module reads ``ab"c`` as the text ``ab"c``; RFC 4180 allows quotes only in quoted cells,
    so a lost or stray quote would otherwise change a value without a word.
    """
    if '"' not in text:
        return None
    pos, end = 0, len(text)
    while pos < end:
        pos = _CELL.match(text, pos).end()
        if pos == end:
            break
        if text[pos] == '"':
            return text.count("\n", 0, pos) + 1
        if text[pos] not in ",\r\n":
            return None  # text right after a closing quote: the csv reader reports it
        pos += 1
    return None


def _stray_problem(file: str, line: int) -> Problem:
    return Problem(file, "malformed CSV (a quote inside an unquoted cell, or a quote never closed); expected a cell "
                         "with quotes to be enclosed in quotes, with inner quotes doubled", line=line)


CODES_SHOWN = 12  # codes listed in a message about an unknown code


def _expected_codes(codes, limit: int = CODES_SHOWN) -> str:
    codes = list(codes)
    shown = ", ".join(codes[:limit]) + (", …" if len(codes) > limit else "")
    return f"one of: {shown}"


class _Checker:
    def __init__(self, codebook: Codebook):
        self.cb = codebook

    def is_code(self, name: str, value) -> bool:
        """Whether ``value`` is a code of vocabulary ``name``; a composite code is checked part by part
        (never by listing every combination, which grows as the product of the parts' vocabularies)."""
        spec = self.cb.composites.get(name)
        if spec is None:
            return value in self.cb.vocabulary(name).labels  # a dict keyed by code
        parts = value.split(spec["separator"]) if isinstance(value, str) else ()
        return len(parts) == len(spec["parts"]) and all(p in self.cb.vocabulary(v).labels for p, v in zip(parts, spec["parts"]))

    def vocab_codes(self, name: str, limit: int = CODES_SHOWN + 1) -> list[str]:
        """The first ``limit`` codes of a vocabulary (composites: combinations in order), for messages (one more
        than a message shows, so that it knows to end with "…")."""
        spec = self.cb.composites.get(name)
        if spec is None:
            return list(self.cb.vocabulary(name).codes[:limit])
        combos = itertools.product(*(self.cb.vocabulary(v).codes for v in spec["parts"]))
        return [spec["separator"].join(c) for c in itertools.islice(combos, limit)]

    def parse_cell(self, field: dict, text: str, typ: str | None = None):
        """Return (value, error message or None)."""
        typ = typ or field["type"]
        if typ == "integer":
            if not _INTEGER.fullmatch(text):
                return None, "expected a whole number"
            return int(text), None
        if typ == "number":
            if not _NUMBER.fullmatch(text):
                return None, "expected a number with a '.' as decimal point"
            return float(text), None
        if typ == "list":
            items = text.split(field["delimiter"])
            out = []
            for item in items:
                value, err = self.parse_cell(field, item, field.get("itemType", "string"))
                if err:
                    return None, f"list item {item!r}: {err}"
                voc = field.get("itemVocabulary")
                if voc and not self.is_code(voc, value):
                    return None, f"list item {item!r} is not a known code; expected items {_expected_codes(self.vocab_codes(voc))}, separated by {field['delimiter']!r}"
                out.append(value)
            if len(set(out)) != len(out):
                return None, "a list item is repeated"
            return tuple(out), None
        return text, None

    def check_value(self, field: dict, value, row_text: dict) -> str | None:
        c = field.get("constraints", {})
        if "minimum" in c and value < c["minimum"]:
            return f"expected a value of at least {c['minimum']}"
        if "maximum" in c and value > c["maximum"]:
            return f"expected a value of at most {c['maximum']}"
        if "pattern" in c and not re.fullmatch(c["pattern"], value):
            return f"expected text matching the pattern {c['pattern']}"
        voc = field.get("vocabulary")
        if voc is None and "vocabularyBy" in field:
            by = field["vocabularyBy"]
            voc = by["map"].get(row_text.get(by["field"]) or "")
            if voc is None:
                return None  # the controlling column is itself invalid and reported there
        if voc and not self.is_code(voc, value):
            return f"not a known code of vocabulary {voc!r}; expected {_expected_codes(self.vocab_codes(voc))}"
        parent_col = field.get("parentField")
        if parent_col and voc:
            parent = self.cb.vocabulary(voc).parents.get(value)
            if parent is not None and parent != row_text.get(parent_col):
                return f"code belongs to {parent_col} {parent!r}, but the row's {parent_col} is {row_text.get(parent_col)!r}"
        return None


def parse_table(name: str, data_dir=None, codebook: Codebook | None = None) -> tuple[ParsedTable | None, list[Problem]]:
    """Read and check one table (without cross-table keys). Returns the parsed table (None when unreadable) and its problems."""
    cb = codebook or load_codebook(data_dir)
    res = cb.resource(name)
    path = raw_dir(data_dir) / res["path"]
    file = _display(path)
    problems: list[Problem] = []
    if not path.is_file():
        return None, [Problem(file, f"the file is missing; expected the table {name!r} ({res['title']})")]
    text = _decode(path.read_bytes(), file, problems)
    if text is None:
        return None, problems
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    if text and not text.endswith("\n"):
        problems.append(Problem(file, "the last line has no line break; expected complete lines "
                                      "(the file may have been cut short)", line=text.count("\n") + 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        return None, [Problem(file, f"malformed CSV ({e}); expected the header row", line=1)]
    if not header:
        return None, [Problem(file, f"the file is empty; expected a header row with columns {', '.join(names)}", line=1)]
    seen = set()
    for col in header:
        if col in seen:
            problems.append(Problem(file, "column appears twice in the header", line=1, column=col))
        seen.add(col)
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    for col in missing:
        problems.append(Problem(file, "column is missing from the header", line=1, column=col))
    for col in extra:
        problems.append(Problem(file, f"unexpected column; expected only {', '.join(names)}", line=1, column=col))
    if problems:
        return None, problems

    checker = _Checker(cb)
    index = {n: header.index(n) for n in names}
    by_name = {f["name"]: f for f in fields}
    keep_raw = [f["name"] for f in fields if f.get("recordPrecision")]
    rows, lines = [], []
    raw = {n: [] for n in keep_raw}
    pk = res["schema"].get("primaryKey", [])
    keys: dict[tuple, int] = {}
    line, quote_seen = 1, False
    while True:
        start = line + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            stray = _stray_quote(text)
            problems.append(_stray_problem(file, stray) if stray else
                            Problem(file, f"malformed CSV ({e}); expected properly quoted cells", line=reader.line_num))
            break
        line = reader.line_num
        if not record or record == [""]:
            problems.append(Problem(file, "empty line; expected a data row", line=start))
            continue
        if len(record) != len(header):
            problems.append(Problem(file, f"row has {len(record)} cells; expected {len(header)} (one per column)", line=start))
            continue
        row_text = {n: record[index[n]] for n in names}
        row, ok = {}, True
        for n in names:
            f, cell = by_name[n], row_text[n]
            quote_seen = quote_seen or '"' in cell
            if cell == "":
                if f.get("constraints", {}).get("required"):
                    problems.append(Problem(file, "required value is empty", line=start, column=n, value=cell))
                    ok = False
                row[n] = None
                continue
            value, err = checker.parse_cell(f, cell)
            if err is None:
                err = checker.check_value(f, value, row_text) if f["type"] != "list" else None
            if err:
                problems.append(Problem(file, err, line=start, column=n, value=cell))
                ok = False
            row[n] = value
        if pk and ok:
            key = tuple(row[k] for k in pk)
            if key in keys:
                problems.append(Problem(file, f"duplicate key ({', '.join(pk)}) = {key!r}; first seen on line {keys[key]}; expected each key once", line=start, column=pk[0], value=str(key[0])))
                ok = False
            else:
                keys[key] = start
        if ok:
            rows.append(row)
            lines.append(start)
            for n in keep_raw:
                raw[n].append(row_text[n])
    stray = _stray_quote(text) if quote_seen else None  # only a cell holding a quote can hide a stray one
    if stray:
        return None, [_stray_problem(file, stray)]
    return ParsedTable(name, file, fields, rows, lines, raw), problems


def check_foreign_keys(tables: dict[str, ParsedTable], codebook: Codebook) -> list[Problem]:
    """Problems where a value points to a key that the referenced table lacks."""
    problems = []
    for name, table in tables.items():
        for fk in codebook.resource(name)["schema"].get("foreignKeys", []):
            ref = fk["reference"]
            target = tables.get(ref["resource"])
            if target is None:
                continue  # the referenced table is unreadable and reported on its own
            (col,), (ref_col,) = fk["fields"], ref["fields"]
            known = {r[ref_col] for r in target.rows}
            for row, line in zip(table.rows, table.lines):
                value = row[col]
                items = value if isinstance(value, tuple) else (value,)
                for item in items:
                    if item is not None and item not in known:
                        problems.append(Problem(table.file, f"no row of {target.file} has {ref_col} = {item!r}; expected an existing {ref_col}", line=line, column=col, value=str(item)))
    return problems


def referenced_tables(name: str, codebook: Codebook) -> list[str]:
    """``name`` and the tables its foreign keys point to."""
    out = [name]
    for fk in codebook.resource(name)["schema"].get("foreignKeys", []):
        if fk["reference"]["resource"] not in out:
            out.append(fk["reference"]["resource"])
    return out


def codebook_or_error(directory: Path) -> Codebook:
    """The codebook in ``directory``; CorpusError when it is missing or not valid JSON."""
    path = directory / CODEBOOK_FILE
    if not path.is_file():
        raise CorpusError([Problem(_display(path), "the codebook is missing; expected the Data Package that describes the corpus")])
    try:
        return load_codebook(directory)
    except UnicodeDecodeError as e:
        raise CorpusError([Problem(_display(path), f"not valid UTF-8 ({e.reason}); expected a UTF-8 JSON file")]) from None
    except json.JSONDecodeError as e:
        raise CorpusError([Problem(_display(path), f"not valid JSON ({e.msg}, column {e.colno}); expected a Data Package", line=e.lineno)]) from None
    except (KeyError, TypeError) as e:
        raise CorpusError([Problem(_display(path), f"the Data Package lacks an expected entry ({e}); expected resources with schemas and vocabularies")]) from None


def read_tables(names, data_dir=None) -> dict[str, ParsedTable]:
    """Parse and check the named tables and their foreign keys; raise CorpusError listing every problem."""
    directory = raw_dir(data_dir)
    cb = codebook_or_error(directory)
    tables, problems = {}, []
    for name in names:
        table, found = parse_table(name, directory, cb)
        problems += found
        if table is not None:
            tables[name] = table
    problems += check_foreign_keys(tables, cb)
    if problems:
        raise CorpusError(problems)
    return tables


def validate_corpus(data_dir=None) -> dict[str, int]:
    """Check every table of the codebook. Returns row counts per table; raises CorpusError with all problems."""
    directory = raw_dir(data_dir)
    names = list(codebook_or_error(directory).resources)
    tables = read_tables(names, directory)
    # issue 16: recovered references must agree with what the report printed (order, fragments, descriptors)
    from .reference_checks import check_recovered

    problems = check_recovered(tables)
    if problems:
        raise CorpusError(problems)
    return {name: len(t.rows) for name, t in tables.items()}
