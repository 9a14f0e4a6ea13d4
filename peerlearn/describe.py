"""Alternative text for every figure: what it shows, in Dutch or English, with its numbers taken from the data.

:func:`alt_text` is what a screen reader says for a figure in the notebooks and on the site (``report.figure``
attaches it to the image it shows, the site's index uses it for its thumbnails). Each figure of
:data:`peerlearn.report.ITEMS` has one describer here; the numbers come from the same data the figure is drawn
from, never typed in. Labels come from the codebook.
"""

from __future__ import annotations

import pandas as pd

from . import messages
from .choices import check_lang
from .codebook import load_codebook


def _words(lang: str) -> dict[str, str]:
    """The describe section of the message catalogue in ``lang``."""
    return messages.words("describe", lang)


def _effects(w: dict, n, s) -> str:
    """'N effects in S studies', with 'study' for a single one."""
    return w["effects"].format(n=n, s=s, studies=w["study"] if s == 1 else w["studies"])


def _selection_flow(lang, data_dir):
    from .corpus import load_selection_flow

    cb, w = load_codebook(data_dir), _words(lang)
    steps = []
    for _, row in load_selection_flow(data_dir).iterrows():
        qualifier = row["qualifier"]
        if qualifier == "not_stated" or pd.isna(row["n"]):
            number = cb.label("qualifier", "not_stated", lang).lower()
        elif qualifier == "approximate":  # "about 900": the label ("approximate") does not read well before a number
            number = f"{w['about']} {row['n']}"
        elif qualifier == "lower_bound":
            number = f"{cb.label('qualifier', qualifier, lang).lower()} {row['n']}"
        else:
            number = str(row["n"])
        steps.append(f"{row[f'label_{lang}']}: {number}")
    return w["flow"].format(steps="; ".join(steps))


def _arrow(w, cb, lang, source, target) -> str:
    return w["arrow"].format(source=cb.label("domain", source, lang), target=cb.label("domain", target, lang))


def _model(lang, data_dir):
    from .graph import model_basis, model_graph

    cb, w = load_codebook(data_dir), _words(lang)
    g = model_graph(data_dir)
    processes = ". ".join(
        w["process"].format(
            process=cb.label("mechanism", process, lang),
            style=w[style],
            arrows="; ".join(_arrow(w, cb, lang, u, v) for u, v, d in g.edges(data=True) if d["process"] == process),
        )
        for process, style in (("enactment", "solid"), ("reflection", "dashed"))
    )
    basis = model_basis(data_dir)
    return w["model"].format(
        n=g.number_of_nodes(),
        k=g.number_of_edges(),
        processes=processes,
        arrows=len(basis),
        confirmed=int((basis["basis"] == "confirmed_secondary").sum()),
    )


def _model_evidence(lang, data_dir):
    from .drawn import model_coverage

    cb, w = load_codebook(data_dir), _words(lang)
    cov = model_coverage(data_dir)
    empty = cov[cov["status"] == "empty"]
    outside = cov[cov["status"] == "outside_model"].sort_values("n_effects", ascending=False, kind="stable")
    top = outside.iloc[0] if len(outside) else None
    return w["evidence"].format(
        k=int(cov["in_model"].sum()),
        covered=int((cov["status"] == "covered").sum()),
        empty=len(empty),
        empty_list="; ".join(
            f"{_arrow(w, cb, lang, r.from_domain, r.to_domain)}, {cb.label('mechanism', r.mechanism, lang)}"
            for r in empty.itertuples()
        )
        or "-",
        outside=len(outside),
        top="-"
        if top is None
        else w["top"].format(
            source=cb.label("domain", top["from_domain"], lang),
            target=cb.label("domain", top["to_domain"], lang),
            mechanism=cb.label("mechanism", top["mechanism"], lang),
            n=top["n_effects"],
        ),
    )


def _pathways(item, lang, data_dir):
    """Figuur 2 or 3: the routes the figure draws (:func:`peerlearn.drawn.drawn_routes`), most effects first."""
    from .drawn import PATHWAY_FIGURES, PATHWAY_SOURCE, drawn_routes

    cb, w = load_codebook(data_dir), _words(lang)
    routes = drawn_routes(item, data_dir).sort_values("n_effects", ascending=False, kind="stable")
    edges = "; ".join(
        f"{cb.label('domain', r.to_domain, lang)}: "
        + (_effects(w, r.n_effects, r.n_studies) if r.n_effects else w["none"])
        for r in routes.itertuples()
    )
    return w["pathways"].format(
        source=cb.label("domain", PATHWAY_SOURCE, lang),
        edges=edges,
        mechanism=cb.label("mechanism", PATHWAY_FIGURES[item], lang),
    )


def _network(lang, data_dir):
    from .corpus import load_pathways

    cb, w = load_codebook(data_dir), _words(lang)
    pathways = load_pathways(data_dir)
    top = pathways.sort_values("n_effects", ascending=False, kind="stable").iloc[0]
    return w["network"].format(
        mechanisms=", ".join(
            cb.label("mechanism", m, lang)
            for m in pathways["mechanism"].cat.categories
            if (pathways["mechanism"] == m).any()
        ),
        n=len(pathways),
        n_with=int((pathways["n_effects"] > 0).sum()),
        top=w["top"].format(
            source=cb.label("domain", top["from_domain"], lang),
            target=cb.label("domain", top["to_domain"], lang),
            mechanism=cb.label("mechanism", top["mechanism"], lang),
            n=top["n_effects"],
        ),
    )


def _traceability(lang, data_dir):
    from .audit import traceability

    cb = load_codebook(data_dir)
    t = traceability(data_dir)
    t = t[t["kind"] == "factor_subcategory"].reset_index(drop=True)
    worst = t.loc[(t["reported"] - t["cited"]).idxmax()]
    return _words(lang)["trace"].format(
        n=len(t),
        cited=int(t["cited"].sum()),
        reported=int(t["reported"].sum()),
        worst=cb.label("factor_subcategory", worst["code"], lang),
        w_cited=worst["cited"],
        w_reported=worst["reported"],
    )


def _evidence_map(lang, data_dir):
    from .audit import evidence_map

    cb = load_codebook(data_dir)
    ev = evidence_map(data_dir)
    studies = ev.drop_duplicates("study_id")
    counts = ev["direction"].value_counts()
    directions = ", ".join(f"{cb.label('direction', d, lang).lower()}: {n}" for d, n in counts.items())
    return _words(lang)["map"].format(
        n_studies=len(studies), directions=directions, n_unknown=int(studies["participant_group"].isna().sum())
    )


DESCRIBERS = {
    "selection_flow_prisma": _selection_flow,
    "figuur_1_model": _model,
    "figuur_1_model_evidence": _model_evidence,
    "figuur_2_denken": lambda lang, data_dir: _pathways("figuur_2_denken", lang, data_dir),
    "figuur_3_doen": lambda lang, data_dir: _pathways("figuur_3_doen", lang, data_dir),
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
