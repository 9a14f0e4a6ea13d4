"""Committed outputs equal a fresh build: processed tables and figures (nbval cannot compare images)."""

from __future__ import annotations

import nbformat
import pytest

import peerlearn as pl
from peerlearn import report
from peerlearn.graph import DOMAIN_POSITIONS, pathway_graph
from peerlearn.paths import FIGURES_DIR, NOTEBOOKS_DIR, PROCESSED_DIR, REPO_ROOT
from peerlearn.reproduce import clean_notebook, notebooks
from report_items import FIGURES, TABLES


@pytest.mark.parametrize("item", TABLES, ids=lambda i: i.id)
def test_processed_table_matches_a_fresh_build(item, out_dir):
    report.table(item.id)
    fresh = (out_dir / "data" / "processed" / f"{item.id}.csv").read_bytes()
    assert fresh == (PROCESSED_DIR / f"{item.id}.csv").read_bytes(), (
        f"run `peerlearn reproduce` after changing {item.id}"
    )


@pytest.mark.slow  # redraws every committed figure, like nbval re-runs every notebook
@pytest.mark.parametrize("item", FIGURES, ids=lambda i: i.id)
def test_figure_bytes_match_a_fresh_build(item, out_dir):
    import matplotlib.pyplot as plt

    plt.close(report.figure(item.id, "nl"))
    for fmt in ("svg", "png"):
        fresh = (out_dir / "figures" / f"{item.id}_nl.{fmt}").read_bytes()
        assert fresh == (FIGURES_DIR / f"{item.id}_nl.{fmt}").read_bytes(), (
            f"{item.id}_nl.{fmt} differs from a fresh build"
        )


def test_figure_follows_the_data(out_dir, corpus):
    """The byte test above is only worth something if a changed number changes the figure."""
    path = corpus / "pathways.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "external_intervention,enactment,personal,41,20", "external_intervention,enactment,personal,40,20"
        ),
        encoding="utf-8",
    )
    report.figure("figuur_3_doen", "nl", data_dir=corpus)
    svg = (out_dir / "figures" / "figuur_3_doen_nl.svg").read_text(encoding="utf-8")
    assert "40 effecten" in svg and "41 effecten" not in svg


def test_every_notebook_and_output_of_the_registry_exists():
    names = {p.stem for p in notebooks()}
    assert {i.notebook for i in report.ITEMS.values()} == names
    for item in report.ITEMS.values():  # shown: an output of its notebook carries the item (peerlearn.report)
        cells = nbformat.read(NOTEBOOKS_DIR / f"{item.notebook}.ipynb", 4).cells
        shown = [o.get("metadata", {}).get("peerlearn", {}) for c in cells for o in c.get("outputs", [])]
        assert {"item": item.id, "kind": item.kind, "caption": item.title("nl"), "lang": "nl"} in shown, (
            f"{item.notebook} does not show {item.id}"
        )
    assert {p.stem for p in PROCESSED_DIR.glob("*.csv")} == {i.id for i in TABLES}
    assert {p.name for p in FIGURES_DIR.iterdir()} == {f"{i.id}_nl.{fmt}" for i in FIGURES for fmt in ("svg", "png")}


README_TABLE = ("[peerlearn.report: start]: #\n\n", "\n[peerlearn.report: end]: #")


def test_readme_table_of_report_items_is_the_registrys():
    """The README's table of report items is what ``python -m peerlearn.report`` prints, never edited by hand."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(README_TABLE[0]) + len(README_TABLE[0]), readme.index(README_TABLE[1])
    assert readme[start:end] == report.overview(), "regenerate it: python -m peerlearn.report"


def test_overview_has_one_row_per_item_with_its_notebook_and_outputs():
    rows = report.overview().splitlines()[2:]
    assert len(rows) == len(report.ITEMS)
    for row, item in zip(rows, report.ITEMS.values(), strict=True):
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[:2] == [item.title("en"), item.title("nl")] and cells[2] == item.notebook, row
        assert cells[3] == (f"`{item.id}.csv`" if item.kind == "table" else f"`{item.id}_nl.svg/.png`"), row


def test_committed_notebooks_carry_no_run_noise():
    for path in notebooks():
        nb = nbformat.read(path, 4)
        assert "papermill" not in nb.metadata
        for cell in nb.cells:
            assert not {"papermill", "execution", "ExecuteTime"} & set(cell.metadata), (path.name, cell.id)
            if cell.cell_type == "code":
                assert cell.execution_count is not None, (path.name, cell.id, "not executed")
                for out in cell.outputs:
                    assert out.output_type != "error", (path.name, cell.id)
                    assert not (out.output_type == "stream" and out.name == "stderr"), (path.name, cell.id, out.text)


def test_clean_notebook_strips_timestamps_and_random_ids(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00", "duration": 1.2}
    cell = nbformat.v4.new_code_cell(
        "lang = 'en'",
        metadata={
            "tags": ["injected-parameters"],
            "papermill": {"duration": 0.1},
            "execution": {"iopub.execute_input": "2026"},
        },
    )
    nb.cells.append(cell)
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    clean_notebook(path)
    text = path.read_text(encoding="utf-8")
    assert "2026" not in text and "duration" not in text
    assert nbformat.read(path, 4).cells[0].id == "injected-parameters"


def test_pathway_graph_keeps_every_row_and_fixed_positions():
    g = pathway_graph()
    assert g.number_of_edges() == len(pl.load_pathways()) == 41
    assert dict(g.nodes(data="pos")) == DOMAIN_POSITIONS
    assert g["external_intervention"]["consequence"]["reflection"]["n_effects"] == 0
    assert g["external_intervention"]["consequence"]["enactment"] == {
        "mechanism": "enactment",
        "n_effects": 6,
        "n_studies": 4,
        "source": "Bijlage E Tabel 10",
    }
    thinking = pathway_graph(mechanism="reflection", from_domain="external_intervention")
    assert {k for *_, k in thinking.edges(keys=True)} == {"reflection"}
    assert sum(d["n_effects"] for *_, d in thinking.edges(data=True)) == 82


def test_differences_find_the_known_misprint():
    chars = pl.tables.characteristics_table()
    diff = pl.tables.differences(chars)
    coaching_total = diff[(diff["level"] == "coaching") & (diff["group"] == "total")]
    assert list(coaching_total[["n", "n_published"]].iloc[0]) == [8, 21]
    assert not pl.tables.differences(pl.tables.factor_table("individual")).shape[0]
    interpersonal = pl.tables.differences(pl.tables.factor_table("interpersonal"))
    assert list(interpersonal[["n_factors", "n_factors_published"]].iloc[0]) == [134, 136]


def test_the_stored_figure_style_is_seaborns_white_notebook_style():
    """figures.SEABORN_WHITE_NOTEBOOK is seaborn's style kept as data (so drawing needs no seaborn import);
    a seaborn that changes its style fails here instead of silently changing every figure's bytes."""
    import seaborn as sns

    from peerlearn.figures import SEABORN_WHITE_NOTEBOOK

    live = {**sns.axes_style("white"), **sns.plotting_context("notebook")}
    assert live.pop("image.cmap") == "rocket"  # seaborn's own colour map, left out (no figure uses one)
    assert SEABORN_WHITE_NOTEBOOK == live


@pytest.mark.slow  # a fresh interpreter per figure
def test_drawing_a_figure_imports_neither_seaborn_nor_networkx_unless_needed(tmp_path):
    """The light imports the benchmark relies on: a figure without a graph needs no networkx, none needs seaborn."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, matplotlib; matplotlib.use('agg'); from peerlearn import report; report.setup(); "
        "import matplotlib.pyplot as plt; plt.close(report.figure('selection_flow_prisma')); "
        "print(sorted(m for m in ('seaborn', 'networkx') if m in sys.modules)); "
        "plt.close(report.figure('figuur_1_model')); print('networkx' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PEERLEARN_OUTPUT_DIR": str(tmp_path)},
    ).stdout.split("\n")
    assert out[:2] == ["[]", "True"]
