"""Where peerlearn's folders are, derived from the package's own location, and the settings every layer shares.

The languages (:data:`LANGS`, the report's own :data:`DEFAULT_LANG` first) and where each language's outputs go
(:func:`destination`, :func:`site_dir`) are decided here, once, for ``reproduce``, ``site`` and the rest.

Nothing here depends on the working directory. In a checkout of the repository (data/raw/ and notebooks/
beside the package, as with ``pip install -e .``) every folder is the checkout's; ``$PEERLEARN_ROOT``
(``peerlearn reproduce --root PATH``) names another checkout. An installed package outside a checkout
(``pip install .``) reads the corpus from its own copy of data/raw, shipped as package data
(``peerlearn/data``) and found through importlib.resources. The raw-data folder can be overridden per call
(``data_dir=``) or for a whole session with the environment variable ``PEERLEARN_DATA_DIR``.

``REPO_ROOT``, ``RAW_DIR``, ``PROCESSED_DIR``, ``FIGURES_DIR``, ``NOTEBOOKS_DIR``, ``BUILD_DIR`` and ``WORK_DIR``
are computed when they are imported, so a root set by the command line is seen by the modules it imports afterwards.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from importlib import resources
from pathlib import Path

DATA_DIR_ENV = "PEERLEARN_DATA_DIR"
ROOT_ENV = "PEERLEARN_ROOT"
PACKAGE_DATA = "data"  # peerlearn/data in a built package: data/raw, mapped by pyproject's package-dir
_PACKAGE_PARENT = Path(__file__).resolve().parent.parent
LANGS = ("nl", "en")  # the languages of every text, label, figure and site
DEFAULT_LANG = "nl"  # the report's language: its outputs are the committed ones


def is_checkout(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a checkout of the repository: data/raw/datapackage.json and notebooks/ in it."""
    path = Path(path)
    return (path / "data" / "raw" / "datapackage.json").is_file() and (path / "notebooks").is_dir()


def checkout_root() -> Path | None:
    """The checkout in use: $PEERLEARN_ROOT, else the one the package lies in, else None (an installed package)."""
    env = os.environ.get(ROOT_ENV)
    if env:
        return Path(env).resolve()
    return _PACKAGE_PARENT if _package_in_checkout() else None


@functools.cache
def _package_in_checkout() -> bool:
    """Whether the package lies in a checkout: a fact of how it was installed, looked up once per process."""
    return is_checkout(_PACKAGE_PARENT)


def package_data_dir() -> Path:
    """The copy of data/raw inside an installed package (``peerlearn/data``)."""
    folder = resources.files(__package__) / PACKAGE_DATA
    if not isinstance(folder, Path):  # e.g. a package imported from a zip file: the loaders need real files
        raise FileNotFoundError(f"peerlearn's corpus is not a folder on disk ({folder}); install peerlearn unzipped")
    return folder


def raw_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The folder holding the coded corpus: ``data_dir``, else $PEERLEARN_DATA_DIR, else the checkout's
    data/raw, else the package's own copy."""
    if data_dir is not None:
        return Path(data_dir)
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    return default_raw_dir()


def default_raw_dir() -> Path:
    """The corpus peerlearn ships: the checkout's data/raw, else the package's own copy."""
    root = checkout_root()
    return root / "data" / "raw" if root is not None else package_data_dir()


def _root() -> Path:
    return checkout_root() or _PACKAGE_PARENT  # outside a checkout: where the package lies (nothing to reproduce)


def is_committed_corpus(data_dir=None) -> bool:
    """Whether the corpus in use (``data_dir``, else $PEERLEARN_DATA_DIR, else data/raw) is the committed one."""
    chosen = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV)
    return chosen is None or Path(chosen).resolve() == default_raw_dir().resolve()


def corpus_in_use(data_dir=None) -> str | None:
    """None for the committed corpus; else the resolved path of the corpus folder in use (``data_dir``, else
    $PEERLEARN_DATA_DIR), as notebooks and kernels are given it."""
    if is_committed_corpus(data_dir):
        return None
    return str(Path(data_dir if data_dir is not None else os.environ[DATA_DIR_ENV]).resolve())


def corpus_dir(data_dir=None) -> Path:
    """The build folder of the corpus in use: build/ for the committed corpus, build/corpora/<name>-<hash>/ for
    any other (the folder's name and a short hash of its resolved path), so two corpora never share outputs."""
    build = _root() / "build"
    if is_committed_corpus(data_dir):
        return build
    folder = Path(data_dir if data_dir is not None else os.environ[DATA_DIR_ENV]).resolve()
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", folder.name).strip("._") or "corpus"
    return build / "corpora" / f"{name[:40]}-{hashlib.sha256(str(folder).encode()).hexdigest()[:8]}"


def destination(lang: str, data_dir=None) -> Path:
    """Where ``peerlearn reproduce`` puts a language's outputs (executed notebooks, figures, tables): the repository
    (the committed outputs) for the committed corpus in :data:`DEFAULT_LANG`; else <corpus build folder>/<lang>/."""
    if lang == DEFAULT_LANG and is_committed_corpus(data_dir):
        return _root()
    return corpus_dir(data_dir) / lang


def site_dir(lang: str, data_dir=None) -> Path:
    """The site's folder: build/site/<lang>/ for the committed corpus, else <corpus build folder>/site/<lang>/."""
    return corpus_dir(data_dir) / "site" / lang


def __getattr__(name: str) -> Path:
    if name == "RAW_DIR":
        return default_raw_dir()
    root = _root()
    folders = {
        "REPO_ROOT": root,
        "PROCESSED_DIR": root / "data" / "processed",
        "FIGURES_DIR": root / "figures",
        "NOTEBOOKS_DIR": root / "notebooks",
        "BUILD_DIR": root / "build",
        "WORK_DIR": root / ".reproduce",
    }  # WORK_DIR: `peerlearn reproduce`'s lock, journal, stage and cache
    if name in folders:
        return folders[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
