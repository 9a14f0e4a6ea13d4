"""The developer documentation (docs/*.md) as pages of the site (issue 13.7): one English page per file under
docs/, linked from both indexes (the Dutch one saying the pages are in English), raw HTML never passed through,
no link leaving the site. The standards tests (test_site_standards, test_site_browser) check these pages too:
the site fixtures build them from the repository's docs/ plus tests/docs_sample.md."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import examples
from peerlearn import docpages, site

SAMPLE = Path(__file__).parent / "docs_sample.md"
SAFE_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "hr",
    "br",
    "span",
    "del",
}


class Elements(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _docs(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


def test_markdown_becomes_safe_html_with_links_only_inside_the_docs(tmp_path):
    folder = _docs(
        tmp_path,
        design="# Design\n\n## Why notebooks?\n",
        sample=SAMPLE.read_text(encoding="utf-8")
        + "\nSee [the design](design.md), [why](design.md#why-notebooks), [not there](design.md#nope),"
        " [missing page](missing.md).\n",
    )
    docs = {d.stem: d for d in docpages.read(folder)}
    body = docs["sample"].body
    assert docs["sample"].title == "A sample page for the site's tests" and docs["design"].title == "Design"
    elements = Elements(body).found
    assert {tag for tag, _ in elements} <= SAFE_TAGS  # no script, img, div, b: raw HTML is text
    assert not [a for _, attrs in elements for a in attrs if a.startswith("on")]
    assert "&lt;script&gt;alert(&quot;docs&quot;)&lt;/script&gt;" in body and "&lt;div onmouseover" in body
    links = [attrs["href"] for tag, attrs in elements if tag == "a"]
    assert links == ["#tables-and-code", "design.html", "design.html#why-notebooks"]
    assert '(<span class="peerlearn-url">https://example.org/page?a=1&amp;b=2</span>)' in body
    assert "https://example.org/autolink" in body and "a file of the repository" in body
    assert "not there" in body and "missing page" in body and "click" in body
    ids = [attrs["id"] for tag, attrs in elements if "id" in attrs]
    assert ids == ["a-sample-page-for-the-sites-tests", "tables-and-code", "tables-and-code-1"]
    assert '<em class="peerlearn-image-alt">an image that becomes its alt text</em>' in body


@pytest.mark.slow
def test_both_indexes_link_every_doc_page_the_dutch_one_saying_it_is_english(site_nl, site_en, docs_dir):
    stems = sorted(p.stem for p in docs_dir.glob("*.md"))
    for index, note in ((site_nl, " (in het Engels)"), (site_en, "")):
        text = index.read_text(encoding="utf-8")
        links = [attrs for tag, attrs in Elements(text).found if tag == "a" and attrs["href"].startswith("docs/")]
        assert [a["href"] for a in links] == [f"docs/{s}.html" for s in stems]
        assert all(a["hreflang"] == "en" and a["lang"] == "en" for a in links)
        assert text.count(f"</a>{note}</li>") >= len(stems)
        for stem in stems:
            page = (index.parent / "docs" / f"{stem}.html").read_text(encoding="utf-8")
            assert page.startswith('<!DOCTYPE html>\n<html lang="en">') and 'href="../index.html"' in page
            assert site.CSP_META in page
    assert "in het Engels" not in site_en.read_text(encoding="utf-8")


@pytest.mark.slow  # a whole site from every notebook (fast twin: test_the_site_takes_the_checkouts_docs_by_default)
def test_without_docs_the_site_has_no_doc_pages(tmp_path):
    from peerlearn.paths import REPO_ROOT

    index = site.build("nl", source=REPO_ROOT, out=tmp_path / "nl", docs=tmp_path / "absent")
    assert not (tmp_path / "nl" / "docs").exists() and 'id="docs"' not in index.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad name", b"# x\n", "the name must be letters, digits"),
        ("latin1", "# caf\xe9\n".encode("latin-1"), "cannot be read as UTF-8 text"),
    ],
)
def test_an_unreadable_doc_is_one_line_and_no_site(tmp_path, name, content, message):
    from peerlearn.paths import REPO_ROOT

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / f"{name}.md").write_bytes(content)
    err = io.StringIO()
    assert site.run("nl", source=REPO_ROOT, out=tmp_path / "site", stderr=err, docs=tmp_path / "docs") == 1
    assert err.getvalue().count("\n") == 1 and message in err.getvalue() and f"{name}.md" in err.getvalue()
    assert not (tmp_path / "site").exists()


MARKDOWN_BITS = st.sampled_from(
    [
        "# ",
        "## ",
        "<",
        ">",
        "&",
        '"',
        "'",
        "[",
        "](",
        ")",
        "#",
        "`",
        "```\n",
        "*",
        "_",
        "|",
        "\n",
        "\n\n",
        "- ",
        "<script>",
        "<img src=x onerror=alert(1)>",
        "javascript:",
        "https://e.org",
        "other.md",
        "page.md#x",
        "![",
        "<!--",
        "-->",
        " ",
    ]
)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=5)), max_size=30).map("".join))
def test_any_markdown_gives_only_safe_elements_and_links_inside_the_site(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("docs")
    (folder / "page.md").write_text(text, encoding="utf-8")
    (folder / "other.md").write_text("# Other\n", encoding="utf-8")
    for doc in docpages.read(folder):
        elements = Elements(doc.body).found
        assert {tag for tag, _ in elements} <= SAFE_TAGS, doc.body
        assert not [a for _, attrs in elements for a in attrs if a.startswith("on")], doc.body
        for tag, attrs in elements:
            if tag == "a":
                assert attrs["href"].startswith("#") or attrs["href"].split("#")[0] in {"page.html", "other.html"}


def test_the_site_takes_the_checkouts_docs_by_default(tmp_path, monkeypatch):
    from peerlearn.paths import ROOT_ENV

    checkout = tmp_path / "checkout"
    (checkout / "data" / "raw").mkdir(parents=True)
    (checkout / "data" / "raw" / "datapackage.json").write_text("{}", encoding="utf-8")
    (checkout / "notebooks").mkdir()
    monkeypatch.setenv(ROOT_ENV, str(checkout))
    assert docpages.default_folder() is None  # a checkout without docs/: no documentation pages
    assert docpages.read(None) == [] and docpages.read(checkout / "docs") == []
    (checkout / "docs").mkdir()
    (checkout / "docs" / "design.md").write_text("# Design\n", encoding="utf-8")
    assert docpages.default_folder() == checkout / "docs"
    assert [d.title for d in docpages.read(docpages.default_folder())] == ["Design"]
