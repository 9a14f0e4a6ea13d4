"""Helpers for the reliability tests: throw-away copies of the repository and the `peerlearn` command run in them.

Nothing here touches the repository the tests run from; every command runs in a
copy whose own ``peerlearn`` package is imported (PYTHONPATH and cwd point at the copy,
and the notebook kernels inherit both).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from peerlearn import report
from peerlearn.paths import REPO_ROOT

OUTPUT_DIRS = ("figures", "data/processed", "notebooks")
COPIED = ("peerlearn", "data", "figures", "notebooks", "pyproject.toml")
TIMEOUT = 900


def copy_repo(target: Path) -> Path:
    """The package, data, notebooks and committed outputs copied to ``target`` (no caches, no build/)."""
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.egg-info")
    for name in COPIED:
        src = REPO_ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=ignore)
        else:
            shutil.copy2(src, target / name)
    return target


def checksums(root: Path, dirs=OUTPUT_DIRS) -> dict[str, str]:
    """sha256 of every file under ``dirs`` of ``root``, by path relative to ``root``."""
    out = {}
    for d in dirs:
        for p in sorted((root / d).rglob("*")):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def raw_checksums(root: Path) -> dict[str, str]:
    return checksums(root, ("data/raw",))


def env_for(root: Path, **extra) -> dict[str, str]:
    """The environment of a command run in the copy ``root``: none of the caller's PEERLEARN_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERLEARN_")}
    env["PYTHONPATH"] = str(root)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.update(extra)
    return env


def run_peerlearn(root: Path, *args, fault: str | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m peerlearn *args`` in the copy ``root``; data/raw must be byte-identical afterwards."""
    extra = {"PEERLEARN_FAULT": fault} if fault else {}
    return python(root, "-m", "peerlearn", *args, **extra)


def python(root: Path, *args, **extra_env) -> subprocess.CompletedProcess:
    before = raw_checksums(root)
    assert before, f"no data/raw in {root}"
    result = subprocess.run(
        [sys.executable, *args],
        cwd=root,
        env=env_for(root, **extra_env),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert raw_checksums(root) == before, f"`{' '.join(args)}` changed data/raw"
    return result


def age_outputs(root: Path) -> None:
    """Make every output of the copy differ from what `peerlearn reproduce` writes, as an earlier run would.

    Figures and processed tables get a first line "old"; notebooks lose their outputs
    (they stay runnable and execute to exactly the committed notebook).
    """
    for d in ("figures", "data/processed"):
        for p in (root / d).iterdir():
            p.write_bytes(b"old\n" + p.read_bytes())
    for p in (root / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(p, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        nbformat.write(nb, p)


def append_cell(notebook: Path, source: str) -> int:
    """Add a code cell at the end of ``notebook``; returns its 1-based number."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, notebook)
    return len(nb.cells)


def keep_only_notebook(root: Path, stem: str) -> None:
    """Reduce the copy ``root`` to one notebook and its outputs (report.ITEMS), for a short real run."""
    ids = {i.id for i in report.ITEMS.values() if i.notebook == stem}
    for p in (root / "notebooks").glob("*.ipynb"):
        if p.stem != stem:
            p.unlink()
    for p in [*(root / "figures").iterdir(), *(root / "data" / "processed").iterdir()]:
        if p.stem.rsplit("_", 1)[0] not in ids and p.stem not in ids:
            p.unlink()
