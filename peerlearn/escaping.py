"""Text from the data made inert for the place it lands: an HTML page or Markdown.

Every label, CMO text or other text field from the corpus that goes into HTML or Markdown passes
through one of these two functions, so nothing in the data can become an element, an attribute, a
script or a link:

- :func:`html` for text placed in HTML (element content or a quoted attribute value);
- :func:`markdown` for text placed in Markdown (which notebooks and nbconvert render as HTML, raw HTML
  included): HTML-escaped *and* every Markdown control character backslash-escaped.

Both put the text on one line: line breaks and other control characters become spaces, so a value can
neither end the paragraph it sits in nor start a heading, a list, a quote or a raw HTML block.
"""

from __future__ import annotations

import html as _html
import re
import string

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# & < > " ' as character references (Markdown decodes them into plain text, never into markup); every other
# ASCII punctuation character backslash-escaped, which CommonMark (and mistune, nbconvert's renderer) defines
# as a literal character: no emphasis, code, link, image, heading, list, table cell or autolink can start.
_MARKDOWN = {c: f"\\{c}" for c in string.punctuation if c not in "&<>\"'"}
_MARKDOWN.update({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})
_MARKDOWN_TABLE = str.maketrans(_MARKDOWN)


def one_line(text) -> str:
    """``text`` as a string on one line: every control character (line breaks, tabs, NUL, ...) becomes a space."""
    return CONTROL.sub(" ", str(text))


def html(text) -> str:
    """``text`` for HTML element content or a quoted attribute value: & < > " ' escaped, on one line."""
    return _html.escape(one_line(text), quote=True)


def markdown(text) -> str:
    """``text`` for Markdown that may be rendered as HTML: literal text, never markup, on one line; runs of spaces
    become one space and the ends are trimmed (as HTML shows them), so no indentation can start a code block."""
    return re.sub(" {2,}", " ", one_line(text)).strip(" ").translate(_MARKDOWN_TABLE)
