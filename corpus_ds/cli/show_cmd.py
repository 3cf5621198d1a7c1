"""``corpus-ds show``: a document with its annotations inline, for review."""

from __future__ import annotations

import argparse

from ..load import load_one
from ..review.show import ALL_LAYERS, render
from .common import corpus_paths
from .report import say

FORMATS = ("text",)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("show", help="print a document with its annotations inline")
    p.add_argument("doc", metavar="DOC_ID_OR_FILE",
                   help="a document id, a unique beginning of one (33fe), or an annotation file")
    p.add_argument("--layer", action="append", choices=ALL_LAYERS,
                   help="show only this layer (repeatable; default: all)")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    document = load_one(corpus_paths(args), args.doc)
    say(render(document.record, document.text, tuple(args.layer or ALL_LAYERS)).rstrip("\n"))
    return 0
