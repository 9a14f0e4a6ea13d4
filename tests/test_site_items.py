"""Sections come from what the notebooks emit (issue 13.4): report.table/show/as_item/figure put the item's id,
kind, caption and language into the metadata of the output that shows it, and the site builds its sections,
anchors and index from that metadata alone, never from the cells' source."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser

import nbformat
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import examples
from peerlearn import report, site
from peerlearn.paths import REPO_ROOT
from peerlearn.report import ITEMS


class Index(HTMLParser):
    """The items the index lists per notebook: [(item, kind, caption)] by notebook stem."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.books, self.book, self.item, self.kind, self.caption, self.depth = {}, None, None, None, None, 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.book = attrs["id"].removeprefix("nb-")
            self.books[self.book] = []
        elif tag in ("li", "figure") and "data-item" in attrs:
            self.item, self.kind = attrs["data-item"], "table" if tag == "li" else "figure"
        elif tag == "a" and self.item and attrs.get("href", "").endswith("#" + self.item):
            self.caption = ""

    def handle_data(self, data):
        if self.caption is not None and self.item:
            self.caption += data

    def handle_endtag(self, tag):
        if tag == "a" and self.item and self.caption is not None:
            if self.caption.strip():
                self.books[self.book].append((self.item, self.kind, self.caption.strip()))
                self.item = None
            self.caption = None


@pytest.mark.slow  # a whole site from every notebook (fast twins: the synthetic-notebook tests below, test_outputs)
def test_the_index_lists_what_each_notebook_shows_as_the_registry_says(site_nl):
    """Every item of peerlearn.report.ITEMS is listed under its notebook, with its kind and its title, and its
    notebook's page has exactly one section (and anchor) for it."""
    listed = Index(site_nl.read_text(encoding="utf-8")).books
    for book in sorted({i.notebook for i in ITEMS.values()}):
        expected = [(i.id, i.kind, i.title("nl")) for i in ITEMS.values() if i.notebook == book]
        assert sorted(listed[book]) == sorted(expected), book
        page = (site_nl.parent / f"{book}.html").read_text(encoding="utf-8")
        for item, _, _ in expected:
            assert len(re.findall(rf'<section class="peerlearn-item" data-item="{item}" id="{item}">', page)) == 1, item
            assert page.count(f'id="{item}"') == 1, item


def _tree(tmp_path, book: str):
    """A copy of the outputs the site reads (one notebook, figures, processed tables) to change."""
    for part in ("figures", "data/processed"):
        shutil.copytree(REPO_ROOT / part, tmp_path / part)
    (tmp_path / "notebooks").mkdir()
    shutil.copy(REPO_ROOT / "notebooks" / book, tmp_path / "notebooks")
    return tmp_path / "notebooks" / book


def _listed(index) -> list[str]:
    return [item for items in Index(index.read_text(encoding="utf-8")).books.values() for item, _, _ in items]


def test_the_metadata_alone_decides_which_output_is_which_item(tmp_path):
    """Without an output's metadata the item is gone from the index and the page, whatever the cell's source says;
    with the metadata on an output whose cell never names the item, the item is there."""
    path = _tree(tmp_path, "03_factors.ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = next(c for c in nb["cells"] if 'report.table("tabel_1_factors_individual"' in "".join(c["source"]))
    other = next(c for c in nb["cells"] if "differences(table)" in "".join(c["source"]) and c["outputs"])
    other["outputs"][0]["metadata"]["peerlearn"] = first["outputs"][0]["metadata"].pop("peerlearn")
    other["source"] = "report.show(pl.tables.differences(table), lang)  # names no item"
    path.write_text(json.dumps(nb), encoding="utf-8")
    index = site.build("nl", source=tmp_path, out=tmp_path / "site", docs=tmp_path / "no-docs")
    assert _listed(index) == [i.id for i in ITEMS.values() if i.notebook == "03_factors"]
    page = (tmp_path / "site" / "03_factors.html").read_text(encoding="utf-8")
    section = page[page.index('id="tabel_1_factors_individual"') :]
    assert section.index("</section>") < section.index("tabel_2_factors") and "Gepubliceerd" not in section[:200]
    del other["outputs"][0]["metadata"]["peerlearn"]
    path.write_text(json.dumps(nb), encoding="utf-8")
    index = site.build("nl", source=tmp_path, out=tmp_path / "site", docs=tmp_path / "no-docs")
    assert "tabel_1_factors_individual" not in _listed(index) and len(_listed(index)) == 3
    assert 'id="tabel_1_factors_individual"' not in (tmp_path / "site" / "03_factors.html").read_text(encoding="utf-8")


def _output(item: str, kind: str = "table", lang: str = "nl", html: str = "<table><tr><td>1</td></tr></table>"):
    data = (
        {"text/plain": item, "text/html": html}
        if kind == "table"
        else {"text/plain": "<Figure>", "image/png": "iVBORw0KGgo="}
    )
    metadata = {"peerlearn": {"item": item, "kind": kind, "caption": f"Caption of {item}", "lang": lang}}
    if kind == "figure":
        metadata["image/png"] = {"alt": f"What {item} shows"}
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata)


def test_one_cell_can_show_several_items_each_with_its_own_section():
    cell = nbformat.v4.new_code_cell(
        "for item in items: ...",
        execution_count=1,
        outputs=[
            _output("first_table"),
            nbformat.v4.new_output("stream", name="stdout", text="between\n"),
            _output("a_figure", "figure"),
            _output("first_table"),
        ],
    )  # shown twice: one section, the first
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"), cell])
    items = site._items_of(nb, "x.ipynb", "nl")
    assert items == [
        {"id": "first_table", "kind": "table", "caption": "Caption of first_table", "alt": "Caption of first_table"},
        {"id": "a_figure", "kind": "figure", "caption": "Caption of a_figure", "alt": "What a_figure shows"},
    ]
    html = site._render({"nb": nb, "title": "Title", "stem": "x"}, "nl", "")
    assert html.count('id="first_table"') == 1 and html.count('id="a_figure"') == 1
    assert html.index('id="first_table"') < html.index("between") < html.index('id="a_figure"')
    figure = html[html.index('id="a_figure"') :]
    assert figure.index('alt="What a_figure shows"') < figure.index("</section>")


@pytest.mark.parametrize(
    "meta, message",
    [
        (
            {"item": "x", "kind": "table", "caption": "C", "lang": "en"},
            "item 'x' is shown in 'en'; the page is in 'nl'",
        ),
        ({"item": 'x"><script>', "kind": "table", "caption": "C", "lang": "nl"}, "expected an item id"),
        ({"item": "x", "kind": "chart", "caption": "C", "lang": "nl"}, "expected an item id"),
        ({"item": "x", "kind": "table", "caption": " ", "lang": "nl"}, "expected an item id"),
        ("x", "expected an item id"),
    ],
)
def test_malformed_item_metadata_is_one_line_naming_notebook_and_cell(tmp_path, meta, message):
    path = _tree(tmp_path, "05_hypotheses_and_checklist.ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(i for i, c in enumerate(nb["cells"]) if c.get("outputs"))
    nb["cells"][cell]["outputs"][0]["metadata"]["peerlearn"] = meta
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(site.SiteError) as error:
        site.build("nl", source=tmp_path, out=tmp_path / "site", docs=tmp_path / "no-docs")
    assert str(error.value).startswith(f"05_hypotheses_and_checklist.ipynb, cell {cell + 1}: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value) and not (tmp_path / "site").exists()


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item=st.text(max_size=12), caption=st.text(max_size=12), kind=st.sampled_from(["table", "figure", "x"]))
def test_any_item_metadata_is_taken_safely_or_refused(item, caption, kind):
    """Whatever a notebook's metadata holds: an item the site accepts has a plain id and lands escaped; any other
    is a SiteError, never a broken page."""
    cell = nbformat.v4.new_code_cell("x", execution_count=1, outputs=[_output("placeholder", "table")])
    cell.outputs[0].metadata["peerlearn"].update(item=item, caption=caption, kind=kind)
    nb = nbformat.v4.new_notebook(cells=[cell])
    try:
        items = site._items_of(nb, "x.ipynb", "nl")
    except site.SiteError as e:
        assert "x.ipynb, cell 1: " in str(e) and "\n" not in str(e)
        return
    assert re.fullmatch(r"[a-z0-9_]+", item) and kind in ("table", "figure") and caption.strip()
    index = site._index("nl", [{"stem": "x", "file": "x.html", "title": "T", "items": items}], "", [])
    assert f'data-item="{item}"><a href="x.html#{item}">' in index and f">{site._e(caption)}</a>" in index


def test_a_report_table_is_a_dataframe_that_knows_its_item():
    from IPython.core.formatters import format_display_data

    table = report.table("tabel_5_domain_effects")
    assert isinstance(table, pd.DataFrame) and table.item_id == "tabel_5_domain_effects" and table.lang is None
    assert format_display_data(table)[1] == {}  # the codes, not yet the item in a language
    for derived in (table[table.columns[:2]], table.head(2), table.copy(), table.assign(x=1)):
        assert type(derived) is pd.DataFrame  # a view of the item is not the item
    shown = report.show(table, "en")
    assert shown.item_id == "tabel_5_domain_effects" and shown.lang == "en" and len(shown) == len(table)
    data, metadata = format_display_data(shown)
    assert {"text/plain", "text/html"} <= set(data) and metadata == {
        "peerlearn": {"item": "tabel_5_domain_effects", "kind": "table", "caption": "Appendix E Table 5", "lang": "en"}
    }
    assert data["text/plain"] == repr(pd.DataFrame(shown))
    assert format_display_data(report.show(table.head(2), "nl"))[1] == {}
    from IPython.display import Markdown

    data, metadata = format_display_data(report.as_item(Markdown("| a |\n|---|\n| 1 |"), "model_coverage", "nl"))
    assert data["text/markdown"].startswith("| a |")
    assert metadata["peerlearn"]["caption"] == ITEMS["model_coverage"].title("nl")
    with pytest.raises(ValueError, match="unknown report item 'model_coverag'"):
        report.as_item(Markdown(""), "model_coverag", "nl")


def test_every_item_has_its_title_in_both_languages_in_the_catalogue():
    from peerlearn import messages

    titles = {lang: messages.words("report.item", lang) for lang in ("nl", "en")}
    assert set(titles["nl"]) == set(titles["en"]) == set(ITEMS)
    for item in ITEMS.values():
        assert item.title("nl") == item.report == titles["nl"][item.id] and item.title("en") == titles["en"][item.id]
    assert ITEMS["tabel_5_domain_effects"].title("nl") == "Bijlage E Tabel 5"  # the report's own name, exactly
