"""The student's path through the realist synthesis: own-words evidence notes, the walkthrough pages, the primer."""

from __future__ import annotations

import copy
import functools
import re
from itertools import combinations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peerlearn as pl
from browser import needs_browser
from budgets import examples
from peerlearn import lessons as L
from peerlearn import messages, primer
from peerlearn import questions as Q
from peerlearn import walkthrough as W

LANGS = ("nl", "en")
HYPOTHESES = list(range(1, 14))


def _pairs() -> pd.DataFrame:
    c = pl.load_citations()
    c = c[c["code_kind"] == "hypothesis"]
    return c.assign(hypothesis=c["code"].astype(str).str[1:].astype(int))


def test_every_cited_pair_has_exactly_one_note_and_every_note_a_citation():
    notes = pl.load_hypothesis_evidence_notes()
    cited = _pairs().groupby(["hypothesis", "study_id"], sort=False)
    assert not notes.duplicated(["hypothesis", "study_id"]).any()
    assert set(zip(notes["hypothesis"], notes["study_id"])) == set(cited.groups)
    assert len(notes) == len(cited.groups) == 96


def test_notes_agree_with_the_citations_they_rest_on():
    notes = pl.load_hypothesis_evidence_notes().set_index(["hypothesis", "study_id"])
    for (h, s), rows in _pairs().groupby(["hypothesis", "study_id"], sort=False):
        note = notes.loc[(h, s)]
        assert note["statement_ids"].split() == list(rows["statement_id"])
        assert note["basis"].split() == [f"{r.statement_id}:{r.source_line}" for r in rows.itertuples()]
        directions = set(rows["direction"].astype(str))
        expected = (
            {"positive": "supports", "negative": "contradicts"}[directions.pop()] if len(directions) == 1 else "mixed"
        )
        assert note["direction"] == expected, (h, s)
        assert str(note["configuration"]).startswith(f"h{h}_")
        assert note["finding_nl"].strip() and note["finding_en"].strip() and note["finding_nl"] != note["finding_en"]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ0-9’']+", text.lower())


def test_no_finding_copies_eight_words_of_the_report(report_lines):
    text = re.sub(r"-\s*\n\s*", "", "\n".join(report_lines))  # words hyphenated across lines joined again
    text = re.sub(r"(?<=[^\W\d_])\d+(?:, ?\d+)*", "", text)  # superscript study numbers glued to a word
    words = _words(text)
    grams = {tuple(words[i : i + 8]) for i in range(len(words) - 7)}
    notes = pl.load_hypothesis_evidence_notes()
    copied = [
        (r.hypothesis, r.study_id, lang, " ".join(w[i : i + 8]))
        for r in notes.itertuples()
        for lang in LANGS
        for w in [_words(getattr(r, f"finding_{lang}"))]
        for i in range(len(w) - 7)
        if tuple(w[i : i + 8]) in grams
    ]
    assert not copied
    # the check can fail: a sentence of the report itself is caught
    line = int(notes["basis"].iloc[0].split()[0].split(":")[1])
    probe = _words(" ".join(report_lines[line - 1 : line + 2]))
    assert any(tuple(probe[i : i + 8]) in grams for i in range(len(probe) - 7))


def test_codebook_documents_the_unknown_setting_rule_and_the_judgement_calls():
    cb = pl.load_codebook()
    for column in L.SETTING:
        assert "never guessed" in cb.field("studies", column)["description"]
    assert "judgement call" in cb.vocabulary("evidence_configuration").description
    assert "Judgement calls" in cb.resource("hypothesis_evidence_notes")["description"]
    field = cb.field("hypothesis_evidence_notes", "configuration")
    assert field["constraints"]["enum"] == list(cb.vocabulary("evidence_configuration").codes)


def test_a_configuration_of_another_hypothesis_is_refused(corpus):
    path = corpus / "hypothesis_evidence_notes.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",h1_knowledge,", ",h2_less_isolation,", 1), encoding="utf-8"
    )
    with pytest.raises(pl.CorpusError, match=r"hypothesis_evidence_notes.csv, line 2, column 'configuration'"):
        pl.load_hypothesis_evidence_notes(data_dir=corpus)


@functools.cache
def _committed_evidence(h: int):
    return pl.hypothesis_evidence(h)


def _evidence(h: int):
    """``pl.hypothesis_evidence(h)`` on the committed corpus, computed once per run; each caller gets its own copy."""
    return copy.deepcopy(_committed_evidence(h))


@functools.cache
def _page(h: int, lang: str) -> str:
    """The walkthrough page of hypothesis ``h``, made once per run when a test first needs it (not at collection)."""
    return W.page(_evidence(h), lang)


def _tables(page: str) -> list[list[str]]:
    """The Markdown tables of a page, as lists of lines."""
    blocks, current = [], []
    for line in page.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("h", HYPOTHESES)
def test_hypothesis_page_is_whole_and_has_no_empty_table(h, lang):
    page = _page(h, lang)
    assert "…" not in page and "..." not in page
    tables = _tables(page)
    assert tables and all(len(t) >= 3 for t in tables)  # header, rule, at least one row
    assert "<table" not in page
    ev = _evidence(h)
    body = page.split(f"#### {messages.text('lessons.section.notes', lang)}")[0]
    assert not re.search(r"\bS\d{3}\b", body), "statement ids only in the footnotes"
    for r in ev.notes.itertuples():
        assert L.esc(getattr(r, f"finding_{lang}")) in page
        assert f"**{messages.text('lessons.study', lang)} {r.study_id}**" in page


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("h", HYPOTHESES)
def test_answers_are_hidden_until_opened(h, lang):
    page = _page(h, lang)
    pairs = Q.questions(_evidence(h), lang)
    assert len(pairs) >= 3
    details = re.findall(r"<details><summary>[^<]+</summary>(.*?)</details>", page, re.S)
    assert len(details) == len(pairs)
    outside = re.sub(r"<details>.*?</details>", "", page, flags=re.S)
    for (_, answer), hidden in zip(pairs, details):
        assert answer in hidden and answer not in outside


@pytest.mark.parametrize("lang", LANGS)
def test_questions_differ_between_hypotheses(lang):
    asked = {h: {q for q, _ in Q.questions(_evidence(h), lang)} for h in HYPOTHESES}
    for a, b in combinations(HYPOTHESES, 2):
        assert not asked[a] & asked[b], (a, b, asked[a] & asked[b])


def test_answers_follow_the_data(corpus):
    path = corpus / "hypothesis_evidence_notes.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("S093:522,The statement", "S093:522,Changed")
        .replace(",contradicts,S093:522", ",supports,S093:522"),
        encoding="utf-8",
    )
    c = corpus / "citations.csv"
    c.write_text(
        c.read_text(encoding="utf-8")
        .replace("S093,41,realist_synthesis,hypothesis,H8,negative", "S093,41,realist_synthesis,hypothesis,H8,positive")
        .replace(
            "S093,51,realist_synthesis,hypothesis,H8,negative", "S093,51,realist_synthesis,hypothesis,H8,positive"
        ),
        encoding="utf-8",
    )
    text = path.read_text(encoding="utf-8").replace("8,41,S091 S093,h8_video_helps,", "8,41,S091 S093,h8_video_helps,")
    text = re.sub(r"^(8,(41|51),.*),(mixed|contradicts),", r"\1,supports,", text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    before = Q.questions(pl.hypothesis_evidence(8), "en")[2]
    after = Q.questions(pl.hypothesis_evidence(8, data_dir=corpus), "en", data_dir=corpus)[2]
    assert "question mark" in before[0] and "No cited study contradicts" in after[0]


def test_h12_explains_why_its_studies_cannot_be_traced():
    ev = pl.hypothesis_evidence(12)
    assert ev.notes.empty and ev.n_studies_published == 36
    for lang, words in (
        ("nl", ("Waarom je hier geen studies ziet", "Wat betekent dat voor je oordeel")),
        ("en", ("Why you see no studies here", "What this means for judging it")),
    ):
        page = _page(12, lang)
        assert all(w in page for w in words) and f"**{ev.n_studies_published} studies**" in page


@pytest.mark.parametrize("h", HYPOTHESES)
def test_each_page_is_in_one_language(h):
    for lang, other in (("nl", "en"), ("en", "nl")):
        page = _page(h, lang)
        mine, theirs = messages.words("lessons", lang), messages.words("lessons", other)
        foreign = [w for k, w in theirs.items() if "{" not in w and w != mine[k] and len(w) > 8 and w in page]
        assert not foreign, foreign
        walk = messages.words("walkthrough", other)
        assert walk["intro"][20:80] not in page and walk["verdict"][:30] not in page


def test_direction_is_explained_for_hypothesis_and_factor_rows():
    for lang, words in (
        ("nl", ("ondersteunt", "spreekt haar tegen", "helpt", "hindert")),
        ("en", ("supports", "contradicts", "helps", "hinders")),
    ):
        text = W.section("direction", pl.hypothesis_evidence(3), lang)
        assert all(w in text for w in words)
        assert re.search(r"(studie|study) \d+", text), "an example from the data"


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("ab <>&\"'*_|`")), min_size=1, max_size=30).filter(lambda t: t.strip()))
def test_text_from_the_data_is_escaped(corpus, text):
    path = corpus / "hypothesis_evidence_notes.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    marked = f"zq{text}qz"  # a marker around it, so that only this text is looked for
    frame.loc[0, "finding_en"] = marked
    frame.to_csv(path, index=False, lineterminator="\n")
    page = L.evidence_markdown(pl.hypothesis_evidence(1, data_dir=corpus), "en", data_dir=corpus)
    assert L.esc(marked) in page
    if set(text) & set("<>&\"'*_|`"):
        assert marked not in page


@pytest.mark.parametrize("lang", LANGS)
def test_primer_maps_the_review_onto_the_19_rameses_items(lang):
    page = primer.page(lang)
    coverage = primer.rameses_coverage()
    assert list(coverage["item"]) == list(range(1, 20)) and set(coverage["covered"]) == {"yes", "partly", "no"}
    assert (coverage["section"] != "").equals(coverage["covered"] != "no")
    table = _tables(page)
    assert len(table) == 1 and len(table[0]) == 2 + 19
    assert "10.1186/1741-7015-11-21" in page and "…" not in page and "..." not in page
    flow = pl.load_selection_flow().set_index("step")["n"]
    assert f"{flow['articles_included']}" in page and f"{flow['studies_included']}" in page
    other = messages.words("primer", "en" if lang == "nl" else "nl")
    assert other["title"] not in page and other["direction"].split("\n")[0] not in page


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_executed_walkthrough_keeps_hidden_answers_in_the_site(lang, tmp_path):
    """One executed notebook per language (hypothesis 12, the hardest page), rendered as the site renders it."""
    import nbformat
    from nbconvert import HTMLExporter

    out = W.render(12, lang, output=tmp_path / f"h12_{lang}.ipynb")
    nb = nbformat.read(out, as_version=4)
    shown = "\n".join(
        o["data"]["text/markdown"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "text/markdown" in o.get("data", {})
    )
    assert shown.count("<details><summary>") == len(Q.questions(pl.hypothesis_evidence(12), lang))
    assert messages.text("lessons.untraceable", lang)[:40] in shown and "…" not in shown and "..." not in shown
    page = HTMLExporter(template_name="lab").from_notebook_node(nb)[0]
    assert page.count("<details><summary>") == shown.count("<details><summary>")


@pytest.mark.slow
@needs_browser
def test_answers_stay_hidden_in_the_site_until_the_student_opens_them(site_nl, browser):
    """Headless Chromium on the site's walkthrough page: every answer is hidden, and shown once its summary is
    clicked."""
    page_file = site_nl.parent / "07_realist_synthesis_walkthrough.html"
    page = browser.new_page()
    page.goto(page_file.as_uri(), wait_until="load")
    details = page.locator("details")
    n = details.count()
    assert n == len(Q.questions(pl.hypothesis_evidence(1), "nl"))
    for i in range(n):
        answer = details.nth(i).locator("p")
        assert details.nth(i).locator("summary").is_visible() and not answer.is_visible()
        details.nth(i).locator("summary").click()
        assert answer.is_visible() and answer.inner_text().strip()
