"""Labels of codes, from the codebook's vocabularies only.

Two ways, one source: :func:`label` gives one code's label (``pl.label("mechanism", "reflection", "en")``),
:func:`labels` adds ``<column>_label`` beside every coded column of any table peerlearn returns
(``pl.labels(pl.load_pathways(), "en")``). Both read :meth:`~peerlearn.codebook.Codebook.label`, the one look-up
underneath, which every module that shows a code's label calls (with the codebook of the corpus it shows).
"""

from __future__ import annotations

import pandas as pd

from .choices import check_choice, check_lang
from .codebook import load_codebook


def label(vocabulary: str, code: str, lang: str = "nl", data_dir=None) -> str:
    """Label of a code in Dutch ("nl", the report's language) or English ("en"), from the codebook.

    ``vocabulary`` may also be a composite (``label("pathway", "personal>enactment>practice")``). A name, code or
    language that is not in the codebook raises ValueError naming the valid values and the closest one."""
    check_lang(lang)
    return load_codebook(data_dir).label(vocabulary, code, lang)


def composite_codes(cb, name: str) -> list[str]:
    """Every code of a composite vocabulary (e.g. a pathway ``personal>enactment>practice``), in codebook order."""
    return cb.codes(check_choice(name, cb.composites, "composite vocabulary"))


def vocabulary_codes(cb, name: str) -> list[str]:
    """The codes of a vocabulary or of a composite vocabulary."""
    return cb.codes(name)


def _field_specs(cb, table: str | None) -> dict[str, list[dict]]:
    """column name -> the codebook fields of that name that carry a vocabulary (one table's, or every table's)."""
    names = [table] if table is not None else list(cb.resources)
    specs: dict[str, list[dict]] = {}
    for name in names:
        for f in cb.fields(name):
            if any(k in f for k in ("vocabulary", "vocabularyBy", "itemVocabulary")):
                specs.setdefault(f["name"], []).append(f)
    return specs


def _covers(cb, voc: str, values) -> bool:
    codes = set(vocabulary_codes(cb, voc))
    return all(v in codes for v in values)


def _column_labels(cb, df, column: str, fields: list[dict], lang: str):
    """The labels of one column, or None when no field's vocabulary covers all its values."""
    series = df[column]
    for f in fields:
        if "itemVocabulary" in f:
            voc = f["itemVocabulary"]
            items = [v for t in series if isinstance(t, tuple) for v in t]
            if _covers(cb, voc, items) and all(isinstance(t, tuple) or pd.isna(t) for t in series):
                return [tuple(cb.label(voc, v, lang) for v in t) if isinstance(t, tuple) else pd.NA for t in series]
        elif "vocabulary" in f:
            voc = f["vocabulary"]
            present = [v for v in series.dropna().unique()]
            if _covers(cb, voc, present):
                return [pd.NA if pd.isna(v) else cb.label(voc, v, lang) for v in series]
        else:  # vocabularyBy: the vocabulary depends on another column of the row
            by = f["vocabularyBy"]
            if by["field"] not in df.columns:
                continue
            pairs = list(zip(df[by["field"]], series))
            if all(pd.isna(c) or (k in by["map"] and _covers(cb, by["map"][k], [c])) for k, c in pairs):
                return [pd.NA if pd.isna(c) else cb.label(by["map"][k], c, lang) for k, c in pairs]
    return None


def labels(df, lang: str = "nl", table: str | None = None, data_dir=None):
    """A copy of ``df`` with a label column ``<column>_label`` right after each coded column.

    Works on any table: a loader's, a report table, :func:`~peerlearn.cited`'s. A column is coded when a
    codebook field of that name has a vocabulary (``table`` names the codebook table to take the fields from;
    by default every table's fields are tried and the first vocabulary holding all the column's codes is used).
    Labels come from the codebook's vocabularies only; <NA> stays <NA>; list columns get tuples of labels.
    """
    check_lang(lang)
    cb = load_codebook(data_dir)
    if table is not None:
        check_choice(table, list(cb.resources), "table")
    specs = _field_specs(cb, table)
    out = df.copy()
    for column in list(df.columns):
        if column not in specs or f"{column}_label" in df.columns:
            continue
        values = _column_labels(cb, df, column, specs[column], lang)
        if values is not None:
            out.insert(out.columns.get_loc(column) + 1, f"{column}_label", values)
            if not any(isinstance(v, tuple) for v in values):
                out[f"{column}_label"] = out[f"{column}_label"].astype("string")
    return out
