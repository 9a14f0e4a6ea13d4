"""The student's pages of the realist synthesis: each hypothesis's evidence, questions and how to read it.

notebooks/07_realist_synthesis_walkthrough.ipynb shows one hypothesis in one
language with these functions; every one returns Markdown (with a little HTML
for footnotes and the hidden answers) built from
:class:`~peerlearn.synthesis.HypothesisEvidence`, so nothing is cut off the way a
pandas table cuts long text, and every number, study and sentence comes from
data/raw (the findings are the project's notes, hypothesis_evidence_notes.csv).
Text from the data is HTML-escaped before it lands in the page.
"""
from __future__ import annotations


import pandas as pd

from .escaping import markdown
from .codebook import check_lang, load_codebook
from .corpus import load_citations, load_domain_effects, load_hypothesis_evidence_notes, load_studies
from .synthesis import HypothesisEvidence

UNKNOWN = {"nl": "onbekend", "en": "unknown"}
SETTING = ("participant_group", "activity_type", "setting")  # the descriptors shown beside each study

WORDS = {
    "nl": {
        "title": "Veronderstelling {h}: {label}", "subtitle": "Realist synthesis, stap voor stap",
        "s_overview": "De 13 veronderstellingen", "s_cmo": "Deze veronderstelling als context, mechanisme en uitkomst",
        "s_evidence": "Het bewijs, per configuratie", "s_direction": "Hoe lees je de richting?",
        "s_profile": "Wie en welke activiteiten", "s_verdict": "Het oordeel", "s_questions": "Vragen",
        "s_notes": "Voetnoten", "study": "Studie", "lost": "samenvatting verloren", "n_studies": "{n} studies",
        "one_study": "1 studie", "statement": "uitspraak {s}, regel {line} van de rapporttekst",
        "question": "Vraag", "answer": "Antwoord", "none": "geen",
        "legend": "Bij elke studie: deelnemers · type activiteit · situatie, en of ze de veronderstelling "
                  "ondersteunt of tegenspreekt. De zin is een samenvatting in de woorden van dit project, niet het "
                  "rapport. **Onbekend** betekent: het rapport vermeldt het voor die studie niet (de samenvatting ging "
                  "verloren of zegt het niet); wij vullen het niet in op basis van andere studies. De voetnoten zeggen "
                  "waar in het rapport het staat.",
        "no_profile": "Er zijn geen geciteerde studies om te tellen.",
    },
    "en": {
        "title": "Hypothesis {h}: {label}", "subtitle": "Realist synthesis, step by step",
        "s_overview": "The 13 hypotheses", "s_cmo": "This hypothesis as context, mechanism and outcome",
        "s_evidence": "The evidence, by configuration", "s_direction": "How to read the direction",
        "s_profile": "Who, and which activities", "s_verdict": "The verdict", "s_questions": "Questions",
        "s_notes": "Footnotes", "study": "Study", "lost": "summary lost", "n_studies": "{n} studies",
        "one_study": "1 study", "statement": "statement {s}, line {line} of the report text",
        "question": "Question", "answer": "Answer", "none": "none",
        "legend": "For each study: participants · activity type · setting, and whether it supports or contradicts "
                  "the hypothesis. The sentence is a summary in this project's words, not the report's. **Unknown** "
                  "means the report does not state it for that study (its summary was lost or does not say); we do "
                  "not fill it in from other studies. The footnotes say where in the report it is.",
        "no_profile": "There are no cited studies to count.",
    },
}

UNTRACEABLE = {
    "nl": "**Waarom je hier geen studies ziet.** Bij deze veronderstelling geeft het hoofdstuk Realist synthesis een "
          "oordeel en een algemene toelichting, maar **geen enkel studienummer**; het verwijst naar het hoofdstuk "
          "Effecten. Bijlage F geeft alleen een aantal (**{n_published} studies**), geen lijst. Welke studies dat "
          "zijn, staat nergens in het rapport.\n\n"
          "- Het hoofdstuk Effecten zelf citeert maar **{n_effects_cited} studies** bij naam.\n"
          "- Bijlagen B en C noemen de **{n_bc} artikelen** die effecten onderzochten; de {n_published} studies "
          "zitten daar waarschijnlijk tussen (onze inschatting), maar welke het zijn, is niet te zeggen.\n"
          "- Bijlage E Tabel 5 telt per domein hoeveel studies een effect vonden: {domains}.\n\n"
          "**Wat betekent dat voor je oordeel?** Je kunt het oordeel *{verdict}* niet per studie nagaan: je weet niet "
          "voor wie (studentleraren of zittende leraren), bij welke soort activiteit of in welke situatie het bewijs "
          "geldt. Je moet de auteurs hier op hun woord geloven, of het bewijs zelf opnieuw verzamelen. De tellingen "
          "per domein laten wel zien waar opbrengsten gevonden zijn, maar niet door welke studies.",
    "en": "**Why you see no studies here.** For this hypothesis the chapter Realist synthesis gives a verdict and a "
          "general explanation, but **no study number at all**; it refers to the chapter Effects. Appendix F gives "
          "only a count (**{n_published} studies**), not a list. Which studies those are is stated nowhere in the "
          "report.\n\n"
          "- The chapter Effects itself cites only **{n_effects_cited} studies** by number.\n"
          "- Appendices B and C list the **{n_bc} articles** that studied effects; the {n_published} studies are "
          "probably among them (our estimate), but which ones cannot be said.\n"
          "- Appendix E Table 5 counts, per domain, how many studies found an effect: {domains}.\n\n"
          "**What this means for judging it.** You cannot check the verdict *{verdict}* study by study: you do not "
          "know for whom (student or in-service teachers), in which kind of activity or in which setting the "
          "evidence holds. Here you have to take the authors at their word, or gather the evidence again yourself. "
          "The counts per domain do show where outcomes were found, but not by which studies.",
}

DIRECTION = {
    "nl": "In `citations.csv` heeft elke citatie een **richting**, maar wat die betekent, hangt af van de soort code:\n\n"
          "- **Bij een veronderstelling** (code H1-H13, hoofdstuk Realist synthesis): *positief* = het bewijs "
          "**ondersteunt** de veronderstelling, *negatief* = het **spreekt haar tegen**. Hierboven staat dat als "
          "ondersteunt / spreekt tegen / gemengd (een studie met uitspraken voor én tegen).\n"
          "- **Bij een factor** (hoofdstuk Factoren): *positief* = de factor **helpt** het samen leren, *negatief* = "
          "hij **hindert** het.\n\n"
          "Een hinderende factor kan dus een veronderstelling ondersteunen.{example}",
    "en": "In `citations.csv` every citation has a **direction**, but what it means depends on the kind of code:\n\n"
          "- **On a hypothesis** (code H1-H13, chapter Realist synthesis): *positive* = the evidence **supports** the "
          "hypothesis, *negative* = it **contradicts** it. Above this is shown as supports / contradicts / mixed "
          "(a study with statements for and against).\n"
          "- **On a factor** (chapter Factors): *positive* = the factor **helps** peer learning, *negative* = it "
          "**hinders** it.\n\n"
          "So a factor that hinders can support a hypothesis.{example}",
}
EXAMPLE = {
    "nl": " Voorbeeld uit de data: studie {study} staat in het hoofdstuk Factoren bij *{factor}* als **hinderend**, "
          "en ondersteunt veronderstelling {h}.",
    "en": " An example from the data: study {study} is listed in the chapter Factors under *{factor}* as "
          "**hindering**, and it supports hypothesis {h}.",
}


def esc(text) -> str:
    """Text from the data, inert in Markdown and the HTML it becomes (:func:`peerlearn.escaping.markdown`)."""
    return markdown(text)


def _w(lang: str) -> dict:
    check_lang(lang)
    return WORDS[lang]


def _label(cb, vocabulary: str, code, lang: str) -> str:
    return UNKNOWN[lang] if code is None or pd.isna(code) else cb.label(vocabulary, str(code), lang)


def heading(part: str, ev: HypothesisEvidence, lang: str = "nl") -> str:
    """A section heading of the page in one language (``title`` is the page's own title)."""
    w = _w(lang)
    if part == "title":
        return f"## {esc(w['title'].format(h=ev.hypothesis, label=ev.label(lang)))}\n\n*{w['subtitle']}*"
    return f"### {w['s_' + part]}"


def markdown_table(table: pd.DataFrame, index: bool = True) -> str:
    """A DataFrame as a Markdown table, every cell whole (no column-width cut) and escaped."""
    frame = table.reset_index().rename(columns={"index": ""}) if index else table
    cells = [[esc(c) for c in frame.columns]] + [["" if pd.isna(v) else esc(v) for v in row] for row in frame.itertuples(index=False)]
    lines = ["| " + " | ".join(row) + " |" for row in cells]
    lines.insert(1, "|" + "---|" * len(frame.columns))
    return "\n".join(lines)


def cmo_markdown(ev: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """Context, mechanism and outcome as a list, each with where it comes from; the part under test in bold."""
    cb = load_codebook(data_dir)
    _w(lang)
    lines = []
    for row in ev.cmo.itertuples():
        name = esc(cb.label("hypothesis_role", str(row.element), lang))
        name = f"**{name}** ←" if str(row.element) == ev.role else f"**{name}**"
        basis = cb.label("cmo_basis", str(row.basis), lang)
        lines.append(f"- {name} {esc(getattr(row, f'text_{lang}'))} *({esc(basis)})*")
    return "\n".join(lines)


def _footnotes(ev: HypothesisEvidence) -> dict:
    """statement id -> (footnote number, source line), numbered in reading order."""
    order = {}
    for row in ev.notes.itertuples():
        for part in row.basis.split():
            statement, line = part.split(":")
            order.setdefault(statement, (len(order) + 1, int(line)))
    return order


def _sup(numbers, ev) -> str:
    refs = ",".join(f'<a href="#h{ev.hypothesis}-fn{n}">{n}</a>' for n in numbers)
    return f"<sup>{refs}</sup>"


def evidence_markdown(ev: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """Every cited study with its one-sentence finding, setting and direction, grouped by configuration, with
    statement and line as footnotes; for a hypothesis without cited studies, why they cannot be traced."""
    w = _w(lang)
    if ev.notes.empty:
        return untraceable_markdown(ev, lang, data_dir)
    cb = load_codebook(data_dir)
    notes = _footnotes(ev)
    parts = [w["legend"]]
    codes = [c for c in cb.vocabulary("evidence_configuration").codes if c in set(ev.notes["configuration"].astype(str))]
    for code in codes:
        rows = ev.notes[ev.notes["configuration"] == code]
        count = w["one_study"] if len(rows) == 1 else w["n_studies"].format(n=len(rows))
        parts.append(f"#### {esc(cb.label('evidence_configuration', code, lang))} ({count})")
        items = []
        for r in rows.itertuples():
            setting = " · ".join(esc(_label(cb, v, getattr(r, v), lang)) for v in SETTING)
            own = getattr(r, f"label_{lang}")
            about = f"*{esc(own)}*" if isinstance(own, str) and own else f"*{w['lost']}*"
            direction = esc(cb.label("evidence_direction", str(r.direction), lang).lower())
            refs = _sup([notes[s][0] for s in r.statement_ids.split()], ev)
            items.append(f"- **{w['study']} {r.study_id}** ({about}): {setting}. **{direction}**. "
                         f"{esc(getattr(r, f'finding_{lang}'))}{refs}")
        parts.append("\n".join(items))
    parts.append(f"#### {w['s_notes']}\n\n" + "\n".join(
        f'{n}. <span id="h{ev.hypothesis}-fn{n}"></span>{w["statement"].format(s=esc(s), line=line)}'
        for s, (n, line) in notes.items()))
    return "\n\n".join(parts)


def untraceable_markdown(ev: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """Why a hypothesis whose studies the text never cites cannot be traced, and what that means for judging it."""
    _w(lang)
    cb = load_codebook(data_dir)
    citations = load_citations(data_dir)
    studies = load_studies(data_dir)
    effects = load_domain_effects(data_dir)
    domains = ", ".join(f"{esc(cb.label('domain', str(r.domain), lang))} {r.n_studies}" for r in effects.itertuples())
    return UNTRACEABLE[lang].format(
        n_published=ev.n_studies_published, verdict=esc(cb.label("verdict", ev.verdict, lang)),
        n_effects_cited=citations.loc[citations["chapter"] == "effects", "study_id"].nunique(),
        n_bc=int(studies["appendix"].isin(["B", "C"]).sum()), domains=domains)


def direction_markdown(lang: str = "nl", data_dir=None, ev: HypothesisEvidence | None = None) -> str:
    """How to read ``direction`` on hypothesis rows (supports/contradicts) versus factor rows (helps/hinders),
    with an example from the data: a study cited as a hindering factor that supports a hypothesis (this
    hypothesis ``ev`` when it has one)."""
    _w(lang)
    cb = load_codebook(data_dir)
    citations = load_citations(data_dir)
    hindering = citations[(citations["code_kind"] == "factor_subcategory") & (citations["direction"] == "negative")]
    notes = load_hypothesis_evidence_notes(data_dir)
    both = hindering.merge(notes[notes["direction"] == "supports"], on="study_id")
    example = ""
    if len(both):
        both = both.assign(other=both["hypothesis"] != (ev.hypothesis if ev is not None else 0))
        first = both.sort_values(["other", "hypothesis", "study_id", "statement_id"]).iloc[0]
        example = EXAMPLE[lang].format(study=first["study_id"], h=first["hypothesis"],
                                       factor=esc(cb.label("factor_subcategory", str(first["code"]), lang)))
    return DIRECTION[lang].format(example=example)


def profile_markdown(ev: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """Cited studies per participant group and activity type as a Markdown table (a sentence when there are none)."""
    w = _w(lang)
    if ev.studies.empty:
        return w["no_profile"]
    cb = load_codebook(data_dir)
    rows = [(_label(cb, "participant_group", r.participant_group, lang), _label(cb, "activity_type", r.activity_type, lang))
            for r in ev.studies.itertuples()]
    counts = pd.Series(rows).value_counts(sort=False)
    order = {voc: [cb.label(voc, c, lang) for c in cb.vocabulary(voc).codes] + [UNKNOWN[lang]]
             for voc in ("participant_group", "activity_type")}
    keys = sorted(counts.index, key=lambda k: (order["participant_group"].index(k[0]), order["activity_type"].index(k[1])))
    idx = 0 if lang == "nl" else 1
    header = [("Deelnemers", "Participants"), ("Type activiteit", "Activity type"), ("Aantal studies", "Studies")]
    table = pd.DataFrame([(g, a, counts[(g, a)]) for g, a in keys], columns=[h[idx] for h in header])
    return markdown_table(table, index=False)
