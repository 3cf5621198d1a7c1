"""Publishing: the Parquet configs and their features, the card, the build, releases, diffs and push."""
