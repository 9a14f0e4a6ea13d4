"""Exports for researchers who work in other tools.

- :func:`bibtex` and :func:`csl_json`: the 76 articles of Bijlagen A-C as
  BibTeX (for biblatex/biber, UTF-8) and as CSL-JSON (Zotero, pandoc,
  citeproc). Only what the extracted report text holds is exported; a field
  the extraction lost is left out, and an incomplete reference gets a ``note``
  naming its lost fields and the fields that hold only a fragment.
- :func:`workbook_bytes`: every table of the corpus as one Excel workbook,
  one sheet per table plus ``codebook`` (every column) and ``vocabularies``
  (every code with its Dutch and English label).

Choices, so that exports can be trusted and diffed:

- Citation keys are ``thurlings2014-sNN``, NN the two-digit article number of
  Bijlagen A-C (the superscript in the report), so a key never changes when
  the data is corrected.
- Entry types follow the data: an article with a journal volume, issue or
  pages (printed or lost) is ``@article`` (CSL ``article-journal``); a
  complete reference whose source has none of these is a dissertation with
  the institution as source (the codebook: "Journal, or the institution of a
  dissertation") and becomes ``@phdthesis`` (CSL ``thesis``); a reference of
  which nothing survives is ``@misc`` (CSL ``document``).
- BibTeX text is UTF-8 (accents as characters, for biblatex with biber);
  ``\\ { } & % $ # _ ~ ^`` are escaped; ``doi`` and ``url`` are verbatim
  fields and written as printed. Page ranges use ``--`` (BibTeX's en dash);
  CSL-JSON keeps the printed en dash. Titles are as printed (sentence case),
  without braces: styles that change case may lower proper nouns.
- Authors "Last, I., & Last, I." are split into family and given names; a
  lower-case prefix such as "van" is a non-dropping particle in CSL-JSON.
- The workbook holds codes (not labels), lists joined with ";" as in the CSV
  files, and empty cells for missing values. Its timestamps are fixed at
  1980-01-01 (the zip format's earliest), so equal data gives equal bytes.
"""
from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd

from .codebook import is_list, load_codebook
from .corpus import load_studies, load_table
from .output import atomic_write_bytes, check_target

FORMATS = ("bibtex", "csljson", "xlsx")
KEY_PREFIX = "thurlings2014-s"
BIB_FIELDS = ("authors", "year", "title", "source", "volume", "issue", "pages", "doi", "url")
JOURNAL_FIELDS = ("volume", "issue", "pages")
# studies column -> BibTeX field, per entry type; 'source' depends on the type
BIBTEX_NAMES = {"authors": "author", "year": "year", "title": "title", "volume": "volume", "issue": "number",
                "pages": "pages", "doi": "doi", "url": "url"}
BIBTEX_SOURCE = {"article": "journal", "phdthesis": "school", "misc": "howpublished"}
BIBTEX_VERBATIM = ("doi", "url")
CSL_TYPES = {"article": "article-journal", "phdthesis": "thesis", "misc": "document"}
CSL_SOURCE = {"article": "container-title", "phdthesis": "publisher", "misc": "publisher"}
CSL_NAMES = {"title": "title", "volume": "volume", "issue": "issue", "pages": "page", "doi": "DOI", "url": "URL"}
FIXED_TIME = datetime.datetime(1980, 1, 1)
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                   "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


class ExportError(Exception):
    """An export that cannot be written (bad format or output path)."""


# --- the articles ---------------------------------------------------------------------------------

def citation_key(study_id: int) -> str:
    """Stable key of an article: ``thurlings2014-s07`` for article 7 of Bijlagen A-C."""
    return f"{KEY_PREFIX}{int(study_id):02d}"


def entry_type(row) -> str:
    """'article', 'phdthesis' or 'misc' for one row of :func:`~peerlearn.load_studies` (see module docstring)."""
    present = _fields(row)
    if any(f in present or f in row["bib_lost_fields"] for f in JOURNAL_FIELDS):
        return "article"
    if "source" in present and row["bib_status"] == "complete":
        return "phdthesis"
    return "misc"


def split_authors(printed: str) -> list[tuple[str, str]]:
    """"Amhag, L., & Jakobsson, A." -> [("Amhag", "L."), ("Jakobsson", "A.")] (family, given)."""
    parts = [p.strip() for p in printed.replace("& ", "").split(", ")]
    if len(parts) % 2 or not all(parts):
        raise ValueError(f"authors {printed!r}: expected 'Family, I., & Family, I.'")
    return list(zip(parts[::2], parts[1::2]))


def incompleteness_note(row) -> str | None:
    """English note naming the lost and truncated fields of an incomplete reference, else None."""
    lost, truncated = list(row["bib_lost_fields"]), list(row["bib_truncated_fields"])
    if row["bib_status"] == "complete" and not lost and not truncated:
        return None
    parts = ["the lost fields are not recorded"] if not lost and not truncated else []
    if lost:
        parts.append(f"{_enumerate(lost)} lost")
    if truncated:
        parts.append(f"{_enumerate(truncated)} {'is a fragment' if len(truncated) == 1 else 'are fragments'}")
    status = "lost" if row["bib_status"] == "lost" else "incomplete"
    return (f"Reference {status} in the extracted text of Thurlings & den Brok (2014), "
            f"article {int(row['study_id'])}: {'; '.join(parts)}.")


def _enumerate(fields: list[str]) -> str:
    return fields[0] if len(fields) == 1 else ", ".join(fields[:-1]) + " and " + fields[-1]


def _fields(row) -> dict[str, object]:
    """The bibliographic fields the row has, in BIB_FIELDS order."""
    return {f: row[f] for f in BIB_FIELDS if not pd.isna(row[f])}


def bibtex_escape(text: str) -> str:
    """Escape BibTeX/LaTeX special characters; other Unicode characters stay as they are."""
    return "".join(_BIBTEX_ESCAPES.get(c, c) for c in text)


def bibtex(data_dir=None) -> str:
    """The 76 articles as BibTeX entries, in article order."""
    return _bibtex_text(load_studies(data_dir))


def _bibtex_text(studies: pd.DataFrame) -> str:
    return "\n".join(_bibtex_entry(row) for _, row in studies.iterrows())


def _bibtex_entry(row) -> str:
    kind = entry_type(row)
    fields = []
    for name, value in _fields(row).items():
        if name == "authors":
            value = " and ".join(f"{family}, {given}" for family, given in split_authors(value))
        elif name == "pages":
            value = value.replace("\u2013", "--")
        elif name == "year":
            value = str(int(value))
        bib_name = BIBTEX_SOURCE[kind] if name == "source" else BIBTEX_NAMES[name]
        if name in BIBTEX_VERBATIM:
            if re.search(r"[{}\\]", value):
                raise ValueError(f"article {row['study_id']}: {name} {value!r} cannot be written as a BibTeX verbatim field")
        else:
            value = bibtex_escape(value)
        fields.append((bib_name, value))
    note = incompleteness_note(row)
    if note:
        fields.append(("note", bibtex_escape(note)))
    body = "".join(f",\n  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{citation_key(row['study_id'])}{body}\n}}\n"


def _csl_item(row) -> dict:
    kind = entry_type(row)
    item = {"id": citation_key(row["study_id"]), "type": CSL_TYPES[kind]}
    for name, value in _fields(row).items():
        if name == "authors":
            item["author"] = [_csl_name(family, given) for family, given in split_authors(value)]
        elif name == "year":
            item["issued"] = {"date-parts": [[int(value)]]}
        elif name == "source":
            item[CSL_SOURCE[kind]] = str(value)
        else:
            item[CSL_NAMES[name]] = str(value)
    note = incompleteness_note(row)
    if note:
        item["note"] = note
    return item


def _csl_name(family: str, given: str) -> dict:
    words = family.split(" ")
    particle = []
    while len(words) > 1 and words[0][:1].islower():
        particle.append(words.pop(0))
    name = {"family": " ".join(words), "given": given}
    if particle:
        name["non-dropping-particle"] = " ".join(particle)
    return name


def csl_json(data_dir=None) -> str:
    """The 76 articles as a CSL-JSON array (UTF-8 text, two-space indent)."""
    return _csl_text(load_studies(data_dir))


def _csl_text(studies: pd.DataFrame) -> str:
    items = [_csl_item(row) for _, row in studies.iterrows()]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --- the workbook ---------------------------------------------------------------------------------

def corpus_sheets(data_dir=None) -> dict[str, pd.DataFrame]:
    """Every table as the loaders return it, then ``codebook`` and ``vocabularies``: the workbook's sheets."""
    from . import TABLES

    sheets = {name: load_table(name, data_dir) for name in TABLES}
    sheets["codebook"] = codebook_table(sheets, data_dir)
    sheets["vocabularies"] = vocabulary_table(data_dir)
    return sheets


def codebook_table(tables: dict[str, pd.DataFrame], data_dir=None) -> pd.DataFrame:
    """One row per column of every table: type, whether required, labels, description, codes."""
    cb = load_codebook(data_dir)
    rows = []
    for table, frame in tables.items():
        fields = {f["name"]: f for f in cb.fields(table)}
        for column in frame.columns:
            f = fields.get(column)
            if f is None:  # added by the loader: the printed precision of a number
                base = fields[column.removesuffix("_decimals")]
                f = {"type": "integer", "labels": {lang: f"{base['labels'][lang]} (decimals)" for lang in ("nl", "en")},
                     "description": f"Number of decimals printed in '{base['name']}' (empty when not printed)."}
            constraints = f.get("constraints", {})
            rows.append({
                "table": table, "field": column,
                "type": (f"list of {f.get('itemType', 'string')} separated by '{f['delimiter']}'"
                         if is_list(f) else f["type"]),
                "required": bool(constraints.get("required", False)),
                "label_nl": f["labels"]["nl"], "label_en": f["labels"]["en"],
                "description": f.get("description", ""),
                "codes": _codes_text(f),
                "constraints": ", ".join(f"{k} {v}" for k, v in constraints.items() if k not in ("required", "enum")),
            })
    return pd.DataFrame(rows)


def _codes_text(field: dict) -> str:
    if "vocabulary" in field:
        text = f"vocabulary {field['vocabulary']}"
    elif "itemVocabulary" in field:
        text = f"each item from vocabulary {field['itemVocabulary']}"
    elif "vocabularyBy" in field:
        by = field["vocabularyBy"]
        text = (f"vocabulary depends on {by['field']}: "
                + ", ".join(f"{k} -> {v}" for k, v in by["map"].items()))
    else:
        return ""
    if "parentField" in field:
        text += f"; parent code must equal {field['parentField']}"
    return text


def vocabulary_table(data_dir=None) -> pd.DataFrame:
    """One row per code of every vocabulary, in codebook order, with Dutch and English labels."""
    cb = load_codebook(data_dir)
    rows = []
    for name, voc in cb.vocabularies.items():
        for position, code in enumerate(voc.codes, start=1):
            rows.append({"vocabulary": name, "position": position, "code": code,
                         "label_nl": voc.label(code, "nl"), "label_en": voc.label(code, "en"),
                         "parent": voc.parents.get(code), "ordered": voc.ordered,
                         "vocabulary_description": voc.description})
    return pd.DataFrame(rows)


def cell_value(value):
    """A loader value as an Excel cell: codes as text, lists joined with ';', missing as empty."""
    if isinstance(value, tuple):
        return ";".join(str(v) for v in value) or None
    if value is None or pd.isna(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def workbook_bytes(data_dir=None) -> bytes:
    """The whole corpus as .xlsx bytes: one sheet per table, then codebook and vocabularies."""
    return _workbook_bytes(corpus_sheets(data_dir))


def _workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for name, frame in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(list(frame.columns))
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        for record in frame.itertuples(index=False):
            ws.append([cell_value(v) for v in record])
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "f":  # text that starts with '=' is data, not a formula
                    cell.data_type = "s"
    wb.properties.creator = "peerlearn"
    wb.properties.title = "Leraren leren als gelijken: wat werkt? (Thurlings & den Brok, 2014) - coded corpus"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()  # save_workbook() would stamp "now"
    return _fixed_time_zip(buffer.getvalue())


def _fixed_time_zip(data: bytes) -> bytes:
    """The same zip archive with every member dated FIXED_TIME, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(member))
    return out.getvalue()


# --- writing --------------------------------------------------------------------------------------

def export(fmt: str, output, data_dir=None) -> tuple[Path, int]:
    """Write the export ``fmt`` (bibtex, csljson, xlsx) to ``output`` whole or not at all.

    Returns the path and the number of entries (bibtex, csljson) or sheets (xlsx).
    Raises :class:`ExportError` for a bad format or a missing folder, :class:`~peerlearn.output.OutputError` for
    an output that may not or cannot be written, :class:`~peerlearn.CorpusError` for an invalid corpus.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    output = Path(output)
    _check_output(output, data_dir)
    if fmt == "xlsx":
        sheets = corpus_sheets(data_dir)
        data, count = _workbook_bytes(sheets), len(sheets)
    else:
        studies = load_studies(data_dir)
        text = _bibtex_text(studies) if fmt == "bibtex" else _csl_text(studies)
        data, count = text.encode("utf-8"), len(studies)
    atomic_write_bytes(output, data, data_dir)  # raises OutputError (one line) when it cannot
    return output, count


def _check_output(output: Path, data_dir=None) -> None:
    """Refuse a bad output path before any work (see :func:`peerlearn.output.check_target`: never inside a raw-data
    folder or the committed outputs, never over a link, FIFO, device or folder)."""
    if output.is_dir():
        raise ExportError(f"{output}: is a folder; expected a file name")
    folder = output.parent
    if not folder.is_dir():
        raise ExportError(f"{folder}: the folder does not exist")
    check_target(output, data_dir)
