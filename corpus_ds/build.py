"""Build the Hub-layout dataset folder: one Parquet folder per config, and the card.

The corpus is validated first; if any file is invalid nothing is written.
Documents then stream through in doc-id order and each (config, split) is
written incrementally with a ``pyarrow.parquet.ParquetWriter``, so memory
stays bounded by the batch size, not the corpus size. Everything is written
into a temporary folder beside ``out`` and moved into place at the end.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import ClassLabel, Features, Value

from .card import render_card
from .jsonio import replace_folder
from .features import CONFIG_FEATURES
from .labels import SPLITS
from .paths import CorpusPaths
from .problems import Problem
from .rows import config_rows, encode
from .settings import BUILD_FORMAT, BUILD_FORMATS, DEFAULT_MAX_SHARD_BYTES, BuildFormat
from .validate import PARALLEL_MIN_FILES, CrossFileCheck, iter_validate, validate_file

#: Documents handed to the worker processes at a time (bounds what is in flight).
PARALLEL_CHUNK = 256


@dataclass
class BuildResult:
    """What a build did: problems (then nothing was written) or the counts it wrote."""

    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    layer_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    label_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    out: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


class _SplitWriter:
    """Writes one (config, split) as row groups of ``row_group_rows`` rows, in shards no larger
    than ``max_bytes`` of Arrow data. Pending rows wait as Arrow tables, not Python rows."""

    def __init__(self, folder: Path, split: str, schema: pa.Schema, max_bytes: int,
                 statistics: bool | list[str], row_group_rows: int) -> None:
        self.folder, self.split, self.schema, self.max_bytes = folder, split, schema, max_bytes
        self.statistics, self.row_group_rows = statistics, row_group_rows
        self.shards: list[Path] = []
        self.writer: pq.ParquetWriter | None = None
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.shard_bytes = 0
        self.rows = 0
        self.nbytes = 0

    def _open(self) -> None:
        path = self.folder / f".{self.split}-shard{len(self.shards):05d}.parquet"
        self.shards.append(path)
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd",
                                       write_statistics=self.statistics)
        self.shard_bytes = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.pending.append(pa.Table.from_pylist(rows, schema=self.schema))
        self.pending_rows += len(rows)
        self.rows += len(rows)
        if self.pending_rows >= self.row_group_rows:
            self._flush()

    def _flush(self) -> None:
        """Write the pending tables as one row group."""
        if not self.pending:
            return
        table = self.pending[0] if len(self.pending) == 1 else pa.concat_tables(self.pending)
        self.pending, self.pending_rows = [], 0
        if self.writer is None or (self.shard_bytes and self.shard_bytes + table.nbytes > self.max_bytes):
            self.close_shard()
            self._open()
        assert self.writer is not None
        self.writer.write_table(table, row_group_size=max(len(table), 1))
        self.shard_bytes += table.nbytes
        self.nbytes += table.nbytes

    def close_shard(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def finish(self) -> list[Path]:
        """Close and give the shards their final names (none when no row came)."""
        self._flush()
        self.close_shard()
        total = len(self.shards)
        final = []
        for index, path in enumerate(self.shards):
            target = self.folder / f"{self.split}-{index:05d}-of-{total:05d}.parquet"
            path.rename(target)
            final.append(target)
        return final


def key_columns(features: Features) -> list[str]:
    """Top-level columns worth min/max statistics: ids, offsets, flags and labels.

    Long strings (texts, sentences, names) are left out: their statistics would make every
    row group's footer entry large, and nobody filters on them by range.
    """
    return [name for name, feature in features.items()
            if isinstance(feature, ClassLabel)
            or (isinstance(feature, Value) and feature.dtype != "string")
            or name == "id" or name.endswith("_id")]


@dataclass
class _DocumentRows:
    """One document's contribution to the build: its split, counts and encoded rows."""

    split: str
    layer_counts: dict[str, int]
    label_counts: dict[str, list[str]]
    rows: dict[str, list[dict[str, Any]]]


def _document_rows(job: tuple[Path, Path]) -> _DocumentRows:
    """Validate one (already validated) file again for its record and turn it into rows."""
    path, texts_dir = job
    record = validate_file(path, texts_dir).record
    assert record is not None  # the corpus was validated before
    text = (texts_dir / f"{record.doc_id}.txt").read_text(encoding="utf-8")
    return _DocumentRows(
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
    )


def _all_document_rows(files: list[Path], texts_dir: Path) -> Iterator[_DocumentRows]:
    """Every document's rows in file order; worker processes do the work when there is enough."""
    workers = os.cpu_count() or 1
    if workers <= 1 or len(files) < PARALLEL_MIN_FILES:
        yield from (_document_rows((path, texts_dir)) for path in files)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(workers) as pool:
        for start in range(0, len(files), PARALLEL_CHUNK):  # bounded: never more than a chunk in flight
            jobs = [(path, texts_dir) for path in files[start:start + PARALLEL_CHUNK]]
            yield from pool.imap(_document_rows, jobs, chunksize=16)


def validate_corpus(corpus: CorpusPaths, files: Iterable[Path] | None = None) -> list[Problem]:
    """Every problem of the corpus; empty when it may be built."""
    errors: list[Problem] = []
    cross_file = CrossFileCheck()
    for result in iter_validate(list(files or corpus.annotation_files()), corpus.texts, keep_records=False):
        errors += [p for p in result.problems if p.severity == "error"]
        cross_file.add(result)
    return errors + cross_file.problems


def build(corpus: CorpusPaths, out: Path, *, card_text: str | None = None,
          max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES, build_format: int = BUILD_FORMAT,
          batch_rows: int | None = None,
          after_file_written: Callable[[Path], None] | None = None) -> BuildResult:
    """Validate the corpus and write the dataset folder ``out`` atomically.

    ``build_format`` picks the Parquet layout (:data:`corpus_ds.settings.BUILD_FORMATS`);
    ``batch_rows`` overrides its row-group size (tests use tiny ones).
    """
    layout = BUILD_FORMATS[build_format]
    if batch_rows is not None:
        layout = layout._replace(batch_rows=batch_rows, row_group_rows=batch_rows,
                                 document_row_group_rows=min(batch_rows, layout.document_row_group_rows))
    files = corpus.annotation_files()
    problems = validate_corpus(corpus, files) if files else [
        Problem(str(corpus.annotations), "", "empty-corpus", "no annotation files to build")]
    if problems:
        return BuildResult(problems=problems)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        result = _write(corpus, files, tmp, card_text, max_shard_bytes, layout, after_file_written)
        replace_folder(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.out = out
    return result


def _write(corpus: CorpusPaths, files: list[Path], tmp: Path, card_text: str | None,
           max_shard_bytes: int, layout: BuildFormat,
           after_file_written: Callable[[Path], None] | None) -> BuildResult:
    result = BuildResult()

    def batch_size(config: str) -> int:
        if config == "documents":
            return min(layout.batch_rows, layout.document_batch_rows)
        return layout.batch_rows

    writers: dict[tuple[str, str], _SplitWriter] = {}
    buffers: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for config, features in CONFIG_FEATURES.items():
        (tmp / config).mkdir()
        for split in SPLITS:
            statistics = True if layout.statistics == "all" else key_columns(features)
            row_group_rows = layout.document_row_group_rows if config == "documents" else layout.row_group_rows
            writers[config, split] = _SplitWriter(tmp / config, split, features.arrow_schema,
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

    for document in _all_document_rows(files, corpus.texts):
        split = document.split
        counts = result.layer_counts.setdefault(split, dict.fromkeys(document.layer_counts, 0))
        for layer, count in document.layer_counts.items():
            counts[layer] += count
        for name, values in document.label_counts.items():
            table = result.label_counts.setdefault(name, {})
            for value in values:
                table[value] = table.get(value, 0) + 1
        for config, rows in document.rows.items():
            buffers[config, split].extend(rows)
            if len(buffers[config, split]) >= batch_size(config):
                flush((config, split))
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
    card = render_card(result.rows, nbytes, result.layer_counts, result.label_counts, card_text)
    (tmp / "README.md").write_text(card, encoding="utf-8")
    result.files.append("README.md")
    result.files.sort()
    return result
