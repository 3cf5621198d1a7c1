"""The card's small plot: label distribution per split, as plain SVG (no plotting library).

Each panel is one label set; each label gets one bar per split, its length the label's share
of that split's items (so that splits of different sizes compare), with the count written
beside it. The output is a pure function of the counts: builds stay byte-reproducible.
"""

from __future__ import annotations

from html import escape

from ..model.labels import LABEL_SETS, SPLITS

SPLIT_COLOURS = {"train": "#4c72b0", "validation": "#dd8452", "test": "#55a868"}
PLOT_FILE = "label_distribution.svg"
#: (label set, what is counted) of each panel.
PANELS = (("entity_type", "mentions"), ("event_type", "event mentions"))

_BAR = 5        # height of one split's bar
_GAP = 4        # space between two labels
_LABEL_W = 110  # left column with label names
_PLOT_W = 380   # bar area
_WIDTH = _LABEL_W + _PLOT_W + 60


def _panel(name: str, what: str, counts: dict[str, dict[str, int]], top: int) -> tuple[list[str], int]:
    totals = {split: sum(counts.get(split, {}).values()) for split in SPLITS}
    parts = [f'<text x="4" y="{top + 14}" font-weight="bold">{escape(name)}: share of {escape(what)} per split</text>']
    y = top + 24
    for label in LABEL_SETS[name]:
        block = _BAR * len(SPLITS)
        parts.append(f'<text x="{_LABEL_W - 6}" y="{y + block - 4}" text-anchor="end">{escape(label)}</text>')
        for i, split in enumerate(SPLITS):
            n = counts.get(split, {}).get(label, 0)
            share = n / totals[split] if totals[split] else 0.0
            width = round(share * _PLOT_W, 1)
            bar_y = y + i * _BAR
            parts.append(f'<rect x="{_LABEL_W}" y="{bar_y}" width="{width}" height="{_BAR - 1}" '
                         f'fill="{SPLIT_COLOURS[split]}"><title>{escape(split)}: {n} of {totals[split]}'
                         f'</title></rect>')
            if n:
                parts.append(f'<text x="{_LABEL_W + width + 3}" y="{bar_y + _BAR - 1}" font-size="6">{n}</text>')
        y += block + _GAP
    return parts, y


def label_distribution_svg(counts_by_split: dict[str, dict[str, dict[str, int]]]) -> str:
    """The SVG document; ``counts_by_split[label_set][split][label]`` is a count."""
    body: list[str] = []
    y = 0
    for name, what in PANELS:
        parts, y = _panel(name, what, counts_by_split.get(name, {}), y)
        body += parts
        y += 8
    legend_x = _LABEL_W
    for split in SPLITS:
        body.append(f'<rect x="{legend_x}" y="{y}" width="10" height="10" fill="{SPLIT_COLOURS[split]}"/>')
        body.append(f'<text x="{legend_x + 14}" y="{y + 9}">{split}</text>')
        legend_x += 90
    height = y + 18
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
            f'viewBox="0 0 {_WIDTH} {height}" font-family="sans-serif" font-size="9" role="img">\n'
            f'<title>Label distribution per split</title>\n'
            f'<rect width="{_WIDTH}" height="{height}" fill="white"/>\n' + "\n".join(body) + "\n</svg>\n")
