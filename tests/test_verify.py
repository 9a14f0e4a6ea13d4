"""peerlearn verify: outputs compared by content (tables by value, notebooks as nbval, figures by pixels and text)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from peerlearn.compare import (
    DIFFERENT,
    IDENTICAL,
    PNG_RMS_TOLERANCE,
    WITHIN,
    compare_notebooks,
    compare_png,
    compare_svg,
    compare_tables,
    sanitizers,
)
from peerlearn.paths import FIGURES_DIR, PROCESSED_DIR, REPO_ROOT
from peerlearn.reproduce import notebooks
from peerlearn.verify import SANITIZE_FILE, committed_outputs, compare_trees
from reliability import copy_repo, run_peerlearn

TABLE = b"domain,n_effects,share\npersonal,38,0.1\npractice,12,0.25\n"


def test_tables_equal_up_to_float_noise_but_not_a_changed_count():
    noisy = TABLE.replace(b"0.1\n", b"0.10000000000000001\n")
    assert compare_tables(TABLE, noisy).status == WITHIN
    changed = compare_tables(TABLE, TABLE.replace(b"38", b"37"))
    assert changed.status == DIFFERENT
    assert "line 2" in changed.detail and "'n_effects'" in changed.detail and "'38'" in changed.detail
    assert compare_tables(TABLE, TABLE.replace(b"share", b"part")).status == DIFFERENT
    assert compare_tables(TABLE, TABLE + b"consequence,1,0\n").status == DIFFERENT


def _png(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buf, format="png")
    return buf.getvalue()


def test_png_within_tolerance_for_antialiasing_noise_and_different_for_a_changed_drawing():
    base = np.full((300, 400, 4), 255)  # a figure is larger still (about 1000 x 700)
    noise = base.copy()
    noise[10:12, 10:20, :3] = 200  # a few edge pixels shaded differently, as another FreeType would
    assert compare_png(_png(base), _png(noise)).status == WITHIN
    bar = base.copy()
    bar[10:250, 10:90, :3] = 0  # a bar of another height
    result = compare_png(_png(base), _png(bar))
    assert result.status == DIFFERENT and f"tolerance {PNG_RMS_TOLERANCE}" in result.detail
    assert compare_png(_png(base), _png(base[:59])).status == DIFFERENT


def test_svg_compared_by_its_text():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><g id="edge"><text x="1">41 effecten</text></g>'
        '<path d="M 0 0 L 1 1"/></svg>'
    )
    moved = svg.replace('x="1"', 'x="1.02"').replace("L 1 1", "L 1 1.01")
    assert compare_svg(svg.encode(), moved.encode()).status == WITHIN
    changed = compare_svg(svg.encode(), svg.replace("41", "40").encode())
    assert changed.status == DIFFERENT and "41 effecten" in changed.detail and "40 effecten" in changed.detail


def _notebook(output: str) -> bytes:
    cell = {
        "cell_type": "code",
        "source": "x",
        "metadata": {},
        "execution_count": 1,
        "outputs": [
            {
                "output_type": "execute_result",
                "execution_count": 1,
                "metadata": {},
                "data": {"text/plain": output, "text/html": f"<p>{output}</p>"},
            }
        ],
    }
    return json.dumps(
        {"cells": [cell], "metadata": {"language_info": {"version": "3.11.7"}}, "nbformat": 4, "nbformat_minor": 5}
    ).encode()


def test_notebooks_compared_as_nbval_compares_them():
    sanitize = sanitizers(SANITIZE_FILE)
    a = _notebook("<Figure at 0x7f00aa>")
    other_address = _notebook("<Figure at 0x7f11bb>").replace(b"3.11.7", b"3.13.0")
    assert compare_notebooks(a, other_address, sanitize).status == WITHIN  # address and metadata ignored
    changed = compare_notebooks(_notebook("38"), _notebook("37"), sanitize)
    assert changed.status == DIFFERENT and "cell 1" in changed.detail
    html_only = _notebook("38").replace(b"<p>38</p>", b"<p>37</p>")
    assert compare_notebooks(_notebook("38"), html_only, sanitize).status == WITHIN  # HTML is not compared


def test_the_sanitizers_are_the_ones_nbval_uses():
    conftest = (REPO_ROOT / "conftest.py").read_text(encoding="utf-8")  # nbval's file, set there by absolute path
    assert 'NBVAL_SANITIZE = Path(__file__).resolve().parent / "tests" / "nbval_sanitize.cfg"' in conftest
    assert SANITIZE_FILE == REPO_ROOT / "tests" / "nbval_sanitize.cfg"
    assert sanitizers(SANITIZE_FILE), "no sanitizer read"


def test_compare_trees_names_missing_and_extra_files(tmp_path):
    committed = copy_repo(tmp_path / "committed")
    rerun = copy_repo(tmp_path / "rerun")
    names = committed_outputs(committed)
    assert len(names) == len(list(PROCESSED_DIR.glob("*.csv"))) + len(list(FIGURES_DIR.iterdir())) + len(notebooks())
    (rerun / names[-1]).unlink()
    (rerun / "figures" / "new_nl.svg").write_text("<svg/>")
    results = compare_trees(committed, rerun, names)
    assert results[names[-1]].status == DIFFERENT and "did not write" in results[names[-1]].detail
    assert results[Path("figures/new_nl.svg")].status == DIFFERENT
    assert sum(r.status == IDENTICAL for r in results.values()) == len(names) - 1


@pytest.mark.slow
def test_verify_catches_a_changed_number_and_accepts_pixel_noise(tmp_path):
    root = copy_repo(tmp_path / "repo")
    shutil.copytree(REPO_ROOT / "tests", root / "tests")  # the sanitize file nbval uses
    table = root / "data" / "processed" / "tabel_5_domain_effects.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("n_effects")] = str(int(cells[header.index("n_effects")]) + 1)
    lines[1] = ",".join(cells) + "\n"
    table.write_text("".join(lines), encoding="utf-8")
    png = root / "figures" / "figuur_2_denken_nl.png"
    pixels = np.asarray(Image.open(png).convert("RGBA")).copy()
    pixels[5:7, 5:25, :3] = 128  # a few pixels shaded otherwise, as another renderer would
    png.write_bytes(_png(pixels))

    result = run_peerlearn(root, "verify")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = {
        ln.split()[-1] if ": " not in ln else ln.split(": ")[0].split()[-1]: ln
        for ln in result.stdout.splitlines()
        if ln.startswith((IDENTICAL, WITHIN, DIFFERENT))
    }
    assert lines["data/processed/tabel_5_domain_effects.csv"].startswith(DIFFERENT)
    assert "n_effects" in lines["data/processed/tabel_5_domain_effects.csv"]
    assert lines["figures/figuur_2_denken_nl.png"].startswith(WITHIN)
    others = [
        ln
        for k, ln in lines.items()
        if k not in ("data/processed/tabel_5_domain_effects.csv", "figures/figuur_2_denken_nl.png")
    ]
    assert len(others) == len(committed_outputs(root)) - 2 and all(ln.startswith(IDENTICAL) for ln in others)
    assert "1 equal within tolerance, 1 different" in result.stdout
