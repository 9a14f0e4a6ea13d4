"""Fuzz: random edits of ``datapackage.json`` never cause a traceback.

A hypothesis strategy picks any node of the real descriptor and deletes it, replaces it with a random JSON value,
or wraps it in a list. Validation then either accepts the package (and every table loads) or refuses it with
one-line problems; the command line exits 0 or 1 without a traceback and data/raw is unchanged. Fixed, small
example budgets keep CI fast and repeatable.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import peerlearn as pl
from budgets import fuzz
from peerlearn.paths import RAW_DIR, REPO_ROOT
from reliability import raw_checksums, run_peerlearn

ORIGINAL = json.loads((RAW_DIR / "datapackage.json").read_text(encoding="utf-8"))


def _paths(node, path=()):
    """Every path (tuple of keys and indexes) to a node of the descriptor, the root aside."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield path + (key,)
        yield from _paths(child, path + (key,))


PATHS = list(_paths(ORIGINAL))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def mutated_descriptors(draw):
    d = copy.deepcopy(ORIGINAL)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent = d
        try:
            for key in path[:-1]:
                parent = parent[key]
            current = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed or replaced this node
        op = draw(st.sampled_from(["delete", "replace", "wrap"]))
        if op == "delete":
            del parent[path[-1]]
        elif op == "replace":
            parent[path[-1]] = draw(JSON_VALUES)
        else:
            parent[path[-1]] = [current]
    return d


def _corpus_with(descriptor) -> Path:
    corpus = Path(shutil.copytree(RAW_DIR, Path(tempfile.mkdtemp()) / "raw"))
    (corpus / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return corpus


@fuzz(60)
@pytest.mark.slow  # a fuzz run
@given(mutated_descriptors())
def test_mutated_descriptor_is_accepted_and_loads_or_refused_in_one_line(descriptor):
    corpus = _corpus_with(descriptor)
    before = raw_checksums(REPO_ROOT)
    try:
        try:
            pl.validate_corpus(corpus)
        except pl.CorpusError as e:
            assert e.problems and all("\n" not in str(p) for p in e.problems)
            if any(p.file.endswith("datapackage.json") for p in e.problems):
                assert len(e.problems) == 1  # the descriptor's first problem alone, never its consequences
            return
        for name in pl.TABLES:
            pl.load_table(name, corpus)
    finally:
        shutil.rmtree(corpus.parent)
        assert raw_checksums(REPO_ROOT) == before


@pytest.mark.slow
@fuzz(12)
@given(mutated_descriptors(), st.sampled_from(["validate", "audit", "export"]))
def test_cli_never_shows_a_traceback_for_a_mutated_descriptor(descriptor, command):
    corpus = _corpus_with(descriptor)
    try:
        extra = ["--format", "csljson", "--output", str(corpus.parent / "out.json")] if command == "export" else []
        result = run_peerlearn(REPO_ROOT, command, *extra, "--data-dir", str(corpus))  # checks data/raw is unchanged
        assert "Traceback" not in result.stdout + result.stderr
        assert result.returncode in (0, 1), result.stderr
        if result.returncode == 1:
            lines = result.stderr.strip().splitlines()
            assert lines and all(line.startswith(("..", "/", "peerlearn ")) or "csv" in line for line in lines), lines
            json_lines = [line for line in lines if "datapackage.json" in line]
            assert len(json_lines) <= 1
    finally:
        shutil.rmtree(corpus.parent)
