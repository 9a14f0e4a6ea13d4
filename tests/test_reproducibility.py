"""A fresh clone reproduces the committed outputs exactly, and a second run changes no byte.

The clone is of the committed HEAD (uncommitted changes are not in it): on CI,
which runs on a clean clone of main, this is the check that what main commits
is what `peerlearn reproduce` makes. Two full runs, shared by the tests below.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from peerlearn.paths import REPO_ROOT
from reliability import checksums, run_peerlearn

pytestmark = pytest.mark.slow  # runs notebooks in copies of the repository


def git(*args, cwd) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=300).stdout


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Clone HEAD, run `peerlearn reproduce` twice; per run: (result, `git status --porcelain`, output checksums)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed; the fresh-clone test needs it")
    if not (REPO_ROOT / ".git").exists():
        pytest.skip(f"{REPO_ROOT} is not a git checkout (no .git); the fresh-clone test needs one")
    clone = tmp_path_factory.mktemp("clone") / "peerlearn"
    git("clone", "--quiet", "--no-hardlinks", str(REPO_ROOT), str(clone), cwd=REPO_ROOT)
    committed = checksums(clone)
    out = []
    for args in (("reproduce",), ("reproduce", "--force")):  # a fresh clone has no cache: both run every notebook
        result = run_peerlearn(clone, *args)
        out.append((result, git("status", "--porcelain", "--untracked-files=all", cwd=clone), checksums(clone)))
    return committed, out


def test_fresh_clone_reproduces_the_committed_outputs(runs):
    committed, ((result, status, after), _) = runs
    assert result.returncode == 0, result.stderr
    assert status == "", f"`peerlearn reproduce` in a fresh clone changed committed files:\n{status}"
    summary = [line for line in result.stdout.splitlines() if line.startswith("reproduced ")]
    assert len(summary) == 1 and summary[0].endswith("0 file(s) changed under ."), result.stdout
    assert after == committed


def test_second_run_is_byte_identical(runs):
    _committed, ((_, _, first), (result, status, second)) = runs
    assert result.returncode == 0, result.stderr
    assert status == "", f"a second `peerlearn reproduce` changed files:\n{status}"
    assert second == first
    assert any(f.endswith(".png") for f in second) and any(f.endswith(".svg") for f in second)


def test_the_run_ends_with_a_summary_a_reviewer_can_quote(runs):
    """Corpus validated (tables, rows) and the audit's headline, with the numbers the library computes."""
    import peerlearn as pl
    from peerlearn import audit

    _, ((result, _, _), _) = runs
    counts = pl.validate_corpus()
    head = audit.headline()
    assert f"corpus validated: {len(counts)} tables, {sum(counts.values())} rows" in result.stdout
    assert (
        f"audit: {head['numbers']} printed numbers re-derived: {head['consistent']} confirmed, "
        f"{head['inconsistent']} flagged, {head['not_derivable']} not derivable; {head['figure_numbers']} numbers "
        f"drawn in figures, {head['figure_mismatches']} differ"
    ) in result.stdout
