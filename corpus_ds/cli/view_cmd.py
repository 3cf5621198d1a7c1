"""``corpus-ds view``: write the static HTML review site."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..load import load_corpus
from ..review.site import write_site
from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("view", help="write a static HTML review site (opens from the file system)",
                       description="Writes OUT as a whole (absent, empty, or a folder corpus-ds made "
                                   "before); never the corpus folder, a folder above it or a source folder.")
    p.add_argument("--out", default=None, help="output folder (default: ROOT/site)")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    paths = corpus_paths(args)
    out = Path(args.out) if args.out else paths.root / "site"
    pages = write_site(load_corpus(paths), out)
    print(f"wrote {pages} pages to {out}; open {out / 'index.html'} in a browser")
    return 0
