"""The checks of issue 16 point 2 on ``recovered_references.csv``, run by ``peerlearn validate``.

A recovered reference is accepted for an article only when the evidence agrees: its first author sorts
between the article's numbered neighbours in the same appendix (:func:`rule_order`), every field the report
printed, whole or as a fragment, matches (:func:`rule_fragments`), what the record says about participants,
activity, setting and design does not contradict the article's coded descriptors (:func:`rule_descriptors`),
and no reference is assigned twice (:func:`rule_unique`); each row is complete for its status
(:func:`rule_shape`). Every rule takes the parsed tables (``studies``, ``recovered_references``) and returns
:class:`~peerlearn.validation.Problem` s; none reads or writes files.
"""

from __future__ import annotations

import re
import unicodedata

from .problems import Problem

TABLE = "recovered_references"
BIB_FIELDS = ("authors", "year", "title", "source", "volume", "issue", "pages", "doi", "url")
DESCRIPTORS = ("participant_group", "activity_type", "setting", "design")


# --- comparing bibliographic text ------------------------------------------------------------------


def split_authors(printed: str) -> list[tuple[str, str]]:
    """ "Amhag, L., & Jakobsson, A." -> [("Amhag", "L."), ("Jakobsson", "A.")] (family, given); ValueError otherwise."""
    parts = [p.strip() for p in printed.replace("& ", "").split(", ")]
    if len(parts) % 2 or not all(parts):
        raise ValueError(f"authors {printed!r}: expected 'Family, I., & Family, I.'")
    return list(zip(parts[::2], parts[1::2]))


def normalize(text: str) -> str:
    """Text reduced for comparison: accents, case, punctuation and spaces dropped, '&' read as 'and'."""
    text = unicodedata.normalize("NFKD", str(text).replace("&", " and "))
    return re.sub(r"[^0-9a-z]", "", "".join(c for c in text if not unicodedata.combining(c)).casefold())


def sort_key(authors: str) -> str:
    """The first author's family name as the alphabetical list sorts it (a lower-case particle like 'van' ignored)."""
    words = authors.split(",")[0].split()
    while len(words) > 1 and words[0][:1].islower():
        words.pop(0)
    return normalize(" ".join(words))


def _authors_agree(printed: str, recovered: str) -> bool:
    """Same family names in the same order; initials may be shorter on one side ('T.' and 'Th.', 'S.' and 'S. M.')."""
    a, b = split_authors(printed), split_authors(recovered)
    return len(a) == len(b) and all(
        normalize(fa) == normalize(fb)
        and (normalize(ga).startswith(normalize(gb)) or normalize(gb).startswith(normalize(ga)))
        for (fa, ga), (fb, gb) in zip(a, b)
    )


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


def _items(value) -> tuple:
    """A list cell as a tuple, whether the codebook declares it a list (a tuple) or ';'-separated text."""
    if value is None:
        return ()
    return tuple(value.split(";")) if isinstance(value, str) else tuple(value)


def _studies_by_id(tables) -> dict:
    return {r["study_id"]: r for r in tables["studies"].rows}


def _problem(table, index: int, column: str, value, message: str) -> Problem:
    """A problem with one cell of row ``index`` of the parsed table."""
    return Problem(
        table.file, message, line=table.lines[index], column=column, value=None if value is None else str(value)
    )


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
            problems.append(
                _problem(
                    table,
                    i,
                    "study_id",
                    r["study_id"],
                    "the article's reference is printed complete; expected only partial or lost articles",
                )
            )
        if r["status"] == "recovered":
            for col in ("authors", "title", "record", "confidence", "entry_type", "match_basis"):
                if r[col] is None:
                    problems.append(_problem(table, i, col, "", "required for a recovered reference; expected a value"))
            for col in ("candidates", "unresolved_reason"):
                if r[col] is not None:
                    problems.append(
                        _problem(table, i, col, r[col], "only for an unresolved article; expected it empty")
                    )
        else:
            if r["confidence"] is not None:
                problems.append(
                    _problem(
                        table,
                        i,
                        "confidence",
                        r["confidence"],
                        "an unresolved article has no confidence; expected it empty",
                    )
                )
            if r["match_basis"] is None and r["unresolved_reason"] is None:
                problems.append(
                    _problem(
                        table,
                        i,
                        "unresolved_reason",
                        "",
                        "expected why the article is unresolved (match_basis or unresolved_reason)",
                    )
                )
        named = (r["fields_from_record_2"] or "").split(";") if r["fields_from_record_2"] else []
        if named and r["record_2"] is None:
            problems.append(
                _problem(
                    table,
                    i,
                    "record_2",
                    "",
                    "fields_from_record_2 names fields, but record_2 is empty; expected the second record",
                )
            )
        for name in named:
            if name in BIB_FIELDS and r[name] is None:
                problems.append(
                    _problem(
                        table,
                        i,
                        "fields_from_record_2",
                        r["fields_from_record_2"],
                        f"names {name!r}, which the row leaves empty; expected only fields it gives",
                    )
                )
        if r["authors"] is not None:
            try:
                split_authors(r["authors"])
            except ValueError:
                problems.append(
                    _problem(table, i, "authors", r["authors"], "expected APA form 'Family, I., & Family, I.'")
                )
    return problems


def rule_order(tables) -> list[Problem]:
    """A recovered first author sorts between the nearest articles of the same appendix whose first author is known."""
    table, studies = tables[TABLE], _studies_by_id(tables)
    known = {
        sid: s["authors"]
        for sid, s in studies.items()
        if s["authors"] is not None and "authors" not in _items(s["bib_truncated_fields"])
    }
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
                problems.append(
                    _problem(
                        table,
                        i,
                        "authors",
                        r["authors"],
                        f"first author does not sort {side} article {s} ({known[s].split(',')[0]}) "
                        f"of Bijlage {appendix}; "
                        "expected the alphabetical order of the numbered list",
                    )
                )
    return problems


def rule_fragments(tables) -> list[Problem]:
    """Every field the report printed (whole or as a fragment) agrees with the recovered value; a fragment needs one."""
    table, studies, problems = tables[TABLE], _studies_by_id(tables), []
    for i, r in _recovered(tables):
        study = studies[r["study_id"]]
        truncated = set(_items(study["bib_truncated_fields"]))
        for name in BIB_FIELDS:
            printed, got = study[name], r[name]
            if printed is None:
                continue
            if got is None:
                if name in truncated:
                    problems.append(
                        _problem(
                            table,
                            i,
                            name,
                            "",
                            f"the report printed the fragment {printed!r}; "
                            f"expected the full {name} to match it against",
                        )
                    )
                continue
            if not fragment_matches(name, printed, got, name in truncated):
                kind = "fragment" if name in truncated else "value"
                problems.append(
                    _problem(
                        table,
                        i,
                        name,
                        got,
                        f"does not match the printed {kind} {str(printed)!r} of article {r['study_id']}",
                    )
                )
    return problems


def rule_descriptors(tables) -> list[Problem]:
    """What the record says about participants, activity, setting and design equals the article's coded descriptor."""
    table, studies, problems = tables[TABLE], _studies_by_id(tables), []
    for i, r in _recovered(tables):
        study = studies[r["study_id"]]
        for d in DESCRIPTORS:
            got, coded = r[f"record_{d}"], study[d]
            if got is not None and coded is not None and got != coded:
                problems.append(
                    _problem(
                        table,
                        i,
                        f"record_{d}",
                        got,
                        f"contradicts article {r['study_id']}'s coded {d} {coded!r}; expected no contradiction",
                    )
                )
    return problems


def rule_unique(tables) -> list[Problem]:
    """No reference is assigned to two articles: recovered DOIs and titles differ from each other and from every
    printed one."""
    table, studies, problems = tables[TABLE], _studies_by_id(tables), []
    seen: dict[tuple, str] = {}
    for sid, s in sorted(studies.items()):
        truncated = set(_items(s["bib_truncated_fields"]))
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
                problems.append(
                    _problem(
                        table, i, name, r[name], f"the same {name} as {first}; expected each reference assigned once"
                    )
                )
            elif first is None:
                seen[key] = f"the recovered reference of article {r['study_id']}"
    return problems


RULES = (rule_shape, rule_order, rule_fragments, rule_descriptors, rule_unique)


def check_recovered(tables) -> list[Problem]:
    """Problems of the recovered references (parsed ``studies`` and ``recovered_references``); [] when either is
    absent."""
    if TABLE not in tables or "studies" not in tables:
        return []
    return [p for rule in RULES for p in rule(tables)]
