"""The benchmark's synthetic corpora, and the load cache the benchmark relies on. No timings here:
speed is measured by benchmarks/bench.py and benchmarks/scaling.py, never asserted in tests."""

from __future__ import annotations

import importlib.util
import json

import pytest

import peerlearn as pl
from peerlearn.paths import REPO_ROOT


def _make_synthetic():
    spec = importlib.util.spec_from_file_location("make_synthetic", REPO_ROOT / "benchmarks" / "make_synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_corpus_validates_grows_and_is_labelled_synthetic(tmp_path):
    out = _make_synthetic().make(10, tmp_path / "x10")
    counts = pl.validate_corpus(out)
    real = pl.validate_corpus()
    for name in ("studies", "citations", "factors", "pathways", "countries", "checklist"):
        assert counts[name] == 10 * real[name], name
    assert counts["selection_flow"] == real["selection_flow"]  # fixed by design, not scaled
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["title"].startswith("SYNTHETIC") and package["synthetic"]["scale"] == 10
    assert (out / "SYNTHETIC.md").read_text(encoding="utf-8").startswith("# SYNTHETIC DATA")
    studies = pl.load_studies(out)
    assert studies["title"].dropna().str.startswith("Synthetic study").all()
    assert len(pl.load_codebook(out).vocabulary("domain").codes) == 10 * len(
        pl.load_codebook().vocabulary("domain").codes
    )


def test_synthetic_corpus_is_the_same_for_the_same_seed(tmp_path):
    make = _make_synthetic().make
    a, b = make(2, tmp_path / "a"), make(2, tmp_path / "b")
    for path in sorted(a.iterdir()):
        assert path.read_bytes() == (b / path.name).read_bytes(), path.name


def test_synthetic_corpus_is_never_written_into_data(tmp_path):
    with pytest.raises(SystemExit, match="refusing to write inside data/"):
        _make_synthetic().make(1, REPO_ROOT / "data" / "synthetic")
    assert not (REPO_ROOT / "data" / "synthetic").exists()


def test_a_changed_file_is_loaded_afresh_even_with_the_same_size(corpus):
    """The per-process load cache must never hand out a stale table."""
    before = pl.load_domain_effects(corpus).set_index("domain").loc["personal", "n_effects"]
    path = corpus / "domain_effects.csv"
    text = path.read_text(encoding="utf-8")
    changed = text.replace(f"personal,{before},", f"personal,{before - 1},")
    assert changed != text and len(changed) == len(text)
    path.write_text(changed, encoding="utf-8")
    assert pl.load_domain_effects(corpus).set_index("domain").loc["personal", "n_effects"] == before - 1


def test_a_cached_table_is_a_copy(corpus):
    first = pl.load_factors(corpus)
    first["n_factors"] = 0
    assert pl.load_factors(corpus)["n_factors"].sum() > 0


def test_the_readme_benchmark_table_is_generated_from_the_record():
    """The numbers in docs/benchmark.md are the recorded run's (benchmarks/results/bench.json), never retyped."""
    spec = importlib.util.spec_from_file_location("bench", REPO_ROOT / "benchmarks" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = json.loads((REPO_ROOT / "benchmarks" / "results" / "bench.json").read_text(encoding="utf-8"))
    readme = (REPO_ROOT / "docs" / "benchmark.md").read_text(encoding="utf-8")
    block = readme[readme.index(bench.README_START) + len(bench.README_START) : readme.index(bench.README_END)]
    assert block.strip() == bench.readme_table(result).strip()
    assert "reproduce, nothing changed" in block
