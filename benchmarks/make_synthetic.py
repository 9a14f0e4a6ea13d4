"""Write a SYNTHETIC corpus K times the size of the real one, for the scaling benchmark.

    python benchmarks/make_synthetic.py K [--out build/synthetic/xK] [--seed 2014]

The result is labelled synthetic (datapackage.json title, a "synthetic" entry, SYNTHETIC.md beside the CSVs)
and is never written inside data/. It validates against its own codebook, which is the real one with:

- K replicas of every row of studies, citations, prose_counts, factors, domain_effects, pathways, hypotheses,
  hypothesis_cmo, hypothesis_evidence_notes (configurations ``<code>_s<r>`` of the shifted hypothesis),
  characteristics, countries, checklist and the pathway totals of published_totals. Replica 0 keeps the real
  codes, replica r >= 1 uses synthetic codes ``<code>_s<r>`` (labels "... (synthetisch r)" / "... (synthetic r)")
  for the vocabularies that key those tables: domain, factor_subcategory, characteristic_level, country,
  checklist_theme, and hypotheses H<n + 13r>; study ids, statement, count and item ids are shifted per replica.
  So both the rows and the vocabularies grow K-fold, as in a review K times as large with as many more codes.
- Not scaled (fixed by design, one row per fixed code): selection_flow, characteristic_values, model_edges (the
  arrows of Clarke & Hollingsworth's model), and the
  published totals of factors, domain_effects, characteristics and countries (their scopes are fixed codes).
- Counts (n, n_factors, n_studies, n_effects) vary at random by -2..+2 (at least 0) from a seeded generator;
  bibliographic text is replaced by "Synthetic ..." text, DOIs and URLs are left empty. Same K and seed, same bytes.
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from peerlearn.codebook import standard_constraint  # noqa: E402

RAW = ROOT / "data" / "raw"
SCALED_VOCABULARIES = ("domain", "factor_subcategory", "characteristic_level", "country", "checklist_theme")
COUNTS = ("n", "n_factors", "n_studies", "n_effects")
NOT_SCALED = ("selection_flow", "characteristic_values", "model_edges")
N_STUDIES, N_HYPOTHESES = 76, 13


def _read(name: str) -> tuple[list[str], list[dict]]:
    with open(RAW / f"{name}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def syn(code: str, r: int) -> str:
    """The replica-r code of a code of a scaled vocabulary (replica 0 keeps the real code)."""
    return code if r == 0 or code == "" else f"{code}_s{r}"


def _code(kind: str, code: str, r: int) -> str:
    """A code of the citations/prose_counts column ``code`` (its vocabulary depends on ``code_kind``)."""
    if kind in ("factor_subcategory", "domain"):
        return syn(code, r)
    if kind == "hypothesis":
        return f"H{int(code[1:]) + N_HYPOTHESES * r}"
    if kind == "pathway":
        a, mechanism, b = code.split(">")
        return f"{syn(a, r)}>{mechanism}>{syn(b, r)}"
    raise ValueError(kind)


def _id(text: str, r: int, step: int) -> str:
    prefix, digits = text[0], text[1:]
    return f"{prefix}{int(digits) + step * r:0{len(digits)}d}"


def replicate(name: str, row: dict, r: int, rng: random.Random) -> dict | None:
    """Replica ``r`` of one row of table ``name`` (None: the row is not replicated)."""
    row = dict(row)
    for c in COUNTS:
        if c in row and row[c] != "" and name not in NOT_SCALED:
            row[c] = str(max(0, int(row[c]) + rng.randint(-2, 2)))
    if name == "studies":
        sid = int(row["study_id"]) + N_STUDIES * r
        row.update(
            study_id=str(sid),
            study_group=str(int(row["study_group"]) + N_STUDIES * r),
            authors=f"Synthetic, A. {sid}" if row["authors"] else "",
            title=f"Synthetic study {sid}" if row["title"] else "",
            source="Synthetic journal" if row["source"] else "",
            doi="",
            url="",
            descriptor_note="synthetic" if row["descriptor_note"] else "",
            label_nl=f"Synthetische studie {sid}",
            label_en=f"Synthetic study {sid}",
        )
    elif name in ("citations", "prose_counts"):
        key = "statement_id" if name == "citations" else "count_id"
        row[key] = _id(row[key], r, 1000 if name == "citations" else 100)
        row["code"] = _code(row["code_kind"], row["code"], r)
        if name == "citations":
            row["study_id"] = str(int(row["study_id"]) + N_STUDIES * r)
            row["printed"] = row["study_id"]
            row["resolution"] = ""
    elif name == "factors":
        row["subcategory"] = syn(row["subcategory"], r)
    elif name == "domain_effects":
        row["domain"] = syn(row["domain"], r)
    elif name == "pathways":
        row["from_domain"], row["to_domain"] = syn(row["from_domain"], r), syn(row["to_domain"], r)
    elif name == "hypotheses":
        h = int(row["hypothesis"]) + N_HYPOTHESES * r
        row.update(
            hypothesis=str(h), label_nl=f"Synthetische veronderstelling {h}", label_en=f"Synthetic hypothesis {h}"
        )
    elif name == "hypothesis_cmo":
        row["hypothesis"] = str(int(row["hypothesis"]) + N_HYPOTHESES * r)
    elif name == "hypothesis_evidence_notes":
        shift = lambda s: _id(s, r, 1000)  # noqa: E731 - statement ids as in citations
        row.update(
            hypothesis=str(int(row["hypothesis"]) + N_HYPOTHESES * r),
            study_id=str(int(row["study_id"]) + N_STUDIES * r),
            configuration=syn(row["configuration"], r),
            statement_ids=" ".join(shift(s) for s in row["statement_ids"].split()),
            basis=" ".join(f"{shift(b.split(':')[0])}:{b.split(':')[1]}" for b in row["basis"].split()),
        )
    elif name == "characteristics":
        row["level"] = syn(row["level"], r)
    elif name == "countries":
        row["country"], row["part_of"] = syn(row["country"], r), syn(row["part_of"], r)
    elif name == "checklist":
        row["item_id"] = _id(row["item_id"], r, 1000)
        row["theme"] = syn(row["theme"], r)
        row["hypotheses"] = ";".join(str(int(h) + N_HYPOTHESES * r) for h in row["hypotheses"].split(";"))
        row["recommendation_nl"], row["recommendation_en"] = "Synthetische aanbeveling", "Synthetic recommendation"
    elif name == "published_totals":
        if row["table"] != "pathways":
            return row if r == 0 else None
        row["scope"] = syn(row["scope"], r)
    elif name == "recovered_references":
        return None  # references found for the real articles; they would not match the synthetic ones
    elif name in NOT_SCALED:
        return row if r == 0 else None
    return row


def codebook(k: int, seed: int) -> dict:
    package = json.loads((RAW / "datapackage.json").read_text(encoding="utf-8"))
    package["name"] = f"peerlearn-synthetic-x{k}"
    package["title"] = f"SYNTHETIC corpus, {k}x the size of the coded review (benchmark only; not data from the report)"
    package["description"] = (
        "Generated by benchmarks/make_synthetic.py for the scaling benchmark. " + __doc__.split("\n\n")[2]
    )
    package["synthetic"] = {"scale": k, "seed": seed, "generator": "benchmarks/make_synthetic.py"}
    for name in SCALED_VOCABULARIES:
        codes = package["vocabularies"][name]["codes"]
        extra = []
        for r in range(1, k):
            for c in codes:
                c = copy.deepcopy(c)
                c.update(code=syn(c["code"], r), nl=f"{c['nl']} (synthetisch {r})", en=f"{c['en']} (synthetic {r})")
                extra.append(c)
        codes += extra
    configurations = package["vocabularies"]["evidence_configuration"]["codes"]
    configurations += [
        dict(c, code=syn(c["code"], r), parent=str(int(c["parent"]) + N_HYPOTHESES * r))
        for r in range(1, k)
        for c in list(configurations)
    ]
    h = package["vocabularies"]["hypothesis_code"]["codes"]
    h += [
        {"code": f"H{n}", "nl": f"Veronderstelling {n} (synthetisch)", "en": f"Hypothesis {n} (synthetic)"}
        for n in range(N_HYPOTHESES + 1, N_HYPOTHESES * k + 1)
    ]
    for res in package["resources"]:
        for f in res["schema"]["fields"]:
            c = f.get("constraints", {})
            if res["name"] == "studies" and c.get("maximum") == N_STUDIES:
                c["maximum"] = N_STUDIES * k
            if f.get("vocabulary") == "evidence_configuration":
                c["enum"] = [x["code"] for x in configurations]
            if "pattern" in c:  # S\d{3} -> S\d{3,}: ids grow with the replicas
                c["pattern"] = c["pattern"].replace("}", ",}")
            c.update(
                standard_constraint(package, f)
            )  # the codes declared for standard tools grow with the vocabularies
    return package


def make(k: int, out: Path, seed: int = 2014) -> Path:
    """Write the synthetic corpus of scale ``k`` into ``out`` (which must lie outside data/)."""
    out = out.resolve()
    if (ROOT / "data").resolve() in (out, *out.parents):
        raise SystemExit(f"make_synthetic: refusing to write inside data/ ({out}); synthetic data is kept apart")
    out.mkdir(parents=True, exist_ok=True)
    package = codebook(k, seed)
    rng = random.Random(seed)
    for res in package["resources"]:
        header, rows = _read(res["name"])
        rows_out = [x for r in range(k) for row in rows if (x := replicate(res["name"], row, r, rng)) is not None]
        _write(out / res["path"], header, rows_out)
    (out / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "SYNTHETIC.md").write_text(
        f"# SYNTHETIC DATA ({k}x) - not the review's data\n\nGenerated by `python benchmarks/make_synthetic.py {k} "
        f"--seed {seed}` for the scaling benchmark (benchmarks/scaling.py).\n\n{__doc__}",
        encoding="utf-8",
    )
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("k", type=int, help="scale: K times the real corpus (1 = same size, still synthetic)")
    ap.add_argument("--out", type=Path, help="folder (default build/synthetic/xK)")
    ap.add_argument("--seed", type=int, default=2014)
    args = ap.parse_args(argv)
    out = make(args.k, args.out or ROOT / "build" / "synthetic" / f"x{args.k}", args.seed)
    print(f"synthetic corpus x{args.k} written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
