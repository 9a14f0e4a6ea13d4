"""Run every notebook headless with papermill and refresh notebooks, figures and data/processed.

The run is staged: notebooks execute with $PEERLEARN_OUTPUT_DIR pointing at
``.reproduce/stage``, and only when every notebook has succeeded are the staged
files moved into place: the list of changed files is written to a journal
(``.reproduce/commit.json``), each is renamed atomically, then the journal is
deleted. A run killed before the journal exists leaves the tree as it was; one
killed after is finished by the next ``peerlearn`` command, so the outputs are
always all old or all new. A failing notebook stops the run with one line
naming the notebook and cell; its executed copy is kept in
``.reproduce/failed/`` and the earlier outputs stay as they were. Executed notebooks are stripped of timestamps,
durations and papermill's run metadata, so a rerun on unchanged data changes
no committed byte.

Only the notebooks whose inputs or outputs changed since their last run are executed
(``--force``: all); the others' outputs are copied from the cache's checked copies into the
stage, so the commit and the site always see a complete stage (:mod:`peerlearn.cache`).
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

from . import cache, output
from .codebook import LANGS
from .journal import JournalError, check_journal
from .output import OUTPUT_DIR_ENV, atomic_write_bytes, figures_dir, processed_dir
from .record import RECORD_ENV
from .paths import DATA_DIR_ENV, NOTEBOOKS_DIR, REPO_ROOT, raw_dir
from .validation import CorpusError, validate_corpus

DEFAULT_LANG = "nl"
WORK_DIR = REPO_ROOT / ".reproduce"
KERNEL = "python3"
# How nbclient ends a kernel whose cells have all run: "immediate" kills it at once. The default, "graceful",
# asks the kernel to exit and, now and then, waits 2.5 s for an answer that does not come before killing it
# anyway (seen as "Kernel is taking too long to finish, terminating"; 1 in 10 runs here). Nothing is lost:
# every output is written, and files closed, by the cells themselves.
SHUTDOWN = "immediate"
JOURNAL = WORK_DIR / "commit.json"
STAGE = WORK_DIR / "stage"
FAULT_ENV = "PEERLEARN_FAULT"
DURATIONS = WORK_DIR / "durations.json"  # seconds per notebook in the last successful run
CACHE_DIR = WORK_DIR / "cache"  # one entry per notebook and destination (peerlearn.cache)
LOCK = WORK_DIR / "lock"  # held by a running `peerlearn reproduce` (and briefly by recover())


class Busy(Exception):
    """Another ``peerlearn reproduce`` is running in this repository."""


@contextlib.contextmanager
def _exclusive():
    """Hold .reproduce/lock for the block, or raise :class:`Busy` at once when another process holds it.

    A POSIX record lock (``lockf``): it belongs to this process alone (worker processes forked from it do not
    share it) and the system drops it when the process ends, so a killed run never leaves a stale lock.
    (No locking where ``fcntl`` does not exist, i.e. on Windows.)"""
    try:
        import fcntl
    except ImportError:
        yield
        return
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCK, "a+b") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EACCES, errno.EAGAIN):
                raise Busy from None
            raise
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)


def notebooks() -> list[Path]:
    """The analysis notebooks in reading order (notebooks/NN_*.ipynb)."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def destination(lang: str, data_dir) -> Path:
    """The committed tree for the committed corpus in Dutch; else the corpus's own build folder per language
    (build/<lang>/, or build/corpora/<name>-<hash>/<lang>/ for another corpus: see :func:`peerlearn.output.destination`)."""
    return output.destination(lang, data_dir, DEFAULT_LANG)


def clean_notebook(path: Path) -> None:
    """Remove what changes from run to run or between Python versions: papermill metadata, timings, the injected
    cell's random id, the interpreter's version."""
    from .lean_imports import skip_iri_grammar

    skip_iri_grammar()
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    nb.metadata.get("language_info", {}).pop("version", None)  # the Python version: the same outputs on 3.11-3.13
    for cell in nb.cells:
        for key in ("papermill", "execution", "ExecuteTime"):
            cell.metadata.pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    text = nbformat.writes(nb) + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))


def _files(folder: Path) -> list[Path]:
    """The files under ``folder``, sorted, without hidden ones (temporary files are hidden: see atomic_write_bytes)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _move_into_place(stage: Path, dest: Path) -> int:
    """Move the staged files that differ into ``dest`` as one crash-safe commit; returns how many moved.

    The list of moves is first written atomically to the journal (.reproduce/commit.json), then the
    files are renamed one by one, then the journal is deleted. Every rename is atomic, so each file
    is always its whole old or whole new self; if the process dies midway, the next ``peerlearn``
    command finds the journal and finishes the moves (:func:`recover`), so the tree ends all new.
    Before the journal exists nothing in ``dest`` has changed and a new run starts from scratch.
    """
    moves = []
    for src in _files(stage):
        target = dest / src.relative_to(stage)
        if not (target.is_file() and target.read_bytes() == src.read_bytes()):
            moves.append([src.relative_to(REPO_ROOT).as_posix(), target.relative_to(REPO_ROOT).as_posix()])
    entry = {"stage": stage.relative_to(REPO_ROOT).as_posix(), "dest": dest.relative_to(REPO_ROOT).as_posix(),
             "moves": moves}
    check_journal(entry, STAGE)  # what recovery would accept, so a valid run never leaves a journal it refuses
    atomic_write_bytes(JOURNAL, json.dumps(entry, indent=1).encode("utf-8"))
    _fault("journal")
    _roll_forward()
    return len(moves)


def _roll_forward() -> int:
    """Finish the commit the journal describes (idempotent: a file already moved is skipped). Raises
    :class:`JournalError` (before touching anything) when the journal is not valid."""
    try:
        entry = json.loads(JOURNAL.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise JournalError(f"not JSON ({e})") from None
    stage, dest, moves = check_journal(entry, STAGE)
    done = 0
    for i, (src, target) in enumerate(moves, 1):
        if src.is_file():  # not moved yet; once moved, only its target holds the new bytes
            output.move_into_place(src, target, committed=dest == REPO_ROOT)
            done += 1
        _fault(f"move:{i}")
    _fault("moved")
    JOURNAL.unlink()
    output.fsync_folder(WORK_DIR)
    shutil.rmtree(stage, ignore_errors=True)
    return done


def recover(err=sys.stderr) -> bool:
    """Finish a commit that an interrupted ``peerlearn reproduce`` left half done; True when there was one.

    Called at the start of every ``peerlearn`` command. Prints one line when it acts. Leaves the journal alone
    while a ``peerlearn reproduce`` is running: that run is busy with its own commit."""
    if not JOURNAL.is_file():
        return False
    try:
        with _exclusive():
            return _recover(err)
    except Busy:
        return False


def _recover(err) -> bool:
    if not JOURNAL.is_file():  # finished by the run that held the lock
        return False
    try:
        done = _roll_forward()
    except JournalError as e:  # a journal edited or damaged by hand: nothing was touched
        print(f"peerlearn: refusing to act on {os.path.relpath(JOURNAL)}, which is not a journal `peerlearn reproduce` "
              f"writes ({e}); nothing was moved. Delete it and run `peerlearn reproduce` to rebuild the outputs",
              file=err)
        return False
    except OSError as e:
        print(f"peerlearn: cannot finish the interrupted commit in {os.path.relpath(JOURNAL)} ({e}); "
              f"run `peerlearn reproduce` to rebuild the outputs", file=err)
        return False
    print(f"peerlearn: finished the interrupted commit of an earlier `peerlearn reproduce` "
          f"({done} file(s) moved into place)", file=err)
    return True


def _fault(point: str) -> None:
    """Test-only fault injection: SIGKILL this process when $PEERLEARN_FAULT names ``point``.

    Points: ``stage`` (all notebooks staged, no journal yet), ``journal`` (journal written, nothing
    moved), ``move:N`` (after the N-th move), ``moved`` (all moved, journal not yet deleted).
    Used by tests/test_reliability.py; unset in normal use.
    """
    if os.environ.get(FAULT_ENV) == point:
        sys.stdout.flush()
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def default_jobs(n_notebooks: int) -> int:
    """How many notebooks run at once: one per available core, at most one per notebook."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, n_notebooks))


def run_notebook(book: Path, executed: Path, parameters: dict) -> None:
    """Execute ``book`` headless into ``executed`` as every peerlearn command does (papermill, the project's kernel,
    cwd notebooks/, the kernel ended as soon as its cells have run) and strip the run's noise from it
    (:func:`clean_notebook`). Raises papermill's errors (PapermillExecutionError for a failing cell)."""
    from .lean_imports import skip_iri_grammar

    skip_iri_grammar()  # already done where workers are forked; needed where they are spawned
    import papermill as pm

    from .processes import kernel_manager_class

    pm.execute_notebook(str(book), str(executed), parameters=parameters, kernel_name=KERNEL,
                        cwd=str(NOTEBOOKS_DIR), progress_bar=False, log_output=False,
                        request_save_on_cell_execute=False, shutdown_kernel=SHUTDOWN,
                        kernel_manager_class=kernel_manager_class())
    clean_notebook(executed)


@contextlib.contextmanager
def notebook_environment(output_root: Path, kernel_log: Path, data_dir: str | None = None):
    """For the block: notebooks write their outputs under ``output_root`` ($PEERLEARN_OUTPUT_DIR) and read the
    corpus from ``data_dir`` when given ($PEERLEARN_DATA_DIR); kernels, which inherit file descriptor 2, write
    their start-up warnings to ``kernel_log`` instead of the terminal. Everything is restored afterwards."""
    values = {OUTPUT_DIR_ENV: str(Path(output_root).resolve()),  # absolute: kernels run in notebooks/
              "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # keeps debugpy's frozen-modules warning out of outputs
              DATA_DIR_ENV: None if data_dir is None else str(Path(data_dir).resolve())}  # None: unset
    before = {k: os.environ.get(k) for k in values}
    kernel_log.parent.mkdir(parents=True, exist_ok=True)
    with open(kernel_log, "w", encoding="utf-8") as log:
        sys.stderr.flush()
        saved_stderr = os.dup(2)
        os.dup2(log.fileno(), 2)
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
            for k, v in before.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def _execute_one(book: Path, executed: Path, parameters: dict, books: list[Path], page_lang: str | None = None,
                 record: Path | None = None):
    """:func:`run_notebook` in a worker process; then, when ``page_lang`` is given, render the notebook's site page
    (see :func:`peerlearn.site.render_page`; ``books``: all notebooks). With ``record``, the kernel notes what it
    reads and writes under that path prefix (:mod:`peerlearn.record`).

    Returns (seconds for the notebook, failure description or None, whether the failure happened inside a cell,
    (navigation, page HTML) or None)."""
    from .lean_imports import skip_iri_grammar

    skip_iri_grammar()
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    before = os.environ.get(RECORD_ENV)
    if record is not None:
        os.environ[RECORD_ENV] = str(record)  # the kernel inherits it
    try:
        run_notebook(book, executed, parameters)
    except PapermillExecutionError as e:
        return (time.perf_counter() - t0,
                f"in cell {e.cell_index + 1} (execution count {e.exec_count}) ({e.ename}: {e.evalue})", True, None)
    except Exception as e:  # unreadable notebook, kernel that does not start, ...
        first = str(e).splitlines()[0] if str(e) else ""
        return time.perf_counter() - t0, f"({type(e).__name__}: {first})", False, None
    finally:
        if before is None:
            os.environ.pop(RECORD_ENV, None)
        else:
            os.environ[RECORD_ENV] = before
    took = time.perf_counter() - t0
    page = None
    if page_lang is not None:
        from .site import render_page

        try:
            page = render_page(executed, page_lang, books)
        except Exception:  # the site build after the commit renders this page again and reports what is wrong
            page = None
    return took, None, False, page


def _pool(jobs: int):
    """A pool of ``jobs`` worker processes (forked where possible: they inherit the imports and file descriptor 2)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .processes import worker_init

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                               initializer=worker_init, initargs=(os.getpid(),))  # workers die with the run


def execute_notebooks(books: list[Path], stage: Path, parameters: dict, out=sys.stdout, jobs: int | None = None,
                      pages: dict | None = None, page_lang: str = DEFAULT_LANG, site_books: list[Path] | None = None,
                      record_dir: Path | None = None) -> str | None:
    """Execute ``books`` into ``stage``/notebooks, ``jobs`` at a time in separate processes (papermill is not
    thread-safe), printing one progress line per notebook in notebook order.

    Returns None when all succeeded, else the message for the first failing notebook in order; its
    executed copy is kept in .reproduce/failed/. Notebooks after it that have not started are not run.
    With ``pages`` (a dict), each worker also renders the site page of the notebook it has just run, in
    ``page_lang``, into ``pages[stem]``: the pages are then ready when the last notebook ends (``site_books``: the
    site's notebooks, default ``books``). With ``record_dir``, each kernel notes what it reads and writes under
    ``record_dir/<stem>`` (:mod:`peerlearn.record`)."""
    from .lean_imports import skip_iri_grammar

    skip_iri_grammar()
    import papermill  # noqa: F401  (imported once here, so forked workers inherit it)
    if pages is not None and page_lang is not None:
        from .site import prepare

        prepare(page_lang)  # likewise: one page exporter, made here, shared by the forked workers

    jobs = default_jobs(len(books)) if jobs is None else max(1, min(jobs, len(books)))
    page_lang = page_lang if pages is not None else None
    site_books = books if site_books is None else site_books
    record = (lambda b: None) if record_dir is None else (lambda b: record_dir / b.stem)
    seconds: dict[str, float] = {}
    if jobs == 1:  # in this process: no pool to start
        results = (_execute_one(b, stage / "notebooks" / b.name, parameters, site_books, page_lang, record(b))
                   for b in books)
        failure = _report(books, stage, results, out, seconds, pages)
    else:
        with _pool(jobs) as pool:
            # Longest first (by the last run's times), so that the slowest notebook does not start last.
            futures = {b: pool.submit(_execute_one, b, stage / "notebooks" / b.name, parameters, site_books, page_lang,
                                      record(b)) for b in _longest_first(books)}
            try:
                failure = _report(books, stage, (_result(futures[b]) for b in books), out, seconds, pages)
            finally:
                for f in futures.values():
                    f.cancel()
    if failure is None:
        _save_durations(seconds)
    return failure


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
        failed = WORK_DIR / "failed" / book.name
        if executed.exists():
            atomic_write_bytes(failed, executed.read_bytes())
        return (f"peerlearn reproduce: {book.name} failed {problem}; executed copy kept at {os.path.relpath(failed)}; "
                f"earlier outputs left in place")
    return None

def run(lang: str = DEFAULT_LANG, data_dir=None, out=sys.stdout, err=sys.stderr, jobs: int | None = None,
        force: bool = False) -> int:
    """Validate the corpus and execute every notebook whose inputs or outputs changed since its last run
    (``force``: every notebook; see :mod:`peerlearn.cache`), ``jobs`` at a time (default: one per core);
    returns the exit code (0 ok, 1 failure)."""
    if lang not in LANGS:
        print(f"peerlearn reproduce: unknown language {lang!r}; expected one of {', '.join(LANGS)}", file=err)
        return 2
    try:
        with _exclusive():
            return _run(lang, data_dir, out, err, jobs, force)
    except Busy:
        print(f"peerlearn reproduce: another `peerlearn reproduce` is running in {REPO_ROOT} (it holds "
              f"{os.path.relpath(LOCK)}); nothing was run. Wait for it to finish and run again.", file=err)
        return 1


def not_written(dest: Path, produced: set[Path]) -> list[Path]:
    """Files in ``dest``'s figures/ and data/processed/ that are not among ``produced`` (paths relative to
    ``dest`` that a run wrote): outputs of an item that no longer exists, or files put there by hand. They are
    reported, never deleted (they may be somebody's own)."""
    return sorted(p for folder in (figures_dir(dest), processed_dir(dest)) for p in _files(folder)
                  if p.relative_to(dest) not in produced)


def _run(lang: str, data_dir, out, err, jobs, force: bool) -> int:
    """:func:`run`, with the lock held."""
    _recover(err)  # before the stage is cleared: a journal's moves come from it
    data_dir = output.corpus_in_use(data_dir)  # None: the committed corpus (also when named by its path)
    started = time.perf_counter()
    books = notebooks()
    parameters = {}
    if lang != DEFAULT_LANG:
        parameters["lang"] = lang
    if data_dir is not None:
        parameters["data_dir"] = data_dir
    dest = destination(lang, data_dir)
    site = output.site_dir(lang, data_dir)
    plan = cache.plan(books, CACHE_DIR, dest, raw_dir(data_dir), lang, parameters, force)
    if not any(p.why for p in plan.values()) and cache.site_intact(CACHE_DIR, dest, site, plan):
        _summary(plan, out)  # nothing to run, commit or render: the outputs and the site are as the entries say
        print(f"reproduced {len(books)} notebooks in {time.perf_counter() - started:.1f} s (0 executed, "
              f"{len(books)} reused); nothing changed", file=out)
        _print_saved_review(dest, out)
        _stray(dest, {Path(n) for p in plan.values() for n in p.entry["outputs"]}, err)
        return 0
    try:
        counts = validate_corpus(data_dir)
    except CorpusError as e:
        e.report(f"peerlearn reproduce: the corpus has {len(e.problems)} problem(s); nothing was run", err)
        return 1
    stage = STAGE
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "notebooks").mkdir(parents=True)
    pages: dict = {}  # site pages: cached ones, and those rendered by the workers as each notebook ends
    cache.reuse_all(plan, CACHE_DIR, dest, stage, pages)
    to_run = [b for b in books if plan[b].why]
    record_dir = WORK_DIR / "record"
    shutil.rmtree(record_dir, ignore_errors=True)
    record_dir.mkdir(parents=True)
    if to_run:
        for book in to_run:
            cache.forget(CACHE_DIR, dest, book)
        with notebook_environment(stage, WORK_DIR / "kernels.log", data_dir):
            failure = execute_notebooks(to_run, stage, parameters, out=out, jobs=jobs, pages=pages, page_lang=lang,
                                        site_books=books, record_dir=record_dir)
        if failure:
            print(failure, file=err)
            return 1
    _fault("stage")
    produced = {p.relative_to(stage) for p in _files(stage)}
    changed = _move_into_place(stage, dest)
    shutil.rmtree(stage, ignore_errors=True)
    for book in to_run:
        cache.save(CACHE_DIR, dest, book, plan[book], record_dir / book.stem, stage, pages.get(book.stem))
    where = "." if dest == REPO_ROOT else os.path.relpath(dest)
    _summary(plan, out)
    print(f"reproduced {len(books)} notebooks in {time.perf_counter() - started:.1f} s ({len(to_run)} executed, "
          f"{len(books) - len(to_run)} reused); {changed} file(s) changed under {where}", file=out)
    _review(dest, counts, out)
    _stray(dest, produced, err)
    from .site import run as build_site  # the browsable report, from the outputs just put in place

    code = build_site(lang, source=dest, out=site, stdout=out, stderr=err, rendered=pages, data_dir=data_dir)
    if code == 0:
        cache.save_site(CACHE_DIR, dest, site, plan)
    return code


def _review_file(dest: Path) -> Path:
    return CACHE_DIR / f"review-{hashlib.sha256(str(dest).encode('utf-8')).hexdigest()[:16]}.txt"


def _review(dest: Path, counts: dict, out) -> None:
    """What a reviewer can quote: the corpus validated and the audit's headline, from the ledger just written
    (data/processed/audit_ledger.csv under ``dest``). Kept under .reproduce/cache/ for a run that finds nothing
    changed."""
    import pandas as pd

    from .audit import FIGURE_TABLES, INCONSISTENT, STATUSES, numbers

    lines = [f"corpus validated: {len(counts)} tables, {sum(counts.values())} rows"]
    ledger = processed_dir(dest) / "audit_ledger.csv"
    if ledger.is_file():
        per = numbers(pd.read_csv(ledger, dtype=str, keep_default_na=False))
        figures = per["table"].isin(FIGURE_TABLES)
        n = per.loc[~figures, "status"].value_counts().reindex(list(STATUSES), fill_value=0)
        lines.append(f"audit: {int((~figures).sum())} printed numbers re-derived: {n['consistent']} confirmed, "
                     f"{n['inconsistent']} flagged, {n['not_derivable']} not derivable; {int(figures.sum())} numbers "
                     f"drawn in figures, {int((per.loc[figures, 'status'] == INCONSISTENT).sum())} differ from their "
                     f"tables (`peerlearn audit` lists the findings)")
    text = "\n".join(lines)
    print(text, file=out)
    try:
        atomic_write_bytes(_review_file(dest), (text + "\n").encode("utf-8"))
    except OSError:
        pass  # only a convenience for the next run


def _print_saved_review(dest: Path, out) -> None:
    try:
        print(_review_file(dest).read_text(encoding="utf-8").rstrip("\n") + " (as validated and audited by the last "
              "run; nothing has changed since)", file=out)
    except OSError:
        pass


def _summary(plan: dict, out) -> None:
    """One line per notebook: executed, and why, or reused."""
    for book, p in plan.items():
        print(f"{book.name}: " + (f"executed ({p.why})" if p.why else "reused (nothing it depends on changed)"), file=out)


def _stray(dest: Path, produced: set[Path], err) -> None:
    for path in not_written(dest, produced):
        print(f"peerlearn reproduce: {os.path.relpath(path)} was not written by this run (no notebook makes it "
              f"any more?); left in place: delete it if it is an old output", file=err)
