"""Dependencies, lock, environment.yml, version, licences and citation file: one source each, kept in step.

pyproject.toml says what peerlearn needs (compatible ranges); requirements.lock (pip-compile) is the exact set
that produces the committed bytes; environment.yml pins the direct dependencies at the lock's versions.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import peerlearn
from peerlearn.paths import REPO_ROOT

# conda-forge names that differ from PyPI names (none today; add here when one does)
CONDA_NAMES: dict[str, str] = {}
LOCK = REPO_ROOT / "requirements.lock"
INSTALL = "pip install -r requirements.lock && pip install --no-deps -e . && peerlearn reproduce"
TEST = "pytest"
# The one command that regenerates the lock (pip-compile writes it, options sorted, into the lock's header).
LOCK_COMMAND = (
    "pip-compile --allow-unsafe --extra=notebooks --extra=test --generate-hashes --no-emit-find-links "
    "--no-emit-index-url --output-file=requirements.lock --strip-extras pyproject.toml"
)
EXTRAS = ("notebooks", "test")
# sha256 of the standard text of the CC BY 4.0 legal code (creativecommons.org's legalcode.txt)
CC_BY_4_SHA256 = "9e5f1b3c610b9c2da5c313bf81d577a7d1acec686bdb0384edefa6df0f90cd94"


def _project() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _requirements(*extras: str) -> dict[str, Requirement]:
    """The direct requirements of pyproject.toml (run time, plus the named extras), by canonical name."""
    project = _project()
    reqs = list(project["dependencies"]) + [r for e in extras for r in project["optional-dependencies"][e]]
    return {canonicalize_name(Requirement(r).name): Requirement(r) for r in reqs}


def _lock() -> dict[str, dict]:
    """requirements.lock as {name: {"version", "hashes", "via"}}."""
    entries: dict[str, dict] = {}
    current = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9._-]+)==(\S+)", line)
        if m:
            current = entries.setdefault(
                canonicalize_name(m.group(1)), {"version": m.group(2), "hashes": [], "via": ""}
            )
        elif current is not None:
            current["hashes"] += re.findall(r"--hash=sha256:([0-9a-f]{64})", line)
            if line.strip().startswith("#"):
                current["via"] += line.strip("# ") + "\n"
    return entries


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


def test_dependencies_are_ranges_not_pins():
    for name, req in _requirements(*EXTRAS).items():
        ops = {s.operator for s in req.specifier}
        assert ops and "==" not in ops and "===" not in ops, f"{name}: {req.specifier} (exact pins belong in the lock)"
        assert any(op in ops for op in ("<", "~=")), f"{name}: {req.specifier} has no upper bound"


def _third_party_imports(sources) -> set[str]:
    """Top-level names of the modules imported anywhere in ``sources`` (also inside functions), not stdlib or ours."""
    names = set()
    for text in sources:
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("peerlearn", "__future__")}


def _distributions(modules: set[str]) -> set[str]:
    found = importlib.metadata.packages_distributions()
    missing = sorted(m for m in modules if m not in found)
    assert not missing, f"imported but not installed: {missing}"
    return {canonicalize_name(d) for m in modules for d in found[m]}


def test_run_time_dependencies_are_what_peerlearn_imports():
    """[project.dependencies] is exactly what the library imports; what only the notebook runner needs
    (papermill, nbconvert, the kernel) is the 'notebooks' extra; nothing imported is left undeclared."""
    library = [p.read_text(encoding="utf-8") for p in sorted((REPO_ROOT / "peerlearn").rglob("*.py"))]
    notebooks = [
        c["source"] if isinstance(c["source"], str) else "".join(c["source"])
        for p in sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
        for c in json.loads(p.read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "code"
    ]
    runner = {
        "reproduce",
        "site.py",
        "docpages.py",
        "walkthrough.py",
        "lean_imports.py",
    }  # reproduce: the package, all of it
    runner_src = [
        p.read_text(encoding="utf-8")
        for p in sorted((REPO_ROOT / "peerlearn").rglob("*.py"))
        if p.relative_to(REPO_ROOT / "peerlearn").parts[0] in runner
    ]
    imported = _distributions(_third_party_imports(library + notebooks))
    run_time, notebook_extra = set(_requirements()), set(_requirements("notebooks")) - set(_requirements())
    assert imported <= run_time | notebook_extra, (
        f"imported but not declared: {sorted(imported - run_time - notebook_extra)}"
    )
    assert run_time <= imported, f"declared but never imported: {sorted(run_time - imported)}"
    # the runner's imports come with the extra; so does the kernel, which nothing imports
    kernel = {canonicalize_name("ipykernel")}
    assert _distributions(_third_party_imports(runner_src)) - run_time <= notebook_extra
    assert notebook_extra - kernel <= imported, f"extra never imported: {sorted(notebook_extra - kernel - imported)}"
    assert "seaborn" not in run_time | notebook_extra  # its style is stored as data (figures.SEABORN_WHITE_NOTEBOOK)


def test_lock_pins_every_requirement_within_its_range_with_hashes():
    lock, wanted = _lock(), _requirements(*EXTRAS)
    assert len(lock) > len(wanted)
    for name, req in wanted.items():
        assert name in lock, f"{name} is in pyproject.toml but not in requirements.lock: regenerate the lock"
        assert req.specifier.contains(lock[name]["version"], prereleases=True), (
            f"{name}: the lock's {lock[name]['version']} is outside pyproject's {req.specifier}"
        )
    for name, entry in lock.items():
        assert entry["hashes"], f"{name} has no hash in the lock"
    # a requirement dropped from pyproject.toml leaves no line that only it needed
    direct = {n for n, e in lock.items() if "peerlearn (pyproject.toml)" in e["via"]}
    assert direct == set(wanted), f"lock out of date: {sorted(direct ^ set(wanted))}"


def test_lock_is_made_by_the_command_in_the_readme():
    header = LOCK.read_text(encoding="utf-8").split("\n\n")[0]
    # made on 3.12, which needs a superset of 3.11's and 3.13's packages (papermill adds aiohttp on 3.12 only)
    assert "# This file is autogenerated by pip-compile with Python 3.12\n" in header
    assert f"#    {LOCK_COMMAND}\n" in header + "\n", "requirements.lock was not made by LOCK_COMMAND"
    assert LOCK_COMMAND in (REPO_ROOT / "docs" / "development.md").read_text(encoding="utf-8")


def test_environment_yml_pins_the_direct_dependencies_at_the_locked_versions():
    lock, wanted = _lock(), _requirements(*EXTRAS)
    conda, pip = _environment_yml()
    have = {}
    for line in conda:
        name, _, version = line.partition("==")
        if name not in ("python=3.11", "pip"):
            have[CONDA_NAMES.get(canonicalize_name(name), canonicalize_name(name))] = version
    assert set(have) == set(wanted)
    for name in wanted:
        assert have[name] == lock[name]["version"], (
            f"environment.yml pins {name} {have[name]}, the lock {lock[name]['version']}"
        )
    assert "python=3.11" in conda and pip == ["-e ."]
    text = (REPO_ROOT / "environment.yml").read_text(encoding="utf-8")
    assert re.search(r"^channels:\n  - conda-forge$", text, re.M)


def test_readme_states_the_two_commands_and_the_tested_versions():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert INSTALL in readme and f"\n{TEST} " in readme
    assert "3.11, 3.12 and 3.13" in readme
    classifiers = {
        c.rsplit(" ", 1)[-1] for c in _project()["classifiers"] if c.startswith("Programming Language :: Python :: 3.")
    }
    assert classifiers == {"3.11", "3.12", "3.13"}


def test_ci_runs_the_readme_commands_on_every_tested_python():
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv" in ci and "pip install -r requirements.lock" in ci and "pytest\n" in ci
    for version in ("3.12", "3.13"):
        assert version in ci
    assert "peerlearn reproduce" in ci and "git diff --exit-code" in ci and 'pytest -m "not slow"' in ci


def test_one_version_number():
    project = _project()
    assert "version" not in project and "version" in project["dynamic"]
    assert tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "dynamic"
    ] == {"version": {"attr": "peerlearn.__version__"}}
    assert importlib.metadata.version("peerlearn") == peerlearn.__version__, "reinstall: pip install --no-deps -e ."
    cff = (REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf'^version: "{re.escape(peerlearn.__version__)}"$', cff, re.M)


def test_licences_are_an_spdx_expression_with_both_texts():
    project = _project()
    assert project["license"] == "MIT AND CC-BY-4.0"
    files = sorted(p for pattern in project["license-files"] for p in REPO_ROOT.glob(pattern))
    assert [p.relative_to(REPO_ROOT).as_posix() for p in files] == ["LICENSE", "LICENSES/CC-BY-4.0.txt"]
    assert (REPO_ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert hashlib.sha256((REPO_ROOT / "LICENSES" / "CC-BY-4.0.txt").read_bytes()).hexdigest() == CC_BY_4_SHA256
    cff = (REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^license:\n  - MIT\n  - CC-BY-4.0\n", cff, re.M)  # cffconvert wants a list, not an expression


@pytest.mark.slow  # two more pytest sessions, one with a kernel
def test_pytest_works_from_any_folder_of_the_repository():
    """The nbval sanitizer is named by its absolute path (it was a path relative to the repository root, which
    broke every notebook test run from notebooks/)."""
    book = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))[0].name
    for folder, args in (("notebooks", [f"{book}::Cell 0"]), ("tests", ["--collect-only", "-m", "not slow"])):
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
            cwd=REPO_ROOT / folder,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"pytest in {folder}/:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        assert re.search(r"\b1 passed\b" if folder == "notebooks" else r"\d+ tests? collected", result.stdout)


def _new_venv(path: Path, see: Path | None = None) -> Path:
    """A virtual environment at ``path`` (with pip); with ``see``, it also imports the packages of this
    environment (a .pth line), so nothing has to be downloaded. Returns its python."""
    venv.EnvBuilder(with_pip=True).create(path)
    python = path / "bin" / "python"
    if see is not None:
        purelib = subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (Path(purelib) / "_peerlearn_test_env.pth").write_text(f"{see}\n", encoding="utf-8")
    return python


@pytest.mark.slow
def test_citation_cff_is_valid_for_cffconvert(tmp_path):
    """cffconvert --validate, in a venv of its own (it pins jsonschema<4, which other test tools cannot share)."""
    python = _new_venv(tmp_path / "venv")
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "cffconvert==2.0.0"], capture_output=True, text=True, timeout=600
    )
    assert install.returncode == 0, install.stderr[-2000:]
    result = subprocess.run(
        [tmp_path / "venv" / "bin" / "cffconvert", "--validate", "-i", REPO_ROOT / "CITATION.cff"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Citation metadata are valid according to schema version 1.2.0." in result.stdout + result.stderr


def test_notebooks_record_no_python_version(tmp_path):
    """The same bytes on 3.11, 3.12 and 3.13: reproduce drops the kernel's version (was: "version": "3.11.7")."""
    from peerlearn.reproduce import clean_notebook

    for path in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        assert "version" not in json.loads(path.read_text(encoding="utf-8"))["metadata"]["language_info"], path.name
    book = tmp_path / "nb.ipynb"
    nb = json.loads((REPO_ROOT / "notebooks" / "02_characteristics_and_countries.ipynb").read_text(encoding="utf-8"))
    nb["metadata"]["language_info"]["version"] = ".".join(map(str, sys.version_info[:3]))
    book.write_text(json.dumps(nb), encoding="utf-8")
    clean_notebook(book)
    cleaned = json.loads(book.read_text(encoding="utf-8"))["metadata"]["language_info"]
    assert "version" not in cleaned and cleaned["name"] == "python"


def test_every_subpackage_is_shipped():
    """setuptools ships only the packages pyproject.toml lists: a new subpackage left out would be missing from an
    installed peerlearn (a checkout would still work, so no other fast test notices)."""
    listed = set(
        tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    )
    found = {"peerlearn", "peerlearn.data"} | {
        "peerlearn." + ".".join(p.parent.relative_to(REPO_ROOT / "peerlearn").parts)
        for p in (REPO_ROOT / "peerlearn").rglob("__init__.py")
        if p.parent != REPO_ROOT / "peerlearn"
    }
    assert listed == found
