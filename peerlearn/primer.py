"""A primer on realist synthesis: the steps this review took, set against the RAMESES publication standards.

The RAMESES publication standards for realist syntheses (Wong, Greenhalgh,
Westhorp, Buckingham & Pawson, 2013, BMC Medicine 11:21,
doi:10.1186/1741-7015-11-21) list the items a report of a realist synthesis
should cover. :data:`RAMESES` gives each item's number and name (our short
rendering), whether the report covers it (``yes`` / ``partly`` / ``no``), the
report's section that does (its name: message primer.section.<code>), and why,
in the project's own words: a judgement of this project, not of the report or of
RAMESES. :func:`rameses_coverage` is the registry's table (codes only);
:func:`primer_markdown` the page text in one language (messages ``primer.*``),
its numbers computed from the corpus and from :data:`RAMESES`.
"""

from __future__ import annotations

import pandas as pd

from . import messages
from .choices import check_lang
from .corpus import load_hypotheses, load_selection_flow
from .lessons import markdown_table
from .paths import LANGS

SOURCE = (
    "Wong, G., Greenhalgh, T., Westhorp, G., Buckingham, J., & Pawson, R. (2013). RAMESES publication "
    "standards: realist syntheses. *BMC Medicine*, 11, 21. doi:10.1186/1741-7015-11-21"
)
COVERAGE = ("yes", "partly", "no")  # codes of ``covered``; their words are messages primer.coverage.<code>
# item, name (nl, en), coverage, section (or None), why (nl, en): the project's reading of the report
RAMESES = [
    (1, ("Titel", "Title"), "no", None, ("De titel noemt de methode niet.", "The title does not name the method.")),
    (
        2,
        ("Samenvatting", "Abstract"),
        "partly",
        "nawoord",
        (
            "Er is geen samenvatting vooraf; het nawoord vat kort samen wat er gedaan is.",
            "There is no abstract up front; the afterword briefly sums up what was done.",
        ),
    ),
    (
        3,
        ("Reden voor de review", "Rationale for review"),
        "yes",
        "waarom",
        (
            "Legt uit waarom samen leren van leraren ertoe doet en wat eerdere reviews openlieten.",
            "Explains why teachers learning together matters and what earlier reviews left open.",
        ),
    ),
    (
        4,
        ("Doel en focus", "Objectives and focus of review"),
        "yes",
        "waarom",
        (
            "Noemt factoren, effecten en de vraag wat werkt voor wie onder welke omstandigheden.",
            "Names factors, effects and the question what works for whom in which circumstances.",
        ),
    ),
    (
        5,
        ("Wijzigingen in de aanpak", "Changes in the review process"),
        "no",
        None,
        (
            "Over wijzigingen tijdens de review zegt het rapport niets.",
            "The report says nothing about changes during the review.",
        ),
    ),
    (
        6,
        ("Waarom realist synthesis", "Rationale for using realist synthesis"),
        "partly",
        "opzet",
        (
            "Eén alinea: een praktische methode voor de vraag wat werkt voor wie (Pawson e.a., 2004).",
            "One paragraph: a practical method for the question what works for whom (Pawson et al., 2004).",
        ),
    ),
    (
        7,
        ("Verkennen van de literatuur", "Scoping the literature"),
        "partly",
        "opzet",
        (
            "De veronderstellingen komen uit eerder literatuuronderzoek, maar hoe ze zijn opgesteld, staat er niet.",
            "The hypotheses come from earlier literature, but how they were drawn up is not described.",
        ),
    ),
    (
        8,
        ("Zoekproces", "Searching processes"),
        "partly",
        "opzet",
        (
            "Noemt zoekmachines, handmatig zoeken en proefschriften; zoektermen en zoekdatum ontbreken.",
            "Names search engines, hand searching and dissertations; search terms and search date are missing.",
        ),
    ),
    (
        9,
        ("Selectie en beoordeling van documenten", "Selection and appraisal of documents"),
        "partly",
        "opzet",
        (
            "De selectiecriteria staan er; een beoordeling van relevantie en kwaliteit per studie niet.",
            "Seven selection criteria are given; an appraisal of each study's relevance and rigour is not.",
        ),
    ),
    (
        10,
        ("Data-extractie", "Data extraction"),
        "partly",
        "opzet",
        (
            "De studies zijn samengevat; welke gegevens precies, blijkt alleen uit de bijlagen.",
            "The studies were summarised; which data exactly shows only in the appendices.",
        ),
    ),
    (
        11,
        ("Analyse en synthese", "Analysis and synthesis processes"),
        "partly",
        "realist_synthesis",
        (
            "Per veronderstelling een oordeel met voorbeelden; hoe het oordeel tot stand kwam, wordt niet uitgelegd.",
            "A verdict per hypothesis with examples; how each verdict was reached is not explained.",
        ),
    ),
    (
        12,
        ("Stroomdiagram van documenten", "Document flow diagram"),
        "no",
        None,
        (
            "Geen diagram; alleen getallen in de tekst (dit project tekent ze als PRISMA-diagram in notebook 01).",
            "No diagram; only numbers in the text (this project draws them as a PRISMA diagram in notebook 01).",
        ),
    ),
    (
        13,
        ("Kenmerken van documenten", "Document characteristics"),
        "yes",
        "bijlagen",
        (
            "Bijlagen A-C beschrijven elke studie, Bijlage D telt hun kenmerken.",
            "Appendices A-C describe each study, Appendix D counts their characteristics.",
        ),
    ),
    (
        14,
        ("Belangrijkste bevindingen", "Main findings"),
        "yes",
        "realist_synthesis",
        (
            "Per veronderstelling het oordeel, met studienummers als bewijs (behalve bij veronderstelling 12).",
            "The verdict per hypothesis, with study numbers as evidence (except for hypothesis 12).",
        ),
    ),
    (
        15,
        ("Samenvatting van de bevindingen", "Summary of findings"),
        "partly",
        "nawoord",
        (
            "Het nawoord noemt wat er onderzocht is, niet wat eruit kwam; de checklist vertaalt de uitkomsten.",
            "The afterword names what was studied, not what came out; the checklist translates the results.",
        ),
    ),
    (
        16,
        ("Sterke punten, beperkingen, vervolgonderzoek", "Strengths, limitations and future research directions"),
        "partly",
        "aanbevelingen",
        (
            "Beperkingen van de onderzochte studies en ideeën voor vervolgonderzoek; "
            "beperkingen van de review zelf niet.",
            "Limitations of the studies reviewed and ideas for further research; "
            "limitations of the review itself are not.",
        ),
    ),
    (
        17,
        ("Vergelijking met bestaande literatuur", "Comparison with existing literature"),
        "partly",
        "factoren_effecten",
        (
            "Factoren en effecten worden gelezen tegen bestaande modellen; de oordelen over veronderstellingen niet.",
            "Factors and effects are read against existing models; the verdicts on the hypotheses are not.",
        ),
    ),
    (
        18,
        ("Conclusie en aanbevelingen", "Conclusion and recommendations"),
        "yes",
        "checklist",
        (
            "De checklist geeft praktische aanwijzingen per doelgroep.",
            "The checklist gives practical pointers per audience.",
        ),
    ),
    (
        19,
        ("Financiering", "Funding"),
        "no",
        None,
        ("De geëxtraheerde rapporttekst noemt geen financier.", "The extracted report text names no funder."),
    ),
]

PARTS = ("title", "what", "steps", "rameses", "table", "source", "direction")


def rameses_coverage(data_dir=None) -> pd.DataFrame:
    """The RAMESES items with the project's reading of the report: ``item``, ``covered`` (yes / partly / no),
    ``section`` (the report's section code, empty when not covered). ``data_dir`` is accepted for the registry."""
    return pd.DataFrame(
        [(n, covered, section or "") for n, _, covered, section, _ in RAMESES], columns=["item", "covered", "section"]
    )


def primer_markdown(part: str, lang: str = "nl", data_dir=None) -> str:
    """One part of the primer page (see :data:`PARTS`) in one language; numbers come from the corpus."""
    t = messages.words("primer", check_lang(lang))
    if part == "steps":
        flow = load_selection_flow(data_dir).set_index("step")["n"]
        return t["steps"].format(
            start=flow["search_period_start"],
            end=flow["search_period_end"],
            criteria=flow["selection_criteria"],
            full_texts=flow["full_texts_assessed"],
            articles=flow["articles_included"],
            studies=flow["studies_included"],
            n_hyp=len(load_hypotheses(data_dir)),
        )
    if part == "rameses":
        cov = rameses_coverage(data_dir)["covered"]
        return t["rameses"].format(n_items=len(cov), **{f"n_{c}": int((cov == c).sum()) for c in COVERAGE})
    if part == "table":
        return coverage_markdown(rameses_coverage(data_dir), lang)
    if part == "source":
        return t["source"].format(source=SOURCE)  # our own text, not data
    if part not in PARTS:
        raise ValueError(f"unknown primer part {part!r}; expected one of {', '.join(PARTS)}")
    return t[part]


def coverage_markdown(coverage: pd.DataFrame, lang: str = "nl") -> str:
    """The coverage table (:func:`rameses_coverage`) with item names, sections and reasons in one language."""
    i = LANGS.index(check_lang(lang))
    names = {n: (name, why) for n, name, _, _, why in RAMESES}
    covered, sections = messages.words("primer.coverage", lang), messages.words("primer.section", lang)
    titles = messages.words("columns", lang)
    rows = [
        (r.item, names[r.item][0][i], covered[r.covered], sections[r.section] if r.section else "", names[r.item][1][i])
        for r in coverage.itertuples()
    ]
    columns = [titles[c] for c in ("item", "item_name", "covered", "section", "why")]
    return markdown_table(pd.DataFrame(rows, columns=columns), index=False)


def page(lang: str = "nl", data_dir=None, parts=PARTS) -> str:
    """The primer page (or some of its :data:`PARTS`) as Markdown."""
    return "\n\n".join(primer_markdown(p, lang, data_dir) for p in parts)
