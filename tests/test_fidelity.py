"""Every published number in data/raw against the report text, parsed independently.

The report's extracted text lives in shared/seeds beside the repository (CI has
it there); these tests read its flattened tables with their own small parsers
and compare cell by cell, so a typo in data/raw or in the report reading fails.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import peerlearn as pl

DOMAIN_WORDS = [
    ("interventie-gerelateerde", "external_intervention"),
    ("algemene", "external_general"),
    ("consequenties", "consequence"),
    ("praktijk", "practice"),
    ("ersoonlijk", "personal"),
]


def _domain(text: str) -> str:
    for word, code in DOMAIN_WORDS:
        if word in text:
            return code
    raise AssertionError(f"no domain in {text!r}")


def _block(lines, start_pattern, end_pattern):
    start = next(i for i, ln in enumerate(lines) if re.search(start_pattern, ln))
    end = next(i for i in range(start + 1, len(lines)) if re.search(end_pattern, lines[i]))
    return lines[start:end]


def _number_rows(block):
    """Runs of integers that end a line (either alone or after an 'Aantal ...' label)."""
    out = []
    for line in block:
        m = re.fullmatch(r"\s*(?:Aantal\s*\w*\s*)?((?:\d+\s+)*\d+)\s*", line)
        if m:
            out.append([int(x) for x in m.group(1).split()])
    return out


@pytest.mark.parametrize(
    "table,category", [(1, "individual"), (2, "interpersonal"), (3, "intervention"), (4, "conditions")]
)
def test_factor_tables(report_lines, table, category):
    block = _block(report_lines, rf"^\s*Tabel {table}\. ", rf"^\s*Tabel {table + 1}\. ")
    factors_row, studies_row = _number_rows(block)[:2]
    data = pl.load_factors().query("category == @category")
    totals = pl.load_published_totals().query("table == 'factors' and scope == @category").set_index("measure")["value"]
    assert list(data["n_factors"]) + [totals["n_factors"]] == factors_row
    assert list(data["n_studies"]) + [totals["n_studies"]] == studies_row


def test_domain_effects_table(report_lines):
    block = _block(report_lines, r"^\s*Tabel 5\. ", r"Tabel 6\. ")
    effects_row, studies_row = _number_rows(block)[:2]
    data = pl.load_domain_effects()
    totals = pl.load_published_totals().query("table == 'domain_effects'").set_index("measure")["value"]
    assert list(data["n_effects"]) + [totals["n_effects"]] == effects_row
    assert list(data["n_studies"]) + [totals["n_studies"]] == studies_row


def _pathway_table(report_lines, number):
    block = _block(report_lines, rf"Tabel {number}\. ", rf"Tabel {number + 1}\. |BIJLAGE F")
    from_domain = _domain(block[0])
    rows, totals, mechanism, pending_total = [], {}, None, False
    for line in block[1:]:
        m = re.match(r"\s*(Denken|Doen) naar (.*?)\s+(\d+)\s+(\d+)\s*$", line)
        t = re.match(r"\s*Totaal (Denken|Doen)\s+(\d+)\s+(\d+)\s*$", line)
        if m:
            mechanism = {"Denken": "reflection", "Doen": "enactment"}[m.group(1)]
            rows.append((from_domain, mechanism, _domain(m.group(2)), int(m.group(3)), int(m.group(4))))
        elif t:
            totals[{"Denken": "reflection", "Doen": "enactment"}[t.group(1)]] = (int(t.group(2)), int(t.group(3)))
        elif "Totaal patroon-effecten" in line:
            nums = re.findall(r"\d+", line)
            if len(nums) >= 2:
                totals["all"] = (int(nums[-2]), int(nums[-1]))
            else:
                pending_total = True
        elif pending_total and re.fullmatch(r"\s*\d+\s+\d+\s*", line):
            totals["all"] = tuple(int(x) for x in line.split())
            pending_total = False
    return from_domain, rows, totals


@pytest.mark.parametrize("number", [6, 7, 8, 9, 10])
def test_pathway_tables(report_lines, number):
    from_domain, printed_rows, printed_totals = _pathway_table(report_lines, number)  # noqa: RUF059 (in query)
    data = pl.load_pathways().query("from_domain == @from_domain")
    assert set(data["source"]) == {f"Bijlage E Tabel {number}"}
    ours = [(r.from_domain, r.mechanism, r.to_domain, r.n_effects, r.n_studies) for r in data.itertuples()]
    assert ours == printed_rows
    totals = pl.load_published_totals().query("table == 'pathways' and scope == @from_domain")
    ours_totals = {
        m: (
            int(g.set_index("measure").loc["n_effects", "value"]),
            int(g.set_index("measure").loc["n_studies", "value"]),
        )
        for m, g in totals.groupby("mechanism", observed=True)
    }
    assert ours_totals == printed_totals


def test_hypotheses_counts_and_verdicts(report_lines):
    text = "\n".join(_block(report_lines, r"^# Veronderstelling", r"BIJLAGE G"))
    counts = [int(x) for x in re.findall(r"\.\s+(\d+)\s", text + "\n")]
    verdicts = {}
    for i, line in enumerate(report_lines):
        m = re.match(r"\s*Veronderstelling (\d+):", line)
        if m:
            verdict_line = next(ln for ln in report_lines[i + 1 :] if ln.startswith("Klopt"))
            verdicts[int(m.group(1))] = "partly_supported" if verdict_line.startswith("Klopt deels") else "supported"
    data = pl.load_hypotheses()
    assert list(data["n_studies"]) == counts
    assert dict(zip(data["hypothesis"], data["verdict"].astype(str))) == verdicts
    assert list(data["hypothesis"]) == list(range(1, 14))


CHARACTERISTIC_HEADERS = [
    ("Vorm onderzoek", "design"),
    ("Situatie van de interventie", "setting"),
    ("Type professionaliserings", "activity_type"),
    ("Rol facilitator", "facilitator"),
    ("Vorm van deelname", "participation"),
    ("Bekendheid van de deelne", "acquaintance"),
]
LEVEL_WORDS = {
    "design": [("Kwantitatief", "quantitative"), ("Kwalitatief", "qualitative"), ("Mixed", "mixed")],
    "setting": [("Face-to-face", "face_to_face"), ("Online", "online"), ("Blended", "blended")],
    "activity_type": [("Coachend", "coaching"), ("Beoordelend", "assessment"), ("Samenwerkend", "collaborative")],
    "facilitator": [
        ("Met facilitator", "with_facilitator"),
        ("Zonder", "without_facilitator"),
        ("Onbekend", "unknown"),
    ],
    "participation": [("Vrijwillige", "voluntary"), ("Verplichte", "mandatory"), ("Onbekend", "unknown")],
    "acquaintance": [
        ("kenden elkaar al", "knew_each_other"),
        ("bij aanvang niet", "did_not_know"),
        ("Deel van deelnemers", "partly_knew"),
        ("Onbekend", "unknown"),
    ],
}
CELL = re.compile(r"(\d+)(?: \((\d+(?:,\d+)?)%\))?")


def _characteristic_cells(report_lines):
    block = _block(report_lines, r"^ Studentleraren\s*$", r"Duur interventie")
    current, label, cells = None, "", {}
    for line in block:
        header = next((code for words, code in CHARACTERISTIC_HEADERS if line.strip().startswith(words)), None)
        if header:
            current, label = header, ""
            continue
        if current is None:
            continue
        m = re.search(r"\d+( \(\d+(?:,\d+)?%\))?(\s|$)", line)
        if not m or "studie" in line or "N=" in line:  # repeated column headers
            label += " " + line
            continue
        label += " " + line[: m.start()]
        level = next(code for words, code in LEVEL_WORDS[current] if words in label)
        cells[(current, level)] = [
            (int(n), None if p == "" else float(p.replace(",", "."))) for n, p in CELL.findall(line[m.start() :])
        ]
        label = ""
    return cells


def test_characteristics_table(report_lines):
    printed = _characteristic_cells(report_lines)
    data = pl.load_characteristics()
    ours = {}
    for (ch, lv), g in data.groupby(["characteristic", "level"], observed=True, sort=False):
        g = g.sort_values("group")
        ours[(ch, lv)] = [(int(r.n), None if pd.isna(r.pct) else float(r.pct)) for r in g.itertuples()]
    assert ours == printed


def test_characteristic_group_headers(report_lines):
    text = "\n".join(report_lines)
    heads = re.findall(r"\((\d+) studies?; ?(\d+(?:,\d+)?)%\)", text)[:3]
    n_total = int(re.search(r"\(N= (\d+)\)", text).group(1))
    totals = pl.load_published_totals().query("table == 'characteristics'")
    by = {(r.scope, r.measure): r.value for r in totals.itertuples()}
    assert [(by[(g, "n_studies")], by[(g, "pct")]) for g in ("student", "inservice", "both")] == [
        (float(n), float(p.replace(",", "."))) for n, p in heads
    ]
    assert by[("total", "n_studies")] == n_total


def test_characteristic_values(report_lines):
    text = "\n".join(_block(report_lines, r"^Aantal deelnemers", r"Overzicht van continenten"))
    values = pl.load_characteristic_values()
    v = {(r.characteristic, r.group, r.quantity): r.value for r in values.itertuples()}
    participants = [int(x) for x in re.findall(r"\b(\d{2,4})\b", text.split("Vorm onderzoek")[0])]
    assert participants == [v[("participants", g, "total")] for g in ("student", "inservice", "both", "total")]
    duration = text.split("Duur interventie")[1].split("Groepsgrootte")[0]
    size = text.split("Groepsgrootte")[1]
    assert [int(x) for x in re.findall(r"onbekend: (\d+)", duration)] == [
        v[("duration", g, "unknown_studies")] for g in ("student", "inservice", "total")
    ]
    assert [int(x) for x in re.findall(r"onbekend: (\d+)", size)] == [
        v[("group_size", g, "unknown_studies")] for g in ("student", "inservice", "total")
    ]
    assert [int(x) for x in re.findall(r"jaargang:\s*(\d+)|\((\d{3})\)", size) for x in x if x] == [
        v[("group_size", g, "largest")] for g in ("student", "inservice", "total")
    ]
    assert re.findall(r"Van (\d+) ?minuten", duration) == [
        str(v[("duration", "student", "min")]),
        str(v[("duration", "total", "min")]),
    ]
    assert re.findall(r"Van (\d+) weken", duration) == [str(v[("duration", "inservice", "min")])]


COUNTRY_NAMES = {
    "USA": "usa",
    "Nederland": "netherlands",
    "Verenigd Koninkrijk": "united_kingdom",
    "Scandinavië": "scandinavia",
    "Italië": "italy",
    "Spanje": "spain",
    "Hong Kong": "hong_kong",
    "Turkije": "turkey",
    "Egypte": "egypt",
    "Verenigde Arabische Emiraten": "united_arab_emirates",
    "Singapore": "singapore",
    "Israël": "israel",
    "Australië": "australia",
    "Nieuw-Zeeland": "new_zealand",
    "Botswana": "botswana",
    "Finland": "finland",
    "Zweden": "sweden",
    "Noorwegen": "norway",
}
CONTINENT_NAMES = {
    "Amerika": "america",
    "Europa": "europe",
    "Azië": "asia",
    "Australië": "australia",
    "Afrika": "africa",
}


def test_countries_table(report_lines):
    text = "\n".join(_block(report_lines, r"Overzicht van continenten", r"BIJLAGE E"))
    printed = {
        COUNTRY_NAMES[name.strip(" \uf0a7")]: (int(n), float(p))
        for name, n, p in re.findall(r"([^\n:()]+): (\d+) \((\d+(?:\.\d+)?)%\)", text)
    }
    printed.update({COUNTRY_NAMES[name]: (int(n), None) for n, name in re.findall(r"(\d)x (\w+)", text)})
    unknown = re.search(r"(\d+) onbekend\. (\d+) echt onbekend; (\d+) waarschijnlijk USA; (\d+) waarschijnlijk", text)
    printed.update(
        {
            "unknown": (int(unknown.group(2)), None),
            "probably_usa": (int(unknown.group(3)), None),
            "probably_finland": (int(unknown.group(4)), None),
        }
    )
    data = pl.load_countries()
    ours = {r.country: (r.n, None if pd.isna(r.pct) else r.pct) for r in data.itertuples()}
    assert ours == printed
    continents = {CONTINENT_NAMES[name]: int(n) for name, n in re.findall(r"\d\) (\w+): (\d+)", text)}
    continents["unknown"] = int(unknown.group(1))
    totals = pl.load_published_totals().query("table == 'countries'")
    assert dict(zip(totals["scope"].astype(str), totals["value"])) == continents


NUMBER_WORDS = {"zeven": 7, "vijf": 5}


def test_selection_flow(report_lines):
    text = re.sub(r"-\s*\n", "", "\n".join(report_lines))  # join words split over lines
    flow = pl.load_selection_flow().set_index("step")
    for step, row in flow.iterrows():
        assert " ".join(row["printed"].split()) in " ".join(text.split()), step
        if pd.isna(row["n"]):
            assert not re.search(r"\d", row["printed"]), step
            continue
        words = [int(x) for x in re.findall(r"\d+", row["printed"])] + [
            NUMBER_WORDS[w] for w in row["printed"].split() if w in NUMBER_WORDS
        ]
        assert row["n"] in words, step


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def test_study_references_are_in_the_report(report_lines):
    report = _norm("\n".join(report_lines))
    studies = pl.load_studies()
    for r in studies.itertuples():
        for field in ("authors", "title", "source", "volume", "issue", "pages", "doi", "url"):
            value = getattr(r, field)
            if not pd.isna(value):
                assert _norm(str(value)) in report, (r.study_id, field, value)
        if r.bib_status == "complete":
            entry = _norm(f"{r.study_id}. {r.authors} ({r.year}). {r.title}")
            assert entry in report, (r.study_id, "reference not found as printed")


def test_citations_point_at_their_superscripts(report_lines):
    for r in pl.load_citations().itertuples():
        line = report_lines[r.source_line - 1]
        assert r.printed in line, (r.statement_id, r.printed, line)
        if pd.isna(r.resolution):
            ids = [int(x) for x in r.printed.replace(" ", "").split(",")]
            assert r.study_id in ids, (r.statement_id, r.printed)
