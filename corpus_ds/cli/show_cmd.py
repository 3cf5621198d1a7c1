"""``corpus-ds show``: a document with its annotations inline, for review."""

from __future__ import annotations

import argparse

from ..render import ALL_LAYERS, render
from ..validate import validate_file
from .common import corpus_paths, print_problems, usage_error


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="print a document with its annotations inline")
    p.add_argument("doc", metavar="DOC_ID_OR_FILE", help="a document id or an annotation file")
    p.add_argument("--layer", action="append", choices=ALL_LAYERS,
                   help="show only this layer (repeatable; default: all)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    corpus = corpus_paths(args)
    path = corpus.annotation_file(args.doc)
    if not path.exists():
        from pathlib import Path
        path = Path(args.doc)
        if not path.exists():
            return usage_error(f"no document {args.doc!r} in {corpus.annotations}")
    result = validate_file(path, corpus.texts)
    if result.record is None:
        print_problems(result.problems)
        return 1
    text = corpus.text_file(result.record.doc_id).read_text(encoding="utf-8")
    print(render(result.record, text, tuple(args.layer or ALL_LAYERS)), end="")
    if result.problems:
        print("\n## problems")
        print_problems(result.problems)
    return 0
