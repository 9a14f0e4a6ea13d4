"""What a run says when it ends: each notebook executed (and why) or reused, the total, the reviewer's lines (the
corpus validated, the audit's headline) and the outputs no notebook wrote any more."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..output import atomic_write_bytes, figures_dir, processed_dir
from ..paths import REPO_ROOT
from .cache import CACHE_DIR
from .journal import files


def per_notebook(plan: dict, out) -> None:
    """One line per notebook: executed, and why, or reused."""
    for book, p in plan.items():
        print(
            f"{book.name}: " + (f"executed ({p.why})" if p.why else "reused (nothing it depends on changed)"), file=out
        )


def total(n_books: int, executed: int, seconds: float, changed: int | None, dest: Path, out) -> None:
    """The run in one line: notebooks executed and reused, and how many files changed where (None: nothing ran)."""
    where = "." if dest == REPO_ROOT else os.path.relpath(dest)
    result = "nothing changed" if changed is None else f"{changed} file(s) changed under {where}"
    print(
        f"reproduced {n_books} notebooks in {seconds:.1f} s ({executed} executed, {n_books - executed} reused); "
        f"{result}",
        file=out,
    )


def review(dest: Path, counts_by_table: dict, out) -> None:
    """What a reviewer can quote: the corpus validated and the audit's headline, from the ledger just written
    (data/processed/audit_ledger.csv under ``dest``). Kept under .reproduce/cache/ for a run that finds nothing
    changed (:func:`saved_review`)."""
    import pandas as pd

    from ..audit import counts

    lines = [f"corpus validated: {len(counts_by_table)} tables, {sum(counts_by_table.values())} rows"]
    ledger = processed_dir(dest) / "audit_ledger.csv"
    if ledger.is_file():
        n = counts(pd.read_csv(ledger, dtype=str, keep_default_na=False))
        lines.append(
            f"audit: {n['numbers']} printed numbers re-derived: {n['consistent']} confirmed, "
            f"{n['inconsistent']} flagged, {n['not_derivable']} not derivable; {n['figure_numbers']} numbers "
            f"drawn in figures, {n['figure_mismatches']} differ from their tables "
            "(`peerlearn audit` lists the findings)"
        )
    text = "\n".join(lines)
    print(text, file=out)
    try:
        atomic_write_bytes(_review_file(dest), (text + "\n").encode("utf-8"))
    except OSError:
        pass  # only a convenience for the next run


def saved_review(dest: Path, out) -> None:
    """The reviewer's lines of the last run that changed something (nothing has changed since)."""
    try:
        print(
            _review_file(dest).read_text(encoding="utf-8").rstrip("\n") + " (as validated and audited by the last "
            "run; nothing has changed since)",
            file=out,
        )
    except OSError:
        pass


def _review_file(dest: Path) -> Path:
    return CACHE_DIR / f"review-{hashlib.sha256(str(dest).encode('utf-8')).hexdigest()[:16]}.txt"


def not_written(dest: Path, produced: set[Path]) -> list[Path]:
    """Files in ``dest``'s figures/ and data/processed/ that are not among ``produced`` (paths relative to
    ``dest`` that a run wrote): outputs of an item that no longer exists, or files put there by hand. They are
    reported, never deleted (they may be somebody's own)."""
    return sorted(
        p
        for folder in (figures_dir(dest), processed_dir(dest))
        for p in files(folder)
        if p.relative_to(dest) not in produced
    )


def stray(dest: Path, produced: set[Path], err) -> None:
    """One line on ``err`` per output in ``dest`` that this run did not write (:func:`not_written`)."""
    for path in not_written(dest, produced):
        print(
            f"peerlearn reproduce: {os.path.relpath(path)} was not written by this run (no notebook makes it "
            f"any more?); left in place: delete it if it is an old output",
            file=err,
        )
