"""The browsable report: the executed notebooks as a small static site that works offline.

``build(lang)`` renders every executed notebook (notebooks/ for Dutch, build/en/notebooks
for English) with nbconvert's HTMLExporter into build/site/<lang>/, beside an index page
that lists each notebook (its first heading and the report items it shows) and links every
table and figure to the place on the page that shows it. Which output shows which item is
read from the executed notebook itself: the output's metadata ``peerlearn`` (item id, kind,
caption, language), written by :mod:`peerlearn.report`; the item's first output on a page
becomes its section and anchor. The developer documentation (docs/*.md) becomes pages under
docs/ (:mod:`peerlearn.docpages`). Figures are inside the pages (PNG data URIs) and copied
as SVG beside the index; nothing is loaded from the network (require.js, MathJax and
mermaid are left out: the notebooks use none of them). The page template and the
stylesheet are files beside this module (site_page.html.j2, site.css), shipped with the
package. The folder is replaced whole, and a rebuild from unchanged notebooks writes the
same bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from functools import cache
from importlib.resources import files
from pathlib import Path

from . import docpages, explorer, messages
from .escaping import html as _e
from .output import OutputError, figures_dir, new_folder, processed_dir, replace_folder
from .paths import BUILD_DIR, DEFAULT_LANG, LANGS, destination, site_dir

SITE_DIR = BUILD_DIR / "site"  # the committed corpus's sites, one folder per language (another corpus: paths.site_dir)
LANG_TAG = "lang-"
SCOPED_STYLE = re.compile(r"<style scoped>.*?</style>\s*", re.S)
TABLE_BORDER = re.compile(r'(<table)\s+border="\d+"')
EMPTY_TH = re.compile(r"<th>\s*</th>")
ITEM_KEY = "peerlearn"  # an output's metadata key naming the report item it shows (peerlearn.report.METADATA_KEY)
ITEM_ID = re.compile(r"[a-z0-9_]+")  # item ids as peerlearn.report names them: safe as an id, a file name and a URL
SECTION = "peerlearn_section"  # set by the site on the first output of each item: the template opens a section there
# Every page forbids scripts (inline ones and event handlers included), plugins, frames and anything from the
# network: a miss in escaping elsewhere cannot run. Styles are the page's own <style> element; images are the
# page's data: URIs and the site's own SVG files.
CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
PAGE_TEMPLATE = "site_page.html.j2"  # the page: nbconvert's lab template with the site's head, navigation and anchors
STYLESHEET = "site.css"  # the site's one stylesheet, for the notebook pages, the index, docs/ and the explorer


@cache
def asset(name: str) -> str:
    """The text of a file shipped beside this module (the page template, the stylesheet)."""
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


class SiteError(Exception):
    """The site cannot be built (missing or unexecuted notebooks, a missing figure)."""


def in_language(cell, lang: str) -> bool:
    """Whether a notebook cell belongs on a page in ``lang``: a cell tagged ``lang-nl`` or ``lang-en`` only on the
    pages of that language, any other cell on every page. Notebooks write each prose cell twice, once per
    language, so that every page of the site is in one language."""
    tags = {t for t in cell.get("metadata", {}).get("tags", []) if t.startswith(LANG_TAG)}
    return not tags or LANG_TAG + lang in tags


def _heading(cells, lang: str) -> str:
    """The first markdown heading among notebook ``cells`` in ``lang`` (its title), without the leading #'s.
    ``cells`` come from nbformat or straight from the file's JSON (where a source may be a list of lines)."""
    for cell in cells:
        if cell.get("cell_type") == "markdown" and in_language(cell, lang):
            source = cell.get("source", "")
            for line in ("".join(source) if isinstance(source, list) else source).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def _clean_html(text: str) -> str:
    """A table's HTML output made valid HTML5: pandas' ``<style scoped>`` (not HTML5; the site's stylesheet does
    its work) and ``border`` attribute removed, an empty header cell (the unnamed index) made a data cell."""
    text = SCOPED_STYLE.sub("", text)
    text = TABLE_BORDER.sub(r"\1", text)
    return EMPTY_TH.sub("<td></td>", text)


def _prepare(nb, lang: str):
    """The notebook as the page in ``lang`` shows it: cells of the other language left out, table HTML cleaned."""
    nb.cells = [cell for cell in nb.cells if in_language(cell, lang)]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                html = data["text/html"]
                data["text/html"] = _clean_html("".join(html) if isinstance(html, list) else html)
    return nb


def _items_of(nb, name: str, lang: str) -> list[dict]:
    """The report items the notebook's outputs show, in page order, from their metadata (see
    :mod:`peerlearn.report`): id, kind, caption and alt (a figure's image's alt text, else the caption). Marks each
    item's first output for the template (its section and anchor). Raises SiteError naming the notebook ``name``
    and the cell when an output's metadata is malformed or in another language than the page."""
    found = {}
    for number, cell in enumerate(nb.cells, 1):  # numbered as in the file: call before _prepare drops cells
        if not in_language(cell, lang):
            continue
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get(ITEM_KEY)
            if meta is None:
                continue
            if not (
                isinstance(meta, dict)
                and isinstance(meta.get("item"), str)
                and ITEM_ID.fullmatch(meta["item"])
                and meta.get("kind") in ("table", "figure")
                and isinstance(meta.get("caption"), str)
                and meta["caption"].strip()
            ):
                raise SiteError(
                    f"{name}, cell {number}: output metadata {ITEM_KEY!r} is {meta!r}; expected an item id "
                    "(a-z, 0-9, _), a kind (table or figure) and a caption"
                )
            if meta.get("lang") != lang:
                raise SiteError(
                    f"{name}, cell {number}: item {meta['item']!r} is shown in {meta.get('lang')!r}; "
                    f"the page is in {lang!r}"
                )
            if meta["item"] in found:
                continue
            output.metadata[SECTION] = meta["item"]
            alt = output.metadata.get("image/png", {}).get("alt")
            found[meta["item"]] = {
                "id": meta["item"],
                "kind": meta["kind"],
                "caption": meta["caption"],
                "alt": alt or meta["caption"],
            }
    return list(found.values())


def _audit_block(lang: str, words: dict, source: Path) -> str:
    """The audit's summary per table, from the ledger the audit notebook wrote (data/processed/audit_ledger.csv
    under ``source``); nothing when there is no ledger."""
    path = processed_dir(source) / "audit_ledger.csv"
    if not path.is_file():
        return ""
    import pandas as pd

    from .audit import summary_view

    body = summary_view(pd.read_csv(path), lang).to_html(index=False, border=0, na_rep="")
    return f'<section id="audit" class="peerlearn-audit">\n<h2>{_e(words["audit"])}</h2>\n{body}\n</section>\n'


def _index(lang: str, pages: list[dict], audit: str, docs: list) -> str:
    w, style = messages.words("site", lang), asset(STYLESHEET)
    parts = [
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'{CSP_META}\n<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f'<title>{_e(w["title"])}</title>\n<style>{style}</style>\n</head>\n<body>\n<main class="peerlearn-index">\n'
        f"<h1>{_e(w['title'])}</h1>\n<p>{_e(w['intro'])}</p>\n",
        f'<p id="explorer"><a href="{explorer.PAGE}">{_e(messages.text("explorer.link", lang))}</a></p>\n',
        audit,
        f'<section id="notebooks">\n<h2>{_e(w["notebooks"])}</h2>\n',
    ]
    for page in pages:
        parts.append(
            f'<article class="peerlearn-notebook" id="nb-{page["stem"]}">\n'
            f'<h3><a href="{page["file"]}">{_e(page["title"] or page["stem"])}</a></h3>\n'
        )
        tables = [item for item in page["items"] if item["kind"] == "table"]
        figures = [item for item in page["items"] if item["kind"] == "figure"]
        if tables:
            parts.append(f'<h4>{_e(w["tables"])}</h4>\n<ul class="peerlearn-tables">\n')
            for item in tables:
                link = f'<a href="{page["file"]}#{item["id"]}">{_e(item["caption"])}</a>'
                parts.append(
                    f'<li data-item="{item["id"]}">{link} (<a href="data/{item["id"]}.csv">{_e(w["csv"])}</a>)</li>\n'
                )
            parts.append("</ul>\n")
        if figures:
            parts.append(f'<h4>{_e(w["figures"])}</h4>\n<div class="peerlearn-figures">\n')
            for item in figures:
                svg = f"figures/{item['id']}_{lang}.svg"
                parts.append(
                    f'<figure data-item="{item["id"]}"><a href="{page["file"]}#{item["id"]}">'
                    f'<img src="{svg}" alt="{_e(item["alt"])}"></a>\n'
                    f'<figcaption><a href="{page["file"]}#{item["id"]}">{_e(item["caption"])}</a>'
                    f' (<a href="{svg}">{_e(w["svg"])}</a>)</figcaption></figure>\n'
                )
            parts.append("</div>\n")
        parts.append("</article>\n")
    parts.append("</section>\n")
    if docs:
        parts.append(docpages.index_section(docs, lang, w))
    parts.append("</main>\n</body>\n</html>\n")
    return "".join(parts)


def _nav(lang: str, titles: list[tuple[str, str]], i: int) -> str:
    """The navigation line of page ``i``; ``titles``: (file, title) of every page in order."""
    w = messages.words("site", lang)
    links = [f'<a href="index.html">{_e(w["index"])}</a>']
    if i > 0:
        links.append(f'<a href="{titles[i - 1][0]}" rel="prev">{_e(w["previous"])}: {_e(titles[i - 1][1])}</a>')
    if i + 1 < len(titles):
        links.append(f'<a href="{titles[i + 1][0]}" rel="next">{_e(w["next"])}: {_e(titles[i + 1][1])}</a>')
    return " ".join(links)


def _read_page(path: Path, rerun: str, lang: str) -> dict:
    """An executed notebook as a page: stem, file, notebook, title and report items. Raises SiteError when a
    cell was not executed."""
    from .lean_imports import skip_iri_grammar

    skip_iri_grammar()
    import nbformat

    nb = nbformat.read(path, as_version=4)
    if any(c.cell_type == "code" and c.source.strip() and c.get("execution_count") is None for c in nb.cells):
        raise SiteError(f"{os.path.relpath(path)} has cells that were not executed; run `{rerun}` first")
    items = _items_of(nb, path.name, lang)
    nb = _prepare(nb, lang)
    return {"stem": path.stem, "file": f"{path.stem}.html", "nb": nb, "title": _heading(nb.cells, lang), "items": items}


_EXPORTERS: dict = {}


def prepare(lang: str):
    """The page exporter for ``lang``, made once per process and warmed up.
    ``peerlearn reproduce`` makes it before it starts its workers, which then share it."""
    if lang not in _EXPORTERS:
        from .lean_imports import skip_iri_grammar

        skip_iri_grammar()
        import nbformat
        from jinja2 import DictLoader
        from nbconvert import HTMLExporter

        _EXPORTERS[lang] = HTMLExporter(
            template_name="lab",
            template_file=PAGE_TEMPLATE,
            extra_loaders=[DictLoader({PAGE_TEMPLATE: asset(PAGE_TEMPLATE)})],
            language_code=lang,
            exclude_anchor_links=True,
        )
        # A first page compiles the templates and the highlighter's and Markdown parser's patterns (about 1 s);
        # rendering a small one here does it once, before the workers are forked, instead of once per worker.
        warm = nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_markdown_cell("# *a* [b](#c)\n\n- d\n\n| e |\n|---|\n| f |"),
                nbformat.v4.new_code_cell("import g\nh = [1, 'i'] # j"),
            ]
        )
        _EXPORTERS[lang].from_notebook_node(
            warm,
            resources={
                "metadata": {"name": "warm"},
                "peerlearn": {"nav": "", "nav_label_top": "", "nav_label_bottom": "", **_head()},
            },
        )
    return _EXPORTERS[lang]


def _head() -> dict:
    """What the page template puts in every page's head: the content policy and the stylesheet."""
    return {"csp_meta": CSP_META, "css": asset(STYLESHEET)}


def _render(page: dict, lang: str, nav: str) -> str:
    """The HTML of one notebook page (nbconvert's lab template, see site_page.html.j2)."""
    resources = {
        "metadata": {"name": page["title"] or page["stem"]},
        "peerlearn": {
            "nav": nav,
            **_head(),
            "nav_label_top": messages.text("site.nav_top", lang),
            "nav_label_bottom": messages.text("site.nav_bottom", lang),
        },
    }
    return prepare(lang).from_notebook_node(page["nb"], resources=resources)[0]


def render_page(executed: Path, lang: str, books: list[Path]) -> tuple[str, str]:
    """Render one executed notebook's page ahead of :func:`build` (``peerlearn reproduce`` does this in its worker
    processes as each notebook finishes). ``books``: the site's notebooks in order, whose titles make the
    navigation (markdown cells, and so titles, are the same before and after a run). Returns (navigation line,
    page HTML); :func:`build` uses the page only when the navigation it computes itself is the same."""
    import json

    titles = [
        (f"{b.stem}.html", _heading(json.loads(b.read_text(encoding="utf-8")).get("cells", []), lang)) for b in books
    ]
    nav = _nav(lang, titles, [b.stem for b in books].index(executed.stem))
    return nav, _render(_read_page(executed, "peerlearn reproduce", lang), lang, nav)


def build(
    lang: str = DEFAULT_LANG, source=None, out=None, rendered: dict | None = None, data_dir=None, docs=None
) -> Path:
    """Render the executed notebooks under ``source`` (default: where ``peerlearn reproduce --lang`` puts them)
    into ``out`` (default build/site/<lang>); returns the path of index.html. Raises SiteError.

    ``rendered``: pages already rendered by :func:`render_page`, notebook stem -> (navigation, HTML); each is
    used as it is when its navigation matches, so a page is never rendered twice. ``data_dir``: the corpus the
    evidence explorer shows (default: the committed one, or $PEERLEARN_DATA_DIR). ``docs``: the folder whose *.md
    files become the pages under docs/ (default: the checkout's docs/, when there is one)."""
    if lang not in LANGS:
        raise SiteError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    source = Path(source) if source is not None else destination(lang, None)
    out = Path(out) if out is not None else site_dir(lang)
    rendered = rendered or {}
    rerun = "peerlearn reproduce" + ("" if lang == DEFAULT_LANG else f" --lang {lang}")
    books = sorted((source / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not books:
        raise SiteError(f"no executed notebooks in {os.path.relpath(source / 'notebooks')}; run `{rerun}` first")
    pages = [_read_page(path, rerun, lang) for path in books]
    try:
        docs = docpages.read(docpages.default_folder() if docs is None else Path(docs))
    except docpages.DocsError as e:
        raise SiteError(str(e)) from None
    titles = [(page["file"], page["title"]) for page in pages]
    tmp = new_folder(out)  # refuses data/raw, the committed outputs, a link (peerlearn.output)
    try:
        for i, page in enumerate(pages):
            nav = _nav(lang, titles, i)
            ready_nav, body = rendered.get(page["stem"], (None, None))
            if ready_nav != nav:
                body = _render(page, lang, nav)
            (tmp / page["file"]).write_text(body, encoding="utf-8")
        for item in [item for page in pages for item in page["items"]]:
            name, folder = (
                (f"{item['id']}_{lang}.svg", figures_dir(source))
                if item["kind"] == "figure"
                else (f"{item['id']}.csv", processed_dir(source))
            )
            target = tmp / ("figures" if item["kind"] == "figure" else "data") / name
            if not (folder / name).is_file():
                raise SiteError(f"{os.path.relpath(folder / name)} is missing; run `{rerun}` first")
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(folder / name, target)
        style = asset(STYLESHEET)
        docpages.write(docs, tmp / "docs", lang, style, CSP_META)
        (tmp / explorer.PAGE).write_text(
            explorer.page(lang, style, data_dir), encoding="utf-8"
        )  # the evidence explorer
        (tmp / explorer.SCRIPT).write_text(explorer.script(), encoding="utf-8")
        audit = _audit_block(lang, messages.words("site", lang), source)
        (tmp / "index.html").write_text(_index(lang, pages, audit, docs), encoding="utf-8")
        out = replace_folder(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out / "index.html"


def run(
    lang: str = DEFAULT_LANG,
    source=None,
    out=None,
    stdout=sys.stdout,
    stderr=sys.stderr,
    rendered: dict | None = None,
    data_dir=None,
    docs=None,
) -> int:
    """Build the site and say where it is; returns the exit code (0 ok, 1 failure). ``data_dir``: the corpus the
    outputs come from (the explorer page lists its studies); ``docs``: see :func:`build`."""
    try:
        index = build(lang, source, out, rendered, data_dir=data_dir, docs=docs)
    except (SiteError, OutputError) as e:
        print(f"peerlearn site: {e}", file=stderr)
        return 1
    print(f"site: {os.path.relpath(index)} (open it in any browser; it works offline)", file=stdout)
    return 0
