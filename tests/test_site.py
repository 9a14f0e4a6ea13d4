"""The static site without a browser: offline by construction, same bytes on a rebuild, clear errors,
and the audit block built from the ledger the audit notebook wrote."""

from __future__ import annotations

import io
import re
import shutil

import pandas as pd
import pytest

from peerlearn import messages, site
from peerlearn.paths import REPO_ROOT
from peerlearn.reproduce import notebooks


@pytest.mark.slow  # builds the whole site from every notebook
def test_pages_load_nothing_from_the_network(site_nl, docs_dir):
    pages = sorted(site_nl.parent.rglob("*.html"))
    assert {p.relative_to(site_nl.parent).as_posix() for p in pages} == {"index.html", "explorer.html"} | {
        f"{nb.stem}.html" for nb in notebooks()
    } | {f"docs/{d.stem}.html" for d in docs_dir.glob("*.md")}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), page.name
        # one script in the whole site: the explorer's own file, beside its page
        scripts = re.findall(r"<script[^>]+src=[^>]*>", text)
        assert not re.search(r"@import", text) and scripts == (
            ['<script src="explorer.js" defer>'] if page.name == "explorer.html" else []
        ), page.name
    assert "fetch(" not in (site_nl.parent / "explorer.js").read_text(encoding="utf-8")


@pytest.mark.slow  # builds the whole site from every notebook
def test_a_rebuild_writes_the_same_bytes(site_nl, docs_dir, tmp_path):
    again = site.build("nl", source=REPO_ROOT, out=tmp_path / "nl", docs=docs_dir)
    first = {p.relative_to(site_nl.parent): p.read_bytes() for p in site_nl.parent.rglob("*") if p.is_file()}
    second = {p.relative_to(again.parent): p.read_bytes() for p in again.parent.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_missing_or_unexecuted_notebooks_give_one_line(tmp_path):
    err = io.StringIO()
    assert site.run("en", source=tmp_path, out=tmp_path / "site", stderr=err) == 1
    assert err.getvalue().count("\n") == 1 and "run `peerlearn reproduce --lang en` first" in err.getvalue()
    (tmp_path / "notebooks").mkdir()
    shutil.copy(REPO_ROOT / "notebooks" / "03_factors.ipynb", tmp_path / "notebooks")
    text = (tmp_path / "notebooks" / "03_factors.ipynb").read_text(encoding="utf-8")
    (tmp_path / "notebooks" / "03_factors.ipynb").write_text(
        re.sub(r'"execution_count": \d+', '"execution_count": null', text), encoding="utf-8"
    )
    with pytest.raises(site.SiteError, match=r"03_factors\.ipynb has cells that were not executed"):
        site.build("nl", source=tmp_path, out=tmp_path / "site")
    assert not (tmp_path / "site").exists()


@pytest.mark.slow  # builds the whole site from every notebook
def test_a_missing_figure_stops_the_build_and_keeps_the_old_site(tmp_path):
    source = tmp_path / "tree"
    for part in ("notebooks", "figures", "data/processed"):
        shutil.copytree(REPO_ROOT / part, source / part)
    (source / "figures" / "figuur_3_doen_nl.svg").unlink()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old", encoding="utf-8")
    with pytest.raises(site.SiteError, match=r"figuur_3_doen_nl.svg is missing"):
        site.build("nl", source=source, out=tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "old"
    assert {p.name for p in tmp_path.iterdir()} == {"tree", "site"}, "a temporary folder was left behind"


def test_the_audit_block_summarises_the_ledger_the_audit_notebook_wrote(tmp_path):
    from peerlearn import audit

    words = messages.words("site", "en")
    assert site._audit_block("en", words, tmp_path) == ""  # no ledger, no block
    processed = tmp_path / "data" / "processed"
    processed.mkdir(parents=True)
    ledger = pd.read_csv(REPO_ROOT / "data" / "processed" / "audit_ledger.csv")
    first = ledger.index[ledger["status"] == "consistent"][0]
    ledger.loc[first, "status"] = "inconsistent"  # one more inconsistent number
    ledger.to_csv(processed / "audit_ledger.csv", index=False)
    block = site._audit_block("en", words, tmp_path)
    assert block.startswith('<section id="audit"') and words["audit"] in block and "<th>Inconsistent</th>" in block
    total = audit.summary(ledger).set_index("table").loc["total"]
    assert (
        f"<td>total</td>\n      <td>{total['numbers']}</td>\n      <td>{total['consistent']}</td>\n      "
        f"<td>{total['inconsistent']}</td>" in block
    )
    assert (
        total["inconsistent"]
        == audit.summary(pd.read_csv(REPO_ROOT / "data" / "processed" / "audit_ledger.csv"))
        .set_index("table")
        .loc["total", "inconsistent"]
        + 1
    )


@pytest.mark.slow  # builds the whole site from every notebook
def test_pages_rendered_ahead_by_reproduce_are_the_pages_the_build_writes(site_nl, tmp_path):
    """`peerlearn reproduce` renders each page in its worker as the notebook ends (site.render_page); the build
    uses such a page only when its navigation is the one the build computes, so the site is the same either way."""
    books = notebooks()
    ahead = {b.stem: site.render_page(b, "nl", books) for b in books}
    for b in books:
        assert ahead[b.stem][1] == (site_nl.parent / f"{b.stem}.html").read_text(encoding="utf-8"), b.stem
    marked = {stem: (nav, html.replace("</body>", "<!-- ahead --></body>")) for stem, (nav, html) in ahead.items()}
    first, second = books[0].stem, books[1].stem
    marked[second] = ("another navigation", marked[second][1])  # stale: must be rendered again
    site.build("nl", source=REPO_ROOT, out=tmp_path / "nl", rendered=marked)
    assert "<!-- ahead -->" in (tmp_path / "nl" / f"{first}.html").read_text(encoding="utf-8")
    assert (tmp_path / "nl" / f"{second}.html").read_text(encoding="utf-8") == ahead[second][1]
