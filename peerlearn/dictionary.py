"""The data dictionary: every table and column of the corpus, with its meaning and codes, as Markdown.

Generated from the codebook (``data/raw/datapackage.json``) alone, so it says what validation checks;
``docs/data-dictionary.md`` is this text, and a test keeps the two equal. Regenerate it with
``python -m peerlearn.dictionary > docs/data-dictionary.md``. Text from the codebook passes through
:func:`peerlearn.escaping.markdown`, so it lands as literal text.
"""

from __future__ import annotations

from . import messages
from .codebook import load_codebook
from .escaping import markdown as md

HEADER = """# Data dictionary

Every table of the corpus in `data/raw/` and every column, with its meaning and its codes. This page is generated
from the codebook, `data/raw/datapackage.json` (a Frictionless Data Package with peerlearn's bilingual
vocabularies), by `python -m peerlearn.dictionary > docs/data-dictionary.md`; do not edit it by hand
(`tests/test_dictionary.py` keeps it equal to the codebook). Codes are listed once, under *Vocabularies*; a
column names the vocabulary its codes come from.
"""


def _list(value) -> list:
    return value if isinstance(value, list) else [value]


def _join(items) -> str:
    return ", ".join(md(x) for x in items)


def _codes(field: dict) -> str:
    """What a column may hold: its vocabulary, list form, reference and limits, in words."""
    parts, c = [], field.get("constraints", {})
    if "vocabulary" in field:
        parts.append(f"codes of vocabulary {md(field['vocabulary'])}")
    if "vocabularyBy" in field:
        by = field["vocabularyBy"]
        parts.append(f"codes by {md(by['field'])}: " + "; ".join(f"{md(k)}: {md(v)}" for k, v in by["map"].items()))
    if "delimiter" in field:
        item = field.get("itemVocabulary") or field.get("itemType", "string")
        parts.append(f"list of {md(item)} separated by {md(field['delimiter'])}")
    if "itemReference" in field:
        ref = field["itemReference"]
        parts.append(f"each item is a {md(ref['resource'])}.{md(ref['field'])}")
    if "parentField" in field:
        parts.append(f"parent code in {md(field['parentField'])}")
    if "minimum" in c or "maximum" in c:
        parts.append(f"{md(c.get('minimum', ''))} to {md(c.get('maximum', ''))}".strip())
    if "pattern" in c and "delimiter" not in field:
        parts.append(f"pattern {md(c['pattern'])}")
    if c.get("required"):
        parts.append("required")
    if field.get("recordPrecision"):
        parts.append("decimals as printed are kept")
    return "; ".join(parts)


def _table(cb, name: str) -> list[str]:
    r = cb.resource(name)
    schema = r["schema"]
    lines = [
        f"### {md(name)}: {md(r.get('title', ''))}",
        "",
        md(r.get("description", "")),
        "",
        f"File {md(r['path'])}; key: {_join(_list(schema.get('primaryKey', [])))}.",
    ]
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        target = f"{md(ref['resource'] or name)}.{_join(_list(ref['fields']))}"
        lines[-1] += f" {_join(_list(fk['fields']))} refers to {target}."
    lines += ["", "| column | type | label (nl / en) | meaning | values |", "|---|---|---|---|---|"]
    for f in schema["fields"]:
        labels = f.get("labels", {})
        lines.append(
            f"| {md(f['name'])} | {md(f['type'])} | {md(labels.get('nl', ''))} / {md(labels.get('en', ''))} "
            f"| {md(f.get('description', ''))} | {_codes(f)} |"
        )
    return lines + [""]


def _vocabulary(cb, name: str) -> list[str]:
    v = cb.vocabulary(name)
    lines = [
        f"### {md(name)}",
        "",
        md(v.description) + (" Ordered." if v.ordered else ""),
        "",
        "| code | nl | en |" + (" parent |" if v.parents else ""),
        "|---|---|---|" + ("---|" if v.parents else ""),
    ]
    for code in v.codes:
        row = f"| {md(code)} | {md(v.labels[code]['nl'])} | {md(v.labels[code]['en'])} |"
        lines.append(row + (f" {md(v.parents.get(code, ''))} |" if v.parents else ""))
    return lines + [""]


def data_dictionary(data_dir=None) -> str:
    """The data dictionary of the corpus in ``data_dir`` (default: data/raw) as Markdown: tables, then vocabularies."""
    cb = load_codebook(data_dir)
    lines = [
        HEADER,
        f"## The corpus: {md(cb.package.get('title', ''))}",
        "",
        md(cb.package.get("description", "")),
        "",
        "| table | file | title |",
        "|---|---|---|",
    ]
    lines += [f"| {md(n)} | {md(r['path'])} | {md(r.get('title', ''))} |" for n, r in cb.resources.items()]
    lines += ["", "## Tables", ""]
    for name in cb.resources:
        lines += _table(cb, name)
    lines += ["## Vocabularies", ""]
    for name in cb.vocabularies:
        lines += _vocabulary(cb, name)
    if cb.composites:
        lines += ["## Composite codes", "", "| name | parts | separator | meaning |", "|---|---|---|---|"]
        lines += [
            f"| {md(n)} | {_join(c['parts'])} | {md(c['separator'])} | {md(c.get('description', ''))} |"
            for n, c in cb.composites.items()
        ]
        lines.append("")
    lines += [
        "## The audit ledger's checks",
        "",
        "What each code of the `check` column of `data/processed/audit_ledger.csv` compares.",
        "",
        "| check | nl | en |",
        "|---|---|---|",
    ]
    checks = {
        m.removeprefix("audit.check."): t for m, t in messages.catalogue().items() if m.startswith("audit.check.")
    }
    lines += [f"| {md(code)} | {md(t['nl'])} | {md(t['en'])} |" for code, t in checks.items()]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(data_dictionary(), end="")
