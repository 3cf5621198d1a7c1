"""Build the Hub-layout dataset folder: one Parquet folder per config, and the card.

The corpus is validated first; if any file is invalid nothing is written.
Documents then stream through in doc-id order and each (config, split) is
written incrementally with a ``pyarrow.parquet.ParquetWriter``, so memory
stays bounded by the batch size, not the corpus size. Everything is written
into a temporary folder beside ``out`` and moved into place at the end.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .card import render_card
from .features import CONFIG_FEATURES
from .labels import SPLITS
from .model import AnnotationFile
from .paths import CorpusPaths
from .problems import Problem
from .rows import config_rows, encode
from .settings import DEFAULT_BATCH_ROWS, DEFAULT_MAX_SHARD_BYTES
from .validate import corpus_problems, validate_file, validate_files



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
    """Writes one (config, split) as shards no larger than ``max_bytes`` of Arrow data."""

    def __init__(self, folder: Path, split: str, schema: pa.Schema, max_bytes: int) -> None:
        self.folder, self.split, self.schema, self.max_bytes = folder, split, schema, max_bytes
        self.shards: list[Path] = []
        self.writer: pq.ParquetWriter | None = None
        self.shard_bytes = 0
        self.rows = 0
        self.nbytes = 0

    def _open(self) -> None:
        path = self.folder / f".{self.split}-shard{len(self.shards):05d}.parquet"
        self.shards.append(path)
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd", write_statistics=True)
        self.shard_bytes = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        table = pa.Table.from_pylist(rows, schema=self.schema)
        if self.writer is None or (self.shard_bytes and self.shard_bytes + table.nbytes > self.max_bytes):
            self.close_shard()
            self._open()
        assert self.writer is not None
        self.writer.write_table(table)
        self.shard_bytes += table.nbytes
        self.nbytes += table.nbytes
        self.rows += len(rows)

    def close_shard(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def finish(self) -> list[Path]:
        """Close and give the shards their final names (none when no row came)."""
        self.close_shard()
        total = len(self.shards)
        final = []
        for index, path in enumerate(self.shards):
            target = self.folder / f"{self.split}-{index:05d}-of-{total:05d}.parquet"
            path.rename(target)
            final.append(target)
        return final


def _count_layers(record: AnnotationFile, result: BuildResult) -> None:
    split = record.document.split
    counts = result.layer_counts.setdefault(split, {k: 0 for k in
                                                    ("documents", "mentions", "entities", "quotes", "events")})
    counts["documents"] += 1
    counts["mentions"] += len(record.mentions)
    counts["entities"] += len(record.entities)
    counts["quotes"] += len(record.quotes)
    counts["events"] += len(record.events)
    for name, values in (
        ("entity_type", [m.type for m in record.mentions]),
        ("mention_type", [m.mention_type for m in record.mentions]),
        ("quote_type", [q.type for q in record.quotes]),
        ("event_type", [v.type for v in record.events]),
        ("realis", [v.realis for v in record.events]),
        ("zone_type", [z.type for z in record.zones]),
    ):
        table = result.label_counts.setdefault(name, {})
        for value in values:
            table[value] = table.get(value, 0) + 1


def validate_corpus(corpus: CorpusPaths, files: Iterable[Path] | None = None) -> list[Problem]:
    """Every problem of the corpus; empty when it may be built."""
    results = validate_files(list(files or corpus.annotation_files()), corpus.texts, keep_records=False)
    return [p for r in results for p in r.problems if p.severity == "error"] + corpus_problems(results)


def build(corpus: CorpusPaths, out: Path, *, card_text: str | None = None,
          max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES, batch_rows: int = DEFAULT_BATCH_ROWS,
          after_file_written: Callable[[Path], None] | None = None) -> BuildResult:
    """Validate the corpus and write the dataset folder ``out`` atomically."""
    files = corpus.annotation_files()
    problems = validate_corpus(corpus, files) if files else [
        Problem(str(corpus.annotations), "", "empty-corpus", "no annotation files to build")]
    if problems:
        return BuildResult(problems=problems)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        result = _write(corpus, files, tmp, card_text, max_shard_bytes, batch_rows, after_file_written)
        _replace_folder(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.out = out
    return result


def _write(corpus: CorpusPaths, files: list[Path], tmp: Path, card_text: str | None,
           max_shard_bytes: int, batch_rows: int,
           after_file_written: Callable[[Path], None] | None) -> BuildResult:
    result = BuildResult()
    writers: dict[tuple[str, str], _SplitWriter] = {}
    buffers: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for config, features in CONFIG_FEATURES.items():
        (tmp / config).mkdir()
        for split in SPLITS:
            writers[config, split] = _SplitWriter(tmp / config, split, features.arrow_schema, max_shard_bytes)
            buffers[config, split] = []

    def flush(key: tuple[str, str], final: bool = False) -> None:
        """Write whole batches of ``batch_rows`` rows (and the rest when ``final``).

        Row groups thus never depend on where one document's rows end.
        """
        buffer = buffers[key]
        whole = len(buffer) - len(buffer) % batch_rows
        for start in range(0, whole, batch_rows):
            writers[key].write(encode(key[0], buffer[start:start + batch_rows]))
        buffers[key] = buffer[whole:]
        if final and buffers[key]:
            writers[key].write(encode(key[0], buffers[key]))
            buffers[key] = []

    for path in files:
        record = validate_file(path, corpus.texts).record
        assert record is not None  # validated above
        text = corpus.text_file(record.doc_id).read_text(encoding="utf-8")
        split = record.document.split
        _count_layers(record, result)
        for config, rows in config_rows(record, text).items():
            buffers[config, split].extend(rows)
            if len(buffers[config, split]) >= batch_rows:
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


def _replace_folder(new: Path, out: Path) -> None:
    """Move ``new`` to ``out``, replacing an existing folder with two renames."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / "previous")
        os.rename(new, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(new, out)
