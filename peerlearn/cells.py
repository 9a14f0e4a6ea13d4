"""One cell of a table, read and checked: parsed by its field's type, then checked against the field's
constraints and vocabulary. Each check returns what was expected, for :mod:`peerlearn.validation` to report
with the file, line and column."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from .codebook import Codebook, is_list
from .descriptor import compile_pattern

_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
CODES_SHOWN = 12  # codes listed in a message about an unknown code


def _expected_codes(codes, limit: int = CODES_SHOWN) -> str:
    codes = list(codes)
    shown = ", ".join(codes[:limit]) + (", …" if len(codes) > limit else "")
    return f"one of: {shown}"


class CellChecker:
    """Parses and checks cells against one codebook's fields and vocabularies."""

    def __init__(self, codebook: Codebook):
        self.cb = codebook

    def is_code(self, name: str, value) -> bool:
        """Whether ``value`` is a code of vocabulary ``name``; a composite code is checked part by part
        (never by listing every combination, which grows as the product of the parts' vocabularies)."""
        spec = self.cb.composites.get(name)
        if spec is None:
            return value in self.cb.vocabulary(name).labels  # a dict keyed by code
        parts = value.split(spec["separator"]) if isinstance(value, str) else ()
        return len(parts) == len(spec["parts"]) and all(
            p in self.cb.vocabulary(v).labels for p, v in zip(parts, spec["parts"])
        )

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
        typ = typ or ("list" if is_list(field) else field["type"])
        if typ == "integer":
            if not _INTEGER.fullmatch(text):
                return None, "expected a whole number"
            if len(text.lstrip("-")) > 18:
                return None, "expected a whole number of at most 18 digits"
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
                    return (
                        None,
                        f"list item {item!r} is not a known code; "
                        f"expected items {_expected_codes(self.vocab_codes(voc))}, "
                        f"separated by {field['delimiter']!r}",
                    )
                out.append(value)
            if len(set(out)) != len(out):
                return None, "a list item is repeated"
            return tuple(out), None
        return text, None

    def check_value(self, field: dict, value, row_text: dict) -> str | None:
        """What a parsed ``value`` of ``field`` should have been (None when it is fine); ``row_text``: the row's
        cells as text, for patterns and for fields whose vocabulary or parent another column decides."""
        c = field.get("constraints", {})
        if "minimum" in c and value < c["minimum"]:
            return f"expected a value of at least {c['minimum']}"
        if "maximum" in c and value > c["maximum"]:
            return f"expected a value of at most {c['maximum']}"
        if "pattern" in c and not _pattern(c["pattern"]).fullmatch(row_text[field["name"]]):
            return f"expected text matching the pattern {c['pattern']}"
        if is_list(field):
            return None  # items were checked one by one when the cell was parsed
        voc = field.get("vocabulary")
        if voc is None and "vocabularyBy" in field:
            by = field["vocabularyBy"]
            voc = by["map"].get(row_text.get(by["field"]) or "")
            if voc is None:
                return None  # the controlling column is itself invalid and reported there
        if voc and not self.is_code(voc, value):
            return f"not a known code of vocabulary {voc!r}; expected {_expected_codes(self.vocab_codes(voc))}"
        if "enum" in c and value not in c["enum"]:
            return f"not one of the values the codebook allows; expected {_expected_codes(c['enum'])}"
        parent_col = field.get("parentField")
        if parent_col and voc:
            parent = self.cb.vocabulary(voc).parents.get(value)
            if parent is not None and parent != row_text.get(parent_col):
                return (
                    f"code belongs to {parent_col} {parent!r}, but the row's {parent_col} is "
                    f"{row_text.get(parent_col)!r}"
                )
        return None


@lru_cache(maxsize=256)
def _pattern(pattern: str):
    """A field's pattern compiled with RE2: matching takes time linear in the value, whatever the pattern."""
    return compile_pattern(pattern)
