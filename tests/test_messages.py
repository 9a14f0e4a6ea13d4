"""The message catalogue (peerlearn/messages.toml): every message in both languages, found by id, fields filled."""

from __future__ import annotations

import pytest

from peerlearn import messages
from peerlearn.choices import LANGS


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
