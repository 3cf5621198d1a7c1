"""The dataset card (README.md of the built folder): generated YAML + DATACARD.md.

The YAML front matter declares the Hub metadata, the configs (``documents`` is the default)
and each config's ``dataset_info`` features, generated from
:data:`corpus_ds.publish.features.CONFIG_FEATURES`; it is never written by hand, since the
card's features override what the Parquet files say. A split (or a whole config) with no rows
yet is left out: ``load_dataset`` refuses empty splits.

DATACARD.md is the card's text. The build fills its markers: ``<!-- configs -->`` (the config
table), ``<!-- fields -->`` (a field table per config, from the features and their
descriptions, and an example row per config, from the data), ``<!-- statistics -->`` (counts,
label distribution per split and its plot), ``<!-- licensing -->`` (each document's outlet and
licence, from the data) and ``<!-- citation -->`` (filled by a release; an unreleased build says
to cite a release). A marker missing from the text gets its section appended.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from ..model.labels import LABEL_SETS, SPLITS
from .citation import TITLE, Citation, citation_markdown
from .features import (
    CONFIG_FEATURES,
    CONFIG_ROWS,
    CONFIG_SUMMARIES,
    DEFAULT_CONFIG,
    describe,
    field_paths,
    type_name,
)
from .plot import PLOT_FILE

STATISTICS_MARKER = "<!-- statistics -->"
CONFIGS_MARKER = "<!-- configs -->"
FIELDS_MARKER = "<!-- fields -->"
LICENSING_MARKER = "<!-- licensing -->"
CITATION_MARKER = "<!-- citation -->"
PRETTY_NAME = TITLE
LICENSE_FILE = "LICENSE.md"
#: The Hub's convention for a licence it has no identifier for: ``license: other`` with a
#: name and a link (here the licence file of the dataset folder).
LICENSE_NAME = "corpus-ds-mixed-cc-by-4.0-annotations-third-party-texts"

#: Hub metadata. Task ids are those the Hub knows (huggingface.js, packages/tasks); it has
#: none for quote attribution or event extraction, which are tags.
HUB_METADATA: dict[str, Any] = {
    "annotations_creators": ["expert-generated"],
    "language_creators": ["found"],
    "language": ["en"],
    "multilinguality": ["monolingual"],
    "size_categories": ["n<1K"],
    "source_datasets": ["original"],
    "task_categories": ["token-classification"],
    "task_ids": ["named-entity-recognition", "coreference-resolution"],
    "tags": ["quote-attribution", "event-extraction", "event-coreference", "entity-linking", "plover",
             "news", "bigbio"],
}


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
        "license": "other",
        "license_name": LICENSE_NAME,
        "license_link": LICENSE_FILE,
        **HUB_METADATA,
        "configs": configs,
        "dataset_info": infos,
    }


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def configs_markdown(rows: dict[str, dict[str, int]]) -> str:
    """Every config: what one row is, what it is for, and its rows per split."""
    return _table(
        ["config", "one row per", "what", *SPLITS],
        [[f"`{config}`" + (" (default)" if config == DEFAULT_CONFIG else ""), CONFIG_ROWS[config],
          CONFIG_SUMMARIES[config], *(rows[config][s] for s in SPLITS)] for config in CONFIG_FEATURES],
    )


def _shorten(value: Any) -> Any:
    """An example row cut for display: long strings and lists shortened, marked with …."""
    if isinstance(value, str):
        return value if len(value) <= 90 else value[:89] + "…"
    if isinstance(value, list):
        small = all(not isinstance(v, (dict, list)) for v in value[0].values()) and len(value[0]) <= 3 \
            if value and isinstance(value[0], dict) else not (value and isinstance(value[0], list))
        keep = 12 if small else 2
        items = [_shorten(v) for v in value[:keep]]
        if len(value) > keep:
            items.append(f"… {len(value) - keep} more")
        return items
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    return value


def _example_json(row: dict[str, Any]) -> str:
    """A row as JSON, one top-level field a line."""
    fields = [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in row.items()]
    return "{\n" + ",\n".join(fields) + "\n}"


def fields_markdown(examples: dict[str, dict[str, Any]]) -> str:
    """Per config: the field table (every field of the declared features, with its type and
    description) and an example row (label names shown instead of their ids)."""
    parts = []
    for config, features in CONFIG_FEATURES.items():
        table = _table(["field", "type", "description"],
                       [[f"`{path}`", type_name(feature), _cell(describe(config, path) or "")]
                        for path, feature in field_paths(dict(features))])
        parts += [f"#### `{config}`", "", f"One row per {CONFIG_ROWS[config]}: {CONFIG_SUMMARIES[config]}.", "",
                  table, ""]
        if config in examples:
            shown = _example_json(_shorten(examples[config]))
            parts += ["Example (from the data; long values cut at `…`, label ids shown as names):", "",
                      "```json", shown, "```", ""]
    return "\n".join(parts).rstrip("\n")


def statistics_markdown(rows: dict[str, dict[str, int]], layer_counts: dict[str, dict[str, int]],
                        label_counts_by_split: dict[str, dict[str, dict[str, int]]]) -> str:
    """Counts per split, per config and per label and split, as markdown tables, and the plot."""
    layers = ("documents", "mentions", "entities", "quotes", "events")
    parts = ["### Counts per split", "", _table(
        ["split", *layers],
        [[split, *(layer_counts.get(split, {}).get(k, 0) for k in layers)] for split in SPLITS]
        + [["total", *(sum(layer_counts.get(s, {}).get(k, 0) for s in SPLITS) for k in layers)]],
    ), "", "### Rows per config", "", _table(
        ["config", *SPLITS], [[config, *(rows[config][s] for s in SPLITS)] for config in CONFIG_FEATURES],
    ), "", "### Label distribution per split", "",
        f"![Share of each entity type and event type in each split]({PLOT_FILE})", ""]
    for name, by_split in label_counts_by_split.items():
        table_rows = []
        for label in LABEL_SETS[name]:
            counts = [by_split.get(split, {}).get(label, 0) for split in SPLITS]
            table_rows.append([label, *counts, sum(counts)])
        parts += [f"#### {name}", "", _table([name, *SPLITS, "total"], table_rows), ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def licensing_markdown(sources: list[tuple[str, str | None, str]]) -> str:
    """Each document's outlet and the licence its annotation file records."""
    return _table(["document", "outlet (copyright holder of the text)", "licence recorded in the annotation file"],
                  [[f"`{doc_id}`", outlet or "not credited in the text", _cell(licence)]
                   for doc_id, outlet, licence in sources])


def license_file(sources: list[tuple[str, str | None, str]]) -> str:
    """LICENSE.md of the dataset folder (the card's ``license_link``)."""
    outlets = sorted({outlet for _, outlet, _ in sources if outlet})
    uncredited = sum(1 for _, outlet, _ in sources if not outlet)
    named = ", ".join(outlets) if outlets else "none"
    return (
        f"# Licence of {PRETTY_NAME}\n\n"
        "This dataset mixes material under different terms.\n\n"
        "1. **Annotations** (every field except the article text: zones, entities, mentions, "
        "quotes, events, metadata, tokens and tags) are licensed under the Creative Commons "
        "Attribution 4.0 International licence (CC BY 4.0, "
        "https://creativecommons.org/licenses/by/4.0/).\n"
        "2. **Code** that builds the dataset (the corpus_ds package) is under the MIT licence.\n"
        "3. **Article texts** (the `text` of each document and every span of it) are not licensed "
        f"by the project: they remain the copyright of their publishers ({named}; "
        f"{uncredited} text(s) without a credited outlet) and are included unchanged for "
        "non-commercial research on annotation. Redistributing them commercially needs the "
        "publishers' permission.\n\n"
        "Per document:\n\n" + licensing_markdown(sources) + "\n"
    )


def _fill(body: str, marker: str, content: str, heading: str) -> str:
    if marker in body:
        return body.replace(marker, content)
    return body.rstrip("\n") + f"\n\n## {heading}\n\n{content}\n"


def render_card(rows: dict[str, dict[str, int]], nbytes: dict[str, dict[str, int]],
                layer_counts: dict[str, dict[str, int]],
                label_counts_by_split: dict[str, dict[str, dict[str, int]]],
                card_text: str | None, *, examples: dict[str, dict[str, Any]] | None = None,
                sources: list[tuple[str, str | None, str]] | None = None,
                citation: Citation | None = None) -> str:
    """The full README.md of the dataset folder."""
    front = yaml.safe_dump(card_metadata(rows, nbytes), sort_keys=False, allow_unicode=True, width=100)
    body = card_text if card_text is not None else f"# {PRETTY_NAME}\n\n{STATISTICS_MARKER}\n"
    body = _fill(body, CONFIGS_MARKER, configs_markdown(rows), "Configs")
    body = _fill(body, FIELDS_MARKER, fields_markdown(examples or {}), "Fields")
    body = _fill(body, STATISTICS_MARKER, statistics_markdown(rows, layer_counts, label_counts_by_split),
                 "Statistics")
    body = _fill(body, LICENSING_MARKER, licensing_markdown(sources or []), "Licensing")
    body = _fill(body, CITATION_MARKER, citation_markdown(citation or Citation(None, None, None)), "Citation")
    return f"---\n{front}---\n\n{body}"
