"""The static site without a browser: offline by construction, same bytes on a rebuild, clear errors,
and the audit block that appears only when peerlearn.audit provides a summary."""
from __future__ import annotations

import io
import re
import shutil
import sys
import types

import pandas as pd
import pytest

from peerlearn import site
from peerlearn.paths import REPO_ROOT
from peerlearn.reproduce import notebooks


def test_pages_load_nothing_from_the_network(site_nl):
    pages = sorted(site_nl.parent.glob("*.html"))
    assert {p.name for p in pages} == {"index.html"} | {f"{nb.stem}.html" for nb in notebooks()}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), page.name
        assert not re.search(r"@import|<script[^>]+src=", text), page.name


def test_a_rebuild_writes_the_same_bytes(site_nl, tmp_path):
    again = site.build("nl", source=REPO_ROOT, out=tmp_path / "nl")
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
    (tmp_path / "notebooks" / "03_factors.ipynb").write_text(re.sub(r'"execution_count": \d+', '"execution_count": null', text),
                                                             encoding="utf-8")
    with pytest.raises(site.SiteError, match="03_factors.ipynb has cells that were not executed"):
        site.build("nl", source=tmp_path, out=tmp_path / "site")
    assert not (tmp_path / "site").exists()


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


@pytest.fixture
def audit(monkeypatch):
    """A stand-in for peerlearn.audit (the real one may exist, or not)."""
    import peerlearn

    module = types.ModuleType("peerlearn.audit")
    monkeypatch.setitem(sys.modules, "peerlearn.audit", module)
    monkeypatch.setattr(peerlearn, "audit", module, raising=False)
    return module


def test_the_audit_block_shows_the_summary_when_there_is_one(audit):
    words = site.WORDS["en"]
    assert site._audit_block("en", words) == ""
    audit.summary = lambda lang="nl": pd.DataFrame({"status": ["ok", "differs"], "numbers": [310, 4]})
    block = site._audit_block("en", words)
    assert block.startswith('<section id="audit"') and "<td>differs</td>" in block and words["audit"] in block
    audit.summary = lambda: {"checked": 314}
    assert "<th>checked</th><td>314</td>" in site._audit_block("nl", site.WORDS["nl"])

    audit.ledger = lambda: pd.DataFrame({"status": ["ok", "ok", "differs"]})
    audit.summary = lambda led: led["status"].value_counts().rename_axis("status").reset_index()
    assert "<td>ok</td>\n      <td>2</td>" in site._audit_block("en", words)
    audit.summary_view = lambda led, lang="nl": pd.DataFrame({"Oordeel" if lang == "nl" else "Status": led["status"]})
    assert "<th>Oordeel</th>" in site._audit_block("nl", site.WORDS["nl"])

    def broken():
        raise KeyError("status")
    audit.summary = broken
    del audit.summary_view
    assert "KeyError" in site._audit_block("en", words)
