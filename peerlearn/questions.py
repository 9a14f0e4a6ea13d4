"""Questions on one hypothesis, made from its own context, mechanism and evidence, with answers computed from data.

:func:`questions` returns (question, answer) pairs in Markdown/HTML; every
question is a template filled with this hypothesis's data (so the questions
differ from one hypothesis to the next), every answer is computed, never typed.
:func:`questions_markdown` renders them with each answer inside
``<details><summary>``, hidden until the student opens it.
"""

from __future__ import annotations

from . import messages
from .choices import check_lang
from .codebook import load_codebook
from .corpus import load_domain_effects, load_hypothesis_evidence_notes, load_studies
from .lessons import esc
from .synthesis import HypothesisEvidence


def _cmo(ev: HypothesisEvidence, element: str, lang: str) -> str:
    text = ev.cmo.loc[ev.cmo["element"] == element, f"text_{lang}"]
    return str(text.iloc[0]) if len(text) else messages.text("lessons.unknown", lang)


def questions(ev: HypothesisEvidence, lang: str = "nl", data_dir=None) -> list[tuple[str, str]]:
    """(question, answer) pairs for this hypothesis; questions are Markdown, answers HTML (both escaped)."""
    check_lang(lang)
    q, cb = messages.words("questions", lang), load_codebook(data_dir)
    base = {
        "h": ev.hypothesis,
        "label": esc(ev.label(lang)),
        "published": ev.n_studies_published,
        "verdict": esc(cb.label("verdict", ev.verdict, lang)),
        "context": esc(_cmo(ev, "context", lang)),
        "role": esc(cb.label("hypothesis_role", ev.role, lang).lower()),
        "part": esc(_cmo(ev, ev.role, lang)),
        "outcome": esc(_cmo(ev, "outcome", lang)),
    }
    notes = ev.notes
    if notes.empty:
        return _untraced(ev, q, base, cb, lang, data_dir)
    total = len(notes)
    out = []
    per_config = notes.groupby(notes["configuration"].astype(str), sort=False)["study_id"].apply(list)
    top = per_config[per_config.map(len) == per_config.map(len).max()]
    configs = q["and"].join(f"<em>{esc(cb.label('evidence_configuration', c, lang))}</em>" for c in top.index)
    ids = "; ".join(", ".join(map(str, v)) for v in top)
    out.append(
        (q["config"].format(**base), q["config_a"].format(configs=configs, n=len(top.iloc[0]), total=total, ids=ids))
    )
    groups = notes["participant_group"].astype(object).where(notes["participant_group"].notna(), None)
    order = list(cb.vocabulary("participant_group").codes) + [None]
    counts = groups.value_counts(dropna=False)
    unknown = messages.text("lessons.unknown", lang)
    counts_text = ", ".join(
        f"{esc(cb.label('participant_group', g, lang) if g else unknown)}: {int(counts[g])}"
        for g in order
        if g in counts.index or (g is None and groups.isna().any())
    )
    out.append((q["context"].format(total=total, **base), q["context_a"].format(counts=counts_text)))
    against = notes[notes["direction"].astype(str) != "supports"]
    if len(against):
        items = "<br>".join(
            f"{esc(r.study_id)} ({esc(cb.label('evidence_direction', str(r.direction), lang).lower())}, "
            f"<em>{esc(cb.label('evidence_configuration', str(r.configuration), lang))}</em>): "
            f"{esc(getattr(r, f'finding_{lang}'))}"
            for r in against.itertuples()
        )
        out.append((q["against"].format(**base), q["against_a"].format(items=items)))
    else:
        key = "none_against_a_supported" if ev.verdict == "supported" else "none_against_a_partly"
        out.append((q["none_against"].format(**base), q[key].format(total=total, **base)))
    cited = len(ev.studies)
    gap_key = "gap_a" if cited < ev.n_studies_published else "gap_a_all"
    out.append((q["gap"].format(**base), q[gap_key].format(cited=cited, gap=ev.n_studies_published - cited, **base)))
    everything = load_hypothesis_evidence_notes(data_dir)
    others = everything[everything["study_id"].isin(notes["study_id"]) & (everything["hypothesis"] != ev.hypothesis)]
    items = [
        q["also"].format(s=s, hs=", ".join(str(h) for h in sorted(g["hypothesis"])))
        for s, g in others.groupby("study_id", sort=True)
    ]
    out.append((q["cross"].format(**base), q["cross_a"].format(items="; ".join(items) if items else q["no_cross"])))
    return out


def _untraced(ev, q, base, cb, lang, data_dir) -> list[tuple[str, str]]:
    effects = load_domain_effects(data_dir)
    best = effects.loc[effects["n_studies"].idxmax()]
    n_bc = int(load_studies(data_dir)["appendix"].isin(["B", "C"]).sum())
    return [
        (q["untraced"].format(**base), q["untraced_a"].format(**base)),
        (
            q["outcome"].format(**base),
            q["outcome_a"].format(
                domain=esc(cb.label("domain", str(best["domain"]), lang)), n=int(best["n_studies"]), all=len(effects)
            ),
        ),
        (q["pool"].format(**base), q["pool_a"].format(n_bc=n_bc, **base)),
    ]


def questions_markdown(ev: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """The questions, numbered, each answer hidden in ``<details><summary>`` until the student opens it."""
    w = messages.words("questions", check_lang(lang))
    question, answer = w["question"], w["answer"]
    return "\n\n".join(
        f"**{question} {i}.** {text}\n\n<details><summary>{answer}</summary><p>{ans}</p></details>"
        for i, (text, ans) in enumerate(questions(ev, lang, data_dir), 1)
    )
