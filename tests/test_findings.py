"""The audit's flags grouped into findings: one cause, every printed number it explains, in words."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import commands
from budgets import examples
from peerlearn import audit as A
from peerlearn.findings import FORMATS, corrections, findings, render


@pytest.fixture(scope="module")
def led():
    return A.ledger(figures=False)


@pytest.fixture(scope="module")
def found(led):
    return findings(led=led)


def _flags(led) -> int:
    per_number = A.numbers(led)
    return int((per_number["status"] == A.INCONSISTENT).sum())


def test_every_flag_is_in_exactly_one_finding(led, found):
    keys = [(n.table, n.row, n.column, n.measure) for f in found for n in (f.number, *f.consequences)]
    assert len(keys) == len(set(keys)) == _flags(led)


def test_a_recorded_correction_is_one_finding_with_its_consequences(found):
    recorded = corrections()
    assert recorded, "the corpus records at least one correction beside a printed number"
    for correction in recorded:
        finding = next(
            f
            for f in found
            if (f.number.published, f.number.likely) == (correction["printed"], correction["corrected"])
        )
        assert finding.consequences, "a misprint that breaks its percentage and totals explains more than itself"
        assert {c.table for c in finding.consequences} == {finding.number.table}
        assert finding.correction["en"] == correction["reason"]


def test_without_the_correction_the_flags_stand_alone(corpus, led):
    path = corpus / "characteristics.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    column = rows[0].index("n_corrected")
    for row in rows[1:]:
        row[column] = ""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    alone = findings(corpus, led=A.ledger(corpus, figures=False))
    assert all(not f.consequences for f in alone)
    assert len(alone) == _flags(led)


def test_applying_a_correction_leaves_the_corpus_untouched(corpus):
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    findings(corpus, led=A.ledger(corpus, figures=False))
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before


def test_places_are_named_in_words_with_labels(found):
    coaching = next(f for f in found if f.consequences)
    assert "Bijlage D deel 1" in coaching.number.where["nl"]
    assert "activity_type" not in coaching.number.where["en"] and "student" not in coaching.number.where["en"].split()
    assert "Coaching" in coaching.number.where["en"] and "Coachend" in coaching.number.where["nl"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_format_carries_every_finding(found, fmt, lang):
    text = render(found, fmt, lang)
    flags = sum(f.flags() for f in found)
    if fmt == "json":
        assert len(json.loads(text)["findings"]) == len(found)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == flags and {r["role"] for r in rows} == {"cause", "consequence"}
    else:
        word = {"nl": "Bevinding", "en": "Finding"}[lang]
        assert text.count(f"{word} ") == len(found)


def test_unknown_format_and_language_are_refused(found):
    with pytest.raises(ValueError, match="md"):
        render(found, "xml")
    with pytest.raises(ValueError, match="en"):
        render(found, "text", "de")


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=st.text(min_size=1, max_size=40))
def test_markdown_makes_data_text_inert(found, label):
    from dataclasses import replace

    f = found[0]
    evil = replace(
        f, number=replace(f.number, where={"nl": label, "en": label}, explanation={"nl": label, "en": label})
    )
    text = render([evil], "md", "en")
    body = text.split("\n", 4)[-1]
    assert "<" not in body.replace("&lt;", "") and "](" not in body.replace("\\](", "")


def test_audit_command_formats(tmp_path):
    for fmt in ("json", "csv", "md"):
        result = commands.run("audit", "--format", fmt, "--lang", "nl")
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        if fmt == "json":
            data = json.loads(result.stdout)
            assert data["headline"]["inconsistent"] == sum(1 + len(f["consequences"]) for f in data["findings"])
    bad = commands.run("audit", "--format", "xml")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
