"""Load the coded corpus as tidy, typed pandas DataFrames.

Every loader validates its table (and the tables its keys refer to) against
the codebook and raises :class:`~peerlearn.CorpusError` listing every problem.
Coded columns are pandas categoricals whose categories follow the codebook's
order; labels in Dutch or English come from :func:`peerlearn.labels` (a
``<column>_label`` beside each coded column of any table) or :func:`peerlearn.label` (one code).
All loaders take ``data_dir`` (default: data/raw, or $PEERLEARN_DATA_DIR).
"""

from __future__ import annotations

import pandas as pd

from .choices import check_choice
from .codebook import ContentCache, files_digest, is_list
from .paths import raw_dir
from .validation import codebook_or_error, read_tables, referenced_tables

_TABLES = ContentCache(32)  # table and the digest of the files it was built from -> DataFrame (wherever they lie)


def load_table(name: str, data_dir=None) -> pd.DataFrame:
    """Any table of the codebook by name (see ``peerlearn.TABLES``), validated and typed.

    Within one process a table is parsed and validated once per content: a later call whose files
    (the codebook, the table and the tables its keys refer to) have the same bytes gets a copy of the result."""
    directory = raw_dir(data_dir)
    cb = codebook_or_error(directory)
    check_choice(name, list(cb.resources), "table")
    names = referenced_tables(name, cb)
    content = cb.digest + files_digest(directory, [cb.resource(n)["path"] for n in names])
    return _TABLES.get(name, content, lambda: _frame(read_tables(names, directory)[name], cb)).copy()


def corpus_digest(data_dir=None) -> str:
    """A digest of the whole corpus in ``data_dir``: the codebook and every table's bytes. What is built from all of
    it (the audit's ledger) is cached under this key; CorpusError when the codebook cannot serve."""
    directory = raw_dir(data_dir)
    cb = codebook_or_error(directory)
    return cb.digest + files_digest(directory, [r["path"] for r in cb.resources.values()])


def _frame(table, cb) -> pd.DataFrame:
    columns = {}
    for f in table.fields:
        n = f["name"]
        values = [row[n] for row in table.rows]
        required = f.get("constraints", {}).get("required", False)
        if "vocabulary" in f:
            voc = cb.vocabulary(f["vocabulary"])
            columns[n] = pd.Categorical(values, categories=list(voc.codes), ordered=voc.ordered)
        elif f["type"] == "integer":
            columns[n] = pd.array(values, dtype="int64" if required else "Int64")
        elif f["type"] == "number":
            columns[n] = pd.array([float("nan") if v is None else v for v in values], dtype="float64")
        elif is_list(f):
            columns[n] = pd.Series([v if v is not None else () for v in values], dtype="object")
        else:
            columns[n] = pd.array(values, dtype="string")
        if f.get("recordPrecision"):
            columns[f"{n}_decimals"] = pd.array(
                [None if t == "" else (len(t.split(".")[1]) if "." in t else 0) for t in table.raw[n]], dtype="Int64"
            )
    return pd.DataFrame(columns)


def load_studies(data_dir=None) -> pd.DataFrame:
    """The articles of Bijlagen A-C, one row each.

    Columns: ``study_id`` (from 1, the superscript used in the text); ``appendix``
    (A factors, B effects, C both); ``authors``, ``year``, ``title``, ``source``,
    ``volume``, ``issue``, ``pages``, ``doi``, ``url`` as printed, <NA> where
    absent; ``bib_status`` (complete / partial / lost); ``bib_lost_fields`` and
    ``bib_truncated_fields`` (tuples of field names the PDF extraction lost or
    cut); descriptors coded from the summary: ``participant_group`` (student /
    inservice / both), ``activity_type`` (coaching / assessment /
    collaborative), ``setting`` (face_to_face / online / blended), ``design``
    (quantitative / qualitative / mixed), <NA> when unknown;
    ``descriptor_basis`` and ``descriptor_note`` (where they come from);
    ``study_group`` (smallest study_id of the articles on the same
    participants) and ``study_group_basis``; ``label_nl``/``label_en`` (own
    short description); ``source_line`` (line in the extracted report text).
    """
    return load_table("studies", data_dir)


def load_citations(data_dir=None) -> pd.DataFrame:
    """Superscript study citations in the body chapters, one row per (statement, study).

    Columns: ``statement_id`` (one superscript group at one place, S001...);
    ``study_id``; ``chapter`` (factors / effects / realist_synthesis /
    research_recommendations); ``code_kind`` (factor_subcategory / domain /
    pathway / hypothesis) and ``code`` (a subcategory, a domain, H1-H13, or
    ``from>mechanism>to``); ``direction`` (positive / negative / mixed /
    neutral: for factors the effect on peer learning, for hypotheses whether the
    evidence supports it); ``printed`` (the group as printed); ``resolution``
    (why a mangled group such as "1052" was read as it was); ``source_line``.
    """
    return load_table("citations", data_dir)


def load_prose_counts(data_dir=None) -> pd.DataFrame:
    """Exact counts of studies stated in words in the body chapters ("Drie studies ...").

    Columns: ``count_id``; ``chapter``; ``code_kind``/``code`` (what is counted);
    ``n_studies``; ``printed`` (the words); ``source_line``; ``note``.
    """
    return load_table("prose_counts", data_dir)


def load_factors(data_dir=None) -> pd.DataFrame:
    """Bijlage E Tabel 1-4: per factor ``subcategory`` (within ``category``),
    ``n_factors`` found and ``n_studies`` they were found in; ``source`` names the table.
    Published totals are in :func:`load_published_totals` (table "factors")."""
    return load_table("factors", data_dir)


def load_domain_effects(data_dir=None) -> pd.DataFrame:
    """Bijlage E Tabel 5: per ``domain`` the ``n_effects`` found and ``n_studies`` they were found in."""
    return load_table("domain_effects", data_dir)


def load_pathways(data_dir=None) -> pd.DataFrame:
    """Bijlage E Tabel 6-10: effects from ``from_domain`` via ``mechanism``
    (reflection = Denken, enactment = Doen) to ``to_domain``: ``n_effects``
    and ``n_studies``. Every printed row, zeros included; ``source`` names the table."""
    return load_table("pathways", data_dir)


def load_hypotheses(data_dir=None) -> pd.DataFrame:
    """The hypotheses of the realist synthesis: ``hypothesis`` (its number), ``role`` (mechanism, context or
    outcome: the part it puts to the test), ``n_studies`` (Bijlage F), ``verdict`` (supported =
    Klopt, partly_supported = Klopt deels), own short ``label_nl``/``label_en``."""
    return load_table("hypotheses", data_dir)


def load_hypothesis_cmo(data_dir=None) -> pd.DataFrame:
    """The project's context-mechanism-outcome reading of each hypothesis (not the report's).

    Columns: ``hypothesis``; ``element`` (context / mechanism / outcome);
    ``text_nl``/``text_en`` (own words); ``basis`` (wording: the hypothesis
    says it; synthesis_text: the report's discussion of its evidence says it;
    project_reading: our interpretation); ``note``.
    """
    return load_table("hypothesis_cmo", data_dir)


def load_hypothesis_evidence_notes(data_dir=None) -> pd.DataFrame:
    """What each cited study found bearing on a hypothesis, in the project's own words (not the report's).

    One row per (hypothesis, study) pair that the chapter Realist synthesis
    cites. Columns: ``hypothesis``; ``study_id``; ``statement_ids`` (the
    statements citing the study for it, space-separated); ``configuration``
    (the context-mechanism-outcome configuration it bears on, project coding,
    ``h<n>_...``); ``finding_nl``/``finding_en`` (one sentence each);
    ``direction`` (supports / contradicts / mixed); ``basis`` (statement:line
    in the report text); ``note`` (a judgement call, if any).
    """
    return load_table("hypothesis_evidence_notes", data_dir)


def load_characteristics(data_dir=None) -> pd.DataFrame:
    """Bijlage D part 1: number of studies ``n`` per ``characteristic`` and
    ``level`` for each ``group`` (student / inservice / both / total), the
    percentage ``pct`` as printed and ``pct_decimals`` (its printed precision).
    Only printed cells are rows. ``n_corrected``/``correction_reason`` give the
    most likely intended count where the printed one cannot be right;
    ``layout_note`` says how a flattened row was read."""
    return load_table("characteristics", data_dir)


def load_characteristic_values(data_dir=None) -> pd.DataFrame:
    """Bijlage D part 1 numbers that are totals or ranges: participants,
    duration, group size per ``group``; ``quantity`` says what ``value`` (in ``unit``) is."""
    return load_table("characteristic_values", data_dir)


def load_countries(data_dir=None) -> pd.DataFrame:
    """Bijlage D part 2: studies per ``country`` within ``continent`` (as the
    report groups them): ``n``, printed ``pct`` and ``pct_decimals``. Rows with
    ``part_of`` break down a region (Scandinavia) and are not added to the continent."""
    return load_table("countries", data_dir)


def load_published_totals(data_dir=None) -> pd.DataFrame:
    """Totals as printed, apart from the rows: ``table``, ``scope`` (category,
    from-domain, participant group or continent), ``mechanism`` (pathways:
    reflection / enactment / all), ``measure``, ``value``, ``value_decimals``."""
    return load_table("published_totals", data_dir)


def load_selection_flow(data_dir=None) -> pd.DataFrame:
    """The search and selection: ``step``, ``n`` (<NA> where the report gives
    no number), ``unit``, ``qualifier`` (exact / approximate / lower_bound /
    not_stated), ``printed`` (the words around the number), own labels."""
    return load_table("selection_flow", data_dir)


def load_checklist(data_dir=None) -> pd.DataFrame:
    """The checklist, one row per cell: ``theme`` x ``row`` x ``audience``
    (developers / leaders_educators / participants), an own-words
    ``recommendation_nl``/``recommendation_en``, the ``hypotheses`` (tuple of
    numbers) the row rests on, and ``layout_note`` on how the flattened table was read."""
    return load_table("checklist", data_dir)


def load_model_edges(data_dir=None) -> pd.DataFrame:
    """The arrows of Clarke & Hollingsworth's (2002) Interconnected Model (not the report's data): ``from_domain``
    -> ``to_domain`` by the mediating ``process`` (enactment / reflection), the external domain split in two as
    the report does; ``model_arrow`` names the arrow in the model's own terms, ``source`` where it is drawn, ``basis``
    whether a public source confirms it (``confirmed_secondary``, that source's address in ``basis_source``) or it is
    only the project's reading of the figure (``project_reading``)."""
    return load_table("model_edges", data_dir)
