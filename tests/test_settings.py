"""The shared settings live in peerlearn.paths, once: the languages, the default one and where outputs go; the site
(presentation) reads them there and never imports the orchestration that runs it."""

from __future__ import annotations

import subprocess
import sys

from peerlearn import choices, codebook, paths, site
from peerlearn.paths import DEFAULT_LANG, LANGS, REPO_ROOT


def test_languages_are_defined_once():
    assert DEFAULT_LANG in LANGS
    assert choices.LANGS is LANGS and codebook.LANGS is LANGS and site.LANGS is LANGS
    assert site.DEFAULT_LANG is DEFAULT_LANG


def test_each_language_and_corpus_has_its_own_destination(tmp_path):
    assert paths.destination(DEFAULT_LANG) == REPO_ROOT  # the committed outputs
    assert paths.destination(DEFAULT_LANG, paths.RAW_DIR) == REPO_ROOT  # the committed corpus named by its path
    others = [lang for lang in LANGS if lang != DEFAULT_LANG]
    assert others and all(paths.destination(lang) == REPO_ROOT / "build" / lang for lang in others)
    corpus = tmp_path / "my corpus"
    mine = {paths.destination(lang, corpus) for lang in LANGS}
    assert len(mine) == len(LANGS) and all(d.parent.parent == REPO_ROOT / "build" / "corpora" for d in mine)
    assert paths.site_dir(DEFAULT_LANG) == REPO_ROOT / "build" / "site" / DEFAULT_LANG
    assert paths.corpus_in_use() is None and paths.corpus_in_use(corpus) == str(corpus.resolve())


def test_the_site_imports_no_orchestration():
    """site -> reproduce was one half of an import cycle; the settings it needed are in paths now."""
    code = (
        "import sys, peerlearn.site; "
        "print(sorted(m for m in sys.modules if m.split('.')[:2] in (['peerlearn', 'reproduce'], "
        "['peerlearn', 'walkthrough'], ['peerlearn', 'cli'], ['peerlearn', 'verify'])))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
