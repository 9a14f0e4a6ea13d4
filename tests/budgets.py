"""Example budgets of the property-based (hypothesis) tests.

``examples(n)`` is the budget a test is written with in the full run (``pytest``), and at most ``FAST`` in the
fast loop (``pytest -m "not slow"``: tests/conftest.py sets ``fast_loop`` before any test module is imported).
The same properties are checked either way; the full run tries more inputs.
"""

from __future__ import annotations

FAST = 10
fast_loop = False


def examples(n: int) -> int:
    return min(n, FAST) if fast_loop else n
