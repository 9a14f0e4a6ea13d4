"""Bad input: each kind gets a precise CorpusError (file, line, column, value, expectation); nothing is written."""

from __future__ import annotations

import shutil

import pytest

import commands
import peerlearn as pl
from peerlearn.paths import REPO_ROOT
from peerlearn.problems import display
from peerlearn.validation import read_tables
from reliability import raw_checksums, run_peerlearn


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems_of(call, *args, **kwargs):
    with pytest.raises(pl.CorpusError) as info:
        call(*args, **kwargs)
    return info.value.problems


def the_problem(problems, **expected):
    matches = [p for p in problems if all(getattr(p, k) == v for k, v in expected.items())]
    assert matches, f"no problem with {expected} in {[str(p) for p in problems]}"
    return matches[0]


def test_the_real_corpus_is_valid():
    counts = pl.validate_corpus()
    assert counts["studies"] == 76 and counts["pathways"] == 41


def test_missing_file(corpus):
    (corpus / "pathways.csv").unlink()
    p = the_problem(problems_of(pl.load_pathways, data_dir=corpus), line=None)
    assert p.file.endswith("pathways.csv") and "missing" in p.message


def test_missing_codebook(corpus):
    (corpus / "datapackage.json").unlink()
    p = problems_of(pl.load_factors, data_dir=corpus)[0]
    assert p.file.endswith("datapackage.json") and "codebook is missing" in p.message


def test_broken_codebook_json(corpus):
    edit(corpus / "datapackage.json", '"resources"', '"resources" oops')
    p = problems_of(pl.validate_corpus, corpus)[0]
    assert p.file.endswith("datapackage.json") and p.line is not None and "not valid JSON" in p.message


def test_missing_and_extra_column(corpus):
    edit(
        corpus / "factors.csv",
        "category,subcategory,n_factors,n_studies,source",
        "category,subcategory,n_items,n_studies,source",
    )
    problems = problems_of(pl.load_factors, data_dir=corpus)
    assert the_problem(problems, column="n_factors", line=1).message == "column is missing from the header"
    assert "unexpected column" in the_problem(problems, column="n_items", line=1).message


def test_wrong_type(corpus):
    edit(corpus / "factors.csv", "individual,motivation,19,12", "individual,motivation,nineteen,12")
    p = the_problem(problems_of(pl.load_factors, data_dir=corpus), column="n_factors")
    assert (p.line, p.value, p.message) == (4, "nineteen", "expected a whole number")
    assert str(p).endswith("factors.csv, line 4, column 'n_factors': value 'nineteen': expected a whole number")


def test_unknown_code(corpus):
    edit(corpus / "pathways.csv", "personal,reflection,practice,4,2", "personal,thinking,practice,4,2")
    p = the_problem(problems_of(pl.load_pathways, data_dir=corpus), column="mechanism")
    assert p.line == 2 and p.value == "thinking" and "reflection, enactment" in p.message


def test_code_depending_on_another_column(corpus):
    edit(corpus / "citations.csv", ",hypothesis,H", ",hypothesis,Hx")
    p = the_problem(problems_of(pl.load_citations, data_dir=corpus), column="code")
    assert p.value.startswith("Hx") and "hypothesis_code" in p.message


def test_subcategory_must_belong_to_its_category(corpus):
    edit(corpus / "factors.csv", "individual,character,", "conditions,character,")
    p = the_problem(problems_of(pl.load_factors, data_dir=corpus), column="subcategory")
    assert p.line == 2 and "belongs to category 'individual'" in p.message


def test_duplicate_key(corpus):
    path = corpus / "hypotheses.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[3]]), encoding="utf-8")
    p = the_problem(problems_of(pl.load_hypotheses, data_dir=corpus), line=len(lines) + 1)
    assert "duplicate key" in p.message and "first seen on line 4" in p.message


def test_unknown_study_id(corpus):
    text = (corpus / "citations.csv").read_text(encoding="utf-8").splitlines()
    first = text[1].split(",")
    first[1] = "77"
    text[1] = ",".join(first)
    (corpus / "citations.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    problems = problems_of(pl.load_citations, data_dir=corpus)
    p = the_problem(problems, column="study_id", line=2)
    assert p.value == "77" and "studies.csv" in p.message


def test_negative_count(corpus):
    edit(corpus / "domain_effects.csv", "practice,38,16", "practice,-38,16")
    p = the_problem(problems_of(pl.load_domain_effects, data_dir=corpus), column="n_effects")
    assert p.line == 3 and p.value == "-38" and "at least 0" in p.message


def test_malformed_csv_quoting(corpus):
    edit(corpus / "hypotheses.csv", "1,mechanism,29", '1,mechanism,"29')
    p = problems_of(pl.load_hypotheses, data_dir=corpus)[0]
    assert p.file.endswith("hypotheses.csv") and p.line is not None and "malformed CSV" in p.message


def test_truncated_file(corpus):
    path = corpus / "pathways.csv"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    p = problems_of(pl.load_pathways, data_dir=corpus)[0]
    assert p.file.endswith("pathways.csv") and p.line is not None


def test_wrong_encoding(corpus):
    path = corpus / "hypotheses.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    p = problems_of(pl.load_hypotheses, data_dir=corpus)[0]
    assert "not valid UTF-8" in p.message and p.line == 10  # the first "ï" (beïnvloedt, hypothesis 9) is on line 10


def test_byte_order_mark(corpus):
    path = corpus / "factors.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "byte-order mark" in problems_of(pl.load_factors, data_dir=corpus)[0].message


def test_all_problems_are_reported_not_only_the_first(corpus):
    edit(corpus / "domain_effects.csv", "practice,38,16", "practice,-38,x")
    edit(corpus / "factors.csv", "individual,motivation,19", "individual,motivatie,19")
    problems = problems_of(pl.validate_corpus, corpus)
    assert {(p.file.split("/")[-1], p.column) for p in problems} >= {
        ("domain_effects.csv", "n_effects"),
        ("domain_effects.csv", "n_studies"),
        ("factors.csv", "subcategory"),
    }


def run_cli(*args):
    return commands.run(*args)  # the command in this repository, in this process; data/raw must be unchanged after it


def run_process(*args):
    return run_peerlearn(REPO_ROOT, *args)  # the same as a real process: the status the shell sees, its stderr


RUNNERS = [pytest.param(run_cli, id="in-process"), pytest.param(run_process, id="process", marks=pytest.mark.slow)]


def test_cli_validate_clean():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"corpus valid: {len(pl.TABLES)} tables")
    assert len(result.stdout.strip().splitlines()) == 1


@pytest.mark.parametrize("run", RUNNERS)
def test_cli_validate_reports_one_line_per_problem_without_traceback(corpus, run):
    edit(corpus / "domain_effects.csv", "practice,38,16", "practice,-38,x")
    (corpus / "countries.csv").unlink()
    result = run("validate", "--data-dir", str(corpus))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4 and lines[-1] == "peerlearn validate: 3 problems found"
    assert any("domain_effects.csv, line 3, column 'n_effects': value '-38'" in ln for ln in lines)
    assert any("countries.csv: the file is missing" in ln for ln in lines)


def test_nothing_writes_to_data_raw(corpus):
    before = raw_checksums(REPO_ROOT)
    for name in pl.TABLES:
        pl.load_table(name)
    pl.validate_corpus()
    run_cli("validate")
    assert raw_checksums(REPO_ROOT) == before


# --- parsed once per content -----------------------------------------------------------------------------


def test_the_same_broken_table_in_two_folders_is_reported_in_each(corpus, tmp_path):
    """A table is parsed once per content wherever it lies: a second copy with the same bytes reuses the parse,
    and its problems still name its own file."""
    other = shutil.copytree(corpus, tmp_path / "other")
    for folder in (corpus, other):
        edit(folder / "pathways.csv", "reflection", "reflectoin")
    for folder in (corpus, other):
        found = problems_of(pl.validate_corpus, folder)
        assert found and all(p.file == display(folder / "pathways.csv") for p in found), found


def test_a_parsed_table_is_a_copy_for_each_caller(corpus):
    first = read_tables(["studies"], corpus)["studies"]
    first.rows[0]["title"] = "changed by the caller"
    first.rows.pop()
    again = read_tables(["studies"], corpus)["studies"]
    assert again.rows[0]["title"] != "changed by the caller" and len(again.rows) == len(first.rows) + 1
