"""The shape of the package: the layers of [tool.importlinter] hold, the import graph has no cycle, modules stay short.

Imports inside functions count everywhere here (grimp reads every import statement of a module): a lazy upward
import is still upward, and a lazy import can close a cycle.
"""

from __future__ import annotations

import ast
import itertools

import grimp
import networkx as nx
import pytest
from importlinter.cli import lint_imports

from peerlearn.paths import REPO_ROOT

PACKAGE = "peerlearn"
MAX_LINES = 400  # docs/architecture.md: one job per module, no module over about 400 lines


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(PACKAGE, cache_dir=None)


def _line(graph, importer: str, imported: str) -> str:
    """Where ``importer`` imports ``imported`` (module-level or inside a function), for a message."""
    details = graph.get_import_details(importer=importer, imported=imported)
    return ", ".join(f"l.{d['line_number']} {d['line_contents']!r}" for d in details) or "via a submodule"


def _cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """One cycle per strongly connected part of the graph with more than one member (or a self-import)."""
    g = nx.DiGraph(sorted(edges))
    found = []
    for part in sorted(nx.strongly_connected_components(g), key=sorted):
        if len(part) > 1 or any(g.has_edge(m, m) for m in part):
            found.append([a for a, _ in nx.find_cycle(g.subgraph(part), source=min(part))])
    return found


def _describe(graph, cycle: list[str], lines: bool = True) -> str:
    steps = [*cycle, cycle[0]]
    text = " -> ".join(steps)
    if lines:
        text += "".join(f"\n    {a} -> {b}: {_line(graph, a, b)}" for a, b in itertools.pairwise(steps))
    return text


def test_the_layer_contracts_hold(capsys):
    """lint-imports over pyproject.toml's [tool.importlinter] (exhaustive: every module has a layer)."""
    code = lint_imports(config_filename=str(REPO_ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert code == 0, out[out.find("Broken contracts") :] or out


def test_lazy_imports_are_in_the_graph(graph):
    """The graph holds the imports made inside functions: cli imports most commands only when they run."""
    tree = ast.parse((REPO_ROOT / "peerlearn" / "cli.py").read_text(encoding="utf-8"))
    lazy = {
        f"{PACKAGE}.{node.module}"
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(fn)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
    }
    assert lazy, "cli imports nothing inside a function any more: check another module here"
    assert lazy <= graph.find_modules_directly_imported_by(f"{PACKAGE}.cli")


def test_no_import_cycle_between_modules(graph):
    edges = {(m, i) for m in graph.modules for i in graph.find_modules_directly_imported_by(m)}
    cycles = _cycles(edges)
    assert not cycles, "import cycles:\n" + "\n".join(_describe(graph, c) for c in cycles)


def test_no_import_cycle_between_top_level_modules(graph):
    """Packages count as one: peerlearn.audit.rules -> peerlearn.figures -> peerlearn.audit.ledger is a cycle."""

    def top(name: str) -> str:
        return ".".join(name.split(".")[:2])

    edges = {
        (top(m), top(i)) for m in graph.modules for i in graph.find_modules_directly_imported_by(m) if top(m) != top(i)
    }
    cycles = _cycles(edges)
    assert not cycles, "import cycles between top-level modules:\n" + "\n".join(
        _describe(graph, c, lines=False) for c in cycles
    )


def test_cycle_finder_names_a_cycle(graph):
    """The check above can fail: a made-up back edge gives a cycle, named in order."""
    assert _cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [["a", "b", "c"]]
    assert _cycles({("a", "b"), ("b", "c")}) == []


def test_no_module_is_over_400_lines():
    lengths = {
        p.relative_to(REPO_ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in sorted((REPO_ROOT / "peerlearn").rglob("*.py"))
    }
    assert lengths, "no modules found"
    long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: " + ", ".join(f"{k} ({v} lines)" for k, v in long.items())
