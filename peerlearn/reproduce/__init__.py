"""``peerlearn reproduce``: run every notebook headless and refresh notebooks, figures, data/processed and the site.

A run, step by step (:func:`run`), each step in its own module:

1. take the lock, so one run at a time acts on the repository (:mod:`.lock`), and finish a commit an interrupted
   run left half done (:mod:`.journal`);
2. plan: a notebook is executed only when its inputs or outputs changed since its last run (``--force``: all);
   when nothing changed and the site is intact, say so and stop (:mod:`.cache`);
3. validate the corpus;
4. stage: copy the reused notebooks' outputs from the cache's checked copies into ``.reproduce/stage``, and execute
   the others into it with $PEERLEARN_OUTPUT_DIR pointing there, ``--jobs`` at a time (:mod:`.scheduling`,
   :mod:`.execution`). A failing notebook stops the run with one line naming the notebook and cell; its executed
   copy is kept in ``.reproduce/failed/`` and the earlier outputs stay as they were;
5. commit: move the staged files into place under a journal, so the outputs are always all old or all new
   (:mod:`.journal`), and note the notebooks just run in the cache;
6. summarise (:mod:`.summary`) and build the site from the outputs just put in place (:mod:`peerlearn.site`).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from ..paths import DEFAULT_LANG, LANGS, REPO_ROOT, WORK_DIR, corpus_in_use, destination, raw_dir, site_dir
from ..validation import CorpusError, validate_corpus
from . import cache, journal, lock, summary
from .cache import CACHE_DIR
from .execution import clean_notebook, notebook_environment, notebooks, run_notebook
from .journal import recover
from .scheduling import default_jobs, execute_notebooks

__all__ = [
    "WORK_DIR",
    "clean_notebook",
    "default_jobs",
    "execute_notebooks",
    "notebook_environment",
    "notebooks",
    "recover",
    "run",
    "run_notebook",
]


def run(
    lang: str = DEFAULT_LANG,
    data_dir=None,
    out=sys.stdout,
    err=sys.stderr,
    jobs: int | None = None,
    force: bool = False,
) -> int:
    """Validate the corpus and execute every notebook whose inputs or outputs changed since its last run
    (``force``: every notebook; see :mod:`peerlearn.reproduce.cache`), ``jobs`` at a time (default: one per core);
    returns the exit code (0 ok, 1 failure, 2 an unknown language)."""
    if lang not in LANGS:
        print(f"peerlearn reproduce: unknown language {lang!r}; expected one of {', '.join(LANGS)}", file=err)
        return 2
    try:
        with lock.exclusive():
            return _run(lang, data_dir, out, err, jobs, force)
    except lock.Busy:
        print(
            f"peerlearn reproduce: another `peerlearn reproduce` is running in {REPO_ROOT} (it holds "
            f"{os.path.relpath(lock.LOCK)}); nothing was run. Wait for it to finish and run again.",
            file=err,
        )
        return 1


def _run(lang: str, data_dir, out, err, jobs, force: bool) -> int:
    """:func:`run`, with the lock held."""
    journal.recover_locked(err)  # before the stage is cleared: a journal's moves come from it
    data_dir = corpus_in_use(data_dir)  # None: the committed corpus (also when named by its path)
    started = time.perf_counter()
    books = notebooks()
    parameters = {}  # what papermill injects: only what differs from the notebooks' defaults
    if lang != DEFAULT_LANG:
        parameters["lang"] = lang
    if data_dir is not None:
        parameters["data_dir"] = data_dir
    dest, site = destination(lang, data_dir), site_dir(lang, data_dir)

    plan = cache.plan(books, CACHE_DIR, dest, raw_dir(data_dir), lang, parameters, force)
    if not any(p.why for p in plan.values()) and cache.site_intact(CACHE_DIR, dest, site, plan):
        summary.per_notebook(plan, out)  # nothing to run, commit or render: the outputs and the site are as noted
        summary.total(len(books), 0, time.perf_counter() - started, None, dest, out)
        summary.saved_review(dest, out)
        summary.stray(dest, {Path(n) for p in plan.values() for n in p.entry["outputs"]}, err)
        return 0

    try:
        counts = validate_corpus(data_dir)
    except CorpusError as e:
        e.report(f"peerlearn reproduce: the corpus has {len(e.problems)} problem(s); nothing was run", err)
        return 1

    stage, record_dir = journal.STAGE, WORK_DIR / "record"
    for folder in (stage, record_dir):
        shutil.rmtree(folder, ignore_errors=True)
    (stage / "notebooks").mkdir(parents=True)
    record_dir.mkdir(parents=True)
    pages: dict = {}  # site pages: cached ones, and those rendered by the workers as each notebook ends
    cache.reuse_all(plan, CACHE_DIR, dest, stage, pages)
    to_run = [b for b in books if plan[b].why]
    if to_run:
        for book in to_run:
            cache.forget(CACHE_DIR, dest, book)
        with notebook_environment(stage, WORK_DIR / "kernels.log", data_dir):
            failure = execute_notebooks(
                to_run,
                stage,
                parameters,
                out=out,
                jobs=jobs,
                pages=pages,
                page_lang=lang,
                site_books=books,
                record_dir=record_dir,
            )
        if failure:
            print(failure, file=err)
            return 1
    journal.fault("stage")

    produced = {p.relative_to(stage) for p in journal.files(stage)}
    changed = journal.commit(stage, dest)
    shutil.rmtree(stage, ignore_errors=True)
    for book in to_run:
        cache.save(CACHE_DIR, dest, book, plan[book], record_dir / book.stem, stage, pages.get(book.stem))

    summary.per_notebook(plan, out)
    summary.total(len(books), len(to_run), time.perf_counter() - started, changed, dest, out)
    summary.review(dest, counts, out)
    summary.stray(dest, produced, err)

    from ..site import run as build_site  # the browsable report, from the outputs just put in place

    code = build_site(lang, source=dest, out=site, stdout=out, stderr=err, rendered=pages, data_dir=data_dir)
    if code == 0:
        cache.save_site(CACHE_DIR, dest, site, plan)
    return code
