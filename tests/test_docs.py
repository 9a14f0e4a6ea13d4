"""The README is a landing page and docs/ is plain Markdown whose links all lead somewhere."""

from __future__ import annotations

import re

from peerlearn.paths import REPO_ROOT

README = REPO_ROOT / "README.md"
DOCS = sorted((REPO_ROOT / "docs").glob("*.md"))
CODE = re.compile(r"^```.*?^```|`[^`\n]*`", re.M | re.S)  # fenced blocks and code spans
HTML = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|<!--")
LINK = re.compile(r"\]\(([^)\s]+)\)")
PATH = re.compile(r"`((?:peerlearn|tests|benchmarks|data|notebooks|figures|docs|\.ci)/[\w./-]+)`")
NOT_IN_CHECKOUT = {"peerlearn/data"}  # the corpus as installed package data (pyproject's package-dir mapping)


def _prose(text: str) -> str:
    return CODE.sub("", text)


def _anchors(text: str) -> set[str]:
    """Heading ids as GitHub makes them: lower case, punctuation dropped, spaces as hyphens."""
    return {
        re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
        for h in re.findall(r"^#{1,6} (.+)$", _prose(text), re.M)
    }


def raw_html(text: str) -> list[str]:
    return HTML.findall(_prose(text))


def broken_links(path, text: str) -> list[str]:
    """Relative links of ``path`` whose file (or heading) does not exist."""
    bad = []
    for target in LINK.findall(_prose(text)):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        if not dest.exists() or (anchor and dest.suffix == ".md" and anchor not in _anchors(dest.read_text("utf-8"))):
            bad.append(f"{path.relative_to(REPO_ROOT)}: {target}")
    return bad


def missing_paths(text: str) -> list[str]:
    """Repository paths named in code spans that do not exist (``x.svg/.png`` names x.svg and x.png)."""
    bad = []
    for path in PATH.findall(text):
        if path in NOT_IN_CHECKOUT:
            continue
        stem, _, alt = path.partition("/.") if re.search(r"\.\w+/\.\w+$", path) else (path, "", "")
        names = [stem, stem.rsplit(".", 1)[0] + "." + alt] if alt else [path]
        bad += [n for n in names if not (REPO_ROOT / n).exists()]
    return bad


def test_the_readme_is_a_landing_page_of_at_most_12_kb():
    assert README.stat().st_size <= 12 * 1024, README.stat().st_size


def test_the_readme_leads_to_every_page_of_docs():
    links = set(LINK.findall(README.read_text(encoding="utf-8")))
    assert {f"docs/{p.name}" for p in DOCS} <= links, sorted({f"docs/{p.name}" for p in DOCS} - links)


def test_readme_and_docs_are_plain_markdown_with_links_that_resolve():
    for path in [README, *DOCS]:
        text = path.read_text(encoding="utf-8")
        assert not raw_html(text), (path.name, raw_html(text))
        assert not broken_links(path, text), broken_links(path, text)
        assert not missing_paths(text), (path.name, missing_paths(text))


def test_the_checks_see_raw_html_and_a_broken_link():
    assert raw_html("a <details>b</details> `<code>` c") == ["<details>", "</details>"]
    assert raw_html("<!-- note -->")
    assert broken_links(README, "[x](docs/nowhere.md) [y](docs/design.md#no-such-heading)") == [
        "README.md: docs/nowhere.md",
        "README.md: docs/design.md#no-such-heading",
    ]
    assert not broken_links(README, "[x](docs/design.md#figures) [w](https://example.org)")
    assert missing_paths("`peerlearn/nowhere.py` `benchmarks/scaling.svg/.gif` `peerlearn/output.py`") == [
        "peerlearn/nowhere.py",
        "benchmarks/scaling.gif",
    ]
