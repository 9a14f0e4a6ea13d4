"""The realist-synthesis walkthrough: evidence per hypothesis, the project's C-M-O coding, filters, rendering."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

import peerlearn as pl
from peerlearn import messages
from peerlearn import walkthrough as W
from peerlearn.cli import main
from peerlearn.figures import figure_selection_flow
from peerlearn.paths import REPO_ROOT

NUMBERS = pl.synthesis.hypothesis_numbers()


def _raw_citations() -> pd.DataFrame:
    """citations.csv read with the csv module's defaults, independent of the loaders."""
    return pd.read_csv(REPO_ROOT / "data" / "raw" / "citations.csv", dtype=str, keep_default_na=False)


def test_there_are_13_hypotheses():
    assert NUMBERS == list(range(1, 14))


@pytest.mark.parametrize("n", NUMBERS)
def test_evidence_matches_citations_csv(n):
    ev = pl.hypothesis_evidence(n)
    raw = _raw_citations()
    mine = raw[(raw["code_kind"] == "hypothesis") & (raw["code"] == f"H{n}") & (raw["chapter"] == "realist_synthesis")]
    assert list(ev.statements["statement_id"]) == list(dict.fromkeys(mine["statement_id"]))
    for s in ev.statements.itertuples():
        rows = mine[mine["statement_id"] == s.statement_id]
        assert s.studies == tuple(int(i) for i in rows["study_id"])
        assert {s.direction} == set(rows["direction"]) and {str(s.source_line)} == set(rows["source_line"])
    assert list(ev.studies["study_id"]) == sorted({int(i) for i in mine["study_id"]})
    raw_studies = pd.read_csv(REPO_ROOT / "data" / "raw" / "studies.csv", dtype=str, keep_default_na=False).set_index(
        "study_id"
    )
    for st in ev.studies.itertuples():
        for column in ("participant_group", "activity_type", "descriptor_basis"):
            value = getattr(st, column)
            assert raw_studies.loc[str(st.study_id), column] == ("" if pd.isna(value) else value), (
                n,
                st.study_id,
                column,
            )
    hypotheses = pd.read_csv(REPO_ROOT / "data" / "raw" / "hypotheses.csv").set_index("hypothesis")
    assert (ev.verdict, ev.role, ev.n_studies_published) == (
        hypotheses.loc[n, "verdict"],
        hypotheses.loc[n, "role"],
        hypotheses.loc[n, "n_studies"],
    )
    assert list(ev.cmo["element"]) == ["context", "mechanism", "outcome"]


def test_overview_agrees_with_the_evidence_of_each_hypothesis():
    overview = pl.evidence_overview().set_index("hypothesis")
    for n in NUMBERS:
        ev = pl.hypothesis_evidence(n)
        row = overview.loc[n]
        assert row["n_statements"] == len(ev.statements) and row["n_studies_cited"] == len(ev.studies)
        assert row["n_negative"] == (ev.statements["direction"] == "negative").sum()
        groups = ev.profile("participant_group").set_index("participant_group", drop=False)["n_studies"]
        assert row["n_student"] + row["n_inservice"] + row["n_both"] + row["n_unknown_group"] == groups.sum()
        # the text cites examples; never more studies than Bijlage F counts
        assert row["n_studies_cited"] <= row["n_studies_published"]


def test_evidence_follows_the_data(corpus):
    """A changed citation changes the evidence: nothing is hard-coded."""
    path = corpus / "citations.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "S073,76,realist_synthesis,hypothesis,H3,negative", "S073,76,realist_synthesis,hypothesis,H3,positive"
        ),
        encoding="utf-8",
    )
    assert pl.hypothesis_evidence(3, data_dir=corpus).statements["direction"].eq("negative").sum() == 0
    # only the chapter Realist synthesis counts as the evidence the report weighs
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "S074,1,realist_synthesis,hypothesis,H3", "S074,1,research_recommendations,hypothesis,H3"
        ),
        encoding="utf-8",
    )
    assert list(pl.hypothesis_evidence(3, data_dir=corpus).statements["statement_id"]) == ["S072", "S073"]
    assert pl.hypothesis_evidence(3).statements["direction"].eq("negative").sum() == 1


def test_unknown_descriptors_stay_unknown():
    ev = pl.hypothesis_evidence(8)
    missing = ev.studies[ev.studies["descriptor_basis"] == "missing"]
    assert len(missing) and missing["participant_group"].isna().all()
    assert "onbekend" in W.section("evidence", ev, "nl")  # the page names them unknown, never guesses
    assert f"**{len(missing)}** of {len(ev.studies)}" in W.text("evidence", ev, "en")


@pytest.mark.parametrize("bad", [0, 14, -1, "3", 2.0, True, None])
def test_unknown_hypothesis_is_a_clear_error(bad):
    with pytest.raises(ValueError, match=r"unknown hypothesis .* \(did you mean .*\?\); expected one of 1, 2, .*, 13$"):
        pl.hypothesis_evidence(bad)


def test_cmo_coding_marks_the_tested_element_as_the_wording():
    """The element a hypothesis tests (its role) is always in its own wording; the rest is marked for what it is."""
    cmo = pl.load_hypothesis_cmo()
    roles = pl.load_hypotheses().set_index("hypothesis")["role"]
    assert len(cmo) == 3 * len(roles)
    for row in cmo.itertuples():
        assert row.text_nl and row.text_en and row.text_nl != row.text_en
        if row.element == roles[row.hypothesis]:
            assert row.basis == "wording", row
        if row.basis == "project_reading":
            assert row.note, row


def test_cmo_table_is_validated(corpus):
    path = corpus / "hypothesis_cmo.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",wording,", ",guess,")
    lines.append(lines[1].replace("1,context", "14,context", 1))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(pl.CorpusError) as e:
        pl.load_hypothesis_cmo(data_dir=corpus)
    text = "\n".join(map(str, e.value.problems))
    assert "hypothesis_cmo.csv, line 3, column 'basis': value 'guess'" in text
    assert "hypothesis_cmo.csv, line 41, column 'hypothesis': value '14'" in text


def test_find_studies_and_cited_filter_in_two_lines():
    coaching = pl.find_studies(participant_group="inservice", activity_type="coaching")
    studies = pl.load_studies()
    expected = studies[(studies["participant_group"] == "inservice") & (studies["activity_type"] == "coaching")]
    assert list(coaching["study_id"]) == list(expected["study_id"]) and len(coaching)
    factors = pl.cited(coaching, code_kind="factor_subcategory")
    raw = _raw_citations()
    ids = {str(i) for i in coaching["study_id"]}
    assert len(factors) == ((raw["code_kind"] == "factor_subcategory") & raw["study_id"].isin(ids)).sum()
    assert set(factors["participant_group"]) == {"inservice"}
    both = pl.find_studies(participant_group=["student", "both"])
    assert set(both["participant_group"]) <= {"student", "both"} and len(both)
    with pytest.raises(ValueError, match=r"unknown descriptor 'group' .*; expected one of participant_group"):
        pl.find_studies(group="student")
    with pytest.raises(
        ValueError, match=r"unknown activity_type 'peer' .*; expected one of coaching, assessment, collaborative"
    ):
        pl.find_studies(activity_type="peer")


def test_walkthrough_text_is_computed_and_in_both_languages():
    for n in (3, 12):
        ev = pl.hypothesis_evidence(n)
        for part in ("intro", "overview", "cmo", "evidence", "verdict"):
            nl, en = W.text(part, ev, "nl"), W.text(part, ev, "en")
            assert nl and en and nl != en
        assert str(ev.n_studies_published) in W.text("evidence", ev, "en")
    assert "geen enkel studienummer" in W.text("evidence", pl.hypothesis_evidence(12), "nl")
    for n in (1, 13):  # the text says "examples" only where it cites fewer studies than Bijlage F counts
        ev = pl.hypothesis_evidence(n)
        fewer = len(ev.studies) < ev.n_studies_published
        assert (messages.text("walkthrough.examples", "en") in W.text("evidence", ev, "en")) == fewer
        assert (messages.text("walkthrough.all_cited", "en") in W.text("evidence", ev, "en")) == (not fewer)
    with pytest.raises(ValueError, match="unknown language"):
        W.text("intro", ev, "de")


def test_prisma_flow_shows_what_the_report_gives_and_nothing_else(corpus):
    fig = figure_selection_flow("en")
    texts = "\n".join(t.get_text() for t in fig.axes[0].texts)
    flow = pl.load_selection_flow().set_index("step")
    assert f"n ≈ {flow.loc['full_texts_assessed', 'n']} (approximate)" in texts
    assert f"n = {flow.loc['articles_included', 'n']}" in texts and f"n = {flow.loc['studies_included', 'n']}" in texts
    assert "Abstracts screened\nn: not stated as a number" in texts
    # a number that becomes known is shown; one that becomes approximate is marked
    path = corpus / "selection_flow.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("abstracts_screened,,records,not_stated", "abstracts_screened,4321,records,exact")
    text = text.replace("articles_included,76,articles,exact", "articles_included,76,articles,approximate")
    path.write_text(text, encoding="utf-8")
    texts = "\n".join(t.get_text() for t in figure_selection_flow("nl", data_dir=corpus).axes[0].texts)
    assert "Gescreende samenvattingen\nn = 4321" in texts and "n ≈ 76 (ongeveer)" in texts


@pytest.mark.parametrize("bad", ["0", "14"])
def test_walkthrough_cli_rejects_an_unknown_hypothesis(bad, capsys):
    assert main(["walkthrough", "--hypothesis", bad]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"peerlearn walkthrough: unknown hypothesis {bad} (did you mean ")
    assert captured.err.endswith("; expected one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13\n")
    assert captured.out == ""


def test_walkthrough_refuses_the_committed_notebooks_folder(capsys):
    assert main(["walkthrough", "--hypothesis", "2", "--output", str(REPO_ROOT / "notebooks" / "07_copy.ipynb")]) == 1
    assert "the committed outputs, which only `peerlearn reproduce` writes" in capsys.readouterr().err
    assert not (REPO_ROOT / "notebooks" / "07_copy.ipynb").exists()


@pytest.mark.slow  # runs the walkthrough notebook in a kernel
def test_walkthrough_renders_another_hypothesis_in_english(tmp_path, capsys):
    """One papermill render (a few seconds): hypothesis 8 in English, through the CLI."""
    out = tmp_path / "h8.ipynb"
    assert main(["walkthrough", "--hypothesis", "8", "--lang", "en", "--output", str(out)]) == 0, (
        capsys.readouterr().err
    )
    assert capsys.readouterr().out.startswith("walkthrough for hypothesis 8 (en) written to ")
    nb = nbformat.read(out, 4)
    outputs = "\n".join(
        o.get("data", {}).get("text/markdown", "") + o.get("data", {}).get("text/plain", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    ev = pl.hypothesis_evidence(8)
    assert "This notebook follows **hypothesis 8**" in outputs and ev.label("en") in outputs
    assert "Partly supported" in outputs and "Klopt" not in outputs
    for sid in ev.statements["statement_id"]:
        assert sid in outputs
    assert not any(o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "papermill" not in nb.metadata
