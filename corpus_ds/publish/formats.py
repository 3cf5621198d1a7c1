"""Documented limits and defaults, importable without loading heavy libraries."""

from __future__ import annotations

from typing import NamedTuple

#: A (config, split) larger than this many bytes of Arrow data is written as several shards.
DEFAULT_MAX_SHARD_BYTES = 500 * 1024 * 1024


class BuildFormat(NamedTuple):
    """How the Parquet files are laid out. Changing any of it changes the bytes of a build,
    so a changed layout is a new format number and every old one stays here: ``verify``
    rebuilds a release with the format its manifest records."""

    number: int
    #: Rows buffered per (config, split) before they are written as one Parquet row group.
    batch_rows: int
    #: A row that is a whole document (its text and all its annotations): smaller batches.
    document_batch_rows: int
    #: Rows per Parquet row group: batches are kept as Arrow tables (compact) until this many
    #: rows are pending. Few large row groups keep the footer, which a writer holds in memory
    #: until it closes, small: with a row group per batch it grows with the corpus.
    row_group_rows: int
    document_row_group_rows: int
    #: Which configs get the document sizes: only ``documents`` (False), or every config with
    #: one row per document (True; ``coref`` and ``bigbio_kb`` rows are as large, and 8,192 of
    #: them pending per split would hold most of a corpus in memory).
    document_sizes_for_every_document_config: bool
    #: "all" columns carry min/max statistics, or only "keys" (ids, offsets and labels):
    #: statistics of long strings (texts, sentences) bloat every row group's footer entry.
    statistics: str


BUILD_FORMATS: dict[int, BuildFormat] = {
    1: BuildFormat(1, batch_rows=1000, document_batch_rows=64, row_group_rows=1000,
                   document_row_group_rows=64,
                   document_sizes_for_every_document_config=False, statistics="all"),
    2: BuildFormat(2, batch_rows=1000, document_batch_rows=64, row_group_rows=8192,
                   document_row_group_rows=256,
                   document_sizes_for_every_document_config=True, statistics="keys"),
}
#: The format new builds and releases use.
BUILD_FORMAT = 2
#: Releases whose manifest records no format were built with format 1.
LEGACY_BUILD_FORMAT = 1
