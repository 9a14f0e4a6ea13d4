"""Benchmark: how long peerlearn takes, next to the floor of running the same number of empty notebooks.

    python benchmarks/bench.py [--runs N] [--write] [--note TEXT]

Measures side by side, each in a fresh Python process and as the median (min, max) over N runs, wall and CPU
seconds (user + system of the process, its workers and kernels: less sensitive to other load than wall time):

- ``import peerlearn`` and ``from peerlearn import report; report.setup()`` (what every notebook imports);
- loading and validating the full corpus (``validate_corpus`` + every ``load_*``);
- ``peerlearn reproduce --force`` (cold: every notebook runs), with the default parallelism and with ``--jobs 1``
  (the time of each notebook from the sequential run);
- ``peerlearn reproduce`` with nothing changed, after editing one notebook (a comment added to a code cell of
  the last notebook), and after changing one corpus table (a note in ``hypothesis_cmo.csv``), each right after a
  cold run; how many notebooks each executed is read from its summary line;
- the floor: the same number of notebooks with one empty cell, executed the same way (same kernel, same
  papermill call through ``peerlearn.reproduce.execute_notebooks``, same number of processes), in a process
  that imports the same runner; reported with the same parallelism and sequentially;
- ``jupyter nbconvert --execute`` of the same notebooks (one command, its default: one after the other) and
  papermill's ``execute_notebook`` on each in turn in one process, both writing their outputs to a scratch folder;
- the ratios to the floor and to nbconvert, and the lower bound the work itself sets: the cold run's CPU time
  divided by the processes (no schedule of the same work on that many cores can end sooner).

Everything runs in a temporary copy of the repository (the committed tree is never touched); one warm-up
run is not counted. The goals of issue 17 are printed beside the figures. Timings are wall-clock and depend on
what else the machine is doing: the load average before and after is printed beside them. ``--write`` records
the result in benchmarks/results/ (a record of one machine, not an expectation). Speed is measured here, never in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
GOAL = 1.5  # issue 17: cold reproduce within 1.5x the floor ...
GOAL_NBCONVERT = 0.5  # ... and within 0.5x nbconvert's wall time
GOAL_NOTHING = 0.5  # seconds for `reproduce` with nothing changed (and no kernel started)
EDITED_TABLE = (
    "data/raw/hypothesis_cmo.csv",
    b"The hypothesis names no context",
    b"The hypothesis names no context (edited)",
)

IMPORT = """
import time; t = time.perf_counter(); import peerlearn; print(time.perf_counter() - t)
"""
IMPORT_REPORT = """
import time; t = time.perf_counter(); import peerlearn; from peerlearn import report; report.setup()
print(time.perf_counter() - t)
"""
LOAD = """
import time, pandas, peerlearn as pl
t = time.perf_counter()
pl.validate_corpus()
for name in pl.TABLES:
    pl.load_table(name)
print(time.perf_counter() - t)
"""
# The floor: what `peerlearn reproduce` does around the notebooks (kernel stderr to a log, output folder in the
# environment), with empty notebooks.
FLOOR = """
import sys
from pathlib import Path
from peerlearn.reproduce import WORK_DIR, execute_notebooks, notebook_environment
books = sorted(Path(sys.argv[1]).glob("*.ipynb"))
stage = WORK_DIR / "floor-stage"
(stage / "notebooks").mkdir(parents=True, exist_ok=True)
with notebook_environment(stage, WORK_DIR / "floor-kernels.log"):
    failure = execute_notebooks(books, stage, {}, jobs=int(sys.argv[2]))
sys.exit(1 if failure else 0)
"""
# Plain papermill, one notebook after the other in one process, outputs to a scratch folder.
PAPERMILL = """
import sys
from pathlib import Path
import papermill as pm
out = Path(sys.argv[1])
for book in sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb")):
    pm.execute_notebook(str(book), str(out / book.name), kernel_name="python3", cwd="notebooks", progress_bar=False)
"""


def copy_repo(target: Path) -> Path:
    """The files git tracks (as they are in the working tree), copied to ``target``; without git: all but caches."""
    try:
        files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        names = [n for n in files.decode().split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "build", ".reproduce", "__pycache__", ".pytest_cache"}
        names = [
            str(p.relative_to(ROOT))
            for p in ROOT.rglob("*")
            if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
        ]
    for name in names:
        src = ROOT / name
        if src.is_file():
            dst = target / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return target


def empty_notebooks(folder: Path, n: int) -> Path:
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, n + 1):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / f"{i:02d}_empty.ipynb")
    return folder


class Runner:
    def __init__(self, repo: Path):
        self.repo = repo
        # none of the caller's PEERLEARN_* settings (output folder, corpus, the tests' fault hook)
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("PEERLEARN_")}, "PYTHONPATH": str(repo)}

    def run(self, *args, env=None) -> tuple[float, str]:
        """Wall time of ``python *args`` in the copy, and what it printed; ``self.cpu``: the CPU seconds (user +
        system) it and its descendants (workers, kernels) used, which depends less on other load than wall time."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.run(
            [sys.executable, *args], cwd=self.repo, env={**self.env, **(env or {})}, capture_output=True, text=True
        )
        took = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if p.returncode:
            sys.exit(f"bench: `python {' '.join(args[:2])}` failed (exit {p.returncode}):\n{p.stdout}{p.stderr}")
        return took, p.stdout

    def inner(self, code: str) -> float:
        """A time the snippet measures itself and prints."""
        return float(self.run("-c", code)[1].split()[-1])


def stats(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "runs": [round(x, 3) for x in xs]}


EXECUTED = re.compile(r"\((\d+) executed, (\d+) reused\)")


def executed(out: str) -> int:
    """How many notebooks a `reproduce` run executed, from its summary line."""
    found = EXECUTED.search(out)
    if not found:
        sys.exit(f"bench: no summary line in the output of reproduce:\n{out}")
    return int(found.group(1))


def edit_notebook(path: Path, i: int) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["source"] = f"# benchmark edit {i}\n" + "".join(cell["source"])
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    ap.add_argument("--write", action="store_true", help="record the result in benchmarks/results/")
    ap.add_argument("--note", default="", help="a remark recorded with the result (e.g. other load on the machine)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from peerlearn.reproduce import default_jobs

    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="peerlearn-bench-") as tmp:
        repo = copy_repo(Path(tmp) / "repo")
        books = sorted((repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))  # what reproduce runs in the copy
        n_books = len(books)
        jobs = default_jobs(n_books)
        floor_dir = empty_notebooks(Path(tmp) / "floor", n_books)
        scratch = Path(tmp) / "scratch"
        r = Runner(repo)
        where = r.run("-c", "import peerlearn; print(peerlearn.__file__)")[1].strip()
        if not where.startswith(str(repo)):
            sys.exit(f"bench: the copy imports peerlearn from {where}, not from {repo}")
        print(
            f"peerlearn benchmark: {args.runs} run(s), {n_books} notebooks, {jobs} process(es) "
            f"({os.cpu_count()} cores); load average {load_before[0]:.2f}",
            flush=True,
        )
        r.run("-m", "peerlearn", "reproduce", "--force")  # warm-up: caches, and the notebook times used for scheduling
        edited_book = books[-1]
        table, old, new = EDITED_TABLE
        table_path = repo / table
        originals = {edited_book: edited_book.read_bytes(), table_path: table_path.read_bytes()}
        if old not in originals[table_path]:
            sys.exit(f"bench: {table} no longer contains {old!r}; choose another edit in EDITED_TABLE")
        m: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        per_book: dict[str, list[float]] = {}
        ran: dict[str, list[int]] = {}
        cold, cold_seq = f"reproduce --force, {jobs} processes", "reproduce --force, sequential"
        floor, floor_seq = f"floor, {jobs} processes", "floor, sequential"

        def timed(key: str, *run_args, env=None) -> str:
            took, out = r.run(*run_args, env=env)
            m.setdefault(key, []).append(took)
            cpu.setdefault(key, []).append(r.cpu)
            return out

        def reproduce(key: str, *extra) -> None:
            ran.setdefault(key, []).append(executed(timed(key, "-m", "peerlearn", "reproduce", *extra)))

        outputs = {"PEERLEARN_OUTPUT_DIR": str(scratch)}
        for i in range(args.runs):
            m.setdefault("import peerlearn", []).append(r.inner(IMPORT))
            m.setdefault("import peerlearn.report + setup()", []).append(r.inner(IMPORT_REPORT))
            m.setdefault("load + validate the corpus", []).append(r.inner(LOAD))
            timed(floor, "-c", FLOOR, str(floor_dir), str(jobs))
            timed(floor_seq, "-c", FLOOR, str(floor_dir), "1")
            reproduce(cold, "--force")
            reproduce("reproduce, nothing changed")
            edit_notebook(edited_book, i)
            reproduce(f"reproduce, {edited_book.stem[:2]} edited")
            table_path.write_bytes(originals[table_path].replace(old, new, 1))
            reproduce(f"reproduce, {Path(table).name} changed")
            for path, data in originals.items():
                path.write_bytes(data)
            out = timed(cold_seq, "-m", "peerlearn", "reproduce", "--force", "--jobs", "1")
            ran.setdefault(cold_seq, []).append(executed(out))
            for name, secs in re.findall(r"\] (\S+\.ipynb) \.\.\. ok \(([0-9.]+) s\)", out):
                per_book.setdefault(name, []).append(float(secs))
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir()
            timed(
                "jupyter nbconvert --execute",
                "-m",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--output-dir",
                str(scratch / "nbconvert"),
                *(str(b.relative_to(repo)) for b in books),
                env=outputs,
            )
            timed("papermill, sequential", "-c", PAPERMILL, str(scratch), env=outputs)
            print(f"  run {i + 1}/{args.runs} done", flush=True)
    load_after = os.getloadavg()
    result = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cores": os.cpu_count(),
            "processes": jobs,
            "load_average_before": round(load_before[0], 2),
            "load_average_after": round(load_after[0], 2),
        },
        "note": args.note,
        "runs": args.runs,
        "notebooks": n_books,
        "seconds": {k: stats(v) for k, v in m.items()},
        "cpu_seconds": {k: stats(v) for k, v in cpu.items()},
        "notebooks_executed": {k: sorted(set(v)) for k, v in ran.items()},
        "notebook_seconds_sequential": {k: stats(v) for k, v in per_book.items()},
    }
    sec, cpus = result["seconds"], result["cpu_seconds"]
    nbconvert = sec["jupyter nbconvert --execute"]["median"]
    result["ratio_to_floor"] = {
        k: sec[k]["median"] / sec[floor if k != cold_seq else floor_seq]["median"]
        for k in sec
        if k.startswith("reproduce")
    }
    result["ratio_to_nbconvert"] = {
        k: sec[k]["median"] / nbconvert for k in sec if k.startswith(("reproduce", "floor", "papermill"))
    }
    # No schedule on `jobs` cores can finish faster than the CPU time of the work divided by the cores: the
    # lowest wall time the cold parallel run could reach, as a multiple of the parallel floor.
    cpu_bound = cpus[cold]["median"] / jobs
    result["cpu_lower_bound"] = {"seconds": cpu_bound, "ratio_to_floor": cpu_bound / sec[floor]["median"]}
    nothing, edited = "reproduce, nothing changed", f"reproduce, {edited_book.stem[:2]} edited"
    result["goals"] = {
        f"nothing changed <= {GOAL_NOTHING} s": sec[nothing]["median"] <= GOAL_NOTHING,
        "nothing changed starts no kernel": result["notebooks_executed"][nothing] == [0],
        "one notebook edited -> only it re-executes": result["notebooks_executed"][edited] == [1],
        f"cold <= {GOAL}x floor": result["ratio_to_floor"][cold] <= GOAL,
        f"cold <= {GOAL_NBCONVERT}x nbconvert": result["ratio_to_nbconvert"][cold] <= GOAL_NBCONVERT,
    }
    text = render(result)
    print(text)
    if args.write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "bench.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        (RESULTS / "bench.md").write_text(
            "# Benchmark result (a record of one machine, not a test expectation)\n\n"
            "Written by `python benchmarks/bench.py --write`.\n\n```\n" + text + "\n```\n",
            encoding="utf-8",
        )
        update_readme(result)
        print(
            f"written: {os.path.relpath(RESULTS / 'bench.json')}, {os.path.relpath(RESULTS / 'bench.md')}, "
            f"the table in docs/benchmark.md"
        )
    return 0


def render(result: dict) -> str:
    mc = result["machine"]
    lines = [
        f"{result['date']}; {mc['platform']}; Python {mc['python']}; {mc['cores']} cores; "
        f"load average {mc['load_average_before']} before, {mc['load_average_after']} after",
        *([f"note: {result['note']}"] if result.get("note") else []),
        f"medians of {result['runs']} run(s), seconds (min-max); {result['notebooks']} notebooks",
        "",
    ]
    width = max(map(len, [*result["seconds"], *result["notebook_seconds_sequential"]])) + 4
    lines.append(
        f"{'':<{width}}{'wall':>8}   {'(min-max)':<13}{'CPU':>8}   {'(min-max)':<13}"
        f"{'/floor':>7}{'/nbconvert':>11}  executed"
    )
    for k, s in result["seconds"].items():
        c = result["cpu_seconds"].get(k)
        cpu = f"{c['median']:8.2f}   ({c['min']:.2f}-{c['max']:.2f})".ljust(24) if c else " " * 24
        spread = f"({s['min']:.2f}-{s['max']:.2f})"
        floor = result["ratio_to_floor"].get(k)
        nbc = result["ratio_to_nbconvert"].get(k)
        ran = result["notebooks_executed"].get(k)
        lines.append(
            f"{k:<{width}}{s['median']:8.2f}   {spread:<13}{cpu}"
            f"{'' if floor is None else f'{floor:6.2f}x':>7}{'' if nbc is None else f'{nbc:9.2f}x':>11}"
            f"  {'' if ran is None else '/'.join(map(str, ran))}".rstrip()
        )
    lines.append("each notebook (sequential cold run):")
    for k, s in result["notebook_seconds_sequential"].items():
        lines.append(f"  {k:<{width - 2}}{s['median']:8.2f}   ({s['min']:.2f}-{s['max']:.2f})")
    bound = result["cpu_lower_bound"]
    lines += [
        "",
        f"lower bound of the cold run on {mc['processes']} cores (its CPU time / cores): "
        f"{bound['seconds']:.2f} s, {bound['ratio_to_floor']:.2f}x the floor: no scheduling of the same "
        f"work can do better",
        "goals (issue 17):",
    ]
    lines += [f"  {'met    ' if ok else 'NOT met'}  {goal}" for goal, ok in result["goals"].items()]
    return "\n".join(lines)


README = ROOT / "docs" / "benchmark.md"  # the page with the table (it left the README in issue 13)
# Markdown link reference definitions: valid CommonMark that renders as nothing (no raw HTML on the site)
README_START, README_END = "[bench.py: start]: #", "[bench.py: end]: #"


def readme_table(result: dict) -> str:
    """The benchmark table of docs/benchmark.md, generated from a recorded result (tests/test_benchmarks.py keeps
    them equal)."""
    mc, sec, cpus = result["machine"], result["seconds"], result["cpu_seconds"]
    rows = [
        f"Latest numbers ({result['date']}; {mc['cores']} cores, Python {mc['python']}, load average "
        f"{mc['load_average_before']} before and {mc['load_average_after']} after"
        + (f"; {result['note']}" if result.get("note") else "")
        + f"; medians of {result['runs']} runs; "
        f"full record in `benchmarks/results/bench.md`):",
        "",
        "| measure | wall s (min-max) | CPU s | / floor | / nbconvert | notebooks executed |",
        "|---|---|---|---|---|---|",
    ]
    for k, s in sec.items():
        if k not in cpus:
            continue
        floor, nbc = result["ratio_to_floor"].get(k), result["ratio_to_nbconvert"].get(k)
        ran = result["notebooks_executed"].get(k)
        rows.append(
            f"| {k} | {s['median']:.2f} ({s['min']:.2f}-{s['max']:.2f}) | {cpus[k]['median']:.2f} | "
            f"{'' if floor is None else f'{floor:.2f}x'} | {'' if nbc is None else f'{nbc:.2f}x'} | "
            f"{'' if ran is None else '/'.join(map(str, ran))} |"
        )
    bound = result["cpu_lower_bound"]
    rows += [
        "",
        f"Lower bound of the cold run on {mc['processes']} cores (its CPU time / cores): {bound['seconds']:.2f} s, "
        f"{bound['ratio_to_floor']:.2f}x the floor. Goals: "
        + "; ".join(f"{goal}: {'met' if ok else '**not met**'}" for goal, ok in result["goals"].items())
        + ".",
    ]
    return "\n".join(rows)


def update_readme(result: dict) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    README.write_text(text[:start] + "\n" + readme_table(result) + "\n\n" + text[end:], encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
