"""The message catalogue (peerlearn/messages.toml): every message in both languages, found by id, fields filled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import peerlearn
from peerlearn import messages
from peerlearn.paths import LANGS


def test_every_message_has_dutch_and_english_text():
    assert messages.catalogue()
    for message, texts in messages.catalogue().items():
        assert set(texts) == set(LANGS), message
        assert all(t.strip() for t in texts.values()), message


def test_a_message_is_found_in_each_language_and_an_unknown_one_names_the_closest():
    assert messages.text("site.title", "en") != messages.text("site.title", "nl")
    assert messages.words("site", "en")["title"] == messages.text("site.title", "en")
    with pytest.raises(ValueError, match=r"did you mean 'site\.title'"):
        messages.text("site.titel", "en")
    with pytest.raises(ValueError, match="language"):
        messages.text("site.title", "de")


@pytest.mark.parametrize(
    "toml", ['[site.title]\nnl = "x"\n', '[site.title]\nnl = "x"\nen = "y"\nde = "z"\n', '[site]\ntitle = "x"\n']
)
def test_a_message_without_exactly_both_languages_is_refused(toml):
    with pytest.raises(ValueError, match="must have exactly the texts nl, en"):
        messages.parse(toml)


# --- the catalogue and the code agree: every id the code asks for exists, every message is asked for ---------

PACKAGE = Path(peerlearn.__file__).parent
SOURCES = {p.name: p.read_text(encoding="utf-8") for p in sorted(PACKAGE.rglob("*.py"))}
TEXT_IDS = re.compile(r"""messages\.text\(\s*(f?)["']([\w.]+?)(\.\{|["'])""")
SECTIONS = re.compile(r"""messages\.words\(\s*["']([\w.]+)["']""")
# messages seeded on main for another branch's module, asked for once that branch is merged (then delete the entry)
AWAITING = {"site.title"}


def _asked(source: str) -> tuple[set[str], set[str]]:
    """(message ids a source names whole, sections it reads whole: messages.words("s") or messages.text(f"s.{...}"))."""
    ids, sections = set(), set(SECTIONS.findall(source))
    for dynamic, name, end in TEXT_IDS.findall(source):
        (sections if dynamic and end == ".{" else ids).add(name)
    return ids, sections


def test_the_code_asks_for_messages_at_all():
    ids, sections = _asked("\n".join(SOURCES.values()))
    assert {"lessons.unknown", "explorer.link"} <= ids and {"lessons", "columns", "walkthrough"} <= sections


def test_every_message_the_code_names_is_in_the_catalogue():
    catalogue = messages.catalogue()
    for file, source in SOURCES.items():
        ids, sections = _asked(source)
        assert not {i for i in ids if i not in catalogue}, file
        assert not {s for s in sections if not any(m.startswith(s + ".") for m in catalogue)}, file


def test_every_message_in_the_catalogue_is_used():
    """A message is used when a module names it whole, or reads its section and names the message as a string."""
    used = set()
    for source in SOURCES.values():
        ids, sections = _asked(source)
        for message in messages.catalogue():
            section, name = message.rsplit(".", 1)
            if message in ids or (section in sections and re.search(rf"""["']{re.escape(name)}["']""", source)):
                used.add(message)
    unused = set(messages.catalogue()) - used
    assert unused == AWAITING, f"messages nothing uses: {sorted(unused - AWAITING)}"


# modules whose interface text has moved into the catalogue; add a module here when its text has moved too
MOVED = ("citations", "explorer", "export", "lessons", "primer", "questions", "references", "walkthrough")


@pytest.mark.parametrize("module", MOVED)
def test_a_moved_module_keeps_no_text_table_of_its_own(module):
    """No {"nl": ..., "en": ...} tables left in the code of a module whose text is in the catalogue."""
    source = SOURCES[f"{module}.py"]
    assert not re.search(r"""["'](nl|en)["']\s*:""", source)
