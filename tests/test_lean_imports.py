"""The notebook tools are imported without jsonschema's slow optional IRI grammar, and still validate notebooks."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from peerlearn.lean_imports import SLOW_OPTIONAL_MODULE

PROBE = """
import sys
{setup}
import jsonschema, nbformat
from peerlearn.reproduce import notebooks
for path in notebooks():
    nbformat.validate(nbformat.read(path, as_version=4))  # raises on an invalid notebook
print("iri" in jsonschema.FormatChecker.checkers, "{module}" in sys.modules and sys.modules["{module}"] is not None)
"""


def _probe(setup: str) -> list[str]:
    """[whether jsonschema registered its "iri" format check, whether the grammar was imported], from a fresh
    process."""
    code = PROBE.format(setup=setup, module=SLOW_OPTIONAL_MODULE)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


@pytest.mark.skipif(
    importlib.util.find_spec(SLOW_OPTIONAL_MODULE) is None,
    reason=f"{SLOW_OPTIONAL_MODULE} is not installed: there is nothing to skip",
)
def test_nbformat_validates_our_notebooks_without_the_iri_grammar():
    # Without the guard jsonschema imports the grammar and registers the "iri" check it serves (the cost) ...
    assert _probe("") == ["True", "True"]
    # ... and with it neither happens, while every notebook still validates.
    assert _probe("from peerlearn.lean_imports import skip_iri_grammar; skip_iri_grammar()") == ["False", "False"]


def test_every_place_that_imports_the_notebook_tools_skips_the_grammar_first():
    from pathlib import Path

    import peerlearn

    for path in Path(peerlearn.__file__).parent.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.strip().startswith(("import nbformat", "import papermill", "from nbconvert", "import nbconvert")):
                before = "\n".join(lines[max(0, i - 4) : i])
                assert "skip_iri_grammar()" in before, (
                    f"{path.name}:{i + 1} imports a notebook tool without skip_iri_grammar()"
                )
