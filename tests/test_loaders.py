"""The loader API: contract columns, types, keys and references between tables."""

from __future__ import annotations

import os

import pandas as pd
import pytest

import peerlearn as pl

CONTRACT = {
    "load_studies": [
        "study_id",
        "appendix",
        "authors",
        "year",
        "title",
        "source",
        "volume",
        "issue",
        "pages",
        "doi",
        "url",
        "participant_group",
        "activity_type",
        "setting",
        "design",
        "study_group",
    ],
    "load_citations": ["study_id", "chapter", "code", "direction"],
    "load_factors": ["category", "subcategory", "n_factors", "n_studies"],
    "load_domain_effects": ["domain", "n_effects", "n_studies"],
    "load_pathways": ["from_domain", "mechanism", "to_domain", "n_effects", "n_studies"],
    "load_hypotheses": ["hypothesis", "n_studies", "verdict", "role"],
    "load_characteristics": ["characteristic", "level", "group", "n", "pct"],
    "load_countries": ["continent", "country", "n", "pct"],
    "load_checklist": ["audience", "theme", "recommendation_nl", "recommendation_en", "hypotheses"],
    "load_selection_flow": ["step", "n"],
    "load_published_totals": ["table", "scope", "measure", "value"],
}
VOCABULARY = {
    "domain": ["personal", "practice", "consequence", "external_general", "external_intervention"],
    "mechanism": ["reflection", "enactment"],
    "factor_category": ["individual", "interpersonal", "intervention", "conditions"],
    "verdict": ["supported", "partly_supported"],
    "hypothesis_role": ["mechanism", "context", "outcome"],
    "factor_subcategory": [
        "character",
        "attitudes_beliefs",
        "motivation",
        "behaviour_in_process",
        "demographic",
        "knowledge_skills",
        "expectations",
        "perceptions",
        "team_leadership",
        "shared_monitoring",
        "backup_behaviour",
        "adaptability",
        "team_orientation",
        "shared_mental_models",
        "trust",
        "closed_loop_communication",
        "facilitator_role",
        "given_freedom",
        "rules",
        "opportunities_f2f",
        "opportunities_online",
        "group_composition",
        "content_vs_action",
        "time",
        "technology",
        "training",
        "school_context",
    ],
}


@pytest.mark.parametrize("loader,columns", CONTRACT.items())
def test_contract_columns(loader, columns):
    df = getattr(pl, loader)()
    assert len(df) > 0
    assert set(columns) <= set(df.columns)


@pytest.mark.parametrize("name,codes", VOCABULARY.items())
def test_vocabulary_contract(name, codes):
    assert list(pl.load_codebook().vocabulary(name).codes) == codes


def test_every_table_loads_and_every_codebook_table_is_exposed():
    assert set(pl.TABLES) == set(pl.load_codebook().resources)
    for name in pl.TABLES:
        assert len(pl.load_table(name)) > 0


def test_coded_columns_are_categoricals_in_codebook_order():
    pathways = pl.load_pathways()
    assert isinstance(pathways["from_domain"].dtype, pd.CategoricalDtype)
    assert list(pathways["from_domain"].cat.categories) == VOCABULARY["domain"]
    assert pathways["from_domain"].cat.ordered
    assert pathways["n_effects"].dtype == "int64"


def test_studies_are_the_76_articles():
    studies = pl.load_studies()
    assert list(studies["study_id"]) == list(range(1, 77))
    assert studies.groupby("appendix", observed=True)["study_id"].agg(["min", "max"]).to_dict("index") == {
        "A": {"min": 1, "max": 17},
        "B": {"min": 18, "max": 28},
        "C": {"min": 29, "max": 76},
    }
    lost = studies[studies["bib_status"] == "lost"]
    assert lost[["authors", "title"]].isna().all().all()
    assert all(set(fields) >= {"authors", "title"} for fields in lost["bib_lost_fields"])


def test_study_groups_link_articles_on_the_same_participants():
    studies = pl.load_studies().set_index("study_id")
    for sid, row in studies.iterrows():
        group = row["study_group"]
        assert group <= sid
        assert studies.loc[group, "study_group"] == group  # the group's first article heads it
        assert (row["study_group_basis"] == "own") == (group == sid and (studies["study_group"] == sid).sum() == 1)


def test_citations_reference_studies_and_codes_match_their_kind():
    citations = pl.load_citations()
    assert set(citations["study_id"]) <= set(pl.load_studies()["study_id"])
    cb = pl.load_codebook()
    hyp = citations[citations["code_kind"] == "hypothesis"]
    assert set(hyp["chapter"]) == {"realist_synthesis"}
    assert set(hyp["code"]) <= set(cb.vocabulary("hypothesis_code").codes)
    mangled = citations[citations["printed"].str.contains("1052")]
    assert sorted(mangled.loc[mangled["resolution"].notna(), "study_id"]) == [10, 52]
    assert 1052 not in set(citations["study_id"])


def test_every_pathway_row_is_kept_including_zeros():
    pathways = pl.load_pathways()
    assert len(pathways) == 41
    assert (pathways["n_effects"] == 0).sum() == 19
    assert not (
        (pathways["from_domain"] == pathways["to_domain"]) & (pathways["from_domain"] != "external_intervention")
    ).any()


def test_published_totals_refer_to_scopes_that_have_rows():
    totals = pl.load_published_totals()
    assert set(totals.query("table == 'factors'")["scope"]) == set(pl.load_factors()["category"])
    assert set(totals.query("table == 'pathways'")["scope"]) == set(pl.load_pathways()["from_domain"])
    assert set(totals.query("table == 'countries'")["scope"]) == set(pl.load_countries()["continent"])


def test_corrections_sit_beside_published_numbers():
    chars = pl.load_characteristics()
    corrected = chars[chars["n_corrected"].notna()]
    assert len(corrected) >= 1
    assert corrected["correction_reason"].notna().all()
    assert (corrected["n"] != corrected["n_corrected"]).all()


def test_percentages_keep_their_printed_precision():
    countries = pl.load_countries().set_index("country")
    assert countries.loc["spain", "pct"] == 1.5 and countries.loc["spain", "pct_decimals"] == 1
    assert countries.loc["usa", "pct_decimals"] == 0


def test_checklist_links_to_hypotheses():
    checklist = pl.load_checklist()
    linked = {h for hs in checklist["hypotheses"] for h in hs}
    assert linked <= set(pl.load_hypotheses()["hypothesis"])
    assert set(checklist["audience"]) == {"developers", "leaders_educators", "participants"}


def test_labels_in_both_languages():
    cb = pl.load_codebook()
    for name, vocab in cb.vocabularies.items():
        for code in vocab.codes:
            assert vocab.label(code, "nl") and vocab.label(code, "en"), (name, code)
    assert pl.label("mechanism", "reflection", "nl") == "Denken"
    assert pl.label("mechanism", "reflection", "en") == "Reflection"
    with pytest.raises(ValueError, match="unknown language"):
        pl.label("mechanism", "reflection", "de")


def test_every_column_is_documented_in_both_languages():
    cb = pl.load_codebook()
    for name in pl.TABLES:
        for field in cb.fields(name):
            assert field["description"] and field["labels"]["nl"] and field["labels"]["en"], (name, field["name"])


def test_data_dir_argument_and_environment_variable(corpus, monkeypatch):
    (corpus / "hypotheses.csv").write_text(
        (corpus / "hypotheses.csv").read_text(encoding="utf-8").replace(",29,", ",28,"), encoding="utf-8"
    )
    assert pl.load_hypotheses(data_dir=corpus).loc[0, "n_studies"] == 28
    monkeypatch.setenv("PEERLEARN_DATA_DIR", str(corpus))
    assert pl.load_hypotheses().loc[0, "n_studies"] == 28


def test_unknown_table_name_lists_the_known_ones():
    with pytest.raises(
        ValueError,
        match="unknown table 'citation' \\(did you mean 'citations'\\?\\); expected one of studies, citations",
    ):
        pl.load_table("citation")


def _rewrite_keeping_mtime(path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (same length) in a file and put its old mtime back: only the content changed."""
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def test_the_codebook_is_cached_by_content_not_by_mtime(corpus):
    """Like the tables, the codebook is kept per content: a rewrite with the old mtime and size is read anew."""
    assert pl.label("mechanism", "reflection", "en", data_dir=corpus) == "Reflection"
    assert pl.load_table("pathways", corpus).shape  # the table cache has seen this content too
    _rewrite_keeping_mtime(corpus / "datapackage.json", '"en": "Reflection"', '"en": "Reflexion!"')
    assert pl.label("mechanism", "reflection", "en", data_dir=corpus) == "Reflexion!"
    assert (
        pl.labels(pl.load_table("pathways", corpus), "en", data_dir=corpus)["mechanism_label"]
        .isin(["Reflexion!"])
        .any()
    )


def test_a_broken_codebook_with_the_old_mtime_is_refused(corpus):
    """The descriptor's check is kept per content too: a codebook broken in place (same size, mtime put back) is
    refused."""
    assert pl.load_studies(corpus).shape[0]
    _rewrite_keeping_mtime(corpus / "datapackage.json", '"resources"', '"resourcez"')
    with pytest.raises(pl.CorpusError, match=r"datapackage\.json"):
        pl.load_studies(corpus)


def test_label_anywhere_finds_a_code_in_any_vocabulary_and_leaves_other_text_alone():
    cb = pl.load_codebook()
    assert cb.label_anywhere("reflection", "en") == cb.label("mechanism", "reflection", "en")
    assert cb.label_anywhere("Tabel 6", "nl") == "Tabel 6"
