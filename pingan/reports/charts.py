"""Charts of a report as PNG images (matplotlib, Agg, no pyplot: safe in the worker's threads).

Chinese labels need a CJK font: Noto Sans CJK (Debian's fonts-noto-cjk), found through matplotlib's font
manager. A machine without it still gets its charts — in matplotlib's default font, with a warning in the
log (the labels' Chinese characters then show as boxes), never a failed report.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from io import BytesIO
from typing import Sequence

logger = logging.getLogger(__name__)

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK KR", "Noto Sans CJK HK")
COLOURS = ("#1f5fa8", "#9fb8d8", "#c0392b", "#e67e22", "#d4ac0d")
DPI = 110


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The Noto Sans CJK family matplotlib knows, or None (logged once)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    for family in sorted(n for n in names if "Noto Sans CJK" in n):
        return family
    logger.warning("Noto Sans CJK not found by matplotlib (install fonts-noto-cjk): report charts use the "
                   "default font and their Chinese labels will not show")
    return None


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = cjk_family()
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig, ({"family": family} if family else {})


def _png(fig) -> bytes:
    import warnings

    out = BytesIO()
    with warnings.catch_warnings():  # without the CJK font each missing glyph warns; logged once already
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(out, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return out.getvalue()


def bars(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
         unit: str = "", percent: bool = False) -> bytes:
    """Horizontal grouped bars: one group per label, one bar per series (本期, 去年同期 …), values written at
    the bars' ends. `percent`: values are fractions shown as 92.8%."""
    import numpy as np

    n = max(len(labels), 1)
    fig, font = _figure(7.2, max(2.2, 0.42 * n * max(len(series), 1) + 1.0))
    ax = fig.add_subplot(1, 1, 1)
    height = 0.8 / max(len(series), 1)
    positions = np.arange(len(labels))
    top = max([v for _name, values in series for v in values if v is not None] + [0])
    for i, (name, values) in enumerate(series):
        shown = [v or 0 for v in values]
        ys = positions - 0.4 + height * (i + 0.5)
        ax.barh(ys, shown, height=height * 0.9, color=COLOURS[i % len(COLOURS)], label=name)
        for y, v in zip(ys, values):
            text = "—" if v is None else (f"{v * 100:.1f}%" if percent else f"{v:g}{unit}")
            ax.text((v or 0) + top * 0.01, y, text, va="center", fontsize=8, **font)
    ax.set_yticks(positions)
    ax.set_yticklabels(list(labels), fontsize=9, **font)
    ax.invert_yaxis()
    ax.set_xlim(0, (top or 1) * 1.18)
    if percent:
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x * 100:.0f}%")
    ax.set_title(title, fontsize=11, **font)
    ax.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        legend = ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08 - 0.5 / n), ncol=len(series), frameon=False)
        for text in legend.get_texts():
            if font:
                text.set_family(font["family"])
    return _png(fig)
