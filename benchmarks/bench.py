"""Benchmark: how long peerlearn takes, next to the floor of running the same number of empty notebooks.

    python benchmarks/bench.py [--runs N] [--write]

Measures, each in a fresh Python process and as the median (min, max) over N runs:

- ``import peerlearn`` and ``from peerlearn import report; report.setup()`` (what every notebook imports);
- loading and validating the full corpus (``validate_corpus`` + every ``load_*``);
- ``peerlearn reproduce`` end to end (process start to exit), with the default parallelism and with ``--jobs 1``,
  and the time of each notebook in the sequential run;
- CPU seconds of each run (user + system of the process, its workers and kernels: less sensitive to
  other load on the machine than wall time);
- the floor: the same number of notebooks with one empty cell, executed the same way (same kernel, same
  papermill call through ``peerlearn.reproduce.execute_notebooks``, same number of processes), in a process
  that imports the same runner; reported with the same parallelism and sequentially.
- the lower bound the work itself sets: reproduce's CPU time divided by the processes (no schedule of the
  same work on that many cores can end sooner), as a multiple of the floor.

``reproduce`` runs in a temporary copy of the repository (the committed tree is never touched); one warm-up
run is not counted. Timings are wall-clock and depend on what else the machine is doing: the load average
before and after is printed beside them. ``--write`` records the result in benchmarks/results/ (a record of
one machine, not an expectation). Speed is measured here, never in tests.
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
GOAL = 1.5  # issue 6: reproduce within 1.5x the floor

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


def copy_repo(target: Path) -> Path:
    """The files git tracks (as they are in the working tree), copied to ``target``; without git: all but caches."""
    try:
        files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        names = [n for n in files.decode().split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "build", ".reproduce", "__pycache__", ".pytest_cache"}
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                 if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]
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

    def run(self, *args) -> tuple[float, str]:
        """Wall time of ``python *args`` in the copy, and what it printed; ``self.cpu``: the CPU seconds (user +
        system) it and its descendants (workers, kernels) used, which depends less on other load than wall time."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.run([sys.executable, *args], cwd=self.repo, env=self.env, capture_output=True, text=True)
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    ap.add_argument("--write", action="store_true", help="record the result in benchmarks/results/")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from peerlearn.reproduce import default_jobs

    load_before = os.getloadavg()
    started = dt.datetime.now(dt.timezone.utc)
    with tempfile.TemporaryDirectory(prefix="peerlearn-bench-") as tmp:
        repo = copy_repo(Path(tmp) / "repo")
        n_books = len(list((repo / "notebooks").glob("[0-9][0-9]_*.ipynb")))  # what reproduce runs in the copy
        jobs = default_jobs(n_books)
        floor_dir = empty_notebooks(Path(tmp) / "floor", n_books)
        r = Runner(repo)
        where = r.run("-c", "import peerlearn; print(peerlearn.__file__)")[1].strip()
        if not where.startswith(str(repo)):
            sys.exit(f"bench: the copy imports peerlearn from {where}, not from {repo}")
        print(f"peerlearn benchmark: {args.runs} run(s), {n_books} notebooks, {jobs} process(es) "
              f"({os.cpu_count()} cores); load average {load_before[0]:.2f}", flush=True)
        r.run("-m", "peerlearn", "reproduce")  # warm-up: caches, and the notebook times used for scheduling
        m: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        per_book: dict[str, list[float]] = {}

        def timed(key: str, *run_args) -> str:
            took, out = r.run(*run_args)
            m.setdefault(key, []).append(took)
            cpu.setdefault(key, []).append(r.cpu)
            return out

        for i in range(args.runs):
            m.setdefault("import peerlearn", []).append(r.inner(IMPORT))
            m.setdefault("import peerlearn.report + setup()", []).append(r.inner(IMPORT_REPORT))
            m.setdefault("load + validate the corpus", []).append(r.inner(LOAD))
            timed(f"floor, {jobs} processes", "-c", FLOOR, str(floor_dir), str(jobs))
            timed(f"reproduce, {jobs} processes", "-m", "peerlearn", "reproduce")
            timed("floor, sequential", "-c", FLOOR, str(floor_dir), "1")
            out = timed("reproduce, sequential", "-m", "peerlearn", "reproduce", "--jobs", "1")
            for name, secs in re.findall(r"\] (\S+\.ipynb) \.\.\. ok \(([0-9.]+) s\)", out):
                per_book.setdefault(name, []).append(float(secs))
            print(f"  run {i + 1}/{args.runs} done", flush=True)
    load_after = os.getloadavg()
    result = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cores": os.cpu_count(),
                    "processes": jobs, "load_average_before": round(load_before[0], 2),
                    "load_average_after": round(load_after[0], 2)},
        "runs": args.runs,
        "seconds": {k: stats(v) for k, v in m.items()},
        "notebook_seconds_sequential": {k: stats(v) for k, v in per_book.items()},
        "cpu_seconds": {k: stats(v) for k, v in cpu.items()},
    }
    sec = result["seconds"]
    result["ratio_to_floor"] = {
        "parallel": sec[f"reproduce, {jobs} processes"]["median"] / sec[f"floor, {jobs} processes"]["median"],
        "sequential": sec["reproduce, sequential"]["median"] / sec["floor, sequential"]["median"],
        "cpu": result["cpu_seconds"]["reproduce, sequential"]["median"] / result["cpu_seconds"]["floor, sequential"]["median"],
    }
    # No schedule on `jobs` cores can finish faster than the CPU time of the work divided by the cores: the
    # lowest wall time the parallel run could reach, as a multiple of the parallel floor.
    cpu_bound = result["cpu_seconds"][f"reproduce, {jobs} processes"]["median"] / jobs
    result["cpu_lower_bound"] = {"seconds": cpu_bound,
                                 "ratio_to_floor": cpu_bound / sec[f"floor, {jobs} processes"]["median"]}
    text = render(result)
    print(text)
    if args.write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "bench.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        (RESULTS / "bench.md").write_text(
            "# Benchmark result (a record of one machine, not a test expectation)\n\n"
            "Written by `python benchmarks/bench.py --write`.\n\n```\n" + text + "\n```\n", encoding="utf-8")
        print(f"written: {os.path.relpath(RESULTS / 'bench.json')}, {os.path.relpath(RESULTS / 'bench.md')}")
    return 0


def render(result: dict) -> str:
    mc = result["machine"]
    lines = [f"{result['date']}; {mc['platform']}; Python {mc['python']}; {mc['cores']} cores; "
             f"load average {mc['load_average_before']} before, {mc['load_average_after']} after",
             f"medians of {result['runs']} run(s), seconds (min-max)", ""]
    width = max(map(len, [*result["seconds"], *result["notebook_seconds_sequential"]])) + 4
    for k, s in result["seconds"].items():
        lines.append(f"{k:<{width}}{s['median']:8.2f}   ({s['min']:.2f}-{s['max']:.2f})")
    lines.append("each notebook (sequential run):")
    for k, s in result["notebook_seconds_sequential"].items():
        lines.append(f"  {k:<{width - 2}}{s['median']:8.2f}   ({s['min']:.2f}-{s['max']:.2f})")
    lines.append("CPU seconds (user + system, with workers and kernels):")
    for k, s in result["cpu_seconds"].items():
        lines.append(f"  {k:<{width - 2}}{s['median']:8.2f}   ({s['min']:.2f}-{s['max']:.2f})")
    ratio = result["ratio_to_floor"]
    lines += ["", f"reproduce / floor: {ratio['parallel']:.2f}x with {mc['processes']} processes, "
                  f"{ratio['sequential']:.2f}x sequential (goal: within {GOAL}x); "
                  f"CPU time {ratio['cpu']:.2f}x the floor's"]
    bound = result["cpu_lower_bound"]
    lines.append(f"lower bound on {mc['processes']} cores (reproduce's CPU time / cores): {bound['seconds']:.2f} s, "
                 f"{bound['ratio_to_floor']:.2f}x the floor: no scheduling of the same work can do better")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
