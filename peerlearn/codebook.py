"""The codebook: ``datapackage.json`` beside the CSV files.

It is a Frictionless Data Package (v1 profile, Table Schema per CSV) with peerlearn's
extensions: top-level ``vocabularies`` (ordered codes with Dutch and English
labels, optionally a ``parent`` code) and ``composites`` (codes built from
other vocabularies, e.g. a pathway ``personal>enactment>practice``); on
fields ``vocabulary``, ``vocabularyBy`` (the vocabulary depends on another
column), ``parentField`` (the code's parent must equal that column's value)
and, for a string field holding a list, ``delimiter`` with ``itemType``,
``itemVocabulary`` and ``itemReference`` (a foreign key per item). Every
coded field also declares its codes the standard way (``constraints.enum``,
or for a list a ``constraints.pattern``), generated from the vocabularies by
:func:`standard_constraint`, so any Frictionless tool checks them. ``requiredRows`` on a
resource lists the keys of the rows peerlearn reads; a corpus lacking one is refused.
Validation and labels both read it, so documentation and checks cannot drift apart.
"""
from __future__ import annotations

import itertools
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import LANGS, raw_dir
from .choices import check_choice

CODEBOOK_FILE = "datapackage.json"
TABLES = (
    "studies", "citations", "prose_counts", "factors", "domain_effects", "pathways",
    "hypotheses", "hypothesis_cmo", "characteristics", "characteristic_values", "countries",
    "published_totals", "selection_flow", "checklist", "model_edges", "hypothesis_evidence_notes",
    "recovered_references",
)  # the tables peerlearn's loaders, analyses and exports need; a codebook without one is refused


@dataclass(frozen=True)
class Vocabulary:
    name: str
    description: str
    ordered: bool
    codes: tuple[str, ...]
    labels: dict  # code -> {"nl": ..., "en": ...}
    parents: dict  # code -> parent code (absent when none)

    def label(self, code: str, lang: str = "nl") -> str:
        check_lang(lang)
        return self.labels[check_choice(code, self.codes, f"{self.name} code")][lang]


class Codebook:
    """Read access to datapackage.json: resources, fields and vocabularies."""

    def __init__(self, package: dict, path: Path):
        self.package = package
        self.path = path
        self.resources = {r["name"]: r for r in package["resources"]}
        self.vocabularies = {
            name: Vocabulary(
                name=name,
                description=v.get("description", ""),
                ordered=bool(v.get("ordered", False)),
                codes=tuple(c["code"] for c in v["codes"]),
                labels={c["code"]: {lang: c[lang] for lang in LANGS} for c in v["codes"]},
                parents={c["code"]: c["parent"] for c in v["codes"] if "parent" in c},
            )
            for name, v in package.get("vocabularies", {}).items()
        }
        self.composites = package.get("composites", {})

    def resource(self, name: str) -> dict:
        """The resource (table) ``name``; ValueError naming the tables and the closest one for another name."""
        return self.resources[check_choice(name, self.resources, "table")]

    def fields(self, name: str) -> list[dict]:
        return self.resource(name)["schema"]["fields"]

    def field(self, table: str, column: str) -> dict:
        fields = {f["name"]: f for f in self.fields(table)}
        return fields[check_choice(column, fields, f"column of {table}")]

    def vocabulary(self, name: str) -> Vocabulary:
        return self.vocabularies[check_choice(name, self.vocabularies, "vocabulary")]

    def label(self, vocabulary: str, code: str, lang: str = "nl") -> str:
        """Label of ``code`` in ``vocabulary`` in Dutch ("nl") or English ("en")."""
        return self.vocabulary(vocabulary).label(code, lang)

    def labels(self, vocabulary: str, lang: str = "nl") -> dict[str, str]:
        """All codes of a vocabulary mapped to their labels, in vocabulary order."""
        v = self.vocabulary(vocabulary)
        return {c: v.label(c, lang) for c in v.codes}

    def column_label(self, table: str, column: str, lang: str = "nl") -> str:
        check_lang(lang)
        return self.field(table, column)["labels"][lang]


def is_list(field: dict) -> bool:
    """Whether a field's cells hold lists: a string field with a ``delimiter`` (peerlearn's extension)."""
    return "delimiter" in field


def _codes(package: dict, name: str) -> list[str]:
    """Every code of a vocabulary or composite (composites: every combination, in order)."""
    spec = package.get("composites", {}).get(name)
    if spec is None:
        return [c["code"] for c in package["vocabularies"][name]["codes"]]
    parts = [_codes(package, v) for v in spec["parts"]]
    return [spec["separator"].join(c) for c in itertools.product(*parts)]


def standard_constraint(package: dict, field: dict) -> dict:
    """The standard Table Schema constraint that declares a coded field's codes (``{}`` for other fields).

    A coded field gets ``enum`` (its vocabulary's codes; with ``vocabularyBy`` every code any row may
    hold); a list field gets a ``pattern`` of its items (their codes, or whole numbers) and delimiter.
    """
    if is_list(field):
        if "itemVocabulary" in field:
            item = "(?:" + "|".join(re.escape(c) for c in _codes(package, field["itemVocabulary"])) + ")"
        elif field.get("itemType") == "integer":
            item = "[0-9]+"
        else:
            return {}
        d = re.escape(field["delimiter"])
        return {"pattern": f"{item}(?:{d}{item})*"}
    if "vocabulary" in field:
        return {"enum": _codes(package, field["vocabulary"])}
    if "vocabularyBy" in field:
        codes = []
        for name in field["vocabularyBy"]["map"].values():
            codes += [c for c in _codes(package, name) if c not in codes]
        return {"enum": codes}
    return {}


def check_lang(lang: str) -> None:
    """ValueError naming the languages and the closest one when ``lang`` is not "nl" or "en"."""
    check_choice(lang, LANGS, "language")


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Codebook:
    with open(path, encoding="utf-8") as f:
        return Codebook(json.load(f), Path(path))


def load_codebook(data_dir: str | os.PathLike | None = None) -> Codebook:
    """The codebook of the corpus in ``data_dir`` (default: data/raw)."""
    path = raw_dir(data_dir) / CODEBOOK_FILE
    return _load(str(path), path.stat().st_mtime)
