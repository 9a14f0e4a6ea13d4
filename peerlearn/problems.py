"""What is wrong with the input: :class:`Problem` (file, line, column, value, what was expected) and
:class:`CorpusError`, which carries every problem found."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file. ``line`` is 1-based (the header is line 1)."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        got = f"value {self.value!r}: " if self.value is not None else ""
        return f"{where}: {got}{self.message}"


class CorpusError(Exception):
    """The corpus does not match its codebook. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the corpus:\n{lines}")

    @property
    def files(self) -> set[str]:
        return {p.file for p in self.problems}

    def report(self, summary: str, file=None) -> None:
        """Print one line per problem, then ``summary``: how every command shows an invalid corpus."""
        file = sys.stderr if file is None else file
        for p in self.problems:
            print(p, file=file)
        print(summary, file=file)


def display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
