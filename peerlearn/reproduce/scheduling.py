"""Run many notebooks at once, each in its own worker process, and report them in notebook order.

Papermill is not thread-safe, so notebooks run in a pool of processes (forked where possible, so they inherit the
imports and file descriptor 2; they die with the run: :mod:`peerlearn.reproduce.processes`). The longest notebook of
the last successful run starts first; progress lines and the first failure follow notebook order whatever order the
workers finish in.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..output import atomic_write_bytes
from ..paths import DEFAULT_LANG, WORK_DIR
from .execution import execute_one

DURATIONS = WORK_DIR / "durations.json"  # seconds per notebook in the last successful run
FAILED = WORK_DIR / "failed"  # the executed copy of a notebook that failed in a cell


def default_jobs(n_notebooks: int) -> int:
    """How many notebooks run at once: one per available core, at most one per notebook."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, n_notebooks))


def execute_notebooks(
    books: list[Path],
    stage: Path,
    parameters: dict,
    out=sys.stdout,
    jobs: int | None = None,
    pages: dict | None = None,
    page_lang: str = DEFAULT_LANG,
    site_books: list[Path] | None = None,
    record_dir: Path | None = None,
) -> str | None:
    """Execute ``books`` into ``stage``/notebooks, ``jobs`` at a time in separate processes (papermill is not
    thread-safe), printing one progress line per notebook in notebook order.

    Returns None when all succeeded, else the message for the first failing notebook in order; its
    executed copy is kept in .reproduce/failed/. Notebooks after it that have not started are not run.
    With ``pages`` (a dict), each worker also renders the site page of the notebook it has just run, in
    ``page_lang``, into ``pages[stem]``: the pages are then ready when the last notebook ends (``site_books``: the
    site's notebooks, default ``books``). With ``record_dir``, each kernel notes what it reads and writes under
    ``record_dir/<stem>`` (:mod:`peerlearn.record`)."""
    from ..lean_imports import skip_iri_grammar

    skip_iri_grammar()
    import papermill  # noqa: F401  (imported once here, so forked workers inherit it)

    if pages is not None and page_lang is not None:
        from ..site import prepare

        prepare(page_lang)  # likewise: one page exporter, made here, shared by the forked workers

    jobs = default_jobs(len(books)) if jobs is None else max(1, min(jobs, len(books)))
    page_lang = page_lang if pages is not None else None
    site_books = books if site_books is None else site_books

    def task(b: Path) -> tuple:
        """execute_one's arguments for notebook ``b``."""
        record = None if record_dir is None else record_dir / b.stem
        return b, stage / "notebooks" / b.name, parameters, site_books, page_lang, record

    seconds: dict[str, float] = {}
    if jobs == 1:  # in this process: no pool to start
        failure = _report(books, stage, (execute_one(*task(b)) for b in books), out, seconds, pages)
    else:
        with _pool(jobs) as pool:
            # Longest first (by the last run's times), so that the slowest notebook does not start last.
            futures = {b: pool.submit(execute_one, *task(b)) for b in _longest_first(books)}
            try:
                failure = _report(books, stage, (_result(futures[b]) for b in books), out, seconds, pages)
            finally:
                for f in futures.values():
                    f.cancel()
    if failure is None:
        _save_durations(seconds)
    return failure


def _pool(jobs: int):
    """A pool of ``jobs`` worker processes (forked where possible: they inherit the imports and file descriptor 2)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .processes import worker_init

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=worker_init,
        initargs=(os.getpid(),),
    )  # workers die with the run


def _durations() -> dict[str, float]:
    try:
        known = json.loads(DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in known.items() if isinstance(v, (int, float))} if isinstance(known, dict) else {}


def _longest_first(books: list[Path]) -> list[Path]:
    """``books`` ordered by their duration in the last successful run, longest first (unknown ones first)."""
    known = _durations()
    return sorted(books, key=lambda b: -known.get(b.name, float("inf")))


def _save_durations(seconds: dict[str, float]) -> None:
    try:
        text = json.dumps({**_durations(), **seconds}, indent=1, sort_keys=True) + "\n"
        atomic_write_bytes(DURATIONS, text.encode("utf-8"))
    except OSError:
        pass  # only a scheduling hint


def _result(future):
    try:
        return future.result()
    except Exception as e:  # a worker that died (BrokenProcessPool), ...
        return 0.0, f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})", False, None


def _report(books: list[Path], stage: Path, results, out, seconds: dict, pages: dict | None = None) -> str | None:
    """Print the progress line of each notebook in notebook order (its name as soon as the ones before it are
    done, then its outcome); stop at the first failure and describe it."""
    n = len(books)
    results = iter(results)
    for i, book in enumerate(books, 1):
        print(f"[{i}/{n}] {book.name} ...", end="", file=out, flush=True)
        took, problem, in_cell, page = next(results)
        seconds[book.name] = round(took, 2)
        if page is not None and pages is not None:
            pages[book.stem] = page
        if problem is None:
            print(f" ok ({took:.1f} s)", file=out, flush=True)
            continue
        print(" failed", file=out, flush=True)
        if not in_cell:
            return f"peerlearn reproduce: {book.name} could not be run {problem}; earlier outputs left in place"
        executed = stage / "notebooks" / book.name
        failed = FAILED / book.name
        if executed.exists():
            atomic_write_bytes(failed, executed.read_bytes())
        return (
            f"peerlearn reproduce: {book.name} failed {problem}; executed copy kept at {os.path.relpath(failed)}; "
            f"earlier outputs left in place"
        )
    return None
