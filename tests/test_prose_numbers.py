"""Numbers in prose are never retyped: every count in prose is checked against the data.

Where prose is: README.md, docs/*.md, the Markdown cells of notebooks/*.ipynb, the docstrings of every module,
class and function of peerlearn and the texts still kept in its code (every string constant), and
peerlearn/messages.toml. (CHANGELOG.md is left out on purpose: it records what was true at the time.)

What a count is: an integer (digits, or a number word from two to twenty in English or Dutch) followed, at most two
words later, by a counted noun (articles/artikelen, studies, hypotheses/veronderstellingen, ...), e.g. "76
articles", "416 published numbers", "dertien veronderstellingen". Not counts, and so not matched: a number that
names something ("Tabel 6", "Figuur 1", "hypothesis 12", "deel 1", "line 188"), a number inside quotation marks (a
quote of the report or an example of a format, e.g. 'Twee studies'), a number in a version, decimal or range
(3.11, 0.35, 1-13), and numbers with other nouns (years, seconds, lines, cores).

What is required: each count equals the value of the fact its noun (and, where a noun means several things, its
context) ties it to; the facts are computed from the data in FACTS below. A count tied to no fact fails too: compute
it at run time (a ``{field}`` in a message, a Markdown cell built by the library) or add a fact here.

A fenced block that starts with ``$ peerlearn audit`` or ``$ peerlearn validate`` quotes that command's output: every
line of it (``...`` leaves lines out) must be what the command prints on the committed corpus, so its numbers are the
data's without being listed here.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pytest

from peerlearn.paths import REPO_ROOT

# ---------------------------------------------------------------------------------------------------------------
# The facts: name -> (what it counts, how it is computed from the data)


def _pl():
    import peerlearn

    return peerlearn


@cache
def _headline() -> dict:
    from peerlearn import audit

    return audit.headline()


def _published_total(table: str, scope: str, measure: str) -> int:
    t = _pl().load_published_totals()
    row = t[(t["table"] == table) & (t["scope"] == scope) & (t["measure"] == measure)]
    assert len(row) == 1, (table, scope, measure)
    return int(row["value"].iloc[0])


def _codes(vocabulary: str) -> tuple[str, ...]:
    return _pl().load_codebook().vocabulary(vocabulary).codes


def _n_findings() -> int:
    from peerlearn.findings import findings

    return len(findings())


def _n_rameses_items() -> int:
    from peerlearn import primer

    return len(primer.rameses_coverage())


def _n_report_items(kind: str) -> int:
    from peerlearn import report

    return sum(item.kind == kind for item in report.ITEMS.values())


FACTS: dict[str, tuple[str, Callable[[], int]]] = {
    "n_articles": ("articles of Bijlagen A-C (studies.csv)", lambda: len(_pl().load_studies())),
    "n_studies_report": (
        "studies the report counts (the printed total of Bijlage D)",
        lambda: _published_total("characteristics", "total", "n_studies"),
    ),
    "n_hypotheses": ("hypotheses of Bijlage F", lambda: len(_pl().load_hypotheses())),
    "n_corpus_tables": ("tables of the corpus in data/raw", lambda: len(_pl().load_codebook().resources)),
    "n_corpus_rows": (
        "rows of all corpus tables",
        lambda: sum(len(_pl().load_table(t)) for t in _pl().load_codebook().resources),
    ),
    "n_factors": ("factor subcategories of Tabel 1-4", lambda: len(_pl().load_factors())),
    "n_domains": ("domains of the model (external split in two)", lambda: len(_codes("domain"))),
    "n_internal_domains": (
        "domains of the model besides the external ones (where Figuur 2 and 3 end)",
        lambda: len([c for c in _codes("domain") if not c.startswith("external")]),
    ),
    "n_report_groups": (
        "participant groups of Bijlage D (without the total)",
        lambda: len([c for c in _codes("report_group") if c != "total"]),
    ),
    "n_audiences": ("audiences of the checklist", lambda: len(_codes("audience"))),
    "n_vocabularies": ("vocabularies of the codebook", lambda: len(_pl().load_codebook().vocabularies)),
    "n_model_arrows": (
        "arrows of Clarke & Hollingsworth's model",
        lambda: _pl().load_model_edges()["model_arrow"].nunique(),
    ),
    "n_model_edges": (
        "routes of the model (arrows per process and split domain)",
        lambda: len(_pl().load_model_edges()),
    ),
    "n_citations": ("citations (rows of citations.csv)", lambda: len(_pl().load_citations())),
    "n_statements": ("statements with superscript citations", lambda: _pl().load_citations()["statement_id"].nunique()),
    "n_evidence_notes": ("own-words evidence notes", lambda: len(_pl().load_hypothesis_evidence_notes())),
    "n_configurations": (
        "evidence configurations (per hypothesis)",
        lambda: _pl().load_hypothesis_evidence_notes().groupby(["hypothesis", "configuration"], observed=True).ngroups,
    ),
    "n_rameses_items": ("items of the RAMESES publication standards", _n_rameses_items),
    "n_notebooks": ("notebooks in notebooks/", lambda: len(list((REPO_ROOT / "notebooks").glob("*.ipynb")))),
    "n_report_figures": ("figures of the report item registry", lambda: _n_report_items("figure")),
    "n_report_tables": ("tables of the report item registry", lambda: _n_report_items("table")),
    "n_published_numbers": ("published numbers the audit checks", lambda: _headline()["numbers"]),
    "n_figure_numbers": ("numbers drawn in the figures that the audit checks", lambda: _headline()["figure_numbers"]),
    "n_inconsistent": ("published numbers the audit flags", lambda: _headline()["inconsistent"]),
    "n_never_cited": ("articles the text never cites", lambda: _headline()["never_cited"]),
    "n_findings": ("findings of the audit", _n_findings),
}

# ---------------------------------------------------------------------------------------------------------------
# The nouns: a count of one of these is tied to a fact. Rules are tried in order; the first whose noun matches, whose
# text before the number (to the start of its line) and whose words around the noun (between number and noun, and
# just after it) match decides. A noun with no rule that matches leaves the count untied, which fails.

_EN = "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen"
_NL = "twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien zeventien"
NUMBER_WORDS = {w: n for words in (_EN + " eighteen nineteen twenty", _NL + " achttien negentien twintig")
                for n, w in enumerate(words.split(), 2)}  # fmt: skip

NOUNS = {  # noun (regular expression) -> the rules that tie it: (fact, text before, words around the noun)
    r"articles|artikelen": [("n_articles", None, None)],
    r"studies": [("n_studies_report", None, None)],
    r"hypotheses|hypothesen|veronderstellingen": [("n_hypotheses", None, None)],
    r"tables|tabellen": [("n_report_tables", None, r"report"), ("n_corpus_tables", None, None)],
    r"rows|rijen": [("n_corpus_rows", None, None)],
    r"factors|factoren": [("n_factors", None, None)],
    r"domains|domeinen": [("n_internal_domains", None, r"other|andere"), ("n_domains", None, None)],
    r"numbers|getallen": [
        ("n_figure_numbers", None, r"drawn|getekend"),
        ("n_inconsistent", None, r"inconsistent"),
        ("n_published_numbers", None, None),
    ],
    r"findings|bevindingen": [("n_findings", None, None)],
    r"notebooks": [("n_notebooks", None, None)],
    r"figures|figuren": [("n_report_figures", None, None)],
    r"groups|groepen": [("n_report_groups", None, None)],
    r"audiences|doelgroepen": [("n_audiences", None, None)],
    r"vocabularies|vocabulaires": [("n_vocabularies", None, None)],
    r"arrows|pijlen": [("n_model_arrows", None, None)],
    r"routes|edges": [("n_model_edges", None, None)],
    r"citations|citaties|verwijzingen": [("n_citations", None, None)],
    r"statements|uitspraken": [("n_statements", None, None)],
    r"notes|aantekeningen": [("n_evidence_notes", None, None)],
    r"configurations|configuraties": [("n_configurations", None, None)],
    r"items": [("n_rameses_items", None, None)],
    r"flags": [("n_inconsistent", None, None)],
    # counted nouns that no fact ties yet: a count of them fails until it is computed or a fact is added
    r"effects|effecten|pathways|paden|countries|landen|references|referenties|codes|questions|vragen": [],
}

# Counts that are not counts of the data, each with its reason (regular expression over the phrase and the text
# just before it on its line).
EXCEPTIONS = [
    (r"\bto two articles\b", "'assigned to two articles' means more than one, the uniqueness rule; not a count"),
    (r"\b[Nn]o two arrows\b", "'no two arrows' is a rule of the model's shape, not a count"),
    (r"supports two codes|names two domains", "one statement citing a study for two codes: its shape, not a total"),
]

NAMED = re.compile(  # a number that names a thing: the word before it (and 'Figuur 2 en 3', 'Tabel 6-10' ranges)
    r"(?:\b(?:Figuur|Figuren|Figures?|Fig\.|Tabel|Tabellen|Tables?|Bijlagen?|Appendix|Appendices|deel|part|"
    r"hypothesis|hypothese|veronderstelling|H|"
    r"notebook|Finding|Bevinding|line|lines|regel|study|studie|article|artikel|issue|cell|step|stap|item|label|page|"
    r"pagina|p\.|pp\.|version|versie|Python|stop|round|ronde)\s+\d+(?:\s*(?:,|en|and|or|of|to|tot|-|–)\s*\d+)*\s*)$",
    re.I,
)
# words that cannot stand between a count and its noun: "three a hypothesis", "1 without effects", "5 in Figuur"
STOP = set(
    "a an the of in on is are to for and or with without by from than de het een van op zijn en met zonder per voor "
    "als die dat dan".split()
)
ALL_NOUNS = "|".join(NOUNS)
NUMBER = r"(?<![\w.,/#·-])(\d+(?:,\d{3})*|" + "|".join(NUMBER_WORDS) + r")(?![\w%]|[.,:/-]\d)"
SPACE = r"(?: |[ \t]*\n[ \t]*)"  # one space, or one line break (a count may wrap; a blank line ends it)
COUNT = re.compile(NUMBER + r"((?:" + SPACE + r"[A-Za-zÀ-ÿ'’-]+){0,2}?)" + SPACE + "(" + ALL_NOUNS + r")\b", re.I)
QUOTED = re.compile(
    r"(?<![A-Za-z])'[^'\n]+?'(?![A-Za-z])|\"[^\"\n]+?\"|“[^”\n]+?”|‘[^’\n]+?’"
    r"|&quot;.+?&quot;|&#x27;.+?&#x27;"
)  # the last two: quotes in escaped Markdown


@dataclass(frozen=True)
class Count:
    where: str  # file:line (and the notebook cell)
    phrase: str  # the number and its noun as written
    value: int
    noun: str
    between: str  # the words between number and noun
    before: str  # the text before the number, to the start of its line
    after: str  # the text after the noun, to the end of its line


def counts(text: str, where: Callable[[int], str]) -> list[Count]:
    """Every count in ``text``; ``where(offset)`` names the place of a character."""
    quoted = [m.span() for m in QUOTED.finditer(text)]
    found = []
    for m in COUNT.finditer(text):
        start = m.start()
        before = text[text.rfind("\n", 0, start) + 1 : start]
        if NAMED.search(before + m.group(1)) or any(a < start < b for a, b in quoted):
            continue
        words = m.group(2).split()
        if any(w.lower() in STOP for w in words):
            continue
        phrase = " ".join(m.group(0).split())
        if any(re.search(p, before + phrase) for p, _ in EXCEPTIONS):
            continue
        raw = m.group(1).lower()
        value = NUMBER_WORDS[raw] if raw in NUMBER_WORDS else int(raw.replace(",", ""))
        after = text[m.end() : (text.find("\n", m.end()) + 1 or len(text) + 1) - 1]
        found.append(Count(where(start), phrase, value, m.group(3).lower(), " ".join(words), before, after))
    return found


def tie(count: Count) -> str | None:
    """The fact a count is tied to, or None."""
    for nouns, rules in NOUNS.items():
        if re.fullmatch(nouns, count.noun, re.I):
            for fact, context, between in rules:
                if (context is None or re.search(context, count.before)) and (
                    between is None or re.search(between, f"{count.between} {count.noun} {count.after[:20]}", re.I)
                ):
                    return fact
            return None
    return None


def problems(found: list[Count], value: Callable[[str], int]) -> list[str]:
    """One line per count that is untied or differs from its fact."""
    out = []
    for c in found:
        fact = tie(c)
        if fact is None:
            out.append(
                f"{c.where}: '{c.phrase}' is a count in prose tied to no fact: compute it from the data at run "
                f"time, or tie it to a fact in tests/test_prose_numbers.py"
            )
        elif c.value != value(fact):
            out.append(f"{c.where}: '{c.phrase}' says {c.value}, but {fact} ({FACTS[fact][0]}) is {value(fact)}")
    return out


# ---------------------------------------------------------------------------------------------------------------
# Where prose is


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


COMMANDS = {"$ peerlearn audit": ["audit"], "$ peerlearn validate": ["validate"]}
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)


def quoted_outputs(text: str) -> list[tuple[int, int, list[str], list[str]]]:
    """The fenced blocks that quote a command's output: (start, end, command arguments, quoted lines)."""
    out = []
    for m in FENCE.finditer(text):
        lines = m.group(1).splitlines()
        if lines and lines[0].strip() in COMMANDS:
            out.append((*m.span(1), COMMANDS[lines[0].strip()], lines[1:]))
    return out


def _blank(text: str, start: int, end: int) -> str:
    """``text`` with ``[start, end)`` made spaces (line breaks kept, so line numbers stay)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def markdown_sources() -> list[tuple[str, str]]:
    paths = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
    return [(str(p.relative_to(REPO_ROOT)), p.read_text(encoding="utf-8")) for p in paths]


@cache
def prose_counts() -> tuple[Count, ...]:
    """Every count in the prose of the repository (quoted command output left out: it is checked line by line)."""
    found = []
    for name, text in markdown_sources():
        for start, end, _, _ in quoted_outputs(text):
            text = _blank(text, start, end)
        found += counts(text, lambda o, n=name, t=text: f"{n}:{_line_of(t, o)}")
    for path in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                found += counts(
                    text, lambda o, p=path, i=i, t=text: f"notebooks/{p.name} cell {i} (Markdown) line {_line_of(t, o)}"
                )
    for path in sorted((REPO_ROOT / "peerlearn").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(REPO_ROOT)
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):  # docstrings, and the texts still kept in code (e.g. a TEXT dict)
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                kind = "docstring" if id(node) in docstrings else "string"
                found += counts(
                    node.value,
                    lambda o, r=rel, n=node.lineno, d=node.value, k=kind: f"{r}:{n + _line_of(d, o) - 1} ({k})",
                )
    messages = REPO_ROOT / "peerlearn" / "messages.toml"
    if messages.exists():
        text = messages.read_text(encoding="utf-8")
        found += counts(text, lambda o: f"peerlearn/messages.toml:{_line_of(text, o)}")
    return tuple(found)


@cache
def fact_value(name: str) -> int:
    return int(FACTS[name][1]())


@cache
def command_output(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "peerlearn", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def output_problems(name: str, text: str, run: Callable[..., list[str]]) -> list[str]:
    """Lines of a quoted command output that the command does not print (in that order)."""
    out = []
    for start, _, args, lines in quoted_outputs(text):
        printed, at = run(*args), 0
        for k, line in enumerate(lines):
            if line.strip() in ("...", "…"):
                continue
            try:
                at = printed.index(line, at) + 1
            except ValueError:
                out.append(
                    f"{name}:{_line_of(text, start) + k + 1}: 'peerlearn {' '.join(args)}' does not print "
                    f"(here, in this order): {line!r}"
                )
    return out


# ---------------------------------------------------------------------------------------------------------------
# The tests


def test_every_count_in_prose_is_the_datas():
    bad = problems(list(prose_counts()), fact_value)
    assert not bad, f"{len(bad)} count(s) in prose are stale or retyped:\n" + "\n".join(bad)


@pytest.mark.slow  # runs peerlearn audit and validate as commands
def test_quoted_command_output_is_what_the_command_prints():
    bad = [p for name, text in markdown_sources() for p in output_problems(name, text, command_output)]
    assert not bad, "\n".join(bad)


@pytest.mark.slow  # computes every fact, the audit's findings included
def test_every_fact_is_computed_and_every_rule_names_a_fact():
    for name in FACTS:
        assert fact_value(name) >= 0, name
    for rules in NOUNS.values():
        for fact, _, _ in rules:
            assert fact in FACTS, fact


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the 77 articles of the review", "says 77, but n_articles"),
        ("Het rapport telt dertien veronderstellingen en\n12 domeinen.", "says 12, but n_domains"),
        ("There are 4 effects of note.", "tied to no fact"),
        ("we found 12 studies", "says 12, but n_studies_report"),
        ("Tabel 6 prints 0 studies for it", "says 0, but n_studies_report"),
        ("all 58 numbers drawn in the figures", "says 58, but n_figure_numbers"),
    ],
)
def test_a_stale_or_untied_count_fails(text, expected):
    bad = problems(counts(text, lambda o: "x.md:1"), fact_value)
    assert len(bad) == 1 and expected in bad[0], bad


@pytest.mark.parametrize(
    "text",
    [
        "Tabel 6 shows it",
        "Figuur 2 en 3\nEffecten",
        "## Figures 2 and 3\nEffects",
        "for hypothesis 12 studies",
        "Python 3.11 rows",
        "the text says 'Twee studies' here",
        "a range 1-13 hypotheses",
        "It took 2 seconds.",
        "deel 1 de studies",
        "which of the three a hypothesis is about",
        "1 without effects",
        "no DOI is assigned to two articles",
    ],
)
def test_names_quotes_ranges_and_other_nouns_are_not_counts(text):
    assert counts(text, lambda o: "x") == []


def test_the_counts_it_checks_include_the_readme_s():
    found = [c for c in prose_counts() if c.where.startswith("README.md:")]  # (the scan reaches the README)
    assert {"n_articles", "n_studies_report"} <= {tie(c) for c in found}


def test_a_changed_line_of_quoted_output_fails():
    text = "```console\n$ peerlearn validate\ncorpus valid: 99 tables\n```\n"
    assert output_problems("x.md", text, lambda *a: ["corpus valid: 17 tables"]) and not output_problems(
        "x.md", text.replace("99", "17"), lambda *a: ["corpus valid: 17 tables"]
    )
