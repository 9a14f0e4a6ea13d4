"""``peerlearn verify``: do outputs re-run here agree with the committed ones?

Runs every notebook on the committed corpus into a scratch folder (the committed tree is never written) and
compares each committed output with its re-run copy by content (:mod:`peerlearn.compare`): tables value by
value, notebooks as nbval compares them (same sanitizers), figures by rendered pixels within a small
tolerance plus their text. Bytes may differ between environments (another matplotlib patch release, another
FreeType); content must not. One line per output; exit 1 when anything differs.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from .compare import DIFFERENT, IDENTICAL, WITHIN, Comparison, compare, sanitizers
from .output import figures_dir, processed_dir
from .paths import REPO_ROOT
from .reproduce import execute_notebooks, notebook_environment, notebooks
from .validation import CorpusError, validate_corpus

SANITIZE_FILE = REPO_ROOT / "tests" / "nbval_sanitize.cfg"  # the file nbval uses (pyproject addopts)


def committed_outputs(root: Path = REPO_ROOT) -> list[Path]:
    """The committed outputs under ``root``: executed notebooks, figures, processed tables (relative paths)."""
    files = [
        p
        for d in (root / "notebooks", figures_dir(root), processed_dir(root))
        for p in sorted(d.glob("*"))
        if p.is_file() and not p.name.startswith(".")
    ]
    return [p.relative_to(root) for p in files if p.parent.name != "notebooks" or p.name[:2].isdigit()]


def compare_trees(committed_root: Path, rerun_root: Path, names: list[Path]) -> dict[Path, Comparison]:
    """Each output in ``names`` (relative paths) compared between the two trees; a missing re-run file differs.
    Re-run files that are not committed are reported too."""
    sanitize = sanitizers(SANITIZE_FILE) if SANITIZE_FILE.is_file() else []
    results = {}
    for name in names:
        rerun = rerun_root / name
        if not rerun.is_file():
            results[name] = Comparison(DIFFERENT, "the re-run did not write it")
            continue
        try:
            results[name] = compare(committed_root / name, rerun, sanitize)
        except Exception as e:  # an unreadable image, a notebook that is not JSON, ...
            results[name] = Comparison(DIFFERENT, f"cannot be compared ({type(e).__name__}: {e})")
    for folder in ("notebooks", "figures", "data/processed"):
        for p in sorted((rerun_root / folder).glob("*")):
            name = p.relative_to(rerun_root)
            if p.is_file() and not p.name.startswith(".") and name not in results:
                results[name] = Comparison(DIFFERENT, "written by the re-run but not committed")
    return results


def run(jobs: int | None = None, keep: bool = False, out=sys.stdout, err=sys.stderr) -> int:
    """Re-run the analysis into a scratch folder and compare; returns 0 when every output agrees, else 1."""
    try:
        validate_corpus(None)
    except CorpusError as e:
        e.report(f"peerlearn verify: the corpus has {len(e.problems)} problem(s); nothing was run", err)
        return 1
    scratch = Path(tempfile.mkdtemp(prefix="peerlearn-verify-"))
    try:
        (scratch / "notebooks").mkdir()
        with notebook_environment(scratch, scratch / "kernels.log"):
            failure = execute_notebooks(notebooks(), scratch, {}, out=out, jobs=jobs)
        if failure:
            print(failure.replace("peerlearn reproduce", "peerlearn verify"), file=err)
            return 1
        results = compare_trees(REPO_ROOT, scratch, committed_outputs())
    finally:
        if keep:
            print(f"peerlearn verify: the re-run outputs are kept in {scratch}", file=err)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    width = max(len(s) for s in (IDENTICAL, WITHIN, DIFFERENT))
    for name, result in sorted(results.items()):
        detail = f": {result.detail}" if result.detail and result.status != IDENTICAL else ""
        print(f"{result.status:<{width}}  {name.as_posix()}{detail}", file=out)
    counts = {s: sum(r.status == s for r in results.values()) for s in (IDENTICAL, WITHIN, DIFFERENT)}
    print(
        f"peerlearn verify: {len(results)} outputs: {counts[IDENTICAL]} identical, {counts[WITHIN]} equal within "
        f"tolerance, {counts[DIFFERENT]} different",
        file=out,
    )
    return 1 if counts[DIFFERENT] else 0
