"""peerlearn: the review "Leraren leren als gelijken: wat werkt?" (Thurlings & den Brok, 2014) as data.

Importing reads nothing; every ``load_*`` function reads and validates its
table from data/raw (or ``data_dir``) when called.
"""

from .codebook import TABLES, load_codebook
from .validation import CorpusError, Problem, validate_corpus

# Names that need pandas (or matplotlib) are imported from their module on first use, so that
# ``import peerlearn`` and the command line (validate, reproduce) stay light: name -> module.
_LAZY = {
    **{
        name: "corpus"
        for name in (
            "load_characteristic_values",
            "load_characteristics",
            "load_checklist",
            "load_citations",
            "load_countries",
            "load_domain_effects",
            "load_factors",
            "load_hypotheses",
            "load_pathways",
            "load_prose_counts",
            "load_published_totals",
            "load_selection_flow",
            "load_studies",
            "load_table",
            "load_hypothesis_cmo",
            "load_model_edges",
            "load_hypothesis_evidence_notes",
        )
    },
    **{name: "synthesis" for name in ("cited", "evidence_overview", "find_studies", "hypothesis_evidence")},
    "label": "vocab",
    "labels": "vocab",
    **{name: "references" for name in ("load_recovered_references", "reference")},
}
_SUBMODULES = (
    "audit",
    "citations",
    "corpus",
    "drawn",
    "export",
    "figures",
    "graph",
    "output",
    "references",
    "report",
    "site",
    "synthesis",
    "tables",
    "vocab",
    "walkthrough",
)


def __getattr__(name: str):
    import importlib

    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"


__all__ = [
    "TABLES",
    "CorpusError",
    "Problem",
    "cited",
    "evidence_overview",
    "find_studies",
    "hypothesis_evidence",
    "label",
    "labels",
    "load_characteristic_values",
    "load_characteristics",
    "load_checklist",
    "load_citations",
    "load_codebook",
    "load_countries",
    "load_domain_effects",
    "load_factors",
    "load_hypotheses",
    "load_hypothesis_cmo",
    "load_hypothesis_evidence_notes",
    "load_model_edges",
    "load_pathways",
    "load_prose_counts",
    "load_published_totals",
    "load_recovered_references",
    "load_selection_flow",
    "load_studies",
    "load_table",
    "reference",
    "validate_corpus",
]
