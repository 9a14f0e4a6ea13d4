"""Where peerlearn's folders are, derived from the package's own location.

Nothing here depends on the working directory. The raw-data folder can be
overridden per call (``data_dir=``) or for a whole session with the
environment variable ``PEERLEARN_DATA_DIR``.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = REPO_ROOT / "data" / "raw"
PROCESSED_DIR = REPO_ROOT / "data" / "processed"
FIGURES_DIR = REPO_ROOT / "figures"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
DATA_DIR_ENV = "PEERLEARN_DATA_DIR"


def raw_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The folder holding the coded corpus: ``data_dir``, else $PEERLEARN_DATA_DIR, else data/raw."""
    if data_dir is not None:
        return Path(data_dir)
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else RAW_DIR
