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

import hashlib
import itertools
import json
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .choices import check_choice, check_lang
from .paths import LANGS, raw_dir

CODEBOOK_FILE = "datapackage.json"
TABLES = (
    "studies",
    "citations",
    "prose_counts",
    "factors",
    "domain_effects",
    "pathways",
    "hypotheses",
    "hypothesis_cmo",
    "characteristics",
    "characteristic_values",
    "countries",
    "published_totals",
    "selection_flow",
    "checklist",
    "model_edges",
    "hypothesis_evidence_notes",
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

    def __init__(self, package: dict, path: Path, content: str | None = None):
        self.package = package
        self.path = path
        self.digest = content  # the digest of the file's bytes it was parsed from (None: built in memory)
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

    def codes(self, name: str) -> list[str]:
        """The codes of a vocabulary, or of a composite (every combination of its parts' codes), in codebook order."""
        return _codes(self.package, check_choice(name, [*self.vocabularies, *self.composites], "vocabulary"))

    def label(self, vocabulary: str, code: str, lang: str = "nl") -> str:
        """The label of ``code`` in Dutch ("nl") or English ("en"): the one look-up of a code's label.

        ``vocabulary`` may be a composite: a pathway's label joins its parts' labels with " > ". A name, code or
        language that is not in the codebook raises ValueError naming the valid values and the closest one."""
        check_lang(lang)
        if check_choice(vocabulary, [*self.vocabularies, *self.composites], "vocabulary") in self.composites:
            spec = self.composites[vocabulary]
            check_choice(code, self.codes(vocabulary), f"{vocabulary} code")
            return " > ".join(self.label(p, c, lang) for p, c in zip(spec["parts"], code.split(spec["separator"])))
        return self.vocabularies[vocabulary].label(code, lang)

    def label_anywhere(self, code: str, lang: str = "nl") -> str:
        """The label of ``code`` from the first vocabulary that holds it, or ``code`` itself when none does: for
        text that mixes codes of several vocabularies without naming them (the audit ledger's rows and columns)."""
        check_lang(lang)
        for vocabulary in self.vocabularies.values():
            if code in vocabulary.labels:
                return vocabulary.label(code, lang)
        return code

    def labels(self, vocabulary: str, lang: str = "nl") -> dict[str, str]:
        """Every code of a vocabulary (or composite) mapped to its :meth:`label`, in codebook order."""
        return {c: self.label(vocabulary, c, lang) for c in self.codes(vocabulary)}

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


# --- caching by content: the one rule for everything built from the corpus's files ----------------


def digest(chunks: Iterable[bytes | None]) -> str:
    """A digest of byte strings in order (None: a file that is missing or cannot be read). SHA-256: the fastest
    hash here (hardware-accelerated); the codebook is hashed on every load, so its speed counts."""
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(b"\0missing" if chunk is None else chunk)
        h.update(b"\0")
    return h.hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def files_digest(directory: Path, names: Iterable[str]) -> str:
    """The :func:`digest` of the files ``names`` in ``directory``."""
    return digest(_read(directory / n) for n in names)


class ContentCache:
    """What was built from files, kept while their bytes stay the same: ``get(key, digest, build)`` builds once per
    (key, digest of the files' content); the least recently used entries go beyond ``size``. Never by mtime: a file
    rewritten within the same second, or with its old mtime restored, is new content."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict = OrderedDict()

    def get(self, key, content: str, build: Callable):
        k = (key, content)
        if k not in self._entries:
            self._entries[k] = build()
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        self._entries.move_to_end(k)
        return self._entries[k]


_CODEBOOKS = ContentCache(8)


def parse_codebook(path: Path, data: bytes, content: str) -> Codebook:
    """The codebook in ``data`` (the bytes of ``path``), parsed once per ``content``, the :func:`digest` of ``data``
    (the codebook is large: its reader hashes it once and passes the digest on)."""
    return _CODEBOOKS.get(str(path), content, lambda: Codebook(json.loads(data.decode("utf-8")), Path(path), content))


def load_codebook(data_dir: str | os.PathLike | None = None) -> Codebook:
    """The codebook of the corpus in ``data_dir`` (default: data/raw); read every call, parsed once per content."""
    path = raw_dir(data_dir) / CODEBOOK_FILE
    data = path.read_bytes()
    return parse_codebook(path, data, digest([data]))
