"""The dataset card (README.md of the built folder): generated YAML + DATACARD.md.

The YAML front matter declares the configs (``documents`` is the default) and
each config's ``dataset_info`` features, generated from
:data:`corpus_ds.features.CONFIG_FEATURES`; it is never written by hand, since
the card's features override what the Parquet files say. A split (or a whole
config) with no rows yet is left out: ``load_dataset`` refuses empty splits.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..model.labels import LABEL_SETS, SPLITS
from .features import CONFIG_FEATURES, DEFAULT_CONFIG

STATISTICS_MARKER = "<!-- statistics -->"
PRETTY_NAME = "corpus_ds: Russia-NATO news with entities, quotes and events"


def card_metadata(rows: dict[str, dict[str, int]], nbytes: dict[str, dict[str, int]]) -> dict[str, Any]:
    """The YAML front matter as a dict, in a fixed key order."""
    configs = []
    infos = []
    for config, features in CONFIG_FEATURES.items():
        splits = [split for split in SPLITS if rows[config][split]]
        if not splits:  # a layer nobody annotated yet: no data files, no config
            continue
        entry: dict[str, Any] = {"config_name": config}
        if config == DEFAULT_CONFIG:
            entry["default"] = True
        entry["data_files"] = [{"split": split, "path": f"{config}/{split}-*.parquet"} for split in splits]
        configs.append(entry)
        infos.append({
            "config_name": config,
            "features": features._to_yaml_list(),
            "splits": [{"name": split, "num_bytes": nbytes[config][split],
                        "num_examples": rows[config][split]} for split in splits],
        })
    return {
        "pretty_name": PRETTY_NAME,
        "language": ["en"],
        "license": "cc-by-4.0",
        "task_categories": ["token-classification"],
        "task_ids": ["named-entity-recognition"],
        "size_categories": ["n<1K"],
        "configs": configs,
        "dataset_info": infos,
    }


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def statistics_markdown(rows: dict[str, dict[str, int]], layer_counts: dict[str, dict[str, int]],
                        label_counts: dict[str, dict[str, int]]) -> str:
    """Counts per split, per config and per label, as markdown tables."""
    layers = ("documents", "mentions", "entities", "quotes", "events")
    parts = ["### Counts per split", "", _table(
        ["split", *layers],
        [[split, *(layer_counts.get(split, {}).get(k, 0) for k in layers)] for split in SPLITS]
        + [["total", *(sum(layer_counts.get(s, {}).get(k, 0) for s in SPLITS) for k in layers)]],
    ), "", "### Rows per config", "", _table(
        ["config", *SPLITS], [[config, *(rows[config][s] for s in SPLITS)] for config in CONFIG_FEATURES],
    )]
    for name, counts in label_counts.items():
        ordered = [[label, counts.get(label, 0)] for label in LABEL_SETS[name]]
        parts += ["", f"### {name}", "", _table([name, "count"], ordered)]
    return "\n".join(parts) + "\n"


def render_card(rows: dict[str, dict[str, int]], nbytes: dict[str, dict[str, int]],
                layer_counts: dict[str, dict[str, int]], label_counts: dict[str, dict[str, int]],
                card_text: str | None) -> str:
    """The full README.md of the dataset folder."""
    front = yaml.safe_dump(card_metadata(rows, nbytes), sort_keys=False, allow_unicode=True, width=100)
    body = card_text if card_text is not None else f"# {PRETTY_NAME}\n\n{STATISTICS_MARKER}\n"
    stats = statistics_markdown(rows, layer_counts, label_counts)
    if STATISTICS_MARKER in body:
        body = body.replace(STATISTICS_MARKER, stats)
    else:
        body = body.rstrip("\n") + "\n\n## Statistics\n\n" + stats
    return f"---\n{front}---\n\n{body}"
