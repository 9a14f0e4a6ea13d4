"""Shared fixtures: a scratch copy of the corpus to break, a scratch output folder, and the report text.

Convention: this file holds fixtures and hooks only and is never imported. Helpers that several test modules
share are plain modules in tests/ without the ``test_`` prefix (browser.py, commands.py, reliability.py,
report_items.py, usability.py), imported by name (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings

import budgets
from peerlearn.paths import RAW_DIR, REPO_ROOT

REPORT_NAME = "000_f5ab944be738cd15.txt"
REPORT_CANDIDATES = [REPO_ROOT.parent / "shared" / "seeds" / REPORT_NAME]
if os.environ.get("PEERLEARN_SEEDS_DIR"):  # e.g. a git worktree elsewhere: where shared/seeds is
    REPORT_CANDIDATES.insert(0, Path(os.environ["PEERLEARN_SEEDS_DIR"]) / REPORT_NAME)


def pytest_configure(config):
    """The fast loop (slow tests deselected) runs the property-based tests with small budgets (tests/budgets.py)."""
    budgets.fast_loop = "not slow" in (config.getoption("markexpr", "") or "")
    if budgets.fast_loop:  # tests without a budget of their own, too
        settings.register_profile("fast-loop", max_examples=budgets.FAST)
        settings.load_profile("fast-loop")


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test closes the figures it opened (``report.figure`` outside a notebook returns its figure open), so that
    a worker running many test files never holds more than one test's figures."""
    yield
    if "matplotlib.pyplot" in sys.modules:  # never imported just to close nothing
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A writable copy of data/raw; tests break it, never the original."""
    target = tmp_path / "raw"
    shutil.copytree(RAW_DIR, target)
    return target


@pytest.fixture
def out_dir(tmp_path, monkeypatch) -> Path:
    """Outputs (figures/, data/processed/) go to a scratch folder instead of the repository."""
    monkeypatch.setenv("PEERLEARN_OUTPUT_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="session")
def report_lines() -> list[str]:
    """The report's extracted text (shared/seeds beside the repository), as lines; skipped when absent."""
    for path in REPORT_CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8").splitlines()
    pytest.skip(
        f"report text not found (looked for {', '.join(map(str, REPORT_CANDIDATES))}); "
        "the fidelity tests need shared/seeds beside the repository"
    )


@pytest.fixture(scope="session")
def site_nl(tmp_path_factory, docs_dir) -> Path:
    """The Dutch site built from the committed, executed notebooks (and the docs of ``docs_dir``) into a scratch
    folder; its index.html."""
    from peerlearn import site

    return site.build("nl", source=REPO_ROOT, out=tmp_path_factory.mktemp("site") / "nl", docs=docs_dir)


@pytest.fixture(scope="session")
def site_en(tmp_path_factory, docs_dir) -> Path:
    """The English site: every notebook executed with lang="en" into a scratch tree (never build/ or the committed
    tree), then built from it; its index.html."""
    from peerlearn import site
    from peerlearn.reproduce import notebook_environment, notebooks, run_notebook

    tree = tmp_path_factory.mktemp("en")
    (tree / "notebooks").mkdir()
    with notebook_environment(tree, tree / "kernels.log"):
        for book in notebooks():
            run_notebook(book, tree / "notebooks" / book.name, {"lang": "en"})
    return site.build("en", source=tree, out=tree / "site" / "en", docs=docs_dir)


@pytest.fixture(scope="session")
def sites(site_nl, site_en) -> dict[str, Path]:
    """Both sites' folders by language."""
    return {"nl": site_nl.parent, "en": site_en.parent}


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium (tests/browser.py) shared by the tests of one module."""
    from browser import launched

    with launched() as b:
        yield b


@pytest.fixture(scope="session")
def docs_dir(tmp_path_factory) -> Path:
    """The documentation the site tests build: the repository's docs/*.md (when there are any) and the sample page
    tests/docs_sample.md, which has every kind of Markdown the site's renderer must handle safely."""
    folder = tmp_path_factory.mktemp("docs")
    for path in sorted((REPO_ROOT / "docs").glob("*.md")):
        shutil.copy(path, folder / path.name)
    shutil.copy(Path(__file__).parent / "docs_sample.md", folder / "zz_sample.md")
    return folder
