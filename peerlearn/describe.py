"""Alternative text for every figure: what it shows, in Dutch or English, with its numbers taken from the data.

:func:`alt_text` is what a screen reader says for a figure in the notebooks and on the site (``report.figure``
attaches it to the image it shows, the site's index uses it for its thumbnails). Each figure of
:data:`peerlearn.report.ITEMS` has one describer here; the numbers come from the same data the figure is drawn
from, never typed in. Labels come from the codebook.
"""
from __future__ import annotations

import pandas as pd

from .codebook import check_lang, load_codebook

W = {
    "nl": {
        "flow": "Stroomdiagram in de opmaak van PRISMA 2020: de stappen van het zoeken en selecteren van boven naar "
                "beneden. {steps}.",
        "not_stated": "niet als getal vermeld", "about": "ongeveer", "at_least": "minstens",
        "model": "Schema van het Interconnected Model of Teacher Professional Growth (Clarke & Hollingsworth, 2002) "
                 "met {n} domeinen als vakken en {k} pijlen ertussen. {processes}. Van de {arrows} pijlen in het model zelf "
                 "(met één extern domein) zijn er {confirmed} door een openbare bron bevestigd; de andere zijn onze lezing van de "
                 "figuur.",
        "process": "{process} ({style}): {arrows}", "solid": "doorgetrokken", "dashed": "gestreept",
        "arrow": "van {source} naar {target}",
        "evidence": "Twee schema's in de opmaak van het model, een per proces, met de effecten van Tabel 6-10 erop. "
                    "Van de {k} routes van het model hebben er {covered} effecten en {empty} geen ({empty_list}); "
                    "{outside} routes met effecten liggen buiten het model, de grootste {top}.",
        "effects": "{n} effecten in {s} studies", "study": "studie", "studies": "studies",
        "pathways": "Netwerkschema van de effecten vanaf {source} via {mechanism} naar de andere domeinen; de dikte "
                    "van een lijn volgt het aantal effecten. {edges}.",
        "none": "geen effecten (gestreepte lijn)",
        "network": "Twee netwerkschema's naast elkaar, {mechanisms}, met alle {n} patronen van Tabel 6-10 tussen de "
                   "domeinen; {n_with} patronen hebben effecten. De meeste effecten: {top}.",
        "top": "van {source} via {mechanism} naar {target} ({n})",
        "trace": "Liggend staafdiagram met per factor uit Tabel 1-4 twee balken: de studies die de tabel meldt en de "
                 "studies die de tekst met nummer citeert. Over alle {n} factoren samen {cited} geciteerd tegen "
                 "{reported} gemeld; de grootste afstand heeft {worst} ({w_cited} van {w_reported}).",
        "map": "Kaart met de veronderstellingen als rijen en de {n_studies} studies die het hoofdstuk Realist synthesis "
               "ervoor citeert als kolommen; een stip is een studie die bij een veronderstelling geciteerd wordt, gekleurd naar de richting van het bewijs "
               "({directions}). Twee stroken erboven geven per studie de deelnemersgroep en het type activiteit "
               "(grijs: onbekend, bij {n_unknown} studies).",
    },
    "en": {
        "flow": "Flow diagram in the PRISMA 2020 layout: the steps of the search and selection from top to bottom. "
                "{steps}.",
        "not_stated": "not stated as a number", "about": "about", "at_least": "at least",
        "model": "Diagram of the Interconnected Model of Teacher Professional Growth (Clarke & Hollingsworth, 2002) "
                 "with {n} domains as boxes and {k} arrows between them. {processes}. Of the model's own {arrows} arrows "
                 "(with one External Domain), {confirmed} are confirmed by a public source; the others are our reading of the "
                 "figure.",
        "process": "{process} ({style}): {arrows}", "solid": "solid", "dashed": "dashed",
        "arrow": "from {source} to {target}",
        "evidence": "Two diagrams in the model's layout, one per process, with the effects of Tables 6-10 drawn on it. "
                    "Of the model's {k} routes, {covered} carry effects and {empty} carry none ({empty_list}); "
                    "{outside} routes with effects lie outside the model, the largest {top}.",
        "effects": "{n} effects in {s} studies", "study": "study", "studies": "studies",
        "pathways": "Network diagram of the effects from {source} via {mechanism} to the other domains; line width "
                    "follows the number of effects. {edges}.",
        "none": "no effects (dashed line)",
        "network": "Two network diagrams side by side, {mechanisms}, with all {n} pathways of Tables 6-10 between "
                   "the domains; {n_with} pathways have effects. Most effects: {top}.",
        "top": "from {source} via {mechanism} to {target} ({n})",
        "trace": "Horizontal bar chart with two bars per factor of Tables 1-4: the studies the table reports and the "
                 "studies the text cites by number. Over all {n} factors together {cited} cited against {reported} "
                 "reported; the largest gap is for {worst} ({w_cited} of {w_reported}).",
        "map": "Map with the hypotheses as rows and the {n_studies} studies the chapter Realist synthesis cites for "
               "them as columns; a dot marks a study cited for a hypothesis, coloured by the direction of the evidence ({directions}). Two "
               "strips above give each study's participant group and activity type (grey: unknown, for {n_unknown} "
               "studies).",
    },
}


def _effects(w: dict, n, s) -> str:
    """'3 effects in 1 study' / '3 effecten in 2 studies'."""
    return w["effects"].format(n=n, s=s).replace(f"{s} {w['studies']}", f"{s} {w['study']}") if s == 1 else \
        w["effects"].format(n=n, s=s)


def _selection_flow(lang, data_dir):
    from .corpus import load_selection_flow

    w = W[lang]
    steps = []
    for _, row in load_selection_flow(data_dir).iterrows():
        if row["qualifier"] == "not_stated" or pd.isna(row["n"]):
            number = w["not_stated"]
        else:
            number = {"approximate": f"{w['about']} ", "lower_bound": f"{w['at_least']} "}.get(row["qualifier"], "")
            number += str(row["n"])
        steps.append(f"{row[f'label_{lang}']}: {number}")
    return w["flow"].format(steps="; ".join(steps))


def _arrow(w, cb, lang, source, target) -> str:
    return w["arrow"].format(source=cb.label("domain", source, lang), target=cb.label("domain", target, lang))


def _model(lang, data_dir):
    from .graph import model_basis, model_graph

    cb, w = load_codebook(data_dir), W[lang]
    g = model_graph(data_dir)
    processes = ". ".join(
        w["process"].format(process=cb.label("mechanism", process, lang), style=w[style],
                            arrows="; ".join(_arrow(w, cb, lang, u, v) for u, v, d in g.edges(data=True)
                                             if d["process"] == process))
        for process, style in (("enactment", "solid"), ("reflection", "dashed")))
    basis = model_basis(data_dir)
    return w["model"].format(n=g.number_of_nodes(), k=g.number_of_edges(), processes=processes, arrows=len(basis),
                             confirmed=int((basis["basis"] == "confirmed_secondary").sum()))


def _model_evidence(lang, data_dir):
    from .graph import model_coverage

    cb, w = load_codebook(data_dir), W[lang]
    cov = model_coverage(data_dir)
    empty = cov[cov["status"] == "empty"]
    outside = cov[cov["status"] == "outside_model"].sort_values("n_effects", ascending=False, kind="stable")
    top = outside.iloc[0] if len(outside) else None
    return w["evidence"].format(
        k=int(cov["in_model"].sum()), covered=int((cov["status"] == "covered").sum()), empty=len(empty),
        empty_list="; ".join(f"{_arrow(w, cb, lang, r.from_domain, r.to_domain)}, {cb.label('mechanism', r.mechanism, lang)}"
                             for r in empty.itertuples()) or "-",
        outside=len(outside),
        top="-" if top is None else w["top"].format(source=cb.label("domain", top["from_domain"], lang),
                                                    target=cb.label("domain", top["to_domain"], lang),
                                                    mechanism=cb.label("mechanism", top["mechanism"], lang),
                                                    n=top["n_effects"]))


def _pathways(mechanism, lang, data_dir, source="external_intervention"):
    from .graph import pathway_graph

    cb, w = load_codebook(data_dir), W[lang]
    graph = pathway_graph(mechanism=mechanism, from_domain=source, data_dir=data_dir)
    edges = "; ".join(f"{cb.label('domain', v, lang)}: " +
                      (_effects(w, d["n_effects"], d["n_studies"]) if d["n_effects"] else w["none"])
                      for _, v, d in sorted(graph.out_edges(source, data=True), key=lambda e: -e[2]["n_effects"]))
    return w["pathways"].format(source=cb.label("domain", source, lang), edges=edges,
                                mechanism=cb.label("mechanism", mechanism, lang))


def _network(lang, data_dir):
    from .corpus import load_pathways

    cb, w = load_codebook(data_dir), W[lang]
    pathways = load_pathways(data_dir)
    top = pathways.sort_values("n_effects", ascending=False, kind="stable").iloc[0]
    return w["network"].format(
        mechanisms=", ".join(cb.label("mechanism", m, lang) for m in pathways["mechanism"].cat.categories
                             if (pathways["mechanism"] == m).any()),
        n=len(pathways), n_with=int((pathways["n_effects"] > 0).sum()),
        top=w["top"].format(source=cb.label("domain", top["from_domain"], lang), target=cb.label("domain", top["to_domain"], lang),
                            mechanism=cb.label("mechanism", top["mechanism"], lang), n=top["n_effects"]))


def _traceability(lang, data_dir):
    from .audit import traceability

    cb = load_codebook(data_dir)
    t = traceability(data_dir)
    t = t[t["kind"] == "factor_subcategory"].reset_index(drop=True)
    worst = t.loc[(t["reported"] - t["cited"]).idxmax()]
    return W[lang]["trace"].format(n=len(t), cited=int(t["cited"].sum()), reported=int(t["reported"].sum()),
                                   worst=cb.label("factor_subcategory", worst["code"], lang),
                                   w_cited=worst["cited"], w_reported=worst["reported"])


def _evidence_map(lang, data_dir):
    from .audit import evidence_map

    cb = load_codebook(data_dir)
    ev = evidence_map(data_dir)
    studies = ev.drop_duplicates("study_id")
    counts = ev["direction"].value_counts()
    names = {"mixed": {"nl": "beide richtingen", "en": "both ways"}}
    directions = ", ".join(f"{names[d][lang] if d in names else cb.label('direction', d, lang).lower()}: {n}"
                           for d, n in counts.items())
    return W[lang]["map"].format(n_studies=len(studies), directions=directions,
                                 n_unknown=int(studies["participant_group"].isna().sum()))


DESCRIBERS = {
    "selection_flow_prisma": _selection_flow,
    "figuur_1_model": _model,
    "figuur_1_model_evidence": _model_evidence,
    "figuur_2_denken": lambda lang, data_dir: _pathways("reflection", lang, data_dir),
    "figuur_3_doen": lambda lang, data_dir: _pathways("enactment", lang, data_dir),
    "pathway_network": _network,
    "audit_traceability_chart": _traceability,
    "audit_evidence_map": _evidence_map,
}


def alt_text(item_id: str, lang: str = "nl", data_dir=None) -> str:
    """What figure ``item_id`` of :data:`peerlearn.report.ITEMS` shows, in ``lang``, for its alt attribute.
    ValueError for a figure without a describer or an unknown language."""
    check_lang(lang)
    if item_id not in DESCRIBERS:
        raise ValueError(f"no description for figure {item_id!r}; expected one of {', '.join(DESCRIBERS)}")
    return DESCRIBERS[item_id](lang, data_dir)
