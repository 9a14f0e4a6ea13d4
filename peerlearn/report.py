"""Every table and figure of the report: what builds it, which notebook shows it, where it is written.

This registry is the one place that links a report item to its code and its
output file. Notebooks call :func:`table` and :func:`figure`; the tests and the
README's overview read :data:`ITEMS`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import pandas as pd

from . import tables as T
from .output import write_processed


@dataclass(frozen=True)
class Item:
    id: str          # output file stem: data/processed/<id>.csv or figures/<id>_<lang>.svg/.png
    report: str      # the report item, as the report names it
    notebook: str    # notebook that shows it
    kind: str        # "table" or "figure"
    build: Callable  # tables: build(data_dir) -> DataFrame; figures: build(lang, data_dir) -> Figure


def _figure(name: str, *args) -> Callable:
    """A figure builder that imports matplotlib (peerlearn.figures) only when a figure is drawn."""
    def build(lang: str = "nl", data_dir=None):
        from . import figures
        return getattr(figures, name)(*args, lang=lang, data_dir=data_dir)
    build.__name__ = build.__qualname__ = name
    return build


def _items():
    nb1, nb2, nb3, nb4, nb5 = ("01_studies_and_selection", "02_characteristics_and_countries", "03_factors",
                               "04_effects_and_pathways", "05_hypotheses_and_checklist")
    items = [
        Item("selection_flow", "Opzet van de studie: zoeken en selecteren", nb1, "table", T.selection_flow_table),
        Item("study_overview", "Bijlagen A-C: overzicht van de artikelen", nb1, "table", T.study_overview),
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
        Item("figuur_2_denken", "Figuur 2: effecten vanaf het externe domein (interventie) via Denken", nb4, "figure",
             _figure("figure_pathways", "reflection")),
        Item("figuur_3_doen", "Figuur 3: effecten vanaf het externe domein (interventie) via Doen", nb4, "figure",
             _figure("figure_pathways", "enactment")),
        Item("pathway_network", "Tabel 6-10 samen: het volledige netwerk van patroon-effecten", nb4, "figure", _figure("figure_network")),
        Item("bijlage_f_hypotheses", "Bijlage F: veronderstellingen en oordelen", nb5, "table", T.hypotheses_table),
        Item("checklist_overview", "De checklist: thema x doelgroep", nb5, "table", T.checklist_overview),
    ]
    return {item.id: item for item in items}


ITEMS = _items()


def table(item_id: str, data_dir=None) -> pd.DataFrame:
    """Build a report table from the corpus and write it to data/processed/<item_id>.csv."""
    item = ITEMS[item_id]
    result = item.build(data_dir=data_dir)
    write_processed(result, item.id)
    return result


def figure(item_id: str, lang: str = "nl", data_dir=None):
    """Draw a report figure from the corpus and save it as figures/<item_id>_<lang>.svg and .png."""
    item = ITEMS[item_id]
    from .figures import save_figure

    fig = item.build(lang=lang, data_dir=data_dir)
    save_figure(fig, item.id, lang)
    return fig


def show(table: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """The table with labels in Dutch or English, for display."""
    return T.labelled(table, lang)


def setup(figures: bool = True) -> None:
    """Notebook set-up: wide plain-text tables (what nbval compares) and, unless ``figures=False`` (a notebook
    that draws nothing, spared the import of matplotlib and seaborn), the project's figure style."""
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_colwidth", 70)
    if figures:
        from .figures import style
        style()
