"""Writing outputs whole or not at all, into the output root.

Notebooks write through these functions. The output root is the repository
(figures/ and data/processed/) unless $PEERLEARN_OUTPUT_DIR names another
folder; ``peerlearn reproduce`` points it at a staging folder and moves the
results into place only when every notebook has succeeded.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import REPO_ROOT

if TYPE_CHECKING:
    import pandas as pd

OUTPUT_DIR_ENV = "PEERLEARN_OUTPUT_DIR"


def output_root() -> Path:
    env = os.environ.get(OUTPUT_DIR_ENV)
    return Path(env) if env else REPO_ROOT


def figures_dir(root: Path | None = None) -> Path:
    """figures/ under ``root`` (default: the output root)."""
    return (output_root() if root is None else Path(root)) / "figures"


def processed_dir(root: Path | None = None) -> Path:
    """data/processed/ under ``root`` (default: the output root)."""
    return (output_root() if root is None else Path(root)) / "data" / "processed"


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_processed(table: pd.DataFrame, name: str) -> Path:
    """Write a tidy table to data/processed/<name>.csv (UTF-8, LF, no index), atomically."""
    text = table.to_csv(index=False, lineterminator="\n")
    return atomic_write_bytes(processed_dir() / f"{name}.csv", text.encode("utf-8"))
