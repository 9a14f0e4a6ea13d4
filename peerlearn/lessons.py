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

from . import messages
from .choices import check_choice, check_lang
from .codebook import load_codebook
from .corpus import load_citations, load_domain_effects, load_hypotheses, load_hypothesis_evidence_notes, load_studies
from .escaping import markdown
from .synthesis import HypothesisEvidence

SETTING = ("participant_group", "activity_type", "setting")  # the descriptors shown beside each study
# the page's sections, in order; each has its heading (messages lessons.section.<part>; title: lessons.title)
SECTIONS = ("title", "overview", "cmo", "evidence", "profile", "direction", "verdict", "questions")


def esc(text) -> str:
    """Text from the data, inert in Markdown and the HTML it becomes (:func:`peerlearn.escaping.markdown`)."""
    return markdown(text)


def _w(lang: str) -> dict:
    """The page's messages (section ``lessons`` of the catalogue) in ``lang``."""
    return messages.words("lessons", check_lang(lang))


def _label(cb, vocabulary: str, code, lang: str) -> str:
    """A code's label, or the message lessons.unknown for a missing code (never guessed)."""
    if code is None or pd.isna(code):
        return messages.text("lessons.unknown", lang)
    return cb.label(vocabulary, str(code), lang)


def heading(part: str, ev: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """A section heading of the page in one language (``title`` is the page's own title)."""
    w = _w(lang)
    if part == "title":
        return f"## {esc(w['title'].format(h=ev.hypothesis, label=ev.label(lang)))}\n\n*{w['subtitle']}*"
    sections = messages.words("lessons.section", lang)
    if part == "overview":
        return f"### {sections['overview'].format(n=len(load_hypotheses(data_dir)))}"
    return f"### {sections[check_choice(part, SECTIONS, 'walkthrough section')]}"


def markdown_table(table: pd.DataFrame, index: bool = True) -> str:
    """A DataFrame as a Markdown table, every cell whole (no column-width cut) and escaped."""
    frame = table.reset_index().rename(columns={"index": ""}) if index else table
    cells = [[esc(c) for c in frame.columns]] + [
        ["" if pd.isna(v) else esc(v) for v in row] for row in frame.itertuples(index=False)
    ]
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
    codes = [
        c for c in cb.vocabulary("evidence_configuration").codes if c in set(ev.notes["configuration"].astype(str))
    ]
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
            items.append(
                f"- **{w['study']} {r.study_id}** ({about}): {setting}. **{direction}**. "
                f"{esc(getattr(r, f'finding_{lang}'))}{refs}"
            )
        parts.append("\n".join(items))
    parts.append(
        f"#### {messages.text('lessons.section.notes', lang)}\n\n"
        + "\n".join(
            f'{n}. <span id="h{ev.hypothesis}-fn{n}"></span>{w["statement"].format(s=esc(s), line=line)}'
            for s, (n, line) in notes.items()
        )
    )
    return "\n\n".join(parts)


def untraceable_markdown(ev: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """Why a hypothesis whose studies the text never cites cannot be traced, and what that means for judging it."""
    _w(lang)
    cb = load_codebook(data_dir)
    citations = load_citations(data_dir)
    studies = load_studies(data_dir)
    effects = load_domain_effects(data_dir)
    domains = ", ".join(f"{esc(cb.label('domain', str(r.domain), lang))} {r.n_studies}" for r in effects.itertuples())
    return messages.text(
        "lessons.untraceable",
        lang,
        **dict(
            n_published=ev.n_studies_published,
            verdict=esc(cb.label("verdict", ev.verdict, lang)),
            n_effects_cited=citations.loc[citations["chapter"] == "effects", "study_id"].nunique(),
            n_bc=int(studies["appendix"].isin(["B", "C"]).sum()),
            domains=domains,
        ),
    )


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
        example = messages.text(
            "lessons.example",
            lang,
            study=first["study_id"],
            h=first["hypothesis"],
            factor=esc(cb.label("factor_subcategory", str(first["code"]), lang)),
        )
    numbers = load_hypotheses(data_dir)["hypothesis"]
    return messages.text("lessons.direction", lang, example=example, first=numbers.min(), last=numbers.max())


def profile_markdown(ev: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """Cited studies per participant group and activity type as a Markdown table (a sentence when there are none)."""
    w = _w(lang)
    if ev.studies.empty:
        return w["no_profile"]
    cb = load_codebook(data_dir)
    rows = [
        (_label(cb, "participant_group", r.participant_group, lang), _label(cb, "activity_type", r.activity_type, lang))
        for r in ev.studies.itertuples()
    ]
    counts = pd.Series(rows).value_counts(sort=False)
    order = {
        voc: [*cb.labels(voc, lang).values(), messages.text("lessons.unknown", lang)]
        for voc in ("participant_group", "activity_type")
    }
    keys = sorted(
        counts.index, key=lambda k: (order["participant_group"].index(k[0]), order["activity_type"].index(k[1]))
    )
    titles = messages.words("columns", lang)
    table = pd.DataFrame(
        [(g, a, counts[(g, a)]) for g, a in keys],
        columns=[titles[c] for c in ("participant_group", "activity_type", "n_studies")],
    )
    return markdown_table(table, index=False)
