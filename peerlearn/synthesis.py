"""The realist synthesis, one hypothesis at a time, and filters for exploring studies and citations.

:func:`hypothesis_evidence` gathers what the corpus holds on one hypothesis:
its context-mechanism-outcome reading (hypothesis_cmo.csv, the project's
coding), the statements of the chapter Realist synthesis that cite studies for
it (citations.csv, code ``H<n>``), those studies with their coded participant
group and activity type (studies.csv; <NA> where no summary survives), and the
verdict with the Bijlage F count (hypotheses.csv). Everything is computed from
data/raw; nothing is typed in here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .choices import check_choice, check_codes, check_lang
from .codebook import load_codebook
from .corpus import load_citations, load_hypotheses, load_hypothesis_cmo, load_hypothesis_evidence_notes, load_studies
from .vocab import vocabulary_codes

DESCRIPTORS = ("participant_group", "activity_type", "setting", "design")
STUDY_COLUMNS = ("study_id", *DESCRIPTORS, "descriptor_basis", "study_group")
CMO_ORDER = ("context", "mechanism", "outcome")  # the reading order of realist synthesis
CHAPTER = "realist_synthesis"  # where the report weighs the evidence for each hypothesis


def find_studies(data_dir=None, **descriptors) -> pd.DataFrame:
    """The studies whose coded descriptors equal the given codes.

    ``find_studies(participant_group="inservice", activity_type="coaching")``;
    keywords are columns of :data:`DESCRIPTORS`, values codes of their
    vocabulary (a list or tuple matches any of its codes). Studies whose
    descriptor is unknown (<NA>) never match.
    """
    studies = load_studies(data_dir)
    cb = load_codebook(data_dir)
    keep = pd.Series(True, index=studies.index)
    for column, wanted in descriptors.items():
        check_choice(column, DESCRIPTORS, "descriptor")
        codes = check_codes(wanted, cb.vocabulary(cb.field("studies", column)["vocabulary"]).codes, column)
        keep &= studies[column].isin(codes)
    return studies[keep].reset_index(drop=True)


def cited(
    studies=None, code_kind: str | None = None, code: str | None = None, chapter: str | None = None, data_dir=None
) -> pd.DataFrame:
    """Citations (one row per statement, study and code) with the cited study's descriptors.

    ``studies``: a DataFrame with ``study_id`` (e.g. from :func:`find_studies`) or
    study numbers, to keep only citations of those studies; ``code_kind``
    (factor_subcategory / domain / pathway / hypothesis), ``code`` and
    ``chapter`` narrow down what is cited. Rows keep the order of citations.csv. A code, kind, chapter or study
    number that is not in the corpus raises ValueError naming the valid values and the closest one.
    """
    cb = load_codebook(data_dir)
    citations = load_citations(data_dir)
    if code_kind is not None:
        check_choice(code_kind, cb.vocabulary("code_kind").codes, "code_kind")
    if chapter is not None:
        check_choice(chapter, cb.vocabulary("chapter").codes, "chapter")
    if code is not None:
        by = cb.field("citations", "code")["vocabularyBy"]["map"]
        kinds = [code_kind] if code_kind is not None else list(by)
        check_choice(code, [c for k in kinds for c in vocabulary_codes(cb, by[k])], f"{code_kind or 'cited'} code")
    keep = pd.Series(True, index=citations.index)
    if studies is not None:
        ids = studies["study_id"] if isinstance(studies, pd.DataFrame) else pd.Series(list(studies))
        check_codes(list(ids), [int(i) for i in load_studies(data_dir)["study_id"]], "study_id")
        keep &= citations["study_id"].isin(ids)
    if code_kind is not None:
        keep &= citations["code_kind"] == code_kind
    if code is not None:
        keep &= citations["code"] == code
    if chapter is not None:
        keep &= citations["chapter"] == chapter
    descriptors = load_studies(data_dir)[list(STUDY_COLUMNS)]
    return citations[keep].merge(descriptors, on="study_id", how="left", validate="many_to_one")


@dataclass(frozen=True)
class HypothesisEvidence:
    """What the corpus holds on one hypothesis (see :func:`hypothesis_evidence`)."""

    hypothesis: int
    code: str  # "H<n>", the code in citations.csv
    role: str  # the element the hypothesis puts to the test: context / mechanism / outcome
    verdict: str  # supported (Klopt) / partly_supported (Klopt deels)
    n_studies_published: int  # studies with evidence according to Bijlage F
    label_nl: str
    label_en: str
    cmo: pd.DataFrame  # hypothesis_cmo rows: element, text_nl, text_en, basis, note
    citations: pd.DataFrame  # one row per (statement, study) with the study's descriptors
    statements: pd.DataFrame  # one row per statement: statement_id, direction, studies, source_line
    studies: pd.DataFrame  # one row per cited study (study_id order) with its descriptors and own label
    notes: pd.DataFrame  # one row per cited study in reading order: the project's note on what it found

    def label(self, lang: str = "nl") -> str:
        return {"nl": self.label_nl, "en": self.label_en}[check_lang(lang)]

    def profile(self, by: str = "participant_group") -> pd.DataFrame:
        """Cited studies per code of a descriptor, unknown descriptors counted as <NA> (never guessed)."""
        check_choice(by, DESCRIPTORS, "descriptor")
        counts = self.studies[by].value_counts(dropna=False, sort=False).rename("n_studies")
        return counts[counts > 0].rename_axis(by).reset_index()


def hypothesis_numbers(data_dir=None) -> list[int]:
    """The hypothesis numbers of hypotheses.csv."""
    return [int(n) for n in load_hypotheses(data_dir)["hypothesis"]]


def check_hypothesis(hypothesis, data_dir=None) -> int:
    """``hypothesis`` as an int when it is one of the numbers of hypotheses.csv; ValueError naming them otherwise."""
    return int(check_choice(hypothesis, hypothesis_numbers(data_dir), "hypothesis"))


def hypothesis_evidence(hypothesis: int, data_dir=None) -> HypothesisEvidence:
    """The evidence for hypothesis ``hypothesis`` (a number of hypotheses.csv), gathered from the corpus.

    Raises ValueError naming the valid numbers for any other value.
    """
    hypothesis = check_hypothesis(hypothesis, data_dir)
    hypotheses = load_hypotheses(data_dir).set_index("hypothesis")
    row = hypotheses.loc[hypothesis]
    code = f"H{hypothesis}"
    citations = cited(code_kind="hypothesis", code=code, chapter=CHAPTER, data_dir=data_dir)
    statements = (
        citations.groupby("statement_id", sort=False, observed=True)
        .agg(direction=("direction", "first"), studies=("study_id", tuple), source_line=("source_line", "first"))
        .reset_index()
    )
    statements["direction"] = statements["direction"].astype(citations["direction"].dtype)
    studies = load_studies(data_dir)
    studies = studies.loc[
        studies["study_id"].isin(citations["study_id"]), [*STUDY_COLUMNS, "authors", "year", "label_nl", "label_en"]
    ].reset_index(drop=True)
    cmo = load_hypothesis_cmo(data_dir)
    cmo = cmo[cmo["hypothesis"] == hypothesis].drop(columns="hypothesis")
    cmo = cmo.sort_values("element", key=lambda e: e.astype(str).map(CMO_ORDER.index)).reset_index(drop=True)
    return HypothesisEvidence(
        hypothesis=hypothesis,
        code=code,
        role=str(row["role"]),
        verdict=str(row["verdict"]),
        n_studies_published=int(row["n_studies"]),
        label_nl=row["label_nl"],
        label_en=row["label_en"],
        cmo=cmo,
        citations=citations,
        statements=statements,
        studies=studies,
        notes=evidence_notes(hypothesis, data_dir),
    )


def evidence_notes(hypothesis: int, data_dir=None) -> pd.DataFrame:
    """The project's notes on the studies cited for ``hypothesis`` (hypothesis_evidence_notes.csv), in reading order.

    One row per cited study: ``study_id``, ``statement_ids``, ``configuration``,
    ``finding_nl``/``finding_en``, ``direction`` (supports / contradicts / mixed),
    ``basis``, ``note``, and the study's ``participant_group``, ``activity_type``,
    ``setting``, ``descriptor_basis`` and ``label_nl``/``label_en`` (<NA> where the
    report does not state them). Empty for a hypothesis the text cites no study for.
    """
    hypothesis = check_hypothesis(hypothesis, data_dir)
    notes = load_hypothesis_evidence_notes(data_dir)
    notes = notes[notes["hypothesis"] == hypothesis].drop(columns="hypothesis")
    studies = load_studies(data_dir)[["study_id", *DESCRIPTORS[:3], "descriptor_basis", "label_nl", "label_en"]]
    return notes.merge(studies, on="study_id", how="left", validate="one_to_one").reset_index(drop=True)


def cited_studies(code_kind: str, chapter: str | None = None, data_dir=None) -> dict[str, list[int]]:
    """Code of kind ``code_kind`` -> the distinct studies the text cites for it (in ``chapter`` only, when given),
    in study-number order; codes cited for no study are absent."""
    c = load_citations(data_dir).astype({"code_kind": str, "chapter": str, "code": str})
    c = c[c["code_kind"] == code_kind]
    if chapter:
        c = c[c["chapter"] == chapter]
    return {str(code): sorted(set(g["study_id"].astype(int))) for code, g in c.groupby("code", sort=True)}


def evidence_overview(data_dir=None) -> pd.DataFrame:
    """One row per hypothesis: role, verdict, Bijlage F count and what the text cites for it.

    Columns: ``hypothesis``, ``role``, ``verdict``, ``n_studies_published``
    (Bijlage F), ``n_statements``, ``n_studies_cited`` (distinct studies the
    chapter Realist synthesis cites: :func:`cited_studies`), ``n_negative`` (statements citing evidence
    against), ``n_student``/``n_inservice``/``n_both``/``n_unknown_group``
    (cited studies by coded participant group; unknown = no descriptor survives).
    """
    hypotheses = load_hypotheses(data_dir)
    citations = cited(code_kind="hypothesis", chapter=CHAPTER, data_dir=data_dir)
    groups = citations["participant_group"].cat.categories
    studied = cited_studies("hypothesis", CHAPTER, data_dir)
    group_of = load_studies(data_dir).set_index("study_id")["participant_group"]
    by_code = {str(code): part for code, part in citations.groupby(citations["code"].astype(str), sort=False)}
    none = citations.iloc[0:0]
    rows = []
    for h in hypotheses.itertuples():
        code = f"H{h.hypothesis}"
        statements = by_code.get(code, none).drop_duplicates("statement_id")  # one grouping, linear in size
        studies = group_of.loc[studied.get(code, [])]
        rows.append(
            {
                "hypothesis": h.hypothesis,
                "role": h.role,
                "verdict": h.verdict,
                "n_studies_published": h.n_studies,
                "n_statements": len(statements),
                "n_studies_cited": len(studies),
                "n_negative": int((statements["direction"] == "negative").sum()),
                **{f"n_{g}": int((studies == g).sum()) for g in groups},
                "n_unknown_group": int(studies.isna().sum()),
            }
        )
    out = pd.DataFrame(rows)
    for column in ("role", "verdict"):
        out[column] = out[column].astype(hypotheses[column].dtype)
    return out
