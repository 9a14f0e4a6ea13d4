"""The cache of `peerlearn reproduce` (peerlearn.reproduce.cache), on two small notebooks in scratch folders: each
kind of dependency changed alone makes exactly the notebooks that depend on it run again; entries are checked before
use and written whole. (The runs themselves: tests/test_cache_runs.py.)"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgets import examples
from peerlearn.output import OUTPUT_FOLDERS, OutputError
from peerlearn.reproduce import cache

READS = {"01_a": ["a.csv"], "02_b": ["b.csv"]}  # the corpus file each notebook reads (besides the codebook)
OUTPUTS = {"01_a": ["figures/a_nl.svg", "data/processed/a.csv"], "02_b": ["data/processed/b.csv"]}


def notebook(source: str, outputs=()) -> str:
    cell = {"cell_type": "code", "source": source, "metadata": {}, "outputs": list(outputs), "execution_count": None}
    return json.dumps(
        {"cells": [cell], "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    )


class World:
    """Two notebooks, a corpus, a destination, a stage and a cache folder, all in ``root``."""

    def __init__(self, root: Path):
        self.root, self.books_dir, self.corpus = root, root / "books", root / "corpus"
        self.dest, self.stage, self.cache = root / "dest", root / "stage", root / "cache"
        self.books_dir.mkdir()
        self.corpus.mkdir()
        self.books = []
        for stem in READS:
            book = self.books_dir / f"{stem}.ipynb"
            book.write_text(notebook(f"print('{stem}')"), encoding="utf-8")
            self.books.append(book)
        for name, text in {"datapackage.json": "{}", "a.csv": "x\n1\n", "b.csv": "y\n2\n"}.items():
            (self.corpus / name).write_text(text, encoding="utf-8")

    def book(self, stem: str) -> Path:
        return self.books_dir / f"{stem}.ipynb"

    def plan(self, lang="nl", parameters=None, force=False):
        return cache.plan(self.books, self.cache, self.dest, self.corpus, lang, parameters or {}, force)

    def run(self, plans=None, page=True):
        """What `peerlearn reproduce` does for the notebooks that must run: outputs, records, entries."""
        plans = plans or self.plan()
        for book, p in plans.items():
            if p.why is None:
                continue
            stem = book.stem
            prefix = self.root / "record" / stem
            prefix.parent.mkdir(exist_ok=True)
            prefix.with_suffix(".reads").write_text("".join(f"{r}\n" for r in READS[stem]), encoding="utf-8")
            written = [self.stage / f"notebooks/{book.name}", *(self.stage / o for o in OUTPUTS[stem])]
            prefix.with_suffix(".writes").write_text("".join(f"{w.resolve()}\n" for w in written), encoding="utf-8")
            for rel in [f"notebooks/{book.name}", *OUTPUTS[stem]]:
                (self.dest / rel).parent.mkdir(parents=True, exist_ok=True)
                (self.dest / rel).write_text(f"{rel} from {book.read_text(encoding='utf-8')}", encoding="utf-8")
            cache.save(self.cache, self.dest, book, p, prefix, self.stage, ("nav", f"<p>{stem}</p>") if page else None)
        return plans

    def running(self, **kw) -> dict[str, str]:
        """stem -> why, of the notebooks that must run now."""
        return {b.stem: p.why for b, p in self.plan(**kw).items() if p.why}


@pytest.fixture
def world(tmp_path) -> World:
    w = World(tmp_path)
    w.run()
    assert w.running() == {}
    return w


def test_a_fresh_cache_runs_everything(tmp_path):
    assert World(tmp_path).running() == {"01_a": "no cache entry", "02_b": "no cache entry"}


def test_force_runs_everything(world):
    assert world.running(force=True) == {"01_a": "--force", "02_b": "--force"}


def test_an_edited_notebook_runs_alone(world):
    book = world.book("02_b")
    book.write_text(notebook("print('changed')"), encoding="utf-8")
    assert world.running() == {"02_b": "the notebook changed"}


def test_a_source_as_lines_or_as_one_string_is_the_same_notebook(world):
    book = world.book("01_a")
    nb = json.loads(book.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = ["print(", "'01_a')"]
    book.write_text(json.dumps(nb), encoding="utf-8")
    assert world.running() == {}


def test_outputs_in_the_notebook_itself_are_not_a_change(world):
    """In the committed tree the executed notebook replaces its source: its outputs are outputs, not inputs."""
    book = world.book("01_a")
    book.write_text(
        notebook("print('01_a')", [{"output_type": "stream", "name": "stdout", "text": "01_a\n"}]), encoding="utf-8"
    )
    assert world.running() == {}


@pytest.mark.parametrize(
    "name, stems", [("a.csv", {"01_a"}), ("b.csv", {"02_b"}), ("datapackage.json", {"01_a", "02_b"})]
)
def test_a_changed_corpus_file_reruns_the_notebooks_that_read_it(world, name, stems):
    with open(world.corpus / name, "a", encoding="utf-8") as f:
        f.write("\n")
    running = world.running()
    assert set(running) == stems
    assert all(why == f"corpus file {name} changed" for why in running.values())


def test_a_file_no_notebook_reads_reruns_nothing(world):
    (world.corpus / "c.csv").write_text("z\n", encoding="utf-8")
    assert world.running() == {}


def test_without_a_record_a_notebook_depends_on_the_whole_corpus(tmp_path):
    w = World(tmp_path)
    plans = w.plan()
    w.run(plans)
    (tmp_path / "record" / "02_b.reads").unlink()  # as if its kernel had noted nothing
    cache.save(w.cache, w.dest, w.book("02_b"), plans[w.book("02_b")], tmp_path / "record" / "02_b", w.stage, None)
    (w.corpus / "a.csv").write_text("x\n3\n", encoding="utf-8")
    assert set(w.running()) == {"01_a", "02_b"}


@pytest.mark.parametrize(
    "target, value, why",
    [
        ("source_digest", lambda: "0" * 64, "the peerlearn source changed"),
        ("python_version", lambda: "2.7.18 (elsewhere)", "the Python version changed"),
    ],
)
def test_peerlearn_source_and_python_rerun_everything(world, monkeypatch, target, value, why):
    monkeypatch.setattr(cache, target, value)
    assert world.running() == {"01_a": why, "02_b": why}


def test_a_library_version_reruns_everything_and_is_named(world, monkeypatch):
    versions = dict(cache.library_versions())
    versions["pandas"] = "0.0.1"
    monkeypatch.setattr(cache, "library_versions", lambda: versions)
    running = world.running()
    assert set(running) == {"01_a", "02_b"}
    assert all(
        why.startswith("library versions changed (pandas ") and why.endswith("-> 0.0.1)") for why in running.values()
    )


def test_language_and_parameters_rerun_everything(world):
    assert set(world.running(lang="en")) == {"01_a", "02_b"}
    assert world.running(lang="en")["01_a"] == "the language changed"
    assert world.running(parameters={"data_dir": "/elsewhere"})["02_b"] == "its parameters changed"


def test_the_peerlearn_source_digest_follows_the_package():
    assert cache.source_digest() == cache.source_digest()
    assert len(cache.source_digest()) == 64


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda p: p.write_text("tampered", encoding="utf-8"), "output figures/a_nl.svg was edited"),
        (lambda p: p.unlink(), "output figures/a_nl.svg is missing"),
    ],
)
def test_a_tampered_or_deleted_output_reruns_its_notebook(world, change, why):
    change(world.dest / "figures/a_nl.svg")
    assert world.running() == {"01_a": why}
    world.run()
    assert world.running() == {}


def test_reuse_copies_the_outputs_into_the_stage_and_the_page(world):
    pages: dict = {}
    plans = world.plan()
    cache.reuse_all(plans, world.cache, world.dest, world.stage, pages)
    assert all(p.why is None for p in plans.values())
    for stem, outputs in OUTPUTS.items():
        for rel in [f"notebooks/{stem}.ipynb", *outputs]:
            assert (world.stage / rel).read_bytes() == (world.dest / rel).read_bytes()
    assert pages == {"01_a": ("nav", "<p>01_a</p>"), "02_b": ("nav", "<p>02_b</p>")}


def test_an_output_edited_after_planning_is_not_copied(world):
    plans = world.plan()
    (world.dest / "data/processed/b.csv").write_text("late edit", encoding="utf-8")
    cache.reuse_all(plans, world.cache, world.dest, world.stage, {})
    assert plans[world.book("02_b")].why == "output data/processed/b.csv was edited"
    assert not (world.stage / "data/processed/b.csv").exists()


def test_an_edited_cached_page_is_not_used(world):
    page = cache.folder(world.cache, world.dest) / "01_a.html"
    page.write_text("<script>evil()</script>", encoding="utf-8")
    pages: dict = {}
    cache.reuse_all(world.plan(), world.cache, world.dest, world.stage, pages)
    assert set(pages) == {"02_b"}  # the site renders 01_a's page again


def entry_file(world, stem="01_a") -> Path:
    return cache.entry_path(world.cache, world.dest, world.book(stem))


@pytest.mark.parametrize(
    "edit",
    [
        lambda e: e["outputs"].update({"../../outside.txt": "0" * 64}),
        lambda e: e["outputs"].update({"/etc/passwd": "0" * 64}),
        lambda e: e["outputs"].update({"data/raw/a.csv": "0" * 64}),
        lambda e: e["outputs"].update({"figures/../../x": "0" * 64}),
        lambda e: e["outputs"].update({"figures\\x.svg": "0" * 64}),
        lambda e: e["reads"].update({"../secret": "0" * 64}),
        lambda e: e["outputs"].update({"figures/x.svg": "not a hash"}),
        lambda e: e.update(notebook="02_b.ipynb"),
        lambda e: e.update(version=99),
        lambda e: e.update(extra=1),
        lambda e: e["inputs"].pop("python"),
        lambda e: e["outputs"].pop("notebooks/01_a.ipynb"),
        lambda e: e.update(page={"nav": 1, "sha": "0" * 64}),
    ],
)
def test_an_entry_reproduce_could_not_have_written_is_refused_and_the_notebook_runs(world, edit):
    path = entry_file(world)
    entry = json.loads(path.read_text(encoding="utf-8"))
    edit(entry)
    path.write_text(json.dumps(entry), encoding="utf-8")
    with pytest.raises(cache.EntryError):
        cache.check_entry(entry, world.book("01_a"))
    why = world.running()["01_a"]
    assert why.startswith("cache entry refused: ")


@pytest.mark.parametrize("text", ["", "{", '{"version": 1', "\x00\x01", "[]"])
def test_a_half_written_or_damaged_entry_is_refused(world, text):
    entry_file(world).write_text(text, encoding="utf-8")
    assert world.running()["01_a"].startswith("cache entry refused: ")


@settings(max_examples=examples(60), deadline=None)
@given(
    st.lists(
        st.sampled_from(list("ab./\\_-~:") + ["..", "figures/", "data/processed/", "notebooks/"]), max_size=12
    ).map("".join)
)
def test_an_accepted_entry_only_names_files_inside_the_output_folders(path):
    entry = {
        "version": cache.VERSION,
        "notebook": "01_a.ipynb",
        "inputs": dict.fromkeys(cache.INPUT_NAMES, ""),
        "reads": {},
        "outputs": {"notebooks/01_a.ipynb": "0" * 64, path: "0" * 64},
        "page": None,
    }
    try:
        cache.check_entry(entry, Path("01_a.ipynb"))
    except cache.EntryError:
        return
    stage = Path("/stage")
    resolved = Path(os.path.normpath(stage / path))
    assert any(resolved.is_relative_to(stage / f) and resolved != stage / f for f in OUTPUT_FOLDERS)


def test_a_writer_killed_midway_leaves_the_old_entry_whole(world, monkeypatch):
    path = entry_file(world)
    before = path.read_bytes()
    (world.dest / "figures/a_nl.svg").write_text("new", encoding="utf-8")
    plans = world.plan()

    def killed(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(OutputError):
        world.run(plans)
    monkeypatch.undo()
    assert path.read_bytes() == before  # the old entry, whole
    assert cache.load(world.cache, world.dest, world.book("01_a")) == json.loads(before)
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_forget_removes_the_entry_of_a_notebook_about_to_run(world):
    cache.forget(world.cache, world.dest, world.book("01_a"))
    assert world.running() == {"01_a": "no cache entry"}


def test_entries_of_two_destinations_are_kept_apart(world, tmp_path):
    other = World.__new__(World)
    other.__dict__.update(world.__dict__, dest=tmp_path / "dest2")
    assert set(other.running()) == {"01_a", "02_b"}
    assert world.running() == {}


def test_the_site_record_notes_the_site_and_the_corpus(world, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("index", encoding="utf-8")
    plans = world.plan()
    assert not cache.site_intact(world.cache, world.dest, site, plans)
    cache.save_site(world.cache, world.dest, site, plans)
    assert cache.site_intact(world.cache, world.dest, site, plans)
    assert not cache.site_intact(world.cache, world.dest, site, {b: p for b, p in plans.items() if b.stem == "01_a"})
    (site / "index.html").write_text("edited", encoding="utf-8")
    assert not cache.site_intact(world.cache, world.dest, site, plans)
    cache.save_site(world.cache, world.dest, site, plans)
    (world.corpus / "c.csv").write_text("z\n", encoding="utf-8")  # read by no notebook, but validated with all
    assert not cache.site_intact(world.cache, world.dest, site, world.plan())
    shutil.rmtree(site)


def test_a_second_run_reads_no_entry_while_another_holds_the_lock(tmp_path, monkeypatch):
    """Entries are read and written only under .reproduce/lock, so two runs never act on one stale entry."""
    import io
    import subprocess
    import sys

    from peerlearn import reproduce
    from peerlearn.reproduce import lock as locking

    lock = tmp_path / "lock"
    monkeypatch.setattr(locking, "LOCK", lock)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import fcntl, sys, time; f = open(sys.argv[1], 'a+b'); fcntl.lockf(f, fcntl.LOCK_EX); "
                "print('held', flush=True); time.sleep(60)"
            ),
            str(lock),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        read = []
        monkeypatch.setattr(cache, "plan", lambda *a, **k: read.append(a))
        err = io.StringIO()
        assert reproduce.run(out=io.StringIO(), err=err) == 1
        assert "another `peerlearn reproduce` is running" in err.getvalue()
        assert read == []
    finally:
        holder.kill()
        holder.wait()
