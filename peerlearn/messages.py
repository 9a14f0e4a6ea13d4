"""The one catalogue of interface text in Dutch and English: peerlearn/messages.toml.

Every sentence, heading, column title and label that peerlearn shows and that is not a code's label (those are
the codebook's vocabularies, :mod:`peerlearn.vocab`) lives in the catalogue, one entry per message with its
Dutch and English text side by side::

    [site.title]
    nl = "…"
    en = "…"

A message may hold ``{fields}`` that :func:`text` fills in. :func:`words` gives a whole section at once, as the
modules that render a page use it (a section may nest: ``words("primer.coverage", lang)``). Column titles of every
table shown live in one section, ``columns`` (``[columns.<column>]``). The catalogue is read once per process (it
ships inside the package). tests/test_messages.py keeps code and catalogue in step: every id the code names exists,
and every message is used somewhere.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

from .choices import check_choice, check_lang
from .paths import LANGS

CATALOGUE = "messages.toml"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Message id ("section.name", dotted) -> {"nl": text, "en": text}, for every message in the catalogue."""
    return parse(files("peerlearn").joinpath(CATALOGUE).read_text(encoding="utf-8"))


def parse(toml: str) -> dict[str, dict[str, str]]:
    """The messages of a catalogue's TOML text; ValueError when a message lacks a language or has another key."""
    raw = tomllib.loads(toml)
    found: dict[str, dict[str, str]] = {}

    def walk(node: dict, prefix: str) -> None:
        for key, value in node.items():
            is_message = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
            if is_message and set(value) == set(LANGS):
                found[prefix + key] = value
            elif isinstance(value, dict) and not is_message:
                walk(value, f"{prefix}{key}.")
            else:
                raise ValueError(f"{CATALOGUE}: {prefix}{key} must have exactly the texts {', '.join(LANGS)}")

    walk(raw, "")
    return found


def text(message: str, lang: str = "nl", **fields) -> str:
    """The message ``message`` ("section.name") in ``lang``, with its ``{fields}`` filled in.

    An unknown id or language is a ValueError naming the closest valid one."""
    entry = catalogue()[check_choice(message, catalogue(), "message")]
    return entry[check_lang(lang)].format(**fields) if fields else entry[check_lang(lang)]


def words(section: str, lang: str = "nl") -> dict[str, str]:
    """Every message directly in ``section`` as {name: text in ``lang``}, e.g. ``words("site", "en")["title"]``."""
    check_lang(lang)
    found = _sections().get(section)
    if found is None:
        check_choice(section, sorted(_sections()), "message section")
    return {name: texts[lang] for name, texts in found.items()}


@cache
def _sections() -> dict[str, dict[str, dict[str, str]]]:
    """Section ("a.b") -> {name: {"nl": text, "en": text}} of the messages directly in it."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for message, texts in catalogue().items():
        section, name = message.rsplit(".", 1)
        out.setdefault(section, {})[name] = texts
    return out
