"""`pip install .` (not editable) outside the repository: the corpus ships inside the wheel.

One wheel is built from a copy of the working tree (pip, with build isolation) and installed with --no-deps
into a new virtual environment that borrows this environment's packages (so nothing else is downloaded),
then used from a folder outside any checkout.
"""

from __future__ import annotations

import csv
import email
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import peerlearn
from peerlearn import site
from peerlearn.paths import RAW_DIR, REPO_ROOT
from reliability import checksums, copy_repo
from test_packaging import _new_venv, _project

pytestmark = pytest.mark.slow
IGNORED = shutil.ignore_patterns(
    ".git", ".venv*", "venv", "build", ".reproduce", "__pycache__", "*.egg-info", ".pytest_cache", ".ipynb_checkpoints"
)


def _env() -> dict[str, str]:
    """No PEERLEARN_* settings, no PYTHONPATH: the installed package alone. The borrowed packages' data files
    (nbconvert's templates) are found through JUPYTER_PATH, as they would be in the environment itself."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERLEARN_") and k != "PYTHONPATH"}
    return {**env, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(wheel, the new environment's bin/ folder, a working folder outside the repository)."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    shutil.copytree(REPO_ROOT, source, ignore=IGNORED)
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist", source],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    (wheel,) = (base / "dist").glob("peerlearn-*.whl")
    python = _new_venv(base / "venv", see=Path(sysconfig.get_paths()["purelib"]))
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    (base / "elsewhere").mkdir()
    return wheel, python.parent, base / "elsewhere"


def run(bin_dir: Path, cwd: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [bin_dir / args[0], *args[1:]], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=900
    )


def test_the_wheel_ships_data_raw_as_package_data_and_both_licences(installed):
    wheel, _, _ = installed
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        shipped = {n.removeprefix("peerlearn/data/") for n in names if n.startswith("peerlearn/data/")}
        assert shipped == {p.name for p in RAW_DIR.iterdir() if p.is_file()}
        for name in shipped:
            assert z.read(f"peerlearn/data/{name}") == (RAW_DIR / name).read_bytes(), name
        assert "peerlearn/explorer.js" in names  # the evidence explorer's script, which the site copies beside its page
        assert {"peerlearn/site.css", "peerlearn/site_page.html.j2"} <= names  # the site's stylesheet and page template
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        assert {f"{info}/licenses/LICENSE", f"{info}/licenses/LICENSES/CC-BY-4.0.txt"} <= names
        meta = email.message_from_bytes(z.read(f"{info}/METADATA"))
    assert meta["License-Expression"] == "MIT AND CC-BY-4.0"
    assert meta["Version"] == peerlearn.__version__
    run_time = [r for r in meta.get_all("Requires-Dist") if "extra ==" not in r]
    assert {Requirement(r) for r in run_time} == {Requirement(r) for r in _project()["dependencies"]}
    # the corpus is not stored twice in git: peerlearn/data exists only in the built package
    tracked = subprocess.run(["git", "ls-files", "peerlearn"], cwd=REPO_ROOT, capture_output=True, text=True).stdout
    assert "peerlearn/data/" not in tracked and not (REPO_ROOT / "peerlearn" / "data").exists()


def test_loaders_read_the_shipped_corpus_outside_a_checkout(installed, corpus):
    _, bin_dir, elsewhere = installed
    with open(RAW_DIR / "studies.csv", newline="", encoding="utf-8") as f:
        rows = sum(1 for _ in csv.DictReader(f))
    code = (
        "import peerlearn as pl, peerlearn.paths as p; "
        "print(p.checkout_root(), pl.__file__.startswith(str(p.package_data_dir().parent)), "
        "len(pl.load_studies()), len(pl.load_pathways()), pl.__version__)"
    )
    result = run(bin_dir, elsewhere, "python", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "None",
        "True",
        str(rows),
        str(len(peerlearn.load_pathways())),
        peerlearn.__version__,
    ]
    assert (
        "site-packages" in run(bin_dir, elsewhere, "python", "-c", "import peerlearn; print(peerlearn.__file__)").stdout
    )
    # data_dir= and $PEERLEARN_DATA_DIR still choose another corpus
    (corpus / "studies.csv").write_text(
        (corpus / "studies.csv").read_text(encoding="utf-8").replace(",", ";", 1), encoding="utf-8"
    )
    code = (
        f"import peerlearn as pl\ntry:\n pl.load_studies(data_dir={str(corpus)!r})\n"
        f"except pl.CorpusError as e:\n print('invalid', e.problems[0].file)"
    )
    result = run(bin_dir, elsewhere, "python", "-c", code)
    assert result.stdout.startswith("invalid") and "studies.csv" in result.stdout, result.stdout + result.stderr
    env_run = subprocess.run(
        [bin_dir / "peerlearn", "validate"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env={**_env(), "PEERLEARN_DATA_DIR": str(corpus)},
        timeout=300,
    )
    assert env_run.returncode == 1 and "studies.csv" in env_run.stderr
    ok = run(bin_dir, elsewhere, "peerlearn", "validate")
    assert ok.returncode == 0 and ok.stdout.startswith("corpus valid"), ok.stdout + ok.stderr


def test_the_installed_package_renders_a_page_as_the_checkout_does(installed):
    """The page template and the stylesheet are package files: an installed peerlearn finds them outside a checkout
    and renders a notebook's page with the same bytes as the checkout's code."""
    _, bin_dir, elsewhere = installed
    books = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    code = (
        "import sys; from pathlib import Path; from peerlearn import site; "
        f"books = [Path(b) for b in {[str(b) for b in books]!r}]; "
        "sys.stdout.write(site.render_page(books[0], 'nl', books)[1])"
    )
    result = run(bin_dir, elsewhere, "python", "-c", code)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == site.render_page(books[0], "nl", books)[1]
    assert site.CSP in result.stdout and ".peerlearn-nav a { margin-right" in result.stdout  # the head and stylesheet


def test_reproduce_outside_a_checkout_says_so_in_one_line(installed, tmp_path):
    _, bin_dir, elsewhere = installed
    for args in (("reproduce",), ("site",), ("reproduce", "--root", str(tmp_path))):
        result = run(bin_dir, elsewhere, "peerlearn", *args)
        assert result.returncode == 2 and result.stdout == "", result.stdout + result.stderr
        assert len(result.stderr.splitlines()) == 1 and "checkout" in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_reproduce_with_root_reproduces_a_checkout(installed, tmp_path):
    """The installed package (not the checkout's code) re-runs the checkout's notebooks; no committed byte changes."""
    _, bin_dir, elsewhere = installed
    root = copy_repo(tmp_path / "checkout")
    committed = checksums(root)
    result = run(bin_dir, elsewhere, "peerlearn", "reproduce", "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 file(s) changed under ." in result.stdout, result.stdout
    assert checksums(root) == committed
    assert not any(elsewhere.iterdir())
