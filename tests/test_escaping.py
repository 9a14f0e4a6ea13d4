"""Text from the data stays text: peerlearn.escaping, checked through the Markdown renderer the site uses
(nbconvert's mistune) and an HTML parser, for any string."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from budgets import examples
from peerlearn import escaping

# strings rich in what markup is made of, plus any other character
MARKUP = st.lists(
    st.one_of(
        st.sampled_from(
            list("<>&\"'`*_[]()!#|\\/:=-+.~{}\n\t\r ")
            + [
                "javascript:",
                "<img src=x onerror=alert(1)>",
                "&lt;",
                "&#60;",
                "<!--",
                "<script>",
                "](",
                "https://x.org",
                "www.x.org",
                "    ",
                "\x00",
                "\u2028",
            ]
        ),
        st.characters(),
    ),
    max_size=30,
).map("".join)


class Parsed(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.tags.append("!--")


def render_markdown(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


@settings(max_examples=examples(150), deadline=None)
@given(MARKUP)
def test_markdown_is_one_literal_paragraph(text):
    shown = escaping.markdown(text)
    for sentence in (shown, f"The label *{shown}* and > {shown}"):
        parsed = Parsed(render_markdown(sentence))
        assert set(parsed.tags) <= {"p", "em", "blockquote"} and not parsed.attrs, (text, sentence)
    parsed = Parsed(render_markdown(shown))
    expected = " ".join(escaping.one_line(text).split(" "))
    # str.strip on both sides: Markdown may drop a paragraph of Unicode spaces only (e.g. a no-break space)
    assert "".join(parsed.text).strip() == " ".join(x for x in expected.split(" ") if x).strip(), text


@settings(max_examples=examples(150), deadline=None)
@given(MARKUP)
def test_html_is_text_in_content_and_attributes(text):
    shown = escaping.html(text)
    parsed = Parsed(f'<p title="{shown}">{shown}</p>')
    assert parsed.tags == ["p"] and parsed.attrs == [("title", escaping.one_line(text))]
    assert "".join(parsed.text) == escaping.one_line(text)


def test_the_attacks_of_issue_12_become_text():
    label = "<img src=x onerror=alert(1)> [link](javascript:alert(1))"
    html = render_markdown(f"Hypothesis: *{escaping.markdown(label)}*")
    parsed = Parsed(html)
    assert parsed.tags == ["p", "em"] and "".join(parsed.text).strip() == f"Hypothesis: {label}"
