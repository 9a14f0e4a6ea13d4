"""Benchmark: the fast test loop, on every core and in one process, side by side.

    python benchmarks/fast_loop.py [--runs N]

Runs ``pytest -m "not slow"`` N times each way, alternating so that other load on the machine falls on both alike:
with the project's settings (pytest-xdist, ``-n auto``: one worker per core) and with ``-n 0`` (every test in the
pytest process). One warm-up run of each is not counted. Prints wall and CPU seconds (user + system of pytest and
its workers) as the median (min, max), the ratio of the two, the load average before and after, and issue 13's goal
(the fast loop under 30 s) beside the figures. The tests write nothing into the repository, so it runs in place.
Speed is measured here, never in tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 30.0  # issue 13: `pytest -m "not slow"` takes under 30 s
WAYS = {"every core (-n auto)": ["-n", "auto"], "one process (-n 0)": ["-n", "0"]}


def run_once(extra: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fast loop; exits with pytest's status when a test fails."""
    command = [sys.executable, "-m", "pytest", "-m", "not slow", "-q", "-p", "no:cacheprovider", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"fast_loop: {' '.join(command[2:])} failed (status {done.returncode}):\n{done.stdout[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def spread(xs: list[float]) -> str:
    return f"{statistics.median(xs):6.1f} s ({min(xs):.1f}-{max(xs):.1f})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="counted runs of each way (default 3)")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error(f"--runs {args.runs}: expected 1 or more")
    load_before = os.getloadavg()[0]
    walls: dict[str, list[float]] = {way: [] for way in WAYS}
    cpus: dict[str, list[float]] = {way: [] for way in WAYS}
    for i in range(args.runs + 1):
        for way, extra in WAYS.items():
            wall, cpu = run_once(extra)
            if i:  # the first round warms caches (fonts, bytecode) and is not counted
                walls[way].append(wall)
                cpus[way].append(cpu)
    print(f"fast loop, {args.runs} runs each; {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    print(f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    for way in WAYS:
        print(f"  {way:22} wall {spread(walls[way])}   cpu {spread(cpus[way])}")
    parallel, serial = (statistics.median(walls[way]) for way in WAYS)
    print(f"  one process / every core: {serial / parallel:.2f}x")
    for way in WAYS:
        met = statistics.median(walls[way]) < GOAL
        print(f"goal: fast loop under {GOAL:.0f} s, {way}: {'met' if met else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
