"""Validate the coded corpus against its codebook.

Every check reports a :class:`Problem` (file, line, column, value, what was
expected) and all problems are collected, not only the first. How one cell is
parsed and checked is :mod:`peerlearn.cells`; here are the file, its rows and
the checks across rows and tables (keys, foreign keys, required rows). Reading never
writes anything. ``CorpusError`` carries the problems; the CLI prints one line
per problem.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .cells import CellChecker
from .codebook import CODEBOOK_FILE, Codebook, ContentCache, digest, load_codebook, parse_codebook
from .descriptor import descriptor_problem, outside
from .paths import raw_dir
from .problems import CorpusError, Problem
from .problems import display as _display
from .record import note

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters (line breaks and tabs aside)


@dataclass
class ParsedTable:
    """Rows of one CSV as Python values (None where a cell is empty), with their line numbers."""

    name: str
    file: str
    fields: list[dict]
    rows: list[dict]
    lines: list[int]
    raw: dict  # column -> list of the cells' text, for columns whose printed precision matters

    def copy(self, file: str) -> ParsedTable:
        """A copy read from ``file``, whose rows, lines and raw cells can be changed without changing this one."""
        rows = [dict(r) for r in self.rows]
        return ParsedTable(
            self.name, file, self.fields, rows, list(self.lines), {k: list(v) for k, v in self.raw.items()}
        )


def _decode(data: bytes, file: str, problems: list[Problem]) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(file, "the file starts with a byte-order mark; expected UTF-8 without BOM", line=1))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        problems.append(
            Problem(
                file,
                f"byte {data[e.start : e.start + 1]!r} is not valid UTF-8; expected a UTF-8 encoded file",
                line=line,
            )
        )
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
    return Problem(
        file,
        "malformed CSV (a quote inside an unquoted cell, or a quote never closed); expected a cell "
        "with quotes to be enclosed in quotes, with inner quotes doubled",
        line=line,
    )


def parse_table(name: str, data_dir=None, codebook: Codebook | None = None) -> tuple[ParsedTable | None, list[Problem]]:
    """Read and check one table (without cross-table keys). Returns the parsed table (None when unreadable) and its
    problems."""
    cb = codebook or load_codebook(data_dir)
    res = cb.resource(name)
    directory = raw_dir(data_dir)
    path = directory / res["path"]
    note("reads", res["path"])
    file = _display(path)
    why = outside(directory, res["path"])
    if why:
        return None, [Problem(file, f"{why}; the table {name!r} was not read")]
    what = f"the table {name!r} ({res.get('title', name)})"
    if path.is_dir():
        return None, [Problem(file, f"is a folder; expected a CSV file holding {what}")]
    if not path.is_file():
        return None, [Problem(file, f"the file is missing; expected {what}")]
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, [Problem(file, f"cannot be read ({e.strerror}); expected a readable CSV file holding {what}")]
    if cb.digest is None or len(data) > PARSED_MAX:  # a codebook built in memory, or a table too large to keep
        return _parse(name, file, res, data, cb)
    # keyed by content alone, so a copy of the corpus in another folder is parsed once; the file is put back after
    content = f"{cb.digest}:{digest([data])}:{csv.field_size_limit()}"  # the limit decides one message
    table, found = _PARSED.get(name, content, lambda: _parse(name, "", res, data, cb))
    return (table.copy(file) if table is not None else None), [replace(p, file=file) for p in found]


_PARSED = ContentCache(64)  # table, and the digest of the codebook, the bytes and the csv limit -> parsed, problems
PARSED_MAX = 1 << 20  # bytes of a table kept parsed: a parsed row takes many times the memory of its text


def _parse(name: str, file: str, res: dict, data: bytes, cb: Codebook) -> tuple[ParsedTable | None, list[Problem]]:
    """Parse and check the bytes ``data`` of table ``name`` (``file`` as shown, ``res`` its resource)."""
    problems: list[Problem] = []
    text = _decode(data, file, problems)
    if text is None:
        return None, problems
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    if text and not text.endswith("\n"):
        problems.append(
            Problem(
                file,
                "the last line has no line break; expected complete lines (the file may have been cut short)",
                line=text.count("\n") + 1,
            )
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        return None, [Problem(file, f"malformed CSV ({e}); expected the header row", line=1)]
    if not header:
        return None, [
            Problem(file, f"the file is empty; expected a header row with columns {', '.join(names)}", line=1)
        ]
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

    checker = CellChecker(cb)
    control = bool(_CONTROL.search(text))
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
            if "field larger than field limit" in str(e):
                problems.append(_too_long(file, start, min(MAX_CELL, csv.field_size_limit())))
                return None, problems
            stray = _stray_quote(text)
            problems.append(
                _stray_problem(file, stray)
                if stray
                else Problem(file, f"malformed CSV ({e}); expected properly quoted cells", line=reader.line_num)
            )
            break
        line = reader.line_num
        if not record or record == [""]:
            problems.append(Problem(file, "empty line; expected a data row", line=start))
            continue
        if len(record) != len(header):
            problems.append(
                Problem(file, f"row has {len(record)} cells; expected {len(header)} (one per column)", line=start)
            )
            continue
        row_text = {n: record[index[n]] for n in names}
        row, ok = {}, True
        if any(len(cell) > MAX_CELL for cell in record):  # the csv module's limit is global: other code may raise it
            problems.append(_too_long(file, start, MAX_CELL))
            return None, problems
        for n in names:
            f, cell = by_name[n], row_text[n]
            quote_seen = quote_seen or '"' in cell
            if control and (bad := _CONTROL.search(cell)):
                problems.append(
                    Problem(
                        file,
                        f"contains the control character U+{ord(bad.group()):04X}; expected printable text",
                        line=start,
                        column=n,
                    )
                )
                ok = False
                continue
            if cell == "":
                if f.get("constraints", {}).get("required"):
                    problems.append(Problem(file, "required value is empty", line=start, column=n, value=cell))
                    ok = False
                row[n] = None
                continue
            value, err = checker.parse_cell(f, cell)
            if err is None:
                err = checker.check_value(f, value, row_text)
            if err:
                problems.append(Problem(file, err, line=start, column=n, value=cell))
                ok = False
            row[n] = value
        if pk and ok:
            key = tuple(row[k] for k in pk)
            if key in keys:
                problems.append(
                    Problem(
                        file,
                        f"duplicate key ({', '.join(pk)}) = {key!r}; first seen on line {keys[key]}; "
                        "expected each key once",
                        line=start,
                        column=pk[0],
                        value=str(key[0]),
                    )
                )
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
    if not problems:
        problems += _missing_rows(res, rows, file)
    return ParsedTable(name, file, fields, rows, lines, raw), problems


MAX_CELL = 128 * 1024  # characters in one cell: the csv module's default limit, checked whatever it is set to


def _too_long(file: str, line: int, limit: int) -> Problem:
    return Problem(file, f"a cell is longer than {limit} characters; expected shorter cells", line=line)


def _references(name: str, codebook: Codebook) -> list[tuple[str, str, str]]:
    """(column, referenced table, referenced column) of every foreign key of a table, list items included."""
    schema = codebook.resource(name)["schema"]
    out = [
        (fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
        for fk in schema.get("foreignKeys", [])
    ]
    out += [
        (f["name"], f["itemReference"]["resource"], f["itemReference"]["field"])
        for f in schema["fields"]
        if "itemReference" in f
    ]
    return out


def _missing_rows(res: dict, rows: list[dict], file: str) -> list[Problem]:
    """A problem for each row named in the codebook's ``requiredRows`` that the table lacks (peerlearn reads them)."""
    spec = res.get("requiredRows")
    if not spec:
        return []
    have = {tuple(row[k] for k in spec["fields"]) for row in rows}
    return [
        Problem(
            file,
            f"no row with {', '.join(f'{k} = {v!r}' for k, v in zip(spec['fields'], key))}; expected "
            "it: the report prints this number and peerlearn reads it (requiredRows in the codebook)",
        )
        for key in map(tuple, spec["rows"])
        if key not in have
    ]


def check_foreign_keys(tables: dict[str, ParsedTable], codebook: Codebook) -> list[Problem]:
    """Problems where a value points to a key that the referenced table lacks."""
    problems = []
    for name, table in tables.items():
        for col, ref_table, ref_col in _references(name, codebook):
            target = tables.get(ref_table)
            if target is None:
                continue  # the referenced table is unreadable and reported on its own
            known = {r[ref_col] for r in target.rows}
            for row, line in zip(table.rows, table.lines):
                value = row[col]
                items = value if isinstance(value, tuple) else (value,)
                for item in items:
                    if item is not None and item not in known:
                        problems.append(
                            Problem(
                                table.file,
                                f"no row of {target.file} has {ref_col} = {item!r}; expected an existing {ref_col}",
                                line=line,
                                column=col,
                                value=str(item),
                            )
                        )
    return problems


def referenced_tables(name: str, codebook: Codebook) -> list[str]:
    """``name`` and the tables its foreign keys point to."""
    out = [name]
    for _, table, _ in _references(name, codebook):
        if table not in out:
            out.append(table)
    return out


def codebook_or_error(directory: Path) -> Codebook:
    """The codebook in ``directory``; CorpusError (one problem, naming the key) when it is missing or malformed."""
    path = directory / CODEBOOK_FILE
    if path.is_dir():
        raise CorpusError([Problem(_display(path), "is a folder; expected the Data Package that describes the corpus")])
    if not path.is_file():
        raise CorpusError(
            [Problem(_display(path), "the codebook is missing; expected the Data Package that describes the corpus")]
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise CorpusError(
            [Problem(_display(path), f"cannot be read ({e.strerror}); expected a readable Data Package")]
        ) from None
    content = digest([data])
    problem = descriptor_problem(str(path), data, content)
    if problem is not None:
        raise CorpusError([problem])
    return parse_codebook(path, data, content)


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
