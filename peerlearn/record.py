"""What a notebook read and wrote, noted while it runs, for the cache of ``peerlearn reproduce``.

When $PEERLEARN_RECORD names a path prefix (``peerlearn reproduce`` sets one per notebook before its kernel
starts), every corpus file the kernel reads is appended as a line to ``<prefix>.reads`` (its path inside the corpus
folder, as the codebook names it) and every output it writes to ``<prefix>.writes`` (the absolute path). Unset,
nothing is noted. Appends of one short line are atomic, so a killed kernel leaves whole lines only.
"""

from __future__ import annotations

import os

RECORD_ENV = "PEERLEARN_RECORD"


def note(kind: str, value) -> None:
    """Append ``value`` to ``<prefix>.<kind>`` (``reads`` or ``writes``) when $PEERLEARN_RECORD is set."""
    prefix = os.environ.get(RECORD_ENV)
    if not prefix:
        return
    try:
        with open(f"{prefix}.{kind}", "a", encoding="utf-8") as f:
            f.write(f"{value}\n")
    except OSError:
        pass  # only a hint: a notebook without a record depends on the whole corpus


def read_back(prefix, kind: str) -> list[str] | None:
    """The distinct lines noted under ``<prefix>.<kind>`` in order, or None when nothing was noted."""
    try:
        with open(f"{prefix}.{kind}", encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    return list(dict.fromkeys(line for line in lines if line))
