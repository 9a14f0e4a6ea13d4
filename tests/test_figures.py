"""The pathway figures draw exactly the numbers of peerlearn.drawn: their text labels, read back from the drawn
figures (and from the committed SVG files), are drawn_numbers, and a figure that draws another number is caught."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

import peerlearn.figures.model as model_figures
import peerlearn.figures.pathways as pathway_figures
from peerlearn import drawn
from peerlearn.figures import FIGURES_FROM_TABLES, figure_labels
from peerlearn.paths import FIGURES_DIR


def _mismatches(expected: dict, found: dict) -> set[tuple[str, str]]:
    """(figure, label id) wherever a figure draws another number than expected, or a label too many or too few."""
    assert set(found) == set(expected)
    return {
        (item, gid)
        for item in expected
        for gid in set(expected[item]) | set(found[item])
        if expected[item].get(gid) != found[item].get(gid)
    }


def _shift(numbers: tuple[int, ...]) -> tuple[int, ...]:
    return (numbers[0] + 1, *numbers[1:])


def test_the_figures_with_drawn_numbers_are_the_figures_drawn_from_the_tables():
    assert set(FIGURES_FROM_TABLES) == set(drawn.FIGURES)


@pytest.mark.slow  # draws the figures (fast twins: test_drawn.py, test_the_committed_svgs_show_the_drawn_numbers)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_label_a_figure_draws_is_its_drawn_number(lang):
    """The matplotlib Text objects with a node__/edge__ id show exactly drawn_numbers, no label more or less."""
    expected = drawn.drawn_numbers()
    assert all(expected.values())
    assert not _mismatches(expected, figure_labels(lang=lang))


def test_the_committed_svgs_show_the_drawn_numbers():
    """What a reader of the saved files sees: the labels in figures/<item>_nl.svg are drawn_numbers, the numbers the
    audit checks (computed without drawing)."""
    numbers = drawn.drawn_numbers()
    assert all(numbers.values()) and set(numbers) == {
        "figuur_1_model_evidence",
        "figuur_2_denken",
        "figuur_3_doen",
        "pathway_network",
    }
    for item, labels in numbers.items():
        root = ET.parse(FIGURES_DIR / f"{item}_nl.svg").getroot()
        in_svg = {
            el.get("id"): tuple(int(n) for n in re.findall(r"\d+", " ".join(el.itertext())))
            for el in root.iter()
            if (el.get("id") or "").startswith(("node__", "edge__"))
        }
        assert in_svg == labels, item


@pytest.mark.slow  # draws the figures (fast twins: test_drawn.py, test_the_committed_svgs_show_the_drawn_numbers)
def test_a_figure_that_draws_another_number_is_caught(monkeypatch):
    """Figuur 1 with the pathways draws Tabel 5 in its boxes: a box showing another number is found, and only it."""
    real = drawn.drawn_nodes

    def shifted(item, data_dir=None):
        return {d: _shift(n) if d == "practice" else n for d, n in real(item, data_dir).items()}

    monkeypatch.setattr(model_figures, "drawn_nodes", shifted)  # the figure draws the shifted numbers
    assert _mismatches(drawn.drawn_numbers(), figure_labels()) == {("figuur_1_model_evidence", "node__practice")}


@pytest.mark.slow  # draws the figures (fast twins: test_drawn.py, test_the_committed_svgs_show_the_drawn_numbers)
def test_a_pathway_a_figure_draws_wrongly_is_caught(monkeypatch):
    """practice -> consequence via reflection is drawn in Figuur 1 with the pathways and in the network (not in
    Figuur 2 or 3, which start from the intervention): a wrong label there is found in exactly those two figures."""
    real = drawn.drawn_routes
    route = ("practice", "reflection", "consequence")

    def shifted(item, data_dir=None):
        routes = real(item, data_dir)
        wrong = [tuple(r) == route for r in routes[["from_domain", "mechanism", "to_domain"]].itertuples(index=False)]
        routes["label"] = [_shift(label) if w else label for w, label in zip(wrong, routes["label"])]
        return routes

    for module in (model_figures, pathway_figures):
        monkeypatch.setattr(module, "drawn_routes", shifted)
    gid = drawn.edge_id(*route)
    assert _mismatches(drawn.drawn_numbers(), figure_labels()) == {
        ("figuur_1_model_evidence", gid),
        ("pathway_network", gid),
    }


@pytest.mark.slow  # draws the figures (fast twins: test_drawn.py, test_the_committed_svgs_show_the_drawn_numbers)
def test_a_label_left_out_is_caught(monkeypatch):
    """A route drawn without its label (or a label drawn that drawn_numbers does not know) is a mismatch too."""
    real = drawn.drawn_routes

    def unlabelled(item, data_dir=None):
        routes = real(item, data_dir)
        routes.loc[routes["to_domain"] == "personal", "label"] = None
        return routes

    monkeypatch.setattr(pathway_figures, "drawn_routes", unlabelled)
    missing = _mismatches(drawn.drawn_numbers(), figure_labels())
    assert {item for item, _ in missing} == {"figuur_2_denken", "figuur_3_doen", "pathway_network"}
    assert all(gid.endswith("__personal") for _, gid in missing)


@pytest.mark.parametrize("item", ["figuur_2_denken", "figuur_3_doen"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_alt_text_names_the_routes_the_figure_draws_and_no_other(item, lang):
    """Figuur 2 and 3 draw the routes to the model's other three domains only; their alt text names those and no
    other (it once also listed the route to the general external domain, which the figure leaves out)."""
    from peerlearn.codebook import load_codebook
    from peerlearn.describe import alt_text
    from peerlearn.drawn import PATHWAY_SOURCE, drawn_routes

    cb, text = load_codebook(), alt_text(item, lang)
    drawn = set(drawn_routes(item)["to_domain"])
    for domain in cb.vocabulary("domain").codes:
        if domain != PATHWAY_SOURCE:
            assert (cb.label("domain", domain, lang) + ":" in text) == (domain in drawn), (domain, text)
