"""The audit's count of the bibliography (issue 16): how many of the articles have a reference a reader can
look up, printed complete or recovered from a public record, and how many remain unresolved or lost."""

from __future__ import annotations

from .messages import text
from .references import references


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
    return text("audit.references", lang, **reference_counts(data_dir))
