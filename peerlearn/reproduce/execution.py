"""Execute one notebook headless (papermill, the project's kernel) and strip what changes from run to run.

Executed notebooks lose their timestamps, durations, papermill's run metadata and the interpreter's version, so a
rerun on unchanged data changes no committed byte. Each kernel is a child of the process that runs its notebook
and dies with it (:mod:`peerlearn.reproduce.processes`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from ..output import OUTPUT_DIR_ENV, atomic_write_bytes
from ..paths import DATA_DIR_ENV, NOTEBOOKS_DIR
from ..record import RECORD_ENV

KERNEL = "python3"
# How nbclient ends a kernel whose cells have all run: "immediate" kills it at once. The default, "graceful",
# asks the kernel to exit and, now and then, waits 2.5 s for an answer that does not come before killing it
# anyway (seen as "Kernel is taking too long to finish, terminating"; 1 in 10 runs here). Nothing is lost:
# every output is written, and files closed, by the cells themselves.
SHUTDOWN = "immediate"


def notebooks() -> list[Path]:
    """The analysis notebooks in reading order (notebooks/NN_*.ipynb)."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def clean_notebook(path: Path) -> None:
    """Remove what changes from run to run or between Python versions: papermill metadata, timings, the injected
    cell's random id, the interpreter's version."""
    from ..lean_imports import skip_iri_grammar

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


def run_notebook(book: Path, executed: Path, parameters: dict) -> None:
    """Execute ``book`` headless into ``executed`` as every peerlearn command does (papermill, the project's kernel,
    cwd notebooks/, the kernel ended as soon as its cells have run) and strip the run's noise from it
    (:func:`clean_notebook`). Raises papermill's errors (PapermillExecutionError for a failing cell)."""
    from ..lean_imports import skip_iri_grammar

    skip_iri_grammar()  # already done where workers are forked; needed where they are spawned
    import papermill as pm

    from .processes import kernel_manager_class

    pm.execute_notebook(
        str(book),
        str(executed),
        parameters=parameters,
        kernel_name=KERNEL,
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        shutdown_kernel=SHUTDOWN,
        kernel_manager_class=kernel_manager_class(),
    )
    clean_notebook(executed)


@contextlib.contextmanager
def notebook_environment(output_root: Path, kernel_log: Path, data_dir: str | None = None):
    """For the block: notebooks write their outputs under ``output_root`` ($PEERLEARN_OUTPUT_DIR) and read the
    corpus from ``data_dir`` when given ($PEERLEARN_DATA_DIR); kernels, which inherit file descriptor 2, write
    their start-up warnings to ``kernel_log`` instead of the terminal. Everything is restored afterwards."""
    values = {
        OUTPUT_DIR_ENV: str(Path(output_root).resolve()),  # absolute: kernels run in notebooks/
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # keeps debugpy's frozen-modules warning out of outputs
        DATA_DIR_ENV: None if data_dir is None else str(Path(data_dir).resolve()),
    }  # None: unset
    before = {k: os.environ.get(k) for k in values}
    kernel_log.parent.mkdir(parents=True, exist_ok=True)
    with open(kernel_log, "w", encoding="utf-8") as log:
        sys.stderr.flush()
        saved_stderr = os.dup(2)
        os.dup2(log.fileno(), 2)
        _set(values)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
            _set(before)


def _set(values: dict) -> None:
    """Set each environment variable to its value; None unsets it."""
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def execute_one(
    book: Path,
    executed: Path,
    parameters: dict,
    books: list[Path],
    page_lang: str | None = None,
    record: Path | None = None,
):
    """:func:`run_notebook` in a worker process; then, when ``page_lang`` is given, render the notebook's site page
    (see :func:`peerlearn.site.render_page`; ``books``: all notebooks). With ``record``, the kernel notes what it
    reads and writes under that path prefix (:mod:`peerlearn.record`).

    Returns (seconds for the notebook, failure description or None, whether the failure happened inside a cell,
    (navigation, page HTML) or None)."""
    from ..lean_imports import skip_iri_grammar

    skip_iri_grammar()
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    before = {RECORD_ENV: os.environ.get(RECORD_ENV)}
    if record is not None:
        os.environ[RECORD_ENV] = str(record)  # the kernel inherits it
    try:
        run_notebook(book, executed, parameters)
    except PapermillExecutionError as e:
        return (
            time.perf_counter() - t0,
            f"in cell {e.cell_index + 1} (execution count {e.exec_count}) ({e.ename}: {e.evalue})",
            True,
            None,
        )
    except Exception as e:  # unreadable notebook, kernel that does not start, ...
        first = str(e).splitlines()[0] if str(e) else ""
        return time.perf_counter() - t0, f"({type(e).__name__}: {first})", False, None
    finally:
        _set(before)
    took = time.perf_counter() - t0
    page = None
    if page_lang is not None:
        from ..site import render_page

        try:
            page = render_page(executed, page_lang, books)
        except Exception:  # the site build after the commit renders this page again and reports what is wrong
            page = None
    return took, None, False, page
