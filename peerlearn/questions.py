"""Questions on one hypothesis, made from its own context, mechanism and evidence, with answers computed from data.

:func:`questions` returns (question, answer) pairs in Markdown/HTML; every
question is a template filled with this hypothesis's data (so the questions
differ from one hypothesis to the next), every answer is computed, never typed.
:func:`questions_markdown` renders them with each answer inside
``<details><summary>``, hidden until the student opens it.
"""
from __future__ import annotations

from .codebook import check_lang, load_codebook
from .corpus import load_domain_effects, load_hypothesis_evidence_notes, load_studies
from .lessons import UNKNOWN, esc
from .synthesis import HypothesisEvidence

Q = {
    "nl": {
        "config": "Veronderstelling {h} zet het **{role}** op de proef: *{part}*. In welke configuratie vind je de "
                  "meeste geciteerde studies, en wat houdt die configuratie in?",
        "config_a": "{configs}: {n} van de {total} geciteerde studies ({ids}).",
        "context": "Volgens de bespreking geldt het bewijs vooral hier: *{context}*. Tel de deelnemersgroepen van de "
                   "{total} geciteerde studies. Past de telling bij die context?",
        "context_a": "{counts}.",
        "against": "Welke studie(s) zetten een kanttekening bij '{label}', en wat vonden ze?",
        "against_a": "{items}",
        "none_against": "Geen enkele geciteerde studie spreekt '{label}' tegen. Waarom is het oordeel dan toch "
                        "*{verdict}*?",
        "none_against_a_supported": "Er is niets te verklaren: alle {total} geciteerde studies ondersteunen haar, en "
                                    "het oordeel is <em>{verdict}</em>.",
        "none_against_a_partly": "Het oordeel is geen telling: de beperking zit in voor wie of waar het bewijs geldt. "
                                 "De context zegt: <em>{context}</em>",
        "gap": "Bijlage F telt {published} studies met bewijs voor '{label}'. Hoeveel daarvan kun je in de tekst "
               "terugvinden, en wat betekent het verschil?",
        "gap_a": "{cited} van de {published}; over de andere {gap} zegt het rapport niet welke studies het zijn. De "
                 "tekst geeft dus voorbeelden, geen volledige lijst.",
        "gap_a_all": "Alle {published}: de tekst citeert {cited} studies.",
        "cross": "Welke van de studies bij veronderstelling {h} worden ook bij een andere veronderstelling aangehaald?",
        "cross_a": "{items}.",
        "untraced": "Bijlage F telt {published} studies voor '{label}'. Hoeveel daarvan noemt de tekst met hun nummer?",
        "untraced_a": "Geen: het hoofdstuk Realist synthesis citeert voor veronderstelling {h} geen enkel studienummer.",
        "outcome": "De uitkomst luidt: *{outcome}*. In welk domein vond het rapport de meeste studies met een effect "
                   "(Bijlage E Tabel 5)?",
        "outcome_a": "{domain}: {n} studies (van {all} domeinen in de tabel).",
        "pool": "Hoeveel artikelen onderzochten effecten (Bijlagen B en C)? Kun je daaruit afleiden welke {published} "
                "studies Bijlage F telt?",
        "pool_a": "{n_bc} artikelen. Nee: de {published} zitten daar waarschijnlijk tussen, maar het rapport zegt niet "
                  "welke, dus het oordeel is niet per studie na te gaan.",
        "also": "studie {s} ook bij {hs}", "hyp": "veronderstelling", "no_cross": "geen",
        "and": " en ",
    },
    "en": {
        "config": "Hypothesis {h} puts the **{role}** to the test: *{part}*. In which configuration do you find the "
                  "most cited studies, and what does that configuration say?",
        "config_a": "{configs}: {n} of the {total} cited studies ({ids}).",
        "context": "According to the discussion, the evidence mainly holds here: *{context}*. Count the participant "
                   "groups of the {total} cited studies. Does the count fit that context?",
        "context_a": "{counts}.",
        "against": "Which study or studies put a question mark against '{label}', and what did they find?",
        "against_a": "{items}",
        "none_against": "No cited study contradicts '{label}'. Why, then, is the verdict *{verdict}*?",
        "none_against_a_supported": "There is nothing to explain: all {total} cited studies support it, and the "
                                    "verdict is <em>{verdict}</em>.",
        "none_against_a_partly": "The verdict is not a count: the limit lies in for whom or where the evidence holds. "
                                 "The context says: <em>{context}</em>",
        "gap": "Appendix F counts {published} studies with evidence for '{label}'. How many of them can you find in the "
               "text, and what does the difference mean?",
        "gap_a": "{cited} of the {published}; for the other {gap} the report does not say which studies they are. So the "
                 "text gives examples, not a complete list.",
        "gap_a_all": "All {published}: the text cites {cited} studies.",
        "cross": "Which of the studies for hypothesis {h} are also cited for another hypothesis?",
        "cross_a": "{items}.",
        "untraced": "Appendix F counts {published} studies for '{label}'. How many of them does the text name by number?",
        "untraced_a": "None: the chapter Realist synthesis cites no study number at all for hypothesis {h}.",
        "outcome": "The outcome reads: *{outcome}*. In which domain did the report find the most studies with an effect "
                   "(Appendix E Table 5)?",
        "outcome_a": "{domain}: {n} studies (of {all} domains in the table).",
        "pool": "How many articles studied effects (Appendices B and C)? Can you tell from them which {published} "
                "studies Appendix F counts?",
        "pool_a": "{n_bc} articles. No: the {published} are probably among them, but the report does not say which, so "
                  "the verdict cannot be checked study by study.",
        "also": "study {s} also for {hs}", "hyp": "hypothesis", "no_cross": "none",
        "and": " and ",
    },
}
DETAILS = {"nl": ("Vraag", "Antwoord"), "en": ("Question", "Answer")}


def _cmo(ev: HypothesisEvidence, element: str, lang: str) -> str:
    text = ev.cmo.loc[ev.cmo["element"] == element, f"text_{lang}"]
    return str(text.iloc[0]) if len(text) else UNKNOWN[lang]


def questions(ev: HypothesisEvidence, lang: str = "nl", data_dir=None) -> list[tuple[str, str]]:
    """(question, answer) pairs for this hypothesis; questions are Markdown, answers HTML (both escaped)."""
    check_lang(lang)
    q, cb = Q[lang], load_codebook(data_dir)
    base = {"h": ev.hypothesis, "label": esc(ev.label(lang)), "published": ev.n_studies_published,
            "verdict": esc(cb.label("verdict", ev.verdict, lang)), "context": esc(_cmo(ev, "context", lang)),
            "role": esc(cb.label("hypothesis_role", ev.role, lang).lower()), "part": esc(_cmo(ev, ev.role, lang)),
            "outcome": esc(_cmo(ev, "outcome", lang))}
    notes = ev.notes
    if notes.empty:
        return _untraced(ev, q, base, cb, lang, data_dir)
    total = len(notes)
    out = []
    per_config = notes.groupby(notes["configuration"].astype(str), sort=False)["study_id"].apply(list)
    top = per_config[per_config.map(len) == per_config.map(len).max()]
    configs = q["and"].join(f"<em>{esc(cb.label('evidence_configuration', c, lang))}</em>" for c in top.index)
    ids = "; ".join(", ".join(map(str, v)) for v in top)
    out.append((q["config"].format(**base), q["config_a"].format(configs=configs, n=len(top.iloc[0]), total=total, ids=ids)))
    groups = notes["participant_group"].astype(object).where(notes["participant_group"].notna(), None)
    order = list(cb.vocabulary("participant_group").codes) + [None]
    counts = groups.value_counts(dropna=False)
    counts_text = ", ".join(f"{esc(cb.label('participant_group', g, lang) if g else UNKNOWN[lang])}: {int(counts[g])}"
                            for g in order if g in counts.index or (g is None and groups.isna().any()))
    out.append((q["context"].format(total=total, **base), q["context_a"].format(counts=counts_text)))
    against = notes[notes["direction"].astype(str) != "supports"]
    if len(against):
        items = "<br>".join(
            f"{esc(r.study_id)} ({esc(cb.label('evidence_direction', str(r.direction), lang).lower())}, "
            f"<em>{esc(cb.label('evidence_configuration', str(r.configuration), lang))}</em>): "
            f"{esc(getattr(r, f'finding_{lang}'))}" for r in against.itertuples())
        out.append((q["against"].format(**base), q["against_a"].format(items=items)))
    else:
        key = "none_against_a_supported" if ev.verdict == "supported" else "none_against_a_partly"
        out.append((q["none_against"].format(**base), q[key].format(total=total, **base)))
    cited = len(ev.studies)
    gap_key = "gap_a" if cited < ev.n_studies_published else "gap_a_all"
    out.append((q["gap"].format(**base), q[gap_key].format(cited=cited, gap=ev.n_studies_published - cited, **base)))
    everything = load_hypothesis_evidence_notes(data_dir)
    others = everything[everything["study_id"].isin(notes["study_id"]) & (everything["hypothesis"] != ev.hypothesis)]
    items = [q["also"].format(s=s, hs=", ".join(str(h) for h in sorted(g["hypothesis"])))
             for s, g in others.groupby("study_id", sort=True)]
    out.append((q["cross"].format(**base), q["cross_a"].format(items="; ".join(items) if items else q["no_cross"])))
    return out


def _untraced(ev, q, base, cb, lang, data_dir) -> list[tuple[str, str]]:
    effects = load_domain_effects(data_dir)
    best = effects.loc[effects["n_studies"].idxmax()]
    n_bc = int(load_studies(data_dir)["appendix"].isin(["B", "C"]).sum())
    return [
        (q["untraced"].format(**base), q["untraced_a"].format(**base)),
        (q["outcome"].format(**base), q["outcome_a"].format(domain=esc(cb.label("domain", str(best["domain"]), lang)),
                                                            n=int(best["n_studies"]), all=len(effects))),
        (q["pool"].format(**base), q["pool_a"].format(n_bc=n_bc, **base)),
    ]


def questions_markdown(ev: HypothesisEvidence, lang: str = "nl", data_dir=None) -> str:
    """The questions, numbered, each answer hidden in ``<details><summary>`` until the student opens it."""
    question, answer = DETAILS[lang]
    return "\n\n".join(
        f"**{question} {i}.** {text}\n\n<details><summary>{answer}</summary><p>{ans}</p></details>"
        for i, (text, ans) in enumerate(questions(ev, lang, data_dir), 1))
