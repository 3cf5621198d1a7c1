"""``corpus-ds export``: the corpus in the formats of annotation tools and toolkits."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..exchange import EXPORTERS
from ..load import load_corpus
from ..model.labels import SPLITS
from ..model.problems import usage
from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("export", help="export the corpus for annotation tools and toolkits",
                       description="Exports take the whole (valid) corpus; a folder target is written "
                                   "as a whole and replaced only if corpus-ds made it.")
    p.add_argument("format", choices=tuple(EXPORTERS))
    p.add_argument("target", metavar="TARGET", help="a folder or a file, as the format needs (see README)")
    p.add_argument("--split", action="append", choices=SPLITS, default=None,
                   help="export only the documents of this split (repeat for several)")
    p.add_argument("--no-singletons", action="store_true",
                   help="conll2012: leave out entities with one mention, as CoNLL-2012 scoring does")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    paths = corpus_paths(args)
    options = {}
    if args.no_singletons:
        if args.format != "conll2012":
            raise usage("--no-singletons", "bad-option", "--no-singletons applies to conll2012 only")
        options["singletons"] = False
    corpus = load_corpus(paths)
    documents = corpus.documents
    if args.split:
        documents = tuple(d for d in documents if d.record.document.split in args.split)
        if not documents:
            raise usage("--split", "empty-split", f"no document of the corpus is in {' or '.join(args.split)}")
    print(EXPORTERS[args.format](documents, Path(args.target), paths.root, **options))
    return 0
