"""The realist-synthesis walkthrough for students: texts and tables for one hypothesis, and rendering it.

notebooks/07_realist_synthesis_walkthrough.ipynb calls :func:`text` and the
``*_table`` functions with a :class:`~peerlearn.synthesis.HypothesisEvidence`;
every number in the texts is computed from it. ``peerlearn walkthrough
--hypothesis N`` (:func:`render`) runs the notebook with papermill for any
hypothesis into build/walkthrough/ or the given output (the table it writes
stays in the walkthrough's build folder), never into the committed tree.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from .codebook import LANGS, check_lang, load_codebook
from .corpus import load_hypotheses
from . import lessons as L
from .escaping import markdown
from .output import atomic_write_bytes, check_target, new_folder
from .paths import NOTEBOOKS_DIR, corpus_dir, corpus_in_use
from .questions import questions_markdown
from .synthesis import HypothesisEvidence, check_hypothesis
from .choices import check_choice

NOTEBOOK = NOTEBOOKS_DIR / "07_realist_synthesis_walkthrough.ipynb"
UNKNOWN = {"nl": "onbekend", "en": "unknown"}

TEXTS = {
    "intro": {
        "nl": "**Realist synthesis** vraagt niet alleen óf samen leren werkt, maar *wat* werkt, *voor wie* en "
              "*onder welke omstandigheden*. Daarvoor lees je elke veronderstelling als drie delen:\n\n"
              "- **Context**: voor wie en in welke situatie (bijvoorbeeld studentleraren, of een school waar de leiding meedoet);\n"
              "- **Mechanisme**: wat er in de activiteit gebeurt waardoor ze werkt (bijvoorbeeld feedback of reflectie);\n"
              "- **Uitkomst**: wat er daardoor verandert (bijvoorbeeld kennis, lespraktijk of leerlingen).\n\n"
              "Deze notebook volgt **veronderstelling {hypothesis}**: *{label}*.",
        "en": "**Realist synthesis** asks not only whether peer learning works, but *what* works, *for whom* and "
              "*in which circumstances*. To do so, read each hypothesis as three parts:\n\n"
              "- **Context**: for whom and in which situation (for example student teachers, or a school whose leaders take part);\n"
              "- **Mechanism**: what happens in the activity that makes it work (for example feedback or reflection);\n"
              "- **Outcome**: what changes as a result (for example knowledge, teaching practice or pupils).\n\n"
              "This notebook follows **hypothesis {hypothesis}**: *{label}*.",
    },
    "overview": {
        "nl": "Elke veronderstelling zet één deel op de proef (kolom Rol): {roles}. De tabel geeft per veronderstelling "
              "het oordeel, het aantal studies met bewijs volgens Bijlage F, en wat het hoofdstuk Realist synthesis zelf "
              "citeert (uitspraken, studies, uitspraken met tegenbewijs).",
        "en": "Each hypothesis puts one part to the test (column Role): {roles}. The table gives for each hypothesis "
              "the verdict, the number of studies with evidence according to Bijlage F, and what the chapter Realist "
              "synthesis itself cites (statements, studies, statements with evidence against).",
    },
    "cmo": {
        "nl": "Veronderstelling {hypothesis} heeft de rol **{role}**: dat deel wordt getoetst. Zo lezen wij haar als "
              "context, mechanisme en uitkomst (het getoetste deel gemarkeerd met ←). Let op: deze indeling is van dit project, "
              "niet van het rapport. Tussen haakjes staat waar elk deel vandaan komt: uit de formulering van de "
              "veronderstelling, uit de bespreking van het bewijs, of uit onze eigen interpretatie (`pl.load_hypothesis_cmo()`).",
        "en": "Hypothesis {hypothesis} has the role **{role}**: that is the part under test. This is how we read it as "
              "context, mechanism and outcome (the part under test marked ←). Note: this reading is the project's, not the "
              "report's. In brackets: where each part comes from: the hypothesis's wording, the discussion of its "
              "evidence, or our own reading (`pl.load_hypothesis_cmo()`).",
    },
    "evidence": {
        "nl": "Het hoofdstuk Realist synthesis citeert bij deze veronderstelling **{n_statements} uitspraken** met samen "
              "**{n_cited} verschillende studies**; Bijlage F telt **{n_published} studies** met bewijs.",
        "en": "The chapter Realist synthesis cites **{n_statements} statements** for this hypothesis, together "
              "**{n_cited} different studies**; Bijlage F counts **{n_published} studies** with evidence.",
    },
    "examples": {
        "nl": "De tekst noemt dus voorbeelden; welke studies Bijlage F precies telt, staat niet in het rapport.",
        "en": "So the text gives examples; which studies Bijlage F counts is not in the report.",
    },
    "all_cited": {
        "nl": "De tekst citeert hier evenveel studies als Bijlage F telt.",
        "en": "Here the text cites as many studies as Bijlage F counts.",
    },
    "no_evidence": {
        "nl": "Het hoofdstuk Realist synthesis citeert bij deze veronderstelling **geen enkel studienummer**; Bijlage F telt "
              "**{n_published} studies** met bewijs. Welke studies dat zijn, is uit het rapport niet na te gaan.",
        "en": "The chapter Realist synthesis cites **no study number at all** for this hypothesis; Bijlage F counts "
              "**{n_published} studies** with evidence. Which studies those are cannot be traced from the report.",
    },
    "unknown": {
        "nl": "Geciteerde studies waarvan de samenvatting verloren ging: **{n_unknown}** van de {n_cited}. Hun "
              "deelnemersgroep en type activiteit zijn onbekend en worden hier niet geraden.",
        "en": "Cited studies whose summary was lost: **{n_unknown}** of {n_cited}. Their participant group and activity "
              "type are unknown and are not guessed here.",
    },
    "fragment": {
        "nl": "Studies waarvan de kenmerken uit een los samenvattingsfragment komen, toegewezen op grond van plaats en "
              "citaties (kolom Basis kenmerken): {n_fragment}.",
        "en": "Studies whose descriptors come from a loose summary fragment, assigned by position and citations "
              "(column Descriptor basis): {n_fragment}.",
    },
    "same_group": {
        "nl": "Sommige artikelen gaan over dezelfde deelnemers: de {n_cited} artikelen zijn samen {n_groups} studies.",
        "en": "Some articles report on the same participants: the {n_cited} articles make {n_groups} studies.",
    },
    "verdict": {
        "nl": "Oordeel van het rapport: **{verdict}**. Uitspraken met bewijs tegen de veronderstelling: {n_negative} van "
              "de {n_statements}. Het oordeel is een afweging van de auteurs, geen telling: ook zonder tegenbewijs "
              "kan het 'Klopt deels' worden, bijvoorbeeld als het bewijs maar voor één groep of één soort activiteit geldt, "
              "of als een deel van de veronderstelling niet onderzocht is. De context hierboven zegt voor wie het bewijs geldt:\n\n"
              "> {context}",
        "en": "The report's verdict: **{verdict}**. Statements with evidence against the hypothesis: {n_negative} of "
              "{n_statements}. The verdict is the authors' judgement, not a count: even without evidence against, it can be "
              "'partly supported', for instance when the evidence holds for one group or one kind of activity only, or when "
              "part of the hypothesis was not studied. The context above says for whom the evidence holds:\n\n"
              "> {context}",
    },
    "verdict_uncited": {
        "nl": "Oordeel van het rapport: **{verdict}**. De tekst citeert hier geen studies, dus dit oordeel is niet aan "
              "de data van dit project te toetsen. De context hierboven zegt voor wie het volgens de bespreking geldt:\n\n"
              "> {context}",
        "en": "The report's verdict: **{verdict}**. The text cites no studies here, so this verdict cannot be checked "
              "against this project's data. The context above says for whom it holds according to the discussion:\n\n"
              "> {context}",
    },
}
COLUMNS = {  # display titles of the walkthrough's tables: column -> (Dutch, English)
    "hypothesis": ("Veronderstelling", "Hypothesis"), "role": ("Rol", "Role"), "verdict": ("Oordeel", "Verdict"),
    "label": ("Kort", "In short"), "n_studies_published": ("Studies (Bijlage F)", "Studies (Bijlage F)"),
    "n_statements": ("Uitspraken", "Statements"), "n_studies_cited": ("Studies geciteerd", "Studies cited"),
    "n_negative": ("Tegenbewijs", "Against"), "element": ("Deel", "Part"), "text": ("Inhoud", "Content"),
    "basis": ("Basis", "Basis"), "statement_id": ("Uitspraak", "Statement"), "direction": ("Richting", "Direction"),
    "studies": ("Studies", "Studies"), "source_line": ("Regel in het rapport", "Line in the report"),
    "study_id": ("Studie", "Study"), "year": ("Jaar", "Year"), "participant_group": ("Deelnemers", "Participants"),
    "activity_type": ("Type activiteit", "Activity type"), "descriptor_basis": ("Basis kenmerken", "Descriptor basis"),
    "n_studies": ("Aantal studies", "Studies"),
}
VOCABULARIES = {"role": "hypothesis_role", "verdict": "verdict", "element": "hypothesis_role", "basis": "cmo_basis",
                "direction": "direction", "participant_group": "participant_group", "activity_type": "activity_type",
                "descriptor_basis": "descriptor_basis"}


def _check_lang(lang: str) -> int:
    """The language's position in (nl, en), the order of the title pairs above; ValueError for another language."""
    check_lang(lang)
    return LANGS.index(lang)


def _display(table: pd.DataFrame, lang: str, data_dir=None) -> pd.DataFrame:
    """Codes to labels (unknown for <NA>), column titles in the language."""
    idx = _check_lang(lang)
    cb = load_codebook(data_dir)
    out = table.copy()
    for column, voc in VOCABULARIES.items():
        if column in out.columns:
            out[column] = [UNKNOWN[lang] if pd.isna(v) else cb.label(voc, v, lang) for v in out[column]]
    return out.rename(columns={c: COLUMNS[c][idx] for c in out.columns if c in COLUMNS})


def text(part: str, evidence: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """One paragraph of the walkthrough (Markdown) for this hypothesis, every number computed from ``evidence``."""
    _check_lang(lang)
    cb = load_codebook(data_dir)
    studies = evidence.studies
    n_cited = len(studies)
    values = {
        "hypothesis": evidence.hypothesis, "label": evidence.label(lang),
        "role": cb.label("hypothesis_role", evidence.role, lang).lower(),
        "verdict": cb.label("verdict", evidence.verdict, lang),
        "n_statements": len(evidence.statements), "n_cited": n_cited, "n_published": evidence.n_studies_published,
        "n_negative": int((evidence.statements["direction"] == "negative").sum()),
        "n_unknown": int((studies["descriptor_basis"] == "missing").sum()),
        "n_fragment": int((studies["descriptor_basis"] == "inferred_fragment").sum()),
        "n_groups": studies["study_group"].nunique(),
    }
    if part == "overview":
        hypotheses = load_hypotheses(data_dir)
        values["roles"] = Inert("; ".join(  # each label escaped, the numbers and separators are ours
            f"{markdown(cb.label('hypothesis_role', role, lang).lower())} {_ranges(hypotheses.loc[hypotheses['role'] == role, 'hypothesis'])}"
            for role in hypotheses["role"].cat.categories if (hypotheses["role"] == role).any()))
    if part == "verdict":
        part = "verdict" if values["n_statements"] else "verdict_uncited"
        context = evidence.cmo.loc[evidence.cmo["element"] == "context", f"text_{lang}"]
        values["context"] = context.iloc[0] if len(context) else UNKNOWN[lang]
    if part == "evidence":
        if values["n_statements"]:
            gap = "examples" if n_cited < evidence.n_studies_published else "all_cited"
            paragraphs = [TEXTS["evidence"][lang] + " " + TEXTS[gap][lang]]
        else:
            paragraphs = [TEXTS["no_evidence"][lang]]
        paragraphs += [TEXTS["unknown"][lang]] * bool(values["n_unknown"])
        paragraphs += [TEXTS["fragment"][lang]] * bool(values["n_fragment"])
        paragraphs += [TEXTS["same_group"][lang]] * (values["n_groups"] < n_cited)
        return "\n\n".join(p.format(**_inert(values)) for p in paragraphs)
    return TEXTS[check_choice(part, TEXTS, "walkthrough text")][lang].format(**_inert(values))


class Inert(str):
    """Markdown already made of escaped data and our own text: :func:`_inert` leaves it as it is."""


def _inert(values: dict) -> dict:
    """The values of a text with every string from the data (labels, CMO texts) escaped for Markdown."""
    return {k: markdown(v) if isinstance(v, str) and not isinstance(v, Inert) else v for k, v in values.items()}


def section(part: str, evidence: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """One whole section of the walkthrough page in one language (Markdown): its heading and content.

    ``part``: title, overview, cmo, evidence, profile, direction, verdict or questions. Long text is never cut:
    lists and Markdown tables instead of pandas' column width."""
    ev = evidence
    body = {
        "title": lambda: text("intro", ev, lang, data_dir),
        "overview": lambda: text("overview", ev, lang, data_dir),
        "cmo": lambda: text("cmo", ev, lang, data_dir) + "\n\n" + L.cmo_markdown(ev, lang, data_dir),
        "evidence": lambda: L.evidence_markdown(ev, lang, data_dir) if ev.notes.empty else
        text("evidence", ev, lang, data_dir) + "\n\n" + L.evidence_markdown(ev, lang, data_dir),
        "profile": lambda: L.profile_markdown(ev, lang, data_dir),
        "direction": lambda: L.direction_markdown(lang, data_dir, ev),
        "verdict": lambda: text("verdict", ev, lang, data_dir),
        "questions": lambda: questions_markdown(ev, lang, data_dir),
    }
    if part not in body:
        raise ValueError(f"unknown walkthrough section {part!r}; expected one of {', '.join(body)}")
    return L.heading(part, ev, lang) + "\n\n" + body[part]()


def page(evidence: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """The whole walkthrough page of one hypothesis as Markdown, the overview table included (what the notebook shows)."""
    from .synthesis import evidence_overview

    parts = [section(p, evidence, lang, data_dir) for p in ("title", "overview")]
    parts.append(overview_markdown(evidence_overview(data_dir), evidence, lang, data_dir))
    parts += [section(p, evidence, lang, data_dir) for p in SECTIONS[2:]]
    return "\n\n".join(parts)


SECTIONS = ("title", "overview", "cmo", "evidence", "profile", "direction", "verdict", "questions")


def _ranges(numbers) -> str:
    """1, 2, 3, 5 -> '1-3, 5'."""
    numbers, out = sorted(int(n) for n in numbers), []
    for n in numbers:
        if out and out[-1][1] == n - 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in out)


def overview_table(overview: pd.DataFrame, evidence: HypothesisEvidence, lang: str = "nl", data_dir=None) -> pd.DataFrame:
    """The 13 hypotheses of :func:`~peerlearn.evidence_overview` with their short label; this one marked with ▶."""
    labels = load_hypotheses(data_dir).set_index("hypothesis")[f"label_{lang}"]
    table = overview[["hypothesis", "role", "verdict", "n_studies_published", "n_statements", "n_studies_cited", "n_negative"]].copy()
    table.insert(1, "label", [labels.loc[h] for h in table["hypothesis"]])
    table.index = ["▶" if h == evidence.hypothesis else "" for h in table["hypothesis"]]
    return _display(table, lang, data_dir)


def overview_markdown(overview: pd.DataFrame, evidence: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """:func:`overview_table` as a Markdown table: every cell whole, escaped."""
    return L.markdown_table(overview_table(overview, evidence, lang, data_dir))


def render(hypothesis: int, lang: str = "nl", data_dir=None, output=None) -> Path:
    """Run the walkthrough notebook for one hypothesis; returns the executed notebook's path.

    ``output`` (relative to the current folder) defaults to 07_realist_synthesis_walkthrough_h<N>_<lang>.ipynb in
    the walkthrough's build folder: build/walkthrough/, or build/corpora/<name>-<hash>/walkthrough/ for another
    corpus. The table the notebook writes, and the kernels' start-up log, go to that build folder too, never to
    the repository's data/processed/. The output is checked like every output (:mod:`peerlearn.output`: never in
    a raw-data folder or the committed outputs, never over a link, FIFO or device) and written whole or not at all.
    Raises ValueError for an unknown hypothesis or language, OutputError for a refused or failed output.
    """
    _check_lang(lang)
    hypothesis = check_hypothesis(hypothesis, data_dir)
    work = corpus_dir(data_dir) / "walkthrough"
    output = check_target(output or work / f"{NOTEBOOK.stem}_h{hypothesis}_{lang}.ipynb", data_dir)  # absolute
    from .reproduce import notebook_environment, run_notebook

    corpus = corpus_in_use(data_dir)
    parameters = {"hypothesis": hypothesis, "lang": lang}
    if corpus is not None:
        parameters["data_dir"] = corpus
    tmp = new_folder(work / "run")
    try:
        with notebook_environment(work, work / "kernels.log", corpus):
            run_notebook(NOTEBOOK, tmp / output.name, parameters)
        atomic_write_bytes(output, (tmp / output.name).read_bytes(), data_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return output
