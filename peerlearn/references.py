"""Every article's reference: as printed, or recovered from a public record (issue 16).

``studies.csv`` keeps what the report printed; ``recovered_references.csv`` holds
what was found in public records for the references the extraction lost or cut,
with the record(s) each field came from and the basis of the match. This module

- checks the recovered rows against the report (:func:`check_recovered`, run by
  ``peerlearn validate``): the first author sorts between the numbered
  neighbours of the same appendix, every printed fragment matches, the coded
  descriptors do not contradict the record, no reference is assigned twice;
- derives each article's effective reference (:func:`references`): a field
  printed whole stays as printed, a lost or cut field is taken from an accepted
  recovered row, and the status is complete / recovered / partial / unresolved /
  lost (``studies.bib_status`` itself stays as printed);
- writes a reference as text with its mark, in Dutch or English (:func:`reference`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from . import messages
from .choices import check_lang
from .codebook import ContentCache, files_digest, load_codebook
from .paths import raw_dir
from .reference_checks import BIB_FIELDS, TABLE, _items, check_recovered
from .validation import CorpusError, codebook_or_error, read_tables

CANDIDATE_SEPARATOR = " || "
REPORT = "Thurlings & den Brok (2014)"


def _checked_tables(data_dir=None) -> dict:
    tables = read_tables(["studies", TABLE], data_dir)
    problems = check_recovered(tables)
    if problems:
        raise CorpusError(problems)
    return tables


def load_recovered_references(data_dir=None):
    """The table recovered_references (one row per partial or lost article searched) as a typed DataFrame,
    after the checks of :func:`check_recovered`; see the codebook for its columns."""
    from .corpus import load_table

    _checked_tables(data_dir)
    return load_table(TABLE, data_dir)


# --- the effective reference ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """One article's reference as the exports and pages show it (see the module docstring)."""

    study_id: int
    status: str  # complete / recovered / partial / unresolved / lost
    fields: (
        dict  # field -> text, in BIB_FIELDS order: printed where printed whole, else recovered, else a printed fragment
    )
    entry_type: str | None = None  # publication type of a recovered reference
    confidence: str | None = None
    recovered_fields: tuple = ()  # fields taken from a record
    sources: dict = field(default_factory=dict)  # recovered field -> the record it came from
    lost: tuple = ()  # fields still missing
    fragments: tuple = ()  # fields that are still only a printed fragment
    candidates: tuple = ()
    basis: str | None = None  # the match basis or why the article is unresolved
    printed_status: str | None = None  # studies.bib_status: complete / partial / lost, as printed
    searched: bool = False  # whether recovered_references has a row for the article
    record: str | None = None  # the record of an accepted (recovered) row, also when it filled no gap

    @property
    def records(self) -> tuple:
        """The records the recovered fields came from, first record first."""
        return tuple(dict.fromkeys(self.sources.values()))


_REFERENCES = ContentCache(8)  # the digest of the files read -> references (wherever they lie)


def references(data_dir=None) -> dict[int, Reference]:
    """Every article's :class:`Reference`, by study number; raises CorpusError when a check fails.

    Within one process the files are parsed and checked once per content (a page per article may call
    :func:`reference` once per article)."""
    directory = raw_dir(data_dir)
    content = codebook_or_error(directory).digest + files_digest(directory, ("studies.csv", f"{TABLE}.csv"))
    return dict(_REFERENCES.get(TABLE, content, lambda: _build(directory)))


def _build(directory) -> dict[int, Reference]:
    tables = _checked_tables(directory)
    found = {r["study_id"]: r for r in tables[TABLE].rows}
    return {s["study_id"]: _reference(s, found.get(s["study_id"])) for s in tables["studies"].rows}


def _reference(study: dict, row: dict | None) -> Reference:
    lost, truncated = set(_items(study["bib_lost_fields"])), set(_items(study["bib_truncated_fields"]))
    printed = {f: str(study[f]) for f in BIB_FIELDS if study[f] is not None}
    if row is None or row["status"] != "recovered":
        # unresolved: candidates but no proof; searched without a candidate: still as printed (lost or partial)
        status = "unresolved" if row is not None and row["candidates"] is not None else study["bib_status"]
        basis = None if row is None else (row["unresolved_reason"] or row["match_basis"])
        candidates = (
            ()
            if row is None or row["candidates"] is None
            else tuple(c.strip() for c in row["candidates"].split(CANDIDATE_SEPARATOR.strip()) if c.strip())
        )
        return Reference(
            study["study_id"],
            status,
            MappingProxyType(printed),
            lost=tuple(f for f in BIB_FIELDS if f in lost),
            fragments=tuple(f for f in BIB_FIELDS if f in truncated),
            candidates=candidates,
            basis=basis,
            printed_status=study["bib_status"],
            searched=row is not None,
        )
    second = set((row["fields_from_record_2"] or "").split(";"))
    fields, recovered, sources = {}, [], {}
    for f in BIB_FIELDS:
        whole = f in printed and f not in truncated
        if whole:
            fields[f] = printed[f]
        elif row[f] is not None:
            fields[f] = str(row[f])
            recovered.append(f)
            sources[f] = row["record_2"] if f in second else row["record"]
        elif f in printed:
            fields[f] = printed[f]
    still_lost = tuple(f for f in BIB_FIELDS if f in lost and f not in fields)
    still_cut = tuple(f for f in BIB_FIELDS if f in truncated and f not in recovered)
    status = "recovered" if recovered else study["bib_status"]
    return Reference(
        study["study_id"],
        status,
        MappingProxyType(fields),
        entry_type=row["entry_type"],
        confidence=row["confidence"],
        recovered_fields=tuple(recovered),
        sources=MappingProxyType(sources),
        lost=still_lost,
        fragments=still_cut,
        basis=row["match_basis"],
        printed_status=study["bib_status"],
        searched=True,
        record=row["record"],
    )


def status_counts(data_dir=None) -> dict[str, int]:
    """Number of articles per effective status, in the order of the ``reference_status`` vocabulary."""
    refs = references(data_dir).values()
    codes = load_codebook(data_dir).vocabulary("reference_status").codes
    return {code: sum(r.status == code for r in refs) for code in codes}


# --- text ----------------------------------------------------------------------------------------


def citation_text(fields: dict) -> str:
    """APA-like plain text of the fields present: 'Authors (year). Title. Source, volume(issue), pages. https://doi.org/...'."""
    head = " ".join(x for x in (fields.get("authors"), f"({fields['year']})." if "year" in fields else None) if x)
    parts = [head] if head else []
    if "title" in fields:
        parts.append(fields["title"].rstrip(".") + ".")
    where = fields.get("source", "")
    if "volume" in fields:
        where += (", " if where else "") + fields["volume"] + (f"({fields['issue']})" if "issue" in fields else "")
    elif "issue" in fields:
        where += (", " if where else "") + f"({fields['issue']})"
    if "pages" in fields:
        where += (", " if where else "") + fields["pages"]
    if where:
        parts.append(where + ".")
    if "doi" in fields:
        parts.append(f"https://doi.org/{fields['doi']}")
    elif "url" in fields:
        parts.append(fields["url"])
    return " ".join(parts)


def mark(ref: Reference, lang: str = "en", data_dir=None) -> str:
    """The bracketed mark of a reference that is not complete as printed ('' when it is), e.g.
    '[recovered, confidence medium: authors, year from https://...]'."""
    check_lang(lang)
    if ref.status == "complete":
        return ""
    cb, w = load_codebook(data_dir), messages.words("references", lang)
    label = cb.label("reference_status", ref.status, lang).lower()
    parts = []
    if ref.status == "recovered":
        label += f", {w['confidence']} {cb.label('recovery_confidence', ref.confidence, lang).lower()}"
        by_record: dict[str, list] = {}
        for f in ref.recovered_fields:
            by_record.setdefault(ref.sources[f], []).append(cb.label("bib_field", f, lang))
        parts += [f"{', '.join(names)} {w['from']} {record}" for record, names in by_record.items()]
    if ref.lost and ref.status != "lost":
        parts.append(f"{', '.join(cb.label('bib_field', f, lang) for f in ref.lost)} {w['is_lost']}")
    if ref.fragments:
        parts.append(f"{', '.join(cb.label('bib_field', f, lang) for f in ref.fragments)} {w['fragment']}")
    if ref.candidates:
        parts.append(f"{w['candidates']}: {' | '.join(ref.candidates)}")
    elif ref.searched and ref.status != "recovered":
        parts.append(f"{w['confirmed']} {ref.record}" if ref.record else w["not_found"])
    return f"[{label}{': ' if parts else ''}{'; '.join(parts)}]"


def reference(study_id: int, lang: str = "en", data_dir=None) -> str:
    """Article ``study_id``'s reference as plain text with its mark, in English ("en") or Dutch ("nl").

    Printed complete: the reference alone. Recovered: the reference, then e.g. "[recovered, confidence
    medium: authors, year from https://...]" ("[teruggevonden, zekerheid middel: ...]"). Partial, unresolved
    or lost: what survives, then what is missing and any candidates. Plain text: escape it for HTML or
    Markdown where it lands. Raises ValueError for an unknown study number, CorpusError for an invalid corpus.
    """
    check_lang(lang)
    refs = references(data_dir)
    try:
        ref = refs[int(study_id)]
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"unknown study {study_id!r}; expected a number from {min(refs)} to {max(refs)}") from None
    return reference_text(ref, lang, data_dir)


def reference_text(ref: Reference, lang: str = "en", data_dir=None) -> str:
    """The :class:`Reference` ``ref`` as :func:`reference` gives it: plain text with its mark."""
    check_lang(lang)
    w = messages.words("references", lang)
    text = citation_text(ref.fields) or f"{w['article']} {ref.study_id}: {w['lost']}."
    return " ".join(x for x in (text, mark(ref, lang, data_dir)) if x)
