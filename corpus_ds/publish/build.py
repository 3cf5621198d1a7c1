"""Build the Hub-layout dataset folder: one Parquet folder per config, and the card.

One pass: each annotation file is read, validated and turned into rows in the worker that
loaded it (the load stage's pool); the rows come back in file order and each (config,
split) is written incrementally (:mod:`.writer`), so memory stays bounded by the row-group
size, not the corpus size. Everything is written into a staging folder that replaces the
output only when the whole corpus was valid and every file is complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..fsutil import staged_folder
from ..load import CorpusPaths, Document, Progress, iter_files, shown_paths
from ..model.labels import SPLITS
from ..model.problems import ERROR, CorpusError, Problem
from .card import LICENSE_FILE, license_file, render_card
from .citation import Citation
from .croissant import CROISSANT_FILE, croissant_json
from .features import CONFIG_FEATURES
from .formats import BUILD_FORMAT, BUILD_FORMATS, DEFAULT_MAX_SHARD_BYTES, BuildFormat
from .plot import PLOT_FILE, label_distribution_svg
from .rows import config_rows, decode, encode
from .sql import SQL_FILE, views_sql
from .writer import SplitWriter, key_columns


@dataclass
class BuildResult:
    """What a build wrote: the rows per config and split, counts and files."""

    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    layer_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    label_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    #: ``{label set: {split: {label: count}}}``
    label_counts_by_split: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    #: ``(doc_id, outlet or None, licence)`` of every document, in build order.
    sources: list[tuple[str, str | None, str]] = field(default_factory=list)
    #: One row per config (label names), shown in the card.
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    out: Path | None = None


@dataclass
class DocumentRows:
    """One document's contribution to the build: its split, counts and encoded rows."""

    split: str
    layer_counts: dict[str, int]
    label_counts: dict[str, list[str]]
    rows: dict[str, list[dict[str, Any]]]
    source: tuple[str, str | None, str] = ("", None, "")


def document_rows(document: Document) -> DocumentRows:
    """Every config's rows of one valid document (run in the worker that validated it)."""
    record, text = document.record, document.text
    return DocumentRows(
        split=record.document.split,
        layer_counts={"documents": 1, "mentions": len(record.mentions), "entities": len(record.entities),
                      "quotes": len(record.quotes), "events": len(record.events)},
        label_counts={
            "entity_type": [m.type for m in record.mentions],
            "mention_type": [m.mention_type for m in record.mentions],
            "quote_type": [q.type for q in record.quotes],
            "event_type": [v.type for v in record.events],
            "realis": [v.realis for v in record.events],
            "zone_type": [z.type for z in record.zones],
        },
        rows={config: encode(config, rows) for config, rows in config_rows(record, text).items()},
        source=(record.doc_id, record.document.publisher.name, record.document.licence),
    )


def unreleased_card(root: Path, note: str) -> str | None:
    """The card text of a build of the working tree: DATACARD.md with its version note filled."""
    path = root / "DATACARD.md"
    return path.read_text(encoding="utf-8").replace("<!-- version -->", note) if path.is_file() else None


def build(corpus: CorpusPaths, out: Path, *, card_text: str | None = None,
          max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES, build_format: int = BUILD_FORMAT,
          batch_rows: int | None = None, jobs: int | None = None,
          documents: Iterable[Document] | None = None, protect: Path | None = None,
          after_file_written: Callable[[Path], None] | None = None,
          citation: Citation | None = None, progress: Progress | None = None) -> BuildResult:
    """Validate the corpus and write the dataset folder ``out``, in one pass.

    Each annotation file is read, validated and turned into rows once, in the worker pool of
    the load stage; rows are written into a staging folder as they come, in file order. Any
    problem (every one is collected) discards the staging folder and raises CorpusError;
    otherwise the staging folder replaces ``out`` in one step. ``documents`` (already loaded,
    e.g. by a release) are used instead of reading the corpus. ``out`` is checked against
    the corpus ``protect`` (default: the corpus root; see :mod:`corpus_ds.fsutil`).
    ``build_format`` picks the Parquet layout; ``batch_rows`` overrides its row-group size
    (tests use tiny ones). ``citation`` (version, date, commit) is a release's: the card's
    citation and the Croissant metadata carry it; without it the build is unreleased.
    ``progress`` watches the documents go by (:data:`corpus_ds.load.Progress`).
    """
    layout = BUILD_FORMATS[build_format]
    if batch_rows is not None:
        layout = layout._replace(batch_rows=batch_rows, row_group_rows=batch_rows,
                                 document_row_group_rows=min(batch_rows, layout.document_row_group_rows))
    files = corpus.annotation_files() if documents is None else []
    if documents is None and not files:
        raise CorpusError([Problem(str(corpus.annotations), "", "empty-corpus", "no annotation files to build")])
    with staged_folder(out, protect if protect is not None else corpus.root) as tmp:
        if documents is not None:
            stream: Iterable[tuple[list[Problem], DocumentRows | None]] = (
                ([], document_rows(d)) for d in documents)
            if progress is not None:
                total = len(documents) if isinstance(documents, Sized) else 0
                stream = progress(iter(stream), total, "build")
        else:
            stream = ((outcome.problems, outcome.payload) for outcome in iter_files(
                files, corpus.texts, shown_paths(files), work=document_rows, keep_documents=False, jobs=jobs,
                progress=progress, what="build"))
        result = _write(stream, tmp, card_text, max_shard_bytes, layout, after_file_written,
                        citation or Citation(None, None, None))
    result.out = out.resolve()
    return result


def _write(stream: Iterable[tuple[list[Problem], DocumentRows | None]], tmp: Path, card_text: str | None,
           max_shard_bytes: int, layout: BuildFormat,
           after_file_written: Callable[[Path], None] | None, citation: Citation) -> BuildResult:
    result = BuildResult()

    def batch_size(config: str) -> int:
        if config == "documents":
            return min(layout.batch_rows, layout.document_batch_rows)
        return layout.batch_rows

    writers: dict[tuple[str, str], SplitWriter] = {}
    buffers: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for config, features in CONFIG_FEATURES.items():
        (tmp / config).mkdir()
        for split in SPLITS:
            statistics = True if layout.statistics == "all" else key_columns(features)
            row_group_rows = layout.document_row_group_rows if config == "documents" else layout.row_group_rows
            writers[config, split] = SplitWriter(tmp / config, split, features.arrow_schema,
                                                  max_shard_bytes, statistics, row_group_rows)
            buffers[config, split] = []

    def flush(key: tuple[str, str], final: bool = False) -> None:
        """Write whole batches of rows (and the rest when ``final``).

        Row groups thus never depend on where one document's rows end.
        """
        buffer = buffers[key]
        size = batch_size(key[0])
        whole = len(buffer) - len(buffer) % size
        for start in range(0, whole, size):
            writers[key].write(buffer[start:start + size])
        buffers[key] = buffer[whole:]
        if final and buffers[key]:
            writers[key].write(buffers[key])
            buffers[key] = []

    problems: list[Problem] = []
    for file_problems, document in stream:
        problems += [p for p in file_problems if p.severity == ERROR]
        if problems or document is None:
            continue  # keep validating to report every problem; write nothing more
        split = document.split
        counts = result.layer_counts.setdefault(split, dict.fromkeys(document.layer_counts, 0))
        for layer, count in document.layer_counts.items():
            counts[layer] += count
        for name, values in document.label_counts.items():
            table = result.label_counts.setdefault(name, {})
            by_split = result.label_counts_by_split.setdefault(name, {}).setdefault(split, {})
            for value in values:
                table[value] = table.get(value, 0) + 1
                by_split[value] = by_split.get(value, 0) + 1
        result.sources.append(document.source)
        for config, rows in document.rows.items():
            if config not in result.examples:
                example = next((row for row in rows if _shows_well(config, row)), None)
                if example is not None:
                    result.examples[config] = decode(CONFIG_FEATURES[config], example)
            buffers[config, split].extend(rows)
            if len(buffers[config, split]) >= batch_size(config):
                flush((config, split))
    if problems:
        for writer in writers.values():
            writer.close_shard()
        raise CorpusError(problems)
    for key in writers:
        flush(key, final=True)
        for written in writers[key].finish():
            result.files.append(str(written.relative_to(tmp)))
            if after_file_written:
                after_file_written(written)
    for config in CONFIG_FEATURES:
        if not any((tmp / config).iterdir()):
            (tmp / config).rmdir()
    result.rows = {config: {split: writers[config, split].rows for split in SPLITS} for config in CONFIG_FEATURES}
    nbytes = {config: {split: writers[config, split].nbytes for split in SPLITS} for config in CONFIG_FEATURES}
    card = render_card(result.rows, nbytes, result.layer_counts, result.label_counts_by_split, card_text,
                       examples=result.examples, sources=result.sources, citation=citation)
    generated = {
        "README.md": card,
        LICENSE_FILE: license_file(result.sources),
        PLOT_FILE: label_distribution_svg(result.label_counts_by_split),
        CROISSANT_FILE: croissant_json(result.rows, citation),
        SQL_FILE: views_sql([config for config in CONFIG_FEATURES if sum(result.rows[config].values())]),
    }
    for name, content in generated.items():
        (tmp / name).write_text(content, encoding="utf-8")
        result.files.append(name)
    result.files.sort()
    return result


def _shows_well(config: str, row: dict[str, Any]) -> bool:
    """Whether a row makes a good example for the card: a tagged sentence with a tag, a
    document with entities, anything else."""
    if config in ("ner", "mentions_iob"):
        return any(row["ner_tags"])  # 0 is "O"
    if config == "coref":
        return bool(row["entities"])
    return True
