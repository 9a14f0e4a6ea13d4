"""Every table and figure of the report and of its audit: what builds it, which notebook shows it, where it is written.

This registry is the one place that links a report item to its code and its
output file. Notebooks call :func:`table` and :func:`figure`; the tests and the
README's overview read :data:`ITEMS`. Item titles (nl/en) are in the message catalogue (``report.item.<id>``).

What a notebook shows of an item says which item it is: the output of :func:`figure`, of :func:`show` given a
report table, and of :func:`as_item` carries the metadata ``{"peerlearn": {"item": id, "kind": "table" | "figure",
"caption": title, "lang": lang}}``, from which :mod:`peerlearn.site` builds its sections, anchors and index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

import pandas as pd

from . import audit as A
from . import drawn, messages
from . import primer as P
from . import synthesis as S
from . import tables as T
from .choices import check_choice, check_lang
from .escaping import markdown, one_line
from .output import write_processed

METADATA_KEY = "peerlearn"  # the key of a displayed output's metadata that names the report item it shows


@dataclass(frozen=True)
class Item:
    id: str  # output file stem: data/processed/<id>.csv or figures/<id>_<lang>.svg/.png
    notebook: str  # notebook that shows it
    kind: str  # "table" or "figure"
    build: Callable  # tables: build(data_dir) -> DataFrame; figures: build(lang, data_dir) -> Figure

    def title(self, lang: str = "nl") -> str:
        """The item's name: as the report names it ("nl") or in English ("en"); message ``report.item.<id>``."""
        return messages.text(f"report.item.{self.id}", lang)

    @property
    def report(self) -> str:
        """The item as the report names it (its Dutch title)."""
        return self.title("nl")

    def metadata(self, lang: str) -> dict:
        """The metadata a displayed output of this item carries (see the module's docstring)."""
        return {
            METADATA_KEY: {"item": self.id, "kind": self.kind, "caption": self.title(lang), "lang": check_lang(lang)}
        }


def _figure(name: str, *args) -> Callable:
    """A figure builder that imports matplotlib (peerlearn.figures) only when a figure is drawn."""

    def build(lang: str = "nl", data_dir=None):
        from . import figures

        return getattr(figures, name)(*args, lang=lang, data_dir=data_dir)

    build.__name__ = build.__qualname__ = name
    return build


def _items():
    nb1, nb2, nb3, nb4, nb5, nb6, nb7 = (
        "01_studies_and_selection",
        "02_characteristics_and_countries",
        "03_factors",
        "04_effects_and_pathways",
        "05_hypotheses_and_checklist",
        "06_audit",
        "07_realist_synthesis_walkthrough",
    )
    nb8 = "08_realist_synthesis_primer"
    items = [
        Item("selection_flow", nb1, "table", T.selection_flow_table),
        Item("study_overview", nb1, "table", T.study_overview),
        Item("selection_flow_prisma", nb1, "figure", _figure("figure_selection_flow")),
        Item("bijlage_d1_characteristics", nb2, "table", T.characteristics_table),
        Item("bijlage_d1_group_sums", nb2, "table", T.characteristic_group_sums),
        Item("bijlage_d2_countries", nb2, "table", T.countries_table),
    ]
    items += [Item(T.factor_table_id(c), nb3, "table", partial(T.factor_table, c)) for c in T.FACTOR_TABLES]
    items.append(Item("tabel_5_domain_effects", nb4, "table", T.domain_effects_table))
    items += [Item(T.pathway_table_id(d), nb4, "table", partial(T.pathway_table, d)) for d in T.PATHWAY_TABLES]
    items += [
        Item("figuur_1_model", nb4, "figure", _figure("figure_model")),
        Item("model_coverage", nb4, "table", drawn.model_coverage),
        Item("figuur_1_model_evidence", nb4, "figure", _figure("figure_model_evidence")),
        Item("figuur_2_denken", nb4, "figure", _figure("figure_pathways", "reflection")),
        Item("figuur_3_doen", nb4, "figure", _figure("figure_pathways", "enactment")),
        Item("pathway_network", nb4, "figure", _figure("figure_network")),
        Item("bijlage_f_hypotheses", nb5, "table", T.hypotheses_table),
        Item("checklist_overview", nb5, "table", T.checklist_overview),
        Item("audit_ledger", nb6, "table", A.ledger),
        Item("audit_traceability", nb6, "table", A.traceability),
        Item("audit_traceability_chart", nb6, "figure", _figure("figure_traceability")),
        Item("audit_evidence_map", nb6, "figure", _figure("figure_evidence_map")),
        Item("hypothesis_evidence", nb7, "table", S.evidence_overview),
        Item("rameses_coverage", nb8, "table", P.rameses_coverage),
    ]
    return {item.id: item for item in items}


ITEMS = _items()


def overview() -> str:
    """The README's table of report items, as Markdown: each item's English and Dutch title, the notebook that shows
    it and its output files (tables in data/processed/, the Dutch figures in figures/). ``python -m peerlearn.report``
    prints it; tests/test_outputs.py keeps the README's copy equal to it."""
    rows = ["| report item | in the report | notebook | output |", "|---|---|---|---|"]
    for item in ITEMS.values():
        output = f"`{item.id}.csv`" if item.kind == "table" else f"`{item.id}_nl.svg/.png`"
        titles = (
            one_line(item.title(lang)).replace("|", "\\|") for lang in ("en", "nl")
        )  # our own words: one cell each
        rows.append(f"| {' | '.join(titles)} | {item.notebook} | {output} |")
    return "\n".join(rows) + "\n"


class ReportTable(pd.DataFrame):
    """A report table: a pandas DataFrame (use it as one) that knows which report item it is (``item_id``) and, once
    :func:`show` has labelled it, in which language it is shown (``lang``). Displayed with a language, its output
    carries the item's metadata (see the module's docstring); anything derived from it (a selection, a sum, a copy)
    is a plain DataFrame, so only the item itself is ever taken for the item."""

    _metadata: ClassVar[list[str]] = ["item_id", "lang"]

    @property
    def _constructor(self):
        return pd.DataFrame

    def _repr_mimebundle_(self, include=None, exclude=None):
        """No data of its own (IPython adds the DataFrame's text and HTML); the item's metadata once in a language."""
        lang = getattr(self, "lang", None)
        return {}, (ITEMS[self.item_id].metadata(lang) if lang else {})


def _report_table(frame: pd.DataFrame, item_id: str, lang: str | None = None) -> ReportTable:
    result = ReportTable(frame)
    result.item_id, result.lang = item_id, lang
    return result


def table(item_id: str, data_dir=None, path=None) -> ReportTable:
    """Build a report table from the corpus and return it: a DataFrame of codes (:class:`ReportTable`), to use in
    code like any other; ``report.show(table, lang)`` displays it labelled, as the item in that language.

    It is also written as CSV to ``path`` when given, else to data/processed/<item_id>.csv under the output root
    when $PEERLEARN_OUTPUT_DIR names one (``peerlearn reproduce``, the tests); exploring, nothing is written."""
    item = ITEMS[check_choice(item_id, [i.id for i in ITEMS.values() if i.kind == "table"], "report table")]
    result = item.build(data_dir=data_dir)
    write_processed(result, item.id, path)
    return _report_table(result, item.id)


def figure(item_id: str, lang: str = "nl", data_dir=None, folder=None):
    """Draw a report figure from the corpus.

    It is saved as <item_id>_<lang>.svg and .png into ``folder`` when given, else into figures/ under the output
    root when $PEERLEARN_OUTPUT_DIR names one; exploring, nothing is written. In a notebook the PNG is what the
    cell shows, with its alt text and the item's metadata (and the figure is closed: drawing it once more for the
    screen would cost as much as saving it); elsewhere the open figure is returned for further use."""
    item = ITEMS[check_choice(item_id, [i.id for i in ITEMS.values() if i.kind == "figure"], "report figure")]
    from .describe import alt_text
    from .figures import save_figure, show_saved

    fig = item.build(lang=lang, data_dir=data_dir)
    png = save_figure(fig, item.id, lang, folder)["png"]
    show_saved(fig, png, alt_text(item.id, lang, data_dir), item.metadata(lang))
    return fig


def show(table: pd.DataFrame, lang: str = "nl", data_dir=None) -> pd.DataFrame:
    """The table with labels in Dutch or English (from the codebook in ``data_dir``), for display. A report table
    (from :func:`table`) stays one, now in ``lang``: its output says which item it shows."""
    shown = T.labelled(table, lang, data_dir)
    return _report_table(shown, table.item_id, lang) if isinstance(table, ReportTable) else shown


def caption(item_id: str, lang: str = "nl"):
    """The item's title as a bold Markdown line, to head it in a cell that shows several items."""
    from IPython.display import Markdown

    return Markdown(f"**{markdown(ITEMS[check_choice(item_id, list(ITEMS), 'report item')].title(lang))}**")


class Shown:
    """Something displayed as a report item (:func:`as_item`): its own output, plus the item's metadata."""

    def __init__(self, shown, item: Item, lang: str):
        self.shown, self.item, self.lang = shown, item, check_lang(lang)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from IPython.core.formatters import format_display_data

        data, metadata = format_display_data(self.shown, include, exclude)
        return data, {**metadata, **self.item.metadata(self.lang)}

    def __repr__(self) -> str:
        return repr(self.shown)


def as_item(shown, item_id: str, lang: str = "nl") -> Shown:
    """``shown`` (a Markdown text, a summary table, ...) displayed as the report item ``item_id`` in ``lang``: for an
    item that a notebook presents in another form than the table itself."""
    return Shown(shown, ITEMS[check_choice(item_id, list(ITEMS), "report item")], lang)


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


if __name__ == "__main__":
    print(overview(), end="")
