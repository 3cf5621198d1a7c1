"""``corpus-ds agree``: agreement between two annotation sets of the same texts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..review.agree import compare_folders, render_markdown, render_table
from .common import corpus_paths

FORMATS = ("text", "json", "markdown")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("agree", help="inter-annotator agreement between two annotation folders",
                       description="Compare the documents present in both folders: mentions "
                                   "(exact and overlap F1, per type), coreference (MUC, B-cubed), "
                                   "zones, quotes and events.")
    p.add_argument("dir_a", metavar="DIR_A", help="reference annotations (e.g. annotations/)")
    p.add_argument("dir_b", metavar="DIR_B", help="second annotator's annotations")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    result = compare_folders(corpus_paths(args), Path(args.dir_a), Path(args.dir_b))
    if args.format == "json":
        print(json.dumps(result, indent=2))
    elif args.format == "markdown":
        print(render_markdown(result), end="")
    else:
        print(render_table(result), end="")
    return 0
