"""The figures' style and saving: seaborn's look kept as data, each figure drawn in its own style context, and
saved as SVG and PNG without dates or version stamps, so that the same data always gives the same bytes."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import matplotlib.pyplot as plt

from ..choices import check_choice, check_lang
from ..output import atomic_write_bytes, figures_dir, output_root

MECHANISM_COLOURS = {"reflection": "#2f6690", "enactment": "#d9822b"}
ZERO_COLOUR = "#9a9a9a"  # a route without effects
MODEL_COLOUR = "#333333"  # the model's own arrows (Figuur 1)
OUTSIDE_COLOUR = "#8e6bb8"  # effects on a route the model does not draw
PROCESS_STYLES = {"enactment": "solid", "reflection": (0, (5, 3))}  # as in Clarke & Hollingsworth's figure
# seaborn's "white" style on its "notebook" context (seaborn 0.13: ``{**sns.axes_style("white"),
# **sns.plotting_context("notebook")}``), stored as data: the figures' bytes then do not depend on the installed
# seaborn, and drawing a figure does not import it. tests/test_outputs.py checks that these values still equal
# seaborn's own. Left out: "image.cmap" ("rocket", a colour map that only exists once seaborn is imported; no
# figure here uses a colour map).
SEABORN_WHITE_NOTEBOOK = {
    "axes.axisbelow": True,
    "axes.edgecolor": ".15",
    "axes.facecolor": "white",
    "axes.grid": False,
    "axes.labelcolor": ".15",
    "axes.labelsize": 12,
    "axes.linewidth": 1.25,
    "axes.spines.bottom": True,
    "axes.spines.left": True,
    "axes.spines.right": True,
    "axes.spines.top": True,
    "axes.titlesize": 12,
    "figure.facecolor": "white",
    "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "font.size": 12,
    "grid.color": ".8",
    "grid.linestyle": "-",
    "grid.linewidth": 1,
    "legend.fontsize": 11,
    "legend.title_fontsize": 12,
    "lines.linewidth": 1.5,
    "lines.markersize": 6,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "patch.linewidth": 1,
    "text.color": ".15",
    "xtick.bottom": False,
    "xtick.color": ".15",
    "xtick.direction": "out",
    "xtick.labelsize": 11,
    "xtick.major.size": 6,
    "xtick.major.width": 1.25,
    "xtick.minor.size": 4,
    "xtick.minor.width": 1,
    "xtick.top": False,
    "ytick.color": ".15",
    "ytick.direction": "out",
    "ytick.labelsize": 11,
    "ytick.left": False,
    "ytick.major.size": 6,
    "ytick.major.width": 1.25,
    "ytick.minor.size": 4,
    "ytick.minor.width": 1,
    "ytick.right": False,
}
RC = {  # the project's own settings on top: fixed fonts, sizes and SVG salt (byte-identical files)
    "svg.hashsalt": "peerlearn",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
}


def _rc() -> dict:
    """The full style: seaborn's "white" on the "notebook" context, plus the project's settings."""
    return {**SEABORN_WHITE_NOTEBOOK, **RC}


def style():
    """Apply the project's style globally (for a researcher's own plots). The figures below do not
    depend on it: each draws and saves inside its own style context, so the bytes never depend on global state."""
    plt.rcParams.update(_rc())


def styled(draw):
    """Run a figure function inside the project's style context, after checking its ``lang`` and ``mechanism``
    (ValueError naming the valid values and the closest one)."""
    import inspect

    signature = inspect.signature(draw)

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        if "lang" in bound.arguments:
            check_lang(bound.arguments["lang"])
        if "mechanism" in bound.arguments:
            check_choice(bound.arguments["mechanism"], MECHANISM_COLOURS, "mechanism")
        with plt.rc_context(_rc()):
            return draw(*args, **kwargs)

    return wrapper


def save_figure(fig, name: str, lang: str, folder=None) -> dict[str, bytes]:
    """Draw ``fig`` as SVG and PNG without dates or version stamps; returns the bytes per format ("svg", "png").

    They are written, each file whole, as <name>_<lang>.svg/.png into ``folder`` when given, else into figures/
    of the output root when there is one (see :mod:`peerlearn.output`); otherwise nothing is written."""
    check_lang(lang)
    folder = Path(folder) if folder is not None else (figures_dir() if output_root() is not None else None)
    images = {}
    for fmt, meta in (("svg", {"Date": None, "Creator": None}), ("png", {"Software": None})):
        buf = io.BytesIO()
        with plt.rc_context(_rc()):
            fig.savefig(buf, format=fmt, metadata=meta, bbox_inches="tight", pad_inches=0.15)
        images[fmt] = buf.getvalue()
        if folder is not None:
            atomic_write_bytes(folder / f"{name}_{lang}.{fmt}", images[fmt])
    return images


def show_saved(fig, png: bytes, alt: str | None = None, metadata: dict | None = None) -> bool:
    """In a notebook (matplotlib's inline backend): show the saved PNG ``png`` (its bytes) as the cell's image and
    close ``fig``, so that the backend does not draw the figure a third time. Elsewhere do nothing. Returns whether
    it showed.

    The PNG is drawn at savefig.dpi; it is shown at the size the figure would have on screen (figure.dpi). ``alt``:
    the image's alternative text (:func:`peerlearn.describe.alt_text`); ``metadata``: the output's metadata besides."""
    import matplotlib

    if "inline" not in matplotlib.get_backend():
        return False
    from IPython.display import Image, display

    data = png
    width_px = int.from_bytes(data[16:20], "big")  # PNG header: the IHDR chunk's width
    display(
        Image(data=data, format="png", width=round(width_px * RC["figure.dpi"] / RC["savefig.dpi"]), alt=alt),
        metadata=metadata,
    )
    plt.close(fig)
    return True
