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

from . import lessons as L
from . import messages
from .choices import check_choice, check_lang
from .codebook import load_codebook
from .corpus import load_hypotheses
from .escaping import markdown
from .output import atomic_write_bytes, check_target, new_folder
from .paths import NOTEBOOKS_DIR, corpus_dir, corpus_in_use
from .questions import questions_markdown
from .synthesis import HypothesisEvidence, check_hypothesis
from .vocab import labels

NOTEBOOK = NOTEBOOKS_DIR / "07_realist_synthesis_walkthrough.ipynb"
VOCABULARIES = {"role": "hypothesis_role", "verdict": "verdict"}  # the coded columns of the overview table


def _display(table: pd.DataFrame, lang: str, data_dir=None) -> pd.DataFrame:
    """Codes to their labels (:func:`peerlearn.labels`, "unknown" for <NA>), column titles in the language."""
    check_lang(lang)
    coded = [c for c in VOCABULARIES if c in table.columns]
    out = labels(table[coded], lang, data_dir=data_dir)
    table = table.copy()
    for column in coded:
        table[column] = out[f"{column}_label"].astype(object).fillna(messages.text("lessons.unknown", lang))
    titles = messages.words("columns", lang)
    return table.rename(columns={c: titles[c] for c in table.columns if c in titles})


def text(part: str, evidence: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """One paragraph of the walkthrough (Markdown) for this hypothesis, every number computed from ``evidence``."""
    texts = messages.words("walkthrough", check_lang(lang))
    cb = load_codebook(data_dir)
    studies = evidence.studies
    n_cited = len(studies)
    values = {
        "hypothesis": evidence.hypothesis,
        "label": evidence.label(lang),
        "role": cb.label("hypothesis_role", evidence.role, lang).lower(),
        "verdict": cb.label("verdict", evidence.verdict, lang),
        "n_statements": len(evidence.statements),
        "n_cited": n_cited,
        "n_published": evidence.n_studies_published,
        "n_negative": int((evidence.statements["direction"] == "negative").sum()),
        "n_unknown": int((studies["descriptor_basis"] == "missing").sum()),
        "n_fragment": int((studies["descriptor_basis"] == "inferred_fragment").sum()),
        "n_groups": studies["study_group"].nunique(),
    }
    if part == "overview":
        hypotheses = load_hypotheses(data_dir)
        values["roles"] = Inert(
            "; ".join(  # each label escaped, the numbers and separators are ours
                f"{markdown(cb.label('hypothesis_role', role, lang).lower())} "
                f"{_ranges(hypotheses.loc[hypotheses['role'] == role, 'hypothesis'])}"
                for role in hypotheses["role"].cat.categories
                if (hypotheses["role"] == role).any()
            )
        )
    if part == "verdict":
        part = "verdict" if values["n_statements"] else "verdict_uncited"
        context = evidence.cmo.loc[evidence.cmo["element"] == "context", f"text_{lang}"]
        values["context"] = context.iloc[0] if len(context) else messages.text("lessons.unknown", lang)
    if part == "evidence":
        if values["n_statements"]:
            gap = "examples" if n_cited < evidence.n_studies_published else "all_cited"
            paragraphs = [texts["evidence"] + " " + texts[gap]]
        else:
            paragraphs = [texts["no_evidence"]]
        paragraphs += [texts["unknown"]] * bool(values["n_unknown"])
        paragraphs += [texts["fragment"]] * bool(values["n_fragment"])
        paragraphs += [texts["same_group"]] * (values["n_groups"] < n_cited)
        return "\n\n".join(p.format(**_inert(values)) for p in paragraphs)
    return texts[check_choice(part, texts, "walkthrough text")].format(**_inert(values))


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
        "evidence": lambda: (
            L.evidence_markdown(ev, lang, data_dir)
            if ev.notes.empty
            else text("evidence", ev, lang, data_dir) + "\n\n" + L.evidence_markdown(ev, lang, data_dir)
        ),
        "profile": lambda: L.profile_markdown(ev, lang, data_dir),
        "direction": lambda: L.direction_markdown(lang, data_dir, ev),
        "verdict": lambda: text("verdict", ev, lang, data_dir),
        "questions": lambda: questions_markdown(ev, lang, data_dir),
    }
    if part not in body:
        raise ValueError(f"unknown walkthrough section {part!r}; expected one of {', '.join(body)}")
    return L.heading(part, ev, lang, data_dir) + "\n\n" + body[part]()


def page(evidence: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """The whole walkthrough page of one hypothesis as Markdown, the overview table included (what the notebook
    shows)."""
    from .synthesis import evidence_overview

    parts = [section(p, evidence, lang, data_dir) for p in ("title", "overview")]
    parts.append(overview_markdown(evidence_overview(data_dir), evidence, lang, data_dir))
    parts += [section(p, evidence, lang, data_dir) for p in SECTIONS[2:]]
    return "\n\n".join(parts)


SECTIONS = L.SECTIONS


def _ranges(numbers) -> str:
    """1, 2, 3, 5 -> '1-3, 5'."""
    numbers, out = sorted(int(n) for n in numbers), []
    for n in numbers:
        if out and out[-1][1] == n - 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in out)


def overview_table(
    overview: pd.DataFrame, evidence: HypothesisEvidence, lang: str = "nl", data_dir=None
) -> pd.DataFrame:
    """Every hypothesis of :func:`~peerlearn.evidence_overview` with their short label; this one marked with ▶."""
    labels = load_hypotheses(data_dir).set_index("hypothesis")[f"label_{lang}"]
    table = overview[
        ["hypothesis", "role", "verdict", "n_studies_published", "n_statements", "n_studies_cited", "n_negative"]
    ].copy()
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
    check_lang(lang)
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
