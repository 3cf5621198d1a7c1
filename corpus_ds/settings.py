"""Documented limits and defaults, importable without loading heavy libraries."""

#: A (config, split) larger than this many bytes of Arrow data is written as several shards.
DEFAULT_MAX_SHARD_BYTES = 500 * 1024 * 1024
#: Rows buffered per (config, split) before they are written as one Parquet row group.
DEFAULT_BATCH_ROWS = 1000
#: A ``documents`` row carries a whole text and all its annotations: it gets smaller
#: batches, so that memory stays bounded by a few megabytes whatever the corpus size.
DOCUMENT_BATCH_ROWS = 64
