"""Import the notebook tools (papermill, nbformat, nbconvert) without a two-second detour.

nbformat validates notebooks with jsonschema, and jsonschema, when it is imported, also imports the optional
package ``rfc3987_syntax`` if it is installed (it is: jupyter-events asks for ``jsonschema[format-nongpl]``).
That package compiles its grammar on import, which costs about 2 s in every process that imports nbformat
(reported upstream: python-jsonschema/jsonschema#1392 and #1521). The grammar only serves jsonschema's "iri" and
"iri-reference" format checks; nbformat validates without format checks, so nothing here ever uses it.

:func:`skip_iri_grammar` marks the package as absent in this process before nbformat is imported; jsonschema
then simply does not register those two checks. It changes nothing in kernels or other processes.
"""

from __future__ import annotations

import sys

SLOW_OPTIONAL_MODULE = "rfc3987_syntax"


def skip_iri_grammar() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in this process (no effect once it has been imported)."""
    sys.modules.setdefault(SLOW_OPTIONAL_MODULE, None)  # None in sys.modules: `import` raises ImportError
