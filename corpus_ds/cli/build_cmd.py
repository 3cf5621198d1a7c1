"""``corpus-ds build``: validate, then write the Hugging Face dataset folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..model.labels import SPLITS
from ..publish.formats import DEFAULT_MAX_SHARD_BYTES
from .common import add_quiet, corpus_paths, progress_bar

UNRELEASED_NOTE = ("This folder is an unreleased build of the working tree; cite a release "
                   "(`releases/<version>/`, or a `v<version>` tag on the Hub) instead.")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("build", help="validate the corpus and write the dataset folder (Parquet + card)",
                       description="One pass: every file is validated and turned into rows once. OUT is "
                                   "replaced as a whole only when the whole corpus is valid, and only if "
                                   "it is absent, empty or a folder corpus-ds made before.")
    p.add_argument("--out", default=None, help="output folder (default: ROOT/dist)")
    p.add_argument("--max-shard-bytes", type=int, default=DEFAULT_MAX_SHARD_BYTES,
                   help="start a new Parquet shard past this many bytes of Arrow data (default 500 MB)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    add_quiet(p)
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from ..publish.build import build, unreleased_card

    corpus = corpus_paths(args)
    out = Path(args.out) if args.out else corpus.root / "dist"
    result = build(corpus, out, card_text=unreleased_card(corpus.root, UNRELEASED_NOTE),
                   max_shard_bytes=args.max_shard_bytes, jobs=args.jobs, progress=progress_bar(args))
    layers = ("documents", "mentions", "entities", "quotes", "events")
    print(f"built {result.out} ({len(result.files)} files)")
    print(f"{'split':<12}" + "".join(f"{k:>11}" for k in layers))
    for split in SPLITS:
        counts = result.layer_counts.get(split, {})
        print(f"{split:<12}" + "".join(f"{counts.get(k, 0):>11}" for k in layers))
    print("load it with:")
    print(f'  from datasets import load_dataset; ds = load_dataset("{result.out}")')
    print(f'  configs: {", ".join(c for c, n in result.rows.items() if sum(n.values()))} '
          f'(e.g. load_dataset("{result.out}", "ner"))')
    return 0
