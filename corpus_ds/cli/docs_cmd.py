"""``corpus-ds docs``: check or regenerate the label tables in the docs."""

from __future__ import annotations

import argparse

from ..docs import DOC_FILES, refresh
from ..jsonio import atomic_write_text
from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="check (or --write) the generated label tables in the docs")
    p.add_argument("--write", action="store_true", help="rewrite stale tables")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = corpus_paths(args).root
    stale = []
    for name in DOC_FILES:
        path = root / name
        text = path.read_text(encoding="utf-8")
        try:
            fresh = refresh(text)
        except ValueError as exc:
            print(f"{name}: {exc}")
            return 1
        if fresh != text:
            stale.append(name)
            if args.write:
                atomic_write_text(path, fresh)
    for name in stale:
        print(f"{name}: {'rewritten' if args.write else 'label tables are stale (run corpus-ds docs --write)'}")
    if not stale:
        print("label tables are up to date")
    return 1 if stale and not args.write else 0
