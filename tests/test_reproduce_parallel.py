"""The parallel notebook loop of ``peerlearn reproduce``: progress in notebook order, first failure in order wins."""

from __future__ import annotations

import io

import nbformat
import pytest

from peerlearn import reproduce
from peerlearn.reproduce import scheduling

pytestmark = pytest.mark.slow  # runs notebooks in copies of the repository


def _notebook(path, source):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.setattr(scheduling, "FAILED", tmp_path / "work" / "failed")
    monkeypatch.setattr(scheduling, "DURATIONS", tmp_path / "work" / "durations.json")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    (tmp_path / "stage" / "notebooks").mkdir(parents=True)
    return tmp_path


def test_first_failure_in_notebook_order_is_reported_even_when_a_later_one_fails_first(work):
    books = [
        _notebook(work / "01_slow_fail.ipynb", "import time; time.sleep(3); raise ValueError('first')"),
        _notebook(work / "02_fast_fail.ipynb", "raise ValueError('second')"),
        _notebook(work / "03_ok.ipynb", "1 + 1"),
    ]
    out = io.StringIO()
    failure = reproduce.execute_notebooks(books, work / "stage", {}, out=out, jobs=2)
    assert out.getvalue() == "[1/3] 01_slow_fail.ipynb ... failed\n"
    assert (
        failure.startswith("peerlearn reproduce: 01_slow_fail.ipynb failed in cell 1")
        and "ValueError: first" in failure
    )
    assert (work / "work" / "failed" / "01_slow_fail.ipynb").is_file()
    assert not (work / "work" / "failed" / "02_fast_fail.ipynb").exists()


def test_progress_lines_follow_notebook_order_and_all_outputs_are_staged(work):
    books = [
        _notebook(work / f"{i:02d}_nb.ipynb", f"import time; time.sleep({0.8 if i == 1 else 0}); {i}")
        for i in (1, 2, 3)
    ]
    out = io.StringIO()
    assert reproduce.execute_notebooks(books, work / "stage", {}, out=out, jobs=2) is None
    lines = out.getvalue().splitlines()
    assert [ln.split(" ... ")[0] for ln in lines] == ["[1/3] 01_nb.ipynb", "[2/3] 02_nb.ipynb", "[3/3] 03_nb.ipynb"]
    assert all(ln.split(" ... ")[1].startswith("ok (") for ln in lines)
    for i in (1, 2, 3):
        nb = nbformat.read(work / "stage" / "notebooks" / f"{i:02d}_nb.ipynb", 4)
        assert nb.cells[0].outputs[0]["data"]["text/plain"] == str(i)
        assert "papermill" not in nb.metadata  # cleaned in the worker


def test_longest_notebook_starts_first(work):
    books = [work / "01_a.ipynb", work / "02_b.ipynb", work / "03_c.ipynb"]
    assert scheduling._longest_first(books) == books  # no history: notebook order
    scheduling._save_durations({"01_a.ipynb": 1.0, "02_b.ipynb": 9.0, "03_c.ipynb": 2.0})
    assert [b.name for b in scheduling._longest_first(books)] == ["02_b.ipynb", "03_c.ipynb", "01_a.ipynb"]
