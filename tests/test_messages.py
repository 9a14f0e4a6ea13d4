"""The message catalogue (peerlearn/messages.toml): every message in both languages, found by id, fields filled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import peerlearn
from peerlearn import messages, report
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
SOURCES = {p.relative_to(PACKAGE).as_posix(): p.read_text(encoding="utf-8") for p in sorted(PACKAGE.rglob("*.py"))}
TEXT_IDS = re.compile(r"""messages\.text\(\s*(f?)["']([\w.]+?)(\.\{|["'])""")
BARE_TEXT_IDS = re.compile(r"""(?<![\w.])text\(\s*(f?)["']([\w.]+?)(\.\{|["'])""")  # text imported from messages
SECTIONS = re.compile(r"""messages\.words\(\s*["']([\w.]+)["']""")
BARE_SECTIONS = re.compile(r"""(?<![\w.])words\(\s*["']([\w.]+)["']""")
DYNAMIC = re.compile(r"""f["']([a-z_]+(?:\.[a-z_]+)*)\.\{""")  # f"audit.unit.{unit}": the section is read
PREFIXED = re.compile(r"""startswith\(\s*["']([a-z_]+(?:\.[a-z_]+)*)\.["']""")  # m.startswith("audit.check.")
NAME_PREFIX = re.compile(r"""f["']([a-z]+_)\{""")  # words[f"phase_{p}"]: names made from a prefix
IMPORTED = re.compile(r"^from \.+messages import", re.M)
QUOTED = re.compile(
    r"""["']([a-z_]+(?:\.[\w]+)+)["']"""
)  # a message id held in a name first: message = "audit.rule.or"


def _asked(source: str) -> tuple[set[str], set[str]]:
    """(message ids a source names whole, sections it reads whole: messages.words("s") or messages.text(f"s.{...}"))."""
    bare = bool(IMPORTED.search(source))
    ids, sections = set(SECTIONS.findall(source) + (BARE_SECTIONS.findall(source) if bare else [])), set()
    sections, ids = ids, set()
    for dynamic, name, end in TEXT_IDS.findall(source) + (BARE_TEXT_IDS.findall(source) if bare else []):
        (sections if dynamic and end == ".{" else ids).add(name)
    catalogue = messages.catalogue()
    ids |= {i for i in QUOTED.findall(source) if i in catalogue}
    sections |= {
        s for s in DYNAMIC.findall(source) + PREFIXED.findall(source) if any(m.startswith(s + ".") for m in catalogue)
    }
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


def _asked_everywhere() -> tuple[set[str], set[str]]:
    ids, sections = set(), set()
    for source in SOURCES.values():
        i, s = _asked(source)
        ids |= i
        sections |= s
    return ids, sections


# sections whose message names are made from a registry, not written in the code
DYNAMIC_NAMES = {"report.item": set(report.ITEMS)}


def test_every_message_in_the_catalogue_is_used():
    """A message is used when a module names it whole, or reads its section and names the message as a string."""
    everything = "\n".join(SOURCES.values())
    ids, sections = _asked_everywhere()
    used = set()
    for message in messages.catalogue():
        section, name = message.rsplit(".", 1)
        named = (
            re.search(rf"""["']{re.escape(name)}["']""", everything)
            or name in DYNAMIC_NAMES.get(section, ())
            or any(name.startswith(p) for p in NAME_PREFIX.findall(everything))
        )
        if message in ids or (section in sections and named):
            used.add(message)
    unused = set(messages.catalogue()) - used
    assert not unused, f"messages nothing uses: {sorted(unused)}"


# modules whose interface text has moved into the catalogue; add a module here when its text has moved too
MOVED = ("citations", "explorer", "export", "lessons", "primer", "questions", "references", "walkthrough")


@pytest.mark.parametrize("module", MOVED)
def test_a_moved_module_keeps_no_text_table_of_its_own(module):
    """No {"nl": ..., "en": ...} tables left in the code of a module whose text is in the catalogue."""
    source = SOURCES[f"{module}.py"]
    assert not re.search(r"""["'](nl|en)["']\s*:""", source)
