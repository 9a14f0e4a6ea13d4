"""The audit's count of the bibliography (issue 16): how many of the articles have a reference a reader can
look up, printed complete or recovered from a public record, and how many remain unresolved or lost."""
from __future__ import annotations

from .codebook import check_lang
from .references import references

TEXT = {
    "en": "references: {n} articles: {complete} complete as printed, {recovered} recovered from public records "
          "({high} with high, {medium} with medium confidence), {partial} partial, {unresolved} unresolved, {lost} lost",
    "nl": "referenties: {n} artikelen: {complete} volledig zoals afgedrukt, {recovered} teruggevonden in openbare bronnen "
          "({high} met hoge, {medium} met middelmatige zekerheid), {partial} gedeeltelijk, {unresolved} niet eenduidig, "
          "{lost} verloren",
}


def reference_counts(data_dir=None) -> dict[str, int]:
    """Articles per effective reference status, and the recovered ones per confidence."""
    refs = list(references(data_dir).values())
    counts = {s: sum(r.status == s for r in refs) for s in ("complete", "recovered", "partial", "unresolved", "lost")}
    for level in ("high", "medium"):
        counts[level] = sum(r.status == "recovered" and r.confidence == level for r in refs)
    counts["n"] = len(refs)
    return counts


def reference_line(data_dir=None, lang: str = "en") -> str:
    """One line for `peerlearn audit`: the counts of :func:`reference_counts` in English or Dutch."""
    check_lang(lang)
    return TEXT[lang].format(**reference_counts(data_dir))
