"""Both languages: every label in the English tables and figures is English wherever the codebook has
an English label that differs from the Dutch one; labels come from the codebook of the corpus used."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest

from peerlearn import load_codebook, messages, report
from peerlearn import tables as T
from report_items import FIGURES, TABLES


def _dutch_only() -> set[str]:
    """Every Dutch label (vocabularies, column labels, display titles) whose English differs and is no English label."""
    cb = load_codebook()
    pairs = [(v.labels[c]["nl"], v.labels[c]["en"]) for v in cb.vocabularies.values() for c in v.codes]
    pairs += [
        (f["labels"]["nl"], f["labels"]["en"])
        for r in cb.resources.values()
        for f in r["schema"]["fields"]
        if "labels" in f
    ]
    titles = {lang: T.column_titles(lang) for lang in ("nl", "en")}
    pairs += [(titles["nl"][c], titles["en"][c]) for c in titles["nl"]] + [
        (t["nl"], t["en"]) for m, t in messages.catalogue().items() if m.startswith("tables.row.")
    ]
    pairs += [(t["nl"], t["en"]) for m, t in messages.catalogue().items() if m.startswith("figures.")]
    english = {en for _, en in pairs}
    return {nl for nl, en in pairs if nl != en and nl not in english}


DUTCH = _dutch_only()


def _strings(table: pd.DataFrame) -> set[str]:
    cells = {v for col in table.columns for v in table[col] if isinstance(v, str)}
    return cells | {str(c) for c in table.columns}


def _svg_text(path) -> str:
    """The figure's text, wrapped lines joined again ("interventie-" + "gerelateerd" -> "interventie-gerelateerd")."""
    lines = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", path.read_text(encoding="utf-8"), re.S)]
    return " ".join(lines).replace("- ", "-")


def _dutch_in(text: str) -> set[str]:
    return {nl for nl in DUTCH if re.search(r"(?<![\w-])" + re.escape(nl) + r"(?![\w-])", text)}


def test_the_codebook_has_dutch_labels_to_look_for():
    assert len(DUTCH) > 100 and "Persoonlijk domein" in DUTCH


@pytest.mark.parametrize("item", TABLES, ids=lambda i: i.id)
def test_english_table_has_no_dutch_label(item):
    table = item.build(data_dir=None)
    assert not _strings(T.labelled(table, "en")) & DUTCH
    if set(table.columns) & (
        set(T.CODE_VOCABULARIES) | set(T.column_titles("en"))
    ):  # a table that labelled() translates
        assert _strings(T.labelled(table, "nl")) & DUTCH, (
            "the Dutch table should show Dutch labels (else this test checks nothing)"
        )


@pytest.mark.slow  # draws every figure (about a second each)
@pytest.mark.parametrize("item", FIGURES, ids=lambda i: i.id)
def test_english_figure_has_no_dutch_label(item, out_dir):
    for lang in ("en", "nl"):
        report.figure(item.id, lang)
    assert not _dutch_in(_svg_text(out_dir / "figures" / f"{item.id}_en.svg"))
    assert _dutch_in(_svg_text(out_dir / "figures" / f"{item.id}_nl.svg"))


def test_every_report_item_has_an_english_title():
    """Each item's English title (message report.item.<id>) is its own text, not the Dutch one."""
    same = [i.id for i in report.ITEMS.values() if i.title("en") == i.title("nl")]
    assert same == []


def test_labels_come_from_the_codebook_of_the_corpus_used(corpus, out_dir):
    path = corpus / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    for code in package["vocabularies"]["domain"]["codes"]:
        if code["code"] == "personal":
            code["en"] = "Own domain"
    path.write_text(json.dumps(package), encoding="utf-8")
    report.figure("figuur_2_denken", "en", data_dir=corpus)
    assert "Own domain" in _svg_text(out_dir / "figures" / "figuur_2_denken_en.svg")
    table = report.show(report.ITEMS["tabel_5_domain_effects"].build(data_dir=corpus), "en", data_dir=corpus)
    assert "Own domain" in set(table["Domain"])
