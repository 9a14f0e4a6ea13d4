"""pyproject.toml is the single source of truth; environment.yml, README and CI follow it."""
from __future__ import annotations

import re
import tomllib

from peerlearn.paths import REPO_ROOT

# conda-forge names that differ from PyPI names (none today; add here when one does)
CONDA_NAMES: dict[str, str] = {}
INSTALL = 'pip install -e . && peerlearn reproduce'
TEST = 'pip install -e ".[test]" && pytest'


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def _environment_yml():
    """The dependencies of environment.yml, read without a YAML library (the file is a simple list)."""
    conda, pip, section = [], [], None
    for line in (REPO_ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        if re.match(r"^\S", line):
            section = line.split(":")[0]
        elif section == "dependencies":
            m = re.match(r"^  - (.+)$", line)
            n = re.match(r"^      - (.+)$", line)
            if m and not m.group(1).startswith("pip:"):
                conda.append(m.group(1))
            elif n:
                pip.append(n.group(1))
    return conda, pip


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r): r for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    conda, pip = _environment_yml()
    have = {CONDA_NAMES.get(_name(r), _name(r)): r for r in conda if _name(r) not in ("python", "pip")}
    assert set(have) == set(wanted)
    for name, requirement in wanted.items():
        assert have[name].replace(" ", "") == requirement.replace(" ", ""), name
    assert "python=3.11" in conda and pip == ["-e ."]
    text = (REPO_ROOT / "environment.yml").read_text(encoding="utf-8")
    assert re.search(r"^channels:\n  - conda-forge$", text, re.M)


def test_readme_states_the_two_commands():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert INSTALL in readme and TEST in readme


def test_ci_runs_the_readme_test_command_in_a_fresh_venv():
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv" in ci and TEST in ci
