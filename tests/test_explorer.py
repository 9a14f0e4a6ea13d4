"""The evidence explorer (issue 15 part 2): its rows follow the data, its text is escaped, and in Chromium its
filters and sorting show exactly what the corpus says, opened from file:// with nothing fetched from the network."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peerlearn as pl
from browser import needs_browser, offline
from budgets import examples
from peerlearn import explorer


def expected(data_dir=None, **chosen) -> list[int]:
    """The articles the corpus gives for filters ``chosen`` (facet -> code), computed with pandas."""
    studies, cited = pl.load_studies(data_dir), pl.load_citations(data_dir)
    keep = set(studies["study_id"].astype(int))
    for facet, code in chosen.items():
        if facet in {"participant_group", "activity_type", "setting", "design"}:
            match = studies.loc[studies[facet].astype("string") == code, "study_id"]
        else:
            match = cited.loc[(cited["code_kind"] == facet) & (cited["code"] == code), "study_id"]
        keep &= set(match.astype(int))
    return sorted(keep)


def test_rows_carry_every_article_and_its_cited_codes():
    rows = explorer.rows("en")
    studies, cited = pl.load_studies(), pl.load_citations()
    assert [r["study_id"] for r in rows] == studies["study_id"].astype(int).tolist()
    for r in rows:
        mine = cited[cited["study_id"] == r["study_id"]]
        for facet in ("hypothesis", "factor_subcategory", "domain", "pathway"):
            assert set(r["codes"][facet]) == set(mine.loc[mine["code_kind"] == facet, "code"]), (r["study_id"], facet)
        assert r["reference"] == pl.reference(r["study_id"], "en")
    assert {r["status"] for r in rows} >= {"complete", "recovered"}


def test_the_page_lists_every_article_and_embeds_the_codes(tmp_path):
    for lang in ("nl", "en"):
        html = explorer.page(lang)
        assert f'<html lang="{lang}">' in html
        assert len(re.findall(r'<tr data-study="\d+">', html)) == len(pl.load_studies())
        data = json.loads(
            re.search(r'<script type="application/json" id="peerlearn-explorer-data">(.*?)</script>', html, re.S).group(
                1
            )
        )
        assert sorted(int(k) for k in data["studies"] if "H3" in data["studies"][k]["hypothesis"]) == expected(
            hypothesis="H3"
        )
        assert "script-src 'self'" in html and "unsafe-inline" not in html.split("script-src")[1].split(";")[0]
    assert "Verkenner van het bewijs" in explorer.page("nl") and "Evidence explorer" in explorer.page("en")


def test_text_from_the_data_is_escaped(corpus):
    rows = (corpus / "studies.csv").read_text(encoding="utf-8")
    title = "Collaborative learning as a collective competence when students use the potential of meaning"
    assert title in rows
    (corpus / "studies.csv").write_text(
        rows.replace(title, title + " </script><img src=x onerror=alert(1)>"), encoding="utf-8"
    )
    html = explorer.page("en", data_dir=corpus)
    assert "<img src=x" not in html and "</script><img" not in html
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def _open(browser, path: Path, javascript: bool = True):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, java_script_enabled=javascript)
    outside, errors = offline(context), []
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri(), wait_until="load")
    return context, page, outside, errors


def _shown(page) -> list[int]:
    return [
        int(x)
        for x in page.eval_on_selector_all(
            "#peerlearn-explorer-table tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.study)"
        )
    ]


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_filters_combine_and_show_exactly_the_studies_of_the_data(browser, sites, lang):
    context, page, outside, errors = _open(browser, sites[lang] / explorer.PAGE)
    assert page.locator("#peerlearn-filters").is_visible()
    assert sorted(_shown(page)) == expected()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366, "the page scrolls sideways at 1366 px"
    for chosen in (
        {"hypothesis": "H3"},
        {"hypothesis": "H3", "participant_group": "student"},
        {"hypothesis": "H1", "activity_type": "collaborative"},
        {"factor_subcategory": "character", "setting": "online"},
        {"domain": "practice"},
    ):
        page.click("#peerlearn-clear")
        for facet, code in chosen.items():
            page.select_option(f"#filter-{facet}", code)
        want = expected(**chosen)
        assert sorted(_shown(page)) == want, chosen
        assert page.locator("#peerlearn-count").text_content().split()[0] == str(len(want))
    page.click("#peerlearn-clear")
    assert len(_shown(page)) == len(expected())
    context.close()
    assert not outside and not errors, (outside, errors)


@pytest.mark.slow
@needs_browser
def test_a_click_on_a_header_sorts(browser, site_nl):
    context, page, outside, errors = _open(browser, site_nl.parent / explorer.PAGE)
    years = {r["study_id"]: r["year"] for r in explorer.rows("nl")}
    page.click("#peerlearn-explorer-table thead th:nth-child(2) button")  # year, ascending
    shown = _shown(page)
    assert [years[s] for s in shown] == sorted(years.values(), key=lambda y: (y == "", y))
    assert page.locator("thead th:nth-child(2)").get_attribute("aria-sort") == "ascending"
    page.click("#peerlearn-explorer-table thead th:nth-child(1) button")  # number, ascending
    page.click("#peerlearn-explorer-table thead th:nth-child(1) button")  # number, descending
    assert _shown(page) == sorted(years, reverse=True)
    context.close()
    assert not outside and not errors, (outside, errors)


@pytest.mark.slow
@needs_browser
def test_without_javascript_the_whole_table_is_there(browser, site_nl):
    context, page, outside, _errors = _open(browser, site_nl.parent / explorer.PAGE, javascript=False)
    assert not page.locator("#peerlearn-filters").is_visible()
    assert sorted(_shown(page)) == expected()
    context.close()
    assert not outside


@pytest.mark.slow
@needs_browser
def test_the_index_links_the_explorer(site_nl):
    index = site_nl.read_text(encoding="utf-8")
    assert f'href="{explorer.PAGE}"' in index and (site_nl.parent / explorer.SCRIPT).is_file()


@settings(max_examples=examples(60), deadline=None)
@given(st.dictionaries(st.text(max_size=12), st.lists(st.text(max_size=20), max_size=3), max_size=4))
def test_the_data_block_cannot_end_its_element_and_reads_back(value):
    text = explorer._json(value)
    assert not set(text) & set("<>&") and json.loads(text) == value
