"""The evidence explorer (issue 15 part 2): one page of the site with every article of the corpus in one table.

Each row is an article with its coded descriptors (Bijlagen A-C), the codes the report's text cites it for
(``citations.csv``: factors, domains, pathways, hypotheses) and its full reference with its mark (printed,
recovered, unresolved or lost; :mod:`peerlearn.references`). The table is rendered whole in HTML, so the page
works without JavaScript; ``explorer.js`` (hand-written, next to the page, no network) adds filters that
combine (every chosen value must hold) and sorting by a click on a column header. The codes each filter uses
are embedded in the page as JSON (a data block, never run). Labels come from the codebook in Dutch or English;
every text from the data is escaped. The data hold no country and no number of participants per article
(Bijlage D gives them only as totals), so the table leaves both out and says so.
"""

from __future__ import annotations

import json

from . import messages
from .choices import check_lang
from .codebook import load_codebook
from .escaping import html as _e

SCRIPT = "explorer.js"
PAGE = "explorer.html"
DATA_ID = "peerlearn-explorer-data"
# the page's own policy: the site's, plus scripts from the site's own folder (explorer.js); inline scripts and
# event handlers stay forbidden (no 'unsafe-inline'), as does everything from the network
CSP = (
    "default-src 'none'; script-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)
# (facet, vocabulary of its codes or None for hypotheses); the order of the filters and of the code columns
CITED = [
    ("hypothesis", None),
    ("factor_subcategory", "factor_subcategory"),
    ("domain", "domain"),
    ("pathway", "pathway"),
]
DESCRIBED = ["participant_group", "activity_type", "setting", "design"]
CSS = """
body { max-width: 1500px; }
main.peerlearn-explorer { margin: 1em 0; }
#peerlearn-filters { display: flex; flex-wrap: wrap; gap: 0.5em 1em; margin: 0.6em 0; align-items: flex-end; }
#peerlearn-filters[hidden] { display: none; }
#peerlearn-filters label { display: flex; flex-direction: column; font-size: 0.9em; max-width: 16em; }
#peerlearn-filters select { max-width: 16em; }
#peerlearn-explorer-table td, #peerlearn-explorer-table th {
  text-align: left; font-size: 0.85em; overflow-wrap: break-word; }
#peerlearn-explorer-table td:nth-child(-n+2) { white-space: nowrap; }
#peerlearn-explorer-table td:nth-last-child(2) { overflow-wrap: anywhere; min-width: 18em; }
#peerlearn-explorer-table th button { font: inherit; font-weight: bold; background: none; border: 0; padding: 0;
  color: #0b4f9c; cursor: pointer; text-align: left; }
#peerlearn-explorer-table ul { margin: 0; padding-left: 1em; }
"""


def rows(lang: str = "nl", data_dir=None) -> list[dict]:
    """One dict per article, in study order: ``study_id``, ``year``, ``reference`` (text with its mark),
    ``status`` (its code), ``codes`` (facet -> the article's codes, in codebook order) and ``labels``
    (facet -> the labels of those codes in ``lang``; factors with the direction of each citation)."""
    from .corpus import load_citations, load_studies
    from .references import reference_text, references

    check_lang(lang)
    cb, studies, cited, refs = (
        load_codebook(data_dir),
        load_studies(data_dir),
        load_citations(data_dir),
        references(data_dir),
    )
    found: dict[tuple[int, str], list[tuple[str, object]]] = {}  # (study, facet) -> (code, direction) cited
    for sid, facet, code, direction in zip(
        cited["study_id"], cited["code_kind"], cited["code"], cited["direction"], strict=True
    ):
        found.setdefault((int(sid), str(facet)), []).append((str(code), direction))
    ways = cb.vocabulary("direction").codes
    out = []
    for s in studies.to_dict("records"):
        sid = int(s["study_id"])
        codes, labels = {}, {}
        for facet, vocab in CITED:
            mine = found.get((sid, facet), [])
            if vocab is None:
                codes[facet] = sorted({c for c, _ in mine}, key=lambda c: int(c.lstrip("H")))
                labels[facet] = list(codes[facet])
                continue
            order = cb.codes(vocab) if vocab in cb.vocabularies else []  # pathways: by code, as before
            codes[facet] = sorted({c for c, _ in mine}, key=lambda c: (order.index(c) if c in order else len(order), c))
            labels[facet] = []
            for c in codes[facet]:
                name = cb.label(vocab, c, lang)
                if facet == "factor_subcategory":
                    given = {d for code, d in mine if code == c}
                    name += f" ({', '.join(cb.label('direction', d, lang).lower() for d in ways if d in given)})"
                labels[facet].append(name)
        for facet in DESCRIBED:
            value = s[facet]
            codes[facet] = [] if value is None or value != value else [str(value)]
            labels[facet] = [cb.label(facet, c, lang) for c in codes[facet]]
        ref = refs[sid]
        codes["status"], labels["status"] = [ref.status], [cb.label("reference_status", ref.status, lang)]
        out.append(
            {
                "study_id": sid,
                "year": ref.fields.get("year", ""),
                "reference": reference_text(ref, lang, data_dir),
                "status": ref.status,
                "codes": codes,
                "labels": labels,
            }
        )
    return out


def _options(cb, facet: str, vocab, present: set, lang: str) -> list[tuple[str, str]]:
    """(code, label) of the values a filter offers: the codes some article has, in codebook order."""
    if facet == "hypothesis":
        from .corpus import load_hypotheses

        hyp = load_hypotheses(cb.path.parent)
        return [
            (f"H{h}", f"H{h}: {label}")
            for h, label in zip(hyp["hypothesis"], hyp[f"label_{lang}"])
            if f"H{h}" in present
        ]
    codes = cb.codes(vocab) if vocab in cb.vocabularies else sorted(present)  # pathways: by code
    return [(c, cb.label(vocab, c, lang)) for c in codes if c in present]


def _json(value) -> str:
    """JSON for a data block inside HTML: nothing in it can end the element or start markup."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _cell(labels: list[str]) -> str:
    if len(labels) <= 1:
        return _e(labels[0]) if labels else ""
    return "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in labels) + "</ul>"


def page(lang: str = "nl", style: str = "", data_dir=None) -> str:
    """The explorer page's HTML in ``lang``; ``style``: the site's stylesheet (the page adds its own rules)."""
    check_lang(lang)
    cb, w, found = load_codebook(data_dir), messages.words("explorer", lang), rows(lang, data_dir)
    facets = [f for f, _ in CITED] + DESCRIBED + ["status"]
    vocabs = {**dict(CITED), **{f: f for f in DESCRIBED}, "status": "reference_status"}
    titles = {
        "hypothesis": w["hypothesis"],
        "status": w["status"],
        **{f: cb.column_label("studies", f, lang) for f in DESCRIBED},
        **{f: cb.label("code_kind", f, lang) for f, _ in CITED if f != "hypothesis"},
    }
    filters = []
    for facet in facets:
        present = {c for r in found for c in r["codes"][facet]}
        options = "".join(
            f'<option value="{_e(c)}">{_e(label)}</option>'
            for c, label in _options(cb, facet, vocabs[facet], present, lang)
        )
        filters.append(
            f'<label>{_e(titles[facet])}<select data-facet="{facet}" id="filter-{facet}">'
            f'<option value="">{_e(w["all"])}</option>{options}</select></label>'
        )
    columns = [
        ("study", "number"),
        ("year", "text"),
        *((f, "text") for f in facets[:-1]),
        ("reference", "text"),
        ("status", "text"),
    ]
    head = "".join(f'<th scope="col" data-type="{kind}">{_e(titles.get(key) or w[key])}</th>' for key, kind in columns)
    body = []
    for r in found:
        cells = [
            f"<td>{r['study_id']}</td>",
            f"<td>{_e(r['year'])}</td>",
            *(f"<td>{_cell(r['labels'][f])}</td>" for f in facets[:-1]),
            f"<td>{_e(r['reference'])}</td>",
            f"<td>{_cell(r['labels']['status'])}</td>",
        ]
        body.append(f'<tr data-study="{r["study_id"]}">{"".join(cells)}</tr>\n')
    data = {
        "facets": facets,
        "count": w["count"],
        "lang": lang,
        "studies": {str(r["study_id"]): r["codes"] for r in found},
    }
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n<title>{_e(w["title"])}</title>\n'
        f'<style>{style}{CSS}</style>\n<script src="{SCRIPT}" defer></script>\n</head>\n<body>\n'
        f'<nav class="peerlearn-nav" aria-label="{_e(w["nav"])}"><a href="index.html">{_e(w["index"])}</a></nav>\n'
        f'<main class="peerlearn-explorer">\n<h1>{_e(w["title"])}</h1>\n<p>{_e(w["intro"].format(n=len(found)))}</p>\n'
        f"<p>{_e(w['absent'])}</p>\n"
        f'<form id="peerlearn-filters" hidden aria-label="{_e(w["filters"])}">{"".join(filters)}'
        f'<button type="button" id="peerlearn-clear">{_e(w["clear"])}</button></form>\n'
        f'<p id="peerlearn-count" aria-live="polite">{_e(w["count"].format(shown=len(found), total=len(found)))}</p>\n'
        f'<table id="peerlearn-explorer-table">\n<caption>{_e(w["caption"])}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{''.join(body)}</tbody>\n</table>\n"
        f'<script type="application/json" id="{DATA_ID}">{_json(data)}</script>\n'
        f"</main>\n</body>\n</html>\n"
    )


def script() -> str:
    """The text of explorer.js (kept beside this module, so it is read, tested and linted as JavaScript)."""
    from importlib.resources import files

    return files(__package__).joinpath(SCRIPT).read_text(encoding="utf-8")
