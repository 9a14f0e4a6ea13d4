"""Labels beside codes, one check for coded arguments (ValueError with the closest valid value), and the model graph."""

from __future__ import annotations

import csv
import difflib

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peerlearn as pl
from budgets import examples
from peerlearn import drawn as D
from peerlearn import figures as F
from peerlearn import graph as G
from peerlearn import report
from peerlearn import synthesis as S
from peerlearn import tables as T
from peerlearn.choices import check_choice
from peerlearn.paths import RAW_DIR
from peerlearn.vocab import composite_codes

CB = pl.load_codebook()
LANGS = ["nl", "en"]


def _codes(vocabulary):
    return list(CB.vocabulary(vocabulary).codes)


def _expected_closest(value, valid):
    """The closest valid value by difflib, worked out here independently of peerlearn.vocab."""
    lowered = {str(v).lower(): v for v in valid}
    return lowered[difflib.get_close_matches(str(value).lower(), list(lowered), n=1, cutoff=0.0)[0]]


CITED_CODES = [c for k in ("factor_subcategory", "domain", "hypothesis_code") for c in _codes(k)] + composite_codes(
    CB, "pathway"
)

FIRST_CODES = {**{v: _codes(v)[0] for v in CB.vocabularies}, **{v: composite_codes(CB, v)[0] for v in CB.composites}}
DESCRIPTOR_CODES = {d: _codes(CB.field("studies", d)["vocabulary"])[0] for d in S.DESCRIPTORS}
KEYWORD_CASES = {"find_studies.descriptor"}  # the argument is a keyword's name: always text

# every public function with a coded argument: name -> (call with one value, the valid values)
CASES = {
    "load_table": (lambda v: pl.load_table(v), list(pl.TABLES)),
    "label.vocabulary": (lambda v: pl.label(v, FIRST_CODES.get(v, "x")), [*CB.vocabularies, *CB.composites]),
    "label.code": (lambda v: pl.label("mechanism", v), _codes("mechanism")),
    "label.lang": (lambda v: pl.label("mechanism", "reflection", v), LANGS),
    "labels.lang": (lambda v: pl.labels(pl.load_domain_effects(), v), LANGS),
    "labels.table": (lambda v: pl.labels(pl.load_domain_effects(), "nl", table=v), list(pl.TABLES)),
    "find_studies.descriptor": (
        lambda v: pl.find_studies(**{v: DESCRIPTOR_CODES.get(v, "student")}),
        list(S.DESCRIPTORS),
    ),
    "find_studies.participant_group": (lambda v: pl.find_studies(participant_group=v), _codes("participant_group")),
    "find_studies.activity_type": (lambda v: pl.find_studies(activity_type=[v]), _codes("activity_type")),
    "cited.code_kind": (lambda v: pl.cited(code_kind=v), _codes("code_kind")),
    "cited.chapter": (lambda v: pl.cited(chapter=v), _codes("chapter")),
    "cited.code": (lambda v: pl.cited(code=v), CITED_CODES),
    "cited.hypothesis_code": (lambda v: pl.cited(code_kind="hypothesis", code=v), _codes("hypothesis_code")),
    "hypothesis_evidence": (lambda v: pl.hypothesis_evidence(v), list(range(1, 14))),
    "pathway_graph.mechanism": (lambda v: G.pathway_graph(mechanism=v), _codes("mechanism")),
    "pathway_graph.from_domain": (lambda v: G.pathway_graph(from_domain=v), _codes("domain")),
    "factor_table": (lambda v: T.factor_table(v), _codes("factor_category")),
    "pathway_table": (lambda v: T.pathway_table(v), _codes("domain")),
    "labelled.lang": (lambda v: T.labelled(T.domain_effects_table(), v), LANGS),
    "figure.lang": (lambda v: plt.close(F.figure_model(v)), LANGS),
    "figure_pathways.mechanism": (lambda v: plt.close(F.figure_pathways(v)), _codes("mechanism")),
    "report.table": (lambda v: report.table(v), [i.id for i in report.ITEMS.values() if i.kind == "table"]),
    "report.figure": (
        lambda v: plt.close(report.figure(v)),
        [i.id for i in report.ITEMS.values() if i.kind == "figure"],
    ),
    "codebook.resource": (lambda v: CB.resource(v), list(CB.resources)),
    "codebook.vocabulary": (lambda v: CB.vocabulary(v), list(CB.vocabularies)),
    "codebook.label.code": (lambda v: CB.label("mechanism", v), _codes("mechanism")),
    "codebook.field": (lambda v: CB.field("studies", v), [f["name"] for f in CB.fields("studies")]),
}


@pytest.mark.parametrize("case", sorted(CASES))
@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_value_outside_the_vocabulary_raises_naming_the_closest(case, data):
    call, valid = CASES[case]
    near = st.sampled_from(
        [str(v) for v in valid]
    ).flatmap(  # typos: a valid value with one letter changed, or any text
        lambda v: st.integers(0, len(v)).flatmap(
            lambda i: st.sampled_from([v[:i] + v[i + 1 :], v[:i] + "x" + v[i:], v.upper()])
        )
    )
    anything = (
        st.one_of(near, st.text(max_size=12))
        if case in KEYWORD_CASES
        else st.one_of(near, st.text(max_size=12), st.integers(-50, 200))
    )
    value = data.draw(anything.filter(lambda v: not any(type(v) is type(ok) and v == ok for ok in valid)))
    with pytest.raises(ValueError) as error:
        call(value)
    message = str(error.value)
    assert "unknown " in message and repr(value) in message
    assert f"did you mean {_expected_closest(value, valid)!r}?" in message
    assert "expected one of " + ", ".join(map(str, valid)) in message


DRAWS_EVERY_FIGURE = {"report.figure"}


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=pytest.mark.slow) if c in DRAWS_EVERY_FIGURE else c for c in sorted(CASES)]
)
def test_valid_values_never_raise(case):
    call, valid = CASES[case]
    for value in valid:
        call(value)


def test_a_typo_never_gives_an_empty_result():
    """The issue's examples: each was an empty result or a bare KeyError before."""
    for call, closest in (
        (lambda: G.pathway_graph(mechanism="reflectoin"), "'reflection'"),
        (lambda: pl.cited(code_kind="factor", code="trust"), "'factor_subcategory'"),
        (lambda: pl.load_table("studeis"), "'studies'"),
        (lambda: pl.label("domain", "personel"), "'personal'"),
        (lambda: pl.find_studies(setting="onlin"), "'online'"),
        (lambda: pl.hypothesis_evidence(99), "9"),
    ):
        with pytest.raises(ValueError, match=f"did you mean {closest}"):
            call()


def test_check_choice_keeps_types_apart():
    assert check_choice(3, [1, 2, 3], "n") == 3
    for wrong in ("3", 3.0, True):
        with pytest.raises(ValueError, match="did you mean 3"):
            check_choice(wrong, [1, 2, 3], "n")
    assert check_choice(np.int64(3), [1, 2, 3], "n") == 3  # any integer type is an integer
    assert check_choice("3", [3, 3.0, True, "3"], "n") == "3"
    assert check_choice(1.0, ["1", True, 1, 1.0], "n") == 1.0
    for wrong, valid in (("3", [3, 3.0, True]), (1, [True, 1.0, "1"]), (True, [1, 1.0, "True"])):
        with pytest.raises(ValueError, match="unknown n"):
            check_choice(wrong, valid, "n")


# --- labels ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("table", pl.TABLES)
def test_labels_add_the_codebook_label_beside_every_coded_column(table, lang):
    df = pl.load_table(table)
    out = pl.labels(df, lang)
    coded = [f for f in CB.fields(table) if {"vocabulary", "vocabularyBy", "itemVocabulary"} & set(f)]
    assert list(out.drop(columns=[f"{f['name']}_label" for f in coded]).columns) == list(df.columns)
    for f in coded:
        name = f["name"]
        assert list(out.columns).index(f"{name}_label") == list(out.columns).index(name) + 1
        for i, code in enumerate(df[name]):
            shown = out[f"{name}_label"].iloc[i]
            if isinstance(code, tuple):
                assert shown == tuple(CB.label(f["itemVocabulary"], c, lang) for c in code)
            elif pd.isna(code):
                assert pd.isna(shown)
            else:
                voc = f.get("vocabulary") or f["vocabularyBy"]["map"][str(df[f["vocabularyBy"]["field"]].iloc[i])]
                assert shown == pl.label(voc, str(code), lang)
    assert out.equals(pl.labels(df, lang, table=table))


def test_labels_work_on_derived_tables_and_leave_unknown_codes_alone():
    cited = pl.labels(pl.cited(code_kind="pathway"), "en")
    assert cited["code_label"].iloc[0] == " > ".join(
        pl.label(v, c, "en") for v, c in zip(("domain", "mechanism", "domain"), cited["code"].iloc[0].split(">"))
    )
    assert cited["participant_group_label"].isna().sum() == cited["participant_group"].isna().sum()
    table = T.pathway_table("personal")  # has 'total' and 'all' rows: not codes of a vocabulary, so no label column
    out = pl.labels(table, "nl")
    assert "to_domain_label" not in out and list(out.columns[:2]) == ["from_domain", "from_domain_label"]


# --- the model ---------------------------------------------------------------------------------------------


def test_model_graph_is_the_edge_list_in_the_data():
    with open(RAW_DIR / "model_edges.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    g = G.model_graph()
    assert type(g).__name__ == "DiGraph" and set(g.nodes) == set(_codes("domain"))
    assert sorted((u, v, d["process"]) for u, v, d in g.edges(data=True)) == sorted(
        (r["from_domain"], r["to_domain"], r["process"]) for r in rows
    )
    assert {d["process"] for *_, d in g.edges(data=True)} == {"enactment", "reflection"}
    assert all("Clarke & Hollingsworth (2002)" in d["source"] for *_, d in g.edges(data=True))


def test_every_arrow_of_the_external_domain_is_there_for_both_of_its_parts():
    g = G.model_graph()
    external = ("external_general", "external_intervention")
    for part, other in (external, external[::-1]):
        for u, v, d in g.edges(data=True):
            if part in (u, v):
                twin = (other if u == part else u, other if v == part else v)
                assert g.has_edge(*twin) and g.edges[twin]["process"] == d["process"], (u, v)
    assert not any(u in external and v in external for u, v in g.edges)


def test_model_figure_draws_enactment_solid_and_reflection_dashed():
    from matplotlib.patches import FancyArrowPatch

    g = G.model_graph()
    fig = F.figure_model("en")
    styles = [p.get_linestyle() for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    plt.close(fig)
    processes = [d["process"] for *_, d in g.edges(data=True)]
    assert styles.count("solid") == processes.count("enactment")
    assert styles.count(F.PROCESS_STYLES["reflection"]) == processes.count("reflection")
    assert F.PROCESS_STYLES["reflection"] != "solid"


def test_overlay_shows_every_route_with_effects_and_every_model_route_with_its_counts():
    coverage = D.model_coverage()
    drawn = F.figure_labels()["figuur_1_model_evidence"]
    shown = coverage[coverage["status"] != "none"]
    expected = {
        f"edge__{r.from_domain}__{r.mechanism}__{r.to_domain}": (r.n_effects, r.n_studies) if r.n_effects else (0,)
        for r in shown.itertuples()
    }
    assert {k: v for k, v in drawn.items() if k.startswith("edge__")} == expected
    assert set(coverage.loc[coverage["in_model"], "status"]) <= {"covered", "empty"}
    assert coverage["in_model"].sum() == G.model_graph().number_of_edges()
    effects = pl.load_domain_effects()
    assert {k: v for k, v in drawn.items() if k.startswith("node__")} == {
        f"node__{r.domain}": (r.n_effects, r.n_studies) for r in effects.itertuples()
    }


def _model_rows():
    with open(RAW_DIR / "model_edges.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_arrow_of_the_model_says_what_it_rests_on():
    rows = _model_rows()
    cited = {s["path"] for s in CB.resource("model_edges")["sources"]}
    for r in rows:
        assert r["basis"] in _codes("arrow_basis"), r
        if r["basis"] == "confirmed_secondary":
            assert r["basis_source"] in cited, r  # the confirming source is among the table's sources
        else:
            assert r["basis_source"] == "", r
    assert {(u, v): (d["basis"], d["basis_source"]) for u, v, d in G.model_graph().edges(data=True)} == {
        (r["from_domain"], r["to_domain"]): (r["basis"], r["basis_source"]) for r in rows
    }
    basis = G.model_basis().set_index(["model_arrow", "process"])
    assert basis.index.is_unique and len(basis) == len({(r["model_arrow"], r["process"]) for r in rows})
    for r in rows:  # both parts of the external domain carry their arrow's basis
        assert basis.loc[(r["model_arrow"], r["process"]), "basis"] == r["basis"], r


def test_the_line_under_figure_1_counts_the_confirmed_arrows_from_the_data(corpus):
    def caption(data_dir):
        fig = F.figure_model("en", data_dir)
        text = " ".join(t.get_text().replace("\n", " ") for t in fig.axes[0].texts)
        plt.close(fig)
        return text

    basis = G.model_basis()
    confirmed = int((basis["basis"] == "confirmed_secondary").sum())
    assert f"{confirmed} of the model's {len(basis)} arrows" in caption(None)
    edges = corpus / "model_edges.csv"
    text = edges.read_text(encoding="utf-8")
    assert text.count("project_reading,\n") >= 1
    edges.write_text(
        text.replace("project_reading,\n", "confirmed_secondary,https://example.org/source\n", 1), encoding="utf-8"
    )
    assert f"{confirmed + 1} of the model's {len(basis)} arrows" in caption(corpus)


@pytest.mark.parametrize("field, value", [("basis", "confirmed"), ("basis_source", "1library.net/no-scheme")])
def test_a_basis_outside_the_codebook_is_refused_in_one_line(corpus, field, value):
    edges = corpus / "model_edges.csv"
    with open(edges, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0][field] = value
    with open(edges, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(pl.CorpusError) as e:
        pl.load_model_edges(corpus)
    assert len(e.value.problems) == 1  # one problem, one line, naming file, row, field and value
    message = str(e.value.problems[0])
    assert "model_edges.csv" in message and "line 2" in message and field in message and value in message
