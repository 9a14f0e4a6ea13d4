"""The data package is a standard one: frictionless-py accepts it with zero errors and checks its codes.

Codes are declared the standard way (``constraints.enum``; a ``constraints.pattern`` for list fields), generated
from peerlearn's bilingual vocabularies; these tests keep the two in step and show that a standard tool, not only
peerlearn's validator, catches an unknown code.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import peerlearn as pl
from peerlearn.codebook import is_list, load_codebook, standard_constraint
from peerlearn.paths import RAW_DIR

frictionless = pytest.importorskip("frictionless")
PACKAGE = json.loads((RAW_DIR / "datapackage.json").read_text(encoding="utf-8"))
FIELDS = [(r["name"], f) for r in PACKAGE["resources"] for f in r["schema"]["fields"]]


def frictionless_errors(descriptor) -> list[tuple[str, str]]:
    """(resource, error type) of every error ``frictionless validate --json`` reports."""
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(descriptor)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stdout)
    errors = [("package", e["type"]) for e in report["errors"]]
    errors += [(t["name"], e["type"]) for t in report["tasks"] for e in t["errors"]]
    assert report["valid"] == (not errors) == (result.returncode == 0), result.stderr
    return errors


@pytest.mark.slow  # the standard tool's own command, in a process; fast twin: the test below, in this process
def test_frictionless_validate_reports_zero_errors():
    assert frictionless_errors(RAW_DIR / "datapackage.json") == []


def test_frictionless_finds_zero_errors_in_the_package():
    """The same validation as ``frictionless validate`` (its library, called in this process)."""
    report = frictionless.validate(str(RAW_DIR / "datapackage.json"))
    errors = [("package", e.type) for e in report.errors] + [(t.name, e.type) for t in report.tasks for e in t.errors]
    assert errors == [] and report.valid and len(report.tasks) == len(PACKAGE["resources"])


def test_one_profile_throughout():
    """Data Package v1 (tabular): every resource tabular, only v1 field types, no v2 ``$schema``."""
    assert PACKAGE["profile"] == "tabular-data-package" and "$schema" not in PACKAGE
    assert all(r["profile"] == "tabular-data-resource" and "$schema" not in r for r in PACKAGE["resources"])
    v1_types = {
        "string",
        "number",
        "integer",
        "boolean",
        "object",
        "array",
        "date",
        "time",
        "datetime",
        "year",
        "yearmonth",
        "duration",
        "geopoint",
        "geojson",
        "any",
    }
    assert {f["type"] for _, f in FIELDS} <= v1_types


@pytest.mark.parametrize(
    "table,field",
    [(t, f) for t, f in FIELDS if standard_constraint(PACKAGE, f)],
    ids=lambda x: x if isinstance(x, str) else x["name"],
)
def test_codes_are_declared_as_the_vocabularies_say(table, field):
    declared = {k: v for k, v in field["constraints"].items() if k in ("enum", "pattern")}
    assert declared == standard_constraint(PACKAGE, field)


def test_every_coded_field_declares_its_codes():
    coded = [(t, f["name"]) for t, f in FIELDS if {"vocabulary", "vocabularyBy", "itemVocabulary"} & set(f)]
    assert coded and all(standard_constraint(PACKAGE, f) for t, f in FIELDS if (t, f["name"]) in coded)
    cb = load_codebook()
    for table, f in FIELDS:
        if "vocabulary" in f:
            assert f["constraints"]["enum"] == list(cb.vocabulary(f["vocabulary"]).codes), (table, f["name"])


def test_list_fields_still_load_as_tuples():
    lists = [(t, f["name"]) for t, f in FIELDS if is_list(f)]
    assert ("checklist", "hypotheses") in lists
    for table, column in lists:
        frame = pl.load_table(table)
        assert all(isinstance(v, tuple) for v in frame[column]), (table, column)
    assert all(isinstance(h, int) for hs in pl.load_checklist()["hypotheses"] for h in hs)


def _break(corpus, file, old, new):
    path = corpus / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "file,old,new,table",
    [
        ("pathways.csv", "personal,reflection,practice", "personal,thinking,practice", "pathways"),
        ("checklist.csv", ",1;", ",1;x;", "checklist"),
        ("studies.csv", ",complete,", ",finished,", "studies"),
    ],
)
def test_frictionless_checks_the_codes_itself(corpus, file, old, new, table):
    _break(corpus, file, old, new)
    report = frictionless.validate(str(corpus / "datapackage.json"))
    errors = [(t.name, e.type) for t in report.tasks for e in t.errors]
    assert errors == [(table, "constraint-error")]
    with pytest.raises(pl.CorpusError):  # peerlearn's own validator says the same in its own words
        pl.validate_corpus(corpus)
