"""Coded arguments checked in one place.

:func:`check_choice` is the one check every public function uses for a coded
argument (a table name, a code, a language, a hypothesis number, a message id): a
value that is not valid raises ``ValueError`` naming the valid values and the
closest one (:mod:`difflib`), so a typo never returns an empty result.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from numbers import Integral

from .paths import LANGS


def closest(value, valid: Iterable):
    """The valid value most like ``value`` (difflib's ratio on their text, ignoring case), or None when there are
    none."""
    by_text = {str(v).lower(): v for v in valid}
    found = difflib.get_close_matches(str(value).lower(), list(by_text), n=1, cutoff=0.0)
    return by_text[found[0]] if found else None


def check_choice(value, valid: Iterable, what: str):
    """``value`` itself when it is one of ``valid``; otherwise ValueError naming the valid values and the closest.

    Values are compared as given, so 3, 3.0, True and "3" differ (any integer type counts as an integer);
    ``what`` names the argument in the message.
    """
    if type(value) is str and isinstance(valid, (dict, set, frozenset)) and value in valid:
        return value  # a name looked up in a mapping or set (the codebook's tables, the catalogue): one hash look-up
    valid = list(valid)
    kind = _kind(value)
    if kind is str:  # the common case, checked without a call per valid value (same rule: only a str matches)
        found = any(v == value for v in valid if type(v) is str)
    else:
        found = any(_kind(v) is kind and value == v for v in valid)
    if not found:
        near = closest(value, valid)
        hint = f" (did you mean {near!r}?)" if near is not None else ""
        raise ValueError(f"unknown {what} {value!r}{hint}; expected one of {', '.join(map(str, valid))}")
    return value


_BUILTIN_KINDS = {str: str, bool: bool, float: float, int: Integral}


def _kind(value):
    """What must match besides equality: any integer type counts as int (numpy's too), but not bool, float or str."""
    kind = _BUILTIN_KINDS.get(type(value))  # the builtin types without isinstance's ABC look-up: same answer
    if kind is not None:
        return kind
    if isinstance(value, bool):
        return bool
    return Integral if isinstance(value, Integral) else type(value)


def check_lang(lang: str) -> str:
    """``lang`` when it is "nl" or "en"; ValueError with the closest otherwise."""
    return check_choice(lang, LANGS, "language")


def check_codes(values, valid: Iterable, what: str) -> list:
    """A code or a list/tuple of codes, each checked with :func:`check_choice`; returned as a list."""
    valid = list(valid)
    values = [values] if isinstance(values, str) or not isinstance(values, Iterable) else list(values)
    return [check_choice(v, valid, what) for v in values]
