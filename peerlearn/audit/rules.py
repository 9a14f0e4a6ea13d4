"""The audit's rules: small functions on plain numbers (``rule_*``), data in, a :class:`Finding` out, no I/O.

Each finding explains itself in English and Dutch with the texts of the message catalogue (``audit.rule.*``), so
the rules can be tested one by one on made-up numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..messages import text
from ..tables import round_half_up

CONSISTENT, INCONSISTENT, NOT_DERIVABLE = "consistent", "inconsistent", "not_derivable"
STATUSES = (CONSISTENT, INCONSISTENT, NOT_DERIVABLE)


@dataclass(frozen=True)
class Finding:
    """The outcome of one rule: status, what the data implies, and the explanation in both languages."""

    status: str
    en: str
    nl: str
    recomputed: float | None = None
    lower: float | None = None
    upper: float | None = None
    likely_value: float | None = None


def both(message: str, **fields) -> tuple[str, str]:
    """The catalogue's message ``message`` in English and Dutch, with its ``{fields}`` filled in."""
    return text(message, "en", **fields), text(message, "nl", **fields)


def fmt(x) -> str:
    """A number as the report prints it: an integer without decimals, "?" for a missing one."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "?"
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def verdict(status: str, message: str, recomputed=None, lower=None, upper=None, likely_value=None, **fields) -> Finding:
    """A finding explained by the catalogue's message ``message`` with its ``{fields}`` filled in."""
    return Finding(
        status, *both(message, **fields), recomputed=recomputed, lower=lower, upper=upper, likely_value=likely_value
    )


def _either(values, lang: str) -> str:
    """Numbers joined with "or" in ``lang``: "14 or 15"."""
    return f" {text('audit.rule.or', lang)} ".join(map(str, values))


def percentage_counts(pct: float, decimals: int, base: int) -> list[int]:
    """GRIM: every integer count 0..base whose percentage of ``base``, rounded to ``decimals``, is ``pct``."""
    return [k for k in range(base + 1) if round_half_up(100 * k / base, decimals) == round_half_up(pct, decimals)]


def rule_sum(parts, published) -> Finding:
    """The parts add up to the published total."""
    total = sum(int(p) for p in parts)
    if published is None:
        return verdict(NOT_DERIVABLE, "audit.rule.sum_no_total", recomputed=total, total=total)
    if total == published:
        return verdict(CONSISTENT, "audit.rule.sum_ok", recomputed=total, total=total)
    d = published - total
    return verdict(
        INCONSISTENT,
        "audit.rule.sum_off",
        recomputed=total,
        total=total,
        published=fmt(published),
        difference=f"{'+' if d > 0 else ''}{fmt(d)}",
    )


def rule_bounds(published, lower=None, upper=None, what_en="", what_nl="") -> Finding:
    """The published number lies within [lower, upper] (either may be None: unbounded). ``what_en``/``what_nl``
    say what the bounds are (appended to the explanation)."""
    what = {"en": what_en, "nl": what_nl}
    if lower is not None and lower == upper:
        ok = published == lower
        message = "audit.rule.equals" if ok else "audit.rule.should_equal"
        en, nl = (
            text(message, lang, published=fmt(published), value=fmt(lower), what=what[lang]) for lang in ("en", "nl")
        )
        return Finding(CONSISTENT if ok else INCONSISTENT, en, nl, recomputed=lower, lower=lower, upper=upper)
    form = (
        "audit.rule.between"
        if lower is not None and upper is not None
        else "audit.rule.at_least"
        if lower is not None
        else "audit.rule.at_most"
    )
    ok = (lower is None or published >= lower) and (upper is None or published <= upper)
    message = "audit.rule.in_range" if ok else "audit.rule.out_of_range"
    en, nl = (
        text(
            message,
            lang,
            published=fmt(published),
            what=what[lang],
            range=text(form, lang, lower=fmt(lower), upper=fmt(upper)),
        )
        for lang in ("en", "nl")
    )
    return Finding(CONSISTENT if ok else INCONSISTENT, en, nl, lower=lower, upper=upper)


def rule_items_vs_studies(n_items: int, n_studies: int, unit: str = "findings") -> Finding:
    """A count of findings is at least the number of studies they were found in, and zero only with zero studies.
    ``unit``: what is counted (a message of ``audit.unit``: findings, factors, effects)."""
    en, nl = both(f"audit.unit.{unit}")

    def said(status, message, lower):
        return Finding(
            status,
            text(message, "en", n_items=n_items, n_studies=n_studies, unit=en),
            text(message, "nl", n_items=n_items, n_studies=n_studies, unit=nl),
            lower=lower,
        )

    if n_items < n_studies:
        return said(INCONSISTENT, "audit.rule.too_few_items", n_studies)
    if (n_items == 0) != (n_studies == 0):
        return said(INCONSISTENT, "audit.rule.items_without_studies", 1)
    return said(CONSISTENT, "audit.rule.items_from_studies", n_studies)


def rule_study_total(row_studies, published, ceiling=None) -> Finding:
    """A study total lies between the largest row and the sum of the rows (and not above ``ceiling``)."""
    rows = [int(r) for r in row_studies]
    lower, upper = max(rows), sum(rows)
    if ceiling is not None:
        upper = min(upper, ceiling)
    return rule_bounds(published, lower, upper, *both("audit.bound.largest_row_to_sum"))


def _rounding_slips(n: int, base: int, pct: float, decimals: int) -> tuple[str, str] | None:
    """An explanation when ``pct`` is ``n/base`` rounded twice (first to one decimal) or cut off instead of rounded."""
    x = 100 * n / base
    target = round_half_up(pct, decimals)
    if decimals == 0 and round_half_up(round_half_up(x, 1), 0) == target:
        return both("audit.rule.double_rounding", n=n, base=base, exact=x, once=round_half_up(x, 1), target=fmt(target))
    if math.floor(x * 10**decimals) / 10**decimals == target:
        return both("audit.rule.cut_off", n=n, base=base, exact=x, target=fmt(target))
    return None


def _nearby_bases(n: int, base: int, pct: float, decimals: int) -> list[int]:
    """Slightly smaller bases (down to 80 % of ``base``) for which ``n`` gives ``pct``."""
    return [
        b
        for b in range(max(n, math.ceil(0.8 * base)), base)
        if b > 0 and round_half_up(100 * n / b, decimals) == round_half_up(pct, decimals)
    ]


def rule_percentage(n: int, base: int, pct: float, decimals: int) -> Finding:
    """The printed percentage is n/base at the printed precision. If not: which counts (GRIM) or bases would give it,
    and whether a double rounding or a cut-off explains it."""
    computed = round_half_up(100 * n / base, decimals)
    said = dict(n=n, base=base, computed=fmt(computed), pct=fmt(pct))
    if computed == round_half_up(pct, decimals):
        return verdict(CONSISTENT, "audit.rule.percentage_ok", recomputed=computed, **said)
    slip = _rounding_slips(n, base, pct, decimals)
    if slip:
        return Finding(INCONSISTENT, slip[0], slip[1], recomputed=computed)
    counts = percentage_counts(pct, decimals, base)
    bases = _nearby_bases(n, base, pct, decimals)
    if counts:
        en, nl = (
            text(
                "audit.rule.percentage_fits_counts",
                lang,
                counts=_either(counts, lang),
                **said,
                also=text("audit.rule.or_of_bases", lang, n=n, bases=_either(bases, lang)) if bases else "",
            )
            for lang in ("en", "nl")
        )
        return Finding(INCONSISTENT, en, nl, recomputed=computed)
    if bases:
        en, nl = (
            text("audit.rule.percentage_fits_bases", lang, bases=_either(bases, lang), **said) for lang in ("en", "nl")
        )
        return Finding(INCONSISTENT, en, nl, recomputed=computed)
    return verdict(INCONSISTENT, "audit.rule.percentage_unexplained", recomputed=computed, **said)


def rule_count_vs_percentage(
    n: int, base: int, pct: float, decimals: int, row: tuple[int, int] | None = None
) -> Finding:
    """Is the printed count confirmed or contradicted by the printed percentage?

    Confirmed when ``n`` gives the percentage (GRIM), when a double rounding or cut-off of ``n/base`` explains it, or
    when the row's printed total confirms ``n`` (``row`` = (sum of the row's other group cells, printed row total)).
    Contradicted when exactly one count gives the percentage and that count, not ``n``, makes the row add up: that
    count is then the likely value. Not derivable when no integer count gives the percentage."""
    counts = percentage_counts(pct, decimals, base)
    said = dict(n=n, base=base, pct=fmt(pct))
    if n in counts:
        return verdict(CONSISTENT, "audit.rule.count_fits", recomputed=n, **said)
    if _rounding_slips(n, base, pct, decimals):
        return verdict(CONSISTENT, "audit.rule.count_with_slip", **said)
    if row is not None and row[0] + n == row[1]:
        return verdict(CONSISTENT, "audit.rule.count_by_row_total", total=row[1], **said)
    if not counts:
        return verdict(NOT_DERIVABLE, "audit.rule.count_unconfirmable", **said)
    likely = counts[0] if len(counts) == 1 and row is not None and row[0] + counts[0] == row[1] else None
    en, nl = (
        text("audit.rule.count_other", lang, counts=_either(counts, lang), **said)
        + (text("audit.rule.count_likely", lang, likely=likely, total=row[1]) if likely is not None else "")
        for lang in ("en", "nl")
    )
    return Finding(INCONSISTENT, en, nl, recomputed=likely, likely_value=likely)


def rule_traceability(cited: int, reported: int) -> Finding:
    """The studies cited in the text for a code cannot outnumber the studies the table reports; ratio cited/reported."""
    if cited > reported:
        message = "audit.rule.cited_too_many_one" if cited == 1 else "audit.rule.cited_too_many"
        return verdict(INCONSISTENT, message, lower=cited, cited=cited, reported=reported)
    ratio = f"{cited / reported:.0%}" if reported else "-"
    return verdict(CONSISTENT, "audit.rule.cited_share", lower=cited, cited=cited, reported=reported, ratio=ratio)


def rule_prose(stated: int, table_value: int, scope: str) -> Finding:
    """A count in words: equal to the table when it claims the whole category, at most the table for a subset."""
    if scope == "whole":
        return rule_bounds(stated, table_value, table_value, *both("audit.bound.same_category"))
    return rule_bounds(stated, None, table_value, *both("audit.bound.subset"))


def rule_equal(published, recomputed, what_en: str, what_nl: str) -> Finding:
    """The published number equals a number the data gives (``what_en``/``what_nl`` say which)."""
    status = CONSISTENT if published == recomputed else INCONSISTENT
    return Finding(status, f"{what_en}: {fmt(recomputed)}", f"{what_nl}: {fmt(recomputed)}", recomputed=recomputed)
