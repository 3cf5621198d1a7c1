"""Build the Hub-layout dataset folder: one Parquet folder per config, and the card.

One pass: each annotation file is read, validated and turned into rows in the worker that
loaded it (the load stage's pool); the rows come back in file order and each (config,
split) is written incrementally (:mod:`.writer`), so memory stays bounded by the row-group
size, not the corpus size. Everything is written into a staging folder that replaces the
output only when the whole corpus was valid and every file is complete.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..fsutil import staged_folder
from ..load import CorpusPaths, Document, Progress, iter_files, shown_paths
from ..model.labels import SPLITS
from ..model.problems import ERROR, CorpusError, Problem
from ..model.records import AnnotationFile
from .card import LICENSE_FILE, license_file, render_card
from .citation import Citation
from .columns import Block, Nested, concat, concat_blocks, length, row_of, to_table, with_own_columns
from .croissant import CROISSANT_FILE, croissant_json
from .features import CONFIG_FEATURES, CONFIG_ROWS, SAME_ROWS_AS
from .formats import BUILD_FORMAT, BUILD_FORMATS, DEFAULT_MAX_SHARD_BYTES, BuildFormat
from .plot import PLOT_FILE, label_distribution_svg
from .rows import config_blocks
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
class DocumentFacts:
    """What the card counts of one document: its split, layer and label counts, and source."""

    split: str
    layer_counts: dict[str, int]
    #: ``{label set: {label: count}}``, labels in the order they first occur (counted in the
    #: worker: the writer, which runs beside the workers, only adds the counts up).
    label_counts: dict[str, Counter[str]]
    source: tuple[str, str | None, str]


@dataclass
class BatchTables:
    """A batch of documents as the build writes them: their facts, and one Arrow table per
    (config, split), made in the worker that validated them."""

    documents: list[DocumentFacts]
    tables: dict[tuple[str, str], pa.Table]
    #: The first row of each config that makes a good example for the card (label names).
    examples: dict[str, dict[str, Any]]


def document_facts(record: AnnotationFile) -> DocumentFacts:
    return DocumentFacts(
        split=record.document.split,
        layer_counts={"documents": 1, "mentions": len(record.mentions), "entities": len(record.entities),
                      "quotes": len(record.quotes), "events": len(record.events)},
        label_counts={
            "entity_type": Counter(m.type for m in record.mentions),
            "mention_type": Counter(m.mention_type for m in record.mentions),
            "quote_type": Counter(q.type for q in record.quotes),
            "event_type": Counter(v.type for v in record.events),
            "realis": Counter(v.realis for v in record.events),
            "zone_type": Counter(z.type for z in record.zones),
        },
        source=(record.doc_id, record.document.publisher.name, record.document.licence),
    )


def batch_tables(documents: list[Document]) -> BatchTables:
    """The columns of every config of a batch of valid documents, as Arrow tables per split
    (run in the worker that validated them: only compact Arrow data goes to the writer)."""
    blocks: dict[tuple[str, str], list[Block]] = {}
    examples: dict[str, dict[str, Any]] = {}
    for document in documents:
        split = document.record.document.split
        for config, block in config_blocks(document.record, document.text).items():
            blocks.setdefault((config, split), []).append(block)
            if config not in examples:
                row = _example_row(config, block)
                if row is not None:
                    examples[config] = row_of(block, row)
    tables: dict[tuple[str, str], pa.Table] = {}
    # configs with their own rows first: those with the same rows as another take its columns
    for (config, split), parts in sorted(blocks.items(), key=lambda item: item[0][0] in SAME_ROWS_AS):
        if config in SAME_ROWS_AS:
            base, own = SAME_ROWS_AS[config]
            columns = {name: concat([part[name] for part in parts]) for name in own}
            tables[config, split] = with_own_columns(config, CONFIG_FEATURES[config], tables[base, split], columns)
        else:
            tables[config, split] = to_table(config, CONFIG_FEATURES[config], concat_blocks(parts))
    return BatchTables([document_facts(d.record) for d in documents], tables, examples)


#: Documents a worker turns into Arrow tables at once (larger batches pay the fixed cost of
#: making each Arrow column over more rows).
BATCH_DOCUMENTS = 128


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
            loaded = list(documents)
            batches = (loaded[i:i + BATCH_DOCUMENTS] for i in range(0, len(loaded), BATCH_DOCUMENTS))
            stream: Iterable[tuple[list[Problem], BatchTables | None]] = (([], batch_tables(b)) for b in batches)
            if progress is not None:
                stream = progress(iter(stream), -(-len(loaded) // BATCH_DOCUMENTS), "build")
        else:
            stream = ((outcome.problems, outcome.payload) for outcome in iter_files(
                files, corpus.texts, shown_paths(files), batch_work=batch_tables, batch_size=BATCH_DOCUMENTS,
                keep_documents=False, jobs=jobs, progress=progress, what="build"))
        result = _write(stream, tmp, card_text, max_shard_bytes, layout, after_file_written,
                        citation or Citation(None, None, None))
    result.out = out.resolve()
    return result


def _write(stream: Iterable[tuple[list[Problem], BatchTables | None]], tmp: Path, card_text: str | None,
           max_shard_bytes: int, layout: BuildFormat,
           after_file_written: Callable[[Path], None] | None, citation: Citation) -> BuildResult:
    result = BuildResult()

    def whole_documents(config: str) -> bool:
        if layout.document_sizes_for_every_document_config:
            return CONFIG_ROWS[config] == "document"
        return config == "documents"

    def batch_size(config: str) -> int:
        if whole_documents(config):
            return min(layout.batch_rows, layout.document_batch_rows)
        return layout.batch_rows

    writers: dict[tuple[str, str], SplitWriter] = {}
    buffers: dict[tuple[str, str], list[pa.Table]] = {}
    for config, features in CONFIG_FEATURES.items():
        (tmp / config).mkdir()
        for split in SPLITS:
            statistics = True if layout.statistics == "all" else key_columns(features)
            row_group_rows = layout.document_row_group_rows if whole_documents(config) else layout.row_group_rows
            writers[config, split] = SplitWriter(tmp / config, split, features.arrow_schema,
                                                  max_shard_bytes, statistics, row_group_rows)
            buffers[config, split] = []

    def flush(key: tuple[str, str], final: bool = False) -> None:
        """Write whole batches of rows (and the rest when ``final``).

        Row groups thus never depend on where one document's or one worker batch's rows end.
        """
        pending = buffers[key]
        total = sum(len(t) for t in pending)
        size = batch_size(key[0])
        whole = total - total % size
        if not whole and not (final and total):
            return
        table = pending[0] if len(pending) == 1 else pa.concat_tables(pending)
        for start in range(0, whole, size):
            writers[key].write(_compact(table.slice(start, size)))
        rest = table.slice(whole)
        buffers[key] = [rest] if len(rest) else []
        if final and len(rest):
            writers[key].write(_compact(rest))
            buffers[key] = []

    problems: list[Problem] = []
    for file_problems, batch in stream:
        problems += [p for p in file_problems if p.severity == ERROR]
        if problems or batch is None:
            continue  # keep validating to report every problem; write nothing more
        for facts in batch.documents:
            counts = result.layer_counts.setdefault(facts.split, dict.fromkeys(facts.layer_counts, 0))
            for layer, count in facts.layer_counts.items():
                counts[layer] += count
            for name, counted in facts.label_counts.items():
                table = result.label_counts.setdefault(name, {})
                by_split = result.label_counts_by_split.setdefault(name, {}).setdefault(facts.split, {})
                for value, count in counted.items():
                    table[value] = table.get(value, 0) + count
                    by_split[value] = by_split.get(value, 0) + count
            result.sources.append(facts.source)
        for config, example in batch.examples.items():
            result.examples.setdefault(config, example)
        for (config, split), rows in batch.tables.items():
            buffers[config, split].append(rows)
            if sum(len(t) for t in buffers[config, split]) >= batch_size(config):
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


def _compact(table: pa.Table) -> pa.Table:
    """A batch as one chunk per column, as a row group is written (a batch made of several
    worker batches is copied together; one inside a single worker batch stays a view)."""
    return table.combine_chunks()


def _example_row(config: str, block: Block) -> int | None:
    """The first row of a document's block that makes a good example for the card: a tagged
    sentence with a tag, a document with entities, else the first row (None: no such row)."""
    rows = length(next(iter(block.values())))
    if not rows:
        return None
    if config in ("ner", "mentions_iob"):
        tags = block["ner_tags"]
        assert isinstance(tags, Nested)
        return next((row for row in range(rows)
                     if any(tag != "O" for tag in tags.items[tags.offsets[row]:tags.offsets[row + 1]])), None)
    if config == "coref":
        entities = block["entities"]
        assert isinstance(entities, Nested)
        return next((row for row in range(rows) if entities.offsets[row + 1] > entities.offsets[row]), None)
    return 0
