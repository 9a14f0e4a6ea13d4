"""The cache of ``peerlearn reproduce``: a notebook is executed again only when something it depends on changed.

One entry per notebook and destination, ``.reproduce/cache/<destination>/<notebook>.json`` (never committed: a
fresh clone has none, so its first run executes everything). An entry holds what the notebook's last successful
run depended on and what it wrote:

- its inputs (:func:`inputs`): the notebook's bytes, its parameters (``lang``, ``data_dir``), the language, the
  peerlearn source, the installed versions of the libraries peerlearn and the notebook runner need, and Python;
- the corpus files it read (noted while it ran: see :mod:`peerlearn.record`), else every corpus file, with their
  hashes; the codebook (``datapackage.json``) always;
- its outputs (executed notebook, tables, figures) with their hashes, and its site page.

A notebook is reused only when all of these are unchanged and every output in the destination still has the bytes
it had (a deleted or edited output makes the notebook run again): :func:`stale` says why not. Reusing copies
the outputs into the stage (:func:`reuse`), so the commit, the stray-output check and the site see the same
complete stage a full run writes. Entries are written whole (``peerlearn.output``) by the run that holds the
lock, after its commit, and checked before use like the journal (:func:`check_entry`): an entry cannot make
``reproduce`` read or write outside the corpus, the destination's output folders and the stage.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..codebook import CODEBOOK_FILE
from ..output import OUTPUT_FOLDERS, atomic_write_bytes
from ..paths import REPO_ROOT, WORK_DIR
from ..record import read_back
from .journal import plain

VERSION = 1
CACHE_DIR = WORK_DIR / "cache"  # one folder of entries per destination (see folder())
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # peerlearn/, whose every source file is an input
RUNNER = ("papermill", "nbclient", "nbformat", "nbconvert", "ipykernel", "jupyter_client")  # besides peerlearn's needs
REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
HEX = re.compile(r"[0-9a-f]{64}")
ENTRY_KEYS = {"version", "notebook", "inputs", "reads", "outputs", "page"}
INPUT_NAMES = {
    "notebook": "the notebook changed",
    "parameters": "its parameters changed",
    "lang": "the language changed",
    "peerlearn": "the peerlearn source changed",
    "libraries": "library versions changed",
    "python": "the Python version changed",
}


class EntryError(Exception):
    """A cache entry that ``peerlearn reproduce`` could not have written; it is ignored (the notebook runs)."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a regular file's bytes, or None when it is missing or not a regular file."""
    try:
        return digest(path.read_bytes()) if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


def source_digest() -> str:
    """One hash of every peerlearn source file (names and bytes)."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    """name -> installed version of every distribution peerlearn and the notebook runner need, transitively
    (requirements that only an extra asks for aside; one marked for another platform is noted as absent).
    Read from the ``*.dist-info`` folders on ``sys.path`` (the first one of a name wins, as for import)."""
    installed: dict[str, tuple[Path, str]] = {}
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for n in names:
            if n.endswith(".dist-info"):
                name, _, version = n[: -len(".dist-info")].partition("-")
                installed.setdefault(_normal(name), (Path(entry or ".") / n, version))
    found: dict[str, str] = {}
    todo = ["peerlearn", *RUNNER]
    while todo:
        name = _normal(todo.pop())
        if name in found:
            continue
        if name not in installed:
            found[name] = "absent"
            continue
        path, found[name] = installed[name]
        todo += _requires(path / "METADATA")
    return dict(sorted(found.items()))


def _requires(metadata: Path) -> list[str]:
    """The names in a distribution's ``Requires-Dist`` headers, leaving out those only an extra asks for."""
    try:
        text = metadata.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    names = []
    for line in text.split("\n\n", 1)[0].splitlines():
        if line.startswith("Requires-Dist:"):
            requirement = line.partition(":")[2].strip()
            if "extra" not in requirement.partition(";")[2]:
                names.append(REQUIREMENT_NAME.match(requirement).group(0))
    return names


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def python_version() -> str:
    return sys.version


def notebook_digest(book: Path) -> str | None:
    """A hash of what a notebook runs: each cell's type, source and tags, and the kernel it asks for; not its outputs
    (in the committed tree the executed notebook replaces its source) nor the cell papermill injects."""
    try:
        nb = json.loads(book.read_text(encoding="utf-8"))
        cells = [
            [c.get("cell_type"), _text(c.get("source")), c.get("metadata", {}).get("tags", [])]
            for c in nb["cells"]
            if "injected-parameters" not in c.get("metadata", {}).get("tags", [])
        ]
        kernel = nb.get("metadata", {}).get("kernelspec")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return file_digest(book)  # unreadable as a notebook: its bytes (running it reports what is wrong)
    return digest(json.dumps([cells, kernel], sort_keys=True).encode("utf-8"))


def _text(source) -> str:
    """A cell's source as one string (the notebook format allows a string or a list of lines)."""
    return "".join(source) if isinstance(source, list) else source


def inputs(book: Path, lang: str, parameters: dict, shared: dict) -> dict:
    """What a notebook's run depends on besides the corpus; ``shared``: :func:`shared_inputs` (computed once a run)."""
    return {
        "notebook": notebook_digest(book),
        "parameters": {k: str(v) for k, v in sorted(parameters.items())},
        "lang": lang,
        **shared,
    }


def shared_inputs() -> dict:
    return {"peerlearn": source_digest(), "libraries": library_versions(), "python": python_version()}


def corpus_files(corpus: Path) -> dict[str, str]:
    """relative path -> hash of every file of the corpus folder (hidden ones aside)."""
    return {
        p.relative_to(corpus).as_posix(): file_digest(p)
        for p in sorted(corpus.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(corpus).parts)
    }


def folder(cache_dir: Path, dest: Path) -> Path:
    """Where the entries of one destination live: .reproduce/cache/<'.', or root+<its path, '/' as '+'>>."""
    try:
        rel = dest.resolve().relative_to(REPO_ROOT.resolve()).as_posix()
    except ValueError:  # outside the repository (the tests' scratch folders): by a hash of its path
        return cache_dir / ("elsewhere+" + digest(str(dest.resolve()).encode())[:16])
    return cache_dir / ("." if rel == "." else "root+" + rel.replace("/", "+"))


def entry_path(cache_dir: Path, dest: Path, book: Path) -> Path:
    return folder(cache_dir, dest) / f"{book.stem}.json"


def load(cache_dir: Path, dest: Path, book: Path) -> dict | None:
    """The notebook's entry, checked; None when there is none. Raises :class:`EntryError`."""
    path = entry_path(cache_dir, dest, book)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise EntryError(f"unreadable ({e})") from None
    try:
        entry = json.loads(text)
    except ValueError as e:
        raise EntryError(f"not JSON ({e})") from None
    return check_entry(entry, book)


def check_entry(entry, book: Path) -> dict:
    """``entry`` if ``peerlearn reproduce`` could have written it for ``book``; else :class:`EntryError`.

    Its reads are plain paths inside the corpus folder, its outputs plain paths inside notebooks/, figures/ or
    data/processed/ (so reusing it reads and writes nowhere else), every hash is a SHA-256."""
    if not isinstance(entry, dict) or set(entry) != ENTRY_KEYS:
        raise EntryError(f"expected an object with the keys {', '.join(sorted(ENTRY_KEYS))}")
    if entry["version"] != VERSION:
        raise EntryError(f"version {entry['version']!r}: expected {VERSION}")
    if entry["notebook"] != book.name:
        raise EntryError(f"notebook {entry['notebook']!r}: expected {book.name!r}")
    if not isinstance(entry["inputs"], dict) or set(entry["inputs"]) != set(INPUT_NAMES):
        raise EntryError(f"inputs: expected the keys {', '.join(sorted(INPUT_NAMES))}")
    for field in ("reads", "outputs"):
        if not isinstance(entry[field], dict):
            raise EntryError(f"{field}: expected an object")
        for path, sha in entry[field].items():
            if not (isinstance(path, str) and plain(path)) or not (isinstance(sha, str) and HEX.fullmatch(sha)):
                raise EntryError(f"{field}: {path!r} is not a plain relative path with a SHA-256")
            if field == "outputs" and not any(path.startswith(f + "/") for f in OUTPUT_FOLDERS):
                raise EntryError(f"outputs: {path!r} is not under {', '.join(OUTPUT_FOLDERS)}")
    if f"notebooks/{book.name}" not in entry["outputs"]:
        raise EntryError(f"outputs: the executed notebook notebooks/{book.name} is missing")
    page = entry["page"]
    if page is not None and not (
        isinstance(page, dict)
        and set(page) == {"nav", "sha"}
        and isinstance(page["nav"], str)
        and isinstance(page["sha"], str)
        and HEX.fullmatch(page["sha"])
    ):
        raise EntryError("page: expected null or an object with nav and sha")
    return entry


def stale(entry: dict | None, now: dict, corpus: Path, corpus_now: dict[str, str], dest: Path) -> str | None:
    """Why the notebook must run again (a short phrase), or None when its entry can be reused."""
    if entry is None:
        return "no cache entry"
    for key, why in INPUT_NAMES.items():
        if entry["inputs"][key] != now[key]:
            if key == "libraries":
                old, new = entry["inputs"][key], now[key]
                changed = sorted(n for n in {*old, *new} if old.get(n) != new.get(n))
                why += (
                    " (" + ", ".join(f"{n} {old.get(n, 'absent')} -> {new.get(n, 'absent')}" for n in changed[:3]) + ")"
                )
            return why
    for name, sha in entry["reads"].items():
        if corpus_now.get(name) != sha:
            return f"corpus file {name} changed" if name in corpus_now else f"corpus file {name} is gone"
    for name, sha in entry["outputs"].items():
        found = file_digest(dest / name)
        if found != sha:
            return f"output {name} is missing" if found is None else f"output {name} was edited"
    return None


def reuse(entry: dict, dest: Path, stage: Path, cache_dir: Path, book: Path, pages: dict) -> str | None:
    """Copy the entry's outputs from ``dest`` into ``stage`` (each checked against its hash as it is read) and put
    its cached site page into ``pages``; returns why it could not (the notebook then runs), or None."""
    for name, sha in entry["outputs"].items():
        try:
            data = (dest / name).read_bytes()
        except OSError:
            return f"output {name} is missing"
        if digest(data) != sha:
            return f"output {name} was edited"
        atomic_write_bytes(stage / name, data)
    page = entry["page"]
    if page is not None:
        path = folder(cache_dir, dest) / f"{book.stem}.html"
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        if data is not None and digest(data) == page["sha"]:
            pages[book.stem] = (page["nav"], data.decode("utf-8"))
    return None


@dataclass
class Plan:
    """One notebook's place in a run: its inputs now, its entry (or None), why it runs (None: reused)."""

    now: dict
    entry: dict | None
    why: str | None
    corpus_now: dict[str, str]


def plan(
    books: list[Path], cache_dir: Path, dest: Path, corpus: Path, lang: str, parameters: dict, force: bool = False
) -> dict[Path, Plan]:
    """For every notebook: its inputs, its entry and why it must run (``force``: all must)."""
    corpus_now, shared = corpus_files(corpus), shared_inputs()
    plans = {}
    for book in books:
        now = inputs(book, lang, parameters, shared)
        try:
            entry = load(cache_dir, dest, book)
        except EntryError as e:
            plans[book] = Plan(now, None, f"cache entry refused: {e}", corpus_now)
            continue
        plans[book] = Plan(now, entry, "--force" if force else stale(entry, now, corpus, corpus_now, dest), corpus_now)
    return plans


def reuse_all(plans: dict[Path, Plan], cache_dir: Path, dest: Path, stage: Path, pages: dict) -> None:
    """:func:`reuse` every notebook that need not run; one whose outputs changed meanwhile is marked to run."""
    for book, p in plans.items():
        if p.why is None:
            p.why = reuse(p.entry, dest, stage, cache_dir, book, pages)


def save(
    cache_dir: Path, dest: Path, book: Path, p: Plan, record_prefix: Path, stage: Path, page: tuple[str, str] | None
) -> None:
    """Write the entry of a notebook that has just run and been committed, from what its kernel noted under
    ``record_prefix`` (:mod:`peerlearn.record`): the corpus files it read (none noted: the whole corpus) and the
    outputs it wrote into ``stage``; ``page``: its site page (navigation, HTML) or None."""
    corpus_now, reads, written = p.corpus_now, read_back(record_prefix, "reads"), read_back(record_prefix, "writes")
    names = set(corpus_now) if reads is None else {CODEBOOK_FILE, *reads}
    if not names <= set(corpus_now):
        names = set(corpus_now)  # it read something that is not a corpus file we hash: depend on everything
    outputs = {f"notebooks/{book.name}"}
    for path in written or ():
        try:
            rel = Path(path).relative_to(stage.resolve()).as_posix()
        except ValueError:
            continue  # a scratch file, not an output
        if any(rel.startswith(f + "/") for f in OUTPUT_FOLDERS):
            outputs.add(rel)
    hashes = {}
    for rel in sorted(outputs):
        sha = file_digest(dest / rel)
        if sha is None:
            return  # not all in place: no entry, the notebook runs next time
        hashes[rel] = sha
    where = folder(cache_dir, dest)
    page_entry = None
    if page is not None:
        data = page[1].encode("utf-8")
        atomic_write_bytes(where / f"{book.stem}.html", data)
        page_entry = {"nav": page[0], "sha": digest(data)}
    entry = {
        "version": VERSION,
        "notebook": book.name,
        "inputs": p.now,
        "reads": {n: corpus_now[n] for n in sorted(names)},
        "outputs": hashes,
        "page": page_entry,
    }
    check_entry(entry, book)  # what load() accepts
    atomic_write_bytes(entry_path(cache_dir, dest, book), (json.dumps(entry, indent=1) + "\n").encode("utf-8"))


def _site_files(site: Path) -> dict[str, str]:
    return {q.relative_to(site).as_posix(): file_digest(q) for q in sorted(site.rglob("*")) if q.is_file()}


def save_site(cache_dir: Path, dest: Path, site: Path, plans: dict[Path, Plan]) -> None:
    """Note the site just built (its files' hashes), its notebooks and the whole corpus it was validated with."""
    corpus_now = next(iter(plans.values())).corpus_now if plans else {}
    record = {
        "version": VERSION,
        "notebooks": sorted(b.name for b in plans),
        "corpus": corpus_now,
        "files": _site_files(site),
    }
    atomic_write_bytes(folder(cache_dir, dest) / "site.json", (json.dumps(record, indent=1) + "\n").encode("utf-8"))


def site_intact(cache_dir: Path, dest: Path, site: Path, plans: dict[Path, Plan]) -> bool:
    """Whether the site is as the last run built it, from the same notebooks, and the whole corpus as that run
    validated it."""
    try:
        record = json.loads((folder(cache_dir, dest) / "site.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    corpus_now = next(iter(plans.values())).corpus_now if plans else {}
    return (
        isinstance(record, dict)
        and record.get("version") == VERSION
        and record.get("corpus") == corpus_now
        and record.get("notebooks") == sorted(b.name for b in plans)
        and isinstance(record.get("files"), dict)
        and bool(record["files"])
        and record["files"] == _site_files(site)
    )


def forget(cache_dir: Path, dest: Path, book: Path) -> None:
    """Remove a notebook's entry (before it runs: a run that fails midway leaves no entry that could vouch for
    outputs it may have changed)."""
    entry_path(cache_dir, dest, book).unlink(missing_ok=True)
