"""docs/architecture.md names every module of peerlearn, and only modules that exist."""

from __future__ import annotations

import re
from pathlib import Path

from peerlearn.paths import REPO_ROOT

DOC = REPO_ROOT / "docs" / "architecture.md"
PACKAGE = REPO_ROOT / "peerlearn"
LAYERS = ("cli", "orchestration", "presentation", "analysis", "data", "foundation")


def package_modules(package: Path = PACKAGE) -> set[str]:
    """Every module and subpackage, named relative to peerlearn (``audit.rules``); the package itself: ``peerlearn``."""
    names = set()
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if "__pycache__" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.add(".".join(parts) or "peerlearn")
    return names


def documented_modules(text: str) -> dict[str, str]:
    """Module -> layer, from the tables under '### <n> <layer>' of the Modules section."""
    found, layer = {}, None
    for line in text.split("\n## Modules", 1)[1].split("\n## ", 1)[0].splitlines():
        if m := re.match(r"### \d (\w+)$", line):
            layer = m.group(1)
        elif m := re.match(r"\| `([\w.]+)` \| (.+) \|$", line):
            assert m.group(1) not in found, f"{m.group(1)} is listed twice in docs/architecture.md"
            assert m.group(2).strip(), f"{m.group(1)}: no job in docs/architecture.md"
            found[m.group(1)] = layer
    return found


def test_every_module_is_documented_and_every_documented_module_exists():
    documented = documented_modules(DOC.read_text(encoding="utf-8"))
    actual = package_modules()
    missing, extra = sorted(actual - set(documented)), sorted(set(documented) - actual)
    assert not missing and not extra, (
        f"docs/architecture.md is out of step with peerlearn/: not described: {', '.join(missing) or 'none'}; "
        f"described but absent: {', '.join(extra) or 'none'}"
    )


def test_every_documented_module_has_a_layer_of_the_target():
    for module, layer in documented_modules(DOC.read_text(encoding="utf-8")).items():
        assert layer in LAYERS, (module, layer)


def test_the_check_sees_a_missing_and_an_invented_module(tmp_path):
    (tmp_path / "pkg").mkdir()
    for name in ("__init__.py", "alpha.py"):
        (tmp_path / "pkg" / name).write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "sub").mkdir()
    (tmp_path / "pkg" / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "sub" / "beta.py").write_text("", encoding="utf-8")
    assert package_modules(tmp_path / "pkg") == {"peerlearn", "alpha", "sub", "sub.beta"}
    doc = "\n## Modules\n\n### 1 cli\n\n| module | job |\n|---|---|\n| `alpha` | Does a. |\n| `gamma` | Does g. |\n"
    assert set(documented_modules(doc)) == {"alpha", "gamma"}
