"""The articles of Bijlagen A-C as BibTeX (biblatex/biber, UTF-8) and CSL-JSON (Zotero, pandoc, citeproc).

Each article is its effective reference (:mod:`peerlearn.references`): printed
fields as printed, lost or cut fields recovered from a public record where one
was matched, nothing invented. Choices, so that standard tools accept every entry:

- Keys are ``thurlings2014-sNN`` (NN the article's number in Bijlagen A-C).
- Entry type: a recovered reference's publication type (article -> ``@article``,
  thesis -> ``@phdthesis``, report -> ``@techreport``, book -> ``@book``,
  conference -> ``@inproceedings``; a chapter is ``@misc``, since its book's
  publisher is not recorded); otherwise an article with a volume, issue or pages
  (printed or lost) is ``@article`` and a complete reference without them a
  dissertation (``@phdthesis``). An entry that lacks a field its type requires
  (author, title, journal/school/..., year) is ``@misc``, never a broken ``@article``;
  its note says what is missing.
- Every incomplete, recovered or lost reference has a ``note``: what was lost or is
  a fragment, which fields came from which record, and the candidates of an
  unresolved one. An entry with no title gets a devised title in square brackets
  naming the article ("[Reference lost: article 44 of ...]"), the cataloguer's
  convention, so that no two entries look alike; an undated ``@misc`` has
  ``date = {XXXX}`` (ISO 8601-2: year unspecified), which biblatex's data model
  accepts. In CSL-JSON the same devised titles keep undated items apart, so
  citeproc gives them no "n.d.-a"-style suffixes; a printed title fragment is
  wrapped in ``<span class="nocase">`` so that styles do not recapitalise it.
- BibTeX text is escaped by BibTeX's own brace rules: ``{ }`` become
  ``\\textbraceleft{}``/``\\textbraceright{}`` (BibTeX counts ``\\{`` as a brace),
  ``\\ & % $ # _ ~ ^`` are escaped, control characters become spaces (tab, line
  breaks) or U+FFFD. In ``doi`` and ``url`` (verbatim) braces, backslashes, spaces
  and control characters are percent-encoded. Words whose case matters are
  braced: acronyms and inner capitals (``{ICT}``, ``{WebCT}``) and, in a sentence-case
  title, every capitalised word after the first (proper nouns).
- Authors "Last, I., & Last, I." are split into family and given names; a
  lower-case prefix such as "van" is a non-dropping particle in CSL-JSON; authors
  not in that form are one literal name.
"""

from __future__ import annotations

import json
import re
import unicodedata

from .reference_checks import BIB_FIELDS, split_authors
from .references import REPORT, Reference, references

KEY_PREFIX = "thurlings2014-s"
JOURNAL_FIELDS = ("volume", "issue", "pages")
BIBTEX_NAMES = {
    "authors": "author",
    "year": "year",
    "title": "title",
    "volume": "volume",
    "issue": "number",
    "pages": "pages",
    "doi": "doi",
    "url": "url",
}
ENTRY_TYPES = {
    "article": "article",
    "thesis": "phdthesis",
    "report": "techreport",
    "book": "book",
    "conference": "inproceedings",
    "chapter": "misc",
}
BIBTEX_SOURCE = {
    "article": "journal",
    "phdthesis": "school",
    "techreport": "institution",
    "book": "publisher",
    "inproceedings": "booktitle",
    "misc": "howpublished",
}
REQUIRED = ("authors", "title", "source", "year")  # of every type but misc (pybtex's unsrt, biblatex's data model)
BIBTEX_VERBATIM = ("doi", "url")
CSL_TYPES = {
    "article": "article-journal",
    "phdthesis": "thesis",
    "techreport": "report",
    "book": "book",
    "inproceedings": "paper-conference",
    "misc": "document",
    "chapter": "chapter",
}
CSL_SOURCE = {"article-journal": "container-title", "chapter": "container-title", "paper-conference": "container-title"}
CSL_NAMES = {"title": "title", "volume": "volume", "issue": "issue", "pages": "page", "doi": "DOI", "url": "URL"}
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def citation_key(study_id: int) -> str:
    """Stable key of an article: ``thurlings2014-s07`` for article 7 of Bijlagen A-C."""
    return f"{KEY_PREFIX}{int(study_id):02d}"


# --- entry type and note -------------------------------------------------------------------------


def _natural_type(ref: Reference) -> str:
    if ref.entry_type is not None:
        return ENTRY_TYPES[ref.entry_type]
    if any(f in ref.fields or f in ref.lost for f in JOURNAL_FIELDS):
        return "article"
    if "source" in ref.fields and ref.status == "complete":
        return "phdthesis"
    return "misc"


def missing_required(ref: Reference) -> list[str]:
    """Fields the reference's natural entry type requires but the reference lacks ([] for misc)."""
    if _natural_type(ref) == "misc":
        return []
    return [f for f in REQUIRED if f not in ref.fields]


def entry_type(ref: Reference) -> str:
    """The BibTeX entry type (see the module docstring)."""
    return "misc" if missing_required(ref) else _natural_type(ref)


def _listing(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def note(ref: Reference) -> str | None:
    """English note of a reference that is not complete as printed (None when it is)."""
    if ref.status == "complete" and not ref.lost and not ref.fragments:
        return None
    parts = []
    if ref.status == "recovered":
        by_record: dict[str, list] = {}
        for f in ref.recovered_fields:
            by_record.setdefault(ref.sources[f], []).append(f)
        head = (
            f"Reference recovered ({ref.confidence} confidence) for article {ref.study_id} of {REPORT}, "
            f"whose extracted text lost or cut it"
        )
        parts += [f"{_listing(names)} from {record}" for record, names in by_record.items()]
    else:
        state = "lost" if ref.printed_status == "lost" else "incomplete"
        head = f"Reference {state} in the extracted text of {REPORT}, article {ref.study_id}"
        if not ref.lost and not ref.fragments:
            parts.append("the lost fields are not recorded")
    if ref.lost:
        parts.append(f"{_listing(ref.lost)} lost")
    if ref.fragments:
        parts.append(f"{_listing(ref.fragments)} {'is a fragment' if len(ref.fragments) == 1 else 'are fragments'}")
    if ref.status == "unresolved":
        parts.append(f"unresolved, candidates: {' || '.join(ref.candidates)}")
    elif ref.searched and ref.status != "recovered":
        parts.append(
            f"the rest confirmed by {ref.record}" if ref.record else "searched in public records, no match found"
        )
    missing = missing_required(ref)
    if missing:
        parts.append(f"without {_listing(missing)}, so a generic entry (BibTeX misc) rather than {_natural_type(ref)}")
    return f"{head}: {'; '.join(parts)}."


def devised_title(ref: Reference) -> str:
    """The bracketed title of an entry whose title is lost."""
    return f"[Reference lost: article {ref.study_id} of {REPORT}]"


# --- BibTeX --------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Control characters out: tab and line breaks become spaces, the rest U+FFFD."""
    return "".join((" " if c in "\t\n\r" else "\ufffd") if unicodedata.category(c) == "Cc" else c for c in str(text))


def bibtex_escape(text: str) -> str:
    """Text for a BibTeX field: braces and LaTeX specials escaped so that BibTeX's brace count stays balanced."""
    return "".join(_BIBTEX_ESCAPES.get(c, c) for c in _clean(text))


def verbatim(text: str) -> str:
    """Text for a verbatim field (doi, url): braces, backslash, '%', spaces and control characters percent-encoded."""
    return "".join(
        "".join(f"%{b:02X}" for b in c.encode("utf-8"))
        if c in "{}\\% " or unicodedata.category(c) in ("Cc", "Zs", "Zl", "Zp")
        else c
        for c in str(text)
    )


_STARTS_SENTENCE = re.compile(r"[:?!.\u2013\u2014]$")


def protect_title(title: str) -> str:
    """The title escaped, with every word whose case matters in braces (see the module docstring)."""
    words = _clean(title).split(" ")
    starts = [i == 0 or bool(_STARTS_SENTENCE.search(words[i - 1])) for i in range(len(words))]
    counted = [w for w, s in zip(words, starts) if not s and len(w) > 3 and w[:1].isalpha()]
    sentence_case = sum(w[:1].isupper() for w in counted) * 2 <= len(counted)
    out = []
    for word, start in zip(words, starts):
        letters = [c for c in word if c.isalpha()]
        inner = any(c.isupper() for c in letters[1:])
        proper = bool(letters) and letters[0].isupper() and sentence_case and not start
        out.append(f"{{{bibtex_escape(word)}}}" if word and (inner or proper) else bibtex_escape(word))
    return " ".join(out)


_NAME_SEPARATOR = re.compile(r",|\band\b", re.IGNORECASE)


def _name_part(text: str) -> str:
    escaped = bibtex_escape(text)
    return f"{{{escaped}}}" if _NAME_SEPARATOR.search(text) else escaped


def bibtex_names(authors: str) -> str:
    """'Amhag, L., & Jakobsson, A.' -> 'Amhag, L. and Jakobsson, A.'; text not in that form is one braced name."""
    try:
        return " and ".join(f"{_name_part(family)}, {_name_part(given)}" for family, given in split_authors(authors))
    except ValueError:
        return f"{{{bibtex_escape(authors)}}}"


def _where_published(fields: dict) -> str:
    """'Journal, 51(3), 988–1006' from the source, volume, issue and pages present."""
    where = [fields.get("source", "")]
    if "volume" in fields or "issue" in fields:
        where.append(fields.get("volume", "") + (f"({fields['issue']})" if "issue" in fields else ""))
    if "pages" in fields:
        where.append(fields["pages"])
    return ", ".join(w for w in where if w)


def bibtex_entry(ref: Reference) -> str:
    """One ``@type{key, ...}`` entry."""
    kind, fields = entry_type(ref), []
    values = dict(ref.fields)
    if kind == "misc" and any(f in values for f in JOURNAL_FIELDS):  # @misc has no volume, number or pages
        values["source"] = _where_published(values)
        values = {f: v for f, v in values.items() if f not in JOURNAL_FIELDS}
    for name, value in values.items():
        bib_name = BIBTEX_SOURCE[kind] if name == "source" else BIBTEX_NAMES[name]
        if name == "authors":
            value = bibtex_names(value)
        elif name == "title" and "title" in ref.fragments:
            value = f"{{{bibtex_escape(value)}}}"  # a fragment as printed: no style may recapitalise it
        elif name == "title":
            value = protect_title(value)
        elif name == "pages":
            value = bibtex_escape(value.replace("\u2013", "--"))
        elif name in BIBTEX_VERBATIM:
            value = verbatim(value)
        else:
            value = bibtex_escape(value)
        fields.append((bib_name, value))
    if "title" not in ref.fields:
        fields.insert(0, ("title", f"{{{bibtex_escape(devised_title(ref))}}}"))
    if kind == "misc" and "year" not in ref.fields:
        fields.append(("date", "XXXX"))
    text = note(ref)
    if text:
        fields.append(("note", bibtex_escape(text)))
    body = "".join(f",\n  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{citation_key(ref.study_id)}{body}\n}}\n"


def bibtex_text(refs) -> str:
    """The entries of ``refs`` (References, in order) as one .bib text."""
    return "\n".join(bibtex_entry(r) for r in refs)


def bibtex(data_dir=None) -> str:
    """Every article as a BibTeX entry, in article order."""
    return bibtex_text(references(data_dir).values())


# --- CSL-JSON ------------------------------------------------------------------------------------


def _csl_name(family: str, given: str) -> dict:
    words = family.split(" ")
    particle = []
    while len(words) > 1 and words[0][:1].islower():
        particle.append(words.pop(0))
    name = {"family": " ".join(words), "given": given}
    if particle:
        name["non-dropping-particle"] = " ".join(particle)
    return name


def csl_names(authors: str) -> list[dict]:
    try:
        return [_csl_name(family, given) for family, given in split_authors(authors)]
    except ValueError:
        return [{"literal": authors}]


def csl_item(ref: Reference) -> dict:
    """One CSL-JSON item."""
    kind = entry_type(ref)
    csl_type = CSL_TYPES["chapter" if ref.entry_type == "chapter" else kind]
    item = {"id": citation_key(ref.study_id), "type": csl_type}
    for name, value in ref.fields.items():
        if name == "authors":
            item["author"] = csl_names(value)
        elif name == "year":
            item["issued"] = {"date-parts": [[int(value)]]} if re.fullmatch(r"-?\d{1,9}", value) else {"literal": value}
        elif name == "source":
            item[CSL_SOURCE.get(csl_type, "publisher")] = value
        elif name == "title" and "title" in ref.fragments:
            item["title"] = f'<span class="nocase">{value}</span>'
        else:
            item[CSL_NAMES[name]] = value
    if "title" not in ref.fields:
        item["title"] = f'<span class="nocase">{devised_title(ref)}</span>'
    text = note(ref)
    if text:
        item["note"] = text
    return item


def csl_text(refs) -> str:
    """The items of ``refs`` as a CSL-JSON array (UTF-8 text, two-space indent)."""
    return json.dumps([csl_item(r) for r in refs], ensure_ascii=False, indent=2) + "\n"


def csl_json(data_dir=None) -> str:
    """Every article in a CSL-JSON array."""
    return csl_text(references(data_dir).values())


__all__ = [
    "BIB_FIELDS",
    "bibtex",
    "bibtex_entry",
    "bibtex_escape",
    "citation_key",
    "csl_item",
    "csl_json",
    "entry_type",
    "note",
    "protect_title",
    "verbatim",
]
