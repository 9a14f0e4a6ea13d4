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

import re
import unicodedata
from dataclasses import dataclass, field

from .codebook import check_lang, load_codebook
from .validation import CorpusError, Problem, read_tables

TABLE = "recovered_references"
BIB_FIELDS = ("authors", "year", "title", "source", "volume", "issue", "pages", "doi", "url")
DESCRIPTORS = ("participant_group", "activity_type", "setting", "design")
CANDIDATE_SEPARATOR = " || "
REPORT = "Thurlings & den Brok (2014)"


# --- comparing bibliographic text ------------------------------------------------------------------

def split_authors(printed: str) -> list[tuple[str, str]]:
    """"Amhag, L., & Jakobsson, A." -> [("Amhag", "L."), ("Jakobsson", "A.")] (family, given); ValueError otherwise."""
    parts = [p.strip() for p in printed.replace("& ", "").split(", ")]
    if len(parts) % 2 or not all(parts):
        raise ValueError(f"authors {printed!r}: expected 'Family, I., & Family, I.'")
    return list(zip(parts[::2], parts[1::2]))


def normalize(text: str) -> str:
    """Text reduced for comparison: accents, case, punctuation and spaces dropped, '&' read as 'and'."""
    text = unicodedata.normalize("NFKD", str(text).replace("&", " and "))
    return re.sub(r"[^0-9a-z]", "", "".join(c for c in text if not unicodedata.combining(c)).casefold())


def sort_key(authors: str) -> str:
    """The first author's family name as the alphabetical list sorts it (a lower-case particle such as 'van' ignored)."""
    words = authors.split(",")[0].split()
    while len(words) > 1 and words[0][:1].islower():
        words.pop(0)
    return normalize(" ".join(words))


def _initials(given: str) -> str:
    return normalize(given)


def _authors_agree(printed: str, recovered: str) -> bool:
    """Same family names in the same order; initials may be shorter on one side ('T.' and 'Th.', 'S.' and 'S. M.')."""
    a, b = split_authors(printed), split_authors(recovered)
    return len(a) == len(b) and all(
        normalize(fa) == normalize(fb) and (_initials(ga).startswith(_initials(gb)) or _initials(gb).startswith(_initials(ga)))
        for (fa, ga), (fb, gb) in zip(a, b))


def _pages(text: str) -> str:
    return re.sub(r"[\s\u2010-\u2015-]+", "-", str(text).strip())


def fragment_matches(name: str, printed, recovered, truncated: bool) -> bool:
    """Whether the printed value of field ``name`` agrees with the recovered one.

    A fragment (a field in ``bib_truncated_fields``) must be the start or the end of the recovered value;
    a journal printed whole may be the start of a longer name ('Mentoring and Tutoring' of 'Mentoring &
    Tutoring: Partnership in Learning'); other fields are equal after :func:`normalize` (pages: dashes,
    authors: see ``_authors_agree``)."""
    p, r = normalize(printed), normalize(recovered)
    if truncated:
        return bool(p) and (r.startswith(p) or r.endswith(p))
    if name == "authors":
        try:
            return _authors_agree(str(printed), str(recovered))
        except ValueError:
            return False
    if name == "source":
        return r.startswith(p) and bool(p)
    if name == "pages":
        return _pages(printed) == _pages(recovered)
    if name == "year":
        return str(printed).strip() == str(recovered).strip()
    return p == r


# --- the checks (issue 16 point 2) ---------------------------------------------------------------

def _studies_by_id(tables) -> dict:
    return {r["study_id"]: r for r in tables["studies"].rows}


def _where(table, index: int, column: str | None = None, value=None) -> dict:
    return {"file": table.file, "line": table.lines[index], "column": column,
            "value": None if value is None else str(value)}


def _recovered(tables):
    """(index, row) of every row with status 'recovered' whose article exists."""
    studies = _studies_by_id(tables)
    return [(i, r) for i, r in enumerate(tables[TABLE].rows) if r["status"] == "recovered" and r["study_id"] in studies]


def rule_shape(tables) -> list[Problem]:
    """Each row is complete for its status: a recovered row has authors, title, a record, a confidence and a basis;
    an unresolved row says why; only partial or lost articles are searched; fields from record_2 need record_2."""
    table, studies, problems = tables[TABLE], _studies_by_id(tables), []
    for i, r in enumerate(table.rows):
        study = studies.get(r["study_id"])
        if study is None:
            continue  # the foreign key reports it
        if study["bib_status"] == "complete":
            problems.append(Problem(**_where(table, i, "study_id", r["study_id"]),
                                    message="the article's reference is printed complete; expected only partial or lost articles"))
        if r["status"] == "recovered":
            for col in ("authors", "title", "record", "confidence", "entry_type", "match_basis"):
                if r[col] is None:
                    problems.append(Problem(**_where(table, i, col, ""), message="required for a recovered reference; expected a value"))
            for col in ("candidates", "unresolved_reason"):
                if r[col] is not None:
                    problems.append(Problem(**_where(table, i, col, r[col]), message="only for an unresolved article; expected it empty"))
        else:
            if r["confidence"] is not None:
                problems.append(Problem(**_where(table, i, "confidence", r["confidence"]), message="an unresolved article has no confidence; expected it empty"))
            if r["match_basis"] is None and r["unresolved_reason"] is None:
                problems.append(Problem(**_where(table, i, "unresolved_reason", ""), message="expected why the article is unresolved (match_basis or unresolved_reason)"))
        named = (r["fields_from_record_2"] or "").split(";") if r["fields_from_record_2"] else []
        if named and r["record_2"] is None:
            problems.append(Problem(**_where(table, i, "record_2", ""), message="fields_from_record_2 names fields, but record_2 is empty; expected the second record"))
        for name in named:
            if name in BIB_FIELDS and r[name] is None:
                problems.append(Problem(**_where(table, i, "fields_from_record_2", r["fields_from_record_2"]),
                                        message=f"names {name!r}, which the row leaves empty; expected only fields it gives"))
        if r["authors"] is not None:
            try:
                split_authors(r["authors"])
            except ValueError:
                problems.append(Problem(**_where(table, i, "authors", r["authors"]), message="expected APA form 'Family, I., & Family, I.'"))
    return problems


def rule_order(tables) -> list[Problem]:
    """A recovered first author sorts between the nearest articles of the same appendix whose first author is known."""
    table, studies = tables[TABLE], _studies_by_id(tables)
    known = {sid: s["authors"] for sid, s in studies.items()
             if s["authors"] is not None and "authors" not in (s["bib_truncated_fields"] or ())}
    recovered = _recovered(tables)
    for _, r in recovered:
        if r["authors"] is not None and r["study_id"] not in known:
            known[r["study_id"]] = r["authors"]
    problems = []
    for i, r in recovered:
        if r["authors"] is None:
            continue
        appendix, sid, key = studies[r["study_id"]]["appendix"], r["study_id"], sort_key(r["authors"])
        same = sorted(s for s in known if studies[s]["appendix"] == appendix and s != sid)
        before = [s for s in same if s < sid][-1:]
        after = [s for s in same if s > sid][:1]
        for s, ok in [(s, sort_key(known[s]) <= key) for s in before] + [(s, key <= sort_key(known[s])) for s in after]:
            if not ok:
                side = "after" if s < sid else "before"
                problems.append(Problem(**_where(table, i, "authors", r["authors"]),
                                        message=f"first author does not sort {side} article {s} ({known[s].split(',')[0]}) of Bijlage {appendix}; "
                                                "expected the alphabetical order of the numbered list"))
    return problems


def rule_fragments(tables) -> list[Problem]:
    """Every field the report printed (whole or as a fragment) agrees with the recovered value; a fragment needs one."""
    table, studies, problems = tables[TABLE], _studies_by_id(tables), []
    for i, r in _recovered(tables):
        study = studies[r["study_id"]]
        truncated = set(study["bib_truncated_fields"] or ())
        for name in BIB_FIELDS:
            printed, got = study[name], r[name]
            if printed is None:
                continue
            if got is None:
                if name in truncated:
                    problems.append(Problem(**_where(table, i, name, ""), message=f"the report printed the fragment {printed!r}; expected the full {name} to match it against"))
                continue
            if not fragment_matches(name, printed, got, name in truncated):
                kind = "fragment" if name in truncated else "value"
                problems.append(Problem(**_where(table, i, name, got), message=f"does not match the printed {kind} {str(printed)!r} of article {r['study_id']}"))
    return problems


def rule_descriptors(tables) -> list[Problem]:
    """What the record says about participants, activity, setting and design equals the article's coded descriptor."""
    table, studies, problems = tables[TABLE], _studies_by_id(tables), []
    for i, r in _recovered(tables):
        study = studies[r["study_id"]]
        for d in DESCRIPTORS:
            got, coded = r[f"record_{d}"], study[d]
            if got is not None and coded is not None and got != coded:
                problems.append(Problem(**_where(table, i, f"record_{d}", got),
                                        message=f"contradicts article {r['study_id']}'s coded {d} {coded!r}; expected no contradiction"))
    return problems


def rule_unique(tables) -> list[Problem]:
    """No reference is assigned to two articles: recovered DOIs and titles differ from each other and from every printed one."""
    table, studies, problems = tables[TABLE], _studies_by_id(tables), []
    seen: dict[tuple, str] = {}
    for sid, s in sorted(studies.items()):
        truncated = set(s["bib_truncated_fields"] or ())
        for name in ("doi", "title"):
            if s[name] is not None and name not in truncated and normalize(s[name]):
                seen.setdefault((name, normalize(s[name])), f"article {sid} as printed")
    for i, r in _recovered(tables):
        study = studies[r["study_id"]]
        for name in ("doi", "title"):
            if r[name] is None or not normalize(r[name]):
                continue
            key, first = (name, normalize(r[name])), seen.get((name, normalize(r[name])))
            own = first == f"article {r['study_id']} as printed" and study[name] is not None
            if first is not None and not own:
                problems.append(Problem(**_where(table, i, name, r[name]), message=f"the same {name} as {first}; expected each reference assigned once"))
            elif first is None:
                seen[key] = f"the recovered reference of article {r['study_id']}"
    return problems


RULES = (rule_shape, rule_order, rule_fragments, rule_descriptors, rule_unique)


def check_recovered(tables) -> list[Problem]:
    """Problems of the recovered references (parsed ``studies`` and ``recovered_references``); [] when either is absent."""
    if TABLE not in tables or "studies" not in tables:
        return []
    return [p for rule in RULES for p in rule(tables)]


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
    fields: dict  # field -> text, in BIB_FIELDS order: printed where printed whole, else recovered, else a printed fragment
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


def references(data_dir=None) -> dict[int, Reference]:
    """Every article's :class:`Reference`, by study number; raises CorpusError when a check fails."""
    tables = _checked_tables(data_dir)
    found = {r["study_id"]: r for r in tables[TABLE].rows}
    return {s["study_id"]: _reference(s, found.get(s["study_id"])) for s in tables["studies"].rows}


def _text(value) -> str:
    return str(value)


def _reference(study: dict, row: dict | None) -> Reference:
    lost, truncated = set(study["bib_lost_fields"] or ()), set(study["bib_truncated_fields"] or ())
    printed = {f: _text(study[f]) for f in BIB_FIELDS if study[f] is not None}
    if row is None or row["status"] != "recovered":
        # unresolved: candidates but no proof; searched without a candidate: still as printed (lost or partial)
        status = "unresolved" if row is not None and row["candidates"] is not None else study["bib_status"]
        basis = None if row is None else (row["unresolved_reason"] or row["match_basis"])
        candidates = () if row is None or row["candidates"] is None else tuple(
            c.strip() for c in row["candidates"].split(CANDIDATE_SEPARATOR.strip()) if c.strip())
        return Reference(study["study_id"], status, printed, lost=tuple(f for f in BIB_FIELDS if f in lost),
                         fragments=tuple(f for f in BIB_FIELDS if f in truncated), candidates=candidates, basis=basis,
                         printed_status=study["bib_status"], searched=row is not None)
    second = set((row["fields_from_record_2"] or "").split(";"))
    fields, recovered, sources = {}, [], {}
    for f in BIB_FIELDS:
        whole = f in printed and f not in truncated
        if whole:
            fields[f] = printed[f]
        elif row[f] is not None:
            fields[f] = _text(row[f])
            recovered.append(f)
            sources[f] = row["record_2"] if f in second else row["record"]
        elif f in printed:
            fields[f] = printed[f]
    still_lost = tuple(f for f in BIB_FIELDS if f in lost and f not in fields)
    still_cut = tuple(f for f in BIB_FIELDS if f in truncated and f not in recovered)
    status = "recovered" if recovered else study["bib_status"]
    return Reference(study["study_id"], status, fields, entry_type=row["entry_type"], confidence=row["confidence"],
                     recovered_fields=tuple(recovered), sources=sources, lost=still_lost, fragments=still_cut,
                     basis=row["match_basis"], printed_status=study["bib_status"], searched=True, record=row["record"])


def status_counts(data_dir=None) -> dict[str, int]:
    """Number of articles per effective status, in the order of the ``reference_status`` vocabulary."""
    refs = references(data_dir).values()
    codes = load_codebook(data_dir).vocabulary("reference_status").codes
    return {code: sum(r.status == code for r in refs) for code in codes}


# --- text ----------------------------------------------------------------------------------------

_WORDS = {
    "en": {"article": "Article", "lost": "reference lost", "candidates": "candidates", "confidence": "confidence",
           "from": "from", "is_lost": "lost", "fragment": "only a fragment", "recovered": "recovered",
           "not_found": "searched in public records, no match found", "confirmed": "the rest confirmed by"},
    "nl": {"article": "Artikel", "lost": "referentie verloren", "candidates": "kandidaten", "confidence": "zekerheid",
           "from": "uit", "is_lost": "verloren", "fragment": "alleen een fragment", "recovered": "teruggevonden",
           "not_found": "gezocht in openbare bronnen, niets gevonden", "confirmed": "de rest bevestigd door"},
}


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
    cb, w = load_codebook(data_dir), _WORDS[lang]
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
    text = citation_text(ref.fields) or f"{_WORDS[lang]['article']} {ref.study_id}: {_WORDS[lang]['lost']}."
    return " ".join(x for x in (text, mark(ref, lang, data_dir)) if x)
