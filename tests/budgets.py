"""Example budgets of the property-based (hypothesis) tests.

``examples(n)`` is the budget a test is written with in the full run (``pytest``), and at most ``FAST`` in the
fast loop (``pytest -m "not slow"``: tests/conftest.py sets ``fast_loop`` before any test module is imported).
The same properties are checked either way; the full run tries more inputs. ``fuzz(n)`` is the settings of a fuzz
test with that budget.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

FAST = 10
fast_loop = False


def examples(n: int) -> int:
    return min(n, FAST) if fast_loop else n


def fuzz(n: int) -> settings:
    """Settings of a fuzz test with the budget ``examples(n)``: the same inputs on every run (derandomized, no example
    database), no deadline, and no complaint that building a corpus per input is slow."""
    return settings(
        derandomize=True,
        deadline=None,
        max_examples=examples(n),
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
