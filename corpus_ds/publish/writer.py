"""Writing one (config, split) of a build as Parquet: row groups, shards, statistics."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import ClassLabel, Features, Value


class SplitWriter:
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

    def write(self, table: pa.Table) -> None:
        """Add rows (an Arrow table of this config's schema); a full row group is written."""
        if not len(table):
            return
        self.pending.append(table)
        self.pending_rows += len(table)
        self.rows += len(table)
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
