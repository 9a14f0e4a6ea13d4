"""A primer on realist synthesis: the steps this review took, set against the RAMESES publication standards.

The RAMESES publication standards for realist syntheses (Wong, Greenhalgh,
Westhorp, Buckingham & Pawson, 2013, BMC Medicine 11:21,
doi:10.1186/1741-7015-11-21) list 19 items a report of a realist synthesis
should cover. :data:`RAMESES` gives each item's number and name (our short
rendering), whether the report covers it (``yes`` / ``partly`` / ``no``), the
report's section that does, and why, in the project's own words: a judgement
of this project, not of the report or of RAMESES. :func:`rameses_coverage`
is the registry's table (codes only); :func:`primer_markdown` the page text in
one language, its numbers computed from the corpus.
"""
from __future__ import annotations

import pandas as pd

from .codebook import check_lang
from .corpus import load_hypotheses, load_selection_flow
from .lessons import markdown_table

SOURCE = ("Wong, G., Greenhalgh, T., Westhorp, G., Buckingham, J., & Pawson, R. (2013). RAMESES publication "
          "standards: realist syntheses. *BMC Medicine*, 11, 21. doi:10.1186/1741-7015-11-21")
SECTIONS = {  # report section code -> (Dutch name as printed, English)
    "waarom": ("Waarom deze literatuurstudie?", "Why this literature study?"),
    "begrippen": ("Begrippen", "Concepts"),
    "opzet": ("Opzet van de studie", "Design of the study"),
    "factoren_effecten": ("Factoren; Effecten", "Factors; Effects"),
    "realist_synthesis": ("Realist synthesis: het toetsen van veronderstellingen", "Realist synthesis: testing the hypotheses"),
    "checklist": ("De checklist", "The checklist"),
    "aanbevelingen": ("Aanbevelingen voor onderzoek", "Recommendations for research"),
    "nawoord": ("Nawoord", "Afterword"),
    "bijlagen": ("Bijlagen A-D", "Appendices A-D"),
}
COVERAGE = {"yes": ("ja", "yes"), "partly": ("deels", "partly"), "no": ("nee", "no")}
# item, name (nl, en), coverage, section (or None), why (nl, en): the project's reading of the report
RAMESES = [
    (1, ("Titel", "Title"), "no", None,
     ("De titel noemt de methode niet.", "The title does not name the method.")),
    (2, ("Samenvatting", "Abstract"), "partly", "nawoord",
     ("Er is geen samenvatting vooraf; het nawoord vat kort samen wat er gedaan is.",
      "There is no abstract up front; the afterword briefly sums up what was done.")),
    (3, ("Reden voor de review", "Rationale for review"), "yes", "waarom",
     ("Legt uit waarom samen leren van leraren ertoe doet en wat eerdere reviews openlieten.",
      "Explains why teachers learning together matters and what earlier reviews left open.")),
    (4, ("Doel en focus", "Objectives and focus of review"), "yes", "waarom",
     ("Noemt factoren, effecten en de vraag wat werkt voor wie onder welke omstandigheden.",
      "Names factors, effects and the question what works for whom in which circumstances.")),
    (5, ("Wijzigingen in de aanpak", "Changes in the review process"), "no", None,
     ("Over wijzigingen tijdens de review zegt het rapport niets.", "The report says nothing about changes during the review.")),
    (6, ("Waarom realist synthesis", "Rationale for using realist synthesis"), "partly", "opzet",
     ("Eén alinea: een praktische methode voor de vraag wat werkt voor wie (Pawson e.a., 2004).",
      "One paragraph: a practical method for the question what works for whom (Pawson et al., 2004).")),
    (7, ("Verkennen van de literatuur", "Scoping the literature"), "partly", "opzet",
     ("De veronderstellingen komen uit eerder literatuuronderzoek, maar hoe ze zijn opgesteld, staat er niet.",
      "The hypotheses come from earlier literature, but how they were drawn up is not described.")),
    (8, ("Zoekproces", "Searching processes"), "partly", "opzet",
     ("Noemt zoekmachines, handmatig zoeken en proefschriften; zoektermen en zoekdatum ontbreken.",
      "Names search engines, hand searching and dissertations; search terms and search date are missing.")),
    (9, ("Selectie en beoordeling van documenten", "Selection and appraisal of documents"), "partly", "opzet",
     ("De selectiecriteria staan er; een beoordeling van relevantie en kwaliteit per studie niet.",
      "Seven selection criteria are given; an appraisal of each study's relevance and rigour is not.")),
    (10, ("Data-extractie", "Data extraction"), "partly", "opzet",
     ("De studies zijn samengevat; welke gegevens precies, blijkt alleen uit de bijlagen.",
      "The studies were summarised; which data exactly shows only in the appendices.")),
    (11, ("Analyse en synthese", "Analysis and synthesis processes"), "partly", "realist_synthesis",
     ("Per veronderstelling een oordeel met voorbeelden; hoe het oordeel tot stand kwam, wordt niet uitgelegd.",
      "A verdict per hypothesis with examples; how each verdict was reached is not explained.")),
    (12, ("Stroomdiagram van documenten", "Document flow diagram"), "no", None,
     ("Geen diagram; alleen getallen in de tekst (dit project tekent ze als PRISMA-diagram in notebook 01).",
      "No diagram; only numbers in the text (this project draws them as a PRISMA diagram in notebook 01).")),
    (13, ("Kenmerken van documenten", "Document characteristics"), "yes", "bijlagen",
     ("Bijlagen A-C beschrijven elke studie, Bijlage D telt hun kenmerken.",
      "Appendices A-C describe each study, Appendix D counts their characteristics.")),
    (14, ("Belangrijkste bevindingen", "Main findings"), "yes", "realist_synthesis",
     ("Per veronderstelling het oordeel, met studienummers als bewijs (behalve bij veronderstelling 12).",
      "The verdict per hypothesis, with study numbers as evidence (except for hypothesis 12).")),
    (15, ("Samenvatting van de bevindingen", "Summary of findings"), "partly", "nawoord",
     ("Het nawoord noemt wat er onderzocht is, niet wat eruit kwam; de checklist vertaalt de uitkomsten.",
      "The afterword names what was studied, not what came out; the checklist translates the results.")),
    (16, ("Sterke punten, beperkingen, vervolgonderzoek", "Strengths, limitations and future research directions"),
     "partly", "aanbevelingen",
     ("Beperkingen van de onderzochte studies en ideeën voor vervolgonderzoek; beperkingen van de review zelf niet.",
      "Limitations of the studies reviewed and ideas for further research; limitations of the review itself are not.")),
    (17, ("Vergelijking met bestaande literatuur", "Comparison with existing literature"), "partly", "factoren_effecten",
     ("Factoren en effecten worden gelezen tegen bestaande modellen; de oordelen over veronderstellingen niet.",
      "Factors and effects are read against existing models; the verdicts on the hypotheses are not.")),
    (18, ("Conclusie en aanbevelingen", "Conclusion and recommendations"), "yes", "checklist",
     ("De checklist geeft praktische aanwijzingen per doelgroep.", "The checklist gives practical pointers per audience.")),
    (19, ("Financiering", "Funding"), "no", None,
     ("De geëxtraheerde rapporttekst noemt geen financier.", "The extracted report text names no funder.")),
]

TEXT = {
    "nl": {
        "title": "## Wat is een realist synthesis, en hoe deed deze review het?",
        "what": "Een gewone review vraagt of een aanpak werkt. Een **realist synthesis** vraagt *wat werkt, voor wie, "
                "onder welke omstandigheden en waarom*. Je begint met veronderstellingen over hoe een aanpak werkt "
                "(een **mechanisme**), bij wie of waar (een **context**) en met welk resultaat (een **uitkomst**), en "
                "toetst die aan de studies die je vindt.",
        "steps": "### De stappen van deze review\n\n"
                 "1. **Zoeken** (Opzet van de studie, stap 1): zoekmachines, tijdschriften en proefschriften, artikelen "
                 "van {start} tot april {end}.\n"
                 "2. **Selecteren** (stap 2): {criteria} criteria; ongeveer {full_texts} volledige teksten gelezen, "
                 "{articles} artikelen gekozen ({studies} studies: sommige artikelen gaan over dezelfde deelnemers).\n"
                 "3. **Samenvatten** (stap 3): elke studie samengevat (Bijlagen A-C), kenmerken geteld (Bijlage D).\n"
                 "4. **Synthese** (stap 4): eerst factoren en effecten verzameld; dan {n_hyp} veronderstellingen "
                 "opgesteld uit eerder onderzoek en getoetst aan de studies (hoofdstuk Realist synthesis, Bijlage F).\n"
                 "5. **Vertalen naar de praktijk**: de checklist.",
        "rameses": "### De review naast RAMESES\n\nDe RAMESES-publicatiestandaarden noemen {n_items} onderdelen die een "
                   "verslag van een realist synthesis hoort te bevatten. Zo dekt dit rapport ze, volgens ons: "
                   "{n_yes} ja, {n_partly} deels, {n_no} nee. Het oordeel is van dit project.",
        "source": "Bron: {source}",
        "direction": "### Hoe lees je de richting?\n\nIn de data (`citations.csv`) heeft elke citatie een richting. "
                     "Bij een **veronderstelling** betekent *positief* dat het bewijs haar **ondersteunt** en *negatief* "
                     "dat het haar **tegenspreekt**. Bij een **factor** betekent *positief* dat de factor het samen leren "
                     "**helpt** en *negatief* dat hij het **hindert**. Een hinderende factor (zoals tijdgebrek) kan dus "
                     "een veronderstelling ondersteunen (dat voldoende tijd nodig is).",
        "columns": ("Nr.", "Onderdeel", "Gedekt", "Waar in het rapport", "Waarom"),
    },
    "en": {
        "title": "## What is a realist synthesis, and how did this review do it?",
        "what": "An ordinary review asks whether an approach works. A **realist synthesis** asks *what works, for whom, "
                "in which circumstances and why*. You start from hypotheses about how an approach works (a "
                "**mechanism**), for whom or where (a **context**) and with what result (an **outcome**), and test "
                "them against the studies you find.",
        "steps": "### The steps of this review\n\n"
                 "1. **Searching** (Design of the study, step 1): search engines, journals and dissertations, articles "
                 "from {start} to April {end}.\n"
                 "2. **Selecting** (step 2): {criteria} criteria; about {full_texts} full texts read, {articles} "
                 "articles chosen ({studies} studies: some articles report on the same participants).\n"
                 "3. **Summarising** (step 3): each study summarised (Appendices A-C), characteristics counted "
                 "(Appendix D).\n"
                 "4. **Synthesis** (step 4): first factors and effects collected; then {n_hyp} hypotheses drawn up "
                 "from earlier research and tested against the studies (chapter Realist synthesis, Appendix F).\n"
                 "5. **Into practice**: the checklist.",
        "rameses": "### The review beside RAMESES\n\nThe RAMESES publication standards list {n_items} items a report of a "
                   "realist synthesis should contain. This is how this report covers them, in our reading: {n_yes} "
                   "yes, {n_partly} partly, {n_no} no. The judgement is this project's.",
        "source": "Source: {source}",
        "direction": "### How to read the direction\n\nIn the data (`citations.csv`) every citation has a direction. "
                     "On a **hypothesis**, *positive* means the evidence **supports** it and *negative* that it "
                     "**contradicts** it. On a **factor**, *positive* means the factor **helps** peer learning and "
                     "*negative* that it **hinders** it. So a hindering factor (such as a lack of time) can support a "
                     "hypothesis (that enough time is needed).",
        "columns": ("No.", "Item", "Covered", "Where in the report", "Why"),
    },
}
PARTS = ("title", "what", "steps", "rameses", "table", "source", "direction")


def rameses_coverage(data_dir=None) -> pd.DataFrame:
    """The 19 RAMESES items with the project's reading of the report: ``item``, ``covered`` (yes / partly / no),
    ``section`` (the report's section code, empty when not covered). ``data_dir`` is accepted for the registry."""
    return pd.DataFrame([(n, covered, section or "") for n, _, covered, section, _ in RAMESES],
                        columns=["item", "covered", "section"])


def primer_markdown(part: str, lang: str = "nl", data_dir=None) -> str:
    """One part of the primer page (see :data:`PARTS`) in one language; numbers come from the corpus."""
    check_lang(lang)
    i, t = ("nl", "en").index(lang), TEXT[lang]
    if part == "steps":
        flow = load_selection_flow(data_dir).set_index("step")["n"]
        return t["steps"].format(start=flow["search_period_start"], end=flow["search_period_end"],
                                 criteria=flow["selection_criteria"], full_texts=flow["full_texts_assessed"],
                                 articles=flow["articles_included"], studies=flow["studies_included"],
                                 n_hyp=len(load_hypotheses(data_dir)))
    if part == "rameses":
        cov = rameses_coverage(data_dir)["covered"]
        return t["rameses"].format(n_items=len(cov), **{f"n_{c}": int((cov == c).sum()) for c in COVERAGE})
    if part == "table":
        return coverage_markdown(rameses_coverage(data_dir), lang)
    if part == "source":
        return t["source"].format(source=SOURCE)  # our own text, not data
    if part not in t:
        raise ValueError(f"unknown primer part {part!r}; expected one of {', '.join(PARTS)}")
    return t[part]


def coverage_markdown(coverage: pd.DataFrame, lang: str = "nl") -> str:
    """The coverage table (:func:`rameses_coverage`) with item names, sections and reasons in one language."""
    check_lang(lang)
    i = ("nl", "en").index(lang)
    names = {n: (name, why) for n, name, _, _, why in RAMESES}
    rows = [(r.item, names[r.item][0][i], COVERAGE[r.covered][i], SECTIONS[r.section][i] if r.section else "",
             names[r.item][1][i]) for r in coverage.itertuples()]
    return markdown_table(pd.DataFrame(rows, columns=list(TEXT[lang]["columns"])), index=False)


def page(lang: str = "nl", data_dir=None, parts=PARTS) -> str:
    """The primer page (or some of its :data:`PARTS`) as Markdown."""
    return "\n\n".join(primer_markdown(p, lang, data_dir) for p in parts)
