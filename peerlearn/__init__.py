"""peerlearn: the review "Leraren leren als gelijken: wat werkt?" (Thurlings & den Brok, 2014) as data.

Importing reads nothing; every ``load_*`` function reads and validates its
table from data/raw (or ``data_dir``) when called.
"""
from .codebook import load_codebook
from .corpus import (
    load_characteristic_values,
    load_characteristics,
    load_checklist,
    load_citations,
    load_countries,
    load_domain_effects,
    load_factors,
    load_hypotheses,
    load_hypothesis_cmo,
    load_pathways,
    load_prose_counts,
    load_published_totals,
    load_selection_flow,
    load_studies,
    load_table,
)
from .synthesis import cited, evidence_overview, find_studies, hypothesis_evidence
from .validation import CorpusError, Problem, validate_corpus

__version__ = "0.1.0"

TABLES = (
    "studies", "citations", "prose_counts", "factors", "domain_effects", "pathways",
    "hypotheses", "hypothesis_cmo", "characteristics", "characteristic_values", "countries",
    "published_totals", "selection_flow", "checklist",
)


def label(vocabulary: str, code: str, lang: str = "nl", data_dir=None) -> str:
    """Label of a code in Dutch ("nl", the report's language) or English ("en"), from the codebook."""
    return load_codebook(data_dir).label(vocabulary, code, lang)


__all__ = [
    "CorpusError", "Problem", "TABLES", "label", "load_codebook", "load_table", "validate_corpus",
    "load_studies", "load_citations", "load_prose_counts", "load_factors", "load_domain_effects",
    "load_pathways", "load_hypotheses", "load_characteristics", "load_characteristic_values",
    "load_countries", "load_published_totals", "load_selection_flow", "load_checklist", "load_hypothesis_cmo",
    "find_studies", "cited", "hypothesis_evidence", "evidence_overview",
]
