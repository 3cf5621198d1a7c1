"""``corpus-ds docs``: check or regenerate the label tables in the docs."""

from __future__ import annotations

import argparse

from ..model.label_docs import refresh_docs
from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("docs", help="check (or --write) the generated label tables in the docs")
    p.add_argument("--write", action="store_true", help="rewrite stale tables")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    stale = refresh_docs(corpus_paths(args).root, args.write)
    for name in stale:
        print(f"{name}: {'rewritten' if args.write else 'label tables are stale (run corpus-ds docs --write)'}")
    if not stale:
        print("label tables are up to date")
    return 1 if stale and not args.write else 0
