"""The developer documentation (docs/*.md, in English) as pages of the static site: build/site/<lang>/docs/.

:func:`read` renders every Markdown file of a folder with mistune (the renderer nbconvert already uses, so no
new dependency) and :func:`write` puts one page per file beside the site's other pages, under the same
Content-Security-Policy and stylesheet; :func:`index_section` is the list the site's index shows. Every page is
``lang="en"``; its navigation back to the site is in the site's language.

What the Markdown can do on a page is limited to what is safe offline:

- raw HTML is escaped, never passed through (it shows as text);
- a link to another page of docs/ (``design.md``, ``design.md#a-heading``) or to a heading of the same page is
  kept, pointing at the rendered page, when its target exists; any other link (the web, a file of the
  repository) becomes its text, with the address beside it for a web link, so no page links or loads anything
  outside the site;
- an image becomes its alternative text.

Headings get ids as GitHub makes them (lower case, punctuation dropped, spaces as hyphens), so the links the
files use on GitHub work here too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import messages
from .escaping import html as _e
from .paths import checkout_root

FOLDER = "docs"
_TAG = re.compile(r"<[^>]+>")
_NOT_SLUG = re.compile(r"[^\w\- ]", re.UNICODE)
_WEB = re.compile(r"(?:https?|mailto):", re.I)
STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # a file name safe as a page name and a link


class DocsError(Exception):
    """A documentation file cannot be read (not UTF-8, unreadable) or has a name that cannot be a page's."""


@dataclass(frozen=True)
class Doc:
    stem: str  # the file's name without .md: the page is <stem>.html
    title: str  # its first heading (plain text), else the stem
    body: str  # the rendered HTML


def default_folder() -> Path | None:
    """The checkout's docs/ when there is one; None otherwise (an installed package has no documentation pages)."""
    root = checkout_root()
    return root / FOLDER if root is not None and (root / FOLDER).is_dir() else None


def slug(text: str) -> str:
    """A heading's id as GitHub makes it from the heading's (rendered) text."""
    plain = html.unescape(_TAG.sub("", text)).strip().lower()
    return _NOT_SLUG.sub("", plain).replace(" ", "-")


def _renderer(stem: str, ids: dict[str, set[str]]):
    """A mistune HTML renderer for page ``stem`` that escapes raw HTML, numbers the headings' ids, and keeps only
    links to headings and pages in ``ids`` (page stem -> its heading ids; empty on the first pass)."""
    import mistune

    class Renderer(mistune.HTMLRenderer):
        def __init__(self):
            super().__init__(escape=True)
            self.seen: dict[str, int] = {}
            self.headings: list[tuple[int, str, str]] = []  # (level, id, text)

        def heading(self, text, level, **attrs):
            base = slug(text) or "section"
            n = self.seen.get(base, 0)
            self.seen[base] = n + 1
            ident = base if n == 0 else f"{base}-{n}"
            self.headings.append((level, ident, text))
            return f'<h{level} id="{html.escape(ident, quote=True)}">{text}</h{level}>\n'

        def link(self, text, url, title=None):
            href = _target(url, stem, ids)
            if href is not None:
                return f'<a href="{html.escape(href, quote=True)}">{text}</a>'
            address = html.unescape(url)
            if _WEB.match(address) and html.unescape(_TAG.sub("", text)).strip() != address:
                return f'{text} (<span class="peerlearn-url">{_e(address)}</span>)'
            return text

        def image(self, text, url, title=None):
            return f'<em class="peerlearn-image-alt">{text}</em>' if text else ""

        def block_code(self, code, info=None):
            # a code block scrolls sideways when wide: keyboard users must be able to reach it (axe:
            # scrollable-region-focusable)
            return super().block_code(code, info).replace("<pre>", '<pre tabindex="0">', 1)

    return Renderer()


def _target(url: str, stem: str, ids: dict[str, set[str]]) -> str | None:
    """Where a Markdown link ``url`` on page ``stem`` points on the site, or None when it leaves the rendered docs."""
    url = html.unescape(url).strip()
    if not url or _WEB.match(url) or "://" in url or url.startswith("//"):
        return None
    path, _, fragment = url.partition("#")
    if not path:
        page = stem
    else:
        parts = PurePosixPath(path)
        if parts.suffix != ".md" or len(parts.parts) != (2 if parts.parts[0] == "." else 1):
            return None
        page = parts.stem
    if page not in ids or (fragment and fragment not in ids[page]):
        return None
    return f"#{fragment}" if page == stem else f"{page}.html" + (f"#{fragment}" if fragment else "")


def _render(stem: str, text: str, ids: dict[str, set[str]]):
    import mistune

    renderer = _renderer(stem, ids)
    body = mistune.create_markdown(renderer=renderer, plugins=["table", "strikethrough"])(text)
    return body, renderer.headings


def read(folder: Path | None) -> list[Doc]:
    """Every docs/*.md file of ``folder`` rendered, in the order of their names; [] without a folder."""
    if folder is None or not Path(folder).is_dir():
        return []
    texts = {}
    for path in sorted(Path(folder).glob("*.md")):
        if not STEM.fullmatch(path.stem):
            raise DocsError(f"{path}: the name must be letters, digits, '_', '.' or '-' (it becomes the page's name)")
        try:
            texts[path.stem] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise DocsError(f"{path}: cannot be read as UTF-8 text ({e.__class__.__name__})") from None
    first = {stem: _render(stem, text, {})[1] for stem, text in texts.items()}  # the ids every page will have
    ids = {stem: {ident for _, ident, _ in headings} for stem, headings in first.items()}
    docs = []
    for stem, text in texts.items():
        body, headings = _render(stem, text, ids)
        title = next((html.unescape(_TAG.sub("", t)).strip() for level, _, t in headings if level == 1), "") or stem
        docs.append(Doc(stem, title, body))
    return docs


def _page(doc: Doc, docs: list[Doc], lang: str, css: str, csp_meta: str) -> str:
    """One documentation page: in English, with a navigation back to the index in the site's language."""
    w = messages.words("site", lang)
    others = " ".join(f'<a href="{d.stem}.html" lang="en">{_e(d.title)}</a>' for d in docs if d is not doc)
    nav = (f'<a href="../index.html">{_e(w["index"])}</a> <span>{_e(w["docs"])}:</span> ' + others).strip()
    navs = [
        f'<nav class="peerlearn-nav" lang="{lang}" aria-label="{_e(w[key])}">{nav}</nav>\n'
        for key in ("nav_top", "nav_bottom")
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n{csp_meta}\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{_e(doc.title)}</title>\n<style>{css}{CSS}</style>\n</head>\n<body>\n{navs[0]}"
        f'<main class="peerlearn-doc">\n{doc.body}</main>\n{navs[1]}</body>\n</html>\n'
    )


CSS = """
.peerlearn-doc pre { background: #f5f5f5; border: 1px solid #ddd; padding: 0.4em 0.6em; overflow-x: auto; }
.peerlearn-doc code { font-size: 0.92em; }
.peerlearn-doc td, .peerlearn-doc th { text-align: left; }
.peerlearn-url { overflow-wrap: anywhere; }
"""


def write(docs: list[Doc], folder: Path, lang: str, css: str, csp_meta: str) -> None:
    """Write one page per doc into ``folder`` (a part of the site being built; nothing when there are no docs)."""
    if not docs:
        return
    folder.mkdir()
    for doc in docs:
        (folder / f"{doc.stem}.html").write_text(_page(doc, docs, lang, css, csp_meta), encoding="utf-8")


def index_section(docs: list[Doc], lang: str, words: dict) -> str:
    """The index's list of documentation pages; in a language other than English each link says it is English."""
    note = "" if lang == "en" else f" ({_e(words['in_english'])})"
    items = "".join(
        f'<li><a href="{FOLDER}/{d.stem}.html" hreflang="en" lang="en">{_e(d.title)}</a>{note}</li>\n' for d in docs
    )
    return (
        f'<section id="docs">\n<h2>{_e(words["docs"])}</h2>\n<p>{_e(words["docs_intro"])}</p>\n'
        f'<ul class="peerlearn-docs">\n{items}</ul>\n</section>\n'
    )
