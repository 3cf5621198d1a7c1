"""``corpus-ds export``: the corpus in the formats of annotation tools."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..exchange import EXPORTERS
from ..load import load_corpus
from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("export", help="export the corpus for annotation tools and toolkits",
                       description="Exports take the whole (valid) corpus; a folder target is written "
                                   "as a whole and replaced only if corpus-ds made it.")
    p.add_argument("format", choices=tuple(EXPORTERS))
    p.add_argument("target", metavar="TARGET", help="a folder or a file, as the format needs (see README)")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    paths = corpus_paths(args)
    corpus = load_corpus(paths)
    print(EXPORTERS[args.format](corpus.documents, Path(args.target), paths.root))
    return 0
