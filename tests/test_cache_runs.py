"""`peerlearn reproduce` with its cache, for real, in a copy of the repository: nothing changed starts no kernel;
an edited notebook, a changed corpus table, a tampered figure or a deleted table re-run exactly their notebooks;
the outputs and the site of an incremental run are byte-identical to those of a full one."""

from __future__ import annotations

import json
import shutil

import pytest

from reliability import checksums, copy_repo, python, run_peerlearn

pytestmark = pytest.mark.slow

# Runs `peerlearn reproduce` in this process (one notebook at a time) and prints the notebooks papermill executed.
COUNTED = """
import json, sys
from peerlearn import reproduce
from peerlearn.reproduce import execution
calls = []
execute = execution.run_notebook
def counted(book, executed, parameters):
    calls.append(book.name)
    return execute(book, executed, parameters)
execution.run_notebook = counted
code = reproduce.run(jobs=1, force="--force" in sys.argv)
print("EXECUTED " + json.dumps(calls))
sys.exit(code)
"""
OUTPUTS = ("notebooks", "figures", "data/processed", "build/site")


def executed(root, *args) -> list[str]:
    result = python(root, "-c", COUNTED, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    line = [x for x in result.stdout.splitlines() if x.startswith("EXECUTED ")][-1]
    return json.loads(line.removeprefix("EXECUTED "))


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("cache") / "repo")
    committed = checksums(root)
    result = run_peerlearn(root, "reproduce")  # a fresh copy has no cache: everything runs
    assert result.returncode == 0, result.stderr
    n = len(list((root / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    assert f"({n} executed, 0 reused)" in result.stdout
    assert checksums(root) == committed  # and writes the committed bytes
    return root


def test_incremental_runs_execute_exactly_what_changed(repo):
    full = checksums(repo, OUTPUTS)
    assert executed(repo) == []  # nothing changed: no notebook, no kernel
    assert checksums(repo, OUTPUTS) == full

    primer = repo / "notebooks" / "08_realist_synthesis_primer.ipynb"
    table = repo / "data" / "raw" / "hypothesis_cmo.csv"
    saved = {p: p.read_bytes() for p in (primer, table)}
    nb = json.loads(primer.read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["source"] = "# edited\n" + "".join(code["source"])
    primer.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    assert executed(repo) == ["08_realist_synthesis_primer.ipynb"]

    table.write_bytes(
        saved[table].replace(b"The hypothesis names no context", b"The hypothesis names no context here", 1)
    )
    assert table.read_bytes() != saved[table]
    assert executed(repo) == ["07_realist_synthesis_walkthrough.ipynb"]  # the only notebook that reads it

    (repo / "figures" / "figuur_2_denken_nl.svg").write_text("<svg/>", encoding="utf-8")
    (repo / "data" / "processed" / "tabel_1_factors_individual.csv").unlink()
    assert executed(repo) == ["03_factors.ipynb", "04_effects_and_pathways.ipynb"]

    for path, data in saved.items():
        path.write_bytes(data)
    assert executed(repo) == ["07_realist_synthesis_walkthrough.ipynb", "08_realist_synthesis_primer.ipynb"]
    assert checksums(repo, OUTPUTS) == full  # reused and re-run outputs and pages: the bytes of the full run


def test_force_runs_every_notebook(repo, tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy)
    full = checksums(copy, OUTPUTS)
    assert executed(copy, "--force") == sorted(p.name for p in (copy / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert checksums(copy, OUTPUTS) == full
