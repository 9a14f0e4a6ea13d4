"""The audit's page is readable on a laptop (issue 15 part 3): the findings first, then the summary, the full ledger
at the bottom, and at 1366 x 768 nothing wider than the page (long text wraps inside the table cells)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from browser import needs_browser
from peerlearn import findings
from peerlearn.messages import text
from peerlearn.paths import REPO_ROOT

pytestmark = [pytest.mark.slow, needs_browser]
WIDER = """() => {
  const page = document.documentElement.clientWidth;
  return [...document.querySelectorAll('table, pre, img')].filter(e => e.getBoundingClientRect().right > page + 1
    || e.scrollWidth > e.clientWidth + 1).length;
}"""


def layout(browser, path: Path, shot: Path) -> dict:
    """What a 1366 x 768 window shows of a page: its width, elements wider than the page, its headings."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    page.screenshot(path=str(shot))
    seen = {
        "scroll": page.evaluate("document.documentElement.scrollWidth"),
        "wider": page.evaluate(WIDER),
        "h2": [h.strip() for h in page.eval_on_selector_all("main h2", "els => els.map(e => e.textContent)")],
        "findings": page.locator("main h3").count(),
        "last_rows": page.evaluate(
            "(() => { const t = [...document.querySelectorAll('main table')].pop();"
            " return t.tBodies[0].rows.length; })()"
        ),
    }
    context.close()
    return seen


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_findings_first_and_no_sideways_scrolling(browser, sites, lang, tmp_path):
    seen = layout(browser, sites[lang] / "06_audit.html", tmp_path / f"06_audit_{lang}.png")
    assert seen["scroll"] <= 1366 and seen["wider"] == 0, seen
    assert seen["h2"][0] == text("findings.title", lang)
    assert seen["h2"][1] == {"nl": "Samenvatting", "en": "Summary"}[lang]
    assert seen["h2"][-1] == {"nl": "Het volledige grootboek", "en": "The full ledger"}[lang]
    assert seen["findings"] == len(findings.findings())
    assert seen["last_rows"] == len(pd.read_csv(REPO_ROOT / "data" / "processed" / "audit_ledger.csv"))


def test_the_check_sees_a_table_too_wide(browser, site_nl, tmp_path):
    """The check above can fail: the same page without the site's rules that let table cells wrap."""
    page = (site_nl.parent / "06_audit.html").read_text(encoding="utf-8")
    wide = page.replace("td { overflow-wrap: anywhere; }", "").replace(
        ".jp-OutputArea-output table { max-width: 100%; }", ""
    )
    assert wide != page
    (tmp_path / "wide.html").write_text(wide, encoding="utf-8")
    assert layout(browser, tmp_path / "wide.html", tmp_path / "wide.png")["wider"] > 0
