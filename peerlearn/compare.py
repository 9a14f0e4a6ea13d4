"""Compare two copies of an output by content: tables value by value, notebooks as nbval compares them,
figures by rendered pixels (PNG) and by their text (SVG).

Each function takes the committed file and the re-run file and returns a :class:`Comparison`:
``identical`` (same bytes), ``equal within tolerance`` (bytes differ, content agrees) or ``different``
(with what differs). No I/O besides reading the two files.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass
from pathlib import Path

IDENTICAL = "identical"
WITHIN = "equal within tolerance"
DIFFERENT = "different"

# Output types that nbval does not compare in this project (conftest.py): pandas' HTML changes between versions
# and SVG carries glyph paths; the plain-text repr of every table is compared, and figures are compared here
# by their PNG pixels and SVG text. nbval never compares PNG.
NBVAL_SKIP = ("text/html", "image/svg+xml", "image/png")
# Root-mean-square difference of two PNGs on the 0-255 scale above which they differ (pytest-mpl's default).
PNG_RMS_TOLERANCE = 2.0
RELATIVE_TOLERANCE = 1e-9  # for numbers in tables: float noise, never a changed count
SHOWN = 3  # differences named per file


@dataclass(frozen=True)
class Comparison:
    status: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status != DIFFERENT


def sanitizers(cfg: Path) -> list[tuple[re.Pattern, str]]:
    """The (regex, replacement) pairs of an nbval sanitize file (sections with ``regex:`` and ``replace:``)."""
    parser = configparser.ConfigParser()
    parser.read(cfg, encoding="utf-8")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def compare(committed: Path, rerun: Path, sanitize: list[tuple[re.Pattern, str]] = ()) -> Comparison:
    """Compare two files by the rules for their kind (by suffix)."""
    a, b = committed.read_bytes(), rerun.read_bytes()
    if a == b:
        return Comparison(IDENTICAL)
    kind = committed.suffix.lower()
    if kind == ".csv":
        return compare_tables(a, b)
    if kind == ".ipynb":
        return compare_notebooks(a, b, sanitize)
    if kind == ".png":
        return compare_png(a, b)
    if kind == ".svg":
        return compare_svg(a, b)
    return Comparison(DIFFERENT, "the bytes differ")


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return None


def compare_tables(a: bytes, b: bytes) -> Comparison:
    """CSV tables value by value: same columns and rows; numbers equal up to float noise, text equal."""
    import csv
    import io
    import math

    ra = list(csv.reader(io.StringIO(a.decode("utf-8"))))
    rb = list(csv.reader(io.StringIO(b.decode("utf-8"))))
    if not ra or not rb or ra[0] != rb[0]:
        return Comparison(DIFFERENT, f"columns differ: {ra[0] if ra else []} vs {rb[0] if rb else []}")
    header = ra[0]
    if len(ra) != len(rb):
        return Comparison(DIFFERENT, f"{len(ra) - 1} rows committed, {len(rb) - 1} re-run")
    found = []
    for line, (row_a, row_b) in enumerate(zip(ra[1:], rb[1:]), 2):
        for column, x, y in zip(header, row_a, row_b):
            if x == y:
                continue
            nx, ny = _number(x), _number(y)
            if nx is not None and ny is not None and math.isclose(nx, ny, rel_tol=RELATIVE_TOLERANCE):
                continue
            found.append(f"line {line} ({header[0]}={row_a[0]!r}), column {column!r}: committed {x!r}, re-run {y!r}")
    if found:
        return Comparison(DIFFERENT, _some(found))
    return Comparison(WITHIN, "same values (numbers equal within float precision)")


def _some(found: list[str]) -> str:
    more = f"; and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return "; ".join(found[:SHOWN]) + more


def _clean(text, sanitize) -> str:
    text = "".join(text) if isinstance(text, list) else str(text)
    for pattern, replacement in sanitize:
        text = pattern.sub(replacement, text)
    return text


def _outputs(cell, sanitize) -> list:
    """A code cell's outputs as nbval compares them: type, stream name, text; data without NBVAL_SKIP types."""
    shown = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            shown.append((kind, out.get("name"), _clean(out.get("text", ""), sanitize)))
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            shown.append(
                (kind, tuple(sorted((k, _clean(v, sanitize)) for k, v in data.items() if k not in NBVAL_SKIP)))
            )
        elif kind == "error":
            shown.append((kind, out.get("ename"), _clean(out.get("evalue", ""), sanitize)))
    return shown


def compare_notebooks(a: bytes, b: bytes, sanitize=()) -> Comparison:
    """Notebooks cell by cell: the same sources and, for code cells, the same outputs as nbval compares them."""
    import json

    na, nb = json.loads(a), json.loads(b)
    ca, cb = na.get("cells", []), nb.get("cells", [])
    if len(ca) != len(cb):
        return Comparison(DIFFERENT, f"{len(ca)} cells committed, {len(cb)} re-run")
    found = []
    for i, (x, y) in enumerate(zip(ca, cb), 1):
        if "".join(x.get("source", "")) != "".join(y.get("source", "")):
            found.append(f"cell {i}: the source differs")
        elif x.get("cell_type") == "code" and _outputs(x, sanitize) != _outputs(y, sanitize):
            found.append(
                f"cell {i}: the output differs ({_first_difference(_outputs(x, sanitize), _outputs(y, sanitize))})"
            )
    if found:
        return Comparison(DIFFERENT, _some(found))
    return Comparison(WITHIN, "same sources and outputs (HTML, SVG and PNG left to the table and figure checks)")


def _first_difference(xs, ys) -> str:
    a, b = repr(xs), repr(ys)
    i = next((k for k, (p, q) in enumerate(zip(a, b)) if p != q), min(len(a), len(b)))
    return f"committed …{a[max(0, i - 30) : i + 30]}… re-run …{b[max(0, i - 30) : i + 30]}…"


def png_rms(a: bytes, b: bytes) -> float | None:
    """Root-mean-square difference of two PNGs' RGBA pixels on the 0-255 scale; None when their sizes differ."""
    import io

    import numpy as np
    from PIL import Image

    pa = np.asarray(Image.open(io.BytesIO(a)).convert("RGBA"), dtype=np.float64)
    pb = np.asarray(Image.open(io.BytesIO(b)).convert("RGBA"), dtype=np.float64)
    if pa.shape != pb.shape:
        return None
    return float(np.sqrt(np.mean((pa - pb) ** 2)))


def compare_png(a: bytes, b: bytes, tolerance: float = PNG_RMS_TOLERANCE) -> Comparison:
    """Rendered figures by their pixels: equal within ``tolerance`` (RMS on 0-255)."""
    rms = png_rms(a, b)
    if rms is None:
        return Comparison(DIFFERENT, "the images have different sizes")
    if rms > tolerance:
        return Comparison(DIFFERENT, f"pixels differ: RMS {rms:.2f} > tolerance {tolerance}")
    return Comparison(WITHIN, f"pixels differ by RMS {rms:.2f} (tolerance {tolerance})")


def svg_texts(svg: bytes) -> list[str]:
    """The text of every <text> element of an SVG, in document order (figures keep text as text)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    return ["".join(el.itertext()).strip() for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "text"]


def compare_svg(a: bytes, b: bytes) -> Comparison:
    """Vector figures by their text: every label and number the same, in the same order (pixels: the PNG)."""
    ta, tb = svg_texts(a), svg_texts(b)
    if ta != tb:
        only_a = [t for t in ta if t not in tb]
        only_b = [t for t in tb if t not in ta]
        return Comparison(
            DIFFERENT,
            f"text differs: committed only {only_a[:SHOWN]}, re-run only {only_b[:SHOWN]}"
            if only_a or only_b
            else "the same texts in another order",
        )
    return Comparison(WITHIN, f"same {len(ta)} text labels (drawing compared by the PNG)")
