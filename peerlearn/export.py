"""Exports for researchers who work in other tools.

- :func:`bibtex` and :func:`csl_json`: every article of Bijlagen A-C as
  BibTeX and CSL-JSON, each as its effective reference (printed, or recovered
  from a public record and marked so in its note); see :mod:`peerlearn.citations`.
- :func:`workbook_bytes`: every table of the corpus as one Excel workbook,
  one sheet per table, then ``references`` (each article's effective reference,
  its status and note), ``codebook`` (every column) and ``vocabularies`` (every
  code with its Dutch and English label).

The workbook holds codes (not labels), lists joined with ";" as in the CSV
files, and empty cells for missing values. Text is stored as text (a leading
"=" is not a formula); control characters that XML cannot hold become U+FFFD.
Its timestamps are fixed at 1980-01-01 (the zip format's earliest), so equal
data gives equal bytes.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from . import messages
from .citations import bibtex_text, csl_text, entry_type, note
from .codebook import is_list, load_codebook
from .corpus import load_table
from .output import atomic_write_bytes, check_target
from .paths import LANGS
from .reference_checks import BIB_FIELDS
from .references import references

FORMATS = ("bibtex", "csljson", "xlsx")
FIXED_TIME = datetime.datetime(1980, 1, 1)
# the control characters an .xlsx cell cannot hold (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE; a test compares)
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


class ExportError(Exception):
    """An export that cannot be written (bad format or output path)."""


# --- the workbook ---------------------------------------------------------------------------------


def corpus_sheets(data_dir=None) -> dict[str, pd.DataFrame]:
    """Every table as the loaders return it, then ``references``, ``codebook`` and ``vocabularies``: the workbook's
    sheets."""
    from . import TABLES

    sheets = {name: load_table(name, data_dir) for name in TABLES}
    sheets["references"] = reference_table(data_dir)
    sheets["codebook"] = codebook_table(sheets, data_dir)
    sheets["vocabularies"] = vocabulary_table(data_dir)
    return sheets


# the references sheet's columns, documented in English like the codebook's own descriptions; their labels are
# the fields' labels in the codebook (studies), or messages export.reference_columns.<column> where it has none
REFERENCE_COLUMNS = {
    "study_id": "Number of the article in Bijlagen A-C.",
    "status": "Effective state of the reference: complete or partial as printed, recovered from a public record, "
    "unresolved (candidates without proof), lost.",
    "confidence": "For a recovered reference: how strong the evidence of the match is.",
    **{
        f: f"{f.capitalize()}: as printed where printed whole, else as recovered (see note), else a printed fragment."
        for f in BIB_FIELDS
    },
    "entry_type": "BibTeX entry type of the reference in the BibTeX export.",
    "note": "What was lost or is a fragment, which fields came from which record, candidates; empty when complete.",
}


def reference_table(data_dir=None) -> pd.DataFrame:
    """One row per article: its effective reference (see :mod:`peerlearn.references`), status and note."""
    rows = []
    for ref in references(data_dir).values():
        rows.append(
            {
                "study_id": ref.study_id,
                "status": ref.status,
                "confidence": ref.confidence,
                **{f: ref.fields.get(f) for f in BIB_FIELDS},
                "entry_type": entry_type(ref),
                "note": note(ref),
            }
        )
    return pd.DataFrame(rows, columns=list(REFERENCE_COLUMNS))


def codebook_table(tables: dict[str, pd.DataFrame], data_dir=None) -> pd.DataFrame:
    """One row per column of every table: type, whether required, labels, description, codes."""
    cb = load_codebook(data_dir)
    own = {lang: messages.words("export.reference_columns", lang) for lang in LANGS}
    rows = []
    for table, frame in tables.items():
        if table == "references":
            for column, description in REFERENCE_COLUMNS.items():
                rows.append(
                    {
                        "table": table,
                        "field": column,
                        "type": "integer" if column == "study_id" else "string",
                        "required": column in ("study_id", "status", "entry_type"),
                        **{
                            f"label_{lang}": own[lang][column]
                            if column in own[lang]
                            else cb.column_label("studies", column, lang)
                            for lang in LANGS
                        },
                        "description": description,
                        "codes": "vocabulary reference_status"
                        if column == "status"
                        else "vocabulary recovery_confidence"
                        if column == "confidence"
                        else "",
                        "constraints": "",
                    }
                )
            continue
        fields = {f["name"]: f for f in cb.fields(table)}
        for column in frame.columns:
            f = fields.get(column)
            if f is None:  # added by the loader: the printed precision of a number
                base = fields[column.removesuffix("_decimals")]
                f = {
                    "type": "integer",
                    "labels": {lang: f"{base['labels'][lang]} (decimals)" for lang in ("nl", "en")},
                    "description": f"Number of decimals printed in '{base['name']}' (empty when not printed).",
                }
            constraints = f.get("constraints", {})
            rows.append(
                {
                    "table": table,
                    "field": column,
                    "type": (
                        f"list of {f.get('itemType', 'string')} separated by '{f['delimiter']}'"
                        if is_list(f)
                        else f["type"]
                    ),
                    "required": bool(constraints.get("required", False)),
                    "label_nl": f["labels"]["nl"],
                    "label_en": f["labels"]["en"],
                    "description": f.get("description", ""),
                    "codes": _codes_text(f),
                    "constraints": ", ".join(
                        f"{k} {v}" for k, v in constraints.items() if k not in ("required", "enum")
                    ),
                }
            )
    return pd.DataFrame(rows)


def _codes_text(field: dict) -> str:
    if "vocabulary" in field:
        text = f"vocabulary {field['vocabulary']}"
    elif "itemVocabulary" in field:
        text = f"each item from vocabulary {field['itemVocabulary']}"
    elif "vocabularyBy" in field:
        by = field["vocabularyBy"]
        text = f"vocabulary depends on {by['field']}: " + ", ".join(f"{k} -> {v}" for k, v in by["map"].items())
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
            rows.append(
                {
                    "vocabulary": name,
                    "position": position,
                    "code": code,
                    **{f"label_{lang}": cb.label(name, code, lang) for lang in LANGS},
                    "parent": voc.parents.get(code),
                    "ordered": voc.ordered,
                    "vocabulary_description": voc.description,
                }
            )
    return pd.DataFrame(rows)


def cell_value(value):
    """A loader value as an Excel cell: codes as text, lists joined with ';', missing as empty, and control
    characters that an .xlsx file cannot hold (all but tab and line breaks) replaced by U+FFFD."""
    if isinstance(value, tuple):
        value = ";".join(str(v) for v in value) or None
    if value is None or pd.isna(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


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
        refs = list(references(data_dir).values())
        text = bibtex_text(refs) if fmt == "bibtex" else csl_text(refs)
        data, count = text.encode("utf-8"), len(refs)
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
