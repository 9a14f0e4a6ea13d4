"""Every table and figure of the report and of its audit: what builds it, which notebook shows it, where it is written.

This registry is the one place that links a report item to its code and its
output file. Notebooks call :func:`table` and :func:`figure`; the tests and the
README's overview read :data:`ITEMS`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import pandas as pd

from . import audit as A
from . import graph as G
from . import primer as P
from . import synthesis as S
from . import tables as T
from .output import write_processed
from .choices import check_choice


@dataclass(frozen=True)
class Item:
    id: str          # output file stem: data/processed/<id>.csv or figures/<id>_<lang>.svg/.png
    report: str      # the report item, as the report names it
    notebook: str    # notebook that shows it
    kind: str        # "table" or "figure"
    build: Callable  # tables: build(data_dir) -> DataFrame; figures: build(lang, data_dir) -> Figure

    def title(self, lang: str = "nl") -> str:
        """The item's name: as the report names it ("nl") or in English ("en", from :data:`ENGLISH`)."""
        return self.report if lang == "nl" else ENGLISH.get(self.id, self.report)


def _figure(name: str, *args) -> Callable:
    """A figure builder that imports matplotlib (peerlearn.figures) only when a figure is drawn."""
    def build(lang: str = "nl", data_dir=None):
        from . import figures
        return getattr(figures, name)(*args, lang=lang, data_dir=data_dir)
    build.__name__ = build.__qualname__ = name
    return build


def _items():
    nb1, nb2, nb3, nb4, nb5, nb6, nb7 = ("01_studies_and_selection", "02_characteristics_and_countries", "03_factors",
                                         "04_effects_and_pathways", "05_hypotheses_and_checklist", "06_audit",
                                         "07_realist_synthesis_walkthrough")
    nb8 = "08_realist_synthesis_primer"
    items = [
        Item("selection_flow", "Opzet van de studie: zoeken en selecteren", nb1, "table", T.selection_flow_table),
        Item("study_overview", "Bijlagen A-C: overzicht van de artikelen", nb1, "table", T.study_overview),
        Item("selection_flow_prisma", "Opzet van de studie: zoeken en selecteren als PRISMA 2020-stroomdiagram", nb1, "figure",
             _figure("figure_selection_flow")),
        Item("bijlage_d1_characteristics", "Bijlage D deel 1: kenmerken van studies en interventies", nb2, "table", T.characteristics_table),
        Item("bijlage_d1_group_sums", "Bijlage D deel 1: som per kenmerk versus groepsgrootte", nb2, "table", T.characteristic_group_sums),
        Item("bijlage_d2_countries", "Bijlage D deel 2: landen en continenten", nb2, "table", T.countries_table),
    ]
    for number, category in enumerate(("individual", "interpersonal", "intervention", "conditions"), 1):
        items.append(Item(f"tabel_{number}_factors_{category}", f"Bijlage E Tabel {number}", nb3, "table",
                          partial(T.factor_table, category)))
    items.append(Item("tabel_5_domain_effects", "Bijlage E Tabel 5", nb4, "table", T.domain_effects_table))
    for number, domain in enumerate(("personal", "practice", "consequence", "external_general", "external_intervention"), 6):
        items.append(Item(f"tabel_{number}_pathways_from_{domain}", f"Bijlage E Tabel {number}", nb4, "table",
                          partial(T.pathway_table, domain)))
    items += [
        Item("figuur_1_model", "Figuur 1: Interconnected Model of Teacher Professional Growth", nb4, "figure", _figure("figure_model")),
        Item("model_coverage", "Figuur 1 naast Tabel 6-10: welke routes van het model het bewijs dekt", nb4, "table",
             G.model_coverage),
        Item("figuur_1_model_evidence", "Figuur 1 met de gevonden patroon-effecten (Tabel 6-10)", nb4, "figure",
             _figure("figure_model_evidence")),
        Item("figuur_2_denken", "Figuur 2: effecten vanaf het externe domein (interventie) via Denken", nb4, "figure",
             _figure("figure_pathways", "reflection")),
        Item("figuur_3_doen", "Figuur 3: effecten vanaf het externe domein (interventie) via Doen", nb4, "figure",
             _figure("figure_pathways", "enactment")),
        Item("pathway_network", "Tabel 6-10 samen: het volledige netwerk van patroon-effecten", nb4, "figure", _figure("figure_network")),
        Item("bijlage_f_hypotheses", "Bijlage F: veronderstellingen en oordelen", nb5, "table", T.hypotheses_table),
        Item("checklist_overview", "De checklist: thema x doelgroep", nb5, "table", T.checklist_overview),
        Item("audit_ledger", "Audit: elk gepubliceerd getal met de controles erop", nb6, "table", A.ledger),
        Item("audit_traceability", "Audit: geciteerde versus gemelde studies per factor, domein en veronderstelling", nb6,
             "table", A.traceability),
        Item("audit_traceability_chart", "Audit: herleidbaarheid per factor (Tabel 1-4)", nb6, "figure", _figure("figure_traceability")),
        Item("audit_evidence_map", "Audit: bewijskaart veronderstellingen x studies", nb6, "figure", _figure("figure_evidence_map")),
        Item("hypothesis_evidence", "Realist synthesis: geciteerd bewijs per veronderstelling, naast Bijlage F", nb7, "table",
             S.evidence_overview),
        Item("rameses_coverage", "Realist synthesis naast de RAMESES-publicatiestandaarden (Wong e.a., 2013)", nb8, "table",
             P.rameses_coverage),
    ]
    return {item.id: item for item in items}


ITEMS = _items()
ENGLISH = {  # item id -> the item's name in English (our words)
    "selection_flow": "Design of the study: search and selection",
    "study_overview": "Appendices A-C: overview of the articles",
    "bijlage_d1_characteristics": "Appendix D part 1: characteristics of studies and interventions",
    "bijlage_d1_group_sums": "Appendix D part 1: sum per characteristic versus group size",
    "bijlage_d2_countries": "Appendix D part 2: countries and continents",
    **{f"tabel_{n}_factors_{c}": f"Appendix E Table {n}" for n, c in enumerate(
        ("individual", "interpersonal", "intervention", "conditions"), 1)},
    "tabel_5_domain_effects": "Appendix E Table 5",
    **{f"tabel_{n}_pathways_from_{d}": f"Appendix E Table {n}" for n, d in enumerate(
        ("personal", "practice", "consequence", "external_general", "external_intervention"), 6)},
    "figuur_1_model": "Figure 1: Interconnected Model of Teacher Professional Growth",
    "model_coverage": "Figure 1 beside Tables 6-10: which routes of the model the evidence covers",
    "figuur_1_model_evidence": "Figure 1 with the pathway effects found (Tables 6-10)",
    "figuur_2_denken": "Figure 2: effects from the external domain (intervention) via reflection",
    "figuur_3_doen": "Figure 3: effects from the external domain (intervention) via enactment",
    "pathway_network": "Tables 6-10 together: the complete network of pathway effects",
    "bijlage_f_hypotheses": "Appendix F: hypotheses and verdicts",
    "checklist_overview": "The checklist: theme x audience",
    # the audit's items (peerlearn/audit.py, notebooks/06_audit, built on another branch)
    "audit_ledger": "Audit: every published number with its checks",
    "audit_traceability": "Audit: studies cited versus studies reported, per factor, domain and hypothesis",
    "audit_traceability_chart": "Audit: traceability per factor (Tables 1-4)",
    "audit_evidence_map": "Audit: evidence map, hypotheses x studies",
    "selection_flow_prisma": "Design of the study: search and selection as a PRISMA 2020 flow diagram",
    "hypothesis_evidence": "Realist synthesis: the evidence cited per hypothesis, beside Appendix F",
    "rameses_coverage": "Realist synthesis beside the RAMESES publication standards (Wong et al., 2013)",
}


def table(item_id: str, data_dir=None, path=None) -> pd.DataFrame:
    """Build a report table from the corpus and return it.

    It is also written as CSV to ``path`` when given, else to data/processed/<item_id>.csv under the output root
    when $PEERLEARN_OUTPUT_DIR names one (``peerlearn reproduce``, the tests); exploring, nothing is written."""
    item = ITEMS[check_choice(item_id, [i.id for i in ITEMS.values() if i.kind == "table"], "report table")]
    result = item.build(data_dir=data_dir)
    write_processed(result, item.id, path)
    return result


def figure(item_id: str, lang: str = "nl", data_dir=None, folder=None):
    """Draw a report figure from the corpus.

    It is saved as <item_id>_<lang>.svg and .png into ``folder`` when given, else into figures/ under the output
    root when $PEERLEARN_OUTPUT_DIR names one; exploring, nothing is written. In a notebook the PNG is what the
    cell shows (and the figure is closed: drawing it once more for the screen would cost as much as saving it);
    elsewhere the open figure is returned for further use."""
    item = ITEMS[check_choice(item_id, [i.id for i in ITEMS.values() if i.kind == "figure"], "report figure")]
    from .describe import alt_text
    from .figures import save_figure, show_saved

    fig = item.build(lang=lang, data_dir=data_dir)
    show_saved(fig, save_figure(fig, item.id, lang, folder)["png"], alt_text(item.id, lang, data_dir))
    return fig


def show(table: pd.DataFrame, lang: str = "nl", data_dir=None) -> pd.DataFrame:
    """The table with labels in Dutch or English (from the codebook in ``data_dir``), for display."""
    return T.labelled(table, lang, data_dir)


def setup(figures: bool = True) -> None:
    """Notebook set-up: wide plain-text tables (what nbval compares) and, unless ``figures=False`` (a notebook
    that draws nothing, spared the import of matplotlib), the project's figure style."""
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_colwidth", 70)
    if figures:
        import matplotlib.pyplot as plt

        from .figures import style
        style()
        # Load the notebook's backend now: loading it switches interactive mode on, and if that first happened
        # inside a figure's style context, leaving the context would switch it off again and hide later figures.
        plt.switch_backend(plt.get_backend())
