"""``corpus-ds build``: validate, then write the Hugging Face dataset folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..labels import SPLITS
from ..settings import DEFAULT_MAX_SHARD_BYTES
from .common import corpus_paths, print_problems

UNRELEASED_NOTE = ("This folder is an unreleased build of the working tree; cite a release "
                   "(`releases/VERSION/`, or a `vVERSION` tag on the Hub) instead.")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="validate the corpus and write the dataset folder (Parquet + card)",
                       description="Writes OUT atomically (a temporary folder moved into place); "
                                   "writes nothing when the corpus is invalid.")
    p.add_argument("--out", default=None, help="output folder (default: ROOT/dist)")
    p.add_argument("--max-shard-bytes", type=int, default=DEFAULT_MAX_SHARD_BYTES,
                   help="start a new Parquet shard past this many bytes of Arrow data (default 500 MB)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..build import build

    corpus = corpus_paths(args)
    out = Path(args.out) if args.out else corpus.root / "dist"
    card_path = corpus.root / "DATACARD.md"
    card_text = card_path.read_text(encoding="utf-8") if card_path.exists() else None
    if card_text is not None:
        card_text = card_text.replace("<!-- version -->", UNRELEASED_NOTE)
    result = build(corpus, out, card_text=card_text, max_shard_bytes=args.max_shard_bytes)
    if not result.ok:
        print_problems(result.problems)
        print(f"corpus is invalid ({len(result.problems)} error(s)); nothing written to {out}")
        return 1
    layers = ("documents", "mentions", "entities", "quotes", "events")
    print(f"built {result.out} ({len(result.files)} files)")
    print(f"{'split':<12}" + "".join(f"{k:>11}" for k in layers))
    for split in SPLITS:
        counts = result.layer_counts.get(split, {})
        print(f"{split:<12}" + "".join(f"{counts.get(k, 0):>11}" for k in layers))
    print("load it with:")
    print(f'  from datasets import load_dataset; ds = load_dataset("{result.out}")')
    print(f'  configs: {", ".join(result.rows)} (e.g. load_dataset("{result.out}", "ner"))')
    return 0
