"""The data package is input too: a malformed ``datapackage.json`` gets one line naming the file and the key.

Each variant below breaks a copy of the real descriptor in one way; validation must refuse it with exactly
one problem that names datapackage.json and the key at fault, and every command must do the same without a
traceback. Resource paths may only lead to files inside the package's folder, and a field's pattern is matched
in linear time.
"""

from __future__ import annotations

import json
import os
import time

import pytest

import commands
import peerlearn as pl
from peerlearn.paths import RAW_DIR
from reliability import REPO_ROOT, run_peerlearn

ORIGINAL = json.loads((RAW_DIR / "datapackage.json").read_text(encoding="utf-8"))
NAMES = [r["name"] for r in ORIGINAL["resources"]]


def _index(name: str) -> int:
    return NAMES.index(name)


def _field(d, table, column):
    return next(f for f in d["resources"][_index(table)]["schema"]["fields"] if f["name"] == column)


def _set(path, value):
    """A change that sets ``d[path...] = value`` (path: keys and list indexes)."""

    def change(d):
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path):
    def change(d):
        target = d
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


S = _index("studies")
H = _index("hypotheses")
C = _index("checklist")

# id -> (new bytes of datapackage.json or a change to the parsed descriptor, text the one problem must contain)
VARIANTS = {
    "not_json": (b'{"resources": [', "not valid JSON"),
    "not_utf8": (b'{"name": "\xff"}', "not valid UTF-8"),
    "nested_too_deep": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "a_list": (b"[]", "the top level is a list; expected a JSON object"),
    "a_string": (b'"datapackage"', "the top level is text; expected a JSON object"),
    "no_resources": (_delete(["resources"]), "key 'resources': missing"),
    "empty_resources": (_set(["resources"], []), "key 'resources': is empty"),
    "resources_an_object": (_set(["resources"], {}), "key 'resources': is an object; expected a list"),
    "resource_a_string": (_set(["resources", 0], "studies.csv"), "key 'resources[0]': is text; expected an object"),
    "resource_without_schema": (_delete(["resources", H, "schema"]), f"key 'resources[{H}].schema': missing"),
    "resource_without_path": (_delete(["resources", H, "path"]), f"key 'resources[{H}].path': missing"),
    "duplicate_names": (
        _set(["resources", H, "name"], "studies"),
        f"key 'resources[{H}].name': 'studies' is also the name",
    ),
    "unknown_field_type": (
        _set(["resources", S, "schema", "fields", 0, "type"], "datetime"),
        f"key 'resources[{S}].schema.fields[0].type': 'datetime' is not a type",
    ),
    "v2_list_type": (
        _set(["resources", C, "schema", "fields", 6, "type"], "list"),
        f"key 'resources[{C}].schema.fields[6].type': 'list' is not a type",
    ),
    "minimum_as_text": (
        _set(["resources", S, "schema", "fields", 0, "constraints", "minimum"], "1"),
        f"key 'resources[{S}].schema.fields[0].constraints.minimum': is text; expected a number",
    ),
    "required_as_text": (
        _set(["resources", S, "schema", "fields", 0, "constraints", "required"], "yes"),
        f"key 'resources[{S}].schema.fields[0].constraints.required': is text; expected true or false",
    ),
    "fields_not_a_list": (
        _set(["resources", S, "schema", "fields"], "study_id"),
        f"key 'resources[{S}].schema.fields': is text; expected a list",
    ),
    "duplicate_field": (
        lambda d: d["resources"][S]["schema"]["fields"].append(dict(d["resources"][S]["schema"]["fields"][0])),
        "'study_id' appears twice in this table",
    ),
    "foreign_key_to_missing_table": (
        _set(["resources", S, "schema", "foreignKeys", 0, "reference", "resource"], "nope"),
        f"key 'resources[{S}].schema.foreignKeys[0].reference.resource': 'nope' is not a table",
    ),
    "foreign_key_to_missing_column": (
        _set(["resources", S, "schema", "foreignKeys", 0, "reference", "fields"], ["nope"]),
        "table 'studies' has no column 'nope'",
    ),
    "list_reference_to_missing_table": (
        _set(["resources", C, "schema", "fields", 6, "itemReference", "resource"], "nope"),
        f"key 'resources[{C}].schema.fields[6].itemReference.resource': 'nope' is not a table",
    ),
    "primary_key_unknown_column": (
        _set(["resources", H, "schema", "primaryKey"], ["nope"]),
        f"key 'resources[{H}].schema.primaryKey[0]': 'nope' is not a column",
    ),
    "unknown_vocabulary": (
        _set(["resources", S, "schema", "fields", 1, "vocabulary"], "nope"),
        f"key 'resources[{S}].schema.fields[1].vocabulary': 'nope' is not a vocabulary",
    ),
    "no_vocabularies": (_delete(["vocabularies"]), "key 'vocabularies': missing"),
    "code_without_label": (
        _delete(["vocabularies", "domain", "codes", 0, "en"]),
        "key 'vocabularies.domain.codes[0].en': missing",
    ),
    "composite_unknown_part": (
        _set(["composites", "pathway", "parts", 1], "nope"),
        "key 'composites.pathway.parts[1]'",
    ),
    "enum_not_text": (
        _set(["resources", H, "schema", "fields", 1, "constraints", "enum"], [1, 2]),
        f"key 'resources[{H}].schema.fields[1].constraints.enum': holds a value that is not text",
    ),
    "unknown_constraint": (
        _set(["resources", H, "schema", "fields", 0, "constraints", "minLength"], 1),
        f"key 'resources[{H}].schema.fields[0].constraints.minLength': is not a constraint",
    ),
    "backreference_pattern": (
        _set(["resources", C, "schema", "fields", 0, "constraints", "pattern"], r"(K)\1\d+"),
        "of column 'item_id' cannot be matched in linear time",
    ),
    "absolute_path": (
        _set(["resources", H, "path"], "/etc/passwd"),
        f"key 'resources[{H}].path': '/etc/passwd' is an absolute path",
    ),
    "dotdot_path": (
        _set(["resources", H, "path"], "../raw/hypotheses.csv"),
        f"key 'resources[{H}].path': '../raw/hypotheses.csv' leads outside the package's folder",
    ),
    "url_path": (_set(["resources", H, "path"], "https://example.org/h.csv"), "leads outside the package's folder"),
    "needed_table_missing": (
        lambda d: d["resources"].pop(_index("countries")),
        "key 'resources': has no table 'countries'",
    ),
    "needed_column_missing": (
        lambda d: d["resources"][H]["schema"]["fields"].pop(3),
        "table 'hypotheses' has no column 'verdict'; peerlearn reads it",
    ),
    "needed_column_retyped": (
        _set(["resources", S, "schema", "fields", 6, "type"], "integer"),
        "column studies.volume is integer; peerlearn reads it as string",
    ),
}


def write_variant(corpus, variant) -> None:
    change = VARIANTS[variant][0]
    if isinstance(change, bytes):
        data = change
    else:
        d = json.loads(json.dumps(ORIGINAL))
        change(d)
        data = (json.dumps(d, indent=1, ensure_ascii=False) + "\n").encode()
    (corpus / "datapackage.json").write_bytes(data)


def test_at_least_fifteen_variants():
    assert len(VARIANTS) >= 15


@pytest.mark.parametrize("variant", VARIANTS)
def test_malformed_descriptor_gets_one_problem_naming_the_file_and_key(corpus, variant):
    write_variant(corpus, variant)
    with pytest.raises(pl.CorpusError) as info:
        pl.validate_corpus(corpus)
    (problem,) = info.value.problems
    assert problem.file.endswith("datapackage.json")
    assert VARIANTS[variant][1] in problem.message, str(problem)
    assert "\n" not in str(problem)


COMMANDS = {
    "validate": ["validate"],
    "audit": ["audit"],
    "export": ["export", "--format", "xlsx", "--output", "{tmp}/out.xlsx"],
    "walkthrough": ["walkthrough", "--hypothesis", "1", "--output", "{tmp}/wt.ipynb"],
    "reproduce": ["reproduce", "--jobs", "1"],
}


def _cli(tmp_path, corpus, command, process: bool = False):
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    if process:
        return run_peerlearn(REPO_ROOT, *args, "--data-dir", str(corpus))
    return commands.run(*args, "--data-dir", str(corpus))


def _assert_refused(result, expected: str):
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out, out
    lines = [line for line in result.stderr.splitlines() if "datapackage.json" in line]
    assert len(lines) == 1 and expected in lines[0], out


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("variant", ["empty_resources", "not_json", "absolute_path"])
def test_every_command_refuses_a_malformed_descriptor(tmp_path, corpus, variant, command):
    write_variant(corpus, variant)
    _assert_refused(_cli(tmp_path, corpus, command), VARIANTS[variant][1])
    assert not list(tmp_path.glob("out.xlsx")) and not list(tmp_path.glob("wt.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("variant,command", [(v, list(COMMANDS)[i % len(COMMANDS)]) for i, v in enumerate(VARIANTS)])
def test_every_malformed_descriptor_is_refused_by_a_command(tmp_path, corpus, variant, command):
    """Every variant through the command line in a real process, the five commands taking turns (all go through
    one check)."""
    write_variant(corpus, variant)
    _assert_refused(_cli(tmp_path, corpus, command, process=True), VARIANTS[variant][1])


# --- resource paths stay inside the package's folder ---


def test_symlink_out_of_the_folder_is_refused_without_reading(corpus, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text((corpus / "hypotheses.csv").read_text(encoding="utf-8"), encoding="utf-8")  # a valid table
    (corpus / "hypotheses.csv").unlink()
    (corpus / "hypotheses.csv").symlink_to(outside)
    with pytest.raises(pl.CorpusError) as info:
        pl.validate_corpus(corpus)
    (problem,) = [p for p in info.value.problems if "hypotheses.csv" in p.file]
    assert "leads outside the package's folder through a symbolic link" in problem.message


def test_symlink_to_a_system_file_prints_none_of_its_content(corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:secret-content\n", encoding="utf-8")
    (corpus / "countries.csv").unlink()
    (corpus / "countries.csv").symlink_to(secret)
    result = commands.run("validate", "--data-dir", str(corpus))
    assert result.returncode == 1 and "secret-content" not in result.stdout + result.stderr
    assert "symbolic link" in result.stderr and "Traceback" not in result.stderr


def test_absolute_path_prints_none_of_the_file(corpus):
    write_variant(corpus, "absolute_path")
    result = commands.run("validate", "--data-dir", str(corpus))
    assert result.returncode == 1 and "root:" not in result.stdout + result.stderr


def test_symlink_inside_the_folder_is_followed(corpus):
    (corpus / "sub").mkdir()
    os.replace(corpus / "hypotheses.csv", corpus / "sub" / "hypotheses.csv")
    (corpus / "hypotheses.csv").symlink_to(corpus / "sub" / "hypotheses.csv")
    assert pl.validate_corpus(corpus)["hypotheses"] == len(pl.load_hypotheses())


def test_folder_where_a_csv_is_expected_is_reported_as_a_folder(corpus):
    (corpus / "countries.csv").unlink()
    (corpus / "countries.csv").mkdir()
    with pytest.raises(pl.CorpusError) as info:
        pl.validate_corpus(corpus)
    (problem,) = info.value.problems
    assert problem.file.endswith("countries.csv") and problem.message.startswith("is a folder; expected a CSV file")


def test_folder_where_the_descriptor_is_expected(corpus):
    (corpus / "datapackage.json").unlink()
    (corpus / "datapackage.json").mkdir()
    with pytest.raises(pl.CorpusError) as info:
        pl.validate_corpus(corpus)
    assert info.value.problems[0].message.startswith("is a folder")


def test_a_128_kib_cell_is_reported_as_too_long(corpus):
    path = corpus / "hypotheses.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[4] = "x" * (128 * 1024 + 1)
    lines[1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(pl.CorpusError) as info:
        pl.validate_corpus(corpus)
    (problem,) = [p for p in info.value.problems if p.file.endswith("hypotheses.csv")]
    assert problem.line == 2 and "longer than" in problem.message and "quote" not in problem.message


# --- patterns ---


def test_catastrophic_pattern_is_matched_in_linear_time(corpus):
    d = json.loads(json.dumps(ORIGINAL))
    _field(d, "checklist", "item_id")["constraints"]["pattern"] = "(K+)+$"
    (corpus / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    path = corpus / "checklist.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = "K" * 5000 + "!" + lines[1][lines[1].index(",") :]
    path.write_text("".join(lines), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(pl.CorpusError) as info:
        pl.validate_corpus(corpus)
    assert time.perf_counter() - start < 10
    problem = next(p for p in info.value.problems if p.column == "item_id")
    assert problem.line == 2 and "pattern (K+)+$" in problem.message


def test_refused_pattern_prints_one_line_and_nothing_from_re2(corpus):
    write_variant(corpus, "backreference_pattern")
    result = commands.run("validate", "--data-dir", str(corpus))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 2, result.stderr  # the problem, then the summary
    assert "column 'item_id' cannot be matched in linear time (invalid escape sequence" in lines[0]
