"""The notebook tools are imported without jsonschema's slow optional IRI grammar, and still validate notebooks."""
from __future__ import annotations

import subprocess
import sys

from peerlearn.lean_imports import SLOW_OPTIONAL_MODULE

PROBE = f"""
import importlib.util, sys
print(importlib.util.find_spec("{SLOW_OPTIONAL_MODULE}") is not None)
{{setup}}
import nbformat
from peerlearn.reproduce import notebooks
for path in notebooks():
    nbformat.validate(nbformat.read(path, as_version=4))  # raises on an invalid notebook
print(sys.modules.get("{SLOW_OPTIONAL_MODULE}") is not None)
"""


def _probe(setup: str) -> list[str]:
    """[whether the grammar package is installed, whether it was imported], from a fresh process."""
    return subprocess.run([sys.executable, "-c", PROBE.format(setup=setup)], capture_output=True, text=True,
                          check=True).stdout.split()


def test_nbformat_validates_our_notebooks_without_the_iri_grammar():
    installed, imported = _probe("")
    # Without the guard jsonschema imports the grammar whenever it is installed (the cost the guard avoids) ...
    assert imported == installed
    # ... and with it the grammar is never imported, while every notebook still validates.
    assert _probe("from peerlearn.lean_imports import skip_iri_grammar; skip_iri_grammar()") == [installed, "False"]


def test_every_place_that_imports_the_notebook_tools_skips_the_grammar_first():
    from pathlib import Path

    import peerlearn

    for path in Path(peerlearn.__file__).parent.glob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.strip().startswith(("import nbformat", "import papermill", "from nbconvert", "import nbconvert")):
                before = "\n".join(lines[max(0, i - 4):i])
                assert "skip_iri_grammar()" in before, f"{path.name}:{i + 1} imports a notebook tool without skip_iri_grammar()"
