"""Nothing from the data runs as code or markup (issue 12 part 2): hostile labels, CMO texts, verdict and role
labels injected into a copy of the corpus stay text in the walkthrough's Markdown and tables as the site renders
them, in Dutch and English; in Chromium no script runs and no javascript: link exists."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from browser import needs_browser
from budgets import examples
from peerlearn import site
from peerlearn import walkthrough as W
from peerlearn.paths import RAW_DIR, REPO_ROOT
from peerlearn.synthesis import evidence_overview, hypothesis_evidence

# what an attacker would write, plus any other characters; every marker tag and attribute is named zq*
ATTACKS = [
    "<zqimg src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "[zq](javascript:alert(3))",
    "<details open ontoggle=alert(4)>",
    '"><zqb zqon=1>',
    "<!-- ",
    "&lt;zq&gt;",
    "`<zqc>`",
    "\n\n<zqd>\n\n",
    "    <zqe>",
    "![zq](javascript:alert(5))",
    "<javascript:alert(6)>",
    "*",
    "_",
    "|",
    "#",
]
# other characters: printable ones (validate refuses control characters in cells, see tests/test_usable.py)
HOSTILE = st.lists(
    st.one_of(st.sampled_from(ATTACKS), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=3)),
    min_size=1,
    max_size=5,
).map("".join)


def _rewrite(path: Path, change) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        change(row)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def inject(corpus: Path, text: str) -> None:
    """``text`` (numbered, so labels stay distinct) in every hypothesis label, CMO text, study label and the
    verdict, role, basis and direction labels of the codebook, in nl and en."""
    count = iter(range(10**6))
    for table, columns in (
        ("hypotheses.csv", ("label_nl", "label_en")),
        ("hypothesis_cmo.csv", ("text_nl", "text_en")),
        ("studies.csv", ("label_nl", "label_en")),
    ):
        _rewrite(
            corpus / table,
            lambda row, columns=columns: row.update({c: f"{text}{next(count)}" for c in columns if row[c]}),
        )
    package = json.loads((corpus / "datapackage.json").read_text(encoding="utf-8"))
    for vocabulary in ("verdict", "hypothesis_role", "cmo_basis", "direction"):
        for code in package["vocabularies"][vocabulary]["codes"]:
            code.update({lang: f"{text}{next(count)}" for lang in ("nl", "en")})
    (corpus / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")


def walkthrough_page(hypothesis: int, lang: str, data_dir) -> str:
    """The walkthrough's texts and tables for one hypothesis, as outputs of a notebook the site renders."""
    ev = hypothesis_evidence(hypothesis, data_dir)
    out = nbformat.v4.new_output
    cells = [
        nbformat.v4.new_code_cell(
            "W.page()",
            execution_count=1,
            outputs=[
                out("display_data", data={"text/markdown": W.page(ev, lang, data_dir), "text/plain": "<Markdown>"})
            ],
        )
    ]
    tables = [W.overview_table(evidence_overview(data_dir), ev, lang, data_dir)]
    cells += [
        nbformat.v4.new_code_cell(
            "table",
            execution_count=1,
            outputs=[
                out("execute_result", execution_count=1, data={"text/html": t._repr_html_(), "text/plain": repr(t)})
            ],
        )
        for t in tables
    ]
    nb = site._prepare(nbformat.v4.new_notebook(cells=cells), lang)
    return site._render({"nb": nb, "title": "walkthrough", "stem": "w"}, lang, "")


def markup_from_data(html: str) -> list:
    """Elements, attributes and links in ``html`` that can only have come from the injected text."""
    from test_site_standards import Page

    found = []
    for tag, attrs in Page(html).elements:
        if tag.startswith("zq") or tag in {"script", "iframe"}:
            found.append(tag)
        found += [(tag, name) for name in attrs if name.startswith(("on", "zq"))]
        found += [
            (tag, value)
            for name, value in attrs.items()
            if name in ("href", "src") and value and value.strip().lower().startswith("javascript")
        ]
    return found


@pytest.mark.slow
@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE, hypothesis=st.sampled_from([1, 3, 12]))
def test_data_text_never_becomes_markup(corpus, text, hypothesis):
    from test_site_standards import Page

    def details(html):  # the page's own hidden answers; injected text must not add any
        return sum(tag == "details" for tag, _ in Page(html).elements)

    baseline = {lang: details(walkthrough_page(hypothesis, lang, RAW_DIR)) for lang in ("nl", "en")}
    inject(corpus, text)
    for lang in ("nl", "en"):
        html = walkthrough_page(hypothesis, lang, corpus)
        assert markup_from_data(html) == [] and details(html) == baseline[lang], (lang, text)


def test_the_check_sees_markup_that_gets_through(corpus, monkeypatch):
    """Without escaping, the same check fails: the defect of issue 12 part 2."""
    inject(corpus, ATTACKS[0] + ATTACKS[2])
    monkeypatch.setattr(W, "markdown", lambda text: text)
    found = markup_from_data(walkthrough_page(1, "nl", corpus))
    assert "zqimg" in found and ("zqimg", "onerror") in found and ("a", "javascript:alert(3)") in found


@pytest.mark.slow
@needs_browser
def test_hostile_labels_run_nothing_in_the_walkthrough_page(corpus, tmp_path, browser):
    """`peerlearn walkthrough` on a corpus with hostile labels (which passes `validate`), its page opened in Chromium,
    in nl and en: no dialog, no javascript: link, and the label is shown as text."""
    inject(corpus, "<img src=x onerror=alert(1)>[zq](javascript:alert(2))")
    cli = [sys.executable, "-m", "peerlearn"]
    assert subprocess.run([*cli, "validate", "--data-dir", str(corpus)], capture_output=True).returncode == 0
    for lang in ("nl", "en"):
        executed = tmp_path / lang / "walkthrough.ipynb"
        run = subprocess.run(
            [
                *cli,
                "walkthrough",
                "--hypothesis",
                "1",
                "--lang",
                lang,
                "--data-dir",
                str(corpus),
                "--output",
                str(executed),
            ],
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
        )
        assert run.returncode == 0, run.stderr
        html = tmp_path / lang / "walkthrough.html"
        html.write_text(site._render(site._read_page(executed, "x", lang), lang, ""), encoding="utf-8")
        page, dialogs = browser.new_page(), []
        page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
        page.goto(html.as_uri(), wait_until="load")
        page.mouse.move(300, 300)
        page.wait_for_timeout(300)
        assert dialogs == [] and page.locator("a[href^='javascript']").count() == 0, lang
        assert "<img src=x onerror=alert(1)>[zq](javascript:alert(2))" in page.inner_text("body"), lang
