"""The browsable report as a person sees it: headless Chromium opens the index, follows every link,
and checks on every page that its figures load and its tables are there, that nothing is fetched
from the network and that no internal link is broken. One screenshot per page is kept in tmp."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from browser import needs_browser, offline
from peerlearn.report import ITEMS

# How many `selector` elements the section of an item shows: the output that the executed notebook marks as the item
# (its metadata, see peerlearn.report), which the site wraps in <section class="peerlearn-item" id="<item>">.
SHOWN = """([item, selector]) => {
  const section = document.querySelector(`section.peerlearn-item[data-item="${item}"]`);
  return section ? section.querySelectorAll(selector).length : 0;
}"""

pytestmark = [pytest.mark.slow, needs_browser]


def _path(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def _assert_screenshot(png: bytes):
    from PIL import Image

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png)).convert("L")
    lo, hi = image.getextrema()
    assert hi - lo > 100, "the screenshot is blank"
    dark = sum(image.histogram()[:128])
    assert dark > 0.001 * image.width * image.height, "the screenshot shows (almost) nothing"


def walk(browser, index: Path, shots: Path) -> dict:
    """Open index.html, follow every internal link breadth-first; returns what was seen per page.
    Fails on a request that leaves file://, an image that does not load, or a broken link or anchor."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside = offline(context)
    page = context.new_page()
    todo, seen, anchors, pages = [index.as_uri()], set(), [], {}
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        page.goto(url, wait_until="load")
        images = page.eval_on_selector_all(
            "img",
            "els => els.map(e => ({src: e.getAttribute('src').slice(0, 60), ok: e.complete && e.naturalWidth > 0,"
            " width: e.getBoundingClientRect().width}))",
        )
        broken = [i["src"] for i in images if not i["ok"]]
        assert not broken, f"{_path(url).name}: images that did not load: {broken}"
        png = page.screenshot(full_page=True)
        (shots / f"{_path(url).stem}.png").write_bytes(png)
        _assert_screenshot(png)
        pages[_path(url).name] = {"images": images}
        pages[_path(url).name]["tables"] = {
            item: {
                "tables": page.evaluate(SHOWN, [item, "table"]),
                "images": page.evaluate(SHOWN, [item, "img"]),
                "anchor": page.locator(f'[id="{item}"]').count(),
            }
            for item in ITEMS
        }
        pages[_path(url).name]["links"] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        pages[_path(url).name]["ids"] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        for href in pages[_path(url).name]["links"]:
            assert href.startswith("file:"), f"{_path(url).name} links outside the site: {href}"
            target, fragment = urldefrag(href)
            assert _path(target).is_file(), f"{_path(url).name}: broken link {href}"
            if target.endswith(".html"):
                todo.append(target)
                if fragment:
                    anchors.append((_path(url).name, target, fragment))
    for origin, target, fragment in anchors:
        assert fragment in pages[_path(target).name]["ids"], f"{origin}: broken anchor {_path(target).name}#{fragment}"
    context.close()
    assert not outside, f"requests that left file://: {outside}"
    return pages


def test_every_page_shows_its_figures_and_tables_offline(browser, site_nl, tmp_path):
    pages = walk(browser, site_nl, tmp_path)
    notebooks = {item.notebook for item in ITEMS.values()}
    assert set(pages) >= {"index.html", *(f"{nb}.html" for nb in notebooks)}
    index = pages["index.html"]
    for item in ITEMS.values():
        link = f"{item.notebook}.html#{item.id}"
        assert any(h.endswith(link) for h in index["links"]), f"the index does not link {link}"
        shown = pages[f"{item.notebook}.html"]["tables"][item.id]
        assert shown["anchor"] == 1, item.id
        if item.kind == "table":
            assert shown["tables"] >= 1, f"{item.notebook}.html does not show the table {item.id}"
        else:
            assert shown["images"] == 1, f"{item.notebook}.html does not show the figure {item.id}"
    figures = [i for i in ITEMS.values() if i.kind == "figure"]
    index_images = {i["src"] for i in index["images"]}
    assert index_images == {f"figures/{i.id}_nl.svg" for i in figures}
    for name, seen in pages.items():
        for image in seen["images"]:
            assert image["width"] > 200, f"{name}: image {image['src']} is drawn too small ({image['width']} px)"
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(f"{Path(n).stem}.png" for n in pages)


def test_the_walk_catches_a_missing_figure_and_a_broken_link(browser, site_nl, tmp_path):
    """The checks above can fail: a copy of the site with one figure removed and one link broken."""
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site_nl.parent, copy)
    (copy / "figures" / "figuur_2_denken_nl.svg").unlink()
    with pytest.raises(AssertionError, match="images that did not load"):
        walk(browser, copy / "index.html", tmp_path)
    shutil.copytree(site_nl.parent, copy, dirs_exist_ok=True)
    index = copy / "index.html"
    index.write_text(
        index.read_text(encoding="utf-8").replace('href="03_factors.html"', 'href="03_factor.html"'), encoding="utf-8"
    )
    with pytest.raises(AssertionError, match="broken link"):
        walk(browser, index, tmp_path)
