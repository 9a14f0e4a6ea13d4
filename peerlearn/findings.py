"""The audit's flags grouped into findings: one cause is one finding, with every printed number it explains.

The ledger (:func:`peerlearn.audit.ledger`) flags each printed number on its own, so one misprint can raise
several flags: the misprinted count, its percentage, the row total it breaks and the column total. A
*finding* groups them. The grouping is computed, not typed: for each correction the corpus records beside a
printed number (a column ``<measure>_corrected`` with its reason), the ledger is recomputed on a copy of the
corpus with that one correction applied; the flags that disappear are that misprint's consequences. Every
other flag is a finding of its own.

:func:`findings` returns :class:`AuditFinding` objects; :func:`render` writes them as text, Markdown, CSV or
JSON, in Dutch or English, with codes shown as their labels.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from .audit import FIGURE_TABLES, INCONSISTENT, fmt, ledger, numbers
from .choices import check_lang
from .codebook import load_codebook
from .escaping import markdown
from .messages import text, words
from .output import atomic_write_bytes
from .paths import raw_dir
from .record import note

FORMATS = ("text", "md", "csv", "json")
KEYS = ["table", "row", "column", "measure"]


@dataclass(frozen=True)
class Number:
    """One printed number of the ledger: where it is (codes), what was printed, what the data give, why."""

    table: str
    row: str
    column: str
    measure: str
    published: str
    data_give: dict  # lang -> what the data give (a value or a range; "" when nothing)
    likely: str
    explanation: dict  # lang -> text
    where: dict  # lang -> the place in words, codes shown as labels


@dataclass(frozen=True)
class AuditFinding:
    """One cause: the number it starts from and every other flagged number it explains."""

    number: Number
    consequences: tuple[Number, ...] = field(default_factory=tuple)
    correction: dict = field(default_factory=dict)  # lang -> reason recorded in the data (English only; {} when none)

    def flags(self) -> int:
        return 1 + len(self.consequences)


def _where(r, lang: str, codebook) -> str:
    t = words("findings", lang)
    parts = str(r["row"]).split(":")
    row = " / ".join(codebook.label_anywhere(part, lang) for part in parts)
    column = codebook.label_anywhere(str(r["column"]), lang)
    measure = codebook.label_anywhere(str(r["measure"]), lang)
    # a row without any code (a prose count's id, the header N) is named by its source alone
    named = any(codebook.label_anywhere(part, lang) != part for part in parts)
    return (
        f"{r['source']}, "
        + (f"{t['row']} '{row}', " if named else "")
        + f"{t['column']} '{column}'"
        + (f" ({measure})" if measure != column else "")
    )


def _number(r, codebook) -> Number:
    if pd.notna(r["recomputed"]):
        give = {lang: fmt(r["recomputed"]) for lang in ("nl", "en")}
    elif pd.notna(r["lower"]) or pd.notna(r["upper"]):
        lo, hi = (None if pd.isna(r[k]) else fmt(r[k]) for k in ("lower", "upper"))
        form = "range" if lo is not None and hi is not None else "at_least" if lo is not None else "at_most"
        give = {lang: text(f"findings.{form}", lang, lo=lo, hi=hi) for lang in ("nl", "en")}
    else:
        give = {lang: "" for lang in ("nl", "en")}
    return Number(
        table=r["table"],
        row=str(r["row"]),
        column=str(r["column"]),
        measure=str(r["measure"]),
        published="" if pd.isna(r["published"]) else fmt(r["published"]),
        data_give=give,
        likely="" if pd.isna(r["likely_value"]) else fmt(r["likely_value"]),
        explanation={"en": r["explanation"], "nl": r["explanation_nl"]},
        where={lang: _where(r, lang, codebook) for lang in ("nl", "en")},
    )


def _flagged(led: pd.DataFrame) -> pd.DataFrame:
    per_number = numbers(led)
    return per_number[per_number["status"] == INCONSISTENT].reset_index(drop=True)


def corrections(data_dir=None) -> list[dict]:
    """Every correction the corpus records beside a printed number: table, line (1 = header), measure, the
    printed and the corrected value, and the reason (a ``<measure>_corrected`` column and ``correction_reason``)."""
    codebook = load_codebook(data_dir)
    found = []
    for name, resource in codebook.resources.items():
        columns = [f["name"] for f in resource["schema"]["fields"]]
        for column in columns:
            measure = column.removesuffix("_corrected")
            if column == measure or measure not in columns:
                continue
            note("reads", resource["path"])
            with open(raw_dir(data_dir) / resource["path"], encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
            for line, row in enumerate(rows, 2):
                if row.get(column):
                    found.append(
                        {
                            "table": name,
                            "path": resource["path"],
                            "line": line,
                            "measure": measure,
                            "printed": row[measure],
                            "corrected": row[column],
                            "reason": row.get("correction_reason", ""),
                            "row": row,
                        }
                    )
    return found


def _apply(source: Path, target: Path, correction: dict) -> None:
    """Copy the corpus in ``source`` to ``target`` (a scratch folder) with one correction applied in place of
    the printed value. The corpus itself is only read."""
    shutil.copytree(source, target)
    path = target / correction["path"]
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    column = rows[0].index(correction["measure"])
    rows[correction["line"] - 1][column] = correction["corrected"]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    atomic_write_bytes(path, buffer.getvalue().encode("utf-8"))


def findings(data_dir=None, led: pd.DataFrame | None = None) -> list[AuditFinding]:
    """The inconsistent numbers of the ledger grouped by cause, in ledger order (figures' numbers included)."""
    led = ledger(data_dir) if led is None else led
    codebook = load_codebook(data_dir)
    flagged = _flagged(led)
    key = lambda r: tuple(str(r[k]) for k in KEYS)  # noqa: E731
    remaining = {key(r): r for _, r in flagged.iterrows()}
    out = []
    for correction in corrections(data_dir):
        with tempfile.TemporaryDirectory(prefix="peerlearn-finding-") as scratch:
            corrected = Path(scratch) / "corpus"
            _apply(raw_dir(data_dir), corrected, correction)
            still = {key(r) for _, r in _flagged(ledger(corrected, figures=False)).iterrows()}
        explained = [k for k in remaining if k not in still and k[0] not in FIGURE_TABLES]
        if not explained:
            continue
        rows = [remaining.pop(k) for k in explained]
        # the number the correction is about comes first: the one whose likely value is the corrected one
        rows.sort(
            key=lambda r: pd.isna(r["likely_value"]) or fmt(r["likely_value"]) != fmt(float(correction["corrected"]))
        )
        reason = correction["reason"]
        out.append(
            AuditFinding(
                _number(rows[0], codebook),
                tuple(_number(r, codebook) for r in rows[1:]),
                {"en": reason} if reason else {},
            )
        )  # the corpus records the reason in English
    out += [AuditFinding(_number(r, codebook)) for r in remaining.values()]
    order = {key(r): i for i, r in flagged.iterrows()}
    return sorted(out, key=lambda f: order[(f.number.table, f.number.row, f.number.column, f.number.measure)])


# --- rendering --------------------------------------------------------------------------------------------

_md = markdown  # data text made inert for Markdown and the HTML it becomes


def _lines(n: Number, lang: str) -> list[str]:
    t = words("findings", lang)
    parts = [f"{t['printed']} {n.published or '-'}"]
    if n.data_give[lang]:
        parts.append(f"{t['data']} {n.data_give[lang]}")
    if n.likely:
        parts.append(f"{t['likely']} {n.likely}")
    return [n.where[lang], "; ".join(parts), n.explanation[lang]]


def render(found: list[AuditFinding], fmt: str = "text", lang: str = "en", head: dict | None = None) -> str:
    """The findings as ``text`` (terminal), ``md`` (Markdown, data text escaped), ``csv`` (one row per flagged
    number, with its finding's number) or ``json``."""
    check_lang(lang)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    t = words("findings", lang)
    flags = sum(f.flags() for f in found)
    if fmt == "json":
        return (
            json.dumps(
                {"headline": head or {}, "findings": [{"finding": i, **asdict(f)} for i, f in enumerate(found, 1)]},
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["finding", "role", *KEYS, "where", "published", "data_give", "likely_value", "explanation"])
        for i, f in enumerate(found, 1):
            for role, n in [("cause", f.number)] + [("consequence", c) for c in f.consequences]:
                writer.writerow(
                    [
                        i,
                        role,
                        n.table,
                        n.row,
                        n.column,
                        n.measure,
                        n.where[lang],
                        n.published,
                        n.data_give[lang],
                        n.likely,
                        n.explanation[lang],
                    ]
                )
        return buffer.getvalue()
    lines = []
    if fmt == "md":
        lines += [f"## {t['title']}", "", t["head"].format(n=len(found), flags=flags), ""]
        for i, f in enumerate(found, 1):
            where, numbers_, why = (_md(x) for x in _lines(f.number, lang))
            lines += [f"### {t['finding']} {i}: {where}", "", f"- {numbers_}", f"- {why}"]
            if lang in f.correction:
                lines.append(f"- {t['correction']}: {_md(f.correction[lang])}")
            if f.consequences:
                lines.append(f"- {t['also']}:")
                lines += [f"    - {_md(c.where[lang])}: {_md(_lines(c, lang)[1])}" for c in f.consequences]
            lines.append("")
        return "\n".join(lines)
    lines.append(t["head"].format(n=len(found), flags=flags))
    for i, f in enumerate(found, 1):
        where, numbers_, why = _lines(f.number, lang)
        lines += ["", f"{t['finding']} {i}: {where}", f"  {numbers_}", f"  {why}"]
        if lang in f.correction:
            lines.append(f"  {t['correction']}: {f.correction[lang]}")
        for c in f.consequences:
            lines.append(f"  {t['also']}: {c.where[lang]} ({_lines(c, lang)[1]})")
    return "\n".join(lines) + "\n"
